/* SPDX-License-Identifier: MIT */
/*
 * The page walker: linear to physical translation with the checks and
 * accessed/dirty updates of 32-bit paging, filling the shadow page table.
 * With paging off it maps identically (through the A20 gate). Owns CR2 and
 * the #PF error code; the TLB is tlb.h's.
 * Spec: Intel SDM Vol. 3A 4.3 (32-bit paging), 4.6 (access rights),
 * 4.7 (#PF error code), 4.8 (accessed and dirty flags).
 */
#ifndef KILN_CPU_MMU_H
#define KILN_CPU_MMU_H

#include "cpu/mem.h"
#include "cpu/tlb.h"

/* Translate 'lin' for 'acc' at user (CPL 3) or supervisor privilege. On
 * success the TLB entry for it is filled and returned in *out; on failure
 * CR2 is set and #PF is pending. */
KILN_MUST_CHECK int mmu_translate(struct cpu *c, uint32_t lin, enum mem_access acc, bool user,
                                  struct tlb_entry **out);

/* Flush the whole TLB after a change of CR0.PG/WP, CR4.PSE/PGE or A20. */
void mmu_flush(struct cpu *c);

/* A CR3 load: flush all but global entries. */
void mmu_load_cr3(struct cpu *c, uint32_t cr3);

#endif
