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

#endif
