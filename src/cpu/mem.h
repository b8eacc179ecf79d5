/* SPDX-License-Identifier: MIT */
/*
 * The CPU's view of memory: segmentation (limits, rights, 8086 offset wrap),
 * linear-to-physical translation (paging arrives with the system issue) and
 * physical access through struct cpu_bus. Every guest fault is a returned
 * value. Must not know about devices beyond struct cpu_bus.
 * Spec: Intel SDM Vol. 3A 3.4-3.5 (segments), 5.3 (limit checking).
 */
#ifndef KILN_CPU_MEM_H
#define KILN_CPU_MEM_H

#include "common/bits.h"
#include "common/compiler.h"
#include "cpu/cpu.h"

enum mem_access { ACC_READ, ACC_WRITE, ACC_EXEC };

/* Protected mode: the segment's type and present bit allow 'acc' (the
 * checks before the limit's). */
static inline bool seg_rights_ok(const struct seg_cache *s, enum mem_access acc)
{
    bool code = s->attr & 0x08, rw = s->attr & 0x02;
    if (!(s->attr & SEG_ATTR_P))
        return false;
    if (acc == ACC_WRITE)
        return !code && rw;
    return acc != ACC_READ || !code || rw;
}

/* A data segment whose valid offsets lie above its limit. */
static inline bool seg_expand_down(const struct seg_cache *s)
{
    return (s->attr & 0x0c) == 0x04; /* data, expand-down */
}

/* The segment checks of seg_linear without raising anything: true (and
 * *lin) when the access is allowed. */
static inline bool seg_linear_ok(const struct cpu *c, int seg, uint32_t off, int size,
                                 enum mem_access acc, uint32_t *lin)
{
    const struct seg_cache *s = &c->seg[seg];
    if (c->model->offset_wraps) {
        *lin = s->base + (off & 0xffff);
        return true;
    }
    uint32_t last = off + (uint32_t)size - 1;
    if (cpu_pmode(c)) {
        if (!seg_rights_ok(s, acc))
            return false;
        if (seg_expand_down(s)) {
            /* Expand-down: valid offsets are limit+1 .. 64K-1 or 4G-1 (SDM Vol. 3A 5.3). */
            uint32_t upper = (s->attr & SEG_ATTR_DB) ? 0xffffffffu : 0xffffu;
            if (off <= s->limit || last > upper || last < off)
                return false;
            *lin = s->base + off;
            return true;
        }
    }
    if (off > s->limit || last > s->limit || last < off)
        return false;
    *lin = s->base + off;
    return true;
}

/* Linear address of seg:off for an access of 'size' bytes, after the limit and
 * rights checks; raises #GP(0) or #SS(0) as the hardware does. */
KILN_MUST_CHECK int seg_linear(struct cpu *c, int seg, uint32_t off, int size,
                               enum mem_access acc, uint32_t *lin);

/* The shadow page table entry that may serve an access at 'lin' at the
 * current privilege (instruction operands are user accesses at CPL 3). */
static inline struct tlb_entry *mem_tlb_slot(struct cpu *c, uint32_t lin)
{
    return &c->tlb.e[c->cpl == 3 ? TLB_USER : TLB_SUPERVISOR][tlb_index(lin)];
}

/* No data breakpoint, 8086 offset wrap or alignment check can apply to a
 * data access now: the condition of the inline fast paths. */
static inline bool mem_plain_access(const struct cpu *c)
{
    return !c->model->offset_wraps && !c->dbg.data_armed &&
           !((c->eflags & FL_AC) && (c->cr[0] & CR0_AM));
}

/* The segments that need no check but the wrap of the offset: flat
 * (limit 4 GiB), writable data in protected mode, while mem_plain_access
 * holds. For c->flat_segs. */
static inline uint8_t mem_flat_segments(const struct cpu *c)
{
    if (!mem_plain_access(c))
        return 0;
    uint8_t m = 0;
    for (int s = 0; s < SEG_COUNT; s++) {
        const struct seg_cache *sc = &c->seg[s];
        if (sc->limit == 0xffffffffu &&
            (!cpu_pmode(c) || (seg_rights_ok(sc, ACC_WRITE) && !seg_expand_down(sc))))
            m |= (uint8_t)(1u << s);
    }
    return m;
}

/* The host address of 'lin' when the shadow TLB maps it to RAM for a read
 * (or a write: then a page with no translated code), else NULL. */
static KILN_ALWAYS_INLINE uint8_t *mem_tlb_host(struct cpu *c, uint32_t lin, enum mem_access acc)
{
    const struct tlb_entry *e = mem_tlb_slot(c, lin);
    uint32_t tag = acc == ACC_WRITE ? e->tag_write : e->tag_read;
    if (KILN_LIKELY(tag == (lin & ~0xfffu))) { /* then not TLB_MMIO: a host page */
        c->tlb.hits++;
        return e->host + (lin & 0xfff);
    }
    return NULL;
}

/* The inline path of mem_read and mem_write: an access through a segment
 * in c->flat_segs (only the offset's wrap to check) that stays in one page
 * and hits the shadow TLB. The host address, or NULL. */
static KILN_ALWAYS_INLINE uint8_t *mem_flat_host(struct cpu *c, int seg, uint32_t off, int size,
                                                 enum mem_access acc)
{
    if (!(c->flat_segs >> seg & 1))
        return NULL;
    uint32_t lin = c->seg[seg].base + off;
    if (off > 0xffffffffu - (uint32_t)(size - 1) || (lin & 0xfff) + (uint32_t)size > 0x1000)
        return NULL;
    return mem_tlb_host(c, lin, acc);
}

/* mem_read and mem_write past their inline path: any segment, with the
 * segment checks and a TLB hit handled here, else mem_*_slow. */
KILN_MUST_CHECK int mem_read_seg(struct cpu *c, int seg, uint32_t off, int size, uint32_t *val);
KILN_MUST_CHECK int mem_write_seg(struct cpu *c, int seg, uint32_t off, int size, uint32_t val);

/* Read 'size' (1, 2, 4) bytes at seg:off. */
KILN_MUST_CHECK static KILN_ALWAYS_INLINE int mem_read(struct cpu *c, int seg, uint32_t off,
                                                       int size, uint32_t *val)
{
    const uint8_t *h = mem_flat_host(c, seg, off, size, ACC_READ);
    if (KILN_LIKELY(h)) {
        *val = load_le(h, size);
        return 0;
    }
    return mem_read_seg(c, seg, off, size, val);
}

/* Every store to RAM passes here with its host address and length: one
 * that touches the page of the interpreter's current run (c->run_page)
 * makes the fast loop check the run's bytes before it goes on. */
static KILN_ALWAYS_INLINE void mem_note_store(struct cpu *c, const uint8_t *h, size_t len)
{
    uintptr_t a = (uintptr_t)h;
    if (KILN_UNLIKELY(a < c->run_page + 0x1000 && a + len > c->run_page))
        c->run_hit = 1;
}

/* Write 'size' (1, 2, 4) bytes at seg:off. */
KILN_MUST_CHECK static KILN_ALWAYS_INLINE int mem_write(struct cpu *c, int seg, uint32_t off,
                                                        int size, uint32_t val)
{
    uint8_t *h = mem_flat_host(c, seg, off, size, ACC_WRITE);
    if (KILN_LIKELY(h)) {
        mem_note_store(c, h, (size_t)size);
        store_le(h, size, val);
        return 0;
    }
    return mem_write_seg(c, seg, off, size, val);
}

/* Check that a write of 'size' bytes at seg:off would succeed, without writing. */
KILN_MUST_CHECK int mem_probe_write(struct cpu *c, int seg, uint32_t off, int size);

/* Fetch one instruction byte at CS:off. */
KILN_MUST_CHECK int mem_fetch(struct cpu *c, uint32_t off, uint8_t *out);

/* Host bytes of the code at CS:off when they sit in RAM that the TLB maps
 * for execution: returns a pointer valid for *len bytes (at most 16, never
 * past the page or the CS limit), or NULL when the byte-wise path must run. */
static inline const uint8_t *mem_fetch_window(struct cpu *c, uint32_t off, unsigned *len)
{
    const struct seg_cache *s = &c->seg[SEG_CS];
    uint32_t limit = c->model->offset_wraps ? 0xffff : s->limit;
    if (off > limit)
        return NULL;
    uint32_t lin = s->base + off;
    const uint8_t *h = mem_tlb_host(c, lin, ACC_READ);
    if (!h)
        return NULL; /* the slow path walks, faults or reads MMIO */
    uint64_t in_seg = (uint64_t)limit - off + 1;
    uint32_t in_page = 0x1000 - (lin & 0xfff);
    *len = (unsigned)(in_seg < in_page ? in_seg : in_page);
    if (*len > 16)
        *len = 16;
    return h;
}

/* Read/write at a linear address (no segmentation). */
KILN_MUST_CHECK int lin_read(struct cpu *c, uint32_t lin, int size, uint32_t *val);
KILN_MUST_CHECK int lin_write(struct cpu *c, uint32_t lin, int size, uint32_t val);

/* Physical access; never faults (unclaimed addresses read as all-ones). */
uint32_t phys_read(struct cpu *c, uint32_t pa, int size);
void phys_write(struct cpu *c, uint32_t pa, int size, uint32_t val);

/* The shadow page table's entry for 'lin', walking the page tables on a
 * miss (which may fault: then c->exc_* hold it). For the translator's slow
 * paths; a write entry may carry TLB_CODE. */
int mem_tlb_lookup(struct cpu *c, uint32_t lin, enum mem_access acc, bool user,
                   struct tlb_entry **out);

#endif
