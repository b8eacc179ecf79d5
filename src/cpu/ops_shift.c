/* SPDX-License-Identifier: MIT */
/*
 * Shifts and rotates (group 2: ROL ROR RCL RCR SHL SHR SAL SAR; by 1, CL
 * and imm8) and the double shifts SHLD/SHRD. Flags are computed eagerly.
 * The 8086 uses the whole CL (no masking) and runs /6 as SETMO/SETMOC;
 * later CPUs mask the count to 5 bits and run /6 as SHL.
 * Spec: Intel SDM Vol. 2 (RCL/RCR/ROL/ROR, SAL/SAR/SHL/SHR, SHLD, SHRD).
 */
#include "cpu/ops.h"

enum { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAL, SH_SAR };

/* Rotate 'v' of 'bits' left by one 'count' times through nothing or CF. */
static uint32_t rotate(struct cpu *c, int kind, int size, uint32_t v, unsigned count)
{
    int bits = size * 8;
    uint32_t m = size_mask(size), sign = size_sign(size);
    uint32_t f = flags_get(c);
    uint32_t cf = f & FL_CF;
    switch (kind) {
    case SH_ROL:
        for (unsigned i = 0; i < count % (unsigned)bits; i++)
            v = ((v << 1) | (v >> (bits - 1))) & m;
        cf = v & 1;
        break;
    case SH_ROR:
        for (unsigned i = 0; i < count % (unsigned)bits; i++)
            v = ((v >> 1) | (v << (bits - 1))) & m;
        cf = (v & sign) ? 1 : 0;
        break;
    case SH_RCL:
        for (unsigned i = 0; i < count % (unsigned)(bits + 1); i++) {
            uint32_t out = (v & sign) ? 1 : 0;
            v = ((v << 1) | cf) & m;
            cf = out;
        }
        break;
    default: /* SH_RCR */
        for (unsigned i = 0; i < count % (unsigned)(bits + 1); i++) {
            uint32_t out = v & 1;
            v = (v >> 1) | (cf ? sign : 0);
            cf = out;
        }
        break;
    }
    flags_rotated(c, kind == SH_ROL || kind == SH_RCL, size, v, cf);
    return v;
}

/* SHL/SHR/SAR; flags are recorded lazily (flags.c computes CF and OF). */
static KILN_ALWAYS_INLINE uint32_t shift(struct cpu *c, int kind, int size, uint32_t v, unsigned count)
{
    uint32_t m = size_mask(size), r;
    enum lf_op op;
    v &= m;
    switch (kind) {
    case SH_SHL:
    case SH_SAL:
        r = count >= 32 ? 0 : (v << count) & m;
        op = LF_SHL;
        break;
    case SH_SHR:
        r = count >= 32 ? 0 : v >> count;
        op = LF_SHR;
        break;
    default: { /* SH_SAR */
        int32_t sv = (int32_t)sext(v, size);
        unsigned n = count > 31 ? 31 : count;
        r = (uint32_t)(sv >> n) & m;
        op = LF_SAR;
        break;
    }
    }
    flags_lazy(c, op, size, v, count, r);
    return r;
}

/* The 8086's undocumented /6: SETMO(C) sets the operand to all ones. */
static uint32_t setmo(struct cpu *c, int size)
{
    uint32_t r = size_mask(size);
    flags_set_arith(c, FL_ARITH, flags_szp(r, size));
    return r;
}

/* Group 2 op 'kind' on the ModRM operand of shape 'sh'. */
static KILN_ALWAYS_INLINE int shift_E_as(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                         int kind, int size, unsigned count)
{
    count &= c->model->shift_count_mask;
    uint32_t v;
    TRY(e_read_as(c, in, sh, size, &v));
    if (!count)
        return 0;
    struct flags_saved before = flags_save(c);
    uint32_t r;
    if (kind == SH_SAL && c->model->gen == CPU_8086)
        r = setmo(c, size);
    else if (kind <= SH_RCR)
        r = rotate(c, kind, size, v, count);
    else
        r = shift(c, kind, size, v, count);
    return e_write_rmw_as(c, in, sh, size, r, &before);
}

static int shift_E(struct cpu *c, const struct insn *in, int size, unsigned count)
{
    return shift_E_as(c, in, EA_ANY, in->reg, size, count);
}

FORMS32(shl_Ev_Ib, shift_E_as(c, in, sh, SH_SHL, 4, in->imm & 0xff))
FORMS32(shr_Ev_Ib, shift_E_as(c, in, sh, SH_SHR, 4, in->imm & 0xff))
FORMS32(sar_Ev_Ib, shift_E_as(c, in, sh, SH_SAR, 4, in->imm & 0xff))

int op_shift_Eb_Ib(struct cpu *c, const struct insn *in)
{
    return shift_E(c, in, 1, in->imm & 0xff);
}

int op_shift_Ev_Ib(struct cpu *c, const struct insn *in)
{
    return shift_E(c, in, in->opsize, in->imm & 0xff);
}

int op_shift_Eb_1(struct cpu *c, const struct insn *in)
{
    return shift_E(c, in, 1, 1);
}

int op_shift_Ev_1(struct cpu *c, const struct insn *in)
{
    return shift_E(c, in, in->opsize, 1);
}

int op_shift_Eb_CL(struct cpu *c, const struct insn *in)
{
    return shift_E(c, in, 1, reg_get(c, R_ECX, 1));
}

int op_shift_Ev_CL(struct cpu *c, const struct insn *in)
{
    return shift_E(c, in, in->opsize, reg_get(c, R_ECX, 1));
}

/* SHLD/SHRD: shift dst, filling from src. 16-bit counts above 16 shift the
 * 48-bit value dst:src:dst as P6-family processors do (result undefined). */
int op_shld_shrd(struct cpu *c, const struct insn *in)
{
    int size = in->opsize, bits = size * 8;
    bool left = in->opcode < 0xa8;
    unsigned count = ((in->opcode & 1) ? reg_get(c, R_ECX, 1) : in->imm) & 31;
    uint32_t d;
    TRY(e_read(c, in, size, &d));
    if (!count)
        return 0;
    uint32_t s = reg_get(c, in->reg, size), m = size_mask(size), sign = size_sign(size);
    uint64_t wide; /* dst in the high half for SHLD, the low half for SHRD */
    uint32_t r, cf;
    if (size == 4) {
        if (left) {
            wide = (uint64_t)d << 32 | s;
            r = (uint32_t)((wide << count) >> 32);
            cf = (d >> (32 - count)) & 1;
        } else {
            wide = (uint64_t)s << 32 | d;
            r = (uint32_t)(wide >> count);
            cf = (d >> (count - 1)) & 1;
        }
    } else {
        if (left) {
            wide = (uint64_t)d << 32 | (uint64_t)s << 16 | d;
            r = (uint32_t)((wide << count) >> 32) & m;
            cf = (uint32_t)((wide << (count - 1)) >> 47) & 1;
        } else {
            wide = (uint64_t)d << 32 | (uint64_t)s << 16 | d;
            r = (uint32_t)(wide >> count) & m;
            cf = (uint32_t)(wide >> (count - 1)) & 1;
        }
    }
    (void)bits;
    bool of = ((r ^ d) & sign) != 0;
    flags_set_arith(c, FL_ARITH, flags_szp(r, size) | (cf ? FL_CF : 0) | (of ? FL_OF : 0));
    return e_write(c, in, size, r);
}
