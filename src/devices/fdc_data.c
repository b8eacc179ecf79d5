/* SPDX-License-Identifier: MIT */
/*
 * The 82077AA's execution phase for the data commands (see fdc_internal.h):
 * READ DATA, READ DELETED DATA, WRITE DATA, WRITE DELETED DATA, VERIFY, READ
 * TRACK, READ ID and FORMAT TRACK, by DMA on channel 2 or through the FIFO.
 * A raw image holds only MFM tracks of 512-byte sectors with IDs (C, H, R, 2)
 * and normal data marks; everything else the guest asks for is answered as
 * the chip answers a diskette that lacks it (ND, MA, CM). Owns no state of
 * its own. Follows the Intel 82077AA datasheet (290166-007), section 5.1
 * (data transfer commands, SK and MT tables) and Table 5-6 (result IDs).
 */
#include <string.h>

#include "common/log.h"
#include "devices/fdc_internal.h"

/* Timing on the virtual clock. Data commands run faster than a real drive
 * (a fixed delay per sector instead of the rotation), but a search that
 * fails costs the two index pulses it costs on a diskette, and the DMA
 * channel must answer within one revolution or the FIFO overruns. */
#define FDC_CMD_NS    20000  /* last command byte to the first sector */
#define FDC_SECTOR_NS 100000 /* one sector */

static uint64_t rev_ns(const struct fdc_drive *dr)
{
    return 60000000000ull / (dr->fmt ? dr->fmt->rpm : 300);
}

static void arm(struct fdc *f, uint8_t stage, uint64_t delay)
{
    f->x.stage = stage;
    clock_timer_arm(f->clock, &f->timer, clock_now(f->clock) + delay);
}

/* End the command after 'delay' with x's status and the ID (c, h, r, n). */
static void finish(struct fdc *f, uint8_t c, uint8_t h, uint8_t r, uint8_t n, uint64_t delay)
{
    struct fdc_xfer *x = &f->x;
    x->res[0] = (uint8_t)(x->st0 | x->hds << 2 | x->ds);
    x->res[1] = x->st1;
    x->res[2] = x->st2;
    x->res[3] = c;
    x->res[4] = h;
    x->res[5] = r;
    x->res[6] = n;
    if (f->dma) dma_set_drq(f->dma, FDC_DMA_CHAN, false);
    arm(f, FDC_XS_RESULT, delay);
}

/* End abnormally, reporting the ID the command was working on. */
static void fail(struct fdc *f, uint8_t st0, uint8_t st1, uint8_t st2, uint64_t delay)
{
    struct fdc_xfer *x = &f->x;
    x->st0 |= st0;
    x->st1 |= st1;
    x->st2 |= st2;
    finish(f, x->c, x->h, x->r, x->n, delay);
}

/* End after the last sector moved: the ID of the sector that would come next,
 * as in Table 5-6 (MT and EOT decide when C, H and R wrap). */
static void finish_after_sector(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    uint8_t c = x->c, h = x->h, r = x->r;
    if (x->no_increment) {
        /* READ DELETED met a normal data mark: the address is not incremented. */
    } else if (r != x->eot) {
        r++;
    } else {
        r = 1;
        if (x->mt) h ^= 1;
        if (!x->mt || x->hds) c++;
    }
    finish(f, c, h, r, x->n, FDC_SECTOR_NS);
}

void fdc_data_start(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    const uint8_t *c = f->cmd;
    memset(x, 0, sizeof(*x));
    x->op = c[0] & 0x1f;
    x->mt = c[0] & 0x80;
    x->mfm = c[0] & 0x40;
    x->sk = c[0] & 0x20;
    x->ds = c[1] & 3;
    x->hds = c[1] >> 2 & 1;
    if (x->op == FDC_CMD_FORMAT) {
        x->n = c[2];
        x->count = c[3]; /* SC */
        x->gpl = c[4];
        x->dtl = c[5]; /* the filler byte D */
        x->write = true;
        f->sc_eot = c[3];
    } else if (x->op != FDC_CMD_READ_ID) {
        x->c = c[2];
        x->h = c[3];
        x->r = c[4];
        x->n = c[5];
        x->eot = c[6];
        x->gpl = c[7];
        x->dtl = c[8];
        x->write = x->op == FDC_CMD_WRITE || x->op == FDC_CMD_WRITE_DEL;
        if (x->op == FDC_CMD_VERIFY && (c[1] & 0x80)) {
            x->verify_ec = true;
            x->count = c[8]; /* SC replaces DTL */
        }
        f->sc_eot = c[6];
    }
    f->phase = FDC_PH_EXEC;
    arm(f, FDC_XS_START, FDC_CMD_NS);
}

/* Checks that need no rotation: write protect, then the implied seek. */
static void data_begin(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    struct fdc_drive *dr = fdc_selected(f);
    if (x->ds != (f->dor & DOR_DSEL) && !f->warned_ds) {
        f->warned_ds = true;
        log_msg(LOG_GUEST, "fdc", "command names drive %d but the DOR selects drive %d", x->ds,
                f->dor & DOR_DSEL);
    }
    if (x->write && dr && dr->bd && blockdev_read_only(dr->bd)) {
        fail(f, ST0_IC_AT, ST1_NW, 0, FDC_CMD_NS);
        return;
    }
    uint64_t delay = 0;
    bool has_c = x->op != FDC_CMD_READ_ID && x->op != FDC_CMD_FORMAT;
    if ((f->config & CONF_EIS) && has_c && x->c != f->pcn[x->ds]) {
        uint8_t pcn = f->pcn[x->ds];
        bool out = x->c < pcn;
        unsigned pulses = out ? (unsigned)(pcn - x->c) : (unsigned)(x->c - pcn);
        fdc_step(dr, pulses, out);
        f->pcn[x->ds] = x->c;
        x->st0 |= ST0_SE;
        delay = pulses * fdc_step_ns(f);
    }
    arm(f, FDC_XS_SECTOR, delay);
}

/* Move f->buf (x->len bytes) by DMA, or wait for channel 2 until the overrun. */
static void dma_step(struct fdc *f);

/* The sector or ID list in f->buf is ready to move: by DMA or through the FIFO. */
static void start_transfer(struct fdc *f, int len)
{
    struct fdc_xfer *x = &f->x;
    x->len = len;
    if (f->spec2 & SPEC2_ND) {
        f->buf_pos = 0;
        f->buf_len = len;
        x->stage = FDC_XS_PIO;
        fdc_set_int(f, true); /* in non-DMA mode INT asks for each byte */
        return;
    }
    struct fdc_drive *dr = fdc_selected(f);
    x->stage = FDC_XS_DMA_WAIT;
    x->deadline = clock_now(f->clock) + rev_ns(dr ? dr : &f->drive[0]);
    if (f->dma) dma_set_drq(f->dma, FDC_DMA_CHAN, true);
    dma_step(f);
}

static void next_sector(struct fdc *f)
{
    arm(f, FDC_XS_SECTOR, FDC_SECTOR_NS);
}

/* The current sector is done: stop at TC, at the VERIFY count or at EOT, or go on. */
static void sector_done(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    x->stage = FDC_XS_NONE;
    if (x->no_increment || x->tc) {
        finish_after_sector(f);
        return;
    }
    if (x->op == FDC_CMD_VERIFY && x->verify_ec && --x->count <= 0) {
        finish_after_sector(f);
        return;
    }
    bool at_end = x->op == FDC_CMD_READ_TRACK ? ++x->count >= x->eot : x->r == x->eot;
    if (!at_end) {
        x->r++;
        next_sector(f);
        return;
    }
    if (x->mt && x->hds == 0 && x->op != FDC_CMD_READ_TRACK) {
        /* Multi-track: side 1 of the same cylinder, from sector 1. */
        x->hds = 1;
        x->h ^= 1;
        x->r = 1;
        next_sector(f);
        return;
    }
    if (x->op == FDC_CMD_READ_TRACK && !x->matched) x->st1 |= ST1_ND;
    if (!(x->op == FDC_CMD_VERIFY && !x->verify_ec)) {
        /* No TC by the last sector: the FDC ran off the end of the cylinder. */
        x->st0 |= ST0_IC_AT;
        x->st1 |= ST1_EN;
    }
    finish_after_sector(f);
}

static bool commit_write(struct fdc *f)
{
    struct fdc_drive *dr = fdc_selected(f);
    /* No diskette any more, or a host I/O error: reported as a drive fault. */
    if (!dr || !dr->bd || !blockdev_write(dr->bd, f->x.off, f->buf, FDC_SECTOR_SIZE)) {
        fail(f, ST0_IC_AT | ST0_EC, 0, 0, FDC_SECTOR_NS);
        return false;
    }
    return true;
}

static void format_apply(struct fdc *f, int got);

/* Bytes have moved (DMA or PIO): finish the sector or the format. */
static void transfer_done(struct fdc *f, int got)
{
    struct fdc_xfer *x = &f->x;
    if (x->op == FDC_CMD_FORMAT) {
        format_apply(f, got);
        return;
    }
    if (x->write) {
        /* TC inside the sector: the rest of it is written as zeros. */
        if (got < FDC_SECTOR_SIZE) memset(f->buf + got, 0, (size_t)(FDC_SECTOR_SIZE - got));
        if (!commit_write(f)) return;
    }
    sector_done(f);
}

static void dma_step(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    bool gate = f->dor & DOR_DMAEN;
    if (!f->dma || !gate || !dma_channel_ready(f->dma, FDC_DMA_CHAN)) {
        if (clock_now(f->clock) >= x->deadline) {
            /* Nobody serviced DRQ: the FIFO overran (or, writing, underran). */
            log_msg(LOG_GUEST, "fdc",
                    "no DMA service within a revolution (DOR gate %s, channel 2 %s)",
                    gate ? "on" : "off",
                    f->dma && dma_channel_ready(f->dma, FDC_DMA_CHAN) ? "ready"
                                                                      : "masked or not cascaded");
            fail(f, ST0_IC_AT, ST1_OR, 0, 0);
            return;
        }
        x->stage = FDC_XS_DMA_WAIT;
        clock_timer_arm(f->clock, &f->timer, x->deadline);
        return;
    }
    bool tc = false;
    int got = dma_transfer(f->dma, FDC_DMA_CHAN, f->buf, x->len, !x->write, &tc);
    dma_set_drq(f->dma, FDC_DMA_CHAN, false);
    if (tc) x->tc = true;
    transfer_done(f, got);
}

void fdc_data_pio_done(struct fdc *f)
{
    f->x.stage = FDC_XS_NONE;
    transfer_done(f, f->buf_len);
}

void fdc_data_dma_ready(void *opaque)
{
    struct fdc *f = opaque;
    if (f->phase == FDC_PH_EXEC && f->x.stage == FDC_XS_DMA_WAIT)
        clock_timer_arm(f->clock, &f->timer, clock_now(f->clock));
}

/* ---- The commands' per-sector work ---- */

/* READ/WRITE/VERIFY: find the sector whose ID matches C, H, R, N and move it. */
static void data_sector(struct fdc *f, struct fdc_drive *dr)
{
    struct fdc_xfer *x = &f->x;
    const struct fdc_format *fm = dr->fmt;
    if (x->c != dr->track || x->h != x->hds || x->n != 2 || x->r == 0 || x->r > fm->spt) {
        /* Two index pulses without a matching ID. */
        uint8_t st2 = x->c != dr->track ? (x->c == 0xff ? ST2_BC : ST2_WC) : 0;
        fail(f, ST0_IC_AT, ST1_ND, st2, 2 * rev_ns(dr));
        return;
    }
    x->off = (((uint64_t)dr->track * fm->heads + x->hds) * fm->spt + x->r - 1) * FDC_SECTOR_SIZE;
    if (x->op == FDC_CMD_READ_DEL) {
        /* Every sector of an image has a normal data mark (Table 5-5). */
        x->st2 |= ST2_CM;
        if (x->sk) {
            sector_done(f); /* skipped, not read */
            return;
        }
        x->no_increment = true;
    }
    if (x->op == FDC_CMD_WRITE_DEL && !f->warned_deleted) {
        f->warned_deleted = true;
        log_msg(LOG_STUB, "fdc", "WRITE DELETED DATA: a raw image keeps the data, not the mark");
    }
    if (x->write) {
        start_transfer(f, FDC_SECTOR_SIZE);
        return;
    }
    if (!blockdev_read(dr->bd, x->off, f->buf, FDC_SECTOR_SIZE)) {
        fail(f, ST0_IC_AT, ST1_DE, ST2_DD, FDC_SECTOR_NS); /* host I/O error: a CRC error */
        return;
    }
    if (x->op == FDC_CMD_VERIFY)
        sector_done(f);
    else
        start_transfer(f, FDC_SECTOR_SIZE);
}

/* READ TRACK: the sectors in order from the index hole, whatever their IDs. */
static void track_sector(struct fdc *f, struct fdc_drive *dr)
{
    struct fdc_xfer *x = &f->x;
    const struct fdc_format *fm = dr->fmt;
    int s = x->count + 1;
    if (s > fm->spt) {
        /* The index hole came back before EOT sectors were read. */
        fail(f, ST0_IC_AT, ST1_EN | (x->matched ? 0 : ST1_ND), 0, FDC_SECTOR_NS);
        return;
    }
    if (x->c == dr->track && x->h == x->hds && x->n == 2 && x->r == s) x->matched = true;
    if (x->n != 2)
        log_msg(LOG_STUB, "fdc", "READ TRACK with N=%u moves 512 bytes per sector", x->n);
    x->off =
        (((uint64_t)dr->track * fm->heads + x->hds) * fm->spt + (unsigned)s - 1) * FDC_SECTOR_SIZE;
    if (!blockdev_read(dr->bd, x->off, f->buf, FDC_SECTOR_SIZE)) {
        fail(f, ST0_IC_AT, ST1_DE, ST2_DD, FDC_SECTOR_NS);
        return;
    }
    start_transfer(f, FDC_SECTOR_SIZE);
}

/* READ ID: the first ID that passes under the head, from the rotation angle. */
static void read_id(struct fdc *f, struct fdc_drive *dr)
{
    uint64_t rev = rev_ns(dr);
    unsigned spt = dr->fmt->spt;
    unsigned pos = (unsigned)((clock_now(f->clock) % rev) * spt / rev);
    finish(f, dr->track, f->x.hds, (uint8_t)((pos + 1) % spt + 1), 2, rev / spt);
}

/* FORMAT TRACK: take SC IDs of 4 bytes, then fill each sector the image can hold. */
static void format_track(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    if (x->count == 0) {
        finish(f, 0, 0, 0, x->n, FDC_SECTOR_NS);
        return;
    }
    start_transfer(f, 4 * x->count);
}

static void format_apply(struct fdc *f, int got)
{
    struct fdc_xfer *x = &f->x;
    struct fdc_drive *dr = fdc_selected(f);
    if (!dr || !dr->bd) {
        fail(f, ST0_IC_AT | ST0_EC, 0, 0, FDC_SECTOR_NS);
        return;
    }
    const struct fdc_format *fm = dr->fmt;
    bool fits = f->rate == fm->rate && x->mfm && x->n == 2 && dr->track < fm->cyls &&
                x->hds < fm->heads && x->count == fm->spt;
    if (!fits)
        log_msg(LOG_STUB, "fdc",
                "FORMAT (N=%u, %d sectors, rate %u) on track %u head %u does "
                "not match the %s image; only matching sectors are filled",
                x->n, x->count, f->rate, dr->track, x->hds, fm->name);
    uint8_t last[4] = {0, 0, 0, x->n};
    uint8_t fill[FDC_SECTOR_SIZE];
    memset(fill, x->dtl, sizeof(fill));
    for (int i = 0; i + 4 <= got; i += 4) {
        const uint8_t *id = f->buf + i;
        memcpy(last, id, 4);
        if (f->rate != fm->rate || !x->mfm || id[3] != 2 || id[2] == 0 || id[2] > fm->spt ||
            dr->track >= fm->cyls || x->hds >= fm->heads)
            continue;
        if (id[0] != dr->track || id[1] != x->hds)
            log_msg(LOG_GUEST, "fdc",
                    "FORMAT writes ID C=%u H=%u on cylinder %u head %u; the "
                    "image keeps only the data",
                    id[0], id[1], dr->track, x->hds);
        uint64_t off =
            (((uint64_t)dr->track * fm->heads + x->hds) * fm->spt + id[2] - 1) * FDC_SECTOR_SIZE;
        if (!blockdev_write(dr->bd, off, fill, sizeof(fill))) {
            fail(f, ST0_IC_AT | ST0_EC, 0, 0, FDC_SECTOR_NS);
            return;
        }
    }
    /* Formatting takes the track from index to index. */
    finish(f, last[0], last[1], last[2], last[3], rev_ns(dr));
}

/* A sector's turn: the diskette must turn and carry readable address marks. */
static void sector_step(struct fdc *f)
{
    struct fdc_xfer *x = &f->x;
    struct fdc_drive *dr = fdc_selected(f);
    int sel = f->dor & DOR_DSEL;
    if (!dr || !dr->bd || !(f->dor & (0x10 << sel))) {
        /* No index pulses (no drive, no diskette, motor off): the command waits
         * as on the chip, until the host resets it or the drive comes alive. */
        x->stage = FDC_XS_STALL;
        return;
    }
    if (x->op == FDC_CMD_FORMAT) {
        format_track(f);
        return;
    }
    const struct fdc_format *fm = dr->fmt;
    if (f->rate != fm->rate || !x->mfm || dr->track >= fm->cyls || x->hds >= fm->heads) {
        /* Wrong data rate or FM, an unformatted cylinder, or a missing side. */
        fail(f, ST0_IC_AT, ST1_MA, 0, 2 * rev_ns(dr));
        return;
    }
    switch (x->op) {
    case FDC_CMD_READ_ID: read_id(f, dr); break;
    case FDC_CMD_READ_TRACK: track_sector(f, dr); break;
    default: data_sector(f, dr); break;
    }
}

void fdc_data_timer(struct fdc *f)
{
    switch (f->x.stage) {
    case FDC_XS_START: data_begin(f); break;
    case FDC_XS_SECTOR:
    case FDC_XS_STALL: sector_step(f); break;
    case FDC_XS_DMA_WAIT: dma_step(f); break;
    case FDC_XS_RESULT:
        f->x.stage = FDC_XS_NONE;
        fdc_enter_result(f, f->x.res, 7, true);
        break;
    default: break;
    }
}
