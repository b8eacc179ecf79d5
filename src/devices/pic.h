/* SPDX-License-Identifier: MIT */
/*
 * The AT interrupt controller pair: two Intel 8259A chips, the slave's INT
 * cascaded into the master's IR2, at ports 20h/21h and A0h/A1h, plus the
 * PIIX-style edge/level control registers (ELCR) at 4D0h/4D1h. Owns IRQ
 * 0-15 in and INTR out; knows nothing of the CPU, which calls
 * pic_acknowledge() for the INTA cycle. Follows the Intel 8259A datasheet
 * (231468) and the ELCR description of the Intel 82371SB (PIIX3) datasheet.
 */
#ifndef KILN_DEVICES_PIC_H
#define KILN_DEVICES_PIC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

/* One 8259A. Fields are private to pic.c; exposed only so machines can embed. */
struct pic_chip {
    uint8_t level;      /* IR input levels */
    uint8_t edge;       /* edge-sense latches: set by a rising edge, cleared by INTA */
    uint8_t hold;       /* zero-width pulses held high until INTA (see pic.c) */
    uint64_t rise_ns[8];
    uint8_t isr, imr;
    uint8_t elcr, elcr_mask; /* level-triggered lines (PIIX ELCR) and its writable bits */
    uint8_t base;            /* ICW2: vector bits 7-3 */
    uint8_t icw3;            /* master: lines with a slave; slave: its ID */
    uint8_t init_step;       /* 0: ready; 2, 3, 4: the ICW expected next */
    uint8_t lowest;          /* the IR with the lowest priority (7 unless rotated) */
    bool need_icw4, single, ltim, aeoi, sfnm, rotate_aeoi;
    bool special_mask, read_isr, poll;
    bool int_out; /* the chip's INT pin */
};

struct pic {
    struct pic_chip chip[2]; /* [0] master, [1] slave */
    const struct clock *clock;
    struct irq_line intr;
    bool intr_level;
};

/* Reset the pair (all lines masked, vector base 0: the BIOS must program it),
 * claim ports 20-21, A0-A1 and 4D0-4D1 on 'b', and drive 'intr' (the CPU's INTR
 * pin) from then on. 'c' times input pulses. False when a port is taken. */
KILN_MUST_CHECK bool pic_init(struct pic *p, struct bus *b, const struct clock *c,
                              struct irq_line intr);

/* The input line for IRQ 'n' (0-15). IRQ 2 is the cascade: as on the AT, the
 * ISA bus's IRQ2 pin is wired to IRQ 9, and so is the line returned for 2.
 * Out-of-range n gives an unconnected line. */
struct irq_line pic_irq(struct pic *p, int n);

/* True while the master drives INTR: an unmasked request outranks what is in service. */
bool pic_intr_pending(const struct pic *p);

/* The INTA cycle: latch the winning request into ISR and return its vector (the
 * slave's for a cascaded line). With no request left, the spurious vector of
 * IR7 (base + 7) of the chip that was asked, as the 8259A gives. */
uint8_t pic_acknowledge(struct pic *p);

#endif
