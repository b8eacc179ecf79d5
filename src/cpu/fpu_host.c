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

void fpu_host_run(struct fpu_host_job *j, enum fpu_host_op op)
{
    (void)op;
    log_msg(LOG_STUB, "cpu", "x87 arithmetic needs an x86 host in this build");
    j->sw = FPU_SW_IE;
    j->a = j->b = fpu_indefinite();
}

#endif
