/* SPDX-License-Identifier: MIT */
/*
 * The host flags of IR COND (see x64_lower.h): guest condition codes from the
 * lazy flags record, with host flags set by one compare when the producing
 * operation is known at translation time, and run-time tests of the record
 * (flags_cond() for the rest) when it is not. Owns no state.
 */
#include "jit/x64_lower.h"

#include "cpu/flags.h"

/* Are the last LAZY's temporaries still holding its operands? */
static bool lazy_in_regs(const struct lower *l, uint32_t known)
{
    return l->last_lazy.valid && l->last_lazy.lazy == known &&
           l->gen[l->last_lazy.a] == l->last_lazy.gen_a &&
           l->gen[l->last_lazy.b] == l->last_lazy.gen_b &&
           l->gen[l->last_lazy.d] == l->last_lazy.gen_d;
}

/* Host flags equal to the guest's for condition 'cc' after the known lazy
 * operation; false when the generic path must be used. */
static bool known_cond_flags(struct lower *l, int cc, uint32_t known)
{
    struct x64_buf *b = l->b;
    int op = (int)(known >> 8), size = (int)(known & 0xff);
    int kind = (cc >> 1) & 7; /* O B Z BE S P L LE */
    if (kind == 5 || !known)
        return false;
    bool regs = lazy_in_regs(l, known);
    bool result_only = kind == 2 || kind == 4; /* ZF or SF: the result alone decides */
    if (op == LF_LOGIC || (op != LF_NONE && op != LF_SUB && op != LF_ADD && result_only) ||
        (op == LF_SUB && size < 4 && kind == 4)) {
        /* SF and ZF of the result at its size; CF = OF = 0 (logic only). */
        if (regs && size == 4) {
            x64_test_rr(b, X64_S32, R(l->last_lazy.d), R(l->last_lazy.d));
            return true;
        }
        x64_mov_rm(b, X64_S32, X64_RAX, cpu_mem(CPU_OFF(lf_res)));
        if (size < 4)
            x64_shift_ri(b, X64_SHL, X64_S32, X64_RAX, (uint8_t)(32 - 8 * size));
        x64_test_rr(b, X64_S32, X64_RAX, X64_RAX);
        return true;
    }
    if (op == LF_SUB) {
        if (size == 4 && regs) {
            x64_alu_rr(b, X64_CMP, X64_S32, R(l->last_lazy.a), R(l->last_lazy.b));
            return true;
        }
        if (size == 4) {
            x64_mov_rm(b, X64_S32, X64_RAX, cpu_mem(CPU_OFF(lf_dst)));
            x64_alu_rm(b, X64_CMP, X64_S32, X64_RAX, cpu_mem(CPU_OFF(lf_src)));
            return true;
        }
        if (kind == 0)
            return false;
        bool is_signed = kind >= 6;
        if (is_signed) {
            x64_movsx_rm(b, X64_S32, X64_RAX, (enum x64_size)size, cpu_mem(CPU_OFF(lf_dst)));
            x64_movsx_rm(b, X64_S32, X64_RCX, (enum x64_size)size, cpu_mem(CPU_OFF(lf_src)));
        } else {
            x64_movzx_rm(b, X64_S32, X64_RAX, (enum x64_size)size, cpu_mem(CPU_OFF(lf_dst)));
            x64_movzx_rm(b, X64_S32, X64_RCX, (enum x64_size)size, cpu_mem(CPU_OFF(lf_src)));
        }
        x64_alu_rr(b, X64_CMP, X64_S32, X64_RAX, X64_RCX);
        return true;
    }
    if (op == LF_ADD && size == 4) {
        if (regs) {
            x64_mov_rr(b, X64_S32, X64_RAX, R(l->last_lazy.a));
            x64_alu_rr(b, X64_ADD, X64_S32, X64_RAX, R(l->last_lazy.b));
        } else {
            x64_mov_rm(b, X64_S32, X64_RAX, cpu_mem(CPU_OFF(lf_dst)));
            x64_alu_rm(b, X64_ADD, X64_S32, X64_RAX, cpu_mem(CPU_OFF(lf_src)));
        }
        return true;
    }
    return false;
}

_Static_assert(offsetof(struct cpu, lf_size) == offsetof(struct cpu, lf_op) + 1,
               "the lazy op and size are read as one 16-bit word");

/* Host ZF and SF (CF = OF = 0) of lf_res at the run-time lf_size. */
static void test_lazy_result(struct lower *l)
{
    struct x64_buf *b = l->b;
    x64_movzx_rm(b, X64_S32, X64_RCX, X64_S8, cpu_mem(CPU_OFF(lf_size)));
    x64_shift_ri(b, X64_SHL, X64_S32, X64_RCX, 3);
    x64_unary_r(b, X64_NEG, X64_S32, X64_RCX);
    x64_alu_ri(b, X64_ADD, X64_S32, X64_RCX, 32);
    x64_mov_rm(b, X64_S32, X64_RAX, cpu_mem(CPU_OFF(lf_res)));
    x64_shift_rcl(b, X64_SHL, X64_S32, X64_RAX);
    x64_test_rr(b, X64_S32, X64_RAX, X64_RAX);
}

/*
 * Condition 'cc' into AL when the operation that set the flags is not known
 * at translation time (the block starts with it, or a helper ran before):
 * the lazy record is tested at run time for the common producers - any
 * operation for ZF/SF, 32-bit SUB/CMP and ADD, and logic at any size for
 * the others - and flags_cond() computes the rest.
 */
static void runtime_cond(struct lower *l, int cc)
{
    struct x64_buf *b = l->b;
    int kind = (cc >> 1) & 7; /* O B Z BE S P L LE */
    size_t to_call[3], to_done[3];
    int ncall = 0, ndone = 0;
    if (kind != 5) {
        x64_movzx_rm(b, X64_S32, X64_RAX, X64_S16, cpu_mem(CPU_OFF(lf_op)));
        if (kind == 2 || kind == 4) {
            x64_test_rr(b, X64_S8, X64_RAX, X64_RAX);
            to_call[ncall++] = x64_jcc_rel32(b, X64_CC_E, 0); /* LF_NONE: flags in eflags */
        } else {
            static const enum x64_alu_op host_op[2] = {X64_CMP, X64_ADD};
            static const uint32_t lazy_op[2] = {LF_SUB | 4u << 8, LF_ADD | 4u << 8};
            for (int k = 0; k < 2; k++) {
                x64_alu_ri(b, X64_CMP, X64_S32, X64_RAX, (int32_t)lazy_op[k]);
                size_t next = x64_jcc_rel32(b, X64_CC_NE, 0);
                x64_mov_rm(b, X64_S32, X64_RAX, cpu_mem(CPU_OFF(lf_dst)));
                x64_alu_rm(b, host_op[k], X64_S32, X64_RAX, cpu_mem(CPU_OFF(lf_src)));
                x64_setcc_r(b, (enum x64_cond)cc, X64_RAX);
                to_done[ndone++] = x64_jmp_rel32(b, 0);
                patch_here(l, next);
            }
            x64_alu_ri(b, X64_CMP, X64_S8, X64_RAX, LF_LOGIC);
            to_call[ncall++] = x64_jcc_rel32(b, X64_CC_NE, 0);
        }
        test_lazy_result(l);
        x64_setcc_r(b, (enum x64_cond)cc, X64_RAX);
        to_done[ndone++] = x64_jmp_rel32(b, 0);
    }
    for (int k = 0; k < ncall; k++)
        patch_here(l, to_call[k]);
    x64_mov_rr(b, X64_S64, X64_RDI, X64_RBP);
    x64_mov_ri(b, X64_S32, X64_RSI, cc);
    call(l, (const void *)flags_cond);
    for (int k = 0; k < ndone; k++)
        patch_here(l, to_done[k]);
}

enum x64_cond x64_cond_flags(struct lower *l, const struct ir_op *o)
{
    if (known_cond_flags(l, o->aux, o->imm))
        return (enum x64_cond)o->aux;
    runtime_cond(l, o->aux);
    x64_test_rr(l->b, X64_S8, X64_RAX, X64_RAX);
    return X64_CC_NE;
}
