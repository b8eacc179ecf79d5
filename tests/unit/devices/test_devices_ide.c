/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the PIIX3 IDE controller's ATA side through its ports on a
 * real bus and virtual clock, with disk images made in a temporary file:
 * IDENTIFY DEVICE words against ATA/ATAPI-6 8.15 and the image size, PIO
 * reads and writes (single, multiple, CHS, LBA28, LBA48 with HOB), error
 * outputs (IDNF, ABRT, UNC-free read-only refusal), bus-master DMA through
 * PRD tables (SFF-8038i), soft reset signatures, nIEN and hostile writes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "devices/ide.h"

#define CMD    0x1f0
#define CTL    0x3f6
#define BM     0xc000
#define RAM    (1u << 20)
#define SECTORS_10M 20480u

#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_DSC  0x10
#define ST_DRDY 0x40
#define ST_BSY  0x80

struct fx {
    struct bus *bus;
    struct clock clk;
    struct pci pci;
    struct ide ide;
    bool irq[16];
    int edges[16];
    struct blockdev *bd;
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
    uint8_t *ram = bus_ram(f->bus);
    if (to_guest)
        memcpy(ram + addr, buf, len);
    else
        memcpy(buf, ram + addr, len);
    return true;
}

/* The byte at offset j of test sector s; the first 8 bytes are the LBA. */
static uint8_t pattern(uint64_t s, unsigned j)
{
    if (j < 8)
        return (uint8_t)(s >> (8 * j));
    return (uint8_t)(s * 31 + j * 7 + (s >> 8));
}

static void fill_sector(uint8_t *p, uint64_t s)
{
    for (unsigned j = 0; j < 512; j++)
        p[j] = pattern(s, j);
}

static bool sector_ok(const uint8_t *p, uint64_t s)
{
    for (unsigned j = 0; j < 512; j++)
        if (p[j] != pattern(s, j))
            return false;
    return true;
}

/* A temporary image of 'sectors' sectors: patterned when 'full', else sparse
 * with only 'extra' patterned. The file is unlinked once opened. */
static struct blockdev *make_disk(uint64_t sectors, bool full, uint64_t extra, bool ro)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof(path), "%s/kiln-ide-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)(sectors * 512)), 0);
    uint8_t sec[512];
    for (uint64_t s = full ? 0 : extra; s < (full ? sectors : extra + 4); s++) {
        fill_sector(sec, s);
        ck_assert_int_eq(pwrite(fd, sec, 512, (off_t)(s * 512)), 512);
    }
    close(fd);
    char err[256] = "";
    struct blockdev *bd = blockdev_open(path, ro, false, err, sizeof(err));
    unlink(path);
    ck_assert_msg(bd != NULL, "%s", err);
    return bd;
}

static void cfg_write(struct fx *f, uint8_t off, int size, uint32_t v)
{
    bus_io_write(f->bus, 0xcf8, 4, 0x80000000u | PCI_DEVFN(1, 1) << 8 | (off & 0xfcu));
    bus_io_write(f->bus, (uint16_t)(0xcfc + (off & 3)), size, v);
}

static struct fx *fx_new(struct blockdev *bd)
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
    f->bd = bd;
    if (bd)
        ck_assert(ide_attach_disk(&f->ide, 0, 0, bd));
    /* What a BIOS does: bus master BAR, I/O and bus mastering on, both channels decoded. */
    cfg_write(f, 0x20, 4, BM);
    cfg_write(f, 0x04, 2, 0x0005);
    cfg_write(f, 0x40, 4, 0x80008000u);
    return f;
}

static void fx_free(struct fx *f)
{
    ide_free(&f->ide);
    if (f->bd)
        blockdev_close(f->bd);
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

static uint16_t inw(struct fx *f, uint16_t port)
{
    return (uint16_t)bus_io_read(f->bus, port, 2);
}

static void outw(struct fx *f, uint16_t port, uint16_t v)
{
    bus_io_write(f->bus, port, 2, v);
}

/* Let guest time pass until the device is not busy; return the alternate status. */
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

/* The command ended with ERR and this error register (ATA-6 error outputs). */
static void expect_error(struct fx *f, uint8_t error)
{
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC | ST_ERR);
    ck_assert_uint_eq(inb(f, CMD + 1), error);
}

static void ata_lba28(struct fx *f, uint32_t lba, uint8_t count, uint8_t cmd)
{
    outb(f, CMD + 6, (uint8_t)(0xe0 | ((lba >> 24) & 0x0f)));
    outb(f, CMD + 2, count);
    outb(f, CMD + 3, (uint8_t)lba);
    outb(f, CMD + 4, (uint8_t)(lba >> 8));
    outb(f, CMD + 5, (uint8_t)(lba >> 16));
    outb(f, CMD + 7, cmd);
}

static void ata_lba48(struct fx *f, uint64_t lba, uint16_t count, uint8_t cmd)
{
    outb(f, CMD + 6, 0x40);
    outb(f, CMD + 2, (uint8_t)(count >> 8));
    outb(f, CMD + 3, (uint8_t)(lba >> 24));
    outb(f, CMD + 4, (uint8_t)(lba >> 32));
    outb(f, CMD + 5, (uint8_t)(lba >> 40));
    outb(f, CMD + 2, (uint8_t)count);
    outb(f, CMD + 3, (uint8_t)lba);
    outb(f, CMD + 4, (uint8_t)(lba >> 8));
    outb(f, CMD + 5, (uint8_t)(lba >> 16));
    outb(f, CMD + 7, cmd);
}

/* Read one DRQ block of 'words' words after its interrupt. */
static void read_block(struct fx *f, uint8_t *buf, int words)
{
    int edges = f->edges[14];
    uint8_t st = wait_ready(f);
    ck_assert_uint_eq(st, ST_DRDY | ST_DSC | ST_DRQ);
    ck_assert_int_eq(f->edges[14], edges + 1);
    ck_assert(f->irq[14]);
    ck_assert_uint_eq(inb(f, CMD + 7), ST_DRDY | ST_DSC | ST_DRQ); /* acknowledges */
    ck_assert(!f->irq[14]);
    for (int i = 0; i < words; i++) {
        uint16_t w = inw(f, CMD);
        buf[2 * i] = (uint8_t)w;
        buf[2 * i + 1] = (uint8_t)(w >> 8);
    }
}

static void identify(struct fx *f, uint16_t *id)
{
    uint8_t buf[512];
    outb(f, CMD + 6, 0xa0);
    outb(f, CMD + 7, 0xec);
    ck_assert_uint_eq(inb(f, CTL) & ST_BSY, ST_BSY);
    read_block(f, buf, 256);
    for (int i = 0; i < 256; i++)
        id[i] = (uint16_t)(buf[2 * i] | buf[2 * i + 1] << 8);
    ck_assert_uint_eq(inb(f, CMD + 7), ST_DRDY | ST_DSC);
}

static void id_string(const uint16_t *id, int word, int nwords, char *out)
{
    for (int i = 0; i < nwords; i++) {
        out[2 * i] = (char)(id[word + i] >> 8);
        out[2 * i + 1] = (char)id[word + i];
    }
    out[2 * nwords] = 0;
}

START_TEST(test_identify_device)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, false, 0, false));
    uint16_t id[256];
    identify(f, id);
    ck_assert_uint_eq(id[0] & 0x8000, 0); /* ATA device */
    /* Default CHS: 16 heads, 63 sectors, as many whole cylinders as fit. */
    ck_assert_uint_eq(id[1], SECTORS_10M / (16 * 63));
    ck_assert_uint_eq(id[3], 16);
    ck_assert_uint_eq(id[6], 63);
    ck_assert_uint_eq(id[53] & 1, 1);
    ck_assert_uint_eq(id[54], id[1]);
    ck_assert_uint_eq(id[55], 16);
    ck_assert_uint_eq(id[56], 63);
    uint32_t chs = (uint32_t)id[57] | (uint32_t)id[58] << 16;
    ck_assert_uint_eq(chs, (SECTORS_10M / (16 * 63)) * 16 * 63);
    ck_assert_uint_eq((uint32_t)id[60] | (uint32_t)id[61] << 16, SECTORS_10M);
    ck_assert_uint_eq(id[100], (uint16_t)SECTORS_10M);
    ck_assert_uint_eq(id[101] | id[102] | id[103], 0);
    ck_assert_uint_eq(id[49] & 0x0300, 0x0300); /* LBA and DMA */
    ck_assert_uint_eq(id[47] & 0xff, 16);       /* READ/WRITE MULTIPLE up to 16 */
    ck_assert_uint_eq(id[83] & 0xc400, 0x4400); /* valid, 48-bit address feature set */
    ck_assert_uint_eq(id[86] & 0x0400, 0x0400);
    ck_assert_uint_eq(id[63] & 0x07, 0x07);      /* multiword DMA 0-2 */
    ck_assert_uint_eq(id[88] & 0x3f, 0x3f);      /* Ultra DMA 0-5 */
    ck_assert_uint_eq(id[80] & 0x0040, 0x0040);  /* ATA/ATAPI-6 */
    char model[41];
    id_string(id, 27, 20, model);
    ck_assert_str_eq(model, "Kiln ATA Disk                           ");
    /* Word 255: signature A5h and a checksum making the 512 bytes sum to 0. */
    ck_assert_uint_eq(id[255] & 0xff, 0xa5);
    uint8_t sum = 0;
    for (int i = 0; i < 256; i++)
        sum = (uint8_t)(sum + (id[i] & 0xff) + (id[i] >> 8));
    ck_assert_uint_eq(sum, 0);
    /* SET MULTIPLE and SET FEATURES show up in words 59, 63 and 88. */
    outb(f, CMD + 2, 8);
    outb(f, CMD + 7, 0xc6);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    outb(f, CMD + 1, 0x03);
    outb(f, CMD + 2, 0x22);
    outb(f, CMD + 7, 0xef);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    identify(f, id);
    ck_assert_uint_eq(id[59], 0x0108);
    ck_assert_uint_eq(id[63], 0x0407);
    ck_assert_uint_eq(id[88] & 0xff00, 0);
    fx_free(f);
}
END_TEST

START_TEST(test_pio_read_write)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, true, 0, false));
    uint8_t buf[512 * 3];
    ata_lba28(f, 5, 3, 0x20);
    for (int i = 0; i < 3; i++) {
        read_block(f, buf + 512 * i, 256);
        ck_assert(sector_ok(buf + 512 * i, 5 + (unsigned)i));
    }
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC); /* no interrupt after the last block */
    ck_assert(!f->irq[14]);
    /* CHS 0/1/1 is LBA 63 with 63 sectors per track (ATA-6 6.2.1). */
    outb(f, CMD + 6, 0xa1);
    outb(f, CMD + 2, 1);
    outb(f, CMD + 3, 1);
    outb(f, CMD + 4, 0);
    outb(f, CMD + 5, 0);
    outb(f, CMD + 7, 0x21);
    read_block(f, buf, 256);
    ck_assert(sector_ok(buf, 63));
    /* WRITE SECTORS: DRQ without an interrupt for the first block, then one per block. */
    uint8_t out[1024];
    fill_sector(out, 9000);
    fill_sector(out + 512, 9001);
    ata_lba28(f, 300, 2, 0x30);
    int edges = f->edges[14];
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC | ST_DRQ);
    ck_assert_int_eq(f->edges[14], edges);
    for (int i = 0; i < 256; i++)
        outw(f, CMD, (uint16_t)(out[2 * i] | out[2 * i + 1] << 8));
    ck_assert_uint_eq(inb(f, CTL) & ST_BSY, ST_BSY);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC | ST_DRQ);
    ck_assert_int_eq(f->edges[14], edges + 1);
    (void)inb(f, CMD + 7);
    for (int i = 0; i < 128; i++) /* 32-bit data port accesses: two words each */
        bus_io_write(f->bus, CMD, 4, (uint32_t)out[512 + 4 * i] | (uint32_t)out[513 + 4 * i] << 8 |
                                         (uint32_t)out[514 + 4 * i] << 16 |
                                         (uint32_t)out[515 + 4 * i] << 24);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert_int_eq(f->edges[14], edges + 2);
    uint8_t back[1024];
    ck_assert(blockdev_read(f->bd, 300 * 512, back, sizeof(back)));
    ck_assert_mem_eq(back, out, sizeof(out));
    /* And back through the data port with 32-bit reads. */
    ata_lba28(f, 301, 1, 0x20);
    wait_ready(f);
    (void)inb(f, CMD + 7);
    for (int i = 0; i < 128; i++) {
        uint32_t v = bus_io_read(f->bus, CMD, 4);
        memcpy(buf + 4 * i, &v, 4);
    }
    ck_assert(sector_ok(buf, 9001));
    fx_free(f);
}
END_TEST

START_TEST(test_chs_translation)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, true, 0, false));
    uint8_t buf[512];
    uint16_t id[256];
    /* INITIALIZE DEVICE PARAMETERS: 32 sectors per track, 8 heads (DEV bits 3:0 = 7). */
    outb(f, CMD + 2, 32);
    outb(f, CMD + 6, 0xa7);
    outb(f, CMD + 7, 0x91);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    identify(f, id);
    ck_assert_uint_eq(id[54], SECTORS_10M / (8 * 32));
    ck_assert_uint_eq(id[55], 8);
    ck_assert_uint_eq(id[56], 32);
    ck_assert_uint_eq((uint32_t)id[57] | (uint32_t)id[58] << 16, SECTORS_10M / 256 * 256);
    ck_assert_uint_eq(id[1], SECTORS_10M / (16 * 63)); /* the default geometry stays */
    /* C/H/S 1/2/5 is LBA (1 x 8 + 2) x 32 + 4 = 324. */
    outb(f, CMD + 6, 0xa2);
    outb(f, CMD + 2, 1);
    outb(f, CMD + 3, 5);
    outb(f, CMD + 4, 1);
    outb(f, CMD + 5, 0);
    outb(f, CMD + 7, 0x20);
    read_block(f, buf, 256);
    ck_assert(sector_ok(buf, 324));
    /* Sector 33 does not exist on a 32-sector track; head 8 not with 8 heads. */
    outb(f, CMD + 3, 33);
    outb(f, CMD + 7, 0x20);
    expect_error(f, 0x10);
    outb(f, CMD + 6, 0xa8);
    outb(f, CMD + 3, 1);
    outb(f, CMD + 7, 0x70); /* SEEK */
    expect_error(f, 0x10);
    outb(f, CMD + 6, 0xa7);
    outb(f, CMD + 7, 0x70);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    /* Zero sectors per track is refused. */
    outb(f, CMD + 2, 0);
    outb(f, CMD + 7, 0x91);
    expect_error(f, 0x04);
    /* READ VERIFY checks the range without moving data. */
    ata_lba28(f, SECTORS_10M - 4, 4, 0x40);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ata_lba28(f, SECTORS_10M - 4, 5, 0x40);
    expect_error(f, 0x10);
    fx_free(f);
}
END_TEST

START_TEST(test_read_multiple)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, true, 0, false));
    uint8_t buf[512 * 10];
    /* READ MULTIPLE before SET MULTIPLE aborts. */
    ata_lba28(f, 20, 10, 0xc4);
    expect_error(f, 0x04);
    /* A block size that is not a power of two aborts too. */
    outb(f, CMD + 2, 3);
    outb(f, CMD + 7, 0xc6);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC | ST_ERR);
    outb(f, CMD + 2, 4);
    outb(f, CMD + 7, 0xc6);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    /* 10 sectors in blocks of 4: 4, 4, 2, one interrupt per block. */
    int edges = f->edges[14];
    ata_lba28(f, 20, 10, 0xc4);
    read_block(f, buf, 4 * 256);
    read_block(f, buf + 2048, 4 * 256);
    read_block(f, buf + 4096, 2 * 256);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert_int_eq(f->edges[14], edges + 3);
    for (unsigned i = 0; i < 10; i++)
        ck_assert(sector_ok(buf + 512 * i, 20 + i));
    fx_free(f);
}
END_TEST

START_TEST(test_lba48)
{
    const uint64_t total = 0x10000000ull + 0x1000; /* beyond LBA28's reach: 128 GiB, sparse */
    const uint64_t lba = 0x10000040ull;
    struct fx *f = fx_new(make_disk(total, false, lba, false));
    uint16_t id[256];
    identify(f, id);
    ck_assert_uint_eq(id[1], 16383);
    ck_assert_uint_eq(id[3], 16);
    ck_assert_uint_eq(id[6], 63);
    ck_assert_uint_eq((uint32_t)id[60] | (uint32_t)id[61] << 16, 0x0fffffffu);
    uint64_t max48 = (uint64_t)id[100] | (uint64_t)id[101] << 16 | (uint64_t)id[102] << 32 |
                     (uint64_t)id[103] << 48;
    ck_assert_uint_eq(max48, total);
    /* Each register keeps its previous value, read back with HOB set. */
    outb(f, CMD + 3, 0x12);
    outb(f, CMD + 3, 0x34);
    ck_assert_uint_eq(inb(f, CMD + 3), 0x34);
    outb(f, CTL, 0x80);
    ck_assert_uint_eq(inb(f, CMD + 3), 0x12);
    outb(f, CMD + 4, 0x56); /* a register write clears HOB */
    ck_assert_uint_eq(inb(f, CMD + 3), 0x34);
    outb(f, CTL, 0x00);
    /* READ SECTORS EXT at an LBA whose bits 31:24 live in the HOB register. */
    uint8_t buf[1024];
    ata_lba48(f, lba, 2, 0x24);
    read_block(f, buf, 256);
    read_block(f, buf + 512, 256);
    ck_assert(sector_ok(buf, lba));
    ck_assert(sector_ok(buf + 512, lba + 1));
    /* WRITE SECTORS EXT there, read back through the image. */
    ata_lba48(f, lba + 2, 1, 0x34);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC | ST_DRQ);
    fill_sector(buf, 77);
    for (int i = 0; i < 256; i++)
        outw(f, CMD, (uint16_t)(buf[2 * i] | buf[2 * i + 1] << 8));
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert(blockdev_read(f->bd, (lba + 2) * 512, buf + 512, 512));
    ck_assert(sector_ok(buf + 512, 77));
    /* LBA28 commands end at 0FFFFFFFh (words 60-61), however large the disk. */
    ata_lba28(f, 0x0ffffffe, 1, 0x20);
    read_block(f, buf, 256);
    ata_lba28(f, 0x0ffffffe, 2, 0x20);
    expect_error(f, 0x10);
    /* A count of 0 in both halves means 65536 sectors: past the end here. */
    ata_lba48(f, total - 100, 0, 0x24);
    expect_error(f, 0x10);
    fx_free(f);
}
END_TEST

START_TEST(test_errors)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, false, 0, false));
    /* ATA-6: an address outside the medium is IDNF. */
    ata_lba28(f, SECTORS_10M, 1, 0x20);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC | ST_ERR);
    ck_assert(f->irq[14]);
    ck_assert_uint_eq(inb(f, CMD + 1), 0x10);
    ck_assert_uint_eq(inb(f, CMD + 7), ST_DRDY | ST_DSC | ST_ERR);
    ck_assert(!f->irq[14]);
    ata_lba28(f, SECTORS_10M - 1, 2, 0x20); /* starts inside, ends outside */
    expect_error(f, 0x10);
    ata_lba28(f, SECTORS_10M, 1, 0xc8); /* READ DMA */
    expect_error(f, 0x10);
    /* CHS with sector 0, or a head past the geometry. */
    outb(f, CMD + 6, 0xa0);
    outb(f, CMD + 3, 0);
    outb(f, CMD + 7, 0x20);
    expect_error(f, 0x10);
    /* Unsupported commands (SMART, NOP, PACKET to a disk) abort. */
    static const uint8_t bad[] = {0xb0, 0x00, 0xa0, 0xa1, 0xff};
    for (unsigned i = 0; i < sizeof(bad); i++) {
        outb(f, CMD + 7, bad[i]);
        expect_error(f, 0x04);
    }
    /* A good command clears the error. */
    ata_lba28(f, 0, 1, 0x40);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert_uint_eq(inb(f, CMD + 1), 0x00);
    /* The slave is absent: selecting it reads status 00h; commands to it do nothing. */
    outb(f, CMD + 6, 0xb0);
    ck_assert_uint_eq(inb(f, CMD + 7), 0x00);
    ck_assert_uint_eq(inb(f, CTL), 0x00);
    outb(f, CMD + 7, 0xec);
    clock_advance(&f->clk, clock_now(&f->clk) + 100000);
    ck_assert_uint_eq(inb(f, CMD + 7), 0x00);
    /* No drive at all on the secondary channel: DD7 pulled down. */
    ck_assert_uint_eq(inb(f, 0x177), 0x7f);
    fx_free(f);
}
END_TEST

START_TEST(test_read_only_image)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, true, 0, true));
    uint8_t buf[512];
    ata_lba28(f, 4, 1, 0x30);
    expect_error(f, 0x04);
    ata_lba28(f, 4, 1, 0xca); /* WRITE DMA */
    expect_error(f, 0x04);
    ata_lba28(f, 4, 1, 0x20);
    read_block(f, buf, 256);
    ck_assert(sector_ok(buf, 4));
    fx_free(f);
}
END_TEST

/* A PRD entry at 'at': region 'addr', 'count' bytes (0 = 64 KiB), EOT when 'last'. */
static void prd(struct fx *f, uint32_t at, uint32_t addr, uint32_t count, bool last)
{
    uint8_t *ram = bus_ram(f->bus);
    memcpy(ram + at, &addr, 4);
    ram[at + 4] = (uint8_t)count;
    ram[at + 5] = (uint8_t)(count >> 8);
    ram[at + 6] = 0;
    ram[at + 7] = last ? 0x80 : 0;
}

static void bm_setup(struct fx *f, uint32_t table, bool to_mem)
{
    bus_io_write(f->bus, BM + 4, 4, table);
    bus_io_write(f->bus, BM, 1, to_mem ? 0x08 : 0x00);
    bus_io_write(f->bus, BM + 2, 1, 0x06); /* clear interrupt and error */
}

START_TEST(test_dma_read)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, true, 0, false));
    uint8_t *ram = bus_ram(f->bus);
    /* Sectors 7-9 into 0x2000 (512 bytes) and 0x30000 (1024 bytes), table exactly used. */
    prd(f, 0x1000, 0x2000, 512, false);
    prd(f, 0x1008, 0x30000, 1024, true);
    bm_setup(f, 0x1000, true);
    ata_lba28(f, 7, 3, 0xc8);
    clock_advance(&f->clk, clock_now(&f->clk) + 100000);
    ck_assert(!f->irq[14]); /* the device waits for the engine */
    ck_assert_uint_eq(inb(f, CTL) & ST_DRQ, ST_DRQ);
    bus_io_write(f->bus, BM, 1, 0x09);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert(f->irq[14]);
    /* SFF-8038i: interrupt set, active clear when the table ends with the data. */
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x04);
    ck_assert(sector_ok(ram + 0x2000, 7));
    ck_assert(sector_ok(ram + 0x30000, 8));
    ck_assert(sector_ok(ram + 0x30200, 9));
    bus_io_write(f->bus, BM, 1, 0x08);
    bus_io_write(f->bus, BM + 2, 1, 0x04);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x00);
    (void)inb(f, CMD + 7);
    /* READ DMA EXT with the engine started first and a table larger than the data:
     * interrupt set and the engine still active. */
    prd(f, 0x1000, 0x40000, 0, true); /* 64 KiB */
    bm_setup(f, 0x1000, true);
    bus_io_write(f->bus, BM, 1, 0x09);
    ata_lba48(f, 1000, 4, 0x25);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x05);
    for (unsigned i = 0; i < 4; i++)
        ck_assert(sector_ok(ram + 0x40000 + 512 * i, 1000 + i));
    bus_io_write(f->bus, BM, 1, 0x08);
    (void)inb(f, CMD + 7);
    /* The data ends exactly with a descriptor that is not the last: still active. */
    prd(f, 0x1000, 0x60000, 512, false);
    prd(f, 0x1008, 0x61000, 512, true);
    bm_setup(f, 0x1000, true);
    ata_lba28(f, 60, 1, 0xc8);
    bus_io_write(f->bus, BM, 1, 0x09);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x05);
    ck_assert(sector_ok(ram + 0x60000, 60));
    bus_io_write(f->bus, BM, 1, 0x08);
    (void)inb(f, CMD + 7);
    /* 600 sectors (300 KiB) through five 64 KiB descriptors, more than one staging. */
    for (uint32_t i = 0; i < 5; i++)
        prd(f, 0x1000 + 8 * i, 0x80000 + 0x10000 * i, i < 4 ? 0 : 600 * 512 - 4 * 0x10000,
            i == 4);
    bm_setup(f, 0x1000, true);
    ata_lba48(f, 2000, 600, 0x25);
    bus_io_write(f->bus, BM, 1, 0x09);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x04);
    for (unsigned i = 0; i < 600; i++)
        ck_assert(sector_ok(ram + 0x80000 + 512 * i, 2000 + i));
    bus_io_write(f->bus, BM, 1, 0x08);
    (void)inb(f, CMD + 7);
    /* A table shorter than the data: the engine stops without an interrupt; the
     * device keeps DRQ until the host resets it. */
    prd(f, 0x1000, 0x50000, 512, true);
    bm_setup(f, 0x1000, true);
    ata_lba28(f, 50, 2, 0xc8);
    bus_io_write(f->bus, BM, 1, 0x09);
    clock_advance(&f->clk, clock_now(&f->clk) + 100000);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x00);
    ck_assert(!f->irq[14]);
    ck_assert_uint_eq(inb(f, CTL) & ST_DRQ, ST_DRQ);
    ck_assert(sector_ok(ram + 0x50000, 50));
    /* A descriptor outside memory: master abort sets the error bit. */
    bus_io_write(f->bus, BM, 1, 0x08);
    prd(f, 0x1000, 0xfff000, 512, true);
    bm_setup(f, 0x1000, true);
    ata_lba28(f, 50, 1, 0xc8);
    bus_io_write(f->bus, BM, 1, 0x09);
    ck_assert_uint_eq(wait_ready(f) & ST_ERR, ST_ERR);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x03, 0x02);
    fx_free(f);
}
END_TEST

START_TEST(test_dma_write)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, true, 0, false));
    uint8_t *ram = bus_ram(f->bus);
    fill_sector(ram + 0x8000, 4242);
    fill_sector(ram + 0x9000, 4243);
    prd(f, 0x1000, 0x8000, 512, false);
    prd(f, 0x1008, 0x9000, 512, true);
    bm_setup(f, 0x1000, false);
    ata_lba28(f, 600, 2, 0xca);
    bus_io_write(f->bus, BM, 1, 0x01);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert(f->irq[14]);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x04);
    uint8_t back[1024];
    ck_assert(blockdev_read(f->bd, 600 * 512, back, sizeof(back)));
    ck_assert(sector_ok(back, 4242));
    ck_assert(sector_ok(back + 512, 4243));
    /* 400 sectors (200 KiB) from four descriptors: written in more than one piece. */
    (void)inb(f, CMD + 7);
    bus_io_write(f->bus, BM, 1, 0x00);
    for (unsigned i = 0; i < 400; i++)
        fill_sector(ram + 0x40000 + 512 * i, 50000 + i);
    for (uint32_t i = 0; i < 4; i++)
        prd(f, 0x1000 + 8 * i, 0x40000 + 0xc800 * i, 0xc800, i == 3);
    bm_setup(f, 0x1000, false);
    ata_lba28(f, 5000, 0, 0xca); /* a count of 0 is 256 sectors... */
    bus_io_write(f->bus, BM, 1, 0x01);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x05); /* ...so the table is longer */
    bus_io_write(f->bus, BM, 1, 0x00);
    (void)inb(f, CMD + 7);
    bm_setup(f, 0x1000, false);
    ata_lba48(f, 5000, 400, 0x35);
    bus_io_write(f->bus, BM, 1, 0x01);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert_uint_eq(inb(f, BM + 2) & 0x07, 0x04);
    static uint8_t big[400 * 512];
    ck_assert(blockdev_read(f->bd, 5000 * 512, big, sizeof(big)));
    for (unsigned i = 0; i < 400; i++)
        ck_assert(sector_ok(big + 512 * i, 50000 + i));
    /* Bus mastering off in PCI: the engine cannot run until it is turned on. */
    (void)inb(f, CMD + 7);
    bus_io_write(f->bus, BM, 1, 0x00);
    cfg_write(f, 0x04, 2, 0x0001);
    fill_sector(ram + 0x8000, 31337);
    prd(f, 0x1000, 0x8000, 512, true);
    bm_setup(f, 0x1000, false);
    ata_lba28(f, 700, 1, 0xca);
    bus_io_write(f->bus, BM, 1, 0x01);
    clock_advance(&f->clk, clock_now(&f->clk) + 100000);
    ck_assert(!f->irq[14]);
    cfg_write(f, 0x04, 2, 0x0005);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert(blockdev_read(f->bd, 700 * 512, back, 512));
    ck_assert(sector_ok(back, 31337));
    fx_free(f);
}
END_TEST

START_TEST(test_soft_reset_and_diagnostic)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, false, 0, false));
    outb(f, CMD + 2, 0x55);
    outb(f, CMD + 4, 0xaa);
    outb(f, CTL, 0x04); /* SRST */
    ck_assert_uint_eq(inb(f, CTL), ST_BSY);
    outb(f, CTL, 0x00);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    /* ATA-6 9.12 signature for an ATA device, diagnostic code 01h. */
    ck_assert_uint_eq(inb(f, CMD + 2), 0x01);
    ck_assert_uint_eq(inb(f, CMD + 3), 0x01);
    ck_assert_uint_eq(inb(f, CMD + 4), 0x00);
    ck_assert_uint_eq(inb(f, CMD + 5), 0x00);
    ck_assert_uint_eq(inb(f, CMD + 1), 0x01);
    ck_assert(!f->irq[14]); /* no interrupt after a soft reset */
    /* EXECUTE DEVICE DIAGNOSTIC: the same signature and an interrupt. */
    outb(f, CMD + 4, 0xaa);
    outb(f, CMD + 7, 0x90);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert(f->irq[14]);
    ck_assert_uint_eq(inb(f, CMD + 1), 0x01);
    ck_assert_uint_eq(inb(f, CMD + 4), 0x00);
    fx_free(f);
}
END_TEST

START_TEST(test_nien_and_decode)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, false, 0, false));
    outb(f, CTL, 0x02); /* nIEN */
    outb(f, CMD + 7, 0xe7);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    ck_assert(!f->irq[14]);
    outb(f, CTL, 0x00); /* the pending interrupt now reaches the line */
    ck_assert(f->irq[14]);
    (void)inb(f, CMD + 7);
    ck_assert(!f->irq[14]);
    /* IDETIM bit 15 off: the primary's legacy ports are not decoded. */
    cfg_write(f, 0x40, 2, 0x0000);
    ck_assert_uint_eq(inb(f, CMD + 7), 0xff);
    outb(f, CMD + 7, 0xec);
    cfg_write(f, 0x40, 2, 0x8000);
    clock_advance(&f->clk, clock_now(&f->clk) + 100000);
    ck_assert_uint_eq(inb(f, CMD + 7), ST_DRDY | ST_DSC);
    fx_free(f);
}
END_TEST

START_TEST(test_hostile_ports)
{
    struct fx *f = fx_new(make_disk(SECTORS_10M, false, 0, false));
    static const uint16_t ports[] = {CMD, CMD + 1, CMD + 2, CMD + 3, CMD + 4, CMD + 5, CMD + 6,
                                     CMD + 7, CTL, BM, BM + 2, BM + 4, BM + 8, BM + 10, BM + 12};
    uint8_t *ram = bus_ram(f->bus);
    uint32_t x = 99;
    for (uint32_t i = 0; i < RAM; i += 4) {
        x = x * 1103515245u + 12345u;
        memcpy(ram + i, &x, 4); /* random PRD tables everywhere */
    }
    for (int i = 0; i < 300000; i++) {
        x = x * 1103515245u + 12345u;
        uint32_t v = x >> 8;
        uint16_t port = ports[v % KILN_ARRAY_SIZE(ports)];
        int size = 1 << ((v >> 5) % 3);
        if ((v >> 8) & 1)
            bus_io_write(f->bus, port, size, x);
        else
            (void)bus_io_read(f->bus, port, size);
        if (((v >> 9) & 7) == 0)
            clock_advance(&f->clk, clock_now(&f->clk) + ((v >> 12) & 0x1fff));
    }
    ide_reset(&f->ide);
    ck_assert_uint_eq(wait_ready(f), ST_DRDY | ST_DSC);
    fx_free(f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_ide");
    TCase *tc = tcase_create("ide");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_identify_device);
    tcase_add_test(tc, test_pio_read_write);
    tcase_add_test(tc, test_chs_translation);
    tcase_add_test(tc, test_read_multiple);
    tcase_add_test(tc, test_lba48);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_read_only_image);
    tcase_add_test(tc, test_dma_read);
    tcase_add_test(tc, test_dma_write);
    tcase_add_test(tc, test_soft_reset_and_diagnostic);
    tcase_add_test(tc, test_nien_and_decode);
    tcase_add_test(tc, test_hostile_ports);
    suite_add_tcase(s, tc);
    return check_run(s);
}
