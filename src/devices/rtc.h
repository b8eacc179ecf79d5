/* SPDX-License-Identifier: MIT */
/*
 * The Motorola MC146818 real-time clock and 128 bytes of CMOS RAM at ports
 * 70h (index; bit 7 masks NMI) and 71h (data), with IRQ 8 out. Owns only
 * struct rtc; the time of day starts from a value the machine gives (host
 * time, or a fixed time in deterministic mode) and runs on guest time.
 * Follows the MC146818A datasheet and the IBM AT CMOS layout (century at
 * 32h, checksum of 10h-2Dh at 2Eh/2Fh).
 */
#ifndef KILN_DEVICES_RTC_H
#define KILN_DEVICES_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

#define RTC_REG_A       0x0a
#define RTC_REG_B       0x0b
#define RTC_REG_C       0x0c
#define RTC_REG_D       0x0d
#define RTC_CENTURY     0x32
#define RTC_CHECKSUM_HI 0x2e

/* Fields are private to rtc.c; exposed only so machines can embed. */
struct rtc {
    uint8_t cmos[128]; /* registers as stored; A's UIP, C and D are computed */
    uint8_t index;
    bool nmi_masked;
    struct clock *clock;
    struct irq_line irq;
    bool irq_level;
    bool div_running;    /* divider chain out of reset */
    uint64_t div_origin; /* ns at which it left reset: 32.768 kHz cycle 0 */
    uint64_t pf_cycle;   /* periodic ticks up to this cycle are in 'flags' */
    uint64_t next_update; /* cycle of the next update (time registers advance) */
    uint8_t flags;       /* register C bits 6-4: PF, AF, UF */
    struct clock_timer update_timer, periodic_timer;
};

/* Reset the RTC to A=26h (32.768 kHz, 1024 Hz rate), B=02h (24-hour, BCD),
 * the time 'epoch_seconds' after 1970-01-01 00:00:00 (negative counts as 0;
 * the machine decides whether it is UTC or local), the century byte (32h) to
 * match, the first update half a second from now; claim ports 70-71 on 'b'
 * and drive 'irq8'. False when a port is taken. */
KILN_MUST_CHECK bool rtc_init(struct rtc *r, struct bus *b, struct clock *c, struct irq_line irq8,
                              int64_t epoch_seconds);

/* True when the last port 70h write set bit 7 (NMI disabled). */
bool rtc_nmi_masked(const struct rtc *r);

/* Write CMOS byte 'index' (0-127) as a guest write through port 71h would. */
void rtc_cmos_set(struct rtc *r, uint8_t index, uint8_t value);

/* CMOS byte 'index' as stored, without the side effects of a guest read. */
uint8_t rtc_cmos_get(const struct rtc *r, uint8_t index);

/* Store the AT checksum: the 16-bit sum of bytes 10h-2Dh at 2Eh (high), 2Fh (low). */
void rtc_cmos_checksum(struct rtc *r);

#endif
