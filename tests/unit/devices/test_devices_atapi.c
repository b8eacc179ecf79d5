/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the ATAPI CD-ROM on the secondary IDE channel through its
 * ports, with ISO-like images made in temporary files: signatures after
 * reset, IDENTIFY PACKET DEVICE, the packet protocol (interrupt reason,
 * byte count limit), INQUIRY, READ CAPACITY, READ(10)/(12) in PIO and DMA,
 * READ TOC, MODE SENSE, sense data after errors, UNIT ATTENTION after a
 * disc change, NOT READY without a disc, locking and ejecting. Expected
 * values come from SFF-8020i, ATA/ATAPI-6 and MMC-2.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "devices/ide.h"

#define CMD  0x170
#define CTL  0x376
#define BM   0xc008 /* secondary channel's bus master registers */
#define RAM  (1u << 20)
#define DISC_SECTORS 300u

#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_DRDY 0x40
#define ST_BSY  0x80

struct fx {
    struct bus *bus;
    struct clock clk;
    struct pci pci;
    struct ide ide;
    bool irq[16];
    int edges[16];
    struct blockdev *disc[2];
};

static void irq_rec(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    if (level && !f->irq[n])
        f->edges[n]++;
    f->irq[n] = level;
}

static bool dma_rw(void *opaque, uint32_t addr, void *buf, uint32_t len, bool to_guest)
{
    struct fx *f = opaque;
    if (addr >= RAM || len > RAM - addr)
        return false;
    if (to_guest)
        memcpy(bus_ram(f->bus) + addr, buf, len);
    else
        memcpy(buf, bus_ram(f->bus) + addr, len);
    return true;
}

/* Sector s of disc 'seed': the LBA, then a pattern; sector 16 is an ISO 9660
 * primary volume descriptor giving the volume size. */
static void disc_sector(uint8_t *p, uint32_t s, uint8_t seed)
{
    for (unsigned j = 0; j < 2048; j++)
        p[j] = (uint8_t)(s * 13 + j * 3 + seed);
    memcpy(p, &s, 4);
    p[4] = seed;
    if (s == 16) {
        memcpy(p, "\001CD001\001", 7);
        uint32_t n = DISC_SECTORS;
        memcpy(p + 80, &n, 4);
        for (int i = 0; i < 4; i++)
            p[84 + i] = (uint8_t)(n >> (24 - 8 * i));
    }
}

static struct blockdev *make_disc(uint8_t seed)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof(path), "%s/kiln-cd-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    uint8_t sec[2048];
    for (uint32_t s = 0; s < DISC_SECTORS; s++) {
        disc_sector(sec, s, seed);
        ck_assert_int_eq(pwrite(fd, sec, sizeof(sec), (off_t)s * 2048), 2048);
    }
    close(fd);
    char err[256] = "";
    struct blockdev *bd = blockdev_open(path, true, false, err, sizeof(err));
    unlink(path);
    ck_assert_msg(bd != NULL, "%s", err);
    return bd;
}

static void cfg_write(struct fx *f, uint8_t off, int size, uint32_t v)
{
    bus_io_write(f->bus, 0xcf8, 4, 0x80000000u | PCI_DEVFN(1, 1) << 8 | (off & 0xfcu));
    bus_io_write(f->bus, (uint16_t)(0xcfc + (off & 3)), size, v);
}

static struct fx *fx_new(bool with_disc)
{
    struct fx *f = calloc(1, sizeof(*f));
    ck_assert_ptr_nonnull(f);
    f->bus = bus_new(RAM);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    struct irq_line lines[16];
    for (int i = 0; i < 16; i++)
        lines[i] = (struct irq_line){irq_rec, f, i};
    ck_assert(pci_init(&f->pci, f->bus, lines, (struct pci_host_ops){0}));
    ck_assert(ide_init(&f->ide, f->bus, &f->clk, &f->pci, PCI_DEVFN(1, 1), lines[14], lines[15],
                       dma_rw, f));
    f->disc[0] = with_disc ? make_disc(0) : NULL;
    ck_assert(ide_attach_cdrom(&f->ide, 1, 0, f->disc[0]));
    cfg_write(f, 0x20, 4, 0xc000);
    cfg_write(f, 0x04, 2, 0x0005);
    cfg_write(f, 0x40, 4, 0x80008000u);
    return f;
}

static void fx_free(struct fx *f)
{
    ide_free(&f->ide);
    for (int i = 0; i < 2; i++)
        if (f->disc[i])
            blockdev_close(f->disc[i]);
    bus_free(f->bus);
    free(f);
}

static void outb(struct fx *f, uint16_t port, uint8_t v)
{
    bus_io_write(f->bus, port, 1, v);
}

static uint8_t inb(struct fx *f, uint16_t port)
{
    return (uint8_t)bus_io_read(f->bus, port, 1);
}

static uint8_t wait_ready(struct fx *f)
{
    for (int i = 0; i < 1000; i++) {
        uint8_t st = inb(f, CTL);
        if (!(st & ST_BSY))
            return st;
        clock_advance(&f->clk, clock_now(&f->clk) + 1000);
    }
    ck_abort_msg("device stayed busy");
    return 0xff;
}

/* PACKET with 'limit' bytes per DRQ block; returns once the device has the CDB. */
static void packet(struct fx *f, const uint8_t *cdb, uint16_t limit, bool dma)
{
    outb(f, CMD + 6, 0x00);
    outb(f, CMD + 1, dma ? 0x01 : 0x00);
    outb(f, CMD + 4, (uint8_t)limit);
    outb(f, CMD + 5, (uint8_t)(limit >> 8));
    outb(f, CMD + 7, 0xa0);
    ck_assert_uint_eq(wait_ready(f) & ST_DRQ, ST_DRQ);
    ck_assert_uint_eq(inb(f, CMD + 2) & 3, 0x01); /* C/D = 1, I/O = 0: send the packet */
    for (int i = 0; i < 6; i++)
        bus_io_write(f->bus, CMD, 2, (uint32_t)(cdb[2 * i] | cdb[2 * i + 1] << 8));
}

struct result {
    int len, blocks, first_block;
    uint8_t status, error;
};

/* Take PIO data blocks until the completion interrupt. */
static struct result data_in(struct fx *f, uint8_t *buf, int max)
{
    struct result r = {0};
    for (;;) {
        int edges = f->edges[15];
        uint8_t st = wait_ready(f);
        ck_assert_int_eq(f->edges[15], edges + 1);
        uint8_t reason = inb(f, CMD + 2) & 3;
        if (!(st & ST_DRQ)) {
            ck_assert_uint_eq(reason, 3); /* I/O = C/D = 1: command complete */
            r.error = inb(f, CMD + 1);
            r.status = inb(f, CMD + 7);
            ck_assert(!f->irq[15]);
            return r;
        }
        ck_assert_uint_eq(reason, 2); /* I/O = 1: data to the host */
        int n = inb(f, CMD + 4) | inb(f, CMD + 5) << 8;
        (void)inb(f, CMD + 7);
        for (int i = 0; i < (n + 1) / 2; i++) {
            uint16_t w = (uint16_t)bus_io_read(f->bus, CMD, 2);
            if (r.len + 2 * i < max)
                buf[r.len + 2 * i] = (uint8_t)w;
            if (r.len + 2 * i + 1 < max)
                buf[r.len + 2 * i + 1] = (uint8_t)(w >> 8);
        }
        if (!r.blocks)
            r.first_block = n;
        r.len += n;
        r.blocks++;
    }
}

static struct result run(struct fx *f, const uint8_t *cdb, uint8_t *buf, int max)
{
    packet(f, cdb, 0xfffe, false);
    return data_in(f, buf, max);
}

static uint8_t sense_key(struct fx *f, uint8_t *asc, uint8_t *ascq)
{
    uint8_t cdb[12] = {0x03, 0, 0, 0, 18}, b[18];
    struct result r = run(f, cdb, b, sizeof(b));
    ck_assert_int_eq(r.len, 18);
    ck_assert_uint_eq(r.status & ST_ERR, 0);
    ck_assert_uint_eq(b[0] & 0x7f, 0x70);
    *asc = b[12];
    *ascq = b[13];
    return b[2] & 0x0f;
}

static void expect_sense(struct fx *f, const uint8_t *cdb, uint8_t key, uint8_t asc, uint8_t ascq)
{
    uint8_t b[64];
    struct result r = run(f, cdb, b, sizeof(b));
    ck_assert_uint_eq(r.status & ST_ERR, ST_ERR);
    ck_assert_uint_eq(r.error >> 4, key); /* sense key in error bits 7:4 */
    uint8_t a, q;
    ck_assert_uint_eq(sense_key(f, &a, &q), key);
    ck_assert_uint_eq(a, asc);
    ck_assert_uint_eq(q, ascq);
}

static void expect_good(struct fx *f, const uint8_t *cdb)
{
    uint8_t b[64];
    struct result r = run(f, cdb, b, sizeof(b));
    ck_assert_uint_eq(r.status & ST_ERR, 0);
}

static const uint8_t tur[12] = {0x00};

START_TEST(test_signature)
{
    struct fx *f = fx_new(true);
    /* Power-on: the packet device signature (ATA-6 9.12), DRDY clear. */
    ck_assert_uint_eq(inb(f, CMD + 2), 0x01);
    ck_assert_uint_eq(inb(f, CMD + 3), 0x01);
    ck_assert_uint_eq(inb(f, CMD + 4), 0x14);
    ck_assert_uint_eq(inb(f, CMD + 5), 0xeb);
    ck_assert_uint_eq(inb(f, CMD + 7), 0x00);
    /* IDENTIFY DEVICE aborts and leaves the signature. */
    outb(f, CMD + 4, 0);
    outb(f, CMD + 5, 0);
    outb(f, CMD + 7, 0xec);
    ck_assert_uint_eq(wait_ready(f) & ST_ERR, ST_ERR);
    ck_assert_uint_eq(inb(f, CMD + 1), 0x04);
    ck_assert_uint_eq(inb(f, CMD + 4), 0x14);
    ck_assert_uint_eq(inb(f, CMD + 5), 0xeb);
    /* Soft reset: the signature again. */
    outb(f, CMD + 4, 0x55);
    outb(f, CMD + 5, 0xaa);
    outb(f, CTL, 0x04);
    ck_assert_uint_eq(inb(f, CTL), ST_BSY);
    outb(f, CTL, 0x00);
    ck_assert_uint_eq(wait_ready(f), 0x00);
    ck_assert_uint_eq(inb(f, CMD + 4), 0x14);
    ck_assert_uint_eq(inb(f, CMD + 5), 0xeb);
    ck_assert_uint_eq(inb(f, CMD + 1), 0x01);
    /* DEVICE RESET: the same, without an interrupt. */
    outb(f, CMD + 4, 0x55);
    outb(f, CMD + 7, 0x08);
    ck_assert_uint_eq(wait_ready(f), 0x00);
    ck_assert_uint_eq(inb(f, CMD + 4), 0x14);
    ck_assert(!f->irq[15]);
    fx_free(f);
}
END_TEST

START_TEST(test_identify_packet)
{
    struct fx *f = fx_new(true);
    outb(f, CMD + 7, 0xa1);
    ck_assert_uint_eq(wait_ready(f) & ST_DRQ, ST_DRQ);
    ck_assert(f->irq[15]);
    uint16_t id[256];
    for (int i = 0; i < 256; i++)
        id[i] = (uint16_t)bus_io_read(f->bus, CMD, 2);
    ck_assert_uint_eq(wait_ready(f) & ST_DRQ, 0);
    ck_assert_uint_eq(id[0] >> 14, 2);           /* ATAPI device */
    ck_assert_uint_eq((id[0] >> 8) & 0x1f, 0x05); /* CD-ROM */
    ck_assert_uint_eq(id[0] & 0x80, 0x80);       /* removable */
    ck_assert_uint_eq(id[0] & 0x03, 0x00);       /* 12-byte packets */
    ck_assert_uint_eq(id[49] & 0x0100, 0x0100);  /* DMA */
    ck_assert_uint_eq(id[82] & 0x0210, 0x0210);  /* PACKET and DEVICE RESET */
    uint8_t sum = 0;
    for (int i = 0; i < 256; i++)
        sum = (uint8_t)(sum + (id[i] & 0xff) + (id[i] >> 8));
    ck_assert_uint_eq(id[255] & 0xff, 0xa5);
    ck_assert_uint_eq(sum, 0);
    fx_free(f);
}
END_TEST

START_TEST(test_inquiry_and_capacity)
{
    struct fx *f = fx_new(true);
    uint8_t b[64];
    uint8_t inq[12] = {0x12, 0, 0, 0, 36};
    struct result r = run(f, inq, b, sizeof(b));
    ck_assert_int_eq(r.len, 36);
    ck_assert_uint_eq(r.status, ST_DRDY | 0x10);
    ck_assert_uint_eq(b[0] & 0x1f, 0x05);
    ck_assert_uint_eq(b[1] & 0x80, 0x80);
    ck_assert_uint_eq(b[4], 31);
    ck_assert_mem_eq(b + 16, "Kiln CD-ROM", 11);
    inq[4] = 5; /* the allocation length caps the transfer */
    r = run(f, inq, b, sizeof(b));
    ck_assert_int_eq(r.len, 5);
    uint8_t cap[12] = {0x25};
    r = run(f, cap, b, sizeof(b));
    ck_assert_int_eq(r.len, 8);
    ck_assert_uint_eq((uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3], DISC_SECTORS - 1);
    ck_assert_uint_eq((uint32_t)b[4] << 24 | b[5] << 16 | b[6] << 8 | b[7], 2048);
    fx_free(f);
}
END_TEST

START_TEST(test_read_pio)
{
    struct fx *f = fx_new(true);
    static uint8_t b[8192], want[2048];
    uint8_t rd[12] = {0x28, 0, 0, 0, 0, 15, 0, 0, 3};
    /* Byte count limit 2048: one sector per DRQ block, an interrupt each. */
    packet(f, rd, 2048, false);
    struct result r = data_in(f, b, sizeof(b));
    ck_assert_int_eq(r.len, 3 * 2048);
    ck_assert_int_eq(r.blocks, 3);
    ck_assert_uint_eq(r.status & ST_ERR, 0);
    for (uint32_t i = 0; i < 3; i++) {
        disc_sector(want, 15 + i, 0);
        ck_assert_mem_eq(b + 2048 * i, want, 2048);
    }
    ck_assert_mem_eq(b + 2048, "\001CD001", 6);
    /* An odd limit is rounded down to even: blocks of 1000 bytes. */
    memset(b, 0, sizeof(b));
    packet(f, rd, 1001, false);
    r = data_in(f, b, sizeof(b));
    ck_assert_int_eq(r.len, 3 * 2048);
    ck_assert_int_eq(r.blocks, 7);
    ck_assert_int_eq(r.first_block, 1000);
    disc_sector(want, 17, 0);
    ck_assert_mem_eq(b + 4096, want, 2048);
    /* READ(12) of the last two sectors. */
    uint8_t rd12[12] = {0xa8, 0, 0, 0, 0x01, 0x2a, 0, 0, 0, 2};
    r = run(f, rd12, b, sizeof(b));
    ck_assert_int_eq(r.len, 4096);
    disc_sector(want, DISC_SECTORS - 1, 0);
    ck_assert_mem_eq(b + 2048, want, 2048);
    /* 200 sectors: more than the drive stages at once, in blocks of at most 0xfffe. */
    static uint8_t big[200 * 2048];
    uint8_t rd200[12] = {0x28, 0, 0, 0, 0, 50, 0, 0, 200};
    r = run(f, rd200, big, sizeof(big));
    ck_assert_int_eq(r.len, 200 * 2048);
    ck_assert_int_le(r.first_block, 0xfffe);
    for (uint32_t i = 0; i < 200; i++) {
        disc_sector(want, 50 + i, 0);
        ck_assert_mem_eq(big + 2048 * i, want, 2048);
    }
    /* A transfer length of 0 moves nothing and succeeds. */
    rd[8] = 0;
    r = run(f, rd, b, sizeof(b));
    ck_assert_int_eq(r.len, 0);
    ck_assert_uint_eq(r.status & ST_ERR, 0);
    fx_free(f);
}
END_TEST

START_TEST(test_read_dma)
{
    struct fx *f = fx_new(true);
    uint8_t *ram = bus_ram(f->bus);
    uint8_t want[2048];
    uint32_t table[4] = {0x20000, 4096, 0x30000, 0x80000000u | 2048};
    memcpy(ram + 0x1000, table, sizeof(table));
    bus_io_write(f->bus, BM + 4, 4, 0x1000);
    bus_io_write(f->bus, BM, 1, 0x08);
    uint8_t rd[12] = {0x28, 0, 0, 0, 0, 100, 0, 0, 3};
    packet(f, rd, 0, true);
    bus_io_write(f->bus, BM, 1, 0x09);
    int edges = f->edges[15];
    uint8_t st = wait_ready(f);
    ck_assert_uint_eq(st & (ST_ERR | ST_DRQ), 0);
    ck_assert_int_eq(f->edges[15], edges + 1);
    ck_assert_uint_eq(inb(f, CMD + 2) & 3, 3);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x04);
    for (uint32_t i = 0; i < 3; i++) {
        disc_sector(want, 100 + i, 0);
        ck_assert_mem_eq(ram + (i < 2 ? 0x20000 + 2048 * i : 0x30000), want, 2048);
    }
    fx_free(f);
}
END_TEST

START_TEST(test_sense_after_errors)
{
    struct fx *f = fx_new(true);
    uint8_t bad[12] = {0xff};
    uint8_t a, q;
    /* ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE (20h/00h). */
    expect_sense(f, bad, 0x5, 0x20, 0x00);
    /* REQUEST SENSE reported it; the next one finds nothing. */
    ck_assert_uint_eq(sense_key(f, &a, &q), 0x0);
    /* READ past the last block: LOGICAL BLOCK ADDRESS OUT OF RANGE (21h/00h). */
    uint8_t rd[12] = {0x28, 0, 0, 0, 0x01, 0x2c, 0, 0, 1};
    expect_sense(f, rd, 0x5, 0x21, 0x00);
    rd[5] = 0x2b; /* the last block itself is fine */
    expect_good(f, rd);
    /* The sense of a failed command lasts only until the next command. */
    uint8_t b[32];
    struct result r = run(f, bad, b, sizeof(b));
    ck_assert_uint_eq(r.status & ST_ERR, ST_ERR);
    expect_good(f, tur);
    ck_assert_uint_eq(sense_key(f, &a, &q), 0x0);
    /* Saved mode pages are not supported (39h/00h). */
    uint8_t ms[12] = {0x5a, 0, 0xea, 0, 0, 0, 0, 0, 64};
    expect_sense(f, ms, 0x5, 0x39, 0x00);
    fx_free(f);
}
END_TEST

START_TEST(test_unit_attention)
{
    struct fx *f = fx_new(true);
    uint8_t b[2048], want[2048];
    expect_good(f, tur);
    f->disc[1] = make_disc(0x77);
    ide_cdrom_change(&f->ide, 1, 0, f->disc[1]);
    /* INQUIRY and GET EVENT STATUS NOTIFICATION pass a pending UNIT ATTENTION. */
    uint8_t inq[12] = {0x12, 0, 0, 0, 36};
    expect_good(f, inq);
    uint8_t gesn[12] = {0x4a, 0x01, 0, 0, 0x10, 0, 0, 0, 8};
    struct result r = run(f, gesn, b, sizeof(b));
    ck_assert_int_eq(r.len, 8);
    ck_assert_uint_eq(b[2] & 0x87, 0x04); /* media class, an event */
    ck_assert_uint_eq(b[4] & 0x0f, 0x02); /* NewMedia */
    ck_assert_uint_eq(b[5] & 0x02, 0x02); /* media present */
    r = run(f, gesn, b, sizeof(b));
    ck_assert_uint_eq(b[4] & 0x0f, 0x00); /* reported once */
    /* The next other command fails with UNIT ATTENTION, 28h/00h, once. */
    expect_sense(f, tur, 0x6, 0x28, 0x00);
    expect_good(f, tur);
    uint8_t rd[12] = {0x28, 0, 0, 0, 0, 20, 0, 0, 1};
    r = run(f, rd, b, sizeof(b));
    ck_assert_int_eq(r.len, 2048);
    disc_sector(want, 20, 0x77);
    ck_assert_mem_eq(b, want, 2048);
    /* Disc removed: NOT READY, MEDIUM NOT PRESENT. */
    ide_cdrom_change(&f->ide, 1, 0, NULL);
    expect_sense(f, tur, 0x2, 0x3a, 0x01);
    expect_sense(f, rd, 0x2, 0x3a, 0x01);
    fx_free(f);
}
END_TEST

START_TEST(test_no_disc)
{
    struct fx *f = fx_new(false);
    uint8_t b[64];
    expect_sense(f, tur, 0x2, 0x3a, 0x01);
    uint8_t cap[12] = {0x25};
    expect_sense(f, cap, 0x2, 0x3a, 0x01);
    uint8_t toc[12] = {0x43, 0, 0, 0, 0, 0, 0, 0, 64};
    expect_sense(f, toc, 0x2, 0x3a, 0x01);
    /* Mode pages are still there; the medium type says "no disc". */
    uint8_t ms[12] = {0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 64};
    struct result r = run(f, ms, b, sizeof(b));
    ck_assert_uint_eq(r.status & ST_ERR, 0);
    ck_assert_uint_eq(b[2], 0x70);
    fx_free(f);
}
END_TEST

static uint32_t msf_frames(const uint8_t *p)
{
    return (uint32_t)p[1] * 60 * 75 + (uint32_t)p[2] * 75 + p[3];
}

START_TEST(test_read_toc)
{
    struct fx *f = fx_new(true);
    uint8_t b[64];
    /* Format 0, LBA: header + track 1 + lead-out (MMC-2 6.26). */
    uint8_t toc[12] = {0x43, 0, 0, 0, 0, 0, 0, 0, 64};
    struct result r = run(f, toc, b, sizeof(b));
    ck_assert_int_eq(r.len, 20);
    ck_assert_uint_eq(b[0] << 8 | b[1], 18);
    ck_assert_uint_eq(b[2], 1);
    ck_assert_uint_eq(b[3], 1);
    ck_assert_uint_eq(b[5] & 0x0f, 0x04); /* data track */
    ck_assert_uint_eq(b[6], 1);
    ck_assert_uint_eq((uint32_t)b[8] << 24 | b[9] << 16 | b[10] << 8 | b[11], 0);
    ck_assert_uint_eq(b[14], 0xaa);
    ck_assert_uint_eq((uint32_t)b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19], DISC_SECTORS);
    /* MSF: LBA 0 is 00:02:00; every address is 150 frames later. */
    toc[1] = 0x02;
    r = run(f, toc, b, sizeof(b));
    ck_assert_uint_eq(msf_frames(b + 8), 150);
    ck_assert_uint_eq(b[9], 0);
    ck_assert_uint_eq(b[10], 2);
    ck_assert_uint_eq(msf_frames(b + 16), DISC_SECTORS + 150);
    /* Starting at the lead-out gives only the lead-out; a missing track is an error. */
    toc[1] = 0;
    toc[6] = 0xaa;
    r = run(f, toc, b, sizeof(b));
    ck_assert_int_eq(r.len, 12);
    toc[6] = 2;
    expect_sense(f, toc, 0x5, 0x24, 0x00);
    /* Format 1: session information. */
    uint8_t ses[12] = {0x43, 0, 0x01, 0, 0, 0, 0, 0, 64};
    r = run(f, ses, b, sizeof(b));
    ck_assert_int_eq(r.len, 12);
    ck_assert_uint_eq(b[0] << 8 | b[1], 10);
    ck_assert_uint_eq(b[6], 1);
    fx_free(f);
}
END_TEST

START_TEST(test_mode_sense_and_misc)
{
    struct fx *f = fx_new(true);
    uint8_t b[256];
    /* MODE SENSE(10), capabilities page 2Ah. */
    uint8_t ms[12] = {0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 255};
    struct result r = run(f, ms, b, sizeof(b));
    ck_assert_int_eq(r.len, 8 + 20);
    ck_assert_uint_eq(b[0] << 8 | b[1], r.len - 2);
    ck_assert_uint_eq(b[6] << 8 | b[7], 0); /* no block descriptors */
    ck_assert_uint_eq(b[8] & 0x3f, 0x2a);
    ck_assert_uint_eq(b[9], 18);
    ck_assert_uint_eq(b[8 + 6] & 0x09, 0x09); /* lock and eject supported */
    /* All pages include 2Ah. */
    ms[2] = 0x3f;
    r = run(f, ms, b, sizeof(b));
    bool found = false;
    for (int p = 8; p < r.len; p += b[p + 1] + 2)
        found |= (b[p] & 0x3f) == 0x2a;
    ck_assert(found);
    /* GET CONFIGURATION: current profile CD-ROM, profile list first. */
    uint8_t gc[12] = {0x46, 0, 0, 0, 0, 0, 0, 0, 255};
    r = run(f, gc, b, sizeof(b));
    ck_assert_uint_eq((uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3], (uint32_t)r.len - 4);
    ck_assert_uint_eq(b[6] << 8 | b[7], 0x0008);
    ck_assert_uint_eq(b[8] << 8 | b[9], 0x0000);
    ck_assert_uint_eq(b[12] << 8 | b[13], 0x0008);
    /* GET EVENT STATUS NOTIFICATION without the media class: no event available. */
    uint8_t gesn[12] = {0x4a, 0x01, 0, 0, 0x02, 0, 0, 0, 8};
    r = run(f, gesn, b, sizeof(b));
    ck_assert_int_eq(r.len, 4);
    ck_assert_uint_eq(b[2] & 0x80, 0x80);
    gesn[1] = 0; /* asynchronous operation is not supported */
    expect_sense(f, gesn, 0x5, 0x24, 0x00);
    /* READ DISC INFORMATION: one complete session. */
    uint8_t di[12] = {0x51, 0, 0, 0, 0, 0, 0, 0, 34};
    r = run(f, di, b, sizeof(b));
    ck_assert_int_eq(r.len, 34);
    ck_assert_uint_eq(b[0] << 8 | b[1], 32);
    ck_assert_uint_eq(b[2] & 0x03, 0x02);
    /* MECHANISM STATUS: 8-byte header, no changer. */
    uint8_t mech[12] = {0xbd, 0, 0, 0, 0, 0, 0, 0, 0, 8};
    r = run(f, mech, b, sizeof(b));
    ck_assert_int_eq(r.len, 8);
    ck_assert_uint_eq(b[1] & 0x10, 0);
    fx_free(f);
}
END_TEST

START_TEST(test_lock_and_eject)
{
    struct fx *f = fx_new(true);
    uint8_t prevent[12] = {0x1e, 0, 0, 0, 1}, allow[12] = {0x1e};
    uint8_t eject[12] = {0x1b, 0, 0, 0, 0x02}, load[12] = {0x1b, 0, 0, 0, 0x03};
    expect_good(f, prevent);
    expect_sense(f, eject, 0x5, 0x53, 0x02); /* MEDIUM REMOVAL PREVENTED */
    expect_good(f, tur);
    expect_good(f, allow);
    expect_good(f, eject);
    expect_sense(f, tur, 0x2, 0x3a, 0x02); /* tray open */
    uint8_t b[16];
    uint8_t mech[12] = {0xbd, 0, 0, 0, 0, 0, 0, 0, 0, 8};
    run(f, mech, b, sizeof(b));
    ck_assert_uint_eq(b[1] & 0x10, 0x10);
    expect_good(f, load);
    expect_sense(f, tur, 0x6, 0x28, 0x00);
    expect_good(f, tur);
    fx_free(f);
}
END_TEST

START_TEST(test_hostile_packets)
{
    struct fx *f = fx_new(true);
    uint8_t *ram = bus_ram(f->bus);
    uint32_t x = 7;
    for (uint32_t i = 0; i < RAM; i += 4) {
        x = x * 1103515245u + 12345u;
        memcpy(ram + i, &x, 4);
    }
    for (int i = 0; i < 20000; i++) {
        uint8_t cdb[12];
        for (int j = 0; j < 12; j++) {
            x = x * 1103515245u + 12345u;
            cdb[j] = (uint8_t)(x >> 16);
        }
        if (i & 1) /* mostly real opcodes with random fields */
            cdb[0] = (uint8_t[]){0x00, 0x03, 0x12, 0x1b, 0x1e, 0x25, 0x28, 0x2b, 0x43, 0x46,
                                 0x4a, 0x51, 0x5a, 0xa8, 0xbb, 0xbd, 0xbe}[(x >> 8) % 17];
        bool dma = (x >> 3) & 1;
        if (dma) {
            bus_io_write(f->bus, BM + 4, 4, (x >> 4) & 0xffff8);
            bus_io_write(f->bus, BM, 1, 0x09);
        }
        outb(f, CMD + 1, dma);
        outb(f, CMD + 4, (uint8_t)x);
        outb(f, CMD + 5, (uint8_t)(x >> 24));
        outb(f, CMD + 7, 0xa0);
        clock_advance(&f->clk, clock_now(&f->clk) + 5000);
        for (int j = 0; j < 6; j++)
            bus_io_write(f->bus, CMD, 2, (uint32_t)(cdb[2 * j] | cdb[2 * j + 1] << 8));
        for (int j = 0; j < 64 && (inb(f, CTL) & (ST_BSY | ST_DRQ)); j++) {
            clock_advance(&f->clk, clock_now(&f->clk) + 5000);
            for (int k = 0; k < 512; k++)
                (void)bus_io_read(f->bus, CMD, 4);
        }
        bus_io_write(f->bus, BM, 1, 0x00);
        if (inb(f, CTL) & (ST_BSY | ST_DRQ)) { /* hung on a short PRD table: reset */
            outb(f, CTL, 0x04);
            outb(f, CTL, 0x00);
            wait_ready(f);
        }
    }
    expect_good(f, tur);
    fx_free(f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_atapi");
    TCase *tc = tcase_create("atapi");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_signature);
    tcase_add_test(tc, test_identify_packet);
    tcase_add_test(tc, test_inquiry_and_capacity);
    tcase_add_test(tc, test_read_pio);
    tcase_add_test(tc, test_read_dma);
    tcase_add_test(tc, test_sense_after_errors);
    tcase_add_test(tc, test_unit_attention);
    tcase_add_test(tc, test_no_disc);
    tcase_add_test(tc, test_read_toc);
    tcase_add_test(tc, test_mode_sense_and_misc);
    tcase_add_test(tc, test_lock_and_eject);
    tcase_add_test(tc, test_hostile_packets);
    suite_add_tcase(s, tc);
    return check_run(s);
}
