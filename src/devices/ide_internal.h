/* SPDX-License-Identifier: MIT */
/*
 * Shared between the IDE files only (ide.c, ide_ata.c, ide_atapi.c,
 * ide_mmc.c, ide_busmaster.c): register bits and the functions one part of
 * the controller calls in another. Not for the machine; it uses ide.h.
 * Bit names follow ATA/ATAPI-6 section 7, SFF-8020i 7.1 and SFF-8038i.
 */
#ifndef KILN_DEVICES_IDE_INTERNAL_H
#define KILN_DEVICES_IDE_INTERNAL_H

#include "devices/ide.h"

/* Status register */
#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_DSC  0x10
#define ST_DF   0x20
#define ST_DRDY 0x40
#define ST_BSY  0x80

/* Error register (ATA); ATAPI puts the sense key in bits 7:4 */
#define ER_ABRT 0x04
#define ER_IDNF 0x10
#define ER_UNC  0x40

/* Device control register */
#define DC_NIEN 0x02
#define DC_SRST 0x04
#define DC_HOB  0x80

/* Device register */
#define DEV_LBA 0x40
#define DEV_DEV 0x10

/* ATAPI interrupt reason (sector count register) */
#define IR_COD 0x01
#define IR_IO  0x02

/* Bus master command and status (SFF-8038i 3.1) */
#define BM_CMD_START    0x01
#define BM_CMD_TO_MEM   0x08
#define BM_ST_ACTIVE    0x01
#define BM_ST_ERROR     0x02
#define BM_ST_INTR      0x04
#define BM_ST_CAPABLE   0x60

/* SCSI/MMC sense keys */
#define SK_NO_SENSE        0x0
#define SK_NOT_READY       0x2
#define SK_MEDIUM_ERROR    0x3
#define SK_ILLEGAL_REQUEST 0x5
#define SK_UNIT_ATTENTION  0x6
#define SK_ABORTED_COMMAND 0xb

/* Bytes per sector of the drive's medium. */
static inline uint32_t ide_secsize(const struct ide_drive *d)
{
    return d->kind == IDE_CDROM ? 2048 : 512;
}

static inline uint16_t be16_get(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32_get(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void be16_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void be32_put(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* ide.c: the drive state machine shared by ATA and ATAPI. */
void ide_schedule(struct ide_drive *d, enum ide_event ev); /* BSY now, 'ev' after IDE_DELAY_NS */
void ide_raise_irq(struct ide_drive *d);                   /* assert INTRQ */
void ide_set_signature(struct ide_drive *d);               /* ATA-6 9.12 signature */
void ide_complete(struct ide_drive *d);                    /* DRDY, no DRQ, IRQ */
void ide_abort(struct ide_drive *d, uint8_t error);        /* DRDY|ERR, error, IRQ */
void ide_start_pio_in(struct ide_drive *d, uint32_t len);  /* DRQ for buf[0, len), IRQ */
bool ide_stream_fill(struct ide_drive *d);                 /* stage data; false on an I/O error */
bool ide_pci_master_enabled(const struct ide *ide);

/* ide_ata.c: hard disks. */
void ide_disk_setup(struct ide_drive *d);         /* geometry and defaults from the image */
void ide_ata_exec(struct ide_drive *d);           /* IDE_EV_EXEC for a disk */
void ide_ata_pio_in(struct ide_drive *d);         /* IDE_EV_PIO_IN */
void ide_ata_pio_out(struct ide_drive *d);        /* IDE_EV_PIO_OUT */
void ide_ata_block_done(struct ide_drive *d);     /* the host moved the whole DRQ block */
void ide_ata_dma_done(struct ide_drive *d);       /* IDE_EV_DMA_DONE */
bool ide_ata_dma_flush(struct ide_drive *d);      /* write staged DMA data; false on error */
void ide_ata_dma_failed(struct ide_drive *d, bool medium); /* medium or bus error */
void ide_set_features(struct ide_drive *d);       /* SET FEATURES (both kinds) */
void ide_identify_strings(uint16_t *id, const struct ide_drive *d);
void ide_identify_checksum(uint16_t *id);

/* ide_atapi.c: the packet protocol. */
void ide_atapi_exec(struct ide_drive *d);          /* IDE_EV_EXEC for a CD-ROM */
void ide_atapi_packet(struct ide_drive *d);        /* IDE_EV_PACKET */
void ide_atapi_next(struct ide_drive *d);          /* IDE_EV_ATAPI_NEXT */
void ide_atapi_block_done(struct ide_drive *d);    /* the host moved the whole DRQ block */
void ide_atapi_dma_done(struct ide_drive *d);      /* IDE_EV_DMA_DONE */
void ide_atapi_dma_failed(struct ide_drive *d, bool medium);
void ide_atapi_set_sense(struct ide_drive *d, uint8_t key, uint8_t asc, uint8_t ascq);
void ide_atapi_reset(struct ide_drive *d);         /* power-on state of the ATAPI part */

/* ide_mmc.c: MMC command replies. Each builds its reply in d->buf and returns
 * its length, or -1 after setting the sense data. */
int ide_mmc_inquiry(struct ide_drive *d);
int ide_mmc_request_sense(struct ide_drive *d);
int ide_mmc_read_capacity(struct ide_drive *d);
int ide_mmc_read_toc(struct ide_drive *d);
int ide_mmc_mode_sense(struct ide_drive *d);
int ide_mmc_get_configuration(struct ide_drive *d);
int ide_mmc_event_status(struct ide_drive *d);
int ide_mmc_disc_info(struct ide_drive *d);
int ide_mmc_mechanism_status(struct ide_drive *d);
bool ide_medium_present(const struct ide_drive *d);

/* ide_busmaster.c */
extern const struct io_ops ide_bm_ops;
void ide_bm_try(struct ide_channel *ch); /* run a DMA whose device and engine are both ready */
void ide_bm_reset(struct ide_channel *ch);

#endif
