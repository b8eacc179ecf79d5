/* SPDX-License-Identifier: MIT */
/*
 * x87 register forms of escapes D9, DB, DD and DF: sign operations, FTST,
 * FXAM, the constants, the transcendentals and other ST(0)/ST(1) functions
 * (FSQRT, FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1, F2XM1, FYL2X, FYL2XP1,
 * FPTAN, FPATAN, FSIN, FCOS, FSINCOS), stack-pointer and control forms
 * (FINCSTP, FDECSTP, FNOP, FNCLEX, FNINIT, FNSTSW AX, the 8087 leftovers),
 * and the dispatch to the moves and comparisons in the sibling files.
 * The numbers come from the host kernel; stack faults and pushes/pops are
 * decided here. Spec: Intel SDM Vol. 2A (each instruction), Vol. 1 8.3.
 */
#include "cpu/fpu.h"

#include "cpu/ops.h"

/* FCHS / FABS: sign-bit operations, no exceptions beyond an empty ST(0). */
static void sign_op(struct fpu *f, bool abs)
{
    if (fpu_empty(f, 0)) {
        if (fpu_underflow(f))
            fpu_write(f, 0, fpu_indefinite());
        return;
    }
    f->sw &= (uint16_t)~FPU_SW_C1;
    struct fpu_reg v = *fpu_st(f, 0);
    v.sexp = (uint16_t)(abs ? v.sexp & 0x7fff : v.sexp ^ 0x8000);
    fpu_write(f, 0, v);
}

/* FXAM: class of ST(0) in C3, C2, C0 and its sign in C1 - also for an
 * empty register, whose stale sign is reported (SDM Vol. 2A FXAM). */
static void fxam(struct fpu *f)
{
    struct fpu_reg v = *fpu_st(f, 0);
    unsigned exp = v.sexp & 0x7fff;
    bool j = v.mant >> 63;
    unsigned cls; /* C3 C2 C0 */
    if (fpu_empty(f, 0))
        cls = FPU_SW_C3 | FPU_SW_C0;
    else if (exp == 0)
        cls = v.mant ? FPU_SW_C3 | FPU_SW_C2 : FPU_SW_C3; /* denormal (pseudo too) or zero */
    else if (!j)
        cls = 0; /* unsupported: unnormal, pseudo-NaN, pseudo-infinity */
    else if (exp == 0x7fff)
        cls = (v.mant << 1) ? FPU_SW_C0 : FPU_SW_C2 | FPU_SW_C0; /* NaN or infinity */
    else
        cls = FPU_SW_C2; /* normal */
    fpu_set_cc(f, cls | ((v.sexp & 0x8000) ? FPU_SW_C1 : 0));
}

/* FTST: compare ST(0) with +0.0. */
static void ftst(struct fpu *f)
{
    if (fpu_empty(f, 0)) {
        f->sw |= FPU_SW_C3 | FPU_SW_C2 | FPU_SW_C0;
        fpu_underflow(f);
        return;
    }
    struct fpu_host_job j = {.a = *fpu_st(f, 0)};
    fpu_compute(f, FH_TST, &j);
}

/* FLD1 ... FLDZ: the constants are rounded by RC (387 and later). */
static void load_const(struct fpu *f, enum fpu_host_op op)
{
    if (!fpu_empty(f, 7)) {
        if (fpu_overflow(f))
            fpu_push(f, fpu_indefinite());
        return;
    }
    struct fpu_host_job j = {0};
    fpu_compute(f, op, &j);
    f->sw &= (uint16_t)~FPU_SW_C1;
    fpu_push(f, j.a);
}

/* ST(0) = f(ST(0)): F2XM1, FSQRT, FRNDINT, FSIN, FCOS. Out of range FSIN and
 * FCOS set C2 and leave ST(0) as it was; the kernel reports that. */
static void unary(struct fpu *f, enum fpu_host_op op)
{
    if (fpu_empty(f, 0)) {
        if (op == FH_FSIN || op == FH_FCOS) /* C2 = 0: not "out of range" */
            f->sw &= (uint16_t)~FPU_SW_C2;
        if (fpu_underflow(f))
            fpu_write(f, 0, fpu_indefinite());
        return;
    }
    struct fpu_host_job j = {.a = *fpu_st(f, 0)};
    fpu_compute(f, op, &j);
    fpu_write(f, 0, j.a);
}

/* FPTAN, FSINCOS, FXTRACT: ST(0) is replaced and a second result pushed
 * (1.0, cos, significand). Nothing is pushed when the operand is out of
 * range (C2) or an unmasked invalid, zero-divide or denormal stopped it. */
static void two_results(struct fpu *f, enum fpu_host_op op)
{
    /* For FPTAN and FSINCOS a stack fault reports "in range": C2 = 0. */
    if ((fpu_empty(f, 0) || !fpu_empty(f, 7)) && op != FH_FXTRACT)
        f->sw &= (uint16_t)~FPU_SW_C2;
    if (fpu_empty(f, 0)) {
        if (fpu_underflow(f)) {
            fpu_write(f, 0, fpu_indefinite());
            fpu_push(f, fpu_indefinite());
        }
        return;
    }
    if (!fpu_empty(f, 7)) {
        if (fpu_overflow(f)) {
            fpu_write(f, 0, fpu_indefinite());
            fpu_push(f, fpu_indefinite());
        }
        return;
    }
    struct fpu_host_job j = {.a = *fpu_st(f, 0)};
    unsigned unmasked = fpu_compute(f, op, &j);
    if ((unmasked & FPU_SUPPRESS) || (op != FH_FXTRACT && (j.sw & FPU_SW_C2)))
        return;
    fpu_write(f, 0, j.b);
    fpu_push(f, j.a);
}

/* FPREM, FPREM1, FSCALE: ST(0) = f(ST(0), ST(1)). */
static void binary_st0(struct fpu *f, enum fpu_host_op op)
{
    if (fpu_empty(f, 0) || fpu_empty(f, 1)) {
        if (op != FH_FSCALE) /* FPREM(1): the reduction is "complete" */
            f->sw &= (uint16_t)~FPU_SW_C2;
        if (fpu_underflow(f))
            fpu_write(f, 0, fpu_indefinite());
        return;
    }
    struct fpu_host_job j = {.a = *fpu_st(f, 0), .b = *fpu_st(f, 1)};
    fpu_compute(f, op, &j);
    fpu_write(f, 0, j.a);
}

/* FYL2X, FYL2XP1, FPATAN: ST(1) = f(ST(1), ST(0)), then pop. The host form
 * pops too, so its result comes back as its new ST(0). */
static void binary_pop(struct fpu *f, enum fpu_host_op op)
{
    if (fpu_empty(f, 0) || fpu_empty(f, 1)) {
        if (fpu_underflow(f)) {
            fpu_write(f, 1, fpu_indefinite());
            fpu_pop(f);
        }
        return;
    }
    struct fpu_host_job j = {.a = *fpu_st(f, 0), .b = *fpu_st(f, 1)};
    unsigned unmasked = fpu_compute(f, op, &j);
    if (unmasked & FPU_SUPPRESS)
        return;
    fpu_write(f, 1, j.a);
    fpu_pop(f);
}

static void incdec_top(struct fpu *f, int delta)
{
    f->sw &= (uint16_t)~FPU_SW_C1;
    fpu_set_top(f, fpu_top(f) + delta);
}

/* D9 E0-FF. */
static int d9_functions(struct fpu *f, int low)
{
    static const uint8_t consts[7] = {FH_LD1, FH_LDL2T, FH_LDL2E, FH_LDPI,
                                      FH_LDLG2, FH_LDLN2, FH_LDZ};
    switch (low) {
    case 0x20: sign_op(f, false); break;
    case 0x21: sign_op(f, true); break;
    case 0x24: ftst(f); break;
    case 0x25: fxam(f); break;
    case 0x30: unary(f, FH_F2XM1); break;
    case 0x31: binary_pop(f, FH_FYL2X); break;
    case 0x32: two_results(f, FH_FPTAN); break;
    case 0x33: binary_pop(f, FH_FPATAN); break;
    case 0x34: two_results(f, FH_FXTRACT); break;
    case 0x35: binary_st0(f, FH_FPREM1); break;
    case 0x36: incdec_top(f, -1); break;
    case 0x37: incdec_top(f, 1); break;
    case 0x38: binary_st0(f, FH_FPREM); break;
    case 0x39: binary_pop(f, FH_FYL2XP1); break;
    case 0x3a: unary(f, FH_FSQRT); break;
    case 0x3b: two_results(f, FH_FSINCOS); break;
    case 0x3c: unary(f, FH_FRNDINT); break;
    case 0x3d: binary_st0(f, FH_FSCALE); break;
    case 0x3e: unary(f, FH_FSIN); break;
    case 0x3f: unary(f, FH_FCOS); break;
    default:
        if (low >= 0x28 && low <= 0x2e)
            load_const(f, (enum fpu_host_op)consts[low - 0x28]);
        break; /* the decoder lets through only defined forms */
    }
    return 0;
}

int x87_reg_misc(struct cpu *c, const struct insn *in)
{
    struct fpu *f = &c->fpu;
    int i = in->rm;
    int low = in->modrm & 0x3f; /* reg and rm */
    switch (in->opcode) {
    case 0xd9:
        switch (in->reg) {
        case 0: x87_fld_sti(f, i); return 0;
        case 1: x87_fxch(f, i); return 0;
        case 2: return 0; /* FNOP */
        case 3: x87_fst_sti(f, i, true, true); return 0; /* FSTP1 */
        default: return d9_functions(f, low);
        }
    case 0xdb:
        if (in->reg < 4)
            return x87_fcmov(c, in);
        if (in->reg > 4)
            return x87_fcomi(c, in);
        if (i == 2) { /* FNCLEX: flags, SF, ES and B; C0-C3 and TOP stay */
            f->sw &= (uint16_t)~(FPU_SW_EXC | FPU_SW_SF | FPU_SW_ES | FPU_SW_B);
            fpu_update_es(f);
        } else if (i == 3) {
            fpu_init_state(f);
        }
        return 0; /* FENI, FDISI, FSETPM: no-ops since the 387 */
    case 0xdd:
        switch (in->reg) {
        case 0: x87_ffree(f, i, false); return 0;
        case 1: x87_fxch(f, i); return 0; /* FXCH4 */
        case 2: x87_fst_sti(f, i, false, false); return 0;
        case 3: x87_fst_sti(f, i, true, false); return 0;
        case 4: return x87_compare(c, i, true, 0);
        default: return x87_compare(c, i, true, 1); /* 5 FUCOMP */
        }
    default: /* 0xdf */
        switch (in->reg) {
        case 0: x87_ffree(f, i, true); return 0; /* FFREEP */
        case 1: x87_fxch(f, i); return 0;         /* FXCH7 */
        case 2: case 3: x87_fst_sti(f, i, true, false); return 0; /* FSTP8, FSTP9 */
        case 4: reg_set(c, R_EAX, 2, f->sw); return 0;     /* FNSTSW AX */
        default: return x87_fcomi(c, in);                  /* FUCOMIP, FCOMIP */
        }
    }
}
