/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock: guest time in nanoseconds and a timer queue that every
 * device uses instead of polling. Devices never read the host clock: the
 * machine sets 'now' (from retired instructions in deterministic mode, from
 * the host clock in real-time mode) between slices and before each port
 * access, and runs the timers that are due.
 */
#ifndef KILN_DEVICES_CLOCK_H
#define KILN_DEVICES_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define CLOCK_NEVER UINT64_MAX

typedef void (*clock_cb)(void *opaque);

/* A timer owned by a device; embed it in the device's state. */
struct clock_timer {
    uint64_t deadline; /* ns; CLOCK_NEVER when not armed */
    clock_cb cb;
    void *opaque;
    struct clock_timer *next;
};

struct clock {
    uint64_t now;              /* ns of guest time */
    struct clock_timer *queue; /* armed timers, earliest first */
};

/* A clock at time 0 with no timers. */
void clock_init(struct clock *c);

/* Guest time in ns. */
static inline uint64_t clock_now(const struct clock *c)
{
    return c->now;
}

/* Prepare a timer that calls cb(opaque) when it expires. */
void clock_timer_init(struct clock_timer *t, clock_cb cb, void *opaque);

/* (Re)arm 't' to expire at 'deadline' ns (a time in the past fires at the next run). */
void clock_timer_arm(struct clock *c, struct clock_timer *t, uint64_t deadline);

/* Disarm 't' if armed. */
void clock_timer_cancel(struct clock *c, struct clock_timer *t);

/* The earliest armed deadline, or CLOCK_NEVER. */
uint64_t clock_next_deadline(const struct clock *c);

/* Move time forward to 'now' (never backward) and fire every timer due by
 * then, in deadline order; a callback may re-arm its timer. */
void clock_advance(struct clock *c, uint64_t now);

#endif
