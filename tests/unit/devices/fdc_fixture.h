/* SPDX-License-Identifier: MIT */
/*
 * Test support for the floppy controller's tests: an 82077AA with DMA
 * channel 2 into guest RAM on a real bus, an image of generated sectors in a
 * mkdtemp() directory, port helpers, command and result phases checked
 * against the MSR, and the BIOS's bring-up.
 */
#ifndef KILN_TESTS_FDC_FIXTURE_H
#define KILN_TESTS_FDC_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static inline uint8_t sbyte(unsigned lba, unsigned i)
{
    return (uint8_t)(i < 2 ? lba >> (8 * i) : lba * 13u + i * 7u + 1u);
}

static inline unsigned lba144(unsigned c, unsigned h, unsigned r)
{
    return (c * 2 + h) * 18 + r - 1;
}

static inline void mem_cb(void *opaque, uint32_t addr, void *buf, size_t len, bool to_memory)
{
    struct fx *f = opaque;
    ck_assert_uint_le(addr + len, RAM_SIZE);
    if (to_memory)
        memcpy(bus_ram(f->bus) + addr, buf, len);
    else
        memcpy(buf, bus_ram(f->bus) + addr, len);
}

static inline void irq_cb(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    (void)n;
    if (level && !f->irq) f->irq_edges++;
    f->irq = level;
}

static inline void outb(struct fx *f, uint16_t port, uint8_t v)
{
    bus_io_write(f->bus, port, 1, v);
}

static inline uint8_t inb(struct fx *f, uint16_t port)
{
    return (uint8_t)bus_io_read(f->bus, port, 1);
}

static inline void run(struct fx *f, uint64_t ns)
{
    clock_advance(&f->clk, f->clk.now + ns);
}

/* Let guest time pass until IRQ 6 rises; false if it does not within 'limit'. */
static inline bool wait_irq(struct fx *f, uint64_t limit)
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

static inline void cmd(struct fx *f, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        ck_assert_msg((inb(f, 0x3f4) & 0xc0) == 0x80, "byte %d: MSR %02x", i, inb(f, 0x3f4));
        outb(f, 0x3f5, b[i]);
    }
}

static inline void result(struct fx *f, uint8_t *out, int n)
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

static inline void expect_result(struct fx *f, const uint8_t *want, int n)
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
static inline void image(struct fx *f, uint32_t size, bool read_only, bool snapshot)
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

static inline void fx_free(struct fx *f)
{
    blockdev_close(f->bd);
    bus_free(f->bus);
}

/* Wait for the seek interrupt, then SENSE INTERRUPT STATUS gives ST0 and PCN. */
static inline void sensei(struct fx *f, uint8_t st0, uint8_t pcn)
{
    ck_assert(wait_irq(f, 1000 * MS));
    CMD(f, 0x08);
    EXPECT(f, st0, pcn);
}

static inline void seek(struct fx *f, uint8_t ds_hds, uint8_t cyl)
{
    CMD(f, 0x0f, ds_hds, cyl);
    sensei(f, (uint8_t)(0x20 | (ds_hds & 3)), cyl);
}

/* After a reset with polling on: one interrupt, then ST0 C0h-C3h, one per drive. */
static inline void poll_senses(struct fx *f)
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
static inline void bring_up(struct fx *f)
{
    outb(f, 0x3f2, 0x1c);
    poll_senses(f);
    CMD(f, 0x03, 0xdf, 0x02);
    outb(f, 0x3f7, 0x00);
    CMD(f, 0x07, 0x00);
    sensei(f, 0x20, 0);
}

static inline void fx_init(struct fx *f, uint32_t size, bool read_only, bool snapshot)
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
static inline void dma2(struct fx *f, uint32_t addr, unsigned len, uint8_t mode)
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
static inline void expect_sectors(struct fx *f, uint32_t addr, unsigned lba, unsigned n)
{
    const uint8_t *m = bus_ram(f->bus) + addr;
    for (unsigned s = 0; s < n; s++)
        for (unsigned i = 0; i < 512; i++)
            ck_assert_msg(m[s * 512 + i] == sbyte(lba + s, i), "sector %u byte %u", lba + s, i);
}

#endif
