/* SPDX-License-Identifier: MIT */
/*
 * The MC146818 (see rtc.h): time and calendar in BCD or binary, 12 or
 * 24 hours, the once-a-second update with UIP, alarm, periodic and
 * update-ended interrupts, register C's read-to-clear flags. Time runs on the
 * 32.768 kHz divider chain, derived from guest ns; the host clock is never
 * read. Owns only struct rtc. Follows the MC146818A datasheet ("Register A"
 * to "Register D", "Update cycle", "Interrupts").
 */
#include "devices/rtc.h"

#include "common/log.h"

#define B_SET  0x80
#define B_PIE  0x40
#define B_AIE  0x20
#define B_UIE  0x10
#define B_DM   0x04 /* 1: binary, 0: BCD */
#define B_24H  0x02
#define B_DSE  0x01
#define C_IRQF 0x80
#define C_PF   0x40
#define C_AF   0x20
#define C_UF   0x10

#define CYCLES_PER_S 32768u
/* UIP rises 244 us before the update cycle, which takes 1984 us: 73 cycles in all. */
#define UIP_CYCLES 73u

/* 32.768 kHz cycles since the divider left reset, at 'ns' (1e9/32768 = 1953125/64). */
static uint64_t rtc_cycles(const struct rtc *r, uint64_t ns)
{
    if (ns < r->div_origin)
        return 0;
    uint64_t d = ns - r->div_origin;
    return d / 1953125u * 64u + d % 1953125u * 64u / 1953125u;
}

/* The first ns at which cycle 'cyc' has happened. */
static uint64_t rtc_cycle_ns(const struct rtc *r, uint64_t cyc)
{
    return r->div_origin + cyc / 64u * 1953125u + (cyc % 64u * 1953125u + 63u) / 64u;
}

/* Periodic interrupt period in cycles for register A's rate bits, 0 for none. */
static uint64_t rtc_period(uint8_t a)
{
    unsigned rs = a & 0x0f;
    return rs == 0 ? 0 : rs < 3 ? 1u << (rs + 6) : 1u << (rs - 1);
}

static bool rtc_irqf(const struct rtc *r)
{
    uint8_t b = r->cmos[RTC_REG_B];
    return ((r->flags & C_PF) && (b & B_PIE)) || ((r->flags & C_AF) && (b & B_AIE)) ||
           ((r->flags & C_UF) && (b & B_UIE));
}

static void rtc_update_irq(struct rtc *r)
{
    bool level = rtc_irqf(r);
    if (level != r->irq_level) {
        r->irq_level = level;
        irq_set(&r->irq, level);
    }
}

/* Set PF if a periodic tick has passed since the flags last accounted for one. */
static void rtc_fold_pf(struct rtc *r)
{
    uint64_t period = rtc_period(r->cmos[RTC_REG_A]);
    uint64_t now = rtc_cycles(r, clock_now(r->clock));
    if (r->div_running && period && now / period > r->pf_cycle / period)
        r->flags |= C_PF;
    r->pf_cycle = now;
}

/* Periodic events need a timer only when they raise the IRQ; PF alone is lazy. */
static void rtc_arm_periodic(struct rtc *r)
{
    uint64_t period = rtc_period(r->cmos[RTC_REG_A]);
    if (!r->div_running || !period || !(r->cmos[RTC_REG_B] & B_PIE)) {
        clock_timer_cancel(r->clock, &r->periodic_timer);
        return;
    }
    uint64_t next = (rtc_cycles(r, clock_now(r->clock)) / period + 1) * period;
    clock_timer_arm(r->clock, &r->periodic_timer, rtc_cycle_ns(r, next));
}

static void rtc_periodic_cb(void *opaque)
{
    struct rtc *r = opaque;
    rtc_fold_pf(r);
    rtc_update_irq(r);
    rtc_arm_periodic(r);
}

static int rtc_dec(const struct rtc *r, uint8_t v)
{
    return (r->cmos[RTC_REG_B] & B_DM) ? v : (v >> 4) * 10 + (v & 0x0f);
}

static uint8_t rtc_enc(const struct rtc *r, int v)
{
    return (uint8_t)((r->cmos[RTC_REG_B] & B_DM) ? v : (v / 10) << 4 | v % 10);
}

/* Hours as 0-23 whatever the register's format. */
static int rtc_hour24(const struct rtc *r, uint8_t v)
{
    if (r->cmos[RTC_REG_B] & B_24H)
        return rtc_dec(r, v);
    return rtc_dec(r, v & 0x7f) % 12 + ((v & 0x80) ? 12 : 0);
}

static uint8_t rtc_hour_enc(const struct rtc *r, int h)
{
    if (r->cmos[RTC_REG_B] & B_24H)
        return rtc_enc(r, h);
    return (uint8_t)(rtc_enc(r, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0));
}

static int days_in_month(int mon, int year)
{
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon < 1 || mon > 12)
        return 31;
    /* The chip's leap rule is year % 4 == 0, right for 2000 and every year to 2099. */
    return days[mon - 1] + (mon == 2 && year % 4 == 0);
}

/* Advance register 'reg' by one within [lo, hi]; true on a carry. A value the
 * guest wrote out of range carries at once, the least surprising choice for
 * what the datasheet leaves undefined. */
static bool rtc_bump(struct rtc *r, int reg, int lo, int hi)
{
    int v = rtc_dec(r, r->cmos[reg]) + 1;
    if (v >= lo && v <= hi) {
        r->cmos[reg] = rtc_enc(r, v);
        return false;
    }
    r->cmos[reg] = rtc_enc(r, lo);
    return true;
}

/* One second of the update cycle: seconds up to the year, with carries. */
static void rtc_tick_second(struct rtc *r)
{
    uint8_t *c = r->cmos;
    if (!rtc_bump(r, 0, 0, 59) || !rtc_bump(r, 2, 0, 59))
        return;
    int h = rtc_hour24(r, c[4]) + 1;
    c[4] = rtc_hour_enc(r, h > 23 ? 0 : h);
    if (h <= 23)
        return;
    rtc_bump(r, 6, 1, 7);
    int year = rtc_dec(r, c[9]);
    if (!rtc_bump(r, 7, 1, days_in_month(rtc_dec(r, c[8]), year)))
        return;
    if (rtc_bump(r, 8, 1, 12))
        rtc_bump(r, 9, 0, 99);
}

/* An alarm byte of 11xxxxxxb matches any value. */
static bool alarm_match(uint8_t alarm, uint8_t now)
{
    return (alarm & 0xc0) == 0xc0 || alarm == now;
}

static void rtc_update_cb(void *opaque)
{
    struct rtc *r = opaque;
    if (!(r->cmos[RTC_REG_B] & B_SET)) {
        rtc_tick_second(r);
        r->flags |= C_UF;
        if (alarm_match(r->cmos[1], r->cmos[0]) && alarm_match(r->cmos[3], r->cmos[2]) &&
            alarm_match(r->cmos[5], r->cmos[4]))
            r->flags |= C_AF;
        rtc_update_irq(r);
    }
    r->next_update += CYCLES_PER_S;
    clock_timer_arm(r->clock, &r->update_timer, rtc_cycle_ns(r, r->next_update));
}

static bool rtc_uip(const struct rtc *r)
{
    if (!r->div_running || (r->cmos[RTC_REG_B] & B_SET))
        return false;
    uint64_t cyc = rtc_cycles(r, clock_now(r->clock));
    return cyc + UIP_CYCLES >= r->next_update;
}

/* Divider bits 6-4 of register A: 010 runs from a 32.768 kHz crystal, 11x
 * holds the chain in reset; leaving reset puts the first update 500 ms on. */
static void rtc_write_a(struct rtc *r, uint8_t v)
{
    rtc_fold_pf(r);
    unsigned dv = (v >> 4) & 7;
    bool run = (dv & 6) != 6;
    if (run && dv != 2)
        log_msg(LOG_STUB, "rtc", "divider select %u: only the 32.768 kHz time base is modelled", dv);
    r->cmos[RTC_REG_A] = v & 0x7f;
    if (run && !r->div_running) {
        r->div_origin = clock_now(r->clock);
        r->pf_cycle = 0;
        r->next_update = CYCLES_PER_S / 2;
        clock_timer_arm(r->clock, &r->update_timer, rtc_cycle_ns(r, r->next_update));
    } else if (!run) {
        clock_timer_cancel(r->clock, &r->update_timer);
    }
    r->div_running = run;
    rtc_arm_periodic(r);
}

static void rtc_write_b(struct rtc *r, uint8_t v)
{
    rtc_fold_pf(r);
    if (v & B_SET)
        v &= (uint8_t)~B_UIE; /* SET clears UIE */
    if ((v & B_DSE) && !(r->cmos[RTC_REG_B] & B_DSE))
        log_msg(LOG_STUB, "rtc", "daylight saving (register B bit 0) is not applied");
    r->cmos[RTC_REG_B] = v;
    rtc_update_irq(r);
    rtc_arm_periodic(r);
}

static void rtc_reg_write(struct rtc *r, uint8_t idx, uint8_t v)
{
    switch (idx) {
    case RTC_REG_A: rtc_write_a(r, v); break;
    case RTC_REG_B: rtc_write_b(r, v); break;
    case RTC_REG_C:
    case RTC_REG_D: log_msg(LOG_GUEST, "rtc", "write %#x to read-only register %#x", v, idx); break;
    default: r->cmos[idx] = v; break;
    }
}

static uint8_t rtc_reg_read(struct rtc *r, uint8_t idx)
{
    switch (idx) {
    case RTC_REG_A: return (uint8_t)(r->cmos[RTC_REG_A] | rtc_uip(r) << 7);
    case RTC_REG_C: {
        rtc_fold_pf(r);
        uint8_t v = (uint8_t)(r->flags | rtc_irqf(r) << 7);
        r->flags = 0;
        rtc_update_irq(r);
        return v;
    }
    case RTC_REG_D: return 0x80; /* VRT: the battery is good */
    default: return r->cmos[idx];
    }
}

static uint32_t rtc_io_read(void *opaque, uint32_t addr, int size)
{
    struct rtc *r = opaque;
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        /* Port 70h is write-only: a read sees the floating bus. */
        uint8_t b = addr + (uint32_t)i == 0 ? 0xff : rtc_reg_read(r, r->index);
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

static void rtc_io_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct rtc *r = opaque;
    for (int i = 0; i < size; i++) {
        uint8_t b = (uint8_t)(val >> (8 * i));
        if (addr + (uint32_t)i == 0) {
            r->index = b & 0x7f;
            r->nmi_masked = b & 0x80;
        } else {
            rtc_reg_write(r, r->index, b);
        }
    }
}

static const struct io_ops rtc_ops = {rtc_io_read, rtc_io_write};

bool rtc_nmi_masked(const struct rtc *r)
{
    return r->nmi_masked;
}

void rtc_cmos_set(struct rtc *r, uint8_t index, uint8_t value)
{
    rtc_reg_write(r, index & 0x7f, value);
}

uint8_t rtc_cmos_get(const struct rtc *r, uint8_t index)
{
    index &= 0x7f;
    if (index == RTC_REG_C)
        return (uint8_t)(r->flags | rtc_irqf(r) << 7);
    return index == RTC_REG_D ? 0x80 : r->cmos[index];
}

void rtc_cmos_checksum(struct rtc *r)
{
    unsigned sum = 0;
    for (int i = 0x10; i <= 0x2d; i++)
        sum += r->cmos[i];
    r->cmos[RTC_CHECKSUM_HI] = (uint8_t)(sum >> 8);
    r->cmos[RTC_CHECKSUM_HI + 1] = (uint8_t)sum;
}

/* The Gregorian rule, for converting the machine's start time. */
static bool civil_leap(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* Fill the time registers (in the current format) from seconds since 1970. */
static void rtc_set_epoch(struct rtc *r, int64_t secs)
{
    if (secs < 0)
        secs = 0;
    int64_t days = secs / 86400, rem = secs % 86400;
    r->cmos[0] = rtc_enc(r, (int)(rem % 60));
    r->cmos[2] = rtc_enc(r, (int)(rem / 60 % 60));
    r->cmos[4] = rtc_hour_enc(r, (int)(rem / 3600));
    r->cmos[6] = rtc_enc(r, (int)((days + 4) % 7) + 1); /* 1970-01-01 was a Thursday; Sunday is 1 */
    int year = 1970;
    while (days >= 365 + civil_leap(year)) {
        days -= 365 + civil_leap(year);
        year++;
    }
    /* days_in_month() takes a two-digit year; 0 stands for a leap year, 1 for any other. */
    int mon = 1, yy = civil_leap(year) ? 0 : 1;
    while (days >= days_in_month(mon, yy)) {
        days -= days_in_month(mon, yy);
        mon++;
    }
    r->cmos[7] = rtc_enc(r, (int)days + 1);
    r->cmos[8] = rtc_enc(r, mon);
    r->cmos[9] = rtc_enc(r, year % 100);
    /* IBM's century byte is BCD whatever register B says. */
    r->cmos[RTC_CENTURY] = (uint8_t)((year / 1000 % 10) << 4 | (year / 100 % 10));
}

bool rtc_init(struct rtc *r, struct bus *b, struct clock *c, struct irq_line irq8,
              int64_t epoch_seconds)
{
    *r = (struct rtc){.clock = c, .irq = irq8};
    clock_timer_init(&r->update_timer, rtc_update_cb, r);
    clock_timer_init(&r->periodic_timer, rtc_periodic_cb, r);
    r->cmos[RTC_REG_B] = B_24H;
    rtc_set_epoch(r, epoch_seconds);
    rtc_write_a(r, 0x26);
    return bus_map_io(b, 0x70, 2, &rtc_ops, r);
}
