/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the PIIX4 ACPI power-management block through its ports on
 * a real bus, on a virtual clock. The timer rate (3.579545 MHz, 24 bits),
 * the TMROF rule (bit 23 of the counter changes every 2^23 ticks, about
 * 2.3435 s), write-1-to-clear status and the soft-off sleep type 0 come
 * from the PIIX4 datasheet; the SCI rule (status AND enable, while SCI_EN)
 * from ACPI 1.0b section 4.7.
 */
#include <check.h>

#include "check_main.h"
#include "devices/acpi_pm.h"

#define MS UINT64_C(1000000)
#define S  UINT64_C(1000000000)
#define PM ACPI_PM_BASE

struct fx {
    struct bus *bus;
    struct clock clk;
    struct acpi_pm pm;
    bool sci;
    int sci_rises, power_offs;
};

static void sci_rec(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    ck_assert_int_eq(n, ACPI_PM_SCI_IRQ);
    if (level && !f->sci)
        f->sci_rises++;
    f->sci = level;
}

static void power_off_rec(void *opaque)
{
    struct fx *f = opaque;
    f->power_offs++;
}

static void fx_init(struct fx *f)
{
    *f = (struct fx){0};
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    const struct acpi_pm_host host = {power_off_rec, f};
    ck_assert(acpi_pm_init(&f->pm, f->bus, &f->clk,
                           (struct irq_line){sci_rec, f, ACPI_PM_SCI_IRQ}, &host));
}

static uint32_t in(struct fx *f, uint16_t reg, int size)
{
    return bus_io_read(f->bus, (uint16_t)(PM + reg), size);
}

static void out(struct fx *f, uint16_t reg, int size, uint32_t v)
{
    bus_io_write(f->bus, (uint16_t)(PM + reg), size, v);
}

START_TEST(test_timer_counts_at_3_579545_mhz)
{
    struct fx f;
    fx_init(&f);
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR, 4), 0);
    clock_advance(&f.clk, 1 * S);
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR, 4), 3579545);
    /* 1 ms is 3579.545 ticks: the count truncates. */
    clock_advance(&f.clk, 1 * S + 1 * MS);
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR, 4), 3579545 + 3579);
    /* 24 bits: 5 s is 17897725 ticks, 1120509 after the wrap at 2^24. */
    clock_advance(&f.clk, 5 * S);
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR, 4), 17897725 - 16777216);
    /* Narrow reads see the same count's bytes; the top byte is always 0. */
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR, 2), (17897725 - 16777216) & 0xffff);
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR + 2, 1), (17897725 - 16777216) >> 16);
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR + 3, 1), 0);
    /* Read-only. */
    out(&f, ACPI_PM_TMR, 4, 0);
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR, 4), 17897725 - 16777216);
    /* Hours later the 64-bit arithmetic still holds: 10^13 ns. */
    clock_advance(&f.clk, 10000 * S);
    ck_assert_uint_eq(in(&f, ACPI_PM_TMR, 4), (uint32_t)(UINT64_C(35795450000) & 0xffffff));
    bus_free(f.bus);
}
END_TEST

START_TEST(test_overflow_status_and_sci)
{
    struct fx f;
    fx_init(&f);
    /* 2^23 ticks = 2343484 us (rounded up). No status before, status after. */
    clock_advance(&f.clk, 2343 * MS);
    ck_assert_uint_eq(in(&f, ACPI_PM1_STS, 2) & ACPI_PM1_TMROF, 0);
    clock_advance(&f.clk, 2344 * MS);
    ck_assert_uint_eq(in(&f, ACPI_PM1_STS, 2) & ACPI_PM1_TMROF, ACPI_PM1_TMROF);
    ck_assert(!f.sci); /* not enabled */
    /* Writing 0 leaves it, writing 1 clears it. */
    out(&f, ACPI_PM1_STS, 2, 0);
    ck_assert_uint_eq(in(&f, ACPI_PM1_STS, 2) & ACPI_PM1_TMROF, ACPI_PM1_TMROF);
    out(&f, ACPI_PM1_STS, 2, ACPI_PM1_TMROF);
    ck_assert_uint_eq(in(&f, ACPI_PM1_STS, 2) & ACPI_PM1_TMROF, 0);

    /* Enabled: the SCI rises when bit 23 changes again (2^24 ticks, 4.687 s)
     * without the guest reading anything, and falls when the status is cleared. */
    out(&f, ACPI_PM1_EN, 2, ACPI_PM1_TMROF);
    ck_assert_uint_eq(in(&f, ACPI_PM1_EN, 2), ACPI_PM1_TMROF);
    clock_advance(&f.clk, 4686 * MS);
    ck_assert(!f.sci);
    clock_advance(&f.clk, 4687 * MS);
    ck_assert(f.sci);
    ck_assert_int_eq(f.sci_rises, 1);
    out(&f, ACPI_PM1_STS, 1, ACPI_PM1_TMROF);
    ck_assert(!f.sci);
    /* And again at 3 x 2^23 ticks (7.030 s). */
    clock_advance(&f.clk, 7031 * MS);
    ck_assert(f.sci);
    ck_assert_int_eq(f.sci_rises, 2);
    /* Disabling the event drops the SCI; the status stays. */
    out(&f, ACPI_PM1_EN, 2, 0);
    ck_assert(!f.sci);
    ck_assert_uint_eq(in(&f, ACPI_PM1_STS, 2) & ACPI_PM1_TMROF, ACPI_PM1_TMROF);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_control_and_soft_off)
{
    struct fx f;
    fx_init(&f);
    /* No SMM: always in ACPI mode, SCI_EN stuck at 1. */
    ck_assert_uint_eq(in(&f, ACPI_PM1_CNT, 2), ACPI_PM1_SCI_EN);
    out(&f, ACPI_PM1_CNT, 2, 0);
    ck_assert_uint_eq(in(&f, ACPI_PM1_CNT, 2), ACPI_PM1_SCI_EN);
    /* SUS_TYP is read/write, SUS_EN and GBL_RLS write-only. */
    out(&f, ACPI_PM1_CNT, 2, 5u << ACPI_PM1_SUS_TYP_SHIFT | ACPI_PM1_GBL_RLS | ACPI_PM1_BM_RLD);
    ck_assert_uint_eq(in(&f, ACPI_PM1_CNT, 2),
                      5u << ACPI_PM1_SUS_TYP_SHIFT | ACPI_PM1_BM_RLD | ACPI_PM1_SCI_EN);
    ck_assert_int_eq(f.power_offs, 0);
    /* SUS_EN with a type other than soft off (1: suspend to RAM) does not power off. */
    out(&f, ACPI_PM1_CNT, 2, 1u << ACPI_PM1_SUS_TYP_SHIFT | ACPI_PM1_SUS_EN);
    ck_assert_int_eq(f.power_offs, 0);
    ck_assert_uint_eq(in(&f, ACPI_PM1_CNT, 2) & ACPI_PM1_SUS_EN, 0);
    /* SLP_TYP 0 then SUS_EN in the high byte alone, as a byte write: soft off. */
    out(&f, ACPI_PM1_CNT, 2, 0);
    out(&f, ACPI_PM1_CNT + 1, 1, ACPI_PM1_SUS_EN >> 8);
    ck_assert_int_eq(f.power_offs, 1);
    /* Type and enable in one word write, as Linux does it. */
    out(&f, ACPI_PM1_CNT, 2, ACPI_PM1_SUS_EN);
    ck_assert_int_eq(f.power_offs, 2);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_gpe_and_reset)
{
    struct fx f;
    fx_init(&f);
    /* Nothing raises a GPE here: status stays 0 whatever is written; enables latch. */
    out(&f, ACPI_GPE0_STS, 2, 0xffff);
    ck_assert_uint_eq(in(&f, ACPI_GPE0_STS, 2), 0);
    out(&f, ACPI_GPE0_EN, 2, 0x1234);
    ck_assert_uint_eq(in(&f, ACPI_GPE0_EN, 2), 0x1234);
    ck_assert(!f.sci);
    /* A 32-bit write across PM1 status and enable updates both. */
    out(&f, ACPI_PM1_STS, 4, (uint32_t)(ACPI_PM1_PWRBTN | ACPI_PM1_RTC) << 16);
    ck_assert_uint_eq(in(&f, ACPI_PM1_EN, 2), ACPI_PM1_PWRBTN | ACPI_PM1_RTC);
    /* Enable bits that do not exist stay 0. */
    out(&f, ACPI_PM1_EN, 2, 0xffff);
    ck_assert_uint_eq(in(&f, ACPI_PM1_EN, 2),
                      ACPI_PM1_TMROF | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_RTC);
    acpi_pm_reset(&f.pm);
    ck_assert_uint_eq(in(&f, ACPI_PM1_EN, 2), 0);
    ck_assert_uint_eq(in(&f, ACPI_GPE0_EN, 2), 0);
    ck_assert_uint_eq(in(&f, ACPI_PM1_CNT, 2), ACPI_PM1_SCI_EN);
    /* Unclaimed neighbours stay unclaimed. */
    ck_assert_uint_eq(bus_io_read(f.bus, PM + ACPI_PM_SIZE, 1), 0xff);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_acpi_pm");
    TCase *tc = tcase_create("acpi_pm");
    tcase_add_test(tc, test_timer_counts_at_3_579545_mhz);
    tcase_add_test(tc, test_overflow_status_and_sci);
    tcase_add_test(tc, test_control_and_soft_off);
    tcase_add_test(tc, test_gpe_and_reset);
    suite_add_tcase(s, tc);
    return check_run(s);
}
