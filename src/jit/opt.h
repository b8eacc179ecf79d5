/* SPDX-License-Identifier: MIT */
/*
 * IR passes over one block, run in this order by the cache: constant
 * folding, removal of lazy-flag records that no later op reads, removal of
 * temporaries nothing uses. Rewrite the IR only (ops marked dead or
 * replaced); know nothing about hosts.
 */
#ifndef KILN_JIT_OPT_H
#define KILN_JIT_OPT_H

#include "jit/ir.h"

/* Fold ALU ops whose operands are both constants into CONST. */
void opt_fold_constants(struct ir_block *b);

/* Mark dead every LAZY that a later LAZY overwrites before anything that
 * reads the flags (COND, LAZYNZ, a helper, a bail point, a block exit). */
void opt_dead_flags(struct ir_block *b);

/* Mark dead every pure op whose temporary is never read. */
void opt_dead_temps(struct ir_block *b);

/* All three. */
void opt_run(struct ir_block *b);

#endif
