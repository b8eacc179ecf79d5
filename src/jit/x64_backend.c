/* SPDX-License-Identifier: MIT */
/*
 * IR to x86-64 (see x64_backend.h). Each IR op becomes a short fixed
 * sequence; guest loads and stores are x64_mem.c's, conditions
 * x64_cond.c's, x87 instructions x64_x87.c's. Branches to the out-of-line
 * stubs (bails, block exits) are rel32 fields patched when the stubs are
 * placed after the body.
 */
#include "jit/x64_backend.h"
#include "jit/x64_lower.h"

#include <stddef.h>

#include "cpu/flags.h"
#include "cpu/interp.h"
#include "jit/helpers.h"
#include "jit/x64_x87.h"

static void add_icount(struct lower *l, uint32_t n)
{
    if (n)
        x64_alu_mi(l->b, X64_ADD, X64_S64, cpu_mem(CPU_OFF(icount)), n);
}

static void jmp_epilogue(struct lower *l)
{
    x64_jmp_abs(l->b, l->epilogue, X64_R11);
}

/* ---- flags ---- */

static void lower_lazy(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    x64_mov_mi(b, X64_S16, cpu_mem(CPU_OFF(lf_op)), o->aux | o->size << 8);
    x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(lf_dst)), R(o->a));
    x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(lf_src)), R(o->b));
    x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(lf_res)), R(o->d));
}

/* ---- exits ---- */

/* Jump to the block the jump cache holds for the EIP in 'eip_reg' (RDX
 * points at its entry) when the entry is current; fall through otherwise. */
static void jc_probe(struct lower *l, enum x64_reg eip_reg)
{
    struct x64_buf *b = l->b;
    x64_alu_rm(b, X64_CMP, X64_S32, eip_reg, x64_mem_base(X64_RDX, 0));
    size_t miss1 = x64_jcc_rel32(b, X64_CC_NE, 0);
    x64_mov_rm(b, X64_S32, X64_RCX, x64_mem_base(X64_RDX, 4));
    x64_alu_rm(b, X64_CMP, X64_S32, X64_RCX, cpu_mem(CPU_OFF(jit.jc_gen)));
    size_t miss2 = x64_jcc_rel32(b, X64_CC_NE, 0);
    x64_jmp_m(b, x64_mem_base(X64_RDX, 8));
    patch_here(l, miss1);
    patch_here(l, miss2);
}

/* The jump cache entry of a computed EIP in 'r': its address in RDX. */
static void jc_entry_of(struct lower *l, enum x64_reg r)
{
    struct x64_buf *b = l->b;
    x64_mov_rr(b, X64_S32, X64_RAX, r);
    x64_mov_rr(b, X64_S32, X64_RCX, r);
    x64_shift_ri(b, X64_SHR, X64_S32, X64_RCX, JIT_JC_BITS);
    x64_alu_rr(b, X64_XOR, X64_S32, X64_RAX, X64_RCX);
    x64_alu_ri(b, X64_AND, X64_S32, X64_RAX, JIT_JC_SIZE - 1);
    x64_shift_ri(b, X64_SHL, X64_S32, X64_RAX, 4);
    x64_mov_ri64(b, X64_RDX, (uint64_t)(uintptr_t)l->jc);
    x64_alu_rr(b, X64_ADD, X64_S64, X64_RDX, X64_RAX);
}

/* add icount; patchable JMP (slot) to the exit's stub (exit_stubs). */
static void chainable_exit(struct lower *l, uint32_t target, uint32_t count)
{
    struct x64_buf *b = l->b;
    add_icount(l, count);
    if (l->nexits >= 2) {
        b->err = X64_ERR_LABELS;
        return;
    }
    struct jit_exit *e = &l->blk->exit[l->nexits++];
    size_t field = x64_jmp_rel32(b, 0);
    e->from = l->blk;
    e->target_eip = target;
    e->to = NULL;
    e->next_in = NULL;
    /* Offsets for now: the caller turns them into addresses. */
    e->jmp_field = (uint8_t *)(uintptr_t)field;
}

/* After the body, so that the paths through it stay dense: each chainable
 * exit's stub, where its JMP goes until the exit is chained: EIP = target,
 * on to the jump cache's block for it, else return &exit. */
static void exit_stubs(struct lower *l)
{
    struct x64_buf *b = l->b;
    for (int i = 0; i < l->nexits; i++) {
        struct jit_exit *e = &l->blk->exit[i];
        uint32_t target = e->target_eip;
        patch_here(l, (size_t)(uintptr_t)e->jmp_field);
        e->stub = (uint8_t *)(uintptr_t)b->pos;
        x64_mov_mi(b, X64_S32, cpu_mem(CPU_OFF(eip)), target);
        x64_mov_ri64(b, X64_RDX, (uint64_t)(uintptr_t)&l->jc[jit_jc_index(target)]);
        x64_mov_ri(b, X64_S32, X64_RAX, target);
        jc_probe(l, X64_RAX);
        x64_mov_ri64(b, X64_RAX, (uint64_t)(uintptr_t)e);
        jmp_epilogue(l);
    }
}

/* A branch to the block's shared "leave with RAX = 0" stub (leave_stub). */
static void leave_if(struct lower *l, enum x64_cond cc)
{
    if (l->nleaves >= MAX_LEAVES) {
        l->b->err = X64_ERR_LABELS;
        return;
    }
    l->leave_field[l->nleaves++] = x64_jcc_rel32(l->b, cc, 0);
}

static void leave_stub(struct lower *l)
{
    if (!l->nleaves)
        return;
    for (int i = 0; i < l->nleaves; i++)
        patch_here(l, l->leave_field[i]);
    x64_alu_rr(l->b, X64_XOR, X64_S32, X64_RAX, X64_RAX);
    jmp_epilogue(l);
}

static uint32_t exit_count(const struct lower *l)
{
    return l->uncounted + (l->cur_inline ? 1 : 0);
}

static void lower_exit(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    switch (o->op) {
    case IR_EXIT: chainable_exit(l, o->imm, exit_count(l)); break;
    case IR_EXITC: {
        size_t fall;
        if (l->fused_exitc == l->at) { /* the COND before left its host flags */
            fall = x64_jcc_rel32(b, (enum x64_cond)(l->fused_cc ^ 1), 0);
        } else {
            x64_test_rr(b, X64_S32, R(o->a), R(o->a));
            fall = x64_jcc_rel32(b, X64_CC_E, 0);
        }
        chainable_exit(l, o->imm, exit_count(l));
        patch_here(l, fall);
        chainable_exit(l, o->imm2, exit_count(l));
        break;
    }
    default: /* EXITI */
        add_icount(l, exit_count(l));
        if (o->a != IR_NONE) {
            x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(eip)), R(o->a));
            jc_entry_of(l, R(o->a));
            jc_probe(l, R(o->a));
        }
        x64_alu_rr(b, X64_XOR, X64_S32, X64_RAX, X64_RAX);
        jmp_epilogue(l);
        break;
    }
}

static void lower_helper(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    add_icount(l, l->uncounted);
    l->uncounted = 0;
    x64_mov_mi(b, X64_S32, cpu_mem(CPU_OFF(eip)), l->insn_eip[l->cur]);
    x64_mov_rr(b, X64_S64, X64_RDI, X64_RBP);
    x64_mov_ri64(b, X64_RSI, (uint64_t)(uintptr_t)&l->blk->insn[o->imm2]);
    x64_mov_ri(b, X64_S32, X64_RDX, o->imm);
    x64_mov_ri(b, X64_S32, X64_RCX, o->aux);
    call(l, (const void *)jit_helper_insn);
    x64_test_rr(b, X64_S32, X64_RAX, X64_RAX);
    leave_if(l, X64_CC_NE);
}

/* An x87 instruction: the inline fast path of a register move when it has
 * one (x64_x87.c), else the x87 unit in place: a bail when it could not
 * run; when it stored over translated code, leave at the next EIP. */
static void lower_x87(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    const struct insn *in = &l->blk->insn[o->imm2];
    uint32_t eip = l->insn_eip[l->cur], next = eip + in->len;
    if (!(l->blk->key.mode & KEY_CODE32))
        next &= 0xffff;
    size_t slow[16], done = 0;
    int nslow = 0;
    if (x64_x87_has_fast_path(in)) {
        nslow = x64_x87_fast_path(b, in, eip, slow, 16);
        done = x64_jmp_rel32(b, 0);
        for (int k = 0; k < nslow; k++)
            patch_here(l, slow[k]);
    }
    x64_mov_rr(b, X64_S64, X64_RDI, X64_RBP);
    x64_mov_ri64(b, X64_RSI, (uint64_t)(uintptr_t)in);
    x64_mov_ri(b, X64_S32, X64_RDX, eip);
    call(l, (const void *)jit_x87_insn);
    x64_alu_ri(b, X64_CMP, X64_S32, X64_RAX, JIT_X87_BAIL);
    bail_if(l, X64_CC_E);
    x64_test_rr(b, X64_S32, X64_RAX, X64_RAX);
    size_t go_on = x64_jcc_rel32(b, X64_CC_E, 0);
    add_icount(l, exit_count(l));
    x64_mov_mi(b, X64_S32, cpu_mem(CPU_OFF(eip)), next);
    x64_alu_rr(b, X64_XOR, X64_S32, X64_RAX, X64_RAX);
    jmp_epilogue(l);
    patch_here(l, go_on);
    if (done)
        patch_here(l, done);
}

/* ---- everything else ---- */

static void lower_alu(struct lower *l, const struct ir_op *o, enum x64_alu_op op)
{
    struct x64_buf *b = l->b;
    if (o->d == o->a) {
        x64_alu_rr(b, op, X64_S32, R(o->d), R(o->b));
        return;
    }
    if (o->d != o->b) { /* d = a, then d op= b: a and b survive */
        x64_mov_rr(b, X64_S32, R(o->d), R(o->a));
        x64_alu_rr(b, op, X64_S32, R(o->d), R(o->b));
        return;
    }
    x64_mov_rr(b, X64_S32, X64_RAX, R(o->a));
    x64_alu_rr(b, op, X64_S32, X64_RAX, R(o->b));
    mov_to_temp(l, o->d, X64_RAX);
}

/* A count that is a constant is an immediate; the host masks it as it
 * masks CL, so both forms give the same result. */
static void lower_shift(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    enum x64_size size = (enum x64_size)o->size;
    bool imm = l->is_const[o->b];
    if (!imm)
        x64_mov_rr(b, X64_S32, X64_RCX, R(o->b));
    if (o->op == IR_SAR && size < X64_S32)
        x64_movsx_rr(b, X64_S32, X64_RAX, size, R(o->a));
    else
        x64_mov_rr(b, X64_S32, X64_RAX, R(o->a));
    enum x64_shift_op op = o->op == IR_ROL   ? X64_ROL
                           : o->op == IR_ROR ? X64_ROR
                           : o->op == IR_SHL ? X64_SHL
                           : o->op == IR_SHR ? X64_SHR
                                             : X64_SAR;
    /* Rotates work within the operand's own width; shifts on 32 bits. */
    enum x64_size width = o->op == IR_ROL || o->op == IR_ROR ? size : X64_S32;
    if (imm)
        x64_shift_ri(b, op, width, X64_RAX, (uint8_t)(l->const_val[o->b] & 0xff));
    else
        x64_shift_rcl(b, op, width, X64_RAX);
    if (size < X64_S32)
        x64_movzx_rr(b, X64_S32, X64_RAX, size, X64_RAX);
    mov_to_temp(l, o->d, X64_RAX);
}

/* Signed product at the op's size, and the MUL lazy record (res = the low
 * 32 bits of the product, as the interpreter records it). */
static void lower_imul(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    enum x64_size size = (enum x64_size)o->size;
    if (size == X64_S32) {
        x64_movsx_rr(b, X64_S64, X64_RAX, X64_S32, R(o->a));
        x64_movsx_rr(b, X64_S64, X64_RCX, X64_S32, R(o->b));
        x64_imul_rr(b, X64_S64, X64_RAX, X64_RCX);
        x64_movsx_rr(b, X64_S64, X64_RCX, X64_S32, X64_RAX);
        x64_alu_rr(b, X64_CMP, X64_S64, X64_RCX, X64_RAX);
    } else {
        x64_movsx_rr(b, X64_S32, X64_RAX, size, R(o->a));
        x64_movsx_rr(b, X64_S32, X64_RCX, size, R(o->b));
        x64_imul_rr(b, X64_S32, X64_RAX, X64_RCX);
        x64_movsx_rr(b, X64_S32, X64_RCX, size, X64_RAX);
        x64_alu_rr(b, X64_CMP, X64_S32, X64_RCX, X64_RAX);
    }
    x64_setcc_m(b, X64_CC_NE, cpu_mem(CPU_OFF(lf_src)));
    x64_mov_mi(b, X64_S8, cpu_mem(CPU_OFF(lf_src) + 1), 0);
    x64_mov_mi(b, X64_S16, cpu_mem(CPU_OFF(lf_src) + 2), 0);
    x64_mov_mi(b, X64_S16, cpu_mem(CPU_OFF(lf_op)), LF_MUL | o->size << 8);
    x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(lf_dst)), X64_RAX);
    x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(lf_res)), X64_RAX);
    if (size < X64_S32)
        x64_movzx_rr(b, X64_S32, X64_RAX, size, X64_RAX);
    mov_to_temp(l, o->d, X64_RAX);
}

/* EDX:EAX = EAX * a, and the MUL record: res = dst = the low half, src = 1
 * when the high half is not zero (as the interpreter's mul_flags). */
static void lower_mulu(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    x64_mov_rm(b, X64_S32, X64_RAX, guest_reg_mem(R_EAX, 4));
    x64_unary_r(b, X64_MUL, X64_S32, R(o->a));
    x64_mov_mr(b, X64_S32, guest_reg_mem(R_EAX, 4), X64_RAX);
    x64_mov_mr(b, X64_S32, guest_reg_mem(R_EDX, 4), X64_RDX);
    x64_mov_mi(b, X64_S16, cpu_mem(CPU_OFF(lf_op)), LF_MUL | 4 << 8);
    x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(lf_dst)), X64_RAX);
    x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(lf_res)), X64_RAX);
    x64_test_rr(b, X64_S32, X64_RDX, X64_RDX);
    x64_setcc_r(b, X64_CC_NE, X64_RCX);
    x64_movzx_rr(b, X64_S32, X64_RCX, X64_S8, X64_RCX);
    x64_mov_mr(b, X64_S32, cpu_mem(CPU_OFF(lf_src)), X64_RCX);
}

/* DIV/IDIV r/m32: every case the hardware faults on, and the signed corner
 * cases, bail to the interpreter before any register is written. Flags are
 * left alone, as the interpreter leaves them. */
static void lower_div(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    x64_mov_rm(b, X64_S32, X64_RAX, guest_reg_mem(R_EAX, 4));
    x64_mov_rm(b, X64_S32, X64_RDX, guest_reg_mem(R_EDX, 4));
    if (o->op == IR_DIVU) {
        x64_test_rr(b, X64_S32, R(o->a), R(o->a));
        bail_if(l, X64_CC_E);
        x64_alu_rr(b, X64_CMP, X64_S32, X64_RDX, R(o->a));
        bail_if(l, X64_CC_AE); /* the quotient would not fit in 32 bits */
        x64_unary_r(b, X64_DIV, X64_S32, R(o->a));
    } else {
        x64_movsx_rr(b, X64_S64, X64_RCX, X64_S32, R(o->a));
        x64_lea(b, X64_S64, X64_RSI, x64_mem_base(X64_RCX, 1));
        x64_alu_ri(b, X64_CMP, X64_S64, X64_RSI, 1);
        bail_if(l, X64_CC_BE); /* divisor 0 or -1 */
        x64_shift_ri(b, X64_SHL, X64_S64, X64_RDX, 32);
        x64_alu_rr(b, X64_OR, X64_S64, X64_RAX, X64_RDX);
        x64_cqo(b);
        x64_unary_r(b, X64_IDIV, X64_S64, X64_RCX);
        x64_movsx_rr(b, X64_S64, X64_RSI, X64_S32, X64_RAX);
        x64_alu_rr(b, X64_CMP, X64_S64, X64_RSI, X64_RAX);
        bail_if(l, X64_CC_NE); /* the quotient does not fit in 32 bits */
        x64_alu_ri(b, X64_CMP, X64_S32, X64_RAX, (int32_t)0x80000000u);
        bail_if(l, X64_CC_E); /* -2^31: the model decides (idiv_min_faults) */
    }
    x64_mov_mr(b, X64_S32, guest_reg_mem(R_EAX, 4), X64_RAX);
    x64_mov_mr(b, X64_S32, guest_reg_mem(R_EDX, 4), X64_RDX);
}

static void lower_addr(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    if (o->a == IR_NONE && o->b == IR_NONE) {
        x64_mov_ri(b, X64_S32, R(o->d), o->size == 2 ? o->imm & 0xffff : o->imm);
        return;
    }
    struct x64_mem m;
    if (o->a == IR_NONE)
        m = x64_mem_index(R(o->b), 1 << o->aux, (int32_t)o->imm);
    else if (o->b == IR_NONE)
        m = x64_mem_base(R(o->a), (int32_t)o->imm);
    else
        m = x64_mem_sib(R(o->a), R(o->b), 1 << o->aux, (int32_t)o->imm);
    if (o->size == 4 && o->b == IR_NONE && o->imm == 0) { /* the base alone */
        if (o->d != o->a)
            x64_mov_rr(b, X64_S32, R(o->d), R(o->a));
        return;
    }
    x64_lea(b, X64_S32, R(o->d), m);
    if (o->size == 2)
        x64_movzx_rr(b, X64_S32, R(o->d), X64_S16, R(o->d));
}

/* No temporary holds guest register 'reg' any more. */
static void forget_reg(struct lower *l, int reg)
{
    for (int t = 0; t < IR_TEMPS; t++)
        if (l->mirror[t] == reg)
            l->mirror[t] = -1;
}

static void lower_getr(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    if (o->size != 4) {
        x64_movzx_rm(b, X64_S32, R(o->d), (enum x64_size)o->size, guest_reg_mem(o->aux, o->size));
        l->mirror[o->d] = -1;
        l->gen[o->d]++;
        return;
    }
    int from = -1;
    for (int t = 0; t < IR_TEMPS && from < 0; t++)
        if (l->mirror[t] == o->aux)
            from = t;
    if (from < 0)
        x64_mov_rm(b, X64_S32, R(o->d), guest_reg_mem(o->aux, 4));
    else if (from != o->d)
        x64_mov_rr(b, X64_S32, R(o->d), R(from));
    if (from != o->d)
        l->gen[o->d]++;
    l->mirror[o->d] = (int8_t)o->aux;
}

static void lower_setr(struct lower *l, const struct ir_op *o)
{
    x64_mov_mr(l->b, (enum x64_size)o->size, guest_reg_mem(o->aux, o->size), R(o->a));
    forget_reg(l, o->size == 1 && o->aux >= 4 ? o->aux - 4 : o->aux);
    if (o->size == 4)
        l->mirror[o->a] = (int8_t)o->aux;
}

/* The index of the first live op after the one in hand, or -1. */
static int next_live(const struct lower *l)
{
    for (int i = l->at + 1; i < l->ir->n; i++)
        if (!l->ir->op[i].dead)
            return i;
    return -1;
}

/* COND: its host flags, then 0/1 in its temporary - unless the next op is
 * the EXITC that consumes it, which then branches on the flags. */
static void lower_cond(struct lower *l, const struct ir_op *o)
{
    enum x64_cond cc = x64_cond_flags(l, o);
    int next = next_live(l);
    if (next >= 0 && l->ir->op[next].op == IR_EXITC && l->ir->op[next].a == o->d) {
        l->fused_exitc = next;
        l->fused_cc = cc;
        return;
    }
    x64_setcc_r(l->b, cc, X64_RAX);
    x64_movzx_rr(l->b, X64_S32, R(o->d), X64_S8, X64_RAX);
}

/* Which flags-producing op's operands are still in registers (see
 * struct lower's last_lazy), across 'o'. */
static void track_lazy(struct lower *l, const struct ir_op *o)
{
    switch ((enum ir_opcode)o->op) {
    case IR_LAZY:
        l->last_lazy.valid = true;
        l->last_lazy.lazy = (uint32_t)o->aux << 8 | o->size;
        l->last_lazy.a = o->a;
        l->last_lazy.b = o->b;
        l->last_lazy.d = o->d;
        l->last_lazy.gen_a = l->gen[o->a];
        l->last_lazy.gen_b = l->gen[o->b];
        l->last_lazy.gen_d = l->gen[o->d];
        break;
    case IR_LAZYNZ:
    case IR_ROTF:
    case IR_SETCF:
    case IR_IMUL:
    case IR_MULU:
    case IR_DIVU:
    case IR_DIVS:
    case IR_HELPER:
    case IR_X87: l->last_lazy.valid = false; break;
    default: break;
    }
}

/* Keep l->mirror true across 'o': the temporary it defines, and guest
 * registers it writes behind the IR's back. */
static void mirror_before(struct lower *l, const struct ir_op *o)
{
    /* Every op but these defines its 'd' (LAZY only reads it). */
    if (o->d < IR_TEMPS && o->op != IR_LAZY && o->op != IR_LAZYNZ && o->op != IR_SETR) {
        l->is_const[o->d] = false; /* IR_CONST sets it again */
        if (o->op != IR_GETR)      /* GETR counts its own: a copy of itself is no new value */
            l->gen[o->d]++;
    }
    switch ((enum ir_opcode)o->op) {
    case IR_GETR:
    case IR_SETR:
    case IR_LAZY:
    case IR_LAZYNZ: return; /* lower_getr/setr keep it; LAZY reads its 'd' */
    case IR_MULU:
    case IR_DIVU:
    case IR_DIVS:
        forget_reg(l, R_EAX);
        forget_reg(l, R_EDX);
        break;
    case IR_HELPER:
    case IR_X87:
        for (int t = 0; t < IR_TEMPS; t++)
            l->mirror[t] = -1;
        break;
    default: break;
    }
    if (o->d < IR_TEMPS)
        l->mirror[o->d] = -1;
}

static void lower_op(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    if (o->op == IR_COND) /* reads the flags' operands before its own result replaces one */
        lower_cond(l, o);
    mirror_before(l, o);
    track_lazy(l, o);
    switch ((enum ir_opcode)o->op) {
    case IR_INSN:
        if (l->cur >= 0 && l->cur_inline)
            l->uncounted++;
        l->cur = (int)o->imm2;
        l->cur_inline = !o->aux;
        l->insn_eip[l->cur] = o->imm;
        l->insn_uncounted[l->cur] = l->uncounted;
        break;
    case IR_CONST:
        x64_mov_ri(b, X64_S32, R(o->d), o->imm);
        l->is_const[o->d] = true;
        l->const_val[o->d] = o->imm;
        break;
    case IR_GETR: lower_getr(l, o); break;
    case IR_SETR: lower_setr(l, o); break;
    case IR_ADD: lower_alu(l, o, X64_ADD); break;
    case IR_SUB: lower_alu(l, o, X64_SUB); break;
    case IR_AND: lower_alu(l, o, X64_AND); break;
    case IR_OR: lower_alu(l, o, X64_OR); break;
    case IR_XOR: lower_alu(l, o, X64_XOR); break;
    case IR_SHL:
    case IR_SHR:
    case IR_SAR:
    case IR_ROL:
    case IR_ROR: lower_shift(l, o); break;
    case IR_ROTF:
        x64_mov_rr(b, X64_S64, X64_RDI, X64_RBP);
        x64_mov_rr(b, X64_S32, X64_RSI, R(o->a));
        x64_mov_ri(b, X64_S32, X64_RDX, o->aux | o->size << 8);
        call(l, (const void *)jit_rotate_flags);
        break;
    case IR_IMUL: lower_imul(l, o); break;
    case IR_MULU: lower_mulu(l, o); break;
    case IR_DIVU:
    case IR_DIVS: lower_div(l, o); break;
    case IR_LAZYNZ: {
        x64_test_rr(b, X64_S32, R(o->b), R(o->b));
        size_t skip = x64_jcc_rel32(b, X64_CC_E, 0);
        lower_lazy(l, o);
        patch_here(l, skip);
        break;
    }
    case IR_MASK:
        if (o->size == 4 && o->d == o->a)
            break; /* temporaries are 32-bit already */
        if (o->size == 4)
            x64_mov_rr(b, X64_S32, R(o->d), R(o->a));
        else
            x64_movzx_rr(b, X64_S32, R(o->d), (enum x64_size)o->size, R(o->a));
        break;
    case IR_SEXT:
        x64_movsx_rr(b, X64_S32, X64_RAX, (enum x64_size)o->aux, R(o->a));
        if (o->size == 2)
            x64_movzx_rr(b, X64_S32, X64_RAX, X64_S16, X64_RAX);
        mov_to_temp(l, o->d, X64_RAX);
        break;
    case IR_ADDR: lower_addr(l, o); break;
    case IR_LIN: x64_lower_lin(l, o); break;
    case IR_LOAD: x64_lower_load(l, o); break;
    case IR_STORE: x64_lower_store(l, o); break;
    case IR_LAZY: lower_lazy(l, o); break;
    case IR_COND: break; /* done above */
    case IR_SETCF:
        x64_alu_mi(b, X64_AND, X64_S32, cpu_mem(CPU_OFF(eflags)), ~(int32_t)FL_CF);
        x64_alu_mr(b, X64_OR, X64_S32, cpu_mem(CPU_OFF(eflags)), R(o->a));
        break;
    case IR_SELECT:
        x64_test_rr(b, X64_S32, R(o->a), R(o->a));
        x64_cmov_rr(b, X64_CC_NE, X64_S32, R(o->d), R(o->b));
        break;
    case IR_CHKCS:
        x64_alu_rm(b, X64_CMP, X64_S32, R(o->a), cpu_mem(SEG_OFF(SEG_CS, limit)));
        bail_if(l, X64_CC_A);
        break;
    case IR_HELPER: lower_helper(l, o); break;
    case IR_X87: lower_x87(l, o); break;
    case IR_EXIT:
    case IR_EXITC:
    case IR_EXITI: lower_exit(l, o); break;
    case IR_OPCODE_COUNT: break;
    }
}

/* Block entry: leave before doing anything when the whole block does not
 * fit in the instruction budget (the dispatcher then runs the rest of the
 * budget one instruction at a time, so a run stops at exactly the count it
 * was given: deterministic time and record/replay depend on it) or an
 * interrupt can be taken. */
static void entry_checks(struct lower *l)
{
    struct x64_buf *b = l->b;
    x64_mov_rm(b, X64_S64, X64_RAX, cpu_mem(CPU_OFF(icount)));
    x64_alu_ri(b, X64_ADD, X64_S64, X64_RAX, l->blk->ninsn);
    x64_alu_rm(b, X64_CMP, X64_S64, X64_RAX, cpu_mem(CPU_OFF(jit.budget_end)));
    l->entry_exit_field[0] = x64_jcc_rel32(b, X64_CC_A, 0);
    x64_mov_rm(b, X64_S64, X64_RAX, cpu_mem(CPU_OFF(jit.intr_line)));
    x64_alu_mi(b, X64_CMP, X64_S32, x64_mem_base(X64_RAX, 0), 0);
    l->entry_exit_field[1] = x64_jcc_rel32(b, X64_CC_NE, 0);
}

static void entry_stubs(struct lower *l, size_t body)
{
    struct x64_buf *b = l->b;
    /* Interrupt line up: leave only when IF lets it in. */
    patch_here(l, l->entry_exit_field[1]);
    x64_test_mi(b, X64_S32, cpu_mem(CPU_OFF(eflags)), FL_IF);
    size_t back = x64_jcc_rel32(b, X64_CC_E, 0);
    x64_patch_rel(b, back, X64_REL32, body);
    patch_here(l, l->entry_exit_field[0]);
    x64_mov_mi(b, X64_S32, cpu_mem(CPU_OFF(eip)), l->blk->key.eip);
    x64_alu_rr(b, X64_XOR, X64_S32, X64_RAX, X64_RAX);
    jmp_epilogue(l);
}

static void bail_stubs(struct lower *l)
{
    struct x64_buf *b = l->b;
    size_t stub_of[JIT_MAX_INSNS];
    for (int i = 0; i < JIT_MAX_INSNS; i++)
        stub_of[i] = 0;
    for (int i = 0; i < l->nbails; i++) {
        int n = l->bail_insn[i];
        if (!stub_of[n]) {
            stub_of[n] = b->pos;
            x64_mov_mi(b, X64_S32, cpu_mem(CPU_OFF(eip)), l->insn_eip[n]);
            add_icount(l, l->insn_uncounted[n]);
            x64_mov_ri(b, X64_S32, X64_RAX, JIT_RET_BAIL);
            jmp_epilogue(l);
        }
        x64_patch_rel(b, l->bail_field[i], X64_REL32, stub_of[n]);
    }
}

bool x64_backend_lower(struct x64_buf *b, const struct ir_block *ir, struct jit_block *blk,
                       uint64_t epilogue, struct jit_jc_entry *jc)
{
    static struct lower l; /* large; one translation at a time */
    l = (struct lower){.b = b, .blk = blk, .epilogue = epilogue, .jc = jc, .cur = -1, .ir = ir,
                       .fused_exitc = -1};
    for (int t = 0; t < IR_TEMPS; t++)
        l.mirror[t] = -1;
    entry_checks(&l);
    size_t body = b->pos;
    for (int i = 0; i < ir->n && b->err == X64_OK; i++) {
        l.at = i;
        if (!ir->op[i].dead)
            lower_op(&l, &ir->op[i]);
    }
    entry_stubs(&l, body);
    exit_stubs(&l);
    leave_stub(&l);
    x64_slow_paths(&l);
    bail_stubs(&l);
    for (int i = l.nexits; i < 2; i++)
        blk->exit[i] = (struct jit_exit){0};
    return x64_buf_finish(b) == X64_OK;
}

bool x64_backend_emit_glue(struct x64_buf *b, uint64_t *enter, uint64_t *epilogue)
{
    static const enum x64_reg saved[] = {X64_RBP, X64_RBX, X64_R12, X64_R13, X64_R14, X64_R15};
    *enter = x64_here(b);
    for (int i = 0; i < 6; i++)
        x64_push_r(b, X64_S64, saved[i]);
    x64_alu_ri(b, X64_SUB, X64_S64, X64_RSP, 8); /* 16-byte alignment at calls */
    x64_mov_rr(b, X64_S64, X64_RBP, X64_RDI);
    x64_jmp_r(b, X64_RSI);
    x64_align(b, 16);
    *epilogue = x64_here(b);
    x64_alu_ri(b, X64_ADD, X64_S64, X64_RSP, 8);
    for (int i = 5; i >= 0; i--)
        x64_pop_r(b, X64_S64, saved[i]);
    x64_ret(b);
    return x64_buf_finish(b) == X64_OK;
}
