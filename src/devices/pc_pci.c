/* SPDX-License-Identifier: MIT */
/*
 * The PC's PCI side: bus 0 with the 82441FX host bridge and PIIX3 ISA
 * bridge (pci.c), and the VGA as function 00:02.0 with the IDs of the
 * Bochs/QEMU standard VGA (1234:1111, which VGA BIOSes for DISPI look for)
 * and its linear framebuffer behind BAR0. CF9h resets reach the machine.
 * Spec: PCI Local Bus 2.1 (header type 0, BARs).
 */
#include "devices/pc.h"

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

bool pc_init_pci(struct pc *pc)
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
    return pci_register(&pc->pci, d, VGA_DEVFN);
}
