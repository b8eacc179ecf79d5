/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the MC146818 RTC/CMOS through ports 70h/71h on a real bus,
 * on a virtual clock. Start times are seconds since 1970 with their calendar
 * values worked out independently; rates, UIP timing (244 us + 1984 us at
 * 32.768 kHz) and flag behaviour come from the MC146818A datasheet.
 */
#include <check.h>

#include "check_main.h"
#include "devices/rtc.h"

#define MS UINT64_C(1000000)
#define S  UINT64_C(1000000000)

/* 1999-12-31 23:59:59 UTC, a Friday. */
#define EPOCH_Y2K_EVE 946684799
/* 2024-02-28 23:59:59 UTC, a Wednesday. */
#define EPOCH_LEAP_EVE 1709164799

/* The first ns at which 32.768 kHz cycle 'c' has happened. */
static uint64_t cyc_ns(uint64_t c)
{
    return (c * 1000000000u + 32767) / 32768;
}

struct fx {
    struct bus *bus;
    struct clock clk;
    struct rtc rtc;
    bool irq;
    int rises;
};

static void irq_rec(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    (void)n;
    if (level && !f->irq)
        f->rises++;
    f->irq = level;
}

static void fx_init(struct fx *f, int64_t epoch)
{
    *f = (struct fx){0};
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    ck_assert(rtc_init(&f->rtc, f->bus, &f->clk, (struct irq_line){irq_rec, f, 8}, epoch));
}

static uint8_t rd(struct fx *f, uint8_t idx)
{
    bus_io_write(f->bus, 0x70, 1, idx);
    return (uint8_t)bus_io_read(f->bus, 0x71, 1);
}

static void wr(struct fx *f, uint8_t idx, uint8_t v)
{
    bus_io_write(f->bus, 0x70, 1, idx);
    bus_io_write(f->bus, 0x71, 1, v);
}

/* Check seconds..year (registers 0, 2, 4, 6, 7, 8, 9). */
static void check_time(struct fx *f, const uint8_t want[7])
{
    static const uint8_t regs[7] = {0, 2, 4, 6, 7, 8, 9};
    for (int i = 0; i < 7; i++)
        ck_assert_msg(rd(f, regs[i]) == want[i], "register %u: %#x, want %#x", regs[i],
                      rd(f, regs[i]), want[i]);
}

START_TEST(test_start_time_and_rollover)
{
    struct fx f;
    fx_init(&f, EPOCH_Y2K_EVE);
    static const uint8_t eve[7] = {0x59, 0x59, 0x23, 6, 0x31, 0x12, 0x99};
    check_time(&f, eve);
    ck_assert_uint_eq(rd(&f, RTC_CENTURY), 0x19);
    ck_assert_uint_eq(rd(&f, RTC_REG_A), 0x26);
    ck_assert_uint_eq(rd(&f, RTC_REG_B), 0x02);
    clock_advance(&f.clk, 500 * MS - 1); /* the first update comes 500 ms after reset */
    check_time(&f, eve);
    clock_advance(&f.clk, 500 * MS);
    static const uint8_t y2k[7] = {0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00};
    check_time(&f, y2k);
    ck_assert_uint_eq(rd(&f, RTC_CENTURY), 0x19); /* plain RAM: the chip has no century */
    bus_free(f.bus);
}
END_TEST

START_TEST(test_leap_day_after_many_seconds)
{
    struct fx f;
    fx_init(&f, EPOCH_LEAP_EVE);
    clock_advance(&f.clk, 500 * MS);
    static const uint8_t leap[7] = {0x00, 0x00, 0x00, 5, 0x29, 0x02, 0x24};
    check_time(&f, leap);
    /* One day, one hour, one minute and one second later, in one step. */
    clock_advance(&f.clk, 500 * MS + (86400 + 3661) * S);
    static const uint8_t later[7] = {0x01, 0x01, 0x01, 6, 0x01, 0x03, 0x24};
    check_time(&f, later);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_binary_12_hour)
{
    struct fx f;
    fx_init(&f, 0);
    wr(&f, RTC_REG_B, 0x80 | 0x10 | 0x04); /* SET, UIE, binary, 12-hour */
    ck_assert_uint_eq(rd(&f, RTC_REG_B), 0x84); /* SET clears UIE */
    static const uint8_t pm[7] = {59, 59, 0x80 | 11, 1, 31, 12, 99};
    static const uint8_t regs[7] = {0, 2, 4, 6, 7, 8, 9};
    for (int i = 0; i < 7; i++)
        wr(&f, regs[i], pm[i]);
    clock_advance(&f.clk, 3 * S);
    check_time(&f, pm); /* SET inhibits updates */
    wr(&f, RTC_REG_B, 0x04);
    clock_advance(&f.clk, 3 * S + 500 * MS);
    static const uint8_t midnight[7] = {0, 0, 12, 2, 1, 1, 0}; /* 12 AM */
    check_time(&f, midnight);
    wr(&f, 4, 11); /* 11 AM */
    wr(&f, 2, 59);
    wr(&f, 0, 59);
    clock_advance(&f.clk, 4 * S + 500 * MS);
    ck_assert_uint_eq(rd(&f, 4), 0x80 | 12); /* 12 PM */
    ck_assert_uint_eq(rd(&f, 7), 1);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_uip_window)
{
    struct fx f;
    fx_init(&f, 0);
    clock_advance(&f.clk, 500 * MS - 2229000); /* before 244 us + 1984 us */
    ck_assert_uint_eq(rd(&f, RTC_REG_A) & 0x80, 0);
    clock_advance(&f.clk, 500 * MS - 2227000);
    ck_assert_uint_eq(rd(&f, RTC_REG_A) & 0x80, 0x80);
    ck_assert_uint_eq(rd(&f, 0), 0x00);
    clock_advance(&f.clk, 500 * MS - 1);
    ck_assert_uint_eq(rd(&f, RTC_REG_A) & 0x80, 0x80);
    clock_advance(&f.clk, 500 * MS);
    ck_assert_uint_eq(rd(&f, RTC_REG_A) & 0x80, 0);
    ck_assert_uint_eq(rd(&f, 0), 0x01);
    /* The same window one second on; none while SET holds the clock. */
    clock_advance(&f.clk, 1500 * MS - 1000000);
    ck_assert_uint_eq(rd(&f, RTC_REG_A) & 0x80, 0x80);
    wr(&f, RTC_REG_B, 0x82);
    ck_assert_uint_eq(rd(&f, RTC_REG_A) & 0x80, 0);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_periodic_interrupt)
{
    struct fx f;
    fx_init(&f, 0);
    wr(&f, RTC_REG_B, 0x42); /* PIE; rate 6 = 976.5625 us */
    clock_advance(&f.clk, 976562);
    ck_assert(!f.irq);
    clock_advance(&f.clk, 976563);
    ck_assert(f.irq);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0xc0); /* IRQF, PF */
    ck_assert(!f.irq);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0x00);
    clock_advance(&f.clk, 1953125);
    ck_assert(f.irq);
    ck_assert_int_eq(f.rises, 2);
    rd(&f, RTC_REG_C);
    /* Rate 3 is 8192 Hz: every 4 cycles of 32.768 kHz (122.0703125 us). */
    wr(&f, RTC_REG_A, 0x23);
    clock_advance(&f.clk, cyc_ns(68) - 1); /* A written at cycle 64 */
    ck_assert(!f.irq);
    clock_advance(&f.clk, cyc_ns(68));
    ck_assert(f.irq);
    rd(&f, RTC_REG_C);
    clock_advance(&f.clk, cyc_ns(72) - 1);
    ck_assert(!f.irq);
    clock_advance(&f.clk, cyc_ns(72));
    ck_assert(f.irq);
    rd(&f, RTC_REG_C);
    /* Without PIE the flag still rises, but IRQF and the line do not. */
    wr(&f, RTC_REG_B, 0x02);
    int rises = f.rises;
    clock_advance(&f.clk, 3 * MS);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0x40);
    ck_assert_int_eq(f.rises, rises);
    /* Rates 1 and 2 repeat rates 8 and 9: rate 2 is 7.8125 ms, 256 cycles. */
    wr(&f, RTC_REG_B, 0x42);
    wr(&f, RTC_REG_A, 0x22);
    rd(&f, RTC_REG_C);
    clock_advance(&f.clk, cyc_ns(256) - 1); /* now at 3 ms = cycle 98 */
    ck_assert(!f.irq);
    clock_advance(&f.clk, cyc_ns(256));
    ck_assert(f.irq);
    wr(&f, RTC_REG_B, 0x02);
    rd(&f, RTC_REG_C);
    /* Rate 0 turns it off. */
    wr(&f, RTC_REG_A, 0x20);
    clock_advance(&f.clk, 10 * MS);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0x00);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_update_and_alarm)
{
    struct fx f;
    fx_init(&f, EPOCH_Y2K_EVE);
    wr(&f, RTC_REG_A, 0x20); /* no periodic rate, so PF stays out of register C */
    wr(&f, 1, 0x30);         /* alarm seconds: keep the first update from matching */
    wr(&f, RTC_REG_B, 0x12); /* UIE */
    clock_advance(&f.clk, 500 * MS);
    ck_assert(f.irq);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0x90);
    ck_assert(!f.irq);
    /* Alarm at 00:00:02, only AIE enabled. */
    wr(&f, 1, 0x02);
    wr(&f, 3, 0x00);
    wr(&f, 5, 0x00);
    wr(&f, RTC_REG_B, 0x22);
    clock_advance(&f.clk, 1500 * MS);
    ck_assert(!f.irq); /* UF rose, but UIE is off */
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0x10);
    clock_advance(&f.clk, 2500 * MS);
    ck_assert(f.irq);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0xb0); /* IRQF, AF, UF */
    clock_advance(&f.clk, 3500 * MS);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0x10); /* 00:00:03: no match */
    /* Don't-care codes (11xxxxxxb) match every second. */
    wr(&f, 1, 0xc0);
    wr(&f, 3, 0xff);
    wr(&f, 5, 0xc0);
    clock_advance(&f.clk, 4500 * MS);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0xb0);
    clock_advance(&f.clk, 5500 * MS);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0xb0);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_divider_reset)
{
    struct fx f;
    fx_init(&f, 0);
    wr(&f, RTC_REG_B, 0x42);
    wr(&f, RTC_REG_A, 0x76); /* divider held in reset */
    clock_advance(&f.clk, 5 * S);
    ck_assert_uint_eq(rd(&f, 0), 0x00);
    ck_assert(!f.irq); /* no periodic interrupt either */
    ck_assert_uint_eq(rd(&f, RTC_REG_A) & 0x80, 0);
    wr(&f, RTC_REG_B, 0x02);
    wr(&f, RTC_REG_A, 0x26); /* released at 5 s: first update at 5.5 s */
    clock_advance(&f.clk, 5500 * MS - 1);
    ck_assert_uint_eq(rd(&f, 0), 0x00);
    clock_advance(&f.clk, 5500 * MS);
    ck_assert_uint_eq(rd(&f, 0), 0x01);
    clock_advance(&f.clk, 6500 * MS);
    ck_assert_uint_eq(rd(&f, 0), 0x02);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_registers_and_ram)
{
    struct fx f;
    fx_init(&f, 0);
    ck_assert_uint_eq(rd(&f, RTC_REG_D), 0x80);
    wr(&f, RTC_REG_D, 0x00);
    ck_assert_uint_eq(rd(&f, RTC_REG_D), 0x80);
    wr(&f, RTC_REG_C, 0xff);
    ck_assert_uint_eq(rd(&f, RTC_REG_C), 0x00);
    wr(&f, RTC_REG_A, 0xa6); /* UIP is read-only */
    ck_assert_uint_eq(rd(&f, RTC_REG_A), 0x26);
    for (unsigned i = 0x0e; i < 0x80; i++)
        wr(&f, (uint8_t)i, (uint8_t)(i ^ 0x5a));
    for (unsigned i = 0x0e; i < 0x80; i++)
        ck_assert_uint_eq(rd(&f, (uint8_t)i), i ^ 0x5a);
    /* Port 70h bit 7 masks NMI and is not part of the index. */
    ck_assert(!rtc_nmi_masked(&f.rtc));
    bus_io_write(f.bus, 0x70, 1, 0x80 | 0x10);
    ck_assert(rtc_nmi_masked(&f.rtc));
    ck_assert_uint_eq(bus_io_read(f.bus, 0x71, 1), 0x10 ^ 0x5a);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x70, 1), 0xff); /* write-only */
    bus_io_write(f.bus, 0x70, 1, 0x10);
    ck_assert(!rtc_nmi_masked(&f.rtc));
    /* Machine helpers: set bytes, then the AT checksum over 10h-2Dh, high byte first. */
    for (uint8_t i = 0x10; i <= 0x2d; i++)
        rtc_cmos_set(&f.rtc, i, 0xf0);
    rtc_cmos_checksum(&f.rtc);
    ck_assert_uint_eq(rd(&f, 0x2e), (30 * 0xf0) >> 8);
    ck_assert_uint_eq(rd(&f, 0x2f), (30 * 0xf0) & 0xff);
    ck_assert_uint_eq(rtc_cmos_get(&f.rtc, 0x2e), 0x1c);
    rtc_cmos_set(&f.rtc, RTC_REG_B, 0x06);
    ck_assert_uint_eq(rtc_cmos_get(&f.rtc, RTC_REG_B), 0x06);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_hostile_writes)
{
    struct fx f;
    fx_init(&f, 4102444800LL); /* 2100-01-01 */
    uint64_t t = 0;
    for (unsigned idx = 0; idx < 256; idx++) {
        for (unsigned v = 0; v < 256; v += 3) {
            bus_io_write(f.bus, 0x70, 1, idx);
            bus_io_write(f.bus, 0x71, 1, v);
            (void)bus_io_read(f.bus, 0x71, 2);
        }
        clock_advance(&f.clk, t += 7 * MS + idx * 1000);
    }
    clock_advance(&f.clk, t + 100 * S);
    /* Still a clock: set a sane state and watch a second pass. */
    wr(&f, RTC_REG_A, 0x26);
    wr(&f, RTC_REG_B, 0x02);
    wr(&f, 0, 0x10);
    ck_assert_uint_eq(rd(&f, 0), 0x10);
    clock_advance(&f.clk, t + 102 * S);
    ck_assert_uint_eq(rd(&f, 0), 0x12);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_rtc");
    TCase *tc = tcase_create("rtc");
    tcase_add_test(tc, test_start_time_and_rollover);
    tcase_add_test(tc, test_leap_day_after_many_seconds);
    tcase_add_test(tc, test_binary_12_hour);
    tcase_add_test(tc, test_uip_window);
    tcase_add_test(tc, test_periodic_interrupt);
    tcase_add_test(tc, test_update_and_alarm);
    tcase_add_test(tc, test_divider_reset);
    tcase_add_test(tc, test_registers_and_ram);
    tcase_add_test(tc, test_hostile_writes);
    suite_add_tcase(s, tc);
    return check_run(s);
}
