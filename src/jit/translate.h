/* SPDX-License-Identifier: MIT */
/*
 * The translator's frontend: decoded guest instructions of one block to IR.
 * Hot, simple instructions become inline IR; every other instruction becomes
 * a HELPER op that runs the interpreter's own semantics. Reads guest code
 * bytes and CPU state; changes nothing.
 */
#ifndef KILN_JIT_TRANSLATE_H
#define KILN_JIT_TRANSLATE_H

#include "cpu/cpu.h"
#include "jit/block.h"
#include "jit/ir.h"

/* The mode bits (KEY_*) of the CPU's current state. */
uint32_t jit_mode_of(const struct cpu *c);

/* The key of the block that would start at the current CS:EIP, whose first
 * byte is at physical address 'phys', in mode 'mode' (jit_mode_of). */
struct jit_key jit_key_of(const struct cpu *c, uint32_t phys, uint32_t mode);

/* Decode up to 'max_insns' instructions from 'code' (the host view of the
 * page from the block's first byte on, 'avail' bytes) into blk->insn and
 * build the IR. Returns the number of instructions (0: none could be
 * decoded whole; the interpreter must run the first). */
int translate_block(const struct cpu *c, struct jit_block *blk, const uint8_t *code,
                    unsigned avail, int max_insns, struct ir_block *ir);

#endif
