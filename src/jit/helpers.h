/* SPDX-License-Identifier: MIT */
/*
 * C functions that translated code calls: the interpreter path for one
 * instruction, and the slow paths of guest loads and stores. Own no state.
 */
#ifndef KILN_JIT_HELPERS_H
#define KILN_JIT_HELPERS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

#define JIT_SLOW_BAIL (1ull << 63)

/* Helper runs per instruction form, for -d jitstats. */
extern uint64_t jit_helper_counts[];

/* Run 'in' (at c->eip) through the interpreter; 0 when execution may go on
 * in the block (EIP became 'next' and nothing else happened), 1 to leave.
 * 'ends_block': the instruction may change segments or the mode (then the
 * dispatcher recomputes its mode bits). */
int jit_helper_insn(struct cpu *c, const struct insn *in, uint32_t next, int ends_block);

/* A load that missed the inline TLB check: the value, or JIT_SLOW_BAIL
 * when the access must be left to the interpreter (fault, MMIO, page cross). */
/* An x87 instruction inline (IR X87): JIT_X87_DONE, JIT_X87_BAIL (nothing
 * done: the interpreter must run it) or JIT_X87_LEAVE (done, but it wrote
 * over translated code: the block must not go on). */
enum { JIT_X87_DONE, JIT_X87_BAIL, JIT_X87_LEAVE };
int jit_x87_insn(struct cpu *c, const struct insn *in, uint32_t eip);

/* ROL/ROR by a constant, inline: CF and OF from the result 'res' (bits 0-7
 * of 'right_size': 1 for a right rotate; bits 8-15: the size). */
void jit_rotate_flags(struct cpu *c, uint32_t res, uint32_t right_size);

uint64_t jit_slow_load(struct cpu *c, uint32_t lin, int size);

/* A store that missed: 0 done, 1 bail (nothing written). */
int jit_slow_store(struct cpu *c, uint32_t lin, int size, uint32_t val);

/* Verification mode (dispatch.c): translated stores all take the slow path,
 * which records each store's old bytes here so that it can be undone. */
struct jit_store_record {
    uint8_t *host;
    uint32_t old, new_val;
    uint8_t size;
};
#define JIT_STORE_LOG 4096
extern bool jit_verify_stores;
extern struct jit_store_record jit_store_log[JIT_STORE_LOG];
extern int jit_store_count;

#endif
