/* SPDX-License-Identifier: MIT */
/*
 * The PIIX3 bus-master IDE function (see ide.h): the command, status and
 * PRD table pointer registers of both channels at BAR4, and the engine that
 * walks a PRD table moving a drive's DMA data to or from guest memory
 * through the machine's DMA callback. Touches a drive only through the
 * ide_internal.h calls. Follows SFF-8038i rev 1.0 and the 82371SB
 * datasheet 2.7 (BMICOM, BMISTA, BMIDTP) and 3.4 (bus master operation).
 */
#include <string.h>

#include "common/bits.h"
#include "common/log.h"
#include "devices/ide_internal.h"

/* A PRD table may not cross a 64 KiB boundary: at most 8192 descriptors. */
#define PRD_MAX 8192u

void ide_bm_reset(struct ide_channel *ch)
{
    ch->bm_cmd = 0;
    ch->bm_status = 0;
    ch->bm_prd = 0;
    memset(&ch->prd, 0, sizeof(ch->prd));
}

/* Read the next descriptor. False when the table is used up or unreadable ('err'). */
static bool prd_load(struct ide_channel *ch, bool *err)
{
    struct ide *ide = ch->ide;
    struct ide_prd_cursor *p = &ch->prd;
    uint8_t e[8];
    if (p->last || p->count >= PRD_MAX)
        return false;
    if (!ide->dma || !ide->dma(ide->dma_opaque, p->next, e, sizeof(e), false)) {
        *err = true;
        return false;
    }
    /* Bit 0 of the address and of the count are reserved; a count of 0 means 64 KiB. */
    p->addr = load_le32(e) & ~1u;
    uint32_t n = load_le16(e + 4) & 0xfffeu;
    p->left = n ? n : 0x10000;
    p->last = e[7] & 0x80;
    p->next += 8;
    p->count++;
    return true;
}

/* Move up to 'len' bytes between 'buf' and the regions the PRD table names. */
static uint32_t prd_move(struct ide_channel *ch, uint8_t *buf, uint32_t len, bool to_mem,
                         bool *err)
{
    struct ide *ide = ch->ide;
    struct ide_prd_cursor *p = &ch->prd;
    uint32_t done = 0;
    while (done < len) {
        if (!p->left) {
            if (!prd_load(ch, err))
                break;
            continue;
        }
        uint32_t n = len - done < p->left ? len - done : p->left;
        if (!ide->dma(ide->dma_opaque, p->addr, buf + done, n, to_mem)) {
            *err = true;
            break;
        }
        p->addr += n;
        p->left -= n;
        done += n;
    }
    return done;
}

static void dma_failed(struct ide_drive *d, bool medium)
{
    if (d->kind == IDE_DISK)
        ide_ata_dma_failed(d, medium);
    else
        ide_atapi_dma_failed(d, medium);
}

/* Device to memory: stage medium data or a reply, scatter it. */
static bool run_in(struct ide_channel *ch, struct ide_drive *d, bool *err)
{
    while (d->left) {
        if (!ide_stream_fill(d)) {
            dma_failed(d, true);
            return false;
        }
        uint64_t chunk = d->buf_len - d->buf_pos;
        if (chunk > d->left)
            chunk = d->left;
        uint32_t moved = prd_move(ch, d->buf + d->buf_pos, (uint32_t)chunk, true, err);
        d->buf_pos += moved;
        d->left -= moved;
        if (moved < chunk)
            break;
    }
    return true;
}

/* Memory to device: gather up to a buffer's worth, write it, repeat. */
static bool run_out(struct ide_channel *ch, struct ide_drive *d, bool *err)
{
    while (d->left) {
        uint32_t want = d->left < IDE_BUF_SIZE ? (uint32_t)d->left : IDE_BUF_SIZE;
        uint32_t need = want - d->buf_len;
        uint32_t moved = prd_move(ch, d->buf + d->buf_len, need, false, err);
        d->buf_len += moved;
        if (d->buf_len == want && !ide_ata_dma_flush(d)) {
            dma_failed(d, true);
            return false;
        }
        if (moved < need)
            break;
    }
    return true;
}

void ide_bm_try(struct ide_channel *ch)
{
    if (!(ch->bm_status & BM_ST_ACTIVE) || !(ch->bm_cmd & BM_CMD_START) ||
        !ide_pci_master_enabled(ch->ide))
        return;
    struct ide_drive *d = &ch->drive[ch->cur];
    if (d->phase != IDE_PH_DMA)
        d = &ch->drive[ch->cur ^ 1];
    if (d->phase != IDE_PH_DMA)
        return; /* the engine waits for a device to request DMA */
    if (!d->dma_write != !!(ch->bm_cmd & BM_CMD_TO_MEM))
        log_msg(LOG_GUEST, "ide", "bus master direction disagrees with the command");
    bool err = false;
    if (!(d->dma_write ? run_out(ch, d, &err) : run_in(ch, d, &err)))
        return; /* the device ended the command with an error */
    if (err) {
        /* Master abort: the engine stops with the error bit; the device gives up. */
        ch->bm_status = (uint8_t)((ch->bm_status | BM_ST_ERROR) & ~BM_ST_ACTIVE);
        dma_failed(d, false);
        return;
    }
    if (d->left) {
        /* SFF-8038i: the table ended before the device did; the device keeps
         * waiting, the engine stops without an interrupt. */
        ch->bm_status &= (uint8_t)~BM_ST_ACTIVE;
        log_msg(LOG_GUEST, "ide", "PRD table shorter than the transfer");
        return;
    }
    /* An exactly used table ends the engine; a longer one leaves it active. */
    if (!ch->prd.left && ch->prd.last)
        ch->bm_status &= (uint8_t)~BM_ST_ACTIVE;
    ide_schedule(d, IDE_EV_DMA_DONE);
}

/* ---- registers: BAR4 + 0 primary, + 8 secondary ---- */

static uint8_t bm_read_byte(struct ide *ide, uint32_t a)
{
    const struct ide_channel *ch = &ide->ch[(a >> 3) & 1];
    switch (a & 7) {
    case 0: return ch->bm_cmd;
    case 2: return ch->bm_status;
    case 4: case 5: case 6: case 7: return (uint8_t)(ch->bm_prd >> (8 * ((a & 7) - 4)));
    default: return 0;
    }
}

static void bm_write_byte(struct ide *ide, uint32_t a, uint8_t v)
{
    struct ide_channel *ch = &ide->ch[(a >> 3) & 1];
    switch (a & 7) {
    case 0: {
        uint8_t old = ch->bm_cmd;
        ch->bm_cmd = v & (BM_CMD_START | BM_CMD_TO_MEM);
        if ((v & BM_CMD_START) && !(old & BM_CMD_START)) {
            /* Start: the engine begins at the first descriptor of the table. */
            memset(&ch->prd, 0, sizeof(ch->prd));
            ch->prd.next = ch->bm_prd;
            ch->bm_status |= BM_ST_ACTIVE;
            ide_bm_try(ch);
        } else if (!(v & BM_CMD_START) && (old & BM_CMD_START)) {
            ch->bm_status &= (uint8_t)~BM_ST_ACTIVE; /* stop: the transfer is abandoned */
        }
        break;
    }
    case 2: /* drive DMA-capable bits are plain storage; error and interrupt clear on 1 */
        ch->bm_status = (uint8_t)((ch->bm_status & ~BM_ST_CAPABLE) | (v & BM_ST_CAPABLE));
        ch->bm_status &= (uint8_t)~(v & (BM_ST_ERROR | BM_ST_INTR));
        break;
    case 4: case 5: case 6: case 7: {
        unsigned shift = 8 * ((a & 7) - 4);
        ch->bm_prd = (ch->bm_prd & ~(0xffu << shift)) | (uint32_t)v << shift;
        ch->bm_prd &= ~3u; /* dword aligned */
        break;
    }
    default: break;
    }
}

static uint32_t bm_read(void *opaque, uint32_t addr, int size)
{
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)bm_read_byte(opaque, addr + (uint32_t)i) << (8 * i);
    return v;
}

static void bm_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    for (int i = 0; i < size; i++)
        bm_write_byte(opaque, addr + (uint32_t)i, (uint8_t)(val >> (8 * i)));
}

const struct io_ops ide_bm_ops = {bm_read, bm_write};
