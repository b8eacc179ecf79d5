/* SPDX-License-Identifier: MIT */
/*
 * PCI bus 0 of an i440FX/PIIX3 PC: configuration mechanism #1 at CF8h/CFCh,
 * device registration (config space, write masks, BARs, INTx), the 82441FX
 * host bridge at 00:00.0 (PAM and SMRAM registers) and PIIX3 function 0, the
 * ISA bridge at 00:01.0 (PIRQ routing, reset control at CF9h). Owns struct
 * pci only; never touches the PIC's ELCR (4D0h/4D1h) or any other device.
 * Follows PCI Local Bus 2.1 (3.2.2.3.2, 6.1-6.2.5) and the 82441FX and
 * 82371SB (PIIX3) datasheets.
 */
#ifndef KILN_DEVICES_PCI_H
#define KILN_DEVICES_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"
#include "devices/irq.h"

#define PCI_DEVFN(dev, fn) (((dev) << 3) | (fn))

/* Configuration header offsets (PCI 2.1, 6.1). */
#define PCI_VENDOR_ID      0x00
#define PCI_DEVICE_ID      0x02
#define PCI_COMMAND        0x04
#define PCI_STATUS         0x06
#define PCI_REVISION       0x08
#define PCI_CLASS_PROG     0x09
#define PCI_CACHE_LINE     0x0c
#define PCI_LATENCY        0x0d
#define PCI_HEADER_TYPE    0x0e
#define PCI_BAR0           0x10
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN  0x3d

#define PCI_COMMAND_IO     0x0001
#define PCI_COMMAND_MEMORY 0x0002
#define PCI_COMMAND_MASTER 0x0004

#define PCI_BAR_UNMAPPED 0xffffffffu /* bar_changed(): the BAR decodes nothing */

/* 82441FX PAM attributes of one region (datasheet 3.2.12): reads/writes go to DRAM. */
#define PCI_PAM_RE 0x1
#define PCI_PAM_WE 0x2
#define PCI_PAM_REGIONS 13 /* 0: F0000-FFFFF; 1-12: C0000-EFFFF in 16 KiB steps */

/* 82441FX SMRAM register (offset 72h) bits. */
#define PCI_SMRAM_D_OPEN   0x40
#define PCI_SMRAM_D_CLS    0x20
#define PCI_SMRAM_D_LCK    0x10
#define PCI_SMRAM_G_SMRAME 0x08

/* One base address register. */
struct pci_bar {
    uint32_t size;            /* bytes, a power of two; 0 = not implemented */
    bool io;                  /* I/O space (else 32-bit memory) */
    const struct io_ops *ops; /* accesses while decoded; NULL: the device maps it itself */
    void *opaque;
    uint32_t mapped; /* base decoded now, or PCI_BAR_UNMAPPED (pci.c keeps it) */
};

/* A function on bus 0. The device fills config[], wmask[] (bits the guest may
 * write) and w1c[] (bits a guest 1 clears) through pci_device_init() and
 * pci_device_set_bar(), then adjusts them for its own registers. */
struct pci_device {
    uint8_t config[256];
    uint8_t wmask[256];
    uint8_t w1c[256];
    struct pci_bar bar[6];
    /* After a guest write of 'size' bytes at 'off' ('old': the bytes before it). */
    void (*config_written)(void *opaque, uint8_t off, int size, uint32_t old);
    /* After BAR 'n' starts decoding at 'base', or stops (PCI_BAR_UNMAPPED). */
    void (*bar_changed)(void *opaque, int n, uint32_t base);
    void *opaque;
    /* Private to pci.c. */
    struct pci *pci;
    int devfn;
    bool irq_level;
    uint8_t reset_config[256];
};

/* What the machine does for the chipset's side effects. Any may be NULL. */
struct pci_host_ops {
    void *opaque;
    /* PAM region 'region' (see pci_pam_region) now has attributes 'attr'. */
    void (*pam_changed)(void *opaque, int region, uint8_t attr);
    /* The 82441FX SMRAM register now holds 'smram'. */
    void (*smram_changed)(void *opaque, uint8_t smram);
    /* The guest asked for a reset through CF9h: hard (PCIRST#) or CPU-only. */
    void (*reset)(void *opaque, bool hard);
};

#define PCI_MAX_WINDOWS 16
#define PCI_MAX_DEVICES 32

/* A bus range claimed for BARs; bus.h cannot unmap, so windows stay and
 * forward to whichever BAR decodes there at the time of the access. */
struct pci_window {
    struct pci *pci;
    uint32_t base, size;
    bool io;
};

struct pci {
    struct bus *bus;
    struct pci_device *slot[256]; /* by devfn */
    struct pci_device *list[PCI_MAX_DEVICES];
    int n_list;
    struct pci_window win[PCI_MAX_WINDOWS];
    int n_win;
    uint32_t config_address; /* CONFADD, CF8h */
    uint8_t rcr;             /* PIIX3 reset control, CF9h */
    struct pci_device host;  /* 00:00.0 82441FX */
    struct pci_device isa;   /* 00:01.0 PIIX3 function 0 */
    struct irq_line isa_irq[16];
    uint16_t isa_level; /* ISA IRQs that PCI INTx currently drive high */
    struct pci_host_ops host_ops;
    uint8_t pam_seen[PCI_PAM_REGIONS]; /* attributes last reported to the machine */
    uint8_t smram_seen;
};

/* Create bus 0 with the host bridge and ISA bridge, claim CF8h-CFFh on 'b'
 * ('p' must not move afterwards: the bus holds pointers into it).
 * PCI INTx routed by the PIRQ registers drive isa_irq[n] high while asserted
 * (active-high here; the PIC's ELCR makes the line level-triggered). False
 * when the ports are taken. */
KILN_MUST_CHECK bool pci_init(struct pci *p, struct bus *b, const struct irq_line isa_irq[16],
                              struct pci_host_ops host_ops);

/* Power-on/PCIRST#: every registered function's config space returns to the
 * values it had when registered, BARs stop decoding, CONFADD clears. */
void pci_reset(struct pci *p);

/* Zero 'd' and fill the header: IDs, class (class << 16 | subclass << 8 |
 * prog-if), header type; I/O, memory and bus master enables, cache line
 * size, latency timer and interrupt line writable; status error bits
 * write-one-to-clear. */
void pci_device_init(struct pci_device *d, uint16_t vendor, uint16_t device, uint8_t revision,
                     uint32_t class_code, uint8_t header_type);

/* Implement BAR n (0-5) of 'size' bytes (a power of two, >= 4 for I/O and
 * 16 for memory). I/O BARs decode 16-bit ports (bits 31:16 read 0, as the
 * PIIX3's BMIBA). With 'ops', pci.c routes decoded accesses to it. */
void pci_device_set_bar(struct pci_device *d, int n, uint32_t size, bool io,
                        const struct io_ops *ops, void *opaque);

/* Put 'd' on bus 0 at 'devfn'; its current config becomes its reset state.
 * False when the slot is taken or the device table is full. */
KILN_MUST_CHECK bool pci_register(struct pci *p, struct pci_device *d, int devfn);

/* Drive the function's INTx pin (config 3Dh). Slot wiring as on i440FX
 * boards: device d's pin p (1 = INTA#) is PIRQ[(d + p - 2) mod 4]. */
void pci_set_irq(struct pci_device *d, bool level);

/* Configuration cycles as the guest makes them (masks, side effects and
 * callbacks apply); absent functions read all-ones. */
uint32_t pci_config_read(struct pci *p, int devfn, uint8_t off, int size);
void pci_config_write(struct pci *p, int devfn, uint8_t off, int size, uint32_t val);

/* Physical range of PAM region 0-12. */
void pci_pam_region(int region, uint32_t *base, uint32_t *size);

/* Current attributes (PCI_PAM_RE | PCI_PAM_WE) of PAM region 0-12. */
uint8_t pci_pam_attr(const struct pci *p, int region);

/* Machine snapshots: CONFADD, the reset control register, the routed ISA
 * levels, then per registered function its devfn, INTx level and 256
 * config bytes. Loading decodes BARs, routes INTx and reports PAM/SMRAM
 * changes as guest writes would. */
#define PCI_STATE_HEAD     7u
#define PCI_STATE_FUNCTION 258u
size_t pci_state_size(const struct pci *p);
void pci_state_save(const struct pci *p, uint8_t *out);
/* True when 'len' bytes at 'in' are a state of this bus's functions. */
bool pci_state_check(const struct pci *p, const uint8_t *in, size_t len);
void pci_state_load(struct pci *p, const uint8_t *in);

#endif
