/* SPDX-License-Identifier: MIT */
/*
 * ATAPI CD-ROM drives (see ide.h): the ATA commands a packet device takes
 * (IDENTIFY PACKET DEVICE, PACKET, DEVICE RESET), the packet protocol with
 * its byte count limit and interrupt reason, sense data and UNIT ATTENTION,
 * and the packet commands that move data or change state. Reply layouts
 * are in ide_mmc.c; DMA data goes through ide_busmaster.c. Follows
 * SFF-8020i 5.x (protocol) and 10.x (commands), ATA/ATAPI-6 8.17 and 9.10,
 * and MMC-2 for sense codes.
 */
#include <string.h>

#include "common/log.h"
#include "devices/ide_internal.h"

#define PACKET_FEATURE_DMA 0x01
#define PACKET_FEATURE_OVL 0x02

void ide_atapi_set_sense(struct ide_drive *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    d->sense_key = key;
    d->asc = asc;
    d->ascq = ascq;
}

bool ide_medium_present(const struct ide_drive *d)
{
    return d->bd && !d->tray_open;
}

void ide_atapi_reset(struct ide_drive *d)
{
    ide_atapi_set_sense(d, SK_NO_SENSE, 0, 0);
    d->unit_attention = false;
    d->locked = false;
    d->media_event = 0;
    d->byte_limit = 0;
}

/* ---- command completion: interrupt reason I/O = C/D = 1 (SFF-8020i 5.13) ---- */

static void packet_ok(struct ide_drive *d)
{
    d->nsect = IR_IO | IR_COD;
    ide_complete(d);
}

/* CHECK CONDITION: the sense key goes to error bits 7:4 and stays for REQUEST SENSE. */
static void packet_fail(struct ide_drive *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    ide_atapi_set_sense(d, key, asc, ascq);
    d->nsect = IR_IO | IR_COD;
    ide_abort(d, (uint8_t)(key << 4));
}

/* The sense a reply builder left behind: fail with it. */
static void packet_fail_sense(struct ide_drive *d)
{
    packet_fail(d, d->sense_key, d->asc, d->ascq);
}

static bool need_medium(struct ide_drive *d)
{
    if (ide_medium_present(d))
        return true;
    /* MMC-2: MEDIUM NOT PRESENT, tray closed (01h) or open (02h). */
    packet_fail(d, SK_NOT_READY, 0x3a, d->tray_open ? 0x02 : 0x01);
    return false;
}

/* ---- data-in: PIO in blocks of at most the byte count limit, or DMA ---- */

static void start_data_in(struct ide_drive *d)
{
    if (d->feature & PACKET_FEATURE_DMA) {
        d->dma_write = false;
        d->phase = IDE_PH_DMA;
        d->status = ST_DRDY | ST_DSC | ST_DRQ;
        ide_bm_try(d->ch);
        return;
    }
    ide_atapi_next(d);
}

void ide_atapi_next(struct ide_drive *d)
{
    if (!d->left) {
        packet_ok(d);
        return;
    }
    if (!ide_stream_fill(d)) {
        packet_fail(d, SK_MEDIUM_ERROR, 0x11, 0x00); /* UNRECOVERED READ ERROR */
        return;
    }
    /* SFF-8020i 5.13: an even byte count no larger than the limit; a limit of 0
     * is a host error (ATA-6 8.21) and is taken as the largest. */
    uint32_t limit = d->byte_limit & ~1u;
    if (!limit)
        limit = 0xfffe;
    uint64_t n = d->buf_len - d->buf_pos;
    if (n > d->left)
        n = d->left;
    if (n > limit)
        n = limit;
    d->pos = d->buf_pos;
    d->end = d->buf_pos + (uint32_t)n;
    d->lcyl = (uint8_t)n;
    d->hcyl = (uint8_t)(n >> 8);
    d->nsect = IR_IO;
    d->phase = IDE_PH_PIO_IN;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    ide_raise_irq(d);
}

void ide_atapi_block_done(struct ide_drive *d)
{
    uint32_t n = d->end - d->buf_pos;
    d->buf_pos = d->end;
    d->left -= n;
    ide_schedule(d, IDE_EV_ATAPI_NEXT);
}

void ide_atapi_dma_done(struct ide_drive *d)
{
    packet_ok(d);
}

void ide_atapi_dma_failed(struct ide_drive *d, bool medium)
{
    if (medium)
        packet_fail(d, SK_MEDIUM_ERROR, 0x11, 0x00);
    else
        packet_fail(d, SK_ABORTED_COMMAND, 0x00, 0x00);
}

static void send_reply(struct ide_drive *d, int len)
{
    if (len <= 0) {
        if (len < 0)
            packet_fail_sense(d);
        else
            packet_ok(d);
        return;
    }
    d->from_medium = false;
    d->buf_pos = 0;
    d->buf_len = (uint32_t)len;
    d->left = (uint64_t)len;
    start_data_in(d);
}

static void read_sectors(struct ide_drive *d, uint32_t lba, uint32_t count)
{
    if (!need_medium(d))
        return;
    if ((uint64_t)lba + count > d->sectors) {
        packet_fail(d, SK_ILLEGAL_REQUEST, 0x21, 0x00); /* LBA OUT OF RANGE */
        return;
    }
    if (!count) {
        packet_ok(d);
        return;
    }
    d->from_medium = true;
    d->lba = lba;
    d->left = (uint64_t)count * 2048;
    d->buf_pos = d->buf_len = 0;
    start_data_in(d);
}

/* READ CD (BEh) with only user data of 2048-byte sectors is READ(12) by another name. */
static void read_cd(struct ide_drive *d)
{
    const uint8_t *c = d->cdb;
    uint8_t type = (c[1] >> 2) & 7;
    if ((c[9] & 0xf8) != 0x10 || (type != 0 && type != 2)) {
        log_msg(LOG_STUB, "atapi", "READ CD of sector type %u, fields %02x", type, c[9]);
        packet_fail(d, SK_ILLEGAL_REQUEST, 0x24, 0x00);
        return;
    }
    read_sectors(d, be32_get(c + 2), (uint32_t)c[6] << 16 | (uint32_t)c[7] << 8 | c[8]);
}

static void start_stop(struct ide_drive *d)
{
    bool start = d->cdb[4] & 1, loej = d->cdb[4] & 2;
    if (loej && !start && !d->tray_open) {
        if (d->locked) {
            packet_fail(d, SK_ILLEGAL_REQUEST, 0x53, 0x02); /* MEDIUM REMOVAL PREVENTED */
            return;
        }
        d->tray_open = true;
        if (d->bd)
            d->media_event = 3; /* MediaRemoval */
    } else if (loej && start && d->tray_open) {
        d->tray_open = false;
        if (d->bd) {
            d->media_event = 2; /* NewMedia */
            d->unit_attention = true;
        }
    }
    packet_ok(d);
}

/* Commands that report a pending UNIT ATTENTION as data or ignore it (MMC-2 4.x). */
static bool ua_exempt(uint8_t op)
{
    return op == 0x03 || op == 0x12 || op == 0x46 || op == 0x4a;
}

void ide_atapi_packet(struct ide_drive *d)
{
    const uint8_t *c = d->cdb;
    uint8_t op = c[0];
    d->error = 0;
    if (op != 0x03)
        ide_atapi_set_sense(d, SK_NO_SENSE, 0, 0);
    if (d->unit_attention && !ua_exempt(op)) {
        d->unit_attention = false;
        packet_fail(d, SK_UNIT_ATTENTION, 0x28, 0x00); /* NOT READY TO READY CHANGE */
        return;
    }
    switch (op) {
    case 0x00: /* TEST UNIT READY */
        if (need_medium(d))
            packet_ok(d);
        return;
    case 0x03: send_reply(d, ide_mmc_request_sense(d)); return;
    case 0x12: send_reply(d, ide_mmc_inquiry(d)); return;
    case 0x1b: start_stop(d); return;
    case 0x1e: /* PREVENT ALLOW MEDIUM REMOVAL */
        d->locked = c[4] & 1;
        packet_ok(d);
        return;
    case 0x25:
        if (need_medium(d))
            send_reply(d, ide_mmc_read_capacity(d));
        return;
    case 0x28: read_sectors(d, be32_get(c + 2), be16_get(c + 7)); return;
    case 0xa8: read_sectors(d, be32_get(c + 2), be32_get(c + 6)); return;
    case 0xbe: read_cd(d); return;
    case 0x2b: /* SEEK(10) */
        if (!need_medium(d))
            return;
        if (be32_get(c + 2) >= d->sectors)
            packet_fail(d, SK_ILLEGAL_REQUEST, 0x21, 0x00);
        else
            packet_ok(d);
        return;
    case 0x43:
        if (need_medium(d))
            send_reply(d, ide_mmc_read_toc(d));
        return;
    case 0x51:
        if (need_medium(d))
            send_reply(d, ide_mmc_disc_info(d));
        return;
    case 0x5a: send_reply(d, ide_mmc_mode_sense(d)); return;
    case 0x46: send_reply(d, ide_mmc_get_configuration(d)); return;
    case 0x4a: send_reply(d, ide_mmc_event_status(d)); return;
    case 0xbd: send_reply(d, ide_mmc_mechanism_status(d)); return;
    case 0xbb: packet_ok(d); return; /* SET CD SPEED: any speed is fine */
    default:
        log_msg(LOG_STUB, "atapi", "packet command %02x not supported", op);
        packet_fail(d, SK_ILLEGAL_REQUEST, 0x20, 0x00); /* INVALID COMMAND OPERATION CODE */
    }
}

/* ---- ATA commands to the packet device ---- */

static void identify_packet(struct ide_drive *d)
{
    uint16_t id[256] = {0};
    /* ATAPI, CD-ROM (05h), removable, DRQ within 50 us, 12-byte packets. */
    id[0] = 0x85c0;
    ide_identify_strings(id, d);
    id[49] = 0x0f00; /* IORDY, IORDY may be disabled, LBA, DMA */
    id[51] = 0x0200;
    id[53] = 0x0006; /* words 64-70 and 88 are valid */
    id[63] = 0x0007 | (d->mdma_mode >= 0 ? (uint16_t)(0x100 << d->mdma_mode) : 0);
    id[64] = 0x0003;
    id[65] = id[66] = id[67] = id[68] = 120;
    id[80] = 0x0070; /* ATA/ATAPI-4 to -6 */
    id[82] = 0x4218; /* NOP, DEVICE RESET, PACKET, power management */
    id[83] = 0x4000;
    id[84] = 0x4000;
    id[85] = 0x4218;
    id[87] = 0x4000;
    id[88] = 0x0007 | (d->udma_mode >= 0 ? (uint16_t)(0x100 << d->udma_mode) : 0);
    id[93] = d->unit ? 0x6300 : 0x600b;
    ide_identify_checksum(id);
    for (int i = 0; i < 256; i++) {
        d->buf[2 * i] = (uint8_t)id[i];
        d->buf[2 * i + 1] = (uint8_t)(id[i] >> 8);
    }
    d->left = 0;
    ide_start_pio_in(d, 512);
}

static void packet_command(struct ide_drive *d)
{
    if (d->feature & PACKET_FEATURE_OVL) {
        ide_abort(d, ER_ABRT); /* overlap is not supported (IDENTIFY word 49 bit 13) */
        return;
    }
    d->byte_limit = (uint16_t)(d->hcyl << 8 | d->lcyl);
    d->pos = 0;
    d->end = sizeof(d->cdb);
    d->nsect = IR_COD; /* C/D = 1, I/O = 0: the device wants the command packet */
    d->phase = IDE_PH_PACKET;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
}

void ide_atapi_exec(struct ide_drive *d)
{
    switch (d->cmd) {
    case 0xa0: packet_command(d); return;
    case 0xa1: identify_packet(d); return;
    case 0x08: /* DEVICE RESET (ATA-6 8.7): signature, no interrupt */
        ide_set_signature(d);
        d->error = 0x01;
        d->phase = IDE_PH_IDLE;
        d->status = 0;
        return;
    case 0xec: /* ATA-6 8.15: a packet device aborts with its signature */
        ide_set_signature(d);
        ide_abort(d, ER_ABRT);
        return;
    case 0xef: ide_set_features(d); return;
    case 0xe5: /* CHECK POWER MODE */
        d->nsect = 0xff;
        ide_complete(d);
        return;
    case 0xe0: case 0xe1: case 0xe6: /* STANDBY IMMEDIATE, IDLE IMMEDIATE, SLEEP */
        ide_complete(d);
        return;
    default:
        if (d->cmd != 0x00)
            log_msg(LOG_STUB, "atapi", "ATA command %02x to a packet device", d->cmd);
        ide_abort(d, ER_ABRT);
    }
}
