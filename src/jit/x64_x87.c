/* SPDX-License-Identifier: MIT */
/*
 * Inline host code for the commonest x87 register forms (see x64_x87.h):
 * FLD ST(i), FXCH ST(i), FST/FSTP ST(i), and FADD/FMUL/FSUB(R)/FDIV(R)
 * between ST(0) and ST(i) with or without pop. They do on struct fpu
 * exactly what the x87 unit's own code does (ops_x87_ldst.c,
 * ops_x87_arith.c with the fast kernel of fpu_host.c) when nothing can go
 * wrong: CR0.EM/TS clear, no exception pending, the registers read full and
 * the one a push lands in empty, and for arithmetic every exception masked
 * and the host's exception flags a subset of the guest's. Every other case
 * - stack faults, #NM, #MF - branches to the caller's slow path, the x87
 * unit itself. Tags are derived from the contents as fpu_write does. Owns
 * no state; knows the layout of struct fpu and nothing of the IR.
 * Spec: Intel SDM Vol. 2A FLD, FXCH, FST/FSTP, FADD ... FDIVR; Vol. 1 8.1.
 */
#include "jit/x64_x87.h"

#include <stddef.h>

#include "cpu/fpu.h"

#define CPU_OFF(field) ((int32_t)offsetof(struct cpu, field))
#define FPU_REG0       CPU_OFF(fpu.reg)

_Static_assert(sizeof(struct fpu_reg) == 16, "x87 registers are 16 bytes apart");

static struct x64_mem cpu_mem(int32_t off)
{
    return x64_mem_base(X64_RBP, off);
}

/* 'dst' = tag of physical register 'phys' from the tag word in R9. Uses RCX. */
static void tag_of(struct x64_buf *b, enum x64_reg dst, enum x64_reg phys)
{
    x64_lea(b, X64_S32, X64_RCX, x64_mem_sib(phys, phys, 1, 0));
    x64_mov_rr(b, X64_S32, dst, X64_R9);
    x64_shift_rcl(b, X64_SHR, X64_S32, dst);
    x64_alu_ri(b, X64_AND, X64_S32, dst, 3);
}

/* The branches to the slow path, patched by the caller. */
struct slow {
    size_t *field;
    int n, max;
};

static void to_slow(struct x64_buf *b, enum x64_cond cc, struct slow *s)
{
    size_t f = x64_jcc_rel32(b, cc, 0);
    if (s->n < s->max)
        s->field[s->n++] = f;
    else
        b->err = X64_ERR_LABELS;
}

/* Branch to the slow path unless physical register 'phys' is full (or, with
 * 'empty', unless it is empty). Uses RCX and RSI. */
static void need_tag(struct x64_buf *b, enum x64_reg phys, bool empty, struct slow *slow)
{
    tag_of(b, X64_RSI, phys);
    x64_alu_ri(b, X64_CMP, X64_S32, X64_RSI, FPU_TAG_EMPTY);
    to_slow(b, empty ? X64_CC_NE : X64_CC_E, slow);
}

static void patch_here(struct x64_buf *b, size_t field)
{
    x64_patch_rel(b, field, X64_REL32, b->pos);
}

/* RDX = address of physical register 'phys'. */
static void reg_addr(struct x64_buf *b, enum x64_reg phys)
{
    x64_mov_rr(b, X64_S32, X64_RDX, phys);
    x64_shift_ri(b, X64_SHL, X64_S32, X64_RDX, 4);
    x64_lea(b, X64_S64, X64_RDX, x64_mem_sib(X64_RBP, X64_RDX, 1, FPU_REG0));
}

/* Copy physical register 'from' to 'to' and give 'to' the tag its new
 * contents imply (fpu_tag_of): ZERO, SPECIAL (denormal, infinity, NaN,
 * unnormal) or VALID. Uses RAX, RCX, RDX, RSI, RDI, R11. */
static void copy_reg(struct x64_buf *b, enum x64_reg from, enum x64_reg to)
{
    reg_addr(b, from);
    x64_mov_rr(b, X64_S64, X64_R11, X64_RDX);
    reg_addr(b, to);
    x64_mov_rm(b, X64_S64, X64_RSI, x64_mem_base(X64_R11, 0));
    x64_mov_mr(b, X64_S64, x64_mem_base(X64_RDX, 0), X64_RSI);
    x64_movzx_rm(b, X64_S32, X64_RAX, X64_S16, x64_mem_base(X64_R11, 8));
    x64_mov_mr(b, X64_S16, x64_mem_base(X64_RDX, 8), X64_RAX);
    /* The tag, into RDI. */
    x64_mov_ri(b, X64_S32, X64_RDI, FPU_TAG_SPECIAL);
    x64_alu_ri(b, X64_AND, X64_S32, X64_RAX, 0x7fff);
    size_t nonzero_exp = x64_jcc_rel32(b, X64_CC_NE, 0);
    x64_test_rr(b, X64_S64, X64_RSI, X64_RSI);
    size_t denormal = x64_jcc_rel32(b, X64_CC_NE, 0);
    x64_mov_ri(b, X64_S32, X64_RDI, FPU_TAG_ZERO);
    size_t zero = x64_jmp_rel32(b, 0);
    patch_here(b, nonzero_exp);
    x64_alu_ri(b, X64_CMP, X64_S32, X64_RAX, 0x7fff);
    size_t inf_nan = x64_jcc_rel32(b, X64_CC_E, 0);
    x64_test_rr(b, X64_S64, X64_RSI, X64_RSI);
    size_t unnormal = x64_jcc_rel32(b, X64_CC_NS, 0); /* integer bit clear */
    x64_mov_ri(b, X64_S32, X64_RDI, FPU_TAG_VALID);
    patch_here(b, denormal);
    patch_here(b, zero);
    patch_here(b, inf_nan);
    patch_here(b, unnormal);
    /* R9 (the tag word) gets it at 'to'. */
    x64_lea(b, X64_S32, X64_RCX, x64_mem_sib(to, to, 1, 0));
    x64_mov_ri(b, X64_S32, X64_RAX, 3);
    x64_shift_rcl(b, X64_SHL, X64_S32, X64_RAX);
    x64_unary_r(b, X64_NOT, X64_S32, X64_RAX);
    x64_alu_rr(b, X64_AND, X64_S32, X64_R9, X64_RAX);
    x64_shift_rcl(b, X64_SHL, X64_S32, X64_RDI);
    x64_alu_rr(b, X64_OR, X64_S32, X64_R9, X64_RDI);
}

/* Tag physical register 'phys' empty in R9. Uses RAX, RCX. */
static void set_empty(struct x64_buf *b, enum x64_reg phys)
{
    x64_lea(b, X64_S32, X64_RCX, x64_mem_sib(phys, phys, 1, 0));
    x64_mov_ri(b, X64_S32, X64_RAX, FPU_TAG_EMPTY);
    x64_shift_rcl(b, X64_SHL, X64_S32, X64_RAX);
    x64_alu_rr(b, X64_OR, X64_S32, X64_R9, X64_RAX);
}

/* R10 = physical register of ST(i) for TOP in R8. */
static void phys_of(struct x64_buf *b, int i)
{
    x64_lea(b, X64_S32, X64_R10, x64_mem_base(X64_R8, i));
    x64_alu_ri(b, X64_AND, X64_S32, X64_R10, 7);
}

/* The host forms (fpu.h) of the arithmetic, by ModRM reg: D8 computes into
 * the host's ST(0) (guest ST(0)), DC and DE into its ST(1) (guest ST(i);
 * there reg 4/5 and 6/7 name SUBR/SUB and DIVR/DIV). COM/COMP: none. */
static const uint8_t arith_st0[8][2] = {{0xd8, 0xc1}, {0xd8, 0xc9}, {0}, {0},
                                        {0xd8, 0xe1}, {0xd8, 0xe9}, {0xd8, 0xf1}, {0xd8, 0xf9}};
static const uint8_t arith_sti[8][2] = {{0xdc, 0xc1}, {0xdc, 0xc9}, {0}, {0},
                                        {0xdc, 0xe1}, {0xdc, 0xe9}, {0xdc, 0xf1}, {0xdc, 0xf9}};

/* ST(0) op ST(i) on the host's x87 under the guest's control word (every
 * exception masked, checked here), as fpu_host_run_fast does it: R8 holds
 * ST(0)'s register, R10 ST(i)'s, R9 the tag word. The result goes to ST(0)
 * (D8) or ST(i) (DC, DE) and is re-tagged; C1 and the exception flags go
 * to the guest's status word. */
static void arith(struct x64_buf *b, const struct insn *in, struct slow *slow)
{
    static const uint8_t fldt_rdx[2] = {0xdb, 0x2a}, fstpt_rdx[2] = {0xdb, 0x3a};
    static const uint8_t fnstsw_ax[2] = {0xdf, 0xe0}, fstp_st0[2] = {0xdd, 0xd8};
    bool to_st0 = in->opcode == 0xd8;
    const uint8_t *op = to_st0 ? arith_st0[in->reg] : arith_sti[in->reg];
    x64_movzx_rm(b, X64_S32, X64_RAX, X64_S16, cpu_mem(CPU_OFF(fpu.cw)));
    x64_alu_ri(b, X64_AND, X64_S32, X64_RAX, FPU_SW_EXC);
    x64_alu_ri(b, X64_CMP, X64_S32, X64_RAX, FPU_SW_EXC);
    to_slow(b, X64_CC_NE, slow); /* an exception could be unmasked */
    need_tag(b, X64_R8, false, slow);
    need_tag(b, X64_R10, false, slow);
    /* Host flags the guest does not have: the x87 unit clears them first. */
    x64_bytes(b, fnstsw_ax, 2);
    x64_movzx_rm(b, X64_S32, X64_RCX, X64_S16, cpu_mem(CPU_OFF(fpu.sw)));
    x64_unary_r(b, X64_NOT, X64_S32, X64_RCX);
    x64_alu_rr(b, X64_AND, X64_S32, X64_RAX, X64_RCX);
    x64_test_ri(b, X64_S32, X64_RAX, FPU_SW_EXC);
    to_slow(b, X64_CC_NE, slow);
    /* Push ST(i), then ST(0): the host's ST(0) and ST(1) are the guest's. */
    reg_addr(b, X64_R10);
    x64_bytes(b, fldt_rdx, 2);
    reg_addr(b, X64_R8);
    x64_bytes(b, fldt_rdx, 2);
    x64_lea(b, X64_S64, X64_RCX, cpu_mem(CPU_OFF(fpu.cw)));
    x64_bytes(b, (const uint8_t[]){0xd9, 0x29}, 2); /* fldcw [rcx] */
    x64_bytes(b, op, 2);
    x64_bytes(b, fnstsw_ax, 2);
    x64_lea(b, X64_S64, X64_RCX, cpu_mem(CPU_OFF(jit.host_fcw)));
    x64_bytes(b, (const uint8_t[]){0xd9, 0x29}, 2); /* fldcw [rcx]: the host's again */
    if (to_st0) { /* RDX still addresses ST(0) */
        x64_bytes(b, fstpt_rdx, 2);
        x64_bytes(b, fstp_st0, 2);
    } else {
        x64_bytes(b, fstp_st0, 2);
        reg_addr(b, X64_R10);
        x64_bytes(b, fstpt_rdx, 2);
    }
    /* sw: C1 from the host, exception flags added (fpu_compute, fpu_raise). */
    x64_alu_ri(b, X64_AND, X64_S32, X64_RAX, FPU_SW_C1 | FPU_SW_EXC);
    x64_movzx_rm(b, X64_S32, X64_RCX, X64_S16, cpu_mem(CPU_OFF(fpu.sw)));
    x64_alu_ri(b, X64_AND, X64_S32, X64_RCX, (int32_t) ~(uint32_t)FPU_SW_C1);
    x64_alu_rr(b, X64_OR, X64_S32, X64_RCX, X64_RAX);
    x64_mov_mr(b, X64_S16, cpu_mem(CPU_OFF(fpu.sw)), X64_RCX);
    if (to_st0)
        copy_reg(b, X64_R8, X64_R8); /* re-tag from the new contents */
    else
        copy_reg(b, X64_R10, X64_R10);
}

enum form { F_NONE, F_FLD, F_FXCH, F_FST, F_FSTP, F_ARITH };


static enum form form_of(const struct insn *in)
{
    if (in->is_mem || in->map != 0)
        return F_NONE;
    if (in->opcode == 0xd9 && in->reg == 0)
        return F_FLD;
    if (in->opcode == 0xd9 && in->reg == 1)
        return F_FXCH;
    if (in->opcode == 0xdd && in->reg == 2)
        return F_FST;
    if (in->opcode == 0xdd && in->reg == 3)
        return F_FSTP;
    if ((in->opcode == 0xd8 || in->opcode == 0xdc || in->opcode == 0xde) && in->reg != 2 &&
        in->reg != 3)
        return F_ARITH;
    return F_NONE;
}

bool x64_x87_has_fast_path(const struct insn *in)
{
    return form_of(in) != F_NONE;
}

int x64_x87_fast_path(struct x64_buf *b, const struct insn *in, uint32_t eip, size_t *slow_fields,
                      int max)
{
    struct slow slow_s = {slow_fields, 0, max}, *slow = &slow_s;
    enum form form = form_of(in);
    int i = in->rm;
    /* #NM, or a pending exception (#MF or the FERR# freeze): the slow path. */
    x64_test_mi(b, X64_S32, cpu_mem(CPU_OFF(cr[0])), CR0_EM | CR0_TS);
    to_slow(b, X64_CC_NE, slow);
    x64_movzx_rm(b, X64_S32, X64_RAX, X64_S16, cpu_mem(CPU_OFF(fpu.sw)));
    x64_test_ri(b, X64_S32, X64_RAX, FPU_SW_ES);
    to_slow(b, X64_CC_NE, slow);
    x64_mov_rr(b, X64_S32, X64_R8, X64_RAX);
    x64_shift_ri(b, X64_SHR, X64_S32, X64_R8, 11);
    x64_alu_ri(b, X64_AND, X64_S32, X64_R8, 7); /* R8 = TOP = ST(0)'s register */
    x64_movzx_rm(b, X64_S32, X64_R9, X64_S16, cpu_mem(CPU_OFF(fpu.tw)));
    phys_of(b, i);                              /* R10 = ST(i)'s register */
    int new_top = 0;                            /* TOP change: -1 push, +1 pop */
    switch (form) {
    case F_FLD:
        /* ST(i) full, ST(7) empty: push a copy (fpu_push_checked). */
        need_tag(b, X64_R10, false, slow);
        phys_of(b, 7);
        x64_mov_rr(b, X64_S32, X64_RDI, X64_R10);
        need_tag(b, X64_RDI, true, slow);
        phys_of(b, i);
        x64_mov_rr(b, X64_S32, X64_R11, X64_RDI);
        x64_mov_rr(b, X64_S32, X64_RDI, X64_R10);
        x64_mov_rr(b, X64_S32, X64_R10, X64_R11);
        copy_reg(b, X64_RDI, X64_R10); /* RDI: ST(i) -> R10: the new ST(0) */
        new_top = -1;
        break;
    case F_FXCH: {
        need_tag(b, X64_R8, false, slow);
        need_tag(b, X64_R10, false, slow);
        /* ST(0)'s image goes aside on the host stack while ST(i) is
         * copied over it, then lands in ST(i). */
        reg_addr(b, X64_R8);
        x64_mov_rm(b, X64_S64, X64_R11, x64_mem_base(X64_RDX, 0));
        x64_movzx_rm(b, X64_S32, X64_RDI, X64_S16, x64_mem_base(X64_RDX, 8));
        x64_push_r(b, X64_S64, X64_R11);
        x64_push_r(b, X64_S64, X64_RDI);
        copy_reg(b, X64_R10, X64_R8); /* ST(0) = old ST(i) */
        reg_addr(b, X64_R10);
        x64_pop_r(b, X64_S64, X64_RDI);
        x64_pop_r(b, X64_S64, X64_R11);
        x64_mov_mr(b, X64_S64, x64_mem_base(X64_RDX, 0), X64_R11);
        x64_mov_mr(b, X64_S16, x64_mem_base(X64_RDX, 8), X64_RDI);
        copy_reg(b, X64_R10, X64_R10); /* re-tag ST(i) from its new contents */
        break;
    }
    case F_FST:
    case F_FSTP:
        need_tag(b, X64_R8, false, slow);
        copy_reg(b, X64_R8, X64_R10);
        if (form == F_FSTP) {
            set_empty(b, X64_R8);
            new_top = 1;
        }
        break;
    case F_ARITH:
        arith(b, in, slow);
        if (in->opcode == 0xde) {
            set_empty(b, X64_R8);
            new_top = 1;
        }
        break;
    case F_NONE: break;
    }
    /* Tag word, TOP, C1 = 0 after a move (arithmetic set it from the host),
     * FIP/FCS/FOP (fpu_note_insn). */
    x64_mov_mr(b, X64_S16, cpu_mem(CPU_OFF(fpu.tw)), X64_R9);
    x64_movzx_rm(b, X64_S32, X64_RAX, X64_S16, cpu_mem(CPU_OFF(fpu.sw)));
    uint32_t keep = FPU_SW_TOP | (form == F_ARITH ? 0 : FPU_SW_C1);
    x64_alu_ri(b, X64_AND, X64_S32, X64_RAX, (int32_t) ~keep);
    x64_lea(b, X64_S32, X64_RCX, x64_mem_base(X64_R8, new_top));
    x64_alu_ri(b, X64_AND, X64_S32, X64_RCX, 7);
    x64_shift_ri(b, X64_SHL, X64_S32, X64_RCX, 11);
    x64_alu_rr(b, X64_OR, X64_S32, X64_RAX, X64_RCX);
    x64_mov_mr(b, X64_S16, cpu_mem(CPU_OFF(fpu.sw)), X64_RAX);
    x64_mov_mi(b, X64_S32, cpu_mem(CPU_OFF(fpu.fip)), eip);
    x64_movzx_rm(b, X64_S32, X64_RAX, X64_S16, cpu_mem(CPU_OFF(seg[SEG_CS].sel)));
    x64_mov_mr(b, X64_S16, cpu_mem(CPU_OFF(fpu.fcs)), X64_RAX);
    x64_mov_mi(b, X64_S16, cpu_mem(CPU_OFF(fpu.fop)), ((in->opcode & 7) << 8) | in->modrm);
    return slow->n;
}
