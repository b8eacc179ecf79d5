/* SPDX-License-Identifier: MIT */
/*
 * Lazy-flag evaluation (see flags.h). Carry-in of ADC/SBB is recovered from
 * the recorded operands, so the record needs no extra field.
 */
#include "cpu/flags.h"
#include "cpu/ops.h"

#include "common/bits.h"

uint32_t flags_szp(uint32_t res, int size)
{
    uint32_t m = size_mask(size);
    uint32_t f = 0;
    if (!(res & m))
        f |= FL_ZF;
    if (res & size_sign(size))
        f |= FL_SF;
    if (parity_even(res))
        f |= FL_PF;
    return f;
}

/* CF and OF of SHL/SHR/SAR of 'v' (masked to 'size') by 'count' (not 0)
 * giving 'r'; AF is left clear. The formulas hold for the 8086's unmasked
 * counts too. */
static uint32_t shift_flags(int op, int size, uint32_t v, uint32_t count, uint32_t r)
{
    unsigned bits = (unsigned)size * 8;
    uint32_t sign = size_sign(size), cf;
    bool of;
    switch (op) {
    case LF_SHL:
        cf = count > bits ? 0 : (uint32_t)(((uint64_t)v << count) >> bits) & 1;
        of = ((r & sign) != 0) != (cf != 0);
        break;
    case LF_SHR:
        cf = count > bits ? 0 : (v >> (count - 1)) & 1;
        /* OF is MSB(dest) for a count of 1; for larger counts the hardware
         * reports the top two result bits' difference, which is then 0. */
        of = ((r ^ (r << 1)) & sign) != 0;
        break;
    default: { /* LF_SAR */
        int32_t sv = (int32_t)sext(v, size);
        cf = (uint32_t)(sv >> (count - 1 > 31 ? 31 : count - 1)) & 1;
        of = false;
        break;
    }
    }
    return (cf ? FL_CF : 0) | (of ? FL_OF : 0);
}

uint32_t flags_compute_arith(const struct cpu *c)
{
    int size = c->lf_size;
    uint32_t m = size_mask(size), sign = size_sign(size);
    uint32_t dst = c->lf_dst & m, src = c->lf_src & m, res = c->lf_res & m;
    uint32_t f = flags_szp(res, size);
    uint32_t cin;
    switch ((enum lf_op)c->lf_op) {
    case LF_NONE: return c->eflags & FL_ARITH;
    case LF_ADD:
    case LF_ADC:
        cin = (res - dst - src) & m;
        if (cin ? res <= dst : res < dst)
            f |= FL_CF;
        if ((dst ^ res) & (src ^ res) & sign)
            f |= FL_OF;
        f |= (dst ^ src ^ res) & FL_AF;
        break;
    case LF_SUB:
    case LF_SBB:
        cin = (dst - src - res) & m;
        if (cin ? dst <= src : dst < src)
            f |= FL_CF;
        if ((dst ^ src) & (dst ^ res) & sign)
            f |= FL_OF;
        f |= (dst ^ src ^ res) & FL_AF;
        break;
    case LF_LOGIC: break;
    case LF_INC:
        f |= c->eflags & FL_CF;
        if (res == sign)
            f |= FL_OF;
        f |= (dst ^ 1 ^ res) & FL_AF;
        break;
    case LF_DEC:
        f |= c->eflags & FL_CF;
        if (res == sign - 1)
            f |= FL_OF;
        f |= (dst ^ 1 ^ res) & FL_AF;
        break;
    case LF_SHL:
    case LF_SHR:
    case LF_SAR: f |= shift_flags(c->lf_op, size, dst, c->lf_src, res); break;
    case LF_MUL:
        if (c->lf_src)
            f |= FL_CF | FL_OF;
        break;
    }
    return f;
}

void flags_rotated(struct cpu *c, bool left, int size, uint32_t v, uint32_t cf)
{
    uint32_t sign = size_sign(size);
    /* OF is defined for a count of 1; the hardware computes it the same way for any count. */
    bool of = left ? ((v & sign) != 0) != (cf != 0) : ((v & sign) != 0) != ((v & (sign >> 1)) != 0);
    flags_set_arith(c, FL_CF | FL_OF, (cf ? FL_CF : 0) | (of ? FL_OF : 0));
}

bool flags_cond(struct cpu *c, int cc)
{
    return flags_test(c, cc);
}

void eflags_write(struct cpu *c, uint32_t val, int size)
{
    const struct cpu_model_info *m = c->model;
    uint32_t cur = flags_get(c);
    uint32_t mask = m->flags_supported & ~(uint32_t)(FL_VM | FL_RF | FL_VIP | FL_VIF | FL_R1);
    if (c->cr[0] & CR0_PE) { /* protected and V86 mode (CPL 3) */
        unsigned iopl = (cur >> 12) & 3;
        if (c->cpl > 0)
            mask &= ~(uint32_t)FL_IOPL;
        if (c->cpl > iopl)
            mask &= ~(uint32_t)FL_IF;
    }
    if (size == 2)
        mask &= 0xffff;
    uint32_t f = (cur & ~mask) | (val & mask);
    if (!(c->cr[0] & CR0_PE))
        f &= ~m->flags_real_ro0;
    c->eflags = f | m->flags_fixed1;
}

uint32_t eflags_for_push(struct cpu *c)
{
    return flags_get(c) & ~(uint32_t)(FL_RF | FL_VM);
}
