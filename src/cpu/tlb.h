/* SPDX-License-Identifier: MIT */
/*
 * The shadow page table: a software TLB per privilege (supervisor, user)
 * mapping linear pages to physical pages and, for plain RAM, host pointers,
 * with separate tags for reads (and fetches) and writes so that a hit is one
 * compare. Filled by the page walker (mmu.c), flushed on CR3 loads (global
 * pages survive), INVLPG, and CR0/CR4/A20 changes. MMIO, ROM and holes have
 * no host pointer and take the slow path. Owns no guest-visible state.
 * Spec: Intel SDM Vol. 3A 4.10 (TLBs), 4.10.4 (invalidation).
 */
#ifndef KILN_CPU_TLB_H
#define KILN_CPU_TLB_H

#include <stdbool.h>
#include <stdint.h>

#define TLB_BITS    8
#define TLB_ENTRIES (1u << TLB_BITS)
#define TLB_INVALID 1u /* never equals a page-aligned tag */
/* Set in tag_write when the physical page holds translated code: the exact
 * compare of a write misses, and the slow path tells the translator. */
#define TLB_CODE 2u
/* Set in both tags of an entry with no host page (MMIO, ROM, holes): the
 * exact compares of the inline paths miss, so that a tag that matches
 * exactly promises a host page. The C paths that serve MMIO mask it. */
#define TLB_MMIO 4u

enum { TLB_SUPERVISOR, TLB_USER };

struct tlb_entry {
    uint32_t tag_read;  /* page-aligned linear address when reads/fetches may hit */
    uint32_t tag_write; /* page-aligned linear address when writes may hit */
    uint32_t phys;      /* page-aligned physical address */
    uint8_t global;     /* survives CR3 loads (PGE) */
    uint8_t *host;      /* host address of the physical page, NULL for non-RAM */
    uintptr_t addend;   /* host - the linear page: host address = addend + lin */
};

struct tlb {
    struct tlb_entry e[2][TLB_ENTRIES]; /* [TLB_SUPERVISOR or TLB_USER][index] */
    uint64_t hits, misses, flushes;
    uint32_t generation; /* bumped by every flush, whole or one page */
};

static inline unsigned tlb_index(uint32_t lin)
{
    return (lin >> 12) & (TLB_ENTRIES - 1);
}

/* Set or clear TLB_CODE on every writable entry that maps physical page 'phys'. */
void tlb_mark_code(struct tlb *t, uint32_t phys, bool code);

/* Clear TLB_CODE everywhere (the translator dropped all its code). */
void tlb_clear_code(struct tlb *t);

/* Drop every entry. */
void tlb_flush_all(struct tlb *t);

/* Drop every entry that is not global (a CR3 load). */
void tlb_flush_nonglobal(struct tlb *t);

/* Drop the entries for the page holding 'lin' (INVLPG). */
void tlb_flush_page(struct tlb *t, uint32_t lin);

#endif
