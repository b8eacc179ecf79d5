/* SPDX-License-Identifier: MIT */
/*
 * Inline host code for the commonest x87 register moves (x64_x87.c), used
 * by the backend's X87 op before it falls back to the x87 unit itself.
 */
#ifndef KILN_JIT_X64_X87_H
#define KILN_JIT_X64_X87_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/insn.h"
#include "jit/x64_emit.h"

/* True when 'in' (an x87 instruction) has an inline fast path. */
bool x64_x87_has_fast_path(const struct insn *in);

/* Emit the fast path of 'in' (at guest 'eip'; RBP holds the struct cpu *):
 * it falls through having done the instruction, or branches to the slow
 * path. Stores the rel32 fields of those branches in slow_fields (at most
 * 'max') and returns their number, for the caller to patch. Uses RAX, RCX,
 * RDX, RSI, RDI and R8-R11. */
int x64_x87_fast_path(struct x64_buf *b, const struct insn *in, uint32_t eip, size_t *slow_fields,
                      int max);

#endif
