/* SPDX-License-Identifier: MIT */
/*
 * Segment and gate descriptors: reading them from the GDT or LDT, decoding
 * their fields, loading a segment cache from one, and the accessed and busy
 * bits written back. Shared by segment loads, far transfers, interrupt
 * delivery and task switches; holds no state of its own.
 * Spec: Intel SDM Vol. 3A 3.4.5 (segment descriptors), 5.8-5.12 (gates),
 * 7.2.2 (TSS descriptor).
 */
#ifndef KILN_CPU_DESC_H
#define KILN_CPU_DESC_H

#include "cpu/cpu.h"

struct desc {
    uint32_t lo, hi;
    uint32_t addr; /* linear address of the descriptor in its table */
};

/* System descriptor and gate types (S = 0). */
enum {
    DT_TSS16_AVAIL = 0x01,
    DT_LDT = 0x02,
    DT_TSS16_BUSY = 0x03,
    DT_CALL16 = 0x04,
    DT_TASK = 0x05,
    DT_INT16 = 0x06,
    DT_TRAP16 = 0x07,
    DT_TSS32_AVAIL = 0x09,
    DT_TSS32_BUSY = 0x0b,
    DT_CALL32 = 0x0c,
    DT_INT32 = 0x0e,
    DT_TRAP32 = 0x0f,
};

/* Read the descriptor 'sel' names. A selector beyond its table's limit (or
 * into an absent LDT) raises 'vector' with error code sel & FFFC (+ext). */
KILN_MUST_CHECK int desc_read(struct cpu *c, uint16_t sel, int vector, struct desc *d);

/* S bit and type (bits 0-4): 0x10-0x17 data, 0x18-0x1f code, below 0x10 system. */
static inline unsigned desc_type(const struct desc *d)
{
    return (d->hi >> 8) & 0x1f;
}

static inline unsigned desc_dpl(const struct desc *d)
{
    return (d->hi >> 13) & 3;
}

static inline bool desc_present(const struct desc *d)
{
    return d->hi & 0x8000;
}

static inline bool desc_is_code(const struct desc *d)
{
    return (desc_type(d) & 0x18) == 0x18;
}

static inline bool desc_is_data(const struct desc *d)
{
    return (desc_type(d) & 0x18) == 0x10;
}

static inline bool desc_is_conforming(const struct desc *d)
{
    return desc_is_code(d) && (desc_type(d) & 4);
}

/* Gate fields: target selector, offset, parameter count (call gates). */
static inline uint16_t gate_selector(const struct desc *d)
{
    return (uint16_t)(d->lo >> 16);
}

static inline uint32_t gate_offset(const struct desc *d)
{
    bool is32 = desc_type(d) & 0x08;
    return is32 ? (d->lo & 0xffff) | (d->hi & 0xffff0000u) : d->lo & 0xffff;
}

/* Fill a segment cache from a descriptor (base, limit with G, attributes). */
void desc_to_cache(uint16_t sel, const struct desc *d, struct seg_cache *s);

/* Set the accessed bit of a code/data descriptor in memory. */
KILN_MUST_CHECK int desc_set_accessed(struct cpu *c, struct desc *d);

/* Set or clear the busy bit of a TSS descriptor in memory. */
KILN_MUST_CHECK int desc_set_busy(struct cpu *c, struct desc *d, bool busy);

/* Selector error code: the index and TI bits, plus EXT for external events. */
static inline uint32_t sel_error(uint16_t sel, bool ext)
{
    return (sel & 0xfffcu) | (ext ? 1u : 0);
}

#endif
