/* SPDX-License-Identifier: MIT */
/*
 * The Intel 82077AA floppy disk controller in PC/AT mode at ports 3F0-3F5
 * and 3F7 (3F6 belongs to the IDE controller), with up to two drives whose
 * media are raw images (struct blockdev, not owned). Data moves by DMA on
 * channel 2 (devices/dma.h) or through the FIFO; interrupts go out on IRQ 6.
 * Owns only struct fdc; knows nothing of the CPU or of guest memory. Follows
 * the Intel 82077AA datasheet (290166-007), sections 2 (registers), 5
 * (command set) and 7-8 (reset, polling, programming guidelines).
 */
#ifndef KILN_DEVICES_FDC_H
#define KILN_DEVICES_FDC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/blockdev.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/dma.h"
#include "devices/irq.h"

#define FDC_BASE     0x3f0
#define FDC_IRQ      6
#define FDC_DMA_CHAN 2
#define FDC_DRIVES   2 /* connectors on an AT; the chip addresses four */

#define FDC_SECTOR_SIZE 512  /* the only sector size raw images hold (N = 2) */
#define FDC_BUF_SIZE    1024 /* a sector, or FORMAT's 4-byte IDs for up to 255 sectors */

/* Media formats Kiln recognises by image size (private to fdc.c). */
struct fdc_format {
    uint32_t size;
    uint8_t cyls, heads, spt;
    uint8_t rate;      /* DRATE code the media is recorded at: 0 500K, 1 300K, 2 250K, 3 1M */
    uint8_t cmos_type; /* the drive that reads it: 1 360K, 2 1.2M, 3 720K, 4 1.44M, 5 2.88M */
    uint16_t rpm;
    const char *name;
};

/* One drive. Fields are private to fdc.c. */
struct fdc_drive {
    bool connected;
    uint8_t cmos_type;
    struct blockdev *bd; /* NULL: no diskette */
    const struct fdc_format *fmt;
    uint8_t track; /* physical head position */
    bool changed;  /* the DSKCHG line's latch, cleared by a step pulse with a diskette in */
};

/* The execution phase of a data command (private to fdc.c). */
struct fdc_xfer {
    uint8_t op;      /* command code, bits 4-0 */
    uint8_t stage;   /* what the execution timer does next */
    uint8_t ds, hds; /* the command's drive and head select */
    bool mt, mfm, sk, write, tc, no_increment, verify_ec, matched;
    uint8_t c, h, r, n, eot, gpl, dtl;
    uint8_t st0, st1, st2;
    int count;         /* VERIFY with EC: sectors left; READ TRACK: sectors read */
    int len;           /* bytes the current DMA or PIO transfer moves */
    uint64_t off;      /* image offset of the current sector */
    uint64_t deadline; /* DMA wait: when the FIFO overruns */
    uint8_t res[7];    /* the result bytes, ready before the result phase */
};

/* Fields are private to fdc.c; exposed only so machines can embed. */
struct fdc {
    struct clock *clock;
    struct dma *dma;
    struct irq_line irq;
    bool irq_level, int_pending;
    struct fdc_drive drive[FDC_DRIVES];

    uint8_t dor, tdr, dsr, rate;
    bool in_reset;
    uint8_t phase; /* command, execution or result */
    uint8_t cmd[10];
    int cmd_len, cmd_pos;
    uint8_t res[10];
    int res_len, res_pos;
    bool res_irq; /* the result phase's interrupt: cleared by the first result read */

    uint8_t buf[FDC_BUF_SIZE];
    int buf_pos, buf_len;
    struct fdc_xfer x;
    struct clock_timer timer;

    /* SPECIFY, CONFIGURE, PERPENDICULAR MODE, LOCK and DUMPREG state. */
    uint8_t spec1, spec2, config, pretrk, perp, sc_eot;
    bool lock;

    /* Drive status for SENSE INTERRUPT STATUS. */
    uint8_t pcn[4];
    uint8_t seek_st0[4];
    uint8_t seek_pending, poll_pending, seeking; /* one bit per drive */
    struct clock_timer seek_timer;
    uint64_t seek_done_at[4];
    bool warned_ds, warned_deleted;
};

/* Power-on state (DOR 00h: the chip held in reset until the BIOS releases
 * it), claim ports 3F0-3F5 and 3F7 on 'b', interrupt through 'irq6' and move
 * data on channel 2 of 'dma'. False when a port is taken. */
KILN_MUST_CHECK bool fdc_init(struct fdc *f, struct bus *b, struct clock *c, struct irq_line irq6,
                              struct dma *dma);

/* Connect an empty drive 'n' (0-1) of CMOS type 'cmos_type' (1-5). */
void fdc_connect(struct fdc *f, int n, int cmos_type);

/* Put 'bd' (not owned; must outlive its stay) into drive 'n', connecting the
 * drive if needed (its type then follows the media). The format comes from
 * the image size; an unknown size is refused with a message in 'err'. The
 * disk-change line goes active. */
KILN_MUST_CHECK bool fdc_insert(struct fdc *f, int n, struct blockdev *bd, char *err,
                                size_t errlen);

/* Remove the diskette from drive 'n'; the disk-change line goes active. */
void fdc_eject(struct fdc *f, int n);

/* The CMOS type of drive 'n' (register 10h nibble), 0 when not connected. */
int fdc_cmos_type(const struct fdc *f, int n);

/* For machine snapshots: true when the indexes and state codes in 'f' are
 * ones the controller can run from (any other values did not come from a
 * running controller). */
bool fdc_state_valid(const struct fdc *f);

#endif
