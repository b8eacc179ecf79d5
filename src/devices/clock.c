/* SPDX-License-Identifier: MIT */
/*
 * The virtual clock's timer queue (see clock.h): a sorted singly linked
 * list; PC machines have a handful of timers, so insertion is cheap.
 */
#include "devices/clock.h"

#include <stddef.h>

void clock_init(struct clock *c)
{
    c->now = 0;
    c->queue = NULL;
}

void clock_timer_init(struct clock_timer *t, clock_cb cb, void *opaque)
{
    t->deadline = CLOCK_NEVER;
    t->cb = cb;
    t->opaque = opaque;
    t->next = NULL;
}

void clock_timer_cancel(struct clock *c, struct clock_timer *t)
{
    for (struct clock_timer **p = &c->queue; *p; p = &(*p)->next) {
        if (*p == t) {
            *p = t->next;
            break;
        }
    }
    t->deadline = CLOCK_NEVER;
    t->next = NULL;
}

void clock_timer_arm(struct clock *c, struct clock_timer *t, uint64_t deadline)
{
    clock_timer_cancel(c, t);
    if (deadline == CLOCK_NEVER)
        return;
    t->deadline = deadline;
    struct clock_timer **p = &c->queue;
    while (*p && (*p)->deadline <= deadline)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
}

uint64_t clock_next_deadline(const struct clock *c)
{
    return c->queue ? c->queue->deadline : CLOCK_NEVER;
}

void clock_advance(struct clock *c, uint64_t now)
{
    if (now > c->now)
        c->now = now;
    while (c->queue && c->queue->deadline <= c->now) {
        struct clock_timer *t = c->queue;
        c->queue = t->next;
        t->next = NULL;
        t->deadline = CLOCK_NEVER;
        t->cb(t->opaque);
    }
}
