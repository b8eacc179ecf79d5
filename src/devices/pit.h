/* SPDX-License-Identifier: MIT */
/*
 * The Intel 8254 programmable interval timer at ports 40h-43h, clocked at
 * 1.193182 MHz of guest time, and AT port 61h (system control port B:
 * counter 2's gate, speaker data, refresh toggle, counter 2's output), which
 * lives here because three of its bits are the PIT's. Owns only struct pit;
 * counter 0's output is the IRQ0 line. Follows the Intel 8254 datasheet
 * (231164) and the port 61h description of the Intel 82371SB (PIIX3).
 */
#ifndef KILN_DEVICES_PIT_H
#define KILN_DEVICES_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

#define PIT_HZ 1193182u

/* State of the counting element (private to pit.c). */
enum pit_state {
    PIT_IDLE, /* not counting: CE frozen at 'ce', OUT fixed at 'idle_out' */
    PIT_RUN,  /* counting: CE held 'n' at tick 'origin' */
    PIT_HOLD, /* modes 0 and 4 with GATE low: 'elapsed' clocks counted so far */
};

struct pit;

/* One counter. Fields are private to pit.c; exposed only so machines can embed. */
struct pit_counter {
    struct pit *pit;
    uint8_t ctrl; /* control word bits 5-0: RW, M, BCD (the status byte's low bits) */
    uint8_t mode; /* 0-5 (6 and 7 are 2 and 3) */
    uint8_t rw;   /* 1 LSB only, 2 MSB only, 3 LSB then MSB */
    bool bcd;
    uint32_t cr; /* count register, 1..65536 (10000 in BCD); 0 is written as the maximum */
    bool cr_valid, null_count;
    bool write_msb, read_msb; /* the write and read flip-flops */
    uint8_t write_lsb;
    bool count_latched, status_latched;
    uint16_t latch;
    uint8_t status;
    enum pit_state state;
    int64_t origin, elapsed;
    uint32_t n, ce;
    bool idle_out;
    int64_t load_tick; /* tick at which CR goes into CE, or PIT_NO_TICK */
    bool load_low_phase; /* mode 3: the new count starts with the low half */
    bool gate, out;
    struct irq_line out_line;
    struct clock_timer timer;
    int64_t timer_tick;
};

struct pit {
    struct pit_counter ctr[3];
    struct clock *clock;
    uint8_t port61; /* bits 3-0 as written */
};

/* Reset the PIT (every counter idle, GATE high except counter 2's, which
 * port 61h bit 0 drives), claim ports 40-43 and 61 on 'b', and drive 'irq0'
 * from counter 0's OUT. False when a port is taken. */
KILN_MUST_CHECK bool pit_init(struct pit *p, struct bus *b, struct clock *c, struct irq_line irq0);

/* Drive counter 'i''s GATE input (0-2); counters 0 and 1 are tied high on a PC. */
void pit_set_gate(struct pit *p, int i, bool level);

/* The level of counter 'i''s OUT pin now. */
bool pit_out(struct pit *p, int i);

#endif
