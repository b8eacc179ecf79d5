/* SPDX-License-Identifier: MIT */
/*
 * Shared by the backend's lowering files (x64_backend.c, x64_cond.c): the
 * lowering state of one block and the small emit helpers every lowering
 * uses. Internal to src/jit; nothing outside the backend includes it.
 */
#ifndef KILN_JIT_X64_LOWER_H
#define KILN_JIT_X64_LOWER_H

#include <stddef.h>

#include "jit/ir.h"
#include "jit/x64_backend.h"
#include "jit/x64_enc.h"

#define CPU_OFF(field) ((int32_t)offsetof(struct cpu, field))
#define REG_OFF(n)     ((int32_t)(offsetof(struct cpu, r) + 4 * (n)))
#define SEG_OFF(s, f)  ((int32_t)(offsetof(struct cpu, seg) + (s) * sizeof(struct seg_cache) + \
                                  offsetof(struct seg_cache, f)))

static const enum x64_reg temp_reg[IR_TEMPS] = {X64_RBX, X64_R12, X64_R13, X64_R14, X64_R15};

#define MAX_BAILS 512

struct lower {
    struct x64_buf *b;
    struct jit_block *blk;
    uint64_t epilogue;
    struct jit_jc_entry *jc;
    /* bail branches: rel32 field offsets and the instruction they leave from */
    size_t bail_field[MAX_BAILS];
    int bail_insn[MAX_BAILS];
    int nbails;
    /* per instruction: its EIP and the inline instructions not yet counted before it */
    uint32_t insn_eip[JIT_MAX_INSNS];
    uint32_t insn_uncounted[JIT_MAX_INSNS];
    int cur;        /* current instruction */
    bool cur_inline;
    uint32_t uncounted; /* inline instructions completed and not yet added to icount */
    int nexits;
    size_t entry_exit_field[2];
    /* The guest register (0-7) whose 32-bit value each temporary still
     * holds since a GETR or SETR of it, or -1: a later GETR copies it
     * instead of loading guest memory (every SETR still stores). */
    int8_t mirror[IR_TEMPS];
};

static inline enum x64_reg R(int t)
{
    return temp_reg[t];
}

static inline struct x64_mem cpu_mem(int32_t off)
{
    return x64_mem_base(X64_RBP, off);
}

static inline struct x64_mem guest_reg_mem(int reg, int size)
{
    if (size == 1 && reg >= 4)
        return cpu_mem(REG_OFF(reg - 4) + 1);
    return cpu_mem(REG_OFF(reg));
}

static inline void call(struct lower *l, const void *fn)
{
    x64_call_abs(l->b, (uint64_t)(uintptr_t)fn, X64_R11);
}

static inline void patch_here(struct lower *l, size_t field)
{
    x64_patch_rel(l->b, field, X64_REL32, l->b->pos);
}

/* Condition o->aux of the guest flags into o->d (0 or 1): host flags set
 * straight from the lazy record when the producer is known at translation
 * time, tests of the record at run time otherwise (x64_cond.c). */
void x64_lower_cond(struct lower *l, const struct ir_op *o);

#endif
