/* SPDX-License-Identifier: MIT */
/*
 * The x87 numeric kernel: every operation that rounds (arithmetic, square
 * root, transcendentals, constants, stores to narrower formats) runs on the
 * host's own x87 under the guest's control word, so the result, the
 * exception flags and C0-C3 are those of a real x87 to the bit. Only
 * numbers cross this boundary: the register stack, tags, stack faults,
 * masking policy and memory are the callers' (ops_x87_*.c).
 * Builds on x86 hosts only; elsewhere fpu_host_available() is false (see
 * docs/x87.md for the portable fallback). Spec: Intel SDM Vol. 1 ch. 8.
 */
#include "cpu/fpu.h"

#include "common/log.h"

/* KILN_NO_HOST_X87 builds the non-x86 variant on an x86 host, to try it. */
#if (defined(__x86_64__) || defined(__i386__)) && !defined(KILN_NO_HOST_X87)

bool fpu_host_available(void)
{
    return true;
}

/* The FLDENV image in the 32-bit protected-mode layout (what 64-bit mode
 * uses as well). */
struct host_env {
    uint16_t cw, cw_hi, sw, sw_hi, tw, tw_hi;
    uint32_t fip;
    uint16_t fcs, fop;
    uint32_t fdp;
    uint16_t fds, fds_hi;
};

/*
 * One host form. FLDENV installs the guest control word, the starting
 * condition codes and an empty stack with TOP = 0; b and a are pushed (TOP
 * is then 6); the form runs; FNSTSW reads its status before anything else.
 * FNCLEX then withdraws a pending unmasked exception so that the waiting
 * stores after it cannot trap in the host, the stores run fully masked, and
 * FNINIT plus the saved control word leave the host FPU as the C ABI
 * expects it (empty stack, caller's control word).
 */
#define HOST_FORM(b0, b1)                                                                          \
    __asm__ volatile("fnstcw %[hcw]\n\t"                                                           \
                     "fnclex\n\t"                                                                  \
                     "fldenv %[env]\n\t"                                                           \
                     "fldt %[b]\n\t"                                                               \
                     "fldt %[a]\n\t"                                                               \
                     ".byte " #b0 ", " #b1 "\n\t"                                                  \
                     "fnstsw %[sw]\n\t"                                                            \
                     "fnclex\n\t"                                                                  \
                     "fldcw %[masked]\n\t"                                                         \
                     "fstpt %[a]\n\t"                                                              \
                     "fstpt %[b]\n\t"                                                              \
                     "fninit\n\t"                                                                  \
                     "fldcw %[hcw]"                                                                \
                     : [sw] "=m"(sw), [a] "+m"(j->a), [b] "+m"(j->b), [hcw] "+m"(hcw)              \
                     : [env] "m"(env), [masked] "m"(masked), "S"(j->mem)                           \
                     : "memory", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)",       \
                       "st(7)")

/*
 * The fast form, for a guest control word with every exception masked (so
 * the host cannot trap) and forms that leave the stack depth alone. No
 * FLDENV, FNCLEX or FNINIT - on this kind of machine an FNCLEX with flags
 * set costs ~70 ns and the whole careful form ~350 ns. Instead the host's
 * exception flags are kept a subset of the guest's: they are sticky on both
 * sides, so the flags read after the form are the guest's old flags plus
 * this form's. Before the form, host flags the guest does not have (the
 * guest cleared its own, or other host code set some) are cleared, which
 * is rare. C0-C3 cannot be passed in without FLDENV, so the caller takes
 * only the condition codes the form defines (fpu_host_fast_cc).
 */
#define HOST_FAST_FORM(b0, b1)                                                                     \
    __asm__ volatile("fnstcw %[hcw]\n\t"                                                           \
                     "fldcw %[gcw]\n\t"                                                            \
                     "fldt %[b]\n\t"                                                               \
                     "fldt %[a]\n\t"                                                               \
                     ".byte " #b0 ", " #b1 "\n\t"                                                  \
                     "fnstsw %[sw]\n\t"                                                            \
                     "fstpt %[a]\n\t"                                                              \
                     "fstpt %[b]\n\t"                                                              \
                     "fldcw %[hcw]"                                                                \
                     : [sw] "=m"(sw), [a] "+m"(j->a), [b] "+m"(j->b), [hcw] "+m"(hcw)              \
                     : [gcw] "m"(j->cw), "S"(j->mem)                                               \
                     : "memory", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)",       \
                       "st(7)")

unsigned fpu_host_fast_cc(enum fpu_host_op op)
{
    switch (op) {
    case FH_COM: case FH_UCOM: case FH_M32_COM: case FH_I32_COM: case FH_M64_COM:
    case FH_I16_COM: case FH_TST:
        return FPU_SW_CC; /* C0, C2, C3 from the comparison, C1 cleared */
    case FH_ADD: case FH_MUL: case FH_SUB: case FH_SUBR: case FH_DIV: case FH_DIVR:
    case FH_ADD_TO1: case FH_MUL_TO1: case FH_SUBR_TO1: case FH_SUB_TO1: case FH_DIVR_TO1:
    case FH_DIV_TO1: case FH_M32_ADD: case FH_M32_MUL: case FH_M32_SUB: case FH_M32_SUBR:
    case FH_M32_DIV: case FH_M32_DIVR: case FH_I32_ADD: case FH_I32_MUL: case FH_I32_SUB:
    case FH_I32_SUBR: case FH_I32_DIV: case FH_I32_DIVR: case FH_M64_ADD: case FH_M64_MUL:
    case FH_M64_SUB: case FH_M64_SUBR: case FH_M64_DIV: case FH_M64_DIVR: case FH_I16_ADD:
    case FH_I16_MUL: case FH_I16_SUB: case FH_I16_SUBR: case FH_I16_DIV: case FH_I16_DIVR:
    case FH_ST_M32: case FH_ST_M64: case FH_IST_M16: case FH_IST_M32: case FH_FSQRT:
    case FH_FRNDINT: case FH_FSCALE:
        return FPU_SW_C1; /* the rounding direction; C0, C2, C3 are left alone */
    default: return 0; /* not a fast form */
    }
}

void fpu_host_run_fast(struct fpu_host_job *j, enum fpu_host_op op, uint16_t guest_flags)
{
    uint16_t sw = 0, hcw = 0;
    __asm__ volatile("fnstsw %0" : "=m"(sw));
    if (sw & FPU_SW_EXC & ~guest_flags)
        __asm__ volatile("fnclex");
    switch (op) {
#define X(name, b0, b1)                                                                            \
    case FH_##name: HOST_FAST_FORM(b0, b1); break;
        FPU_HOST_OPS(X)
#undef X
    case FH_COUNT: break;
    }
    j->sw = sw;
}

void fpu_host_run(struct fpu_host_job *j, enum fpu_host_op op)
{
    struct host_env env = {.cw = j->cw, .sw = (uint16_t)(j->sw & FPU_SW_CC), .tw = 0xffff};
    uint16_t sw = 0, hcw = 0;
    const uint16_t masked = FPU_CW_INIT;
    switch (op) {
#define X(name, b0, b1)                                                                            \
    case FH_##name: HOST_FORM(b0, b1); break;
        FPU_HOST_OPS(X)
#undef X
    case FH_COUNT: break;
    }
    j->sw = sw;
}

#else

bool fpu_host_available(void)
{
    return false;
}

unsigned fpu_host_fast_cc(enum fpu_host_op op)
{
    (void)op;
    return 0;
}

void fpu_host_run_fast(struct fpu_host_job *j, enum fpu_host_op op, uint16_t guest_flags)
{
    (void)guest_flags;
    fpu_host_run(j, op);
}

void fpu_host_run(struct fpu_host_job *j, enum fpu_host_op op)
{
    (void)op;
    log_msg(LOG_STUB, "cpu", "x87 arithmetic needs an x86 host in this build");
    j->sw = FPU_SW_IE;
    j->a = j->b = fpu_indefinite();
}

#endif
