/* SPDX-License-Identifier: MIT */
/*
 * The PC's storage: the 8237A DMA pair, the 82077AA floppy controller on
 * IRQ 6 / DMA 2, the PIIX3 IDE function with its bus-master DMA, the disks
 * and CD-ROM the user gave, and the CMOS bytes a BIOS reads about them
 * (floppy types, hard-disk types, equipment) and the boot order.
 * Spec: IBM PC AT Technical Reference (CMOS 10h-14h, 19h/1Ah), the
 * Bochs/QEMU CMOS boot-order bytes 3Dh/38h (1 floppy, 2 disk, 3 CD).
 */
#include <string.h>

#include "devices/pc.h"

/* Guest physical RAM for DMA: both controllers move data only to and from RAM. */
static bool ram_span(struct pc *pc, uint32_t addr, size_t len)
{
    return addr < pc->ram_size && len <= pc->ram_size - addr;
}

static void isa_dma_mem(void *opaque, uint32_t addr, void *buf, size_t len, bool to_memory)
{
    struct pc *pc = opaque;
    uint8_t *ram = bus_ram(pc->bus);
    if (!ram_span(pc, addr, len)) {
        if (!to_memory)
            memset(buf, 0xff, len); /* reads of unbacked memory float high */
        return;
    }
    if (to_memory) {
        memcpy(ram + addr, buf, len);
        bus_ram_written(pc->bus, addr, (uint32_t)len);
    } else
        memcpy(buf, ram + addr, len);
}

static bool ide_dma_mem(void *opaque, uint32_t addr, void *buf, uint32_t len, bool to_guest)
{
    struct pc *pc = opaque;
    uint8_t *ram = bus_ram(pc->bus);
    if (!ram_span(pc, addr, len))
        return false; /* the controller reports a master abort */
    if (to_guest) {
        memcpy(ram + addr, buf, len);
        bus_ram_written(pc->bus, addr, len);
    } else
        memcpy(buf, ram + addr, len);
    return true;
}

static uint8_t boot_code(char c)
{
    return c == 'a' ? 1 : c == 'c' ? 2 : c == 'd' ? 3 : 0;
}

static void cmos_storage(struct pc *pc, const struct pc_config *cfg)
{
    struct rtc *r = &pc->rtc;
    int fa = fdc_cmos_type(&pc->fdc, 0), fb = fdc_cmos_type(&pc->fdc, 1);
    rtc_cmos_set(r, 0x10, (uint8_t)(fa << 4 | fb));
    /* Hard disks: type 15 in 12h means "see 19h/1Ah", where 47 is the user-defined type. */
    uint8_t hd = (cfg->hd[0] ? 0xf0 : 0) | (cfg->hd[1] ? 0x0f : 0);
    rtc_cmos_set(r, 0x12, hd);
    rtc_cmos_set(r, 0x19, cfg->hd[0] ? 47 : 0);
    rtc_cmos_set(r, 0x1a, cfg->hd[1] ? 47 : 0);
    int floppies = (fa != 0) + (fb != 0);
    uint8_t equip = 0x02 /* coprocessor */ | 0x00 /* EGA/VGA display */;
    if (floppies)
        equip |= 0x01 | (uint8_t)((floppies - 1) << 6);
    rtc_cmos_set(r, 0x14, equip);
    const char *order = cfg->boot_order ? cfg->boot_order : "cad";
    uint8_t b1 = boot_code(order[0]), b2 = order[0] ? boot_code(order[1]) : 0;
    uint8_t b3 = order[0] && order[1] ? boot_code(order[2]) : 0;
    rtc_cmos_set(r, 0x3d, (uint8_t)(b2 << 4 | b1));
    rtc_cmos_set(r, 0x38, (uint8_t)(b3 << 4));
    rtc_cmos_checksum(r);
}

bool pc_init_storage(struct pc *pc, const struct pc_config *cfg, char *err, size_t errlen)
{
    if (!dma_init(&pc->dma, pc->bus, isa_dma_mem, pc) ||
        !fdc_init(&pc->fdc, pc->bus, &pc->clock, pic_irq(&pc->pic, 6), &pc->dma))
        return false;
    for (int i = 0; i < 2; i++)
        if (cfg->fd[i] && !fdc_insert(&pc->fdc, i, cfg->fd[i], err, errlen))
            return false;
    if (!cfg->fd[0])
        fdc_connect(&pc->fdc, 0, 4); /* PCs have a 1.44 MB drive A, empty here */
    if (!ide_init(&pc->ide, pc->bus, &pc->clock, &pc->pci, PCI_DEVFN(1, 1), pic_irq(&pc->pic, 14),
                  pic_irq(&pc->pic, 15), ide_dma_mem, pc))
        return false;
    for (int i = 0; i < 4; i++)
        if (cfg->hd[i] && !ide_attach_disk(&pc->ide, i / 2, i % 2, cfg->hd[i]))
            return false;
    if (cfg->cdrom_present) {
        int slot = cfg->hd[2] ? 3 : 2; /* the secondary master, as QEMU's -cdrom */
        if (cfg->hd[slot] || !ide_attach_cdrom(&pc->ide, slot / 2, slot % 2, cfg->cdrom))
            return false;
    }
    cmos_storage(pc, cfg);
    return true;
}
