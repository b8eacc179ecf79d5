/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of PCI bus 0 through configuration mechanism #1 on a real bus:
 * CONFADD and CONFDATA access widths, the IDs and headers of 00:00.0
 * (82441FX), 00:01.0 (PIIX3 ISA) and 00:01.1 (PIIX3 IDE), absent functions,
 * BAR sizing and decoding, write masks, PIRQ routing to ISA IRQs, PAM and
 * SMRAM reporting, CF9h resets. Expected values come from PCI Local Bus 2.1
 * (3.2.2.3.2, 6.2) and the 82441FX and 82371SB datasheets' register tables.
 */
#include <check.h>
#include <stdlib.h>

#include "check_main.h"
#include "devices/ide.h"
#include "devices/pci.h"

struct fx {
    struct bus *bus;
    struct clock clk;
    struct pci pci;
    struct ide ide;
    bool irq[16];
    int irq_changes;
    int pam_calls, pam_region[PCI_PAM_REGIONS];
    uint8_t pam_attr[PCI_PAM_REGIONS];
    int smram_calls;
    uint8_t smram;
    int resets;
    bool reset_hard;
    /* a test function with a memory BAR */
    struct pci_device dev;
    uint32_t bar_base[6];
    int bar_calls;
    uint8_t mem[256];
};

static void irq_rec(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    f->irq[n] = level;
    f->irq_changes++;
}

static void pam_rec(void *opaque, int region, uint8_t attr)
{
    struct fx *f = opaque;
    f->pam_calls++;
    f->pam_region[region]++;
    f->pam_attr[region] = attr;
}

static void smram_rec(void *opaque, uint8_t v)
{
    struct fx *f = opaque;
    f->smram_calls++;
    f->smram = v;
}

static void reset_rec(void *opaque, bool hard)
{
    struct fx *f = opaque;
    f->resets++;
    f->reset_hard = hard;
}

static uint32_t mem_read(void *opaque, uint32_t addr, int size)
{
    struct fx *f = opaque;
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)f->mem[(addr + (uint32_t)i) & 0xff] << (8 * i);
    return v;
}

static void mem_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct fx *f = opaque;
    for (int i = 0; i < size; i++)
        f->mem[(addr + (uint32_t)i) & 0xff] = (uint8_t)(val >> (8 * i));
}

static const struct io_ops mem_ops = {mem_read, mem_write};

static void bar_rec(void *opaque, int n, uint32_t base)
{
    struct fx *f = opaque;
    f->bar_base[n] = base;
    f->bar_calls++;
}

static struct fx *fx_new(void)
{
    struct fx *f = calloc(1, sizeof(*f));
    ck_assert_ptr_nonnull(f);
    f->bus = bus_new(1 << 20);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    struct irq_line lines[16];
    for (int i = 0; i < 16; i++)
        lines[i] = (struct irq_line){irq_rec, f, i};
    ck_assert(pci_init(&f->pci, f->bus, lines,
                       (struct pci_host_ops){f, pam_rec, smram_rec, reset_rec}));
    ck_assert(ide_init(&f->ide, f->bus, &f->clk, &f->pci, PCI_DEVFN(1, 1), lines[14], lines[15],
                       NULL, NULL));
    return f;
}

/* A function at 00:05.0 (or 'devfn') with a 256-byte memory BAR0 and INTA#. */
static void add_test_device(struct fx *f, int devfn)
{
    pci_device_init(&f->dev, 0x1234, 0x5678, 0x01, 0xff0000, 0x00);
    pci_device_set_bar(&f->dev, 0, 256, false, &mem_ops, f);
    f->dev.config[PCI_INTERRUPT_PIN] = 1;
    f->dev.bar_changed = bar_rec;
    f->dev.opaque = f;
    ck_assert(pci_register(&f->pci, &f->dev, devfn));
}

static void fx_free(struct fx *f)
{
    ide_free(&f->ide);
    bus_free(f->bus);
    free(f);
}

static void confadd(struct fx *f, int devfn, uint8_t off)
{
    bus_io_write(f->bus, 0xcf8, 4, 0x80000000u | (uint32_t)devfn << 8 | (off & 0xfcu));
}

static uint32_t cfg_read(struct fx *f, int devfn, uint8_t off, int size)
{
    confadd(f, devfn, off);
    return bus_io_read(f->bus, (uint16_t)(0xcfc + (off & 3)), size);
}

static void cfg_write(struct fx *f, int devfn, uint8_t off, int size, uint32_t v)
{
    confadd(f, devfn, off);
    bus_io_write(f->bus, (uint16_t)(0xcfc + (off & 3)), size, v);
}

START_TEST(test_chipset_ids)
{
    struct fx *f = fx_new();
    /* 82441FX: 8086:1237, host bridge class 06 00 00, single function. */
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x00, 4), 0x12378086u);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x08, 4) >> 8, 0x060000u);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x0e, 1), 0x00);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x04, 2), 0x0006);
    /* PIIX3 function 0: 8086:7000, ISA bridge 06 01 00, multi-function header. */
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 0), 0x00, 4), 0x70008086u);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 0), 0x0a, 2), 0x0601);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 0), 0x0e, 1) & 0x80, 0x80);
    /* PIRQRC A-D reset to 80h (routing disabled). */
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 0), 0x60, 4), 0x80808080u);
    /* PIIX3 function 1: 8086:7010, IDE 01 01 80 (bus master, legacy mode). */
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 1), 0x00, 4), 0x70108086u);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 1), 0x08, 4) >> 8, 0x010180u);
    /* BMIBA reset value 00000001h: an I/O BAR, not yet assigned. */
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 1), 0x20, 4), 0x00000001u);
    fx_free(f);
}
END_TEST

START_TEST(test_access_widths)
{
    struct fx *f = fx_new();
    /* Word and byte accesses to CONFDATA select bytes within the dword. */
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x02, 2), 0x1237);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x01, 1), 0x80);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x03, 1), 0x12);
    /* CONFADD: reserved bits 30:24 and 1:0 read 0. */
    bus_io_write(f->bus, 0xcf8, 4, 0xffffffffu);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xcf8, 4), 0x80fffffcu);
    /* Byte and word accesses to CF8h are not CONFADD. */
    confadd(f, PCI_DEVFN(0, 0), 0x00);
    bus_io_write(f->bus, 0xcf8, 1, 0x00);
    bus_io_write(f->bus, 0xcfa, 2, 0x1234);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xcf8, 4), 0x80000000u);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xcfc, 4), 0x12378086u);
    /* With the enable bit clear, CONFDATA is not a configuration cycle. */
    bus_io_write(f->bus, 0xcf8, 4, 0x00000000u);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xcfc, 4), 0xffffffffu);
    fx_free(f);
}
END_TEST

START_TEST(test_absent_functions)
{
    struct fx *f = fx_new();
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(2, 0), 0x00, 2), 0xffff);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(31, 7), 0x00, 4), 0xffffffffu);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 2), 0x00, 4), 0xffffffffu);
    /* Bus 1 does not exist: every function there is absent. */
    bus_io_write(f->bus, 0xcf8, 4, 0x80010000u);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xcfc, 4), 0xffffffffu);
    /* Writing to an absent function changes nothing anywhere. */
    cfg_write(f, PCI_DEVFN(2, 0), 0x04, 2, 0xffff);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(2, 0), 0x04, 2), 0xffff);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x04, 2), 0x0006);
    fx_free(f);
}
END_TEST

START_TEST(test_bar_sizing)
{
    struct fx *f = fx_new();
    add_test_device(f, PCI_DEVFN(5, 0));
    /* A 16-byte I/O BAR: bits 31:16 stay writable so that ~value + 1 is the
     * size, as BIOSes compute it (see pci_device_set_bar). */
    cfg_write(f, PCI_DEVFN(1, 1), 0x20, 4, 0xffffffffu);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 1), 0x20, 4), 0xfffffff1u);
    ck_assert_uint_eq(~(cfg_read(f, PCI_DEVFN(1, 1), 0x20, 4) & ~3u) + 1, 16);
    /* An unimplemented BAR reads 0 after all-ones. */
    cfg_write(f, PCI_DEVFN(1, 1), 0x10, 4, 0xffffffffu);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 1), 0x10, 4), 0);
    /* A 256-byte 32-bit memory BAR: the size is the two's complement of the mask. */
    cfg_write(f, PCI_DEVFN(5, 0), 0x10, 4, 0xffffffffu);
    uint32_t mask = cfg_read(f, PCI_DEVFN(5, 0), 0x10, 4);
    ck_assert_uint_eq(mask, 0xffffff00u);
    ck_assert_uint_eq(~(mask & ~0xfu) + 1, 256);
    /* Only I/O and bus master enables are writable in the IDE command register. */
    cfg_write(f, PCI_DEVFN(1, 1), 0x04, 2, 0xffff);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 1), 0x04, 2), 0x0005);
    /* Read-only IDs stay. */
    cfg_write(f, PCI_DEVFN(1, 1), 0x00, 4, 0);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 1), 0x00, 4), 0x70108086u);
    fx_free(f);
}
END_TEST

START_TEST(test_bar_decoding)
{
    struct fx *f = fx_new();
    add_test_device(f, PCI_DEVFN(5, 0));
    f->mem[0x10] = 0x5a;
    cfg_write(f, PCI_DEVFN(5, 0), 0x10, 4, 0xe0000000u);
    /* Not decoded until memory space is enabled. */
    ck_assert_uint_eq(f->bar_calls, 0);
    ck_assert_uint_eq(bus_mem_read(f->bus, 0xe0000010u, 1), 0xff);
    cfg_write(f, PCI_DEVFN(5, 0), 0x04, 2, PCI_COMMAND_MEMORY);
    ck_assert_uint_eq(f->bar_calls, 1);
    ck_assert_uint_eq(f->bar_base[0], 0xe0000000u);
    ck_assert_uint_eq(bus_mem_read(f->bus, 0xe0000010u, 1), 0x5a);
    bus_mem_write(f->bus, 0xe00000fcu, 4, 0xdeadbeefu);
    ck_assert_uint_eq(mem_read(f, 0xfc, 4), 0xdeadbeefu);
    /* Move it: the old address goes dead, the new one answers. */
    cfg_write(f, PCI_DEVFN(5, 0), 0x10, 4, 0xe0001000u);
    ck_assert_uint_eq(f->bar_base[0], 0xe0001000u);
    ck_assert_uint_eq(bus_mem_read(f->bus, 0xe0000010u, 1), 0xff);
    ck_assert_uint_eq(bus_mem_read(f->bus, 0xe0001010u, 1), 0x5a);
    /* Back again: the stale window forwards to the BAR once more. */
    cfg_write(f, PCI_DEVFN(5, 0), 0x10, 4, 0xe0000000u);
    ck_assert_uint_eq(bus_mem_read(f->bus, 0xe0000010u, 1), 0x5a);
    /* Disabling memory space unmaps it. */
    cfg_write(f, PCI_DEVFN(5, 0), 0x04, 2, 0);
    ck_assert_uint_eq(f->bar_base[0], PCI_BAR_UNMAPPED);
    ck_assert_uint_eq(bus_mem_read(f->bus, 0xe0000010u, 1), 0xff);
    /* The IDE bus master BAR in I/O space. */
    cfg_write(f, PCI_DEVFN(1, 1), 0x20, 4, 0xc000);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xc004, 4), 0xffffffffu);
    cfg_write(f, PCI_DEVFN(1, 1), 0x04, 2, PCI_COMMAND_IO);
    bus_io_write(f->bus, 0xc004, 4, 0x12345678u);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xc004, 4), 0x12345678u & ~3u);
    cfg_write(f, PCI_DEVFN(1, 1), 0x20, 4, 0xd000);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xc004, 4), 0xffffffffu);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xd004, 4), 0x12345678u & ~3u);
    fx_free(f);
}
END_TEST

START_TEST(test_status_write_one_to_clear)
{
    struct fx *f = fx_new();
    add_test_device(f, PCI_DEVFN(5, 0));
    /* Received master abort (bit 13) and signalled system error (bit 14) set by the device. */
    f->dev.config[PCI_STATUS + 1] |= 0x60;
    cfg_write(f, PCI_DEVFN(5, 0), 0x06, 2, 0x2000);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(5, 0), 0x06, 2), 0x4000);
    cfg_write(f, PCI_DEVFN(5, 0), 0x06, 2, 0x0000);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(5, 0), 0x06, 2), 0x4000);
    /* A command write by dword at 04h writes zero to status: nothing cleared. */
    cfg_write(f, PCI_DEVFN(5, 0), 0x04, 4, 0x00000002u);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(5, 0), 0x04, 4), 0x40000002u);
    fx_free(f);
}
END_TEST

START_TEST(test_pirq_routing)
{
    struct fx *f = fx_new();
    add_test_device(f, PCI_DEVFN(5, 0)); /* INTA# of device 5: PIRQ[(5 + 1 - 2) mod 4] = PIRQA */
    pci_set_irq(&f->dev, true);
    for (int i = 0; i < 16; i++)
        ck_assert(!f->irq[i]); /* PIRQA not routed yet */
    cfg_write(f, PCI_DEVFN(1, 0), 0x60, 1, 0x0b);
    ck_assert(f->irq[11]);
    pci_set_irq(&f->dev, false);
    ck_assert(!f->irq[11]);
    pci_set_irq(&f->dev, true);
    ck_assert(f->irq[11]);
    /* Re-routing while asserted moves the level. */
    cfg_write(f, PCI_DEVFN(1, 0), 0x60, 1, 0x0a);
    ck_assert(!f->irq[11]);
    ck_assert(f->irq[10]);
    /* IRQEN (bit 7) set disables the route. */
    cfg_write(f, PCI_DEVFN(1, 0), 0x60, 1, 0x8a);
    ck_assert(!f->irq[10]);
    /* Reserved IRQ numbers (0-2, 8, 13) connect nothing. */
    cfg_write(f, PCI_DEVFN(1, 0), 0x60, 1, 0x02);
    for (int i = 0; i < 16; i++)
        ck_assert(!f->irq[i]);
    /* PIRQB routing does not catch device 5's INTA#. */
    cfg_write(f, PCI_DEVFN(1, 0), 0x61, 1, 0x05);
    ck_assert(!f->irq[5]);
    /* A device on PIRQB (device 6, INTA#) shares IRQ 5 with PIRQC (device 7). */
    struct pci_device b, c;
    pci_device_init(&b, 0x1234, 0x0001, 0, 0xff0000, 0);
    pci_device_init(&c, 0x1234, 0x0002, 0, 0xff0000, 0);
    b.config[PCI_INTERRUPT_PIN] = 1;
    c.config[PCI_INTERRUPT_PIN] = 1;
    ck_assert(pci_register(&f->pci, &b, PCI_DEVFN(6, 0)));
    ck_assert(pci_register(&f->pci, &c, PCI_DEVFN(7, 0)));
    cfg_write(f, PCI_DEVFN(1, 0), 0x62, 1, 0x05);
    pci_set_irq(&b, true);
    ck_assert(f->irq[5]);
    pci_set_irq(&c, true);
    pci_set_irq(&b, false);
    ck_assert(f->irq[5]); /* wired-OR: C still holds it */
    pci_set_irq(&c, false);
    ck_assert(!f->irq[5]);
    /* The interrupt line register is plain storage for software. */
    cfg_write(f, PCI_DEVFN(5, 0), 0x3c, 1, 0x0b);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(5, 0), 0x3c, 2), 0x010b);
    fx_free(f);
}
END_TEST

START_TEST(test_pam_and_smram)
{
    struct fx *f = fx_new();
    /* PAM0 covers only F0000-FFFFF (bits 5:4); its low nibble is reserved. */
    cfg_write(f, PCI_DEVFN(0, 0), 0x59, 1, 0xff);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x59, 1), 0x30);
    ck_assert_int_eq(f->pam_calls, 1);
    ck_assert_uint_eq(f->pam_attr[0], PCI_PAM_RE | PCI_PAM_WE);
    /* PAM1: C0000-C3FFF in the low nibble, C4000-C7FFF in the high one. */
    cfg_write(f, PCI_DEVFN(0, 0), 0x5a, 1, 0x21);
    ck_assert_int_eq(f->pam_calls, 3);
    ck_assert_uint_eq(f->pam_attr[1], PCI_PAM_RE);
    ck_assert_uint_eq(f->pam_attr[2], PCI_PAM_WE);
    uint32_t base, size;
    pci_pam_region(2, &base, &size);
    ck_assert_uint_eq(base, 0xc4000);
    ck_assert_uint_eq(size, 0x4000);
    pci_pam_region(12, &base, &size);
    ck_assert_uint_eq(base, 0xec000);
    /* PAM6 high nibble: EC000-EFFFF. A write that changes nothing reports nothing. */
    cfg_write(f, PCI_DEVFN(0, 0), 0x5f, 1, 0x30);
    ck_assert_int_eq(f->pam_region[12], 1);
    ck_assert_uint_eq(pci_pam_attr(&f->pci, 12), 3);
    cfg_write(f, PCI_DEVFN(0, 0), 0x5f, 1, 0x30);
    ck_assert_int_eq(f->pam_region[12], 1);
    /* SMRAM: C_BASE_SEG reads 010b; D_LCK clears D_OPEN and freezes the lock bits. */
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x72, 1), 0x02);
    cfg_write(f, PCI_DEVFN(0, 0), 0x72, 1, 0x4f);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x72, 1), 0x4a);
    ck_assert_int_eq(f->smram_calls, 1);
    cfg_write(f, PCI_DEVFN(0, 0), 0x72, 1, 0x58);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x72, 1), 0x1a);
    cfg_write(f, PCI_DEVFN(0, 0), 0x72, 1, 0x40);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x72, 1), 0x1a);
    cfg_write(f, PCI_DEVFN(0, 0), 0x72, 1, 0x20);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x72, 1), 0x3a);
    ck_assert_uint_eq(f->smram, 0x3a);
    /* PCIRST#: PAM back to 0 (reported), SMRAM unlocked. */
    pci_reset(&f->pci);
    ck_assert_uint_eq(f->pam_attr[0], 0);
    ck_assert_uint_eq(f->pam_attr[12], 0);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x72, 1), 0x02);
    ck_assert_uint_eq(f->smram, 0x02);
    fx_free(f);
}
END_TEST

START_TEST(test_reset_control)
{
    struct fx *f = fx_new();
    /* CF9h bit 2 (RCPU) 0 -> 1 resets; bit 1 (SRST) picks a hard reset. */
    bus_io_write(f->bus, 0xcf9, 1, 0x02);
    ck_assert_int_eq(f->resets, 0);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xcf9, 1), 0x02);
    bus_io_write(f->bus, 0xcf9, 1, 0x06);
    ck_assert_int_eq(f->resets, 1);
    ck_assert(f->reset_hard);
    bus_io_write(f->bus, 0xcf9, 1, 0x04);
    ck_assert_int_eq(f->resets, 2);
    ck_assert(!f->reset_hard);
    /* CONFADD is untouched by CF9h byte writes. */
    confadd(f, PCI_DEVFN(1, 0), 0x08);
    bus_io_write(f->bus, 0xcf9, 1, 0x00);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xcf8, 4), 0x80000808u);
    fx_free(f);
}
END_TEST

START_TEST(test_reset_unmaps_bars)
{
    struct fx *f = fx_new();
    add_test_device(f, PCI_DEVFN(5, 0));
    cfg_write(f, PCI_DEVFN(5, 0), 0x10, 4, 0xe0000000u);
    cfg_write(f, PCI_DEVFN(5, 0), 0x04, 2, PCI_COMMAND_MEMORY);
    cfg_write(f, PCI_DEVFN(1, 0), 0x60, 1, 0x0b);
    pci_set_irq(&f->dev, true);
    ck_assert(f->irq[11]);
    pci_reset(&f->pci);
    ck_assert_uint_eq(bus_io_read(f->bus, 0xcf8, 4), 0);
    ck_assert_uint_eq(f->bar_base[0], PCI_BAR_UNMAPPED);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(5, 0), 0x10, 4), 0);
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(1, 0), 0x60, 1), 0x80);
    ck_assert(!f->irq[11]); /* routing is off again */
    fx_free(f);
}
END_TEST

/* Machine snapshots: a second, freshly built bus given the first one's
 * state decodes the BAR where the guest put it, knows the routed INTA#
 * level, and reports the PAM setting to its machine; a state of a bus with
 * other functions is refused. */
START_TEST(test_state_round_trip)
{
    struct fx *a = fx_new();
    add_test_device(a, PCI_DEVFN(5, 0));
    a->mem[0x20] = 0x77;
    cfg_write(a, PCI_DEVFN(5, 0), 0x10, 4, 0xe0000000u);
    cfg_write(a, PCI_DEVFN(5, 0), 0x04, 2, PCI_COMMAND_MEMORY);
    cfg_write(a, PCI_DEVFN(1, 0), 0x60, 1, 0x0b); /* PIRQA -> IRQ 11 */
    pci_set_irq(&a->dev, true);
    cfg_write(a, PCI_DEVFN(0, 0), 0x5a, 1, 0x33); /* PAM1: C0000-C7FFF read/write DRAM */
    size_t n = pci_state_size(&a->pci);
    uint8_t *st = malloc(n);
    ck_assert_ptr_nonnull(st);
    pci_state_save(&a->pci, st);

    struct fx *b = fx_new();
    ck_assert(!pci_state_check(&b->pci, st, n)); /* no function at 00:05.0 yet */
    add_test_device(b, PCI_DEVFN(5, 0));
    b->mem[0x20] = 0x77;
    ck_assert(pci_state_check(&b->pci, st, n));
    ck_assert(!pci_state_check(&b->pci, st, n - 1));
    ck_assert_uint_eq(bus_mem_read(b->bus, 0xe0000020u, 1), 0xff);
    pci_state_load(&b->pci, st);
    ck_assert_uint_eq(b->bar_base[0], 0xe0000000u);
    ck_assert_uint_eq(bus_mem_read(b->bus, 0xe0000020u, 1), 0x77);
    ck_assert_uint_eq(cfg_read(b, PCI_DEVFN(5, 0), 0x10, 4), 0xe0000000u);
    /* The interrupt controller comes back from its own section with its
     * inputs as they were: the bus takes IRQ 11 as driven high already
     * (no new edge), and lowers it when INTA# goes away. */
    ck_assert_int_eq(b->irq_changes, 0);
    pci_set_irq(&b->dev, false);
    ck_assert_int_eq(b->irq_changes, 1);
    ck_assert(!b->irq[11]);
    ck_assert_uint_eq(b->pam_attr[1], PCI_PAM_RE | PCI_PAM_WE);
    ck_assert_uint_eq(b->pam_attr[2], PCI_PAM_RE | PCI_PAM_WE);
    free(st);
    fx_free(a);
    fx_free(b);
}
END_TEST

START_TEST(test_hostile_config_cycles)
{
    struct fx *f = fx_new();
    add_test_device(f, PCI_DEVFN(5, 0));
    uint32_t x = 12345;
    for (int i = 0; i < 200000; i++) {
        x = x * 1103515245u + 12345u;
        uint32_t v = x ^ (x >> 13);
        int size = 1 << ((v & 3) % 3);
        uint16_t port = (uint16_t)(0xcf8 + ((v >> 4) & 7));
        if (v & 0x100)
            bus_io_write(f->bus, 0xcf8, 4, 0x80000000u | ((v >> 9) & 0x00ffff00u) | (v & 0xfc));
        if (v & 0x200)
            bus_io_write(f->bus, port, size, x);
        else
            (void)bus_io_read(f->bus, port, size);
        if ((v & 0xf000) == 0)
            (void)bus_mem_read(f->bus, x, 4);
    }
    /* The host bridge's IDs survive anything. */
    ck_assert_uint_eq(cfg_read(f, PCI_DEVFN(0, 0), 0x00, 4), 0x12378086u);
    fx_free(f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_pci");
    TCase *tc = tcase_create("pci");
    tcase_add_test(tc, test_chipset_ids);
    tcase_add_test(tc, test_access_widths);
    tcase_add_test(tc, test_absent_functions);
    tcase_add_test(tc, test_bar_sizing);
    tcase_add_test(tc, test_bar_decoding);
    tcase_add_test(tc, test_status_write_one_to_clear);
    tcase_add_test(tc, test_pirq_routing);
    tcase_add_test(tc, test_pam_and_smram);
    tcase_add_test(tc, test_reset_control);
    tcase_add_test(tc, test_reset_unmaps_bars);
    tcase_add_test(tc, test_state_round_trip);
    tcase_add_test(tc, test_hostile_config_cycles);
    suite_add_tcase(s, tc);
    return check_run(s);
}
