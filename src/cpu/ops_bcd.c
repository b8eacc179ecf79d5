/* SPDX-License-Identifier: MIT */
/*
 * Decimal adjust: DAA DAS AAA AAS AAM AAD. The undocumented flags follow
 * the algorithms in the SDM with the 8086's AAA/AAS carry differing from
 * the 286's (the 8086 adjusts AL and AH separately).
 * Spec: Intel SDM Vol. 2 (DAA, DAS, AAA, AAS, AAM, AAD).
 */
#include "cpu/interp.h"
#include "cpu/ops.h"

/* The second DAA/DAS adjustment happens above 99h, or above 9Fh on the 8086
 * when AF was set (SingleStepTests 8086 captures). */
static uint32_t bcd_threshold(const struct cpu *c, uint32_t f)
{
    return c->model->bcd_8086 && (f & FL_AF) ? 0x9f : 0x99;
}

int op_daa(struct cpu *c, const struct insn *in)
{
    (void)in;
    uint32_t f = flags_get(c);
    uint32_t al = reg_get(c, R_EAX, 1), old_al = al;
    bool old_cf = f & FL_CF, cf = false, af = false;
    if ((al & 0x0f) > 9 || (f & FL_AF)) {
        cf = old_cf || (al > 0xf9 && !c->model->bcd_8086);
        al = (al + 6) & 0xff;
        af = true;
    }
    if (old_al > bcd_threshold(c, f) || old_cf) {
        al = (al + 0x60) & 0xff;
        cf = true;
    }
    reg_set(c, R_EAX, 1, al);
    uint32_t nf = flags_szp(al, 1) | (cf ? FL_CF : 0) | (af ? FL_AF : 0);
    /* OF is undefined: Kiln reports the signed overflow of the adjustment. */
    if (!(old_al & 0x80) && (al & 0x80))
        nf |= FL_OF;
    flags_set_arith(c, FL_ARITH, nf);
    return 0;
}

int op_das(struct cpu *c, const struct insn *in)
{
    (void)in;
    uint32_t f = flags_get(c);
    uint32_t al = reg_get(c, R_EAX, 1), old_al = al;
    bool old_cf = f & FL_CF, cf = false, af = false;
    if ((al & 0x0f) > 9 || (f & FL_AF)) {
        cf = old_cf || (al < 6 && !c->model->bcd_8086);
        al = (al - 6) & 0xff;
        af = true;
    }
    if (old_al > bcd_threshold(c, f) || old_cf) {
        al = (al - 0x60) & 0xff;
        cf = true;
    }
    reg_set(c, R_EAX, 1, al);
    uint32_t nf = flags_szp(al, 1) | (cf ? FL_CF : 0) | (af ? FL_AF : 0);
    if ((old_al & 0x80) && !(al & 0x80))
        nf |= FL_OF;
    flags_set_arith(c, FL_ARITH, nf);
    return 0;
}

/* AAA (sub = false) and AAS (sub = true). */
static void ascii_adjust(struct cpu *c, bool sub)
{
    uint32_t f = flags_get(c);
    uint32_t ax = reg_get(c, R_EAX, 2);
    bool adjust = (ax & 0x0f) > 9 || (f & FL_AF);
    if (adjust) {
        if (c->model->gen == CPU_8086) {
            uint32_t al = (ax + (sub ? -6u : 6u)) & 0xff;
            uint32_t ah = ((ax >> 8) + (sub ? -1u : 1u)) & 0xff;
            ax = ah << 8 | al;
        } else {
            ax = (ax + (sub ? -0x106u : 0x106u)) & 0xffff;
        }
    }
    reg_set(c, R_EAX, 2, ax & 0xff0f);
    uint32_t nf = flags_szp(ax & 0x0f, 1);
    if (adjust)
        nf |= FL_AF | FL_CF;
    flags_set_arith(c, FL_ARITH, nf);
}

int op_aaa(struct cpu *c, const struct insn *in)
{
    (void)in;
    ascii_adjust(c, false);
    return 0;
}

int op_aas(struct cpu *c, const struct insn *in)
{
    (void)in;
    ascii_adjust(c, true);
    return 0;
}

int op_aam(struct cpu *c, const struct insn *in)
{
    uint32_t base = in->imm & 0xff;
    uint32_t al = reg_get(c, R_EAX, 1);
    if (!base) {
        if (c->model->aam0_flags) {
            /* The microcode sets flags before it faults (SingleStepTests captures). */
            uint32_t v = c->model->aam0_flags == 2 ? al : 0;
            flags_set_arith(c, FL_SF | FL_ZF | FL_PF, flags_szp(v, 2));
            interp_commit(c);
        }
        return cpu_fault(c, EXC_DE);
    }
    uint32_t q = al / base, r = al % base;
    reg_set(c, R_EAX, 2, q << 8 | r);
    flags_lazy(c, LF_LOGIC, 1, r, r, r);
    return 0;
}

int op_aad(struct cpu *c, const struct insn *in)
{
    uint32_t base = in->imm & 0xff;
    uint32_t al = reg_get(c, R_EAX, 1), ah = reg_get(c, 4, 1);
    uint32_t prod = (ah * base) & 0xff;
    uint32_t r = (al + prod) & 0xff;
    reg_set(c, R_EAX, 2, r);
    /* The hardware adds AH*base to AL: flags are those of that byte ADD. */
    flags_lazy(c, LF_ADD, 1, al, prod, r);
    return 0;
}
