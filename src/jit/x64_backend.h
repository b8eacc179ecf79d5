/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 backend: lowers a block's IR to host code. Register use
 * (docs/translator.md): RBP holds struct cpu *; the five IR temporaries
 * live in RBX, R12-R15 (callee-saved, so they survive helper calls); RAX,
 * RCX, RDX, RSI, RDI and R8-R11 are scratch within one op. Code runs
 * between the shared entry trampoline and epilogue (x64_backend_emit_glue),
 * which return to C in RAX: 0 = continue at the guest's EIP, 1 = run one
 * instruction in the interpreter first (a bail), otherwise the struct
 * jit_exit * that was taken, so the dispatcher may chain it.
 * Owns host code generation; knows nothing of the cache's data structures
 * beyond struct jit_block.
 */
#ifndef KILN_JIT_X64_BACKEND_H
#define KILN_JIT_X64_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "jit/block.h"
#include "jit/ir.h"
#include "jit/x64_emit.h"

enum { JIT_RET_CONTINUE = 0, JIT_RET_BAIL = 1 };

/* The jump cache: translated code looks up the block for a computed EIP
 * here before leaving to the dispatcher, which fills it. An entry is good
 * while its generation equals c->jit.jc_gen; the dispatcher bumps that on
 * anything that could make an entry wrong (mode, CS, TLB flush, dropped
 * code). */
#define JIT_JC_BITS 12
#define JIT_JC_SIZE (1u << JIT_JC_BITS)

struct jit_jc_entry {
    uint32_t eip, gen;
    const uint8_t *code;
};

static inline unsigned jit_jc_index(uint32_t eip)
{
    return (eip ^ (eip >> JIT_JC_BITS)) & (JIT_JC_SIZE - 1);
}

/* Run translated code 'code' on 'c'; returns the RAX contract above. */
typedef uintptr_t (*jit_enter_fn)(struct cpu *c, const void *code);

/* Emit the entry trampoline (returned through *enter) and the shared
 * epilogue (*epilogue) at the start of a fresh buffer. */
bool x64_backend_emit_glue(struct x64_buf *b, uint64_t *enter, uint64_t *epilogue);

/* Lower 'ir' of block 'blk' into 'b'; 'epilogue' from the glue, 'jc' the
 * jump cache (JIT_JC_SIZE entries). Fills
 * blk->exit[] (buffer offsets are turned into addresses by the caller
 * through x64_here at the end). Returns false when the buffer filled up or
 * an encoding failed. */
bool x64_backend_lower(struct x64_buf *b, const struct ir_block *ir, struct jit_block *blk,
                       uint64_t epilogue, struct jit_jc_entry *jc);

#endif
