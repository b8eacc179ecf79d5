/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the 82077AA through its ports, with DMA channel 2 into guest
 * RAM and generated images in a mkdtemp() directory: reset and polling
 * interrupts, SENSE INTERRUPT, seeks and their step timing, READ/WRITE by DMA
 * and PIO, end-of-track C/H/R/N (Table 5-6) with and without TC and MT,
 * write protect, disk change, data rate, ND/WC/MA, overrun, stalls without a
 * motor, FORMAT, READ DELETED, VERIFY, READ TRACK, configuration commands and
 * a port fuzz. Expected status bytes come from the 82077AA datasheet.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "devices/fdc.h"

#define RAM_SIZE (2u << 20)
#define MS       1000000ull
#define SIZE_144 1474560u

struct fx {
    struct bus *bus;
    struct clock clk;
    struct dma dma;
    struct fdc fdc;
    struct blockdev *bd;
    bool irq;
    int irq_edges;
    char dir[64], path[96];
};

/* Byte 'i' of the sector at 'lba' in generated images. */
static uint8_t sbyte(unsigned lba, unsigned i)
{
    return (uint8_t)(i < 2 ? lba >> (8 * i) : lba * 13u + i * 7u + 1u);
}

static unsigned lba144(unsigned c, unsigned h, unsigned r)
{
    return (c * 2 + h) * 18 + r - 1;
}

static void mem_cb(void *opaque, uint32_t addr, void *buf, size_t len, bool to_memory)
{
    struct fx *f = opaque;
    ck_assert_uint_le(addr + len, RAM_SIZE);
    if (to_memory)
        memcpy(bus_ram(f->bus) + addr, buf, len);
    else
        memcpy(buf, bus_ram(f->bus) + addr, len);
}

static void irq_cb(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    (void)n;
    if (level && !f->irq) f->irq_edges++;
    f->irq = level;
}

static void outb(struct fx *f, uint16_t port, uint8_t v)
{
    bus_io_write(f->bus, port, 1, v);
}

static uint8_t inb(struct fx *f, uint16_t port)
{
    return (uint8_t)bus_io_read(f->bus, port, 1);
}

static void run(struct fx *f, uint64_t ns)
{
    clock_advance(&f->clk, f->clk.now + ns);
}

/* Let guest time pass until IRQ 6 rises; false if it does not within 'limit'. */
static bool wait_irq(struct fx *f, uint64_t limit)
{
    uint64_t end = f->clk.now + limit;
    while (!f->irq) {
        uint64_t next = clock_next_deadline(&f->clk);
        if (next > end) {
            clock_advance(&f->clk, end);
            return f->irq;
        }
        clock_advance(&f->clk, next);
    }
    return true;
}

static void cmd(struct fx *f, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        ck_assert_msg((inb(f, 0x3f4) & 0xc0) == 0x80, "byte %d: MSR %02x", i, inb(f, 0x3f4));
        outb(f, 0x3f5, b[i]);
    }
}

static void result(struct fx *f, uint8_t *out, int n)
{
    for (int i = 0; i < n; i++) {
        ck_assert_msg((inb(f, 0x3f4) & 0xc0) == 0xc0, "result %d: MSR %02x", i, inb(f, 0x3f4));
        out[i] = inb(f, 0x3f5);
    }
    ck_assert_uint_eq(inb(f, 0x3f4) & 0xd0, 0x80); /* back to the command phase */
}

#define CMD(f, ...)                                                                                \
    do {                                                                                           \
        const uint8_t b_[] = {__VA_ARGS__};                                                        \
        cmd(f, b_, (int)sizeof(b_));                                                               \
    } while (0)

static void expect_result(struct fx *f, const uint8_t *want, int n)
{
    uint8_t got[10] = {0};
    result(f, got, n);
    for (int i = 0; i < n; i++)
        ck_assert_msg(got[i] == want[i],
                      "result byte %d: %02x, want %02x (%02x %02x %02x %02x %02x %02x %02x)", i,
                      got[i], want[i], got[0], got[1], got[2], got[3], got[4], got[5], got[6]);
}

#define EXPECT(f, ...)                                                                             \
    do {                                                                                           \
        const uint8_t w_[] = {__VA_ARGS__};                                                        \
        expect_result(f, w_, (int)sizeof(w_));                                                     \
    } while (0)

/* The command ends with an interrupt within a second and these result bytes. */
#define DONE(f, ...)                                                                               \
    do {                                                                                           \
        ck_assert(wait_irq(f, 1000 * MS));                                                         \
        EXPECT(f, __VA_ARGS__);                                                                    \
    } while (0)

/* A generated image of 'size' bytes in a fresh temp dir, opened as asked. */
static void image(struct fx *f, uint32_t size, bool read_only, bool snapshot)
{
    strcpy(f->dir, "/tmp/kiln-fdcXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/fdXXXXXX", f->dir);
    int fd = mkstemp(f->path);
    ck_assert_int_ge(fd, 0);
    uint8_t *img = malloc(size);
    ck_assert_ptr_nonnull(img);
    for (uint32_t i = 0; i < size; i++)
        img[i] = sbyte(i / 512, i % 512);
    ck_assert_int_eq(write(fd, img, size), (ssize_t)size);
    free(img);
    close(fd);
    char err[128];
    f->bd = blockdev_open(f->path, read_only, snapshot, err, sizeof(err));
    ck_assert_msg(f->bd != NULL, "%s", err);
    /* The open descriptor keeps the image; nothing is left behind if a test fails. */
    unlink(f->path);
    rmdir(f->dir);
}

static void fx_free(struct fx *f)
{
    blockdev_close(f->bd);
    bus_free(f->bus);
}

/* Wait for the seek interrupt, then SENSE INTERRUPT STATUS gives ST0 and PCN. */
static void sensei(struct fx *f, uint8_t st0, uint8_t pcn)
{
    ck_assert(wait_irq(f, 1000 * MS));
    CMD(f, 0x08);
    EXPECT(f, st0, pcn);
}

static void seek(struct fx *f, uint8_t ds_hds, uint8_t cyl)
{
    CMD(f, 0x0f, ds_hds, cyl);
    sensei(f, (uint8_t)(0x20 | (ds_hds & 3)), cyl);
}

/* After a reset with polling on: one interrupt, then ST0 C0h-C3h, one per drive. */
static void poll_senses(struct fx *f)
{
    ck_assert(wait_irq(f, 10 * MS));
    for (int d = 0; d < 4; d++) {
        CMD(f, 0x08);
        EXPECT(f, (uint8_t)(0xc0 | d), 0);
        ck_assert(!f->irq); /* the first SENSE INTERRUPT clears the pin */
    }
}

/* The BIOS's bring-up: release reset, sense the polling interrupt, SPECIFY
 * (SRT 3 ms, DMA), 500 Kb/s, recalibrate drive 0. */
static void bring_up(struct fx *f)
{
    outb(f, 0x3f2, 0x1c);
    poll_senses(f);
    CMD(f, 0x03, 0xdf, 0x02);
    outb(f, 0x3f7, 0x00);
    CMD(f, 0x07, 0x00);
    sensei(f, 0x20, 0);
}

static void fx_init(struct fx *f, uint32_t size, bool read_only, bool snapshot)
{
    memset(f, 0, sizeof(*f));
    f->bus = bus_new(RAM_SIZE);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    ck_assert(dma_init(&f->dma, f->bus, mem_cb, f));
    ck_assert(fdc_init(&f->fdc, f->bus, &f->clk, (struct irq_line){irq_cb, f, 6}, &f->dma));
    image(f, size, read_only, snapshot);
    char err[128];
    ck_assert(fdc_insert(&f->fdc, 0, f->bd, err, sizeof(err)));
    outb(f, 0xd6, 0xc0); /* channel 4: cascade, unmasked */
    outb(f, 0xd4, 0x00);
}

/* Channel 2 for 'len' bytes at 'addr'; mode 46h writes memory, 4Ah reads it. */
static void dma2(struct fx *f, uint32_t addr, unsigned len, uint8_t mode)
{
    outb(f, 0x0a, 0x06);
    outb(f, 0x0b, mode);
    outb(f, 0x0c, 0);
    outb(f, 0x04, (uint8_t)addr);
    outb(f, 0x04, (uint8_t)(addr >> 8));
    outb(f, 0x81, (uint8_t)(addr >> 16));
    outb(f, 0x05, (uint8_t)(len - 1));
    outb(f, 0x05, (uint8_t)((len - 1) >> 8));
    outb(f, 0x0a, 0x02);
}

/* RAM at 'addr' holds 'n' sectors starting at 'lba'. */
static void expect_sectors(struct fx *f, uint32_t addr, unsigned lba, unsigned n)
{
    const uint8_t *m = bus_ram(f->bus) + addr;
    for (unsigned s = 0; s < n; s++)
        for (unsigned i = 0; i < 512; i++)
            ck_assert_msg(m[s * 512 + i] == sbyte(lba + s, i), "sector %u byte %u", lba + s, i);
}

START_TEST(test_reset_and_sense_interrupt)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    ck_assert_uint_eq(inb(&f, 0x3f4), 0x00); /* held in reset by DOR 00h */
    outb(&f, 0x3f2, 0x1c);
    ck_assert_uint_eq(inb(&f, 0x3f4), 0x80);
    ck_assert(!f.irq);
    poll_senses(&f);
    CMD(&f, 0x08);
    EXPECT(&f, 0x80); /* nothing pending: invalid, one byte */
    /* With the DMA gate off the interrupt is latched but the pin stays low. */
    outb(&f, 0x3f2, 0x10);
    outb(&f, 0x3f2, 0x14);
    run(&f, 10 * MS);
    ck_assert(!f.irq);
    ck_assert_uint_eq(inb(&f, 0x3f0) & 0x80, 0x80); /* SRA: INT pending */
    outb(&f, 0x3f2, 0x1c);
    ck_assert(f.irq);
    CMD(&f, 0x08);
    EXPECT(&f, 0xc0, 0x00);
    /* DSR software reset: another polling interrupt. */
    outb(&f, 0x3f4, 0x80);
    ck_assert(!f.irq);
    ck_assert(wait_irq(&f, 10 * MS));
    fx_free(&f);
}
END_TEST

/* A command written while a polling or seek-end interrupt is still unsensed
 * drops INT at its first byte, so its own completion is a new edge for the
 * 8259 (MS-DOS 4.0 recalibrates after a reset without sensing first). */
START_TEST(test_command_clears_unsensed_interrupt)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    outb(&f, 0x3f2, 0x1c);
    ck_assert(wait_irq(&f, 10 * MS));
    int edges = f.irq_edges;
    CMD(&f, 0x07, 0x00);
    ck_assert(!f.irq);
    ck_assert_uint_eq(inb(&f, 0x3f0) & 0x80, 0x00); /* SRA: no INT pending */
    ck_assert(wait_irq(&f, 1000 * MS));
    ck_assert_int_eq(f.irq_edges, edges + 1);
    CMD(&f, 0x08);
    EXPECT(&f, 0x20, 0x00); /* the recalibrate's status; the polling ones went with INT */
    CMD(&f, 0x08);
    EXPECT(&f, 0x80);
    /* The same for a seek's unsensed interrupt followed by another seek. */
    CMD(&f, 0x0f, 0x00, 4);
    ck_assert(wait_irq(&f, 1000 * MS));
    CMD(&f, 0x0f, 0x00, 6);
    ck_assert(!f.irq);
    sensei(&f, 0x20, 6);
    ck_assert_int_eq(f.irq_edges, edges + 3);
    fx_free(&f);
}
END_TEST

START_TEST(test_configuration_commands)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    CMD(&f, 0x10);
    EXPECT(&f, 0x90);
    CMD(&f, 0x03, 0xaf, 0x1e);
    CMD(&f, 0x13, 0x00, 0x57, 0x10);
    CMD(&f, 0x12, 0x85);
    seek(&f, 0x00, 5);
    CMD(&f, 0x0e);
    EXPECT(&f, 5, 0, 0, 0, 0xaf, 0x1e, 0, 0x05, 0x57, 0x10);
    CMD(&f, 0x94);
    EXPECT(&f, 0x10);
    /* Reset keeps locked CONFIGURE values and the perpendicular drive bits;
     * POLL is off, so no interrupt follows. */
    outb(&f, 0x3f2, 0x18);
    outb(&f, 0x3f2, 0x1c);
    run(&f, 10 * MS);
    ck_assert(!f.irq);
    CMD(&f, 0x0e);
    EXPECT(&f, 0, 0, 0, 0, 0xaf, 0x1e, 0, 0x84, 0x57, 0x10);
    CMD(&f, 0x14);
    EXPECT(&f, 0x00);
    outb(&f, 0x3f2, 0x18);
    outb(&f, 0x3f2, 0x1c);
    ck_assert(wait_irq(&f, 10 * MS));
    CMD(&f, 0x0e);
    EXPECT(&f, 0, 0, 0, 0, 0xaf, 0x1e, 0, 0x04, 0x20, 0x00);
    /* Invalid codes, SCAN (not modelled) and forbidden option bits answer 80h. */
    const uint8_t bad[] = {0x18, 0x1f, 0x11, 0x43, 0x4f, 0xf0};
    for (size_t i = 0; i < sizeof(bad); i++) {
        CMD(&f, bad[i]);
        EXPECT(&f, 0x80);
    }
    fx_free(&f);
}
END_TEST

START_TEST(test_seek_and_recalibrate)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, true); /* snapshot: not write-protected */
    bring_up(&f);
    /* SRT Dh at 500 Kb/s: 3 ms per step, so ten steps take 30 ms. */
    CMD(&f, 0x0f, 0x00, 10);
    ck_assert_uint_eq(inb(&f, 0x3f4), 0x81); /* RQM, drive 0 busy */
    ck_assert(!wait_irq(&f, 29 * MS));
    ck_assert(wait_irq(&f, 2 * MS));
    CMD(&f, 0x08);
    EXPECT(&f, 0x20, 10);
    CMD(&f, 0x04, 0x04);
    EXPECT(&f, 0x2c);       /* RDY, two-sided, head 1; not track 0, not protected */
    CMD(&f, 0xcf, 0x00, 5); /* relative, inward */
    sensei(&f, 0x20, 15);
    CMD(&f, 0x8f, 0x00, 3); /* relative, outward */
    sensei(&f, 0x20, 12);
    CMD(&f, 0x07, 0x00);
    sensei(&f, 0x20, 0);
    CMD(&f, 0x04, 0x00);
    EXPECT(&f, 0x38);
    /* No drive 1: TRK0 never comes, so RECALIBRATE ends with EC. */
    outb(&f, 0x3f2, 0x1d);
    CMD(&f, 0x07, 0x01);
    sensei(&f, 0x71, 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_read_data_dma)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    seek(&f, 0x00, 2);
    dma2(&f, 0x10000, 512, 0x46);
    CMD(&f, 0xe6, 0x04, 2, 1, 5, 2, 18, 0x1b, 0xff);
    ck_assert_uint_eq(inb(&f, 0x3f4), 0x10); /* busy, no RQM: data goes by DMA */
    DONE(&f, 0x04, 0x00, 0x00, 2, 1, 6, 2);
    ck_assert(!f.irq);
    expect_sectors(&f, 0x10000, lba144(2, 1, 5), 1);
    ck_assert_uint_eq(inb(&f, 0x08) & 0x04, 0x04); /* channel 2 reached TC */
    fx_free(&f);
}
END_TEST

/* Table 5-6: the ID after the last sector, with TC, and without it (EN). */
START_TEST(test_end_of_track)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    dma2(&f, 0x20000, 1024, 0x46);
    CMD(&f, 0x46, 0x00, 0, 0, 17, 2, 18, 0x1b, 0xff); /* MFM, no MT */
    DONE(&f, 0x00, 0x00, 0x00, 1, 0, 1, 2);
    expect_sectors(&f, 0x20000, lba144(0, 0, 17), 2);
    /* MT: sector 18 of side 0, then sector 1 of side 1. */
    dma2(&f, 0x20000, 1024, 0x46);
    CMD(&f, 0xc6, 0x00, 0, 0, 18, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x04, 0x00, 0x00, 0, 1, 2, 2);
    expect_sectors(&f, 0x20000, lba144(0, 0, 18), 2);
    /* MT, TC on the last sector of side 0: H flips, C stays. */
    dma2(&f, 0x20000, 512, 0x46);
    CMD(&f, 0xc6, 0x00, 0, 0, 18, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x00, 0x00, 0x00, 0, 1, 1, 2);
    /* MT, last sector of side 1: C + 1, H flips back. */
    dma2(&f, 0x20000, 512, 0x46);
    CMD(&f, 0xc6, 0x04, 0, 1, 18, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x04, 0x00, 0x00, 1, 0, 1, 2);
    /* No TC by EOT: abnormal termination, end of cylinder. */
    dma2(&f, 0x20000, 4096, 0x46);
    CMD(&f, 0x46, 0x00, 0, 0, 17, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x40, 0x80, 0x00, 1, 0, 1, 2);
    ck_assert_uint_eq(dma_remaining(&f.dma, 2), 4096 - 1024);
    /* The BIOS's MT read (E6h): 17-18 of side 0, then 1-6 of side 1 until TC. */
    dma2(&f, 0x20000, 4096, 0x46);
    CMD(&f, 0xe6, 0x00, 0, 0, 17, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x04, 0x00, 0x00, 0, 1, 7, 2);
    expect_sectors(&f, 0x20000, lba144(0, 0, 17), 8);
    fx_free(&f);
}
END_TEST

START_TEST(test_write_protect)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    CMD(&f, 0x04, 0x00);
    EXPECT(&f, 0x78); /* WP, RDY, T0, two-sided */
    memset(bus_ram(f.bus) + 0x30000, 0xee, 512);
    dma2(&f, 0x30000, 512, 0x4a);
    CMD(&f, 0xc5, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x40, 0x02, 0x00, 0, 0, 1, 2);
    ck_assert_uint_eq(dma_remaining(&f.dma, 2), 512); /* no byte taken */
    uint8_t s[512];
    ck_assert(blockdev_read(f.bd, 0, s, sizeof(s)));
    for (int i = 0; i < 512; i++)
        ck_assert_uint_eq(s[i], sbyte(0, (unsigned)i));
    /* FORMAT is refused the same way. */
    dma2(&f, 0x30000, 72, 0x4a);
    CMD(&f, 0x4d, 0x00, 2, 18, 0x54, 0xf6);
    ck_assert(wait_irq(&f, 1000 * MS));
    uint8_t r[7];
    result(&f, r, 7);
    ck_assert_uint_eq(r[0], 0x40);
    ck_assert_uint_eq(r[1], 0x02);
    fx_free(&f);
}
END_TEST

START_TEST(test_write_data_dma)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, true);
    bring_up(&f);
    seek(&f, 0x00, 1);
    uint8_t *ram = bus_ram(f.bus);
    for (int i = 0; i < 1024; i++)
        ram[0x40000 + i] = (uint8_t)(i * 5 + 9);
    dma2(&f, 0x40000, 1024, 0x4a);
    CMD(&f, 0xc5, 0x04, 1, 1, 3, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x04, 0x00, 0x00, 1, 1, 5, 2);
    uint8_t s[1024];
    ck_assert(blockdev_read(f.bd, (uint64_t)lba144(1, 1, 3) * 512, s, sizeof(s)));
    ck_assert_mem_eq(s, ram + 0x40000, 1024);
    /* TC inside a sector: the rest of the sector is written as zeros. */
    dma2(&f, 0x40000, 100, 0x4a);
    CMD(&f, 0xc5, 0x00, 1, 0, 7, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x00, 0x00, 0x00, 1, 0, 8, 2);
    ck_assert(blockdev_read(f.bd, (uint64_t)lba144(1, 0, 7) * 512, s, 512));
    ck_assert_mem_eq(s, ram + 0x40000, 100);
    for (int i = 100; i < 512; i++)
        ck_assert_uint_eq(s[i], 0);
    ck_assert(blockdev_read(f.bd, (uint64_t)lba144(1, 0, 8) * 512, s, 1));
    ck_assert_uint_eq(s[0], sbyte(lba144(1, 0, 8), 0));
    fx_free(&f);
}
END_TEST

START_TEST(test_media_change)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    outb(&f, 0x3f2, 0x1c);
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x80);
    poll_senses(&f);
    CMD(&f, 0x03, 0xdf, 0x02);
    /* No step pulse, no reset of the line: recalibrate at track 0, seek to 0. */
    CMD(&f, 0x07, 0x00);
    sensei(&f, 0x20, 0);
    seek(&f, 0x00, 0);
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x80);
    seek(&f, 0x00, 1);
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x00);
    seek(&f, 0x00, 0);
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x00);
    fdc_eject(&f.fdc, 0);
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x80);
    seek(&f, 0x00, 1); /* steps with no diskette: the line stays active */
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x80);
    char err[64];
    ck_assert(fdc_insert(&f.fdc, 0, f.bd, err, sizeof(err)));
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x80);
    seek(&f, 0x00, 0);
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x00);
    /* Drive 1 is not connected: its line is not driven. */
    outb(&f, 0x3f2, 0x1d);
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x00);
    fx_free(&f);
}
END_TEST

START_TEST(test_pio_read_and_write)
{
    struct fx f;
    fx_init(&f, SIZE_144, false, true);
    bring_up(&f);
    CMD(&f, 0x03, 0xdf, 0x03); /* ND: non-DMA */
    CMD(&f, 0x46, 0x00, 0, 0, 4, 2, 5, 0x1b, 0xff);
    for (unsigned r = 4; r <= 5; r++) {
        ck_assert(wait_irq(&f, 1000 * MS));
        for (unsigned i = 0; i < 512; i++) {
            ck_assert_uint_eq(inb(&f, 0x3f4), 0xf0); /* RQM, DIO, NDMA, busy */
            ck_assert_uint_eq(inb(&f, 0x3f5), sbyte(lba144(0, 0, r), i));
        }
        ck_assert_uint_eq(inb(&f, 0x3f4), 0x30); /* NDMA held until the result phase */
    }
    ck_assert_int_ge(f.irq_edges, 1024); /* non-DMA: an interrupt asks for each byte */
    /* No TC in PIO mode: the command runs into EOT. */
    DONE(&f, 0x40, 0x80, 0x00, 1, 0, 1, 2);
    CMD(&f, 0x45, 0x00, 0, 0, 9, 2, 9, 0x1b, 0xff);
    ck_assert(wait_irq(&f, 1000 * MS));
    for (unsigned i = 0; i < 512; i++) {
        ck_assert_uint_eq(inb(&f, 0x3f4), 0xb0); /* RQM, NDMA, busy; host to FDC */
        outb(&f, 0x3f5, (uint8_t)(i ^ 0x3c));
    }
    DONE(&f, 0x40, 0x80, 0x00, 1, 0, 1, 2);
    uint8_t s[512];
    ck_assert(blockdev_read(f.bd, (uint64_t)lba144(0, 0, 9) * 512, s, sizeof(s)));
    for (unsigned i = 0; i < 512; i++)
        ck_assert_uint_eq(s[i], (uint8_t)(i ^ 0x3c));
    fx_free(&f);
}
END_TEST

START_TEST(test_data_rate_and_read_id)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    seek(&f, 0x00, 3);
    outb(&f, 0x3f7, 0x02); /* 250 Kb/s: a 1.44M diskette cannot be read */
    CMD(&f, 0x4a, 0x00);
    ck_assert(!wait_irq(&f, 350 * MS)); /* two index pulses first */
    uint8_t r[7];
    ck_assert(wait_irq(&f, 100 * MS));
    result(&f, r, 7);
    ck_assert_uint_eq(r[0] << 16 | r[1] << 8 | r[2], 0x400100); /* MA */
    outb(&f, 0x3f7, 0x00);
    CMD(&f, 0x4a, 0x04);
    ck_assert(wait_irq(&f, 100 * MS));
    result(&f, r, 7);
    ck_assert_uint_eq(r[0] << 16 | r[1] << 8 | r[2], 0x040000);
    ck_assert_uint_eq(r[3] << 16 | r[4] << 8 | r[6], 0x030102); /* C 3, H 1, N 2 */
    ck_assert(r[5] >= 1 && r[5] <= 18);
    CMD(&f, 0x0a, 0x00); /* FM: no MFM address marks found */
    ck_assert(wait_irq(&f, 1000 * MS));
    result(&f, r, 7);
    ck_assert_uint_eq(r[0] << 8 | r[1], 0x4001);
    seek(&f, 0x00, 82); /* beyond the formatted cylinders */
    CMD(&f, 0x4a, 0x00);
    ck_assert(wait_irq(&f, 1000 * MS));
    result(&f, r, 7);
    ck_assert_uint_eq(r[0] << 8 | r[1], 0x4001);
    fx_free(&f);
}
END_TEST

START_TEST(test_sector_not_found)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    dma2(&f, 0x10000, 512, 0x46);
    CMD(&f, 0xe6, 0x00, 0, 0, 19, 2, 19, 0x1b, 0xff);
    DONE(&f, 0x40, 0x04, 0x00, 0, 0, 19, 2);
    CMD(&f, 0xe6, 0x00, 5, 0, 1, 2, 18, 0x1b, 0xff); /* head is on cylinder 0 */
    DONE(&f, 0x40, 0x04, 0x10, 5, 0, 1, 2);
    CMD(&f, 0xe6, 0x00, 0, 0, 1, 3, 18, 0x1b, 0xff); /* N = 3: no such ID */
    DONE(&f, 0x40, 0x04, 0x00, 0, 0, 1, 3);
    CMD(&f, 0xe6, 0x00, 0, 1, 1, 2, 18, 0x1b, 0xff); /* H = 1 on side 0 */
    DONE(&f, 0x40, 0x04, 0x00, 0, 1, 1, 2);
    ck_assert_uint_eq(dma_remaining(&f.dma, 2), 512);
    fx_free(&f);
}
END_TEST

START_TEST(test_dma_overrun_and_late_unmask)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    dma2(&f, 0x10000, 512, 0x46);
    outb(&f, 0x0a, 0x06); /* masked: nobody answers DRQ */
    CMD(&f, 0xe6, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x40, 0x10, 0x00, 0, 0, 1, 2);
    /* Unmasked while the FDC waits: the transfer goes on. */
    CMD(&f, 0xe6, 0x00, 0, 0, 2, 2, 18, 0x1b, 0xff);
    run(&f, 10 * MS);
    ck_assert(!f.irq);
    ck_assert_uint_eq(inb(&f, 0x08) & 0x40, 0x40); /* DREQ 2 shows in the status */
    outb(&f, 0x0a, 0x02);
    ck_assert(wait_irq(&f, 100 * MS));
    EXPECT(&f, 0x00, 0x00, 0x00, 0, 0, 3, 2);
    expect_sectors(&f, 0x10000, lba144(0, 0, 2), 1);
    fx_free(&f);
}
END_TEST

START_TEST(test_stall_without_motor_or_media)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    dma2(&f, 0x10000, 512, 0x46);
    outb(&f, 0x3f2, 0x0c); /* motor off */
    CMD(&f, 0xe6, 0x00, 0, 0, 1, 2, 18, 0x1b, 0xff);
    ck_assert(!wait_irq(&f, 3000 * MS));
    ck_assert_uint_eq(inb(&f, 0x3f4), 0x10);
    outb(&f, 0x3f2, 0x1c);
    ck_assert(wait_irq(&f, 100 * MS));
    EXPECT(&f, 0x00, 0x00, 0x00, 0, 0, 2, 2);
    /* No diskette: the command waits until the host resets the controller. */
    fdc_eject(&f.fdc, 0);
    CMD(&f, 0x4a, 0x00);
    ck_assert(!wait_irq(&f, 3000 * MS));
    outb(&f, 0x3f2, 0x18);
    outb(&f, 0x3f2, 0x1c);
    ck_assert_uint_eq(inb(&f, 0x3f4), 0x80);
    ck_assert(wait_irq(&f, 10 * MS));
    CMD(&f, 0x08);
    EXPECT(&f, 0xc0, 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_format_track)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, true);
    bring_up(&f);
    seek(&f, 0x00, 1);
    uint8_t *ids = bus_ram(f.bus) + 0x50000;
    for (int s = 0; s < 18; s++) {
        ids[s * 4] = 1;
        ids[s * 4 + 1] = 0;
        ids[s * 4 + 2] = (uint8_t)(s + 1);
        ids[s * 4 + 3] = 2;
    }
    dma2(&f, 0x50000, 72, 0x4a);
    CMD(&f, 0x4d, 0x00, 2, 18, 0x54, 0xe5);
    DONE(&f, 0x00, 0x00, 0x00, 1, 0, 18, 2);
    uint8_t s[512];
    for (unsigned r = 1; r <= 18; r++) {
        ck_assert(blockdev_read(f.bd, (uint64_t)lba144(1, 0, r) * 512, s, sizeof(s)));
        for (int i = 0; i < 512; i++)
            ck_assert_uint_eq(s[i], 0xe5);
    }
    ck_assert(blockdev_read(f.bd, (uint64_t)lba144(1, 1, 1) * 512, s, 1));
    ck_assert_uint_eq(s[0], sbyte(lba144(1, 1, 1), 0));
    CMD(&f, 0x0e);
    uint8_t d[10];
    result(&f, d, 10);
    ck_assert_uint_eq(d[6], 18); /* SC after FORMAT */
    fx_free(&f);
}
END_TEST

START_TEST(test_deleted_verify_read_track)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    /* READ DELETED meets a normal data mark: read, CM, R not incremented. */
    dma2(&f, 0x10000, 1024, 0x46);
    CMD(&f, 0x4c, 0x00, 0, 0, 3, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x00, 0x00, 0x40, 0, 0, 3, 2);
    expect_sectors(&f, 0x10000, lba144(0, 0, 3), 1);
    /* With SK the normal sectors are skipped, up to EOT. */
    dma2(&f, 0x10000, 1024, 0x46);
    CMD(&f, 0x6c, 0x00, 0, 0, 17, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x40, 0x80, 0x40, 1, 0, 1, 2);
    ck_assert_uint_eq(dma_remaining(&f.dma, 2), 1024);
    /* VERIFY with EC: SC sectors, no DMA. */
    CMD(&f, 0x56, 0x80, 0, 0, 1, 2, 18, 0x1b, 5);
    DONE(&f, 0x00, 0x00, 0x00, 0, 0, 6, 2);
    ck_assert_uint_eq(dma_remaining(&f.dma, 2), 1024);
    /* VERIFY without EC ends normally at EOT. */
    CMD(&f, 0x56, 0x00, 0, 0, 16, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x00, 0x00, 0x00, 1, 0, 1, 2);
    /* READ TRACK from the index: sectors 1-3 whatever R says. */
    dma2(&f, 0x10000, 1536, 0x46);
    CMD(&f, 0x42, 0x00, 0, 0, 1, 2, 3, 0x1b, 0xff);
    DONE(&f, 0x00, 0x00, 0x00, 1, 0, 1, 2);
    expect_sectors(&f, 0x10000, 0, 3);
    fx_free(&f);
}
END_TEST

START_TEST(test_implied_seek)
{
    struct fx f;
    fx_init(&f, SIZE_144, true, false);
    bring_up(&f);
    CMD(&f, 0x13, 0x00, 0x60, 0x00); /* EIS, FIFO off, polling on */
    dma2(&f, 0x10000, 512, 0x46);
    CMD(&f, 0xe6, 0x00, 4, 0, 1, 2, 18, 0x1b, 0xff);
    DONE(&f, 0x20, 0x00, 0x00, 4, 0, 2, 2);
    expect_sectors(&f, 0x10000, lba144(4, 0, 1), 1);
    ck_assert_uint_eq(inb(&f, 0x3f7) & 0x80, 0x00); /* the steps reset DSKCHG */
    fx_free(&f);
}
END_TEST

START_TEST(test_formats_by_size)
{
    static const struct {
        uint32_t size;
        int cmos;
    } sizes[] = {{163840, 1},  {184320, 1},  {327680, 1},  {368640, 1}, {737280, 3},
                 {1228800, 2}, {1474560, 4}, {1720320, 4}, {2949120, 5}};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct fx f;
        fx_init(&f, sizes[i].size, true, false);
        ck_assert_int_eq(fdc_cmos_type(&f.fdc, 0), sizes[i].cmos);
        ck_assert_int_eq(fdc_cmos_type(&f.fdc, 1), 0);
        fx_free(&f);
    }
    /* 720K media: readable at 250 Kb/s only; the last sector of the disk. */
    struct fx f;
    fx_init(&f, 737280, true, false);
    bring_up(&f);
    seek(&f, 0x00, 79);
    dma2(&f, 0x10000, 512, 0x46);
    CMD(&f, 0xe6, 0x04, 79, 1, 9, 2, 9, 0x2a, 0xff);
    DONE(&f, 0x44, 0x01, 0x00, 79, 1, 9, 2);
    outb(&f, 0x3f7, 0x02);
    CMD(&f, 0x46, 0x04, 79, 1, 9, 2, 9, 0x2a, 0xff);
    DONE(&f, 0x04, 0x00, 0x00, 80, 1, 1, 2);
    expect_sectors(&f, 0x10000, 1439, 1);
    /* An unknown size is refused with a message; the drive keeps its diskette. */
    struct fx g;
    memset(&g, 0, sizeof(g));
    image(&g, 1000000, true, false);
    char err[128] = "";
    ck_assert(!fdc_insert(&f.fdc, 1, g.bd, err, sizeof(err)));
    ck_assert(strstr(err, "1000000") != NULL);
    ck_assert_int_eq(fdc_cmos_type(&f.fdc, 1), 0);
    blockdev_close(g.bd);
    fx_free(&f);
}
END_TEST

/* Any byte on any FDC or DMA port at any time: no crash, and a reset recovers. */
START_TEST(test_port_fuzz)
{
    struct fx f;
    fx_init(&f, SIZE_144, false, true);
    bring_up(&f);
    uint32_t s = 0x2468ace1u;
    for (int i = 0; i < 200000; i++) {
        s = s * 1664525u + 1013904223u;
        unsigned k = s >> 28;
        uint8_t v = (uint8_t)(s >> 8);
        if (k < 7) {
            outb(&f, (uint16_t)(0x3f0 + (s >> 16) % 8), (k == 0 && (v & 4) == 0) ? v | 4 : v);
        } else if (k < 11) {
            inb(&f, (uint16_t)(0x3f0 + (s >> 16) % 8));
        } else if (k < 13) {
            outb(&f, (uint16_t)((s >> 16) % 16), v);
            outb(&f, 0x81, (uint8_t)((s >> 20) & 0x1f)); /* stay inside RAM */
        } else {
            run(&f, (s >> 12) % (5 * MS));
        }
    }
    outb(&f, 0x3f2, 0x18);
    outb(&f, 0x3f2, 0x1c);
    ck_assert_uint_eq(inb(&f, 0x3f4) & 0xc0, 0x80);
    CMD(&f, 0x10);
    EXPECT(&f, 0x90);
    fx_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_fdc");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_reset_and_sense_interrupt);
    tcase_add_test(tc, test_command_clears_unsensed_interrupt);
    tcase_add_test(tc, test_configuration_commands);
    tcase_add_test(tc, test_seek_and_recalibrate);
    tcase_add_test(tc, test_read_data_dma);
    tcase_add_test(tc, test_end_of_track);
    tcase_add_test(tc, test_write_protect);
    tcase_add_test(tc, test_write_data_dma);
    tcase_add_test(tc, test_media_change);
    tcase_add_test(tc, test_pio_read_and_write);
    tcase_add_test(tc, test_data_rate_and_read_id);
    tcase_add_test(tc, test_sector_not_found);
    tcase_add_test(tc, test_dma_overrun_and_late_unmask);
    tcase_add_test(tc, test_stall_without_motor_or_media);
    tcase_add_test(tc, test_format_track);
    tcase_add_test(tc, test_deleted_verify_read_track);
    tcase_add_test(tc, test_implied_seek);
    tcase_add_test(tc, test_formats_by_size);
    tcase_add_test(tc, test_port_fuzz);
    suite_add_tcase(s, tc);
    return check_run(s);
}
