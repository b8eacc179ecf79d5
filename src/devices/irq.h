/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines between devices: a device holds a struct irq_line given
 * to it at init and drives its level; whoever created the line (the PIC, or
 * the machine for the PIC's own output) receives the level changes. Edge
 * versus level semantics belong to the receiver.
 */
#ifndef KILN_DEVICES_IRQ_H
#define KILN_DEVICES_IRQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct irq_line {
    void (*set)(void *opaque, int n, bool level);
    void *opaque;
    int n;
};

/* Drive 'line' to 'level'; an unconnected line (set == NULL) ignores it. */
static inline void irq_set(const struct irq_line *line, bool level)
{
    if (line && line->set)
        line->set(line->opaque, line->n, level);
}

/* Raise then lower: an edge for edge-triggered receivers. */
static inline void irq_pulse(const struct irq_line *line)
{
    irq_set(line, true);
    irq_set(line, false);
}

/* A wired-OR of up to 32 inputs driving one line: ISA cards sharing an IRQ
 * (COM1 and COM3, say) must not cancel each other's requests. */
struct irq_or {
    struct irq_line out;
    uint32_t levels; /* bit n: input n is high */
};

static inline void irq_or_set(void *opaque, int n, bool level)
{
    struct irq_or *o = opaque;
    uint32_t was = o->levels;
    o->levels = level ? o->levels | (1u << n) : o->levels & ~(1u << n);
    if (!was != !o->levels)
        irq_set(&o->out, o->levels != 0);
}

/* The line for input 'n' (0-31) of the wired-OR 'o'. */
static inline struct irq_line irq_or_input(struct irq_or *o, int n)
{
    return (struct irq_line){irq_or_set, o, n};
}

#endif
