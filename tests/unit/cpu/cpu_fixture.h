/* SPDX-License-Identifier: MIT */
/*
 * Test support shared by the CPU's unit tests: flat 4 GiB segment caches
 * (as a protected-mode OS loads them) and little-endian stores into a
 * test's RAM for page tables and data.
 */
#ifndef KILN_TESTS_CPU_FIXTURE_H
#define KILN_TESTS_CPU_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

static inline void fixture_wr32(uint8_t *m, uint32_t a, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        m[a + (uint32_t)i] = (uint8_t)(v >> (8 * i));
}

/* A flat 32-bit segment: base 0, limit 4 GiB, present, accessed; code is
 * execute/read, data read/write. */
static inline void fixture_flat_seg(struct seg_cache *s, uint16_t sel, unsigned dpl, bool code)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xffffffffu;
    s->attr = (uint16_t)(SEG_ATTR_G | SEG_ATTR_DB | SEG_ATTR_P | (dpl << 5) | (code ? 0x1b : 0x13));
}

/* Protected mode at CPL 0 with every segment flat: CS = 08h, the rest 10h. */
static inline void fixture_flat_pm(struct cpu *c)
{
    c->cr[0] |= CR0_PE;
    for (int s = 0; s < SEG_COUNT; s++)
        fixture_flat_seg(&c->seg[s], s == SEG_CS ? 0x08 : 0x10, 0, s == SEG_CS);
}

#endif
