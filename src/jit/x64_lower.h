/* SPDX-License-Identifier: MIT */
/*
 * Shared by the backend's lowering files (x64_backend.c, x64_cond.c,
 * x64_mem.c): the lowering state of one block and the small emit helpers
 * every lowering uses. Internal to src/jit; nothing outside the backend includes it.
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
#define MAX_SLOW  256
#define MAX_LEAVES JIT_MAX_INSNS /* helper calls: one per instruction at most */

/* A guest load or store whose TLB miss path is placed after the block's
 * body: the branches that reach it, the op, and where it resumes. */
struct slow_path {
    size_t field; /* rel32 field of the fast path's branch to it */
    const struct ir_op *op;
    size_t back;     /* the position after the fast path */
    int insn;        /* the instruction, for its bails */
};

struct lower {
    struct x64_buf *b;
    struct jit_block *blk;
    uint64_t epilogue;
    struct jit_jc_entry *jc;
    /* bail branches: rel32 field offsets and the instruction they leave from */
    size_t bail_field[MAX_BAILS];
    int bail_insn[MAX_BAILS];
    int nbails;
    struct slow_path slow[MAX_SLOW];
    int nslow;
    /* branches to the shared "leave" stub after helpers that end the run */
    size_t leave_field[MAX_LEAVES];
    int nleaves;
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
    /* Whether each temporary holds the value of an IR CONST, and which. */
    bool is_const[IR_TEMPS];
    uint32_t const_val[IR_TEMPS];
    /* Each temporary's count of definitions, and the temporaries of the
     * last LAZY with their counts then: while they still match, the flags'
     * operands are in registers. Cleared by anything else that sets flags. */
    uint32_t gen[IR_TEMPS];
    struct {
        bool valid;
        uint32_t lazy; /* op << 8 | size */
        int a, b, d;
        uint32_t gen_a, gen_b, gen_d;
    } last_lazy;
    /* The IR being lowered and the index of the op in hand, for COND to
     * see whether an EXITC consumes it next; that EXITC's index once fused. */
    const struct ir_block *ir;
    int at;
    int fused_exitc;
    enum x64_cond fused_cc;
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

/* A branch to the current instruction's bail stub. */
static inline void bail_if(struct lower *l, enum x64_cond cc)
{
    if (l->nbails >= MAX_BAILS) {
        l->b->err = X64_ERR_LABELS;
        return;
    }
    l->bail_field[l->nbails] = x64_jcc_rel32(l->b, cc, 0);
    l->bail_insn[l->nbails++] = l->cur;
}

static inline void mov_to_temp(struct lower *l, int d, enum x64_reg src)
{
    x64_mov_rr(l->b, X64_S32, R(d), src);
}

/* Guest memory (x64_mem.c): the linear address of a segment access after
 * its limit check, loads and stores through the inline TLB lookup, and
 * after the body the miss path of each. */
void x64_lower_lin(struct lower *l, const struct ir_op *o);
void x64_lower_load(struct lower *l, const struct ir_op *o);
void x64_lower_store(struct lower *l, const struct ir_op *o);
void x64_slow_paths(struct lower *l);

/* Host flags for condition o->aux of the guest flags: returns the host
 * condition that holds exactly when the guest's does. Flags come from one
 * compare when the producer is known at translation time (its operands
 * from registers while they are live), from run-time tests of the lazy
 * record otherwise (x64_cond.c). */
enum x64_cond x64_cond_flags(struct lower *l, const struct ir_op *o);

#endif
