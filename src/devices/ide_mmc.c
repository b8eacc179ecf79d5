/* SPDX-License-Identifier: MIT */
/*
 * Reply data of the ATAPI CD-ROM's packet commands (see ide_internal.h):
 * INQUIRY, REQUEST SENSE, READ CAPACITY, READ TOC/PMA/ATIP, MODE SENSE(10),
 * GET CONFIGURATION, GET EVENT STATUS NOTIFICATION, READ DISC INFORMATION
 * and MECHANISM STATUS, for a single-session disc with one data track.
 * Builds bytes in the drive's buffer and nothing else; the protocol is in
 * ide_atapi.c. Layouts follow SFF-8020i 10.8 and MMC-2 (T10/1228D) 5.x-6.x.
 */
#include <string.h>

#include "common/log.h"
#include "devices/ide_internal.h"

#define CD_FRAMES_PER_SECOND 75
#define CD_LEAD_IN_FRAMES    150 /* LBA 0 is MSF 00:02:00 */
#define ADR_CONTROL_DATA     0x14 /* Q sub-channel: ADR 1, data track, copy not permitted */
#define PROFILE_CD_ROM       0x0008

/* Return the reply length cut to the allocation length the host gave. */
static int fit(int len, uint32_t alloc)
{
    return (uint32_t)len < alloc ? len : (int)alloc;
}

static int invalid_field(struct ide_drive *d)
{
    ide_atapi_set_sense(d, SK_ILLEGAL_REQUEST, 0x24, 0x00); /* INVALID FIELD IN CDB */
    return -1;
}

/* The lead-out's LBA: the sector after the last one. */
static uint32_t leadout_lba(const struct ide_drive *d)
{
    return d->sectors > 0xffffffffu ? 0xffffffffu : (uint32_t)d->sectors;
}

/* A track address as LBA, or as 00h M S F with the 2-second lead-in added. */
static void put_address(uint8_t *p, uint32_t lba, bool msf)
{
    if (!msf) {
        be32_put(p, lba);
        return;
    }
    uint64_t f = (uint64_t)lba + CD_LEAD_IN_FRAMES;
    uint64_t m = f / (60 * CD_FRAMES_PER_SECOND);
    p[0] = 0;
    p[1] = m > 0xff ? 0xff : (uint8_t)m;
    p[2] = (uint8_t)(f / CD_FRAMES_PER_SECOND % 60);
    p[3] = (uint8_t)(f % CD_FRAMES_PER_SECOND);
}

int ide_mmc_inquiry(struct ide_drive *d)
{
    const uint8_t *c = d->cdb;
    if ((c[1] & 1) || c[2])
        return invalid_field(d); /* no vital product data pages */
    uint8_t *b = d->buf;
    memset(b, 0, 36);
    b[0] = 0x05; /* CD-ROM device */
    b[1] = 0x80; /* removable medium */
    b[2] = 0x00; /* ANSI version 0, as ATAPI devices report */
    b[3] = 0x21; /* ATAPI version 2, response data format 1 */
    b[4] = 36 - 5;
    memcpy(b + 8, "KILN    ", 8);
    memcpy(b + 16, "Kiln CD-ROM     ", 16);
    memcpy(b + 32, "0.1 ", 4);
    return fit(36, (uint32_t)c[3] << 8 | c[4]);
}

int ide_mmc_request_sense(struct ide_drive *d)
{
    uint8_t *b = d->buf;
    memset(b, 0, 18);
    if (d->unit_attention) { /* a pending UNIT ATTENTION is reported here and cleared */
        d->unit_attention = false;
        ide_atapi_set_sense(d, SK_UNIT_ATTENTION, 0x28, 0x00);
    }
    b[0] = 0x70; /* current error, fixed format */
    b[2] = d->sense_key;
    b[7] = 18 - 8;
    b[12] = d->asc;
    b[13] = d->ascq;
    ide_atapi_set_sense(d, SK_NO_SENSE, 0, 0);
    return fit(18, d->cdb[4]);
}

int ide_mmc_read_capacity(struct ide_drive *d)
{
    uint64_t last = d->sectors ? d->sectors - 1 : 0; /* the last block's address */
    be32_put(d->buf, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
    be32_put(d->buf + 4, 2048);
    return 8;
}

/* READ TOC format 2: the raw Q sub-channel entries A0h, A1h, A2h and track 1 (MMC-2 6.26). */
static int raw_toc(struct ide_drive *d, uint8_t *b)
{
    static const uint8_t points[4] = {0xa0, 0xa1, 0xa2, 0x01};
    int len = 4;
    for (int i = 0; i < 4; i++) {
        uint8_t *e = b + len;
        memset(e, 0, 11);
        e[0] = 1; /* session */
        e[1] = ADR_CONTROL_DATA;
        e[3] = points[i];
        if (points[i] == 0xa0 || points[i] == 0xa1)
            e[8] = 1; /* first / last track; A0h PSEC 00h: CD-ROM disc */
        else
            put_address(e + 7, points[i] == 0xa2 ? leadout_lba(d) : 0, true);
        len += 11;
    }
    b[2] = b[3] = 1; /* first and last session */
    return len;
}

int ide_mmc_read_toc(struct ide_drive *d)
{
    const uint8_t *c = d->cdb;
    bool msf = c[1] & 2;
    uint8_t format = c[2] & 0x0f, track = c[6];
    if (!format)
        format = c[9] >> 6; /* SFF-8020i kept the format in the control byte */
    uint8_t *b = d->buf;
    int len = 4;
    switch (format) {
    case 0: /* TOC: track 1, then the lead-out (AAh) */
        if (track > 1 && track != 0xaa)
            return invalid_field(d);
        for (int t = track == 0xaa ? 1 : 0; t < 2; t++) {
            uint8_t *e = b + len;
            e[0] = 0;
            e[1] = ADR_CONTROL_DATA;
            e[2] = t ? 0xaa : 1;
            e[3] = 0;
            put_address(e + 4, t ? leadout_lba(d) : 0, msf);
            len += 8;
        }
        b[2] = b[3] = 1; /* first and last track */
        break;
    case 1: /* session information: the first track of the last session */
        memset(b + 4, 0, 8);
        b[5] = ADR_CONTROL_DATA;
        b[6] = 1;
        put_address(b + 8, 0, msf);
        b[2] = b[3] = 1;
        len = 12;
        break;
    case 2: len = raw_toc(d, b); break;
    default:
        log_msg(LOG_STUB, "atapi", "READ TOC format %u", format);
        return invalid_field(d);
    }
    be16_put(b, (uint32_t)len - 2);
    return fit(len, be16_get(c + 7));
}

/* One mode page; with 'changeable' only its code and length (nothing can change). */
static int mode_page(struct ide_drive *d, uint8_t *p, uint8_t page, bool changeable)
{
    int len;
    switch (page) {
    case 0x01: /* read error recovery */
        len = 12;
        memset(p, 0, (size_t)len);
        p[3] = changeable ? 0 : 5; /* read retry count */
        break;
    case 0x0d: /* CD device parameters */
        len = 8;
        memset(p, 0, (size_t)len);
        if (!changeable) {
            be16_put(p + 4, 60); /* S units per M */
            be16_put(p + 6, CD_FRAMES_PER_SECOND);
        }
        break;
    case 0x0e: /* CD audio control: ports 0 and 1 on channels 0 and 1, full volume */
        len = 16;
        memset(p, 0, (size_t)len);
        if (!changeable) {
            p[2] = 0x04;
            p[8] = 0x01, p[9] = 0xff, p[10] = 0x02, p[11] = 0xff;
        }
        break;
    case 0x2a: /* capabilities and mechanical status (MMC-2 5.5.10) */
        len = 20;
        memset(p, 0, (size_t)len);
        if (!changeable) {
            p[2] = 0x03; /* reads CD-R and CD-RW media */
            p[6] = (uint8_t)(0x20 | 0x08 | 0x01 | (d->locked ? 0x02 : 0)); /* tray, eject, lock */
            be16_put(p + 8, 4224);  /* 24x, kB/s */
            be16_put(p + 10, 256);  /* volume levels */
            be16_put(p + 12, 512);  /* buffer, KiB */
            be16_put(p + 14, 4224);
        }
        break;
    default: return 0;
    }
    p[0] = page;
    p[1] = (uint8_t)(len - 2);
    return len;
}

int ide_mmc_mode_sense(struct ide_drive *d)
{
    const uint8_t *c = d->cdb;
    uint8_t pc = c[2] >> 6, page = c[2] & 0x3f;
    if (pc == 3) {
        ide_atapi_set_sense(d, SK_ILLEGAL_REQUEST, 0x39, 0x00); /* SAVING NOT SUPPORTED */
        return -1;
    }
    static const uint8_t all[4] = {0x01, 0x0d, 0x0e, 0x2a};
    uint8_t *b = d->buf;
    memset(b, 0, 8);
    int len = 8;
    for (int i = 0; i < 4; i++)
        if (page == 0x3f || page == all[i])
            len += mode_page(d, b + len, all[i], pc == 1);
    if (len == 8)
        return invalid_field(d);
    be16_put(b, (uint32_t)len - 2);
    /* Medium type (SFF-8020i table 10-32): 120 mm data disc, no disc, or tray open. */
    b[2] = ide_medium_present(d) ? 0x01 : (d->tray_open ? 0x71 : 0x70);
    return fit(len, be16_get(c + 7));
}

/* One feature descriptor of GET CONFIGURATION (MMC-2 5.3); returns its length. */
static int feature(struct ide_drive *d, uint8_t *p, uint16_t code, bool *current)
{
    bool medium = ide_medium_present(d);
    int add;
    *current = true;
    memset(p, 0, 16);
    switch (code) {
    case 0x0000: /* profile list: CD-ROM only */
        add = 4;
        be16_put(p + 4, PROFILE_CD_ROM);
        p[6] = medium ? 1 : 0;
        p[2] = 0x03; /* persistent, current */
        break;
    case 0x0001: /* core: ATAPI */
        add = 4;
        be32_put(p + 4, 2);
        p[2] = 0x03;
        break;
    case 0x0003: /* removable medium: tray, eject, lock */
        add = 4;
        p[4] = 0x29;
        p[2] = 0x03;
        break;
    case 0x0010: /* random readable */
        add = 8;
        be32_put(p + 4, 2048);
        be16_put(p + 8, 1);
        *current = medium;
        p[2] = medium ? 0x01 : 0;
        break;
    case 0x001e: /* CD read */
        add = 4;
        *current = medium;
        p[2] = medium ? 0x01 : 0;
        break;
    default: return 0;
    }
    be16_put(p, code);
    p[3] = (uint8_t)add;
    return 4 + add;
}

int ide_mmc_get_configuration(struct ide_drive *d)
{
    const uint8_t *c = d->cdb;
    uint8_t rt = c[1] & 3;
    uint16_t start = be16_get(c + 2);
    if (rt == 3)
        return invalid_field(d);
    static const uint16_t codes[5] = {0x0000, 0x0001, 0x0003, 0x0010, 0x001e};
    uint8_t *b = d->buf;
    memset(b, 0, 8);
    int len = 8;
    for (int i = 0; i < 5; i++) {
        bool current;
        if (codes[i] < start || (rt == 2 && codes[i] != start))
            continue;
        int n = feature(d, b + len, codes[i], &current);
        if (rt != 1 || current)
            len += n;
    }
    be32_put(b, (uint32_t)len - 4);
    be16_put(b + 6, ide_medium_present(d) ? PROFILE_CD_ROM : 0);
    return fit(len, be16_get(c + 7));
}

int ide_mmc_event_status(struct ide_drive *d)
{
    const uint8_t *c = d->cdb;
    if (!(c[1] & 1))
        return invalid_field(d); /* only polled operation */
    uint8_t *b = d->buf;
    memset(b, 0, 8);
    b[3] = 0x10; /* supported classes: media */
    if (!(c[4] & 0x10)) {
        be16_put(b, 2);
        b[2] = 0x80; /* no event available */
        return fit(4, be16_get(c + 7));
    }
    be16_put(b, 6);
    b[2] = 0x04; /* media class */
    b[4] = d->media_event;
    b[5] = (uint8_t)((ide_medium_present(d) ? 0x02 : 0) | (d->tray_open ? 0x01 : 0));
    d->media_event = 0;
    return fit(8, be16_get(c + 7));
}

int ide_mmc_disc_info(struct ide_drive *d)
{
    uint8_t *b = d->buf;
    memset(b, 0, 34);
    be16_put(b, 32);
    b[2] = 0x0e; /* last session complete, disc complete, not erasable */
    b[3] = 1;    /* first track */
    b[4] = 1;    /* sessions */
    b[5] = 1;    /* first track of the last session */
    b[6] = 1;    /* last track of the last session */
    b[8] = 0x00; /* CD-DA or CD-ROM disc */
    memset(b + 16, 0xff, 8); /* no next session: lead-in and lead-out start unknown */
    return fit(34, be16_get(d->cdb + 7));
}

int ide_mmc_mechanism_status(struct ide_drive *d)
{
    uint8_t *b = d->buf;
    memset(b, 0, 8);
    b[1] = d->tray_open ? 0x10 : 0; /* mechanism idle, door open bit */
    return fit(8, be16_get(d->cdb + 8));
}
