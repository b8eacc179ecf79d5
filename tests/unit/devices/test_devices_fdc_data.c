/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the 82077AA's data commands through its ports: READ/WRITE by
 * DMA and PIO, end-of-track C/H/R/N (Table 5-6) with and without TC and MT,
 * write protect, data rate and READ ID, ND/WC/MA, overrun, FORMAT, READ
 * DELETED, VERIFY, READ TRACK, implied seeks and every image format. Expected
 * status bytes come from the 82077AA datasheet.
 */
#include "check_main.h"
#include "fdc_fixture.h"

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

int main(void)
{
    Suite *s = suite_create("devices_fdc_data");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_read_data_dma);
    tcase_add_test(tc, test_end_of_track);
    tcase_add_test(tc, test_write_protect);
    tcase_add_test(tc, test_write_data_dma);
    tcase_add_test(tc, test_pio_read_and_write);
    tcase_add_test(tc, test_data_rate_and_read_id);
    tcase_add_test(tc, test_sector_not_found);
    tcase_add_test(tc, test_dma_overrun_and_late_unmask);
    tcase_add_test(tc, test_format_track);
    tcase_add_test(tc, test_deleted_verify_read_track);
    tcase_add_test(tc, test_implied_seek);
    tcase_add_test(tc, test_formats_by_size);
    suite_add_tcase(s, tc);
    return check_run(s);
}
