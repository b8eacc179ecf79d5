/* SPDX-License-Identifier: MIT */
/*
 * Multiply and divide: MUL/IMUL/DIV/IDIV (group 3) and the two- and
 * three-operand IMUL forms. #DE on divide by zero or quotient overflow.
 * Flags SF/ZF/PF/AF after MUL/IMUL are undefined; Kiln sets SF/ZF/PF from
 * the low half and clears AF. 8086 quirks (REP negation, IDIV range) come
 * from the model table.
 * Spec: Intel SDM Vol. 2 (MUL, IMUL, DIV, IDIV); SingleStepTests 8086 notes.
 */
#include "cpu/ops.h"

/* SF, ZF, PF from the low half; CF = OF = overflow; AF clear (lazily, flags.c). */
static void mul_flags(struct cpu *c, int size, uint32_t low, bool overflow)
{
    flags_lazy(c, LF_MUL, size, low, overflow, low);
}

/* Store a double-width product: AX for bytes, DX:AX or EDX:EAX otherwise. */
static void store_wide(struct cpu *c, int size, uint64_t v)
{
    if (size == 1) {
        reg_set(c, R_EAX, 2, (uint32_t)v);
    } else {
        reg_set(c, R_EAX, size, (uint32_t)v);
        reg_set(c, R_EDX, size, (uint32_t)(v >> (size * 8)));
    }
}

static bool negates(const struct cpu *c, const struct insn *in)
{
    return c->model->rep_negates_muldiv && in->rep != REP_NONE;
}

int op_mul_E(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t s;
    TRY(e_read(c, in, size, &s));
    uint64_t p = (uint64_t)reg_get(c, R_EAX, size) * s;
    store_wide(c, size, p);
    mul_flags(c, size, (uint32_t)p, (p >> (size * 8)) != 0);
    return 0;
}

int op_imul_E(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t s;
    TRY(e_read(c, in, size, &s));
    int64_t p = (int64_t)(int32_t)sext(reg_get(c, R_EAX, size), size) * (int32_t)sext(s, size);
    if (negates(c, in))
        p = -p;
    store_wide(c, size, (uint64_t)p);
    bool fits = p == (int64_t)(int32_t)sext((uint32_t)p, size);
    mul_flags(c, size, (uint32_t)p, !fits);
    return 0;
}

/* dst = a * b (signed) truncated to 'size', for the 2- and 3-operand forms. */
static KILN_ALWAYS_INLINE void imul_to_reg(struct cpu *c, const struct insn *in, int size,
                                           uint32_t a, uint32_t b)
{
    int64_t p = (int64_t)(int32_t)sext(a, size) * (int32_t)sext(b, size);
    bool fits = p == (int64_t)(int32_t)sext((uint32_t)p, size);
    reg_set(c, in->reg, size, (uint32_t)p);
    mul_flags(c, size, (uint32_t)p, !fits);
}

static KILN_ALWAYS_INLINE int imul_G_E(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                       int size)
{
    uint32_t s;
    TRY(e_read_as(c, in, sh, size, &s));
    imul_to_reg(c, in, size, reg_get(c, in->reg, size), s);
    return 0;
}

int op_imul_Gv_Ev(struct cpu *c, const struct insn *in)
{
    return imul_G_E(c, in, EA_ANY, in->opsize);
}

FORMS32(imul_Gv_Ev, imul_G_E(c, in, sh, 4))

int op_imul_Gv_Ev_Iz(struct cpu *c, const struct insn *in)
{
    uint32_t s;
    TRY(e_read(c, in, in->opsize, &s));
    imul_to_reg(c, in, in->opsize, s, in->imm);
    return 0;
}

int op_imul_Gv_Ev_Ib(struct cpu *c, const struct insn *in)
{
    uint32_t s;
    TRY(e_read(c, in, in->opsize, &s));
    imul_to_reg(c, in, in->opsize, s, sext(in->imm, 1));
    return 0;
}

/* The dividend: AX for bytes, DX:AX or EDX:EAX otherwise. */
static uint64_t dividend(const struct cpu *c, int size)
{
    if (size == 1)
        return reg_get(c, R_EAX, 2);
    return (uint64_t)reg_get(c, R_EDX, size) << (size * 8) | reg_get(c, R_EAX, size);
}

static void store_divide(struct cpu *c, int size, uint32_t q, uint32_t r)
{
    if (size == 1) {
        reg_set(c, R_EAX, 1, q);
        reg_set(c, 4, 1, r); /* AH */
    } else {
        reg_set(c, R_EAX, size, q);
        reg_set(c, R_EDX, size, r);
    }
}

int op_div_E(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t s;
    TRY(e_read(c, in, size, &s));
    if (!s)
        return cpu_fault(c, EXC_DE);
    uint64_t n = dividend(c, size);
    uint64_t q = n / s;
    if (q > size_mask(size))
        return cpu_fault(c, EXC_DE);
    store_divide(c, size, (uint32_t)q, (uint32_t)(n % s));
    return 0;
}

int op_idiv_E(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    int bits = size * 8;
    uint32_t s;
    TRY(e_read(c, in, size, &s));
    int64_t d = (int32_t)sext(s, size);
    if (!d)
        return cpu_fault(c, EXC_DE);
    uint64_t raw = dividend(c, size);
    /* Sign-extend the 2*bits-wide dividend. */
    int64_t n = bits == 32 ? (int64_t)raw : (int64_t)(raw << (64 - 2 * bits)) >> (64 - 2 * bits);
    if (n == INT64_MIN && d == -1)
        return cpu_fault(c, EXC_DE);
    int64_t q = n / d, r = n % d;
    if (negates(c, in))
        q = -q;
    int64_t max = ((int64_t)1 << (bits - 1)) - 1;
    int64_t min = c->model->idiv_min_faults ? -max : -max - 1;
    if (q > max || q < min)
        return cpu_fault(c, EXC_DE);
    store_divide(c, size, (uint32_t)q, (uint32_t)r);
    return 0;
}
