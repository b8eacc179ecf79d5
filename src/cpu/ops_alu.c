/* SPDX-License-Identifier: MIT */
/*
 * Integer ALU semantics: ADD OR ADC SBB AND SUB XOR CMP in every encoding,
 * TEST, INC/DEC, NOT/NEG, flag-bit instructions, SAHF/LAHF, SALC, CBW/CWD.
 * Results set lazy flags; nothing here touches memory except through e_*.
 * Spec: Intel SDM Vol. 2 (instruction pages), appendix A.2 (group 1).
 */
#include "cpu/ops.h"

enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

/* Compute 'kind' on a and b at 'size', recording flags; returns the result.
 * Inline in each form: the hottest semantics of the interpreter. */
static KILN_ALWAYS_INLINE uint32_t alu(struct cpu *c, int kind, int size, uint32_t a, uint32_t b)
{
    uint32_t m = size_mask(size), r, cin;
    a &= m;
    b &= m;
    switch (kind) {
    case ALU_ADD: r = a + b; flags_lazy(c, LF_ADD, size, a, b, r); break;
    case ALU_OR: r = a | b; flags_lazy(c, LF_LOGIC, size, a, b, r); break;
    case ALU_ADC:
        cin = flags_cf(c) ? 1 : 0;
        r = a + b + cin;
        flags_lazy(c, LF_ADC, size, a, b, r);
        break;
    case ALU_SBB:
        cin = flags_cf(c) ? 1 : 0;
        r = a - b - cin;
        flags_lazy(c, LF_SBB, size, a, b, r);
        break;
    case ALU_AND: r = a & b; flags_lazy(c, LF_LOGIC, size, a, b, r); break;
    case ALU_XOR: r = a ^ b; flags_lazy(c, LF_LOGIC, size, a, b, r); break;
    default: r = a - b; flags_lazy(c, LF_SUB, size, a, b, r); break;
    }
    return r & m;
}

/* dst op= src on the ModRM operand of shape 'sh'. */
static KILN_ALWAYS_INLINE int alu_E(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                    int kind, int size, uint32_t src)
{
    uint32_t d;
    TRY(e_read_as(c, in, sh, size, &d));
    struct flags_saved before = flags_save(c);
    uint32_t r = alu(c, kind, size, d, src);
    return kind == ALU_CMP ? 0 : e_write_rmw_as(c, in, sh, size, r, &before);
}

int op_alu_Eb_Gb(struct cpu *c, const struct insn *in)
{
    return alu_E(c, in, EA_ANY, (in->opcode >> 3) & 7, 1, reg_get(c, in->reg, 1));
}

int op_alu_Ev_Gv(struct cpu *c, const struct insn *in)
{
    return alu_E(c, in, EA_ANY, (in->opcode >> 3) & 7, in->opsize,
                 reg_get(c, in->reg, in->opsize));
}

/* reg op= the ModRM operand of shape 'sh'. */
static KILN_ALWAYS_INLINE int alu_G(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                    int kind, int size)
{
    uint32_t s;
    TRY(e_read_as(c, in, sh, size, &s));
    uint32_t r = alu(c, kind, size, reg_get(c, in->reg, size), s);
    if (kind != ALU_CMP)
        reg_set(c, in->reg, size, r);
    return 0;
}

int op_alu_Gb_Eb(struct cpu *c, const struct insn *in)
{
    return alu_G(c, in, EA_ANY, (in->opcode >> 3) & 7, 1);
}

int op_alu_Gv_Ev(struct cpu *c, const struct insn *in)
{
    return alu_G(c, in, EA_ANY, (in->opcode >> 3) & 7, in->opsize);
}

static int alu_acc(struct cpu *c, const struct insn *in, int size)
{
    int kind = (in->opcode >> 3) & 7;
    uint32_t r = alu(c, kind, size, reg_get(c, R_EAX, size), in->imm);
    if (kind != ALU_CMP)
        reg_set(c, R_EAX, size, r);
    return 0;
}

int op_alu_AL_Ib(struct cpu *c, const struct insn *in)
{
    return alu_acc(c, in, 1);
}

int op_alu_eAX_Iz(struct cpu *c, const struct insn *in)
{
    return alu_acc(c, in, in->opsize);
}

int op_alu_Eb_Ib(struct cpu *c, const struct insn *in)
{
    return alu_E(c, in, EA_ANY, in->reg, 1, in->imm);
}

int op_alu_Ev_Iz(struct cpu *c, const struct insn *in)
{
    return alu_E(c, in, EA_ANY, in->reg, in->opsize, in->imm);
}

int op_alu_Ev_Ib(struct cpu *c, const struct insn *in)
{
    return alu_E(c, in, EA_ANY, in->reg, in->opsize, sext(in->imm, 1));
}

/* forms.def: each ALU op's 32-bit forms, its kind a constant. */
#define ALU_FORMS(stem, kind)                                                                      \
    FORMS32(stem##_Ev_Gv, alu_E(c, in, sh, kind, 4, c->r[in->reg]))                             \
    FORMS32(stem##_Gv_Ev, alu_G(c, in, sh, kind, 4))                                            \
    FORMS32(stem##_Ev_Ib, alu_E(c, in, sh, kind, 4, sext(in->imm, 1)))                         \
    FORMS32(stem##_Ev_Iz, alu_E(c, in, sh, kind, 4, in->imm))
ALU_FORMS(add, ALU_ADD)
ALU_FORMS(or, ALU_OR)
ALU_FORMS(adc, ALU_ADC)
ALU_FORMS(sbb, ALU_SBB)
ALU_FORMS(and, ALU_AND)
ALU_FORMS(sub, ALU_SUB)
ALU_FORMS(xor, ALU_XOR)
ALU_FORMS(cmp, ALU_CMP)
#undef ALU_FORMS

static void test_flags(struct cpu *c, int size, uint32_t a, uint32_t b)
{
    flags_lazy(c, LF_LOGIC, size, a, b, a & b & size_mask(size));
}

static KILN_ALWAYS_INLINE int test_E_G(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                       int size)
{
    uint32_t d;
    TRY(e_read_as(c, in, sh, size, &d));
    test_flags(c, size, d, reg_get(c, in->reg, size));
    return 0;
}

int op_test_Eb_Gb(struct cpu *c, const struct insn *in)
{
    return test_E_G(c, in, EA_ANY, 1);
}

int op_test_Ev_Gv(struct cpu *c, const struct insn *in)
{
    return test_E_G(c, in, EA_ANY, in->opsize);
}

FORMS32(test_Ev_Gv, test_E_G(c, in, sh, 4))

int op_test_AL_Ib(struct cpu *c, const struct insn *in)
{
    test_flags(c, 1, reg_get(c, R_EAX, 1), in->imm);
    return 0;
}

int op_test_eAX_Iz(struct cpu *c, const struct insn *in)
{
    test_flags(c, in->opsize, reg_get(c, R_EAX, in->opsize), in->imm);
    return 0;
}

int op_test_E_I(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t d;
    TRY(e_read(c, in, size, &d));
    test_flags(c, size, d, in->imm);
    return 0;
}

static KILN_ALWAYS_INLINE uint32_t incdec(struct cpu *c, bool dec, int size, uint32_t v)
{
    uint32_t r = (dec ? v - 1 : v + 1) & size_mask(size);
    flags_lazy_incdec(c, dec, size, v, r);
    return r;
}

/* INC/DEC of the register in the opcode's low bits. */
static KILN_ALWAYS_INLINE int incdec_Z(struct cpu *c, const struct insn *in, bool dec, int size)
{
    int r = in->opcode & 7;
    reg_set(c, r, size, incdec(c, dec, size, reg_get(c, r, size)));
    return 0;
}

int op_inc_Zv(struct cpu *c, const struct insn *in)
{
    return incdec_Z(c, in, false, in->opsize);
}

int op_dec_Zv(struct cpu *c, const struct insn *in)
{
    return incdec_Z(c, in, true, in->opsize);
}

FORMS32_REG(inc_Zv, incdec_Z(c, in, false, 4))
FORMS32_REG(dec_Zv, incdec_Z(c, in, true, 4))

static int incdec_E(struct cpu *c, const struct insn *in, bool dec)
{
    int size = insn_width(in);
    uint32_t v;
    TRY(e_read(c, in, size, &v));
    struct flags_saved before = flags_save(c);
    return e_write_rmw(c, in, size, incdec(c, dec, size, v), &before);
}

int op_inc_E(struct cpu *c, const struct insn *in)
{
    return incdec_E(c, in, false);
}

int op_dec_E(struct cpu *c, const struct insn *in)
{
    return incdec_E(c, in, true);
}

int op_not_E(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t v;
    TRY(e_read(c, in, size, &v));
    return e_write(c, in, size, ~v);
}

int op_neg_E(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t v;
    TRY(e_read(c, in, size, &v));
    struct flags_saved before = flags_save(c);
    return e_write_rmw(c, in, size, alu(c, ALU_SUB, size, 0, v), &before);
}

int op_clc(struct cpu *c, const struct insn *in)
{
    (void)in;
    flags_set_arith(c, FL_CF, 0);
    return 0;
}

int op_stc(struct cpu *c, const struct insn *in)
{
    (void)in;
    flags_set_arith(c, FL_CF, FL_CF);
    return 0;
}

int op_cmc(struct cpu *c, const struct insn *in)
{
    (void)in;
    flags_set_arith(c, FL_CF, flags_get(c) ^ FL_CF);
    return 0;
}

int op_cld(struct cpu *c, const struct insn *in)
{
    (void)in;
    c->eflags &= ~(uint32_t)FL_DF;
    return 0;
}

int op_std(struct cpu *c, const struct insn *in)
{
    (void)in;
    c->eflags |= FL_DF;
    return 0;
}

int op_sahf(struct cpu *c, const struct insn *in)
{
    (void)in;
    uint32_t ah = reg_get(c, 4, 1);
    flags_set_arith(c, FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF, ah);
    return 0;
}

int op_lahf(struct cpu *c, const struct insn *in)
{
    (void)in;
    reg_set(c, 4, 1, (flags_get(c) & 0xd5) | FL_R1);
    return 0;
}

/* SALC: AL = CF ? FF : 00, flags unchanged (undocumented, all Intel CPUs). */
int op_salc(struct cpu *c, const struct insn *in)
{
    (void)in;
    reg_set(c, R_EAX, 1, (flags_get(c) & FL_CF) ? 0xff : 0);
    return 0;
}

int op_cbw(struct cpu *c, const struct insn *in)
{
    if (in->opsize == 2)
        reg_set(c, R_EAX, 2, sext(c->r[R_EAX], 1));
    else
        c->r[R_EAX] = sext(c->r[R_EAX], 2);
    return 0;
}

int op_cwd(struct cpu *c, const struct insn *in)
{
    int size = in->opsize;
    uint32_t sign = reg_get(c, R_EAX, size) & size_sign(size);
    reg_set(c, R_EDX, size, sign ? 0xffffffffu : 0);
    return 0;
}
