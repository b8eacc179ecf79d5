/* SPDX-License-Identifier: MIT */
/*
 * PC assembly (see pc.h): RAM, the BIOS ROM at the top of the first
 * megabyte and below 4 GiB (as real chipsets alias it), the 8259A pair,
 * the 8254, the MC146818 with the CMOS memory sizes a BIOS reads, the
 * 16550A UARTs at the standard COM ports, the 8042 with a PS/2 keyboard
 * and mouse, ports 92h/80h/E9h and isa-debug-exit, and the PIIX4's ACPI
 * power-management block (a soft off ends the machine with status 0). A20
 * is the OR of the 8042 output port and port 92h, as chipsets combine them.
 * The ROM and shadow RAM are pc_rom.c's, PCI and the VGA pc_pci.c's, the
 * DMA, floppy and IDE pc_storage.c's.
 * Spec: IBM PC AT Technical Reference (ports, IRQs, CMOS layout).
 */
#include "devices/pc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CMOS bytes a BIOS and OS read for memory sizes (AT layout, plus the
 * 0x34/0x35 and 0x5b-0x5d extensions QEMU-era BIOSes use). */
static void cmos_memory(struct rtc *r, uint32_t ram_size)
{
    uint32_t base_kb = 640;
    uint32_t ext_kb = ram_size > 0x100000 ? (ram_size - 0x100000) >> 10 : 0;
    if (ext_kb > 0xffff)
        ext_kb = 0xffff;
    rtc_cmos_set(r, 0x15, (uint8_t)base_kb);
    rtc_cmos_set(r, 0x16, (uint8_t)(base_kb >> 8));
    rtc_cmos_set(r, 0x17, (uint8_t)ext_kb);
    rtc_cmos_set(r, 0x18, (uint8_t)(ext_kb >> 8));
    rtc_cmos_set(r, 0x30, (uint8_t)ext_kb);
    rtc_cmos_set(r, 0x31, (uint8_t)(ext_kb >> 8));
    uint32_t above16 = ram_size > 0x1000000 ? (ram_size - 0x1000000) >> 16 : 0; /* 64 KiB units */
    if (above16 > 0xffff)
        above16 = 0xffff;
    rtc_cmos_set(r, 0x34, (uint8_t)above16);
    rtc_cmos_set(r, 0x35, (uint8_t)(above16 >> 8));
    rtc_cmos_set(r, 0x14, 0x06); /* equipment: display adapter EGA/VGA, math coprocessor */
    rtc_cmos_checksum(r);
}

static void update_a20(struct pc *pc)
{
    if (pc->host.set_a20)
        pc->host.set_a20(pc->host.opaque, pc->a20_kbc || pc->a20_port92);
}

static void kbc_a20(void *opaque, bool on)
{
    struct pc *pc = opaque;
    pc->a20_kbc = on;
    update_a20(pc);
}

static void port92_a20(void *opaque, bool on)
{
    struct pc *pc = opaque;
    pc->a20_port92 = on;
    update_a20(pc);
}

static void guest_reset(void *opaque)
{
    struct pc *pc = opaque;
    if (pc->host.reset)
        pc->host.reset(pc->host.opaque);
}

static void guest_exit(void *opaque, uint32_t status)
{
    struct pc *pc = opaque;
    if (pc->host.exit)
        pc->host.exit(pc->host.opaque, (int)(status & 0xff));
}

static void guest_power_off(void *opaque)
{
    struct pc *pc = opaque;
    if (pc->host.exit)
        pc->host.exit(pc->host.opaque, 0);
}

static void guest_debugcon(void *opaque, uint8_t byte)
{
    struct pc *pc = opaque;
    pc->host.debugcon(pc->host.opaque, byte);
}

static bool init_input(struct pc *pc)
{
    const struct kbc_host kh = {kbc_a20, guest_reset, pc};
    if (!kbc_init(&pc->kbc, pc->bus, &pc->clock, pic_irq(&pc->pic, 1), pic_irq(&pc->pic, 12), &kh))
        return false;
    ps2kbd_init(&pc->kbd, &pc->clock, kbc_ready_line(&pc->kbc, KBC_PORT_KBD));
    kbc_attach(&pc->kbc, KBC_PORT_KBD, (struct kbc_device){ps2kbd_write, ps2kbd_read, &pc->kbd});
    ps2mouse_init(&pc->mouse, &pc->clock, kbc_ready_line(&pc->kbc, KBC_PORT_AUX));
    kbc_attach(&pc->kbc, KBC_PORT_AUX,
               (struct kbc_device){ps2mouse_write, ps2mouse_read, &pc->mouse});
    return true;
}

static bool init_sysports(struct pc *pc, const struct pc_config *cfg)
{
    struct sysports_config sc = {
        .set_a20 = port92_a20,
        .reset = guest_reset,
        .debugcon = cfg->host.debugcon ? guest_debugcon : NULL,
        .debug_exit = cfg->debug_exit ? guest_exit : NULL,
        .opaque = pc,
        .debug_exit_base = cfg->debug_exit_base,
        .debug_exit_size = cfg->debug_exit_size,
    };
    return sysports_init(&pc->ports, pc->bus, &sc);
}

static const uint16_t com_base[4] = {UART_COM1_BASE, UART_COM2_BASE, UART_COM3_BASE,
                                     UART_COM4_BASE};
static const int com_irq[4] = {UART_COM1_IRQ, UART_COM2_IRQ, UART_COM3_IRQ, UART_COM4_IRQ};

struct pc *pc_new(const struct pc_config *cfg, char *err, size_t errlen)
{
    struct pc *pc = calloc(1, sizeof(*pc));
    if (!pc) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pc->host = cfg->host;
    pc->ram_size = cfg->ram_size;
    pc->bus = bus_new(cfg->ram_size);
    if (!pc->bus) {
        snprintf(err, errlen, "cannot allocate %u MiB of guest memory", cfg->ram_size >> 20);
        free(pc);
        return NULL;
    }
    clock_init(&pc->clock);
    struct irq_line no_line = {0};
    const struct acpi_pm_host pm_host = {guest_power_off, pc};
    bool ok = pc_init_rom(pc, cfg, err, errlen);
    if (ok)
        ok = pic_init(&pc->pic, pc->bus, &pc->clock, no_line) &&
             pit_init(&pc->pit, pc->bus, &pc->clock, pic_irq(&pc->pic, 0)) &&
             rtc_init(&pc->rtc, pc->bus, &pc->clock, pic_irq(&pc->pic, 8), cfg->rtc_epoch) &&
             acpi_pm_init(&pc->acpi_pm, pc->bus, &pc->clock, pic_irq(&pc->pic, ACPI_PM_SCI_IRQ),
                          &pm_host);
    pc->com_irq[0].out = pic_irq(&pc->pic, com_irq[0]);
    pc->com_irq[1].out = pic_irq(&pc->pic, com_irq[1]);
    for (int i = 0; ok && i < cfg->n_serial && i < 4; i++) {
        /* COM1/COM3 share IRQ4 and COM2/COM4 IRQ3 through a wired-OR. */
        struct irq_line line = irq_or_input(&pc->com_irq[i & 1], i >> 1);
        ok = uart_init(&pc->uart[i], pc->bus, &pc->clock, com_base[i], line, cfg->serial[i]);
        pc->n_uart = i + 1;
    }
    ok = ok && init_input(pc) && init_sysports(pc, cfg) && pc_init_pci(pc, cfg) &&
         pc_init_storage(pc, cfg, err, errlen);
    pc->a20_kbc = true; /* the 8042 output port powers up with A20 enabled */
    if (!ok) {
        if (!err[0])
            snprintf(err, errlen, "cannot set up the PC devices");
        pc_free(pc);
        return NULL;
    }
    cmos_memory(&pc->rtc, cfg->ram_size);
    return pc;
}

void pc_reset(struct pc *pc)
{
    pci_reset(&pc->pci); /* PAM: the BIOS ROM is visible again; BARs stop decoding */
    if (pc->vga_rom_base) {
        bus_unmap_mmio(pc->bus, pc->vga_rom_base);
        pc->vga_rom_base = 0;
    }
    ide_reset(&pc->ide);
    vga_reset(&pc->vga);
    acpi_pm_reset(&pc->acpi_pm);
    pc->a20_kbc = true;
    pc->a20_port92 = false;
    update_a20(pc);
}

void pc_free(struct pc *pc)
{
    if (!pc)
        return;
    ide_free(&pc->ide);
    vga_free(&pc->vga);
    bus_free(pc->bus);
    free(pc->vga_rom);
    free(pc->rom);
    free(pc);
}

bool pc_intr_pending(struct pc *pc)
{
    return pic_intr_pending(&pc->pic);
}

uint8_t pc_intr_acknowledge(struct pc *pc)
{
    return pic_acknowledge(&pc->pic);
}
