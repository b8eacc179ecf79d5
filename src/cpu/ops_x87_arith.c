/* SPDX-License-Identifier: MIT */
/*
 * x87 arithmetic and comparisons: escapes D8, DA, DC and DE (ADD, MUL,
 * COM(P), SUB(R), DIV(R) with ST(i), m32real, m64real, m16int, m32int and
 * their pop forms, FCOMPP, FUCOMPP), FCOMI/FUCOMI(P) and FCMOVcc. Stack
 * faults, pops and masking policy are here; the rounding arithmetic is the
 * host kernel's (fpu_host.c). Must not touch memory before its reads are
 * done: a faulting operand leaves the FPU as it was.
 * Spec: Intel SDM Vol. 2A FADD ... FDIVR, FCOM, FUCOM, FCOMI, FCMOVcc;
 * Vol. 1 8.5 (exception responses), table 8-6 (comparison codes).
 */
#include "cpu/fpu.h"

#include "cpu/ops.h"

/* ModRM reg: 0 ADD, 1 MUL, 2 COM, 3 COMP, 4 SUB, 5 SUBR, 6 DIV, 7 DIVR. */
enum { ARITH_COM = 2, ARITH_COMP = 3 };

/* D8 register forms: ST(0) = ST(0) op ST(i). */
static const uint8_t form_st0[8] = {FH_ADD, FH_MUL, FH_COM, FH_COM,
                                    FH_SUB, FH_SUBR, FH_DIV, FH_DIVR};

/* DC/DE register forms: ST(i) = ST(i) op ST(0); with the ST(i) destination
 * the encoding of SUB/SUBR and DIV/DIVR is swapped (reg 4 is FSUBR). */
static const uint8_t form_sti[8] = {FH_ADD_TO1, FH_MUL_TO1, FH_COM, FH_COM,
                                    FH_SUBR_TO1, FH_SUB_TO1, FH_DIVR_TO1, FH_DIV_TO1};

/* Memory forms, by escape: the kernel's forms are in reg order without COMP. */
static const uint8_t mem_base[4] = {FH_M32_ADD, FH_I32_ADD, FH_M64_ADD, FH_I16_ADD};
static const uint8_t mem_size[4] = {4, 4, 8, 2};
static const uint8_t reg_to_form[8] = {0, 1, 2, 2, 3, 4, 5, 6};

/* Unordered (or an empty operand): C3 = C2 = C0 = 1. */
static void set_unordered(struct fpu *f)
{
    f->sw |= FPU_SW_C3 | FPU_SW_C2 | FPU_SW_C0;
}

/* A comparison of ST(0) with 'b' (already in j->b or j->mem); pops 'pops'
 * times unless an unmasked invalid or denormal exception stops it. */
static void compare(struct fpu *f, enum fpu_host_op op, struct fpu_host_job *j, int pops)
{
    unsigned unmasked = fpu_compute(f, op, j);
    if (unmasked & FPU_SUPPRESS)
        return;
    for (int k = 0; k < pops; k++)
        fpu_pop(f);
}

/* Stack underflow of a comparison: unordered, and the pops when masked. */
static void compare_underflow(struct fpu *f, int pops)
{
    set_unordered(f);
    if (!fpu_underflow(f))
        return;
    for (int k = 0; k < pops; k++)
        fpu_pop(f);
}

static int arith_mem(struct cpu *c, const struct insn *in)
{
    struct fpu *f = &c->fpu;
    int esc = (in->opcode - 0xd8) >> 1; /* D8, DA, DC, DE -> 0..3 */
    struct fpu_host_job j = {0};
    TRY(fpu_mem_read(c, in, 0, mem_size[esc], j.mem));
    bool cmp = in->reg == ARITH_COM || in->reg == ARITH_COMP;
    int pops = in->reg == ARITH_COMP;
    if (fpu_empty(f, 0)) {
        if (cmp)
            compare_underflow(f, pops);
        else if (fpu_underflow(f))
            fpu_write(f, 0, fpu_indefinite());
        return 0;
    }
    j.a = *fpu_st(f, 0);
    enum fpu_host_op op = (enum fpu_host_op)(mem_base[esc] + reg_to_form[in->reg]);
    if (cmp) {
        compare(f, op, &j, pops);
        return 0;
    }
    fpu_compute(f, op, &j);
    /* The kernel leaves ST(0) as the hardware does: unchanged after an
     * unmasked IE/ZE/DE, biased after an unmasked OE/UE. */
    fpu_write(f, 0, j.a);
    return 0;
}

/* Register forms of D8 (to ST(0)), DC (to ST(i)) and DE (to ST(i), pop). */
static int arith_reg(struct cpu *c, const struct insn *in)
{
    struct fpu *f = &c->fpu;
    int i = in->rm;
    bool to_sti = in->opcode != 0xd8;
    bool pop = in->opcode == 0xde;
    bool cmp = in->reg == ARITH_COM || in->reg == ARITH_COMP;
    /* DE D0+i (FCOMP5) is an alias of FCOMP ST(i); DE D9 is FCOMPP. */
    int pops = (in->reg == ARITH_COMP) + pop;
    if (cmp)
        return x87_compare(c, i, false, pops);
    if (fpu_empty(f, 0) || fpu_empty(f, i)) {
        if (fpu_underflow(f)) {
            fpu_write(f, to_sti ? i : 0, fpu_indefinite());
            if (pop)
                fpu_pop(f);
        }
        return 0;
    }
    struct fpu_host_job j = {.a = *fpu_st(f, 0), .b = *fpu_st(f, i)};
    enum fpu_host_op op = (enum fpu_host_op)(to_sti ? form_sti[in->reg] : form_st0[in->reg]);
    unsigned unmasked = fpu_compute(f, op, &j);
    fpu_write(f, to_sti ? i : 0, to_sti ? j.b : j.a);
    if (pop && !(unmasked & FPU_SUPPRESS))
        fpu_pop(f);
    return 0;
}

int x87_compare(struct cpu *c, int i, bool unordered, int pops)
{
    struct fpu *f = &c->fpu;
    if (fpu_empty(f, 0) || fpu_empty(f, i)) {
        compare_underflow(f, pops);
        return 0;
    }
    struct fpu_host_job j = {.a = *fpu_st(f, 0), .b = *fpu_st(f, i)};
    compare(f, unordered ? FH_UCOM : FH_COM, &j, pops);
    return 0;
}

int x87_arith(struct cpu *c, const struct insn *in)
{
    if (in->is_mem)
        return arith_mem(c, in);
    if (in->opcode == 0xda)
        return in->reg == 5 ? x87_compare(c, 1, true, 2) /* FUCOMPP */ : x87_fcmov(c, in);
    return arith_reg(c, in);
}

/* FCMOVcc (DA/DB C0-DF, P6): ST(0) = ST(i) when the EFLAGS condition holds. */
int x87_fcmov(struct cpu *c, const struct insn *in)
{
    static const uint8_t cc[4] = {0x2 /* B */, 0x4 /* E */, 0x6 /* BE */, 0xa /* P (U) */};
    struct fpu *f = &c->fpu;
    int i = in->rm;
    if (fpu_empty(f, 0) || fpu_empty(f, i)) {
        if (fpu_underflow(f))
            fpu_write(f, 0, fpu_indefinite());
        return 0;
    }
    bool cond = flags_cond(c, cc[in->reg & 3] | (in->opcode == 0xdb));
    if (cond)
        fpu_write(f, 0, *fpu_st(f, i));
    return 0;
}

/* FCOMI/FCOMIP (DB/DF F0-F7) and FUCOMI/FUCOMIP (DB/DF E8-EF): compare into
 * ZF, PF, CF (as C3, C2, C0 would be), clear OF, SF, AF. C0-C3 keep their
 * values - also C1, which the SDM calls cleared: real parts leave it. */
int x87_fcomi(struct cpu *c, const struct insn *in)
{
    struct fpu *f = &c->fpu;
    int i = in->rm;
    bool pop = in->opcode == 0xdf;
    bool unordered = in->reg == 5;
    unsigned cc = f->sw & FPU_SW_CC;
    unsigned res;
    if (fpu_empty(f, 0) || fpu_empty(f, i)) {
        bool masked = fpu_underflow(f);
        res = FPU_SW_C3 | FPU_SW_C2 | FPU_SW_C0;
        cc &= ~(unsigned)FPU_SW_C1;
        if (masked && pop)
            fpu_pop(f);
    } else {
        struct fpu_host_job j = {.a = *fpu_st(f, 0), .b = *fpu_st(f, i)};
        unsigned unmasked = fpu_compute(f, unordered ? FH_UCOM : FH_COM, &j);
        res = j.sw;
        if (pop && !(unmasked & FPU_SUPPRESS))
            fpu_pop(f);
    }
    fpu_set_cc(f, cc);
    uint32_t fl = ((res & FPU_SW_C3) ? FL_ZF : 0) | ((res & FPU_SW_C2) ? FL_PF : 0) |
                  ((res & FPU_SW_C0) ? FL_CF : 0);
    flags_set_arith(c, FL_ARITH, fl);
    return 0;
}
