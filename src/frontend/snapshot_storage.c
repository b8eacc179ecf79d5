/* SPDX-License-Identifier: MIT */
/*
 * The storage sections of a snapshot (see snapshot_state.h): the 8237A
 * pair, the floppy controller, the IDE controller with its drives' staged
 * data, the PCI functions' configuration, and the in-memory write overlays
 * of -snapshot disks. Devices are saved as images like the others
 * (snapshot_state.c); pointers to this process's blockdevs, buffers,
 * callbacks and timer links stay from the live machine, which must have
 * the same drives and media (same -fda, -hda, -cdrom; checked). Must not
 * touch the CPU, RAM or the devices in snapshot_state.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bits.h"
#include "frontend/snapshot_state.h"

/* ---- 8237A DMA ---- */

static const struct keep dma_keep[] = {
    {offsetof(struct dma, mem), offsetof(struct dma, ready_before) - offsetof(struct dma, mem)}};

/* A bool holding anything but 0 or 1 did not come from Kiln. */
static bool bools_ok(const uint8_t *base, const size_t *offs, int n)
{
    for (int i = 0; i < n; i++)
        if (base[offs[i]] > 1) return false;
    return true;
}

static size_t dma_size(const struct pc *pc)
{
    (void)pc;
    return sizeof(struct dma);
}

static void dma_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)c;
    memcpy(out, &pc->dma, sizeof(pc->dma));
}

static bool dma_check(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen)
{
    (void)pc;
    (void)len;
    size_t offs[2 + DMA_CHANNELS];
    for (int i = 0; i < 2; i++)
        offs[i] = offsetof(struct dma, ctrl) + (size_t)i * sizeof(struct dma_ctrl) +
                  offsetof(struct dma_ctrl, flip_flop);
    for (int i = 0; i < DMA_CHANNELS; i++)
        offs[2 + i] = offsetof(struct dma, ready_before) + (size_t)i;
    if (bools_ok(in, offs, 2 + DMA_CHANNELS)) return true;
    snprintf(why, whylen, "impossible DMA state");
    return false;
}

static void dma_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)c;
    (void)len;
    snap_restore_keeping(&pc->dma, in, sizeof(pc->dma), dma_keep, (int)KILN_ARRAY_SIZE(dma_keep));
}

/* ---- 82077AA floppy controller ---- */

/* Each drive's connection and medium (connected .. fmt) stay: they are this
 * process's -fda/-fdb; the head position and disk-change latch travel. */
#define FDC_DRIVE_KEEP(i)                                                                          \
    {                                                                                              \
        offsetof(struct fdc, drive[i].connected),                                                  \
            offsetof(struct fdc, drive[i].track) - offsetof(struct fdc, drive[i].connected)        \
    }
static const struct keep fdc_keep[] = {
    {0, offsetof(struct fdc, irq) + sizeof(struct irq_line)}, /* clock, dma, irq */
    FDC_DRIVE_KEEP(0),
    FDC_DRIVE_KEEP(1),
    KEEP(struct fdc, timer),
    KEEP(struct fdc, seek_timer),
};

static size_t fdc_size(const struct pc *pc)
{
    (void)pc;
    return sizeof(struct fdc);
}

static void fdc_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)c;
    memcpy(out, &pc->fdc, sizeof(pc->fdc));
}

static bool fdc_check(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen)
{
    (void)len;
    for (int i = 0; i < FDC_DRIVES; i++) {
        void *bd;
        memcpy(&bd, in + offsetof(struct fdc, drive[i].bd), sizeof(bd));
        if ((bd != NULL) != (pc->fdc.drive[i].bd != NULL)) {
            snprintf(why, whylen, "a machine %s a diskette in drive %c: (use the same -fd%c)",
                     bd ? "with" : "without", 'A' + i, 'a' + i);
            return false;
        }
    }
    size_t offs[] = {offsetof(struct fdc, irq_level),
                     offsetof(struct fdc, int_pending),
                     offsetof(struct fdc, in_reset),
                     offsetof(struct fdc, res_irq),
                     offsetof(struct fdc, lock),
                     offsetof(struct fdc, x.write),
                     offsetof(struct fdc, x.tc),
                     offsetof(struct fdc, drive[0].changed),
                     offsetof(struct fdc, drive[1].changed)};
    struct fdc *t = malloc(sizeof(*t));
    if (!t) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    memcpy(t, &pc->fdc, sizeof(*t));
    snap_restore_keeping(t, in, sizeof(*t), fdc_keep, (int)KILN_ARRAY_SIZE(fdc_keep));
    bool ok = bools_ok(in, offs, (int)KILN_ARRAY_SIZE(offs)) && fdc_state_valid(t);
    free(t);
    if (!ok) snprintf(why, whylen, "impossible floppy controller state");
    return ok;
}

static void fdc_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)c;
    (void)len;
    snap_restore_keeping(&pc->fdc, in, sizeof(pc->fdc), fdc_keep, (int)KILN_ARRAY_SIZE(fdc_keep));
}

/* ---- IDE: the controller image, then each staging buffer that exists ---- */

#define IDE_DRIVE_KEEP(c, u)                                                                       \
    KEEP(struct ide, ch[c].drive[u].ch), KEEP(struct ide, ch[c].drive[u].bd),                      \
        KEEP(struct ide, ch[c].drive[u].timer), KEEP(struct ide, ch[c].drive[u].buf)
#define IDE_CHANNEL_KEEP(c)                                                                        \
    KEEP(struct ide, ch[c].ide), IDE_DRIVE_KEEP(c, 0), IDE_DRIVE_KEEP(c, 1),                       \
        KEEP(struct ide, ch[c].irq)
/* The PCI function's config space travels in the PCI section. */
static const struct keep ide_keep[] = {
    KEEP(struct ide, pci),   IDE_CHANNEL_KEEP(0),   IDE_CHANNEL_KEEP(1),
    KEEP(struct ide, clock), KEEP(struct ide, dma), KEEP(struct ide, dma_opaque),
};

#define IDE_STAGE (IDE_BUF_SIZE + 4u) /* bytes of a drive's staging buffer */

static const struct ide_drive *ide_drive_at(const struct ide *ide, int i)
{
    return &ide->ch[i / 2].drive[i % 2];
}

static size_t ide_size(const struct pc *pc)
{
    size_t n = sizeof(struct ide);
    for (int i = 0; i < 4; i++)
        n += ide_drive_at(&pc->ide, i)->buf ? IDE_STAGE : 0;
    return n;
}

static void ide_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)c;
    memcpy(out, &pc->ide, sizeof(pc->ide));
    out += sizeof(pc->ide);
    for (int i = 0; i < 4; i++) {
        const struct ide_drive *d = ide_drive_at(&pc->ide, i);
        if (!d->buf) continue;
        memcpy(out, d->buf, IDE_STAGE);
        out += IDE_STAGE;
    }
}

static bool ide_check(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen)
{
    (void)len;
    struct ide *t = malloc(sizeof(*t));
    if (!t) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    memcpy(t, in, sizeof(*t));
    const char *bad = NULL;
    for (int i = 0; i < 4 && !bad; i++) {
        const struct ide_drive *s = ide_drive_at(t, i), *l = ide_drive_at(&pc->ide, i);
        if (s->kind != l->kind || (s->bd != NULL) != (l->bd != NULL) || s->sectors != l->sectors) {
            snprintf(why, whylen,
                     "a machine with other IDE drives or media (use the same -hda..-hdd, -cdrom)");
            free(t);
            return false;
        }
        if ((unsigned)s->phase > IDE_PH_DMA || (unsigned)s->event > IDE_EV_RESET ||
            s->end > IDE_STAGE || s->pos > s->end || s->buf_len > IDE_BUF_SIZE ||
            s->buf_pos > s->buf_len || s->mdma_mode > 7 || s->udma_mode > 7)
            bad = "drive";
    }
    for (int c = 0; c < 2 && !bad; c++)
        if (t->ch[c].cur > 1) bad = "channel";
    free(t);
    if (bad) snprintf(why, whylen, "impossible IDE %s state", bad);
    return !bad;
}

static void ide_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)c;
    (void)len;
    snap_restore_keeping(&pc->ide, in, sizeof(pc->ide), ide_keep, (int)KILN_ARRAY_SIZE(ide_keep));
    in += sizeof(pc->ide);
    for (int i = 0; i < 4; i++) {
        struct ide_drive *d = &pc->ide.ch[i / 2].drive[i % 2];
        if (!d->buf) continue;
        memcpy(d->buf, in, IDE_STAGE);
        in += IDE_STAGE;
    }
}

/* ---- PCI configuration ---- */

static size_t pci_size(const struct pc *pc)
{
    return pci_state_size(&pc->pci);
}

static void pci_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)c;
    pci_state_save(&pc->pci, out);
}

static bool pci_check(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen)
{
    if (pci_state_check(&pc->pci, in, len)) return true;
    snprintf(why, whylen, "other PCI functions than this machine's");
    return false;
}

static void pci_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)c;
    (void)len;
    pci_state_load(&pc->pci, in);
    /* The VGA's expansion-ROM BAR is decoded by its config hook, which
     * reads the whole config space and so may run again at any time. */
    if (pc->vga_pci.config_written) pc->vga_pci.config_written(pc->vga_pci.opaque, 0, 4, 0);
}

/* ---- disk overlays: per drive slot (floppy A, B, IDE 0-3): u8 present,
 * u8 overlay, u64 image size, u64 record count, the records ---- */

#define DISK_SLOTS 6
#define DISK_HEAD  18u

static struct blockdev *disk_at(const struct pc *pc, int i)
{
    return i < FDC_DRIVES ? pc->fdc.drive[i].bd : ide_drive_at(&pc->ide, i - FDC_DRIVES)->bd;
}

static size_t disk_size(const struct pc *pc)
{
    size_t n = 0;
    for (int i = 0; i < DISK_SLOTS; i++) {
        const struct blockdev *b = disk_at(pc, i);
        n += DISK_HEAD;
        /* Room for a whole overlay even on a drive without one here, so
         * that disk_check() can say what is wrong with such a file. */
        if (b) n += (size_t)((blockdev_size(b) + 4095) / 4096) * BLOCKDEV_OVERLAY_RECORD;
    }
    return n;
}

static size_t disk_save_size(const struct pc *pc)
{
    size_t n = 0;
    for (int i = 0; i < DISK_SLOTS; i++) {
        const struct blockdev *b = disk_at(pc, i);
        n += DISK_HEAD + (b ? blockdev_overlay_pages(b) * BLOCKDEV_OVERLAY_RECORD : 0);
    }
    return n;
}

static void disk_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)c;
    for (int i = 0; i < DISK_SLOTS; i++) {
        const struct blockdev *b = disk_at(pc, i);
        size_t pages = b ? blockdev_overlay_pages(b) : 0;
        out[0] = b != NULL;
        out[1] = b && blockdev_has_overlay(b);
        store_le64(out + 2, b ? blockdev_size(b) : 0);
        store_le64(out + 10, pages);
        out += DISK_HEAD;
        if (pages) blockdev_overlay_save(b, out);
        out += pages * BLOCKDEV_OVERLAY_RECORD;
    }
}

static bool disk_check(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen)
{
    static const char *const names[DISK_SLOTS] = {"-fda", "-fdb", "-hda", "-hdb", "-hdc", "-hdd"};
    const uint8_t *end = in + len;
    for (int i = 0; i < DISK_SLOTS; i++) {
        const struct blockdev *b = disk_at(pc, i);
        if ((size_t)(end - in) < DISK_HEAD || in[0] > 1 || in[1] > 1) {
            snprintf(why, whylen, "a damaged disk list");
            return false;
        }
        uint64_t size = load_le64(in + 2), pages = load_le64(in + 10);
        if (in[0] != (b != NULL) || (b && size != blockdev_size(b))) {
            snprintf(why, whylen, "a machine with another %s image (or none)", names[i]);
            return false;
        }
        bool overlay = in[1];
        if (overlay && b && !blockdev_has_overlay(b)) {
            snprintf(why, whylen, "disk writes of a -snapshot machine: start with -snapshot");
            return false;
        }
        in += DISK_HEAD;
        if (pages > (uint64_t)(end - in) / BLOCKDEV_OVERLAY_RECORD ||
            (pages && (!overlay || !blockdev_overlay_check(b, in, (size_t)pages)))) {
            snprintf(why, whylen, "disk writes outside the %s image", names[i]);
            return false;
        }
        in += pages * BLOCKDEV_OVERLAY_RECORD;
    }
    if (in != end) {
        snprintf(why, whylen, "a damaged disk list");
        return false;
    }
    return true;
}

static void disk_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)c;
    (void)len;
    for (int i = 0; i < DISK_SLOTS; i++) {
        struct blockdev *b = disk_at(pc, i);
        size_t pages = (size_t)load_le64(in + 10);
        in += DISK_HEAD;
        /* A machine that wrote to its files directly left its writes there:
         * an overlay of this process's own is dropped. */
        if (b && blockdev_has_overlay(b) && !blockdev_overlay_load(b, in, pages))
            fprintf(stderr, "kiln: loadvm: out of memory for the %d. disk's writes\n", i + 1);
        in += pages * BLOCKDEV_OVERLAY_RECORD;
    }
}

/* ---- timers and the table ---- */

struct clock_timer *snap_storage_timer(struct pc *pc, int i)
{
    if (i == 0) return &pc->fdc.timer;
    if (i == 1) return &pc->fdc.seek_timer;
    return &pc->ide.ch[(i - 2) / 2].drive[(i - 2) % 2].timer;
}

int snap_storage_timer_count(void)
{
    return 6;
}

uint64_t snap_storage_layout(void)
{
    return sizeof(struct dma) * 31u + sizeof(struct fdc) * 37u + sizeof(struct ide) * 41u +
           IDE_STAGE * 43u + PCI_STATE_FUNCTION * 47u + BLOCKDEV_OVERLAY_RECORD * 53u;
}

const struct snap_section snap_storage_sections[] = {
    {"DMA ", dma_size, NULL, dma_save, dma_check, dma_load, false},
    {"FDC ", fdc_size, NULL, fdc_save, fdc_check, fdc_load, false},
    {"IDE ", ide_size, NULL, ide_save, ide_check, ide_load, false},
    {"PCI ", pci_size, NULL, pci_save, pci_check, pci_load, false},
    {"DISK", disk_size, disk_save_size, disk_save, disk_check, disk_load, true},
};
const int snap_storage_section_count = (int)KILN_ARRAY_SIZE(snap_storage_sections);
