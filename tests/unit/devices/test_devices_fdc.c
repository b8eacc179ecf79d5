/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the 82077AA's controller side through its ports: reset and
 * polling interrupts, SENSE INTERRUPT, a new command dropping an unsensed
 * interrupt, seeks and their step timing, configuration commands, disk
 * change, stalls without a motor or media, and a port fuzz. The data
 * commands are test_devices_fdc_data.c's. Expected status bytes come from
 * the 82077AA datasheet.
 */
#include "check_main.h"
#include "fdc_fixture.h"

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
    tcase_add_test(tc, test_media_change);
    tcase_add_test(tc, test_stall_without_motor_or_media);
    tcase_add_test(tc, test_port_fuzz);
    suite_add_tcase(s, tc);
    return check_run(s);
}
