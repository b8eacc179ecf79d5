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

#include "cpu/cpu.h"

enum mem_access { ACC_READ, ACC_WRITE, ACC_EXEC };

/* Protected mode: the segment's type and present bit allow 'acc' (the
 * checks before the limit's). */
bool seg_rights_ok(const struct seg_cache *s, enum mem_access acc);

/* A data segment whose valid offsets lie above its limit. */
bool seg_expand_down(const struct seg_cache *s);

/* The segment checks of seg_linear without raising anything: true (and
 * *lin) when the access is allowed. */
bool seg_linear_ok(const struct cpu *c, int seg, uint32_t off, int size, enum mem_access acc,
                   uint32_t *lin);

/* Linear address of seg:off for an access of 'size' bytes, after the limit and
 * rights checks; raises #GP(0) or #SS(0) as the hardware does. */
KILN_MUST_CHECK int seg_linear(struct cpu *c, int seg, uint32_t off, int size,
                               enum mem_access acc, uint32_t *lin);

/* Read 'size' (1, 2, 4) bytes at seg:off. */
KILN_MUST_CHECK int mem_read(struct cpu *c, int seg, uint32_t off, int size, uint32_t *val);

/* Write 'size' (1, 2, 4) bytes at seg:off. */
KILN_MUST_CHECK int mem_write(struct cpu *c, int seg, uint32_t off, int size, uint32_t val);

/* Check that a write of 'size' bytes at seg:off would succeed, without writing. */
KILN_MUST_CHECK int mem_probe_write(struct cpu *c, int seg, uint32_t off, int size);

/* Fetch one instruction byte at CS:off. */
KILN_MUST_CHECK int mem_fetch(struct cpu *c, uint32_t off, uint8_t *out);

/* Host bytes of the code at CS:off when they sit in RAM that the TLB maps
 * for execution: returns a pointer valid for *len bytes (at most 16, never
 * past the page or the CS limit), or NULL when the byte-wise path must run. */
const uint8_t *mem_fetch_window(struct cpu *c, uint32_t off, unsigned *len);

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
