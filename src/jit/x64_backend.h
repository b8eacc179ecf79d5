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
 * (and for a direct jump to another page) here before leaving to the
 * dispatcher, which fills it. An entry is good while its generation equals
 * c->jit.jc_gen. Each context the dispatcher runs code under (mode bits,
 * CS base and limit, TLB generation) has its own generation, so entries
 * made in the kernel survive a trip to user mode and back; dropping
 * translated code makes every generation stale at once (jit_jc_drop_all). */
#define JIT_JC_BITS 16
#define JIT_JC_SIZE (1u << JIT_JC_BITS)

struct jit_jc_entry {
    uint32_t eip, gen;
    const uint8_t *code;
};

/* A generation never handed out before. */
static inline uint32_t jit_jc_new_gen(struct cpu *c)
{
    return ++c->jit.jc_last_gen;
}

/* Every entry of every generation is stale from now on. */
static inline void jit_jc_drop_all(struct cpu *c)
{
    c->jit.jc_gen = jit_jc_new_gen(c);
    c->jit.jc_epoch++;
}

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
