/* SPDX-License-Identifier: MIT */
/*
 * ATA hard disks (see ide.h): geometry, IDENTIFY DEVICE, CHS/LBA28/LBA48
 * addressing, PIO data-in and data-out (single sector and multiple), DMA
 * set-up and completion, and the non-data commands. Touches only its
 * drive; the bus master (ide_busmaster.c) moves DMA data. Follows
 * ATA/ATAPI-6 (T13/1410D) section 8 for each command and 8.15 (IDENTIFY
 * DEVICE) word by word; ATA-4/5 for the obsolete words older guests read.
 */
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "devices/ide_internal.h"

#define CHS_MAX_SECTORS (16383u * 16u * 63u) /* ATA-6 6.2.1: the CHS limit */
#define LBA28_MAX       0x0fffffffu
#define MULT_MAX        16 /* sectors per READ/WRITE MULTIPLE block, IDENTIFY word 47 */

void ide_disk_setup(struct ide_drive *d)
{
    uint64_t s = d->sectors;
    /* The usual translation (16 heads, 63 sectors) wherever it fits; tiny images
     * get fewer heads, then fewer sectors, so that C x H x S stays within the disk. */
    if (s >= CHS_MAX_SECTORS) {
        d->cyls = 16383, d->heads = 16, d->spt = 63;
    } else if (s >= 16 * 63) {
        d->cyls = (uint16_t)(s / (16 * 63)), d->heads = 16, d->spt = 63;
    } else if (s >= 63) {
        d->cyls = 1, d->heads = (uint16_t)(s / 63), d->spt = 63;
    } else {
        d->cyls = s ? 1 : 0, d->heads = s ? 1 : 0, d->spt = (uint16_t)s;
    }
    d->cur_cyls = d->cyls;
    d->cur_heads = d->heads;
    d->cur_spt = d->spt;
}

/* ATA strings: two characters per word, the first in the high byte, space-padded. */
static void put_string(uint16_t *id, int word, int nwords, const char *s)
{
    size_t len = strlen(s);
    for (int i = 0; i < nwords * 2; i++) {
        uint8_t c = (size_t)i < len ? (uint8_t)s[i] : ' ';
        if (i & 1)
            id[word + i / 2] |= c;
        else
            id[word + i / 2] = (uint16_t)(c << 8);
    }
}

void ide_identify_strings(uint16_t *id, const struct ide_drive *d)
{
    char serial[21];
    snprintf(serial, sizeof(serial), "KILN%c%d%d-%08X", d->kind == IDE_CDROM ? 'C' : 'D',
             d->ch->index, d->unit, (unsigned)(d->sectors & 0xffffffffu));
    put_string(id, 10, 10, serial);
    put_string(id, 23, 4, "0.1");
    put_string(id, 27, 20, d->kind == IDE_CDROM ? "Kiln ATAPI CD-ROM" : "Kiln ATA Disk");
}

void ide_identify_checksum(uint16_t *id)
{
    /* ATA-6 8.15.61: signature A5h, then the byte that makes all 512 sum to 0. */
    id[255] = 0x00a5;
    uint8_t sum = 0;
    for (int i = 0; i < 255; i++)
        sum = (uint8_t)(sum + (id[i] & 0xff) + (id[i] >> 8));
    sum = (uint8_t)(sum + 0xa5);
    id[255] |= (uint16_t)((uint8_t)-sum << 8);
}

static void identify(struct ide_drive *d)
{
    uint16_t id[256] = {0};
    uint32_t lba28 = d->sectors > LBA28_MAX ? LBA28_MAX : (uint32_t)d->sectors;
    uint32_t chs = (uint32_t)d->cur_cyls * d->cur_heads * d->cur_spt;
    id[0] = 0x0040; /* ATA device, fixed */
    id[1] = d->cyls;
    id[3] = d->heads;
    id[4] = (uint16_t)(512 * d->spt); /* retired: unformatted bytes per track */
    id[5] = 512;                      /* retired: unformatted bytes per sector */
    id[6] = d->spt;
    ide_identify_strings(id, d);
    id[20] = 3;   /* retired: buffer type */
    id[21] = 512; /* retired: buffer size in sectors */
    id[22] = 4;   /* obsolete: ECC bytes on READ/WRITE LONG */
    id[47] = 0x8000 | MULT_MAX;
    id[49] = 0x0f00; /* IORDY, IORDY may be disabled, LBA, DMA */
    id[50] = 0x4000;
    id[51] = 0x0200; /* obsolete PIO timing mode 2 */
    id[52] = 0x0200;
    id[53] = 0x0007; /* words 54-58, 64-70 and 88 are valid */
    id[54] = d->cur_cyls;
    id[55] = d->cur_heads;
    id[56] = d->cur_spt;
    id[57] = (uint16_t)chs;
    id[58] = (uint16_t)(chs >> 16);
    id[59] = d->mult ? (uint16_t)(0x0100 | d->mult) : 0;
    id[60] = (uint16_t)lba28;
    id[61] = (uint16_t)(lba28 >> 16);
    id[63] = 0x0007 | (d->mdma_mode >= 0 ? (uint16_t)(0x100 << d->mdma_mode) : 0);
    id[64] = 0x0003; /* PIO modes 3 and 4 */
    id[65] = id[66] = id[67] = id[68] = 120;
    id[80] = 0x007e; /* ATA-1 to ATA/ATAPI-6 */
    id[82] = 0x4068; /* NOP, look-ahead, write cache, power management */
    id[83] = 0x7400; /* FLUSH CACHE EXT, FLUSH CACHE, 48-bit addresses */
    id[84] = 0x4000;
    id[85] = (uint16_t)(0x4008 | (d->lookahead ? 0x40 : 0) | (d->wcache ? 0x20 : 0));
    id[86] = 0x3400;
    id[87] = 0x4000;
    id[88] = 0x003f | (d->udma_mode >= 0 ? (uint16_t)(0x100 << d->udma_mode) : 0);
    id[93] = d->unit ? 0x6300 : 0x600b; /* 80-conductor cable, jumpered, diagnostics passed */
    for (int i = 0; i < 4; i++)
        id[100 + i] = (uint16_t)(d->sectors >> (16 * i));
    ide_identify_checksum(id);
    for (int i = 0; i < 256; i++) {
        d->buf[2 * i] = (uint8_t)id[i];
        d->buf[2 * i + 1] = (uint8_t)(id[i] >> 8);
    }
    d->left = 0;
    ide_start_pio_in(d, 512);
}

/* ---- addressing ---- */

/* Write 'lba' back into the address registers in the command's own form:
 * the error outputs name the failing sector, the normal ones the last. */
static void set_address(struct ide_drive *d, uint64_t lba)
{
    if (d->lba48) {
        d->sect = (uint8_t)lba, d->lcyl = (uint8_t)(lba >> 8), d->hcyl = (uint8_t)(lba >> 16);
        d->hob_sect = (uint8_t)(lba >> 24), d->hob_lcyl = (uint8_t)(lba >> 32);
        d->hob_hcyl = (uint8_t)(lba >> 40);
    } else if (d->select & DEV_LBA) {
        d->sect = (uint8_t)lba, d->lcyl = (uint8_t)(lba >> 8), d->hcyl = (uint8_t)(lba >> 16);
        d->select = (uint8_t)((d->select & 0xf0) | ((lba >> 24) & 0x0f));
    } else if (d->cur_heads && d->cur_spt) {
        uint64_t track = lba / d->cur_spt;
        uint32_t cyl = (uint32_t)(track / d->cur_heads);
        d->sect = (uint8_t)(lba % d->cur_spt + 1);
        d->lcyl = (uint8_t)cyl, d->hcyl = (uint8_t)(cyl >> 8);
        d->select = (uint8_t)((d->select & 0xf0) | (track % d->cur_heads));
    }
}

/* The command's first sector and count; on an address outside the medium
 * the command is aborted with IDNF (ATA-6 8.x error outputs) and false. */
static bool get_address(struct ide_drive *d, bool ext, uint64_t *lba, uint32_t *count)
{
    d->lba48 = ext;
    if (ext) {
        *count = (uint32_t)(d->hob_nsect << 8 | d->nsect);
        if (!*count)
            *count = 65536;
        *lba = (uint64_t)d->hob_hcyl << 40 | (uint64_t)d->hob_lcyl << 32 |
               (uint64_t)d->hob_sect << 24 | (uint32_t)d->hcyl << 16 | (uint32_t)d->lcyl << 8 |
               d->sect;
    } else {
        *count = d->nsect ? d->nsect : 256;
        if (d->select & DEV_LBA) {
            *lba = (uint32_t)(d->select & 0x0f) << 24 | (uint32_t)d->hcyl << 16 |
                   (uint32_t)d->lcyl << 8 | d->sect;
        } else {
            uint32_t c = (uint32_t)(d->hcyl << 8 | d->lcyl), h = d->select & 0x0f, s = d->sect;
            if (!s || s > d->cur_spt || h >= d->cur_heads || c >= d->cur_cyls) {
                ide_abort(d, ER_IDNF);
                return false;
            }
            *lba = ((uint64_t)c * d->cur_heads + h) * d->cur_spt + s - 1;
        }
    }
    /* 28-bit commands reach only as far as IDENTIFY words 60-61 say. */
    uint64_t limit = !ext && d->sectors > LBA28_MAX ? LBA28_MAX : d->sectors;
    if (*lba >= limit || *count > limit - *lba) {
        set_address(d, *lba < limit ? limit : *lba);
        ide_abort(d, ER_IDNF);
        return false;
    }
    return true;
}

/* Sector count register after a command: sectors not transferred. */
static void finish_registers(struct ide_drive *d, uint64_t last)
{
    set_address(d, last);
    d->nsect = 0;
    if (d->lba48)
        d->hob_nsect = 0;
}

static bool writable(struct ide_drive *d)
{
    if (!blockdev_read_only(d->bd))
        return true;
    log_msg(LOG_GUEST, "ide", "write to the read-only disk %d:%d refused", d->ch->index, d->unit);
    ide_abort(d, ER_ABRT);
    return false;
}

/* ---- PIO ---- */

static void start_pio(struct ide_drive *d, bool ext, bool multiple, bool write)
{
    uint64_t lba;
    uint32_t count;
    if (multiple && !d->mult) {
        ide_abort(d, ER_ABRT); /* ATA-6 8.27: multiple mode not enabled */
        return;
    }
    if (!get_address(d, ext, &lba, &count) || (write && !writable(d)))
        return;
    d->lba = lba;
    d->left = (uint64_t)count * 512;
    d->block = multiple ? d->mult : 1;
    if (!write) {
        ide_ata_pio_in(d);
        return;
    }
    uint32_t n = count < d->block ? count : d->block;
    d->pos = 0;
    d->end = n * 512;
    d->phase = IDE_PH_PIO_OUT;
    d->status = ST_DRDY | ST_DSC | ST_DRQ; /* ATA-6 9.8: no interrupt before the first block */
}

void ide_ata_pio_in(struct ide_drive *d)
{
    uint32_t n = (uint32_t)(d->left / 512);
    if (n > d->block)
        n = d->block;
    if (!blockdev_read(d->bd, d->lba * 512, d->buf, (size_t)n * 512)) {
        set_address(d, d->lba);
        ide_abort(d, ER_UNC);
        return;
    }
    d->lba += n;
    d->left -= (uint64_t)n * 512;
    if (!d->left)
        finish_registers(d, d->lba - 1);
    ide_start_pio_in(d, n * 512);
}

void ide_ata_block_done(struct ide_drive *d)
{
    ide_schedule(d, IDE_EV_PIO_IN);
}

void ide_ata_pio_out(struct ide_drive *d)
{
    uint32_t n = d->end / 512;
    if (!blockdev_write(d->bd, d->lba * 512, d->buf, (size_t)n * 512)) {
        set_address(d, d->lba);
        ide_abort(d, ER_ABRT);
        return;
    }
    d->lba += n;
    d->left -= (uint64_t)n * 512;
    if (!d->left) {
        finish_registers(d, d->lba - 1);
        ide_complete(d);
        return;
    }
    n = (uint32_t)(d->left / 512);
    if (n > d->block)
        n = d->block;
    d->pos = 0;
    d->end = n * 512;
    d->phase = IDE_PH_PIO_OUT;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    ide_raise_irq(d);
}

/* ---- DMA ---- */

static void start_dma(struct ide_drive *d, bool ext, bool write)
{
    uint64_t lba;
    uint32_t count;
    if (!get_address(d, ext, &lba, &count) || (write && !writable(d)))
        return;
    d->lba = lba;
    d->left = (uint64_t)count * 512;
    d->buf_pos = d->buf_len = 0;
    d->dma_write = write;
    d->from_medium = !write;
    d->phase = IDE_PH_DMA;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    ide_bm_try(d->ch);
}

bool ide_ata_dma_flush(struct ide_drive *d)
{
    if (!blockdev_write(d->bd, d->lba * 512, d->buf, d->buf_len))
        return false;
    d->lba += d->buf_len / 512;
    d->left -= d->buf_len;
    d->buf_len = 0;
    return true;
}

void ide_ata_dma_done(struct ide_drive *d)
{
    finish_registers(d, d->lba - 1);
    ide_complete(d);
}

void ide_ata_dma_failed(struct ide_drive *d, bool medium)
{
    /* A medium read error names the sector (UNC); a bus error or a failed write aborts. */
    set_address(d, d->lba);
    ide_abort(d, medium && !d->dma_write ? ER_UNC : ER_ABRT);
}

/* ---- non-data commands ---- */

static void verify(struct ide_drive *d, bool ext)
{
    uint64_t lba;
    uint32_t count;
    if (!get_address(d, ext, &lba, &count))
        return;
    finish_registers(d, lba + count - 1);
    ide_complete(d);
}

static void seek(struct ide_drive *d)
{
    uint64_t lba;
    uint32_t count;
    uint8_t nsect = d->nsect;
    d->nsect = 1; /* SEEK has no count: check only the address */
    bool ok = get_address(d, false, &lba, &count);
    d->nsect = nsect;
    if (ok)
        ide_complete(d);
}

static void initialize_parameters(struct ide_drive *d)
{
    /* ATA-4 8.16: sectors per track from the count, heads from DEV bits 3:0. */
    uint32_t spt = d->nsect, heads = (d->select & 0x0f) + 1u;
    uint64_t total = d->sectors < CHS_MAX_SECTORS ? d->sectors : CHS_MAX_SECTORS;
    uint64_t cyls = spt ? total / (spt * heads) : 0;
    if (!cyls) {
        ide_abort(d, ER_ABRT);
        return;
    }
    d->cur_spt = (uint16_t)spt;
    d->cur_heads = (uint16_t)heads;
    d->cur_cyls = (uint16_t)(cyls > 65535 ? 65535 : cyls);
    ide_complete(d);
}

static void set_multiple(struct ide_drive *d)
{
    uint8_t n = d->nsect;
    if (n > MULT_MAX || (n & (n - 1))) {
        ide_abort(d, ER_ABRT); /* ATA-6 8.39: not a supported block size */
        return;
    }
    d->mult = n; /* 0 disables multiple mode */
    ide_complete(d);
}

void ide_set_features(struct ide_drive *d)
{
    uint8_t v = d->nsect;
    switch (d->feature) {
    case 0x03: /* set transfer mode (ATA-6 8.46.11) */
        if (v <= 0x01 || (v >= 0x08 && v <= 0x0c)) {
            d->pio_mode = v >= 0x08 ? v & 7 : 0;
        } else if (v >= 0x20 && v <= 0x22) {
            d->mdma_mode = v & 7, d->udma_mode = -1;
        } else if (v >= 0x40 && v <= 0x45 && (d->kind == IDE_DISK || v <= 0x42)) {
            d->udma_mode = v & 7, d->mdma_mode = -1;
        } else {
            ide_abort(d, ER_ABRT); /* single-word DMA and unknown modes */
            return;
        }
        break;
    case 0x02: d->wcache = true; break;
    case 0x82: d->wcache = false; break;
    case 0xaa: d->lookahead = true; break;
    case 0x55: d->lookahead = false; break;
    case 0x66: case 0xcc: break; /* revert to power-on defaults: nothing else to revert */
    default:
        log_msg(LOG_STUB, "ide", "SET FEATURES %02x not supported", d->feature);
        ide_abort(d, ER_ABRT);
        return;
    }
    ide_complete(d);
}

void ide_ata_exec(struct ide_drive *d)
{
    uint8_t c = d->cmd;
    switch (c) {
    case 0xec: identify(d); return;
    case 0x20: case 0x21: start_pio(d, false, false, false); return;
    case 0x24: start_pio(d, true, false, false); return;
    case 0x29: start_pio(d, true, true, false); return;
    case 0xc4: start_pio(d, false, true, false); return;
    case 0x30: case 0x31: start_pio(d, false, false, true); return;
    case 0x34: start_pio(d, true, false, true); return;
    case 0x39: start_pio(d, true, true, true); return;
    case 0xc5: start_pio(d, false, true, true); return;
    case 0xc8: case 0xc9: start_dma(d, false, false); return;
    case 0x25: start_dma(d, true, false); return;
    case 0xca: case 0xcb: start_dma(d, false, true); return;
    case 0x35: start_dma(d, true, true); return;
    case 0x40: case 0x41: verify(d, false); return;
    case 0x42: verify(d, true); return;
    case 0x91: initialize_parameters(d); return;
    case 0xc6: set_multiple(d); return;
    case 0xef: ide_set_features(d); return;
    case 0xe5: case 0x98: /* CHECK POWER MODE: always active or idle */
        d->nsect = 0xff;
        ide_complete(d);
        return;
    case 0xe7: case 0xea: /* FLUSH CACHE (EXT): the blockdev writes through */
    case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xe6: /* power states: no-ops */
    case 0x94: case 0x95: case 0x96: case 0x97: case 0x99:
        ide_complete(d);
        return;
    default:
        if (c >= 0x70 && c <= 0x7f) {
            seek(d);
            return;
        }
        if (c >= 0x10 && c <= 0x1f) { /* RECALIBRATE (obsolete, still used by DOS) */
            ide_complete(d);
            return;
        }
        /* NOP, PACKET, IDENTIFY PACKET DEVICE, DEVICE RESET and the rest abort. */
        if (c != 0x00 && c != 0xa0 && c != 0xa1 && c != 0x08)
            log_msg(LOG_STUB, "ide", "ATA command %02x not supported", c);
        ide_abort(d, ER_ABRT);
    }
}
