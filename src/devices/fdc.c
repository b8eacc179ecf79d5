/* SPDX-License-Identifier: MIT */
/*
 * The 82077AA's registers and command phase (see fdc.h): DOR, TDR, MSR/DSR,
 * FIFO, DIR/CCR, SRA/SRB (PS/2-mode contents), reset and post-reset drive
 * polling, SEEK, RELATIVE SEEK, RECALIBRATE, SENSE INTERRUPT STATUS, SENSE
 * DRIVE STATUS, SPECIFY, CONFIGURE, PERPENDICULAR MODE, LOCK, DUMPREG,
 * VERSION. The data commands' execution phase lives in fdc_data.c. Owns
 * only struct fdc. Follows the Intel 82077AA datasheet (290166-007),
 * sections 2, 5.2-5.3 and 7.
 */
#include "devices/fdc.h"

#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "devices/fdc_internal.h"

#define FDC_MAX_TRACK   83     /* the head stop of an 80-track drive */
#define FDC_RECAL_STEPS 79     /* RECALIBRATE gives up (EC) after this many pulses */
#define FDC_SEEK_MIN_NS 10000  /* a seek of zero steps still ends a little later */
#define FDC_POLL_NS     250000 /* reset release to the polling interrupt */

/* Formats recognised by image size. DD 5.25" media are read by a 360K drive
 * at 250 Kb/s; 1.2M media spin at 360 rpm. */
static const struct fdc_format fdc_formats[] = {
    {163840, 40, 1, 8, 2, 1, 300, "160K"},    {184320, 40, 1, 9, 2, 1, 300, "180K"},
    {327680, 40, 2, 8, 2, 1, 300, "320K"},    {368640, 40, 2, 9, 2, 1, 300, "360K"},
    {737280, 80, 2, 9, 2, 3, 300, "720K"},    {1228800, 80, 2, 15, 0, 2, 360, "1.2M"},
    {1474560, 80, 2, 18, 0, 4, 300, "1.44M"}, {1720320, 80, 2, 21, 0, 4, 300, "1.68M DMF"},
    {2949120, 80, 2, 36, 3, 5, 300, "2.88M"},
};

uint64_t fdc_step_ns(const struct fdc *f)
{
    /* SRT counts (16 - SRT) units of 1 ms at 500 Kb/s, scaled by the data rate. */
    static const uint64_t unit_ns[4] = {1000000, 1666667, 2000000, 500000};
    return (uint64_t)(16 - (f->spec1 >> 4)) * unit_ns[f->rate & 3];
}

struct fdc_drive *fdc_selected(struct fdc *f)
{
    int n = f->dor & DOR_DSEL;
    return n < FDC_DRIVES && f->drive[n].connected ? &f->drive[n] : NULL;
}

void fdc_step(struct fdc_drive *dr, unsigned pulses, bool out)
{
    if (!dr || !pulses) return;
    if (dr->bd) dr->changed = false; /* a step pulse with a diskette in resets DSKCHG */
    if (out)
        dr->track = pulses >= dr->track ? 0 : (uint8_t)(dr->track - pulses);
    else
        dr->track =
            (uint8_t)(dr->track + pulses > FDC_MAX_TRACK ? FDC_MAX_TRACK : dr->track + pulses);
}

void fdc_set_int(struct fdc *f, bool pending)
{
    f->int_pending = pending;
    /* In PC/AT mode DOR bit 3 gates the INT and DRQ pins. */
    bool level = pending && (f->dor & DOR_DMAEN) && !f->in_reset;
    if (level != f->irq_level) {
        f->irq_level = level;
        irq_set(&f->irq, level);
    }
}

void fdc_enter_result(struct fdc *f, const uint8_t *res, int n, bool irq)
{
    memcpy(f->res, res, (size_t)n);
    f->res_len = n;
    f->res_pos = 0;
    f->phase = FDC_PH_RESULT;
    f->res_irq = irq;
    if (irq) fdc_set_int(f, true);
}

static void check_ds(struct fdc *f, int ds)
{
    if (ds != (f->dor & DOR_DSEL) && !f->warned_ds) {
        f->warned_ds = true;
        log_msg(LOG_GUEST, "fdc",
                "command names drive %d but the DOR selects drive %d; "
                "the selected drive responds",
                ds, f->dor & DOR_DSEL);
    }
}

/* ---- Seeks and interrupts ---- */

static void seek_timer_cb(void *opaque)
{
    struct fdc *f = opaque;
    uint64_t now = clock_now(f->clock), next = CLOCK_NEVER;
    bool done = false;
    for (int d = 0; d < 4; d++) {
        if (!(f->seeking >> d & 1)) continue;
        if (f->seek_done_at[d] <= now) {
            f->seeking &= (uint8_t) ~(1u << d);
            f->seek_pending |= (uint8_t)(1u << d);
            done = true;
        } else if (f->seek_done_at[d] < next) {
            next = f->seek_done_at[d];
        }
    }
    if (next != CLOCK_NEVER) clock_timer_arm(f->clock, &f->seek_timer, next);
    if (done) fdc_set_int(f, true);
}

/* The drive is busy (MSR DxB) for 'pulses' step times, then interrupts with 'st0'. */
static void start_seek(struct fdc *f, int ds, unsigned pulses, uint8_t st0)
{
    uint64_t t = pulses * fdc_step_ns(f);
    f->seek_st0[ds] = st0;
    f->seek_pending &= (uint8_t) ~(1u << ds);
    f->seeking |= (uint8_t)(1u << ds);
    f->seek_done_at[ds] = clock_now(f->clock) + (t > FDC_SEEK_MIN_NS ? t : FDC_SEEK_MIN_NS);
    if (f->seek_timer.deadline > f->seek_done_at[ds])
        clock_timer_arm(f->clock, &f->seek_timer, f->seek_done_at[ds]);
    f->phase = FDC_PH_COMMAND;
}

static void cmd_seek(struct fdc *f)
{
    int ds = f->cmd[1] & 3;
    uint8_t pcn = f->pcn[ds], target;
    unsigned pulses;
    bool out;
    if (f->cmd[0] & 0x80) { /* RELATIVE SEEK: DIR (bit 6) 1 steps in */
        pulses = f->cmd[2];
        out = !(f->cmd[0] & 0x40);
        target = (uint8_t)(out ? pcn - pulses : pcn + pulses);
    } else {
        target = f->cmd[2];
        out = target < pcn;
        pulses = out ? (unsigned)(pcn - target) : (unsigned)(target - pcn);
    }
    check_ds(f, ds);
    fdc_step(fdc_selected(f), pulses, out);
    f->pcn[ds] = target;
    start_seek(f, ds, pulses, (uint8_t)(ST0_SE | ds)); /* H is always 0 after a seek */
}

static void cmd_recalibrate(struct fdc *f)
{
    int ds = f->cmd[1] & 3;
    struct fdc_drive *dr = fdc_selected(f);
    uint8_t st0 = (uint8_t)(ST0_SE | ds);
    unsigned pulses;
    check_ds(f, ds);
    if (dr && dr->track <= FDC_RECAL_STEPS) {
        pulses = dr->track;
    } else {
        pulses = FDC_RECAL_STEPS; /* TRK0 never came: equipment check */
        st0 |= ST0_IC_AT | ST0_EC;
    }
    fdc_step(dr, pulses, true);
    f->pcn[ds] = 0;
    start_seek(f, ds, pulses, st0);
}

static int lowest_bit(uint8_t v)
{
    return v ? __builtin_ctz(v) : -1;
}

static void cmd_sense_int(struct fdc *f)
{
    uint8_t res[2];
    int d = lowest_bit(f->seek_pending & 0x0f);
    if (d >= 0) {
        f->seek_pending &= (uint8_t) ~(1u << d);
        res[0] = f->seek_st0[d];
    } else if ((d = lowest_bit(f->poll_pending & 0x0f)) >= 0) {
        f->poll_pending &= (uint8_t) ~(1u << d);
        res[0] = (uint8_t)(ST0_IC_POL | d);
    } else {
        res[0] = ST0_IC_INV; /* nothing to report: "invalid command" */
        fdc_enter_result(f, res, 1, false);
        return;
    }
    res[1] = f->pcn[d];
    fdc_set_int(f, false);
    fdc_enter_result(f, res, 2, false);
}

static void cmd_sense_drive(struct fdc *f)
{
    /* ST3: bits 5 (RDY) and 3 (two-sided) always read 1 on the 82077AA. */
    uint8_t st3 = (uint8_t)(0x28 | (f->cmd[1] & 7));
    struct fdc_drive *dr = fdc_selected(f);
    if (dr && dr->track == 0) st3 |= 0x10;
    if (dr && dr->bd && blockdev_read_only(dr->bd)) st3 |= 0x40;
    fdc_enter_result(f, &st3, 1, false);
}

/* ---- Configuration commands ---- */

static void cmd_specify(struct fdc *f)
{
    f->spec1 = f->cmd[1];
    f->spec2 = f->cmd[2];
    f->phase = FDC_PH_COMMAND;
}

static void cmd_configure(struct fdc *f)
{
    f->config = f->cmd[2] & 0x7f;
    f->pretrk = f->cmd[3];
    f->phase = FDC_PH_COMMAND;
}

static void cmd_perpendicular(struct fdc *f)
{
    uint8_t v = f->cmd[1];
    /* D3-D0 change only with OW set; GAP and WGATE always. */
    f->perp = (uint8_t)((v & 0x80 ? v & 0x3c : f->perp & 0x3c) | (v & 3));
    if (f->perp & 3)
        log_msg(LOG_STUB, "fdc", "perpendicular recording (GAP/WGATE) changes nothing");
    f->phase = FDC_PH_COMMAND;
}

static void cmd_lock(struct fdc *f)
{
    f->lock = f->cmd[0] & 0x80;
    uint8_t r = (uint8_t)(f->lock << 4);
    fdc_enter_result(f, &r, 1, false);
}

static void cmd_dumpreg(struct fdc *f)
{
    uint8_t r[10] = {f->pcn[0], f->pcn[1], f->pcn[2], f->pcn[3],
                     f->spec1,  f->spec2,  f->sc_eot, (uint8_t)(f->lock << 7 | (f->perp & 0x3f)),
                     f->config, f->pretrk};
    fdc_enter_result(f, r, 10, false);
}

static void cmd_version(struct fdc *f)
{
    uint8_t r = 0x90; /* an enhanced controller, not a plain 765A */
    fdc_enter_result(f, &r, 1, false);
}

/* The command set: code (bits 4-0), total bytes, which of bits 7-5 may be set. */
struct fdc_cmd {
    uint8_t code, len, opt;
    void (*run)(struct fdc *f);
};

static const struct fdc_cmd fdc_cmds[] = {
    {0x02, 9, 0x40, fdc_data_start},    /* READ TRACK */
    {0x03, 3, 0x00, cmd_specify},       /* SPECIFY */
    {0x04, 2, 0x00, cmd_sense_drive},   /* SENSE DRIVE STATUS */
    {0x05, 9, 0xc0, fdc_data_start},    /* WRITE DATA */
    {0x06, 9, 0xe0, fdc_data_start},    /* READ DATA */
    {0x07, 2, 0x00, cmd_recalibrate},   /* RECALIBRATE */
    {0x08, 1, 0x00, cmd_sense_int},     /* SENSE INTERRUPT STATUS */
    {0x09, 9, 0xc0, fdc_data_start},    /* WRITE DELETED DATA */
    {0x0a, 2, 0x40, fdc_data_start},    /* READ ID */
    {0x0c, 9, 0xe0, fdc_data_start},    /* READ DELETED DATA */
    {0x0d, 6, 0x40, fdc_data_start},    /* FORMAT TRACK */
    {0x0e, 1, 0x00, cmd_dumpreg},       /* DUMPREG */
    {0x0f, 3, 0xc0, cmd_seek},          /* SEEK, RELATIVE SEEK (1 DIR 0 01111) */
    {0x10, 1, 0x00, cmd_version},       /* VERSION */
    {0x12, 2, 0x00, cmd_perpendicular}, /* PERPENDICULAR MODE */
    {0x13, 4, 0x00, cmd_configure},     /* CONFIGURE */
    {0x14, 1, 0x80, cmd_lock},          /* LOCK */
    {0x16, 9, 0xe0, fdc_data_start},    /* VERIFY */
};

static const struct fdc_cmd *find_cmd(uint8_t v)
{
    uint8_t code = v & 0x1f;
    if (code == 0x0f && (v & 0xc0) == 0x40) return NULL; /* DIR without the relative bit */
    for (size_t i = 0; i < KILN_ARRAY_SIZE(fdc_cmds); i++)
        if (fdc_cmds[i].code == code) return (v & 0xe0 & ~fdc_cmds[i].opt) ? NULL : &fdc_cmds[i];
    return NULL;
}

static void command_byte(struct fdc *f, uint8_t v)
{
    if (f->cmd_pos == 0) {
        /* A new command takes the place of an unsensed seek-end or polling
         * interrupt: INT falls (the statuses stay for SENSE INTERRUPT STATUS)
         * and the command's own completion raises it again, a fresh edge for
         * the 8259. MS-DOS 4.0 recalibrates right after a reset without
         * sensing the reset's interrupt first, then waits for IRQ 6. */
        fdc_set_int(f, false);
        const struct fdc_cmd *c = find_cmd(v);
        if (!c) {
            uint8_t code = v & 0x1f;
            if (code == 0x11 || code == 0x19 || code == 0x1d)
                log_msg(LOG_STUB, "fdc", "SCAN command %02x: answered as invalid", v);
            else
                log_msg(LOG_GUEST, "fdc", "invalid command %02x", v);
            uint8_t st0 = ST0_IC_INV;
            fdc_enter_result(f, &st0, 1, false);
            return;
        }
        f->cmd_len = c->len;
    }
    f->cmd[f->cmd_pos++] = v;
    if (f->cmd_pos < f->cmd_len) return;
    f->cmd_pos = 0;
    const struct fdc_cmd *c = find_cmd(f->cmd[0]);
    /* Statuses of the post-reset polling are dropped by any other command, so a
     * BIOS that senses once after reset still gets its RECALIBRATE's status next. */
    if (c->code != 0x08) f->poll_pending = 0;
    c->run(f);
}

/* ---- Reset ---- */

static void enter_reset(struct fdc *f)
{
    clock_timer_cancel(f->clock, &f->timer);
    clock_timer_cancel(f->clock, &f->seek_timer);
    if (f->dma) dma_set_drq(f->dma, FDC_DMA_CHAN, false);
    f->phase = FDC_PH_COMMAND;
    f->cmd_pos = f->res_len = f->res_pos = f->buf_pos = f->buf_len = 0;
    f->res_irq = false;
    memset(&f->x, 0, sizeof(f->x));
    f->seek_pending = f->poll_pending = f->seeking = 0;
    memset(f->pcn, 0, sizeof(f->pcn));
    f->perp &= 0x3c; /* GAP and WGATE clear; the drive bits survive */
    if (!f->lock) {  /* LOCK keeps CONFIGURE's FIFO and precompensation settings */
        f->config = CONF_EFIFO;
        f->pretrk = 0;
    }
    fdc_set_int(f, false);
}

static void leave_reset(struct fdc *f)
{
    if (!(f->config & CONF_POLL)) {
        f->x.stage = FDC_XS_POLL;
        clock_timer_arm(f->clock, &f->timer, clock_now(f->clock) + FDC_POLL_NS);
    }
}

static void exec_timer_cb(void *opaque)
{
    struct fdc *f = opaque;
    if (f->x.stage == FDC_XS_POLL) {
        /* Every drive was "not ready" before the first polling loop. */
        f->x.stage = FDC_XS_NONE;
        f->poll_pending = 0x0f;
        fdc_set_int(f, true);
        return;
    }
    fdc_data_timer(f);
}

/* ---- Registers ---- */

static uint8_t msr_read(struct fdc *f)
{
    if (f->in_reset) return 0;
    uint8_t m = f->seeking & 0x0f;
    switch (f->phase) {
    case FDC_PH_COMMAND: m |= 0x80 | (f->cmd_pos ? 0x10 : 0); break;
    case FDC_PH_RESULT: m |= 0xd0; break;
    default:
        /* NON-DMA stays set for the whole execution phase in non-DMA mode, also
         * between sectors: drivers take its fall as the end of the data. */
        m |= 0x10;
        if (f->spec2 & SPEC2_ND) m |= 0x20;
        if (f->x.stage == FDC_XS_PIO) m |= (uint8_t)(0xa0 | (f->x.write ? 0 : 0x40));
        break;
    }
    return m;
}

/* A data byte went through the FIFO in PIO mode: one interrupt per byte. */
static void pio_byte(struct fdc *f)
{
    fdc_set_int(f, false);
    if (f->buf_pos >= f->buf_len)
        fdc_data_pio_done(f);
    else
        fdc_set_int(f, true);
}

static uint8_t fifo_read(struct fdc *f)
{
    if (f->in_reset) return 0;
    if (f->phase == FDC_PH_RESULT) {
        uint8_t v = f->res[f->res_pos++];
        if (f->res_irq) {
            f->res_irq = false;
            fdc_set_int(f, false);
        }
        if (f->res_pos >= f->res_len) {
            f->phase = FDC_PH_COMMAND;
            f->res_len = f->res_pos = 0;
        }
        return v;
    }
    if (f->phase == FDC_PH_EXEC && f->x.stage == FDC_XS_PIO && !f->x.write &&
        f->buf_pos < f->buf_len) {
        uint8_t v = f->buf[f->buf_pos++];
        pio_byte(f);
        return v;
    }
    log_msg(LOG_GUEST, "fdc", "data register read with no byte to give");
    return 0;
}

static void fifo_write(struct fdc *f, uint8_t v)
{
    if (f->in_reset) return;
    if (f->phase == FDC_PH_COMMAND) {
        command_byte(f, v);
        return;
    }
    if (f->phase == FDC_PH_EXEC && f->x.stage == FDC_XS_PIO && f->x.write &&
        f->buf_pos < f->buf_len) {
        f->buf[f->buf_pos++] = v;
        pio_byte(f);
        return;
    }
    log_msg(LOG_GUEST, "fdc", "data register write %02x while the controller expects none", v);
}

static void dor_write(struct fdc *f, uint8_t v)
{
    uint8_t old = f->dor;
    f->dor = v;
    if (!(v & DOR_NRESET)) {
        if (!f->in_reset) {
            enter_reset(f);
            f->in_reset = true;
        }
    } else if (f->in_reset) {
        f->in_reset = false;
        leave_reset(f);
    }
    fdc_set_int(f, f->int_pending); /* the DMA gate may have changed the pin */
    /* A new motor, drive or DMA gate setting may let a waiting command go on. */
    if (old != v && f->phase == FDC_PH_EXEC &&
        (f->x.stage == FDC_XS_STALL || f->x.stage == FDC_XS_DMA_WAIT))
        clock_timer_arm(f->clock, &f->timer, clock_now(f->clock));
}

static void dsr_write(struct fdc *f, uint8_t v)
{
    f->dsr = v & 0x7f;
    f->rate = v & 3;
    if (v & 0x40) log_msg(LOG_STUB, "fdc", "power-down mode is not modelled");
    if ((v & 0x80) && !f->in_reset) { /* S/W RESET: a reset pulse that clears itself */
        enter_reset(f);
        leave_reset(f);
    }
}

static uint8_t sra_read(struct fdc *f)
{
    /* PS/2-mode layout: INT, nDRV2, STEP, nTRK0, HDSEL, nINDX, nWP, DIR. */
    struct fdc_drive *dr = fdc_selected(f);
    uint8_t v = 0x04; /* nINDX high: not at the index hole */
    if (f->int_pending) v |= 0x80;
    if (!f->drive[1].connected) v |= 0x40;
    if (!(dr && dr->track == 0)) v |= 0x10;
    if (f->x.hds) v |= 0x08;
    if (!(dr && dr->bd && blockdev_read_only(dr->bd))) v |= 0x02;
    return v;
}

static uint8_t reg_read(struct fdc *f, uint32_t reg)
{
    switch (reg) {
    case 0: return sra_read(f);
    case 1: /* SRB, PS/2 mode: bits 7-6 set, drive select 0, write enable, motors 1 and 0 */
        return (uint8_t)(0xc0 | (f->dor & 1) << 5 | (f->x.write && f->phase == FDC_PH_EXEC) << 2 |
                         (f->dor >> 4 & 3));
    case 2: return f->dor;
    case 3: return f->tdr & 3;
    case 4: return msr_read(f);
    case 5: return fifo_read(f);
    case 7: {
        /* DIR in PC/AT mode: only DSKCHG (bit 7) is driven; Kiln reads the rest as 0. */
        struct fdc_drive *dr = fdc_selected(f);
        return dr && (!dr->bd || dr->changed) ? 0x80 : 0x00;
    }
    default: return 0xff;
    }
}

static void reg_write(struct fdc *f, uint32_t reg, uint8_t v)
{
    switch (reg) {
    case 2: dor_write(f, v); break;
    case 3: f->tdr = v & 3; break;
    case 4: dsr_write(f, v); break;
    case 5: fifo_write(f, v); break;
    case 7: f->rate = v & 3; break; /* CCR */
    default: log_msg(LOG_GUEST, "fdc", "write %02x to read-only register %u", v, reg); break;
    }
}

static uint32_t fdc_io_read(void *opaque, uint32_t addr, int size)
{
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)reg_read(opaque, addr + (uint32_t)i) << (8 * i);
    return v;
}

static void fdc_io_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    for (int i = 0; i < size; i++)
        reg_write(opaque, addr + (uint32_t)i, (uint8_t)(val >> (8 * i)));
}

static uint32_t fdc_dir_read(void *opaque, uint32_t addr, int size)
{
    (void)addr;
    (void)size;
    return reg_read(opaque, 7);
}

static void fdc_ccr_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    (void)addr;
    (void)size;
    reg_write(opaque, 7, (uint8_t)val);
}

static const struct io_ops fdc_ops = {fdc_io_read, fdc_io_write};
static const struct io_ops fdc_dir_ops = {fdc_dir_read, fdc_ccr_write};

bool fdc_init(struct fdc *f, struct bus *b, struct clock *c, struct irq_line irq6, struct dma *dma)
{
    memset(f, 0, sizeof(*f));
    f->clock = c;
    f->dma = dma;
    f->irq = irq6;
    clock_timer_init(&f->timer, exec_timer_cb, f);
    clock_timer_init(&f->seek_timer, seek_timer_cb, f);
    /* Hardware reset: DOR 00h holds the chip in reset; 250 Kb/s; FIFO off, polling on. */
    f->in_reset = true;
    f->rate = 2;
    f->dsr = 2;
    f->config = CONF_EFIFO;
    if (dma) dma_attach(dma, FDC_DMA_CHAN, fdc_data_dma_ready, f);
    return bus_map_io(b, FDC_BASE, 6, &fdc_ops, f) &&
           bus_map_io(b, FDC_BASE + 7, 1, &fdc_dir_ops, f);
}

void fdc_connect(struct fdc *f, int n, int cmos_type)
{
    if (n < 0 || n >= FDC_DRIVES) return;
    f->drive[n].connected = true;
    f->drive[n].cmos_type = (uint8_t)cmos_type;
}

bool fdc_insert(struct fdc *f, int n, struct blockdev *bd, char *err, size_t errlen)
{
    if (n < 0 || n >= FDC_DRIVES || !bd) {
        if (err && errlen) snprintf(err, errlen, "floppy drive %d does not exist", n);
        return false;
    }
    const struct fdc_format *fmt = NULL;
    for (size_t i = 0; i < KILN_ARRAY_SIZE(fdc_formats); i++)
        if (fdc_formats[i].size == blockdev_size(bd)) fmt = &fdc_formats[i];
    if (!fmt) {
        if (err && errlen)
            snprintf(err, errlen, "a %llu-byte image is not a known floppy format",
                     (unsigned long long)blockdev_size(bd));
        return false;
    }
    struct fdc_drive *dr = &f->drive[n];
    if (!dr->connected) fdc_connect(f, n, fmt->cmos_type);
    dr->bd = bd;
    dr->fmt = fmt;
    dr->changed = true;
    if (f->phase == FDC_PH_EXEC && f->x.stage == FDC_XS_STALL)
        clock_timer_arm(f->clock, &f->timer, clock_now(f->clock));
    return true;
}

void fdc_eject(struct fdc *f, int n)
{
    if (n < 0 || n >= FDC_DRIVES) return;
    f->drive[n].bd = NULL;
    f->drive[n].fmt = NULL;
    f->drive[n].changed = true;
}

int fdc_cmos_type(const struct fdc *f, int n)
{
    return n >= 0 && n < FDC_DRIVES && f->drive[n].connected ? f->drive[n].cmos_type : 0;
}

bool fdc_state_valid(const struct fdc *f)
{
    const struct fdc_xfer *x = &f->x;
    return f->phase <= FDC_PH_RESULT && f->cmd_len >= 0 && f->cmd_len <= (int)sizeof(f->cmd) &&
           f->cmd_pos >= 0 && f->cmd_pos <= f->cmd_len && f->res_len >= 0 &&
           f->res_len <= (int)sizeof(f->res) && f->res_pos >= 0 && f->res_pos <= f->res_len &&
           f->buf_len >= 0 && f->buf_len <= FDC_BUF_SIZE && f->buf_pos >= 0 &&
           f->buf_pos <= f->buf_len && x->stage <= FDC_XS_RESULT && x->ds < 4 && x->hds < 2 &&
           x->len >= 0 && x->len <= FDC_BUF_SIZE && x->count >= -1 && x->count <= 256;
}
