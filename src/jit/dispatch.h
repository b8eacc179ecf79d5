/* SPDX-License-Identifier: MIT */
/*
 * The translator's run loop: finds or translates the block at CS:EIP, runs
 * it, chains its exits, and falls back to the interpreter for one
 * instruction whenever translated code cannot be used exactly (single-step
 * and debug registers armed, an interrupt shadow, #AC possible, a bail, a
 * fetch the TLB cannot serve). Owns the struct jit attached to a CPU.
 */
#ifndef KILN_JIT_DISPATCH_H
#define KILN_JIT_DISPATCH_H

#include <stdio.h>

#include "jit/cache.h"
#include "jit/exec.h"

struct jit;

/* Attach a translator to 'c' (the bus must be connected); NULL (logged)
 * when this host cannot run translated code. 'max_block_insns' caps blocks
 * (1 makes every block one instruction: exact instruction budgets). */
struct jit *jit_new(struct cpu *c, int max_block_insns);
void jit_free(struct jit *j);

/* Run as exec_run_intr does; may run past 'max_insns' by less than one block. */
enum exec_stop jit_run(struct jit *j, uint64_t max_insns, const volatile int *stop_flag,
                       const volatile int *intr_line);

/* Guest RAM [phys, phys + len) changed behind the CPU's back (DMA, ROM load). */
void jit_notify_ram_write(struct jit *j, uint32_t phys, uint32_t len);

/* -d in_asm,ir,out_asm: print each new block to 'f'. */
void jit_set_log(struct jit *j, FILE *f, unsigned what);
void jit_set_perfmap(struct jit *j, FILE *f); /* see jit_cache_set_perfmap */

/* Exact budgets (deterministic time, record/replay): a run retires exactly
 * the instructions it is given, the tail of a slice running on the
 * interpreter when a block would not fit. Otherwise (real time) a run may
 * overshoot by less than one block, and no instruction leaves translated
 * code only because a slice is ending. Exact after jit_new. */
void jit_set_exact_budget(struct jit *j, bool exact);

/* -d jitstats figures. */
void jit_print_stats(const struct jit *j, FILE *f);

#endif
