/* SPDX-License-Identifier: MIT */
/*
 * The PC's PCI side: bus 0 with the 82441FX host bridge and PIIX3 ISA
 * bridge (pci.c), and the VGA as function 00:02.0 with the IDs of the
 * Bochs/QEMU standard VGA (1234:1111, which VGA BIOSes for DISPI look for)
 * and its linear framebuffer behind BAR0, plus an optional VGA BIOS behind
 * its expansion-ROM BAR (how SeaBIOS finds vgabios-stdvga.bin). CF9h resets
 * reach the machine.
 * Spec: PCI Local Bus 2.1 (header type 0, BARs, expansion ROM base 30h).
 */
#include <stdlib.h>
#include <string.h>

#include "common/bits.h"
#include "devices/pc.h"

enum { PCI_ROM_BAR = 0x30 };

enum { VGA_DEVFN = PCI_DEVFN(2, 0) };

static void cf9_reset(void *opaque, bool hard)
{
    (void)hard;
    struct pc *pc = opaque;
    if (pc->host.reset)
        pc->host.reset(pc->host.opaque);
}

/* The bus cannot unmap a region: the LFB is mapped at the first address the
 * guest gives BAR0 and stays there (BIOSes and OSes assign it once). */
static void vga_bar_changed(void *opaque, int n, uint32_t base)
{
    struct pc *pc = opaque;
    if (n != 0 || base == PCI_BAR_UNMAPPED || !base || pc->vga_lfb_mapped)
        return;
    pc->vga_lfb_mapped = vga_map_lfb(&pc->vga, pc->bus, base);
}

static uint32_t rom_bar_read(void *opaque, uint32_t addr, int size)
{
    const struct pc *pc = opaque;
    return pc_rom_bytes(pc->vga_rom, pc->vga_rom_size, addr, size);
}

static const struct io_ops rom_bar_ops = {rom_bar_read, pc_rom_write_ignored};

/* Decode the ROM BAR when it is enabled, assigned and memory decoding is on. */
static void vga_config_written(void *opaque, uint8_t off, int size, uint32_t old)
{
    (void)off;
    (void)size;
    (void)old;
    struct pc *pc = opaque;
    if (!pc->vga_rom)
        return;
    const uint8_t *cfg = pc->vga_pci.config;
    uint32_t bar = load_le32(cfg + PCI_ROM_BAR);
    uint32_t base = bar & ~(pc->vga_rom_size - 1);
    bool on = (bar & 1) && base && (load_le16(cfg + PCI_COMMAND) & PCI_COMMAND_MEMORY);
    uint32_t want = on ? base : 0;
    if (want == pc->vga_rom_base)
        return;
    if (pc->vga_rom_base)
        bus_unmap_mmio(pc->bus, pc->vga_rom_base);
    pc->vga_rom_base = 0;
    if (want && bus_map_mmio(pc->bus, want, pc->vga_rom_size, &rom_bar_ops, pc))
        pc->vga_rom_base = want;
}

static bool set_vga_rom(struct pc *pc, const uint8_t *rom, size_t size)
{
    if (!rom || !size)
        return true;
    uint32_t span = 2048;
    while (span < size && span < (1u << 24))
        span <<= 1;
    if (size > span)
        return false;
    pc->vga_rom = calloc(1, span);
    if (!pc->vga_rom)
        return false;
    memcpy(pc->vga_rom, rom, size);
    pc->vga_rom_size = span;
    store_le32(pc->vga_pci.wmask + PCI_ROM_BAR, ~(span - 1) | 1u);
    pc->vga_pci.config_written = vga_config_written;
    return true;
}

bool pc_init_pci(struct pc *pc, const struct pc_config *cfg)
{
    struct irq_line isa[16];
    for (int i = 0; i < 16; i++)
        isa[i] = pic_irq(&pc->pic, i);
    struct pci_host_ops ops = {.opaque = pc, .reset = cf9_reset};
    if (!pci_init(&pc->pci, pc->bus, isa, ops))
        return false;
    if (!vga_init(&pc->vga, pc->bus, &pc->clock, VGA_VRAM_DEFAULT, 0))
        return false;
    struct pci_device *d = &pc->vga_pci;
    pci_device_init(d, 0x1234, 0x1111, 0x02, 0x030000, 0);
    pci_device_set_bar(d, 0, VGA_VRAM_DEFAULT, false, NULL, pc);
    d->bar_changed = vga_bar_changed;
    d->opaque = pc;
    return set_vga_rom(pc, cfg->vga_rom, cfg->vga_rom_size) && pci_register(&pc->pci, d, VGA_DEVFN);
}
