/* SPDX-License-Identifier: MIT */
/*
 * The PC: assembles the bus, RAM, the BIOS ROM mapping and the chipset
 * devices into one machine with the IBM AT's port and IRQ assignments.
 * Knows nothing of the CPU: the machine loop (frontend) asks it for
 * interrupts and gives it callbacks for A20, reset and exit.
 */
#ifndef KILN_DEVICES_PC_H
#define KILN_DEVICES_PC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/acpi_pm.h"
#include "devices/blockdev.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/dma.h"
#include "devices/fdc.h"
#include "devices/ide.h"
#include "devices/kbc.h"
#include "devices/pci.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "devices/ps2kbd.h"
#include "devices/ps2mouse.h"
#include "devices/rtc.h"
#include "devices/sysports.h"
#include "devices/uart.h"
#include "devices/vga.h"

/* What the machine wants from the outside world. */
struct pc_host {
    void *opaque;
    void (*set_a20)(void *opaque, bool on);
    void (*reset)(void *opaque);
    void (*exit)(void *opaque, int status); /* isa-debug-exit; 0 after an ACPI soft off */
    void (*debugcon)(void *opaque, uint8_t byte); /* port E9h, or NULL */
};

struct pc_config {
    uint32_t ram_size;
    int64_t rtc_epoch; /* wall-clock seconds at virtual time 0 */
    struct uart_backend serial[4];
    int n_serial;
    const uint8_t *bios; /* ROM image, a multiple of 64 KiB up to 1 MiB... */
    size_t bios_size;    /* ...mapped to end at 1 MiB and at 4 GiB */
    bool debug_exit;     /* -device isa-debug-exit */
    uint16_t debug_exit_base, debug_exit_size;
    const uint8_t *vga_rom; /* a VGA BIOS behind the VGA's expansion-ROM BAR, or NULL */
    size_t vga_rom_size;
    struct blockdev *hd[4]; /* IDE primary master/slave, secondary master/slave */
    struct blockdev *fd[2];
    struct blockdev *cdrom; /* on the secondary master unless hd[2] is set; may be NULL */
    bool cdrom_present;     /* an ATAPI drive exists (with or without a disc) */
    const char *boot_order; /* letters a c d */
    struct pc_host host;
};

struct pc {
    struct bus *bus;
    struct clock clock;
    struct pic pic;
    struct pit pit;
    struct rtc rtc;
    struct uart uart[4];
    int n_uart;
    struct irq_or com_irq[2]; /* IRQ4 (COM1, COM3) and IRQ3 (COM2, COM4) */
    struct kbc kbc;
    struct ps2kbd kbd;
    struct ps2mouse mouse;
    struct sysports ports;
    struct acpi_pm acpi_pm;
    bool a20_kbc, a20_port92; /* the gate is open when either asks for it */
    struct dma dma;
    struct fdc fdc;
    struct pci pci;
    struct ide ide;
    struct vga vga;
    struct pci_device vga_pci;
    bool vga_lfb_mapped;
    uint8_t *vga_rom;       /* copy of the option ROM, or NULL */
    uint32_t vga_rom_size;  /* a power of two, at least 2 KiB */
    uint32_t vga_rom_base;  /* where the ROM BAR decodes now, or 0 */
    uint8_t *rom;
    size_t rom_size;
    struct pc_host host;
    uint32_t ram_size;
};

/* A system reset (RESET# and PCIRST#): the chipset's power-on state, A20 on.
 * Chips that a BIOS reprograms at POST keep their state. */
void pc_reset(struct pc *pc);

/* Build the machine. Returns NULL with a message in err on a host error. */
struct pc *pc_new(const struct pc_config *cfg, char *err, size_t errlen);
void pc_free(struct pc *pc);

/* Internal to the pc_*.c files: each sets up one part of the machine. */
bool pc_init_rom(struct pc *pc, const struct pc_config *cfg, char *err, size_t errlen);
bool pc_init_pci(struct pc *pc, const struct pc_config *cfg);
/* Bytes of a ROM image at 'addr' (all-ones past its end), and a ROM's writes. */
uint32_t pc_rom_bytes(const uint8_t *rom, size_t len, uint32_t addr, int size);
void pc_rom_write_ignored(void *opaque, uint32_t addr, int size, uint32_t val);
bool pc_init_storage(struct pc *pc, const struct pc_config *cfg, char *err, size_t errlen);

/* The interrupt controller's view for the CPU loop. */
bool pc_intr_pending(struct pc *pc);
uint8_t pc_intr_acknowledge(struct pc *pc);

#endif
