/* SPDX-License-Identifier: MIT */
/*
 * The PIIX3 IDE controller (PCI function 1, 8086:7010): two channels in
 * legacy mode (1F0-1F7/3F6 on IRQ 14, 170-177/376 on IRQ 15), each with a
 * master and a slave that are ATA hard disks or ATAPI CD-ROMs backed by
 * struct blockdev, and the bus-master DMA interface at BAR4. Owns struct
 * ide; never closes a blockdev (the machine opens and closes them) and
 * reaches guest memory only through the DMA callback. Follows the 82371SB
 * (PIIX3) datasheet, ATA/ATAPI-4 to -6, SFF-8038i, SFF-8020i and MMC-2.
 */
#ifndef KILN_DEVICES_IDE_H
#define KILN_DEVICES_IDE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/blockdev.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"
#include "devices/pci.h"

/* Guest time between a command (or a DRQ block) and the device's response.
 * Fixed and short: polling guests see BSY for a moment, interrupt-driven
 * ones get their IRQ soon after; it is far faster than a real disk. */
#define IDE_DELAY_NS 2000u

#define IDE_PRIMARY_IRQ   14
#define IDE_SECONDARY_IRQ 15
#define IDE_BUF_SIZE      (128u * 1024u) /* bytes staged per drive, a multiple of 2048 */

enum ide_kind { IDE_NONE, IDE_DISK, IDE_CDROM };

/* What the drive is doing (state machine of ATA-5 9.x / SFF-8020i 5.x). */
enum ide_phase {
    IDE_PH_IDLE,     /* no command: BSY = DRQ = 0 */
    IDE_PH_BUSY,     /* BSY: 'event' runs when the timer fires */
    IDE_PH_PIO_IN,   /* DRQ: the host reads buf[pos, end) */
    IDE_PH_PIO_OUT,  /* DRQ: the host writes buf[pos, end) */
    IDE_PH_PACKET,   /* DRQ: the host writes the 12-byte command packet */
    IDE_PH_DMA,      /* DMARQ: the bus master moves the data */
};

/* What the timer does when it fires (enum, not a pointer: state stays plain data). */
enum ide_event {
    IDE_EV_NONE,
    IDE_EV_EXEC,        /* run the command written to the command register */
    IDE_EV_PIO_IN,      /* ATA: load the next block, DRQ + IRQ */
    IDE_EV_PIO_OUT,     /* ATA: store the block just written; next block or done */
    IDE_EV_PACKET,      /* ATAPI: run the command packet */
    IDE_EV_ATAPI_NEXT,  /* ATAPI: next DRQ block or completion */
    IDE_EV_DMA_DONE,    /* DMA moved everything: complete the command */
    IDE_EV_RESET,       /* end of a reset: signature, ready */
};

struct ide_channel;

struct ide_drive {
    enum ide_kind kind;
    struct ide_channel *ch;
    int unit;            /* 0 master, 1 slave */
    struct blockdev *bd; /* NULL: no disk, or a CD-ROM with no disc */
    uint64_t sectors;    /* medium size in 512-byte (disk) or 2048-byte (CD) sectors */
    /* ATA geometry: default (IDENTIFY words 1, 3, 6) and current (words 54-56). */
    uint16_t cyls, heads, spt;
    uint16_t cur_cyls, cur_heads, cur_spt;
    uint8_t mult;           /* READ/WRITE MULTIPLE block size; 0 = disabled */
    uint8_t pio_mode;       /* SET FEATURES 03h */
    int8_t mdma_mode, udma_mode; /* selected DMA mode, -1 = none */
    bool wcache, lookahead;
    /* Task file: current values and the previous ones (HOB, ATA-6 6.20). */
    uint8_t feature, nsect, sect, lcyl, hcyl, select;
    uint8_t hob_feature, hob_nsect, hob_sect, hob_lcyl, hob_hcyl;
    uint8_t status, error;
    uint8_t cmd;
    bool irq; /* INTRQ pending (driven when selected and nIEN = 0) */
    /* Transfer state. */
    enum ide_phase phase;
    enum ide_event event;
    struct clock_timer timer;
    uint8_t *buf;        /* IDE_BUF_SIZE + 4 bytes */
    uint32_t pos, end;   /* PIO: the DRQ block */
    uint32_t buf_pos, buf_len; /* staged data not yet moved */
    uint64_t lba;        /* next medium sector */
    uint64_t left;       /* bytes of the command not yet moved (PIO ATA: not yet loaded) */
    uint32_t block;      /* ATA: sectors per DRQ block */
    bool lba48, from_medium, dma_write;
    /* ATAPI. */
    uint8_t cdb[12];
    uint16_t byte_limit; /* PACKET: byte count limit per DRQ block */
    uint8_t sense_key, asc, ascq;
    bool unit_attention, tray_open, locked;
    uint8_t media_event; /* GET EVENT STATUS NOTIFICATION media event code */
};

/* Where the bus master is in its PRD table (SFF-8038i 2.0). */
struct ide_prd_cursor {
    uint32_t next;  /* guest address of the next descriptor */
    uint32_t addr;  /* current region: address and bytes left */
    uint32_t left;
    uint32_t count; /* descriptors read since the start */
    bool last;      /* the current region is the EOT one */
};

struct ide_channel {
    struct ide *ide;
    int index;
    struct ide_drive drive[2];
    uint8_t cur;    /* selected unit */
    uint8_t devctl; /* device control: nIEN, SRST, HOB */
    struct irq_line irq;
    bool irq_level;
    /* Bus master (SFF-8038i, 82371SB 2.7). */
    uint8_t bm_cmd, bm_status;
    uint32_t bm_prd;
    struct ide_prd_cursor prd;
};

/* The machine's access to guest memory for bus-master DMA: move 'len' bytes
 * at guest physical 'addr' into (to_guest = false) or out of 'buf'. False
 * when the address is not memory (a PCI master abort). The machine must
 * invalidate translated code that such a write touches. */
typedef bool (*ide_dma_fn)(void *opaque, uint32_t addr, void *buf, uint32_t len, bool to_guest);

struct ide {
    struct pci_device pci;
    struct ide_channel ch[2];
    struct clock *clock;
    ide_dma_fn dma;
    void *dma_opaque;
};

/* Set up the controller as PCI function 'devfn' on 'pci' with no drives,
 * claim the legacy ports on 'b', and raise irq14/irq15. The ports answer
 * only while the guest enables them (PCI command bit 0 and IDETIM bit 15 at
 * config 41h/43h, as on the PIIX3). False on a taken port or host OOM. */
KILN_MUST_CHECK bool ide_init(struct ide *ide, struct bus *b, struct clock *c, struct pci *pci,
                              int devfn, struct irq_line irq14, struct irq_line irq15,
                              ide_dma_fn dma, void *dma_opaque);

/* Release the staging buffers (never the blockdevs). */
void ide_free(struct ide *ide);

/* Attach an ATA disk at channel 0-1, unit 0-1, before the guest runs. The
 * image's whole 512-byte sectors are the disk; 'bd' stays the caller's. */
KILN_MUST_CHECK bool ide_attach_disk(struct ide *ide, int channel, int unit, struct blockdev *bd);

/* Attach an ATAPI CD-ROM drive; 'disc' (2048-byte sectors) may be NULL. */
KILN_MUST_CHECK bool ide_attach_cdrom(struct ide *ide, int channel, int unit,
                                      struct blockdev *disc);

/* Change the disc in a CD-ROM drive (NULL: remove it). The guest sees a
 * media event and UNIT ATTENTION, as after a real disc change. */
void ide_cdrom_change(struct ide *ide, int channel, int unit, struct blockdev *disc);

/* Hardware reset (RESET-): drives and bus master to their power-on state.
 * The PCI config space is reset by pci_reset(). */
void ide_reset(struct ide *ide);

#endif
