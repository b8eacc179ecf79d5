/* SPDX-License-Identifier: MIT */
/*
 * CPUID: vendor, signature and feature flags of the selected model, and the
 * Pentium II's cache descriptors. Leaves above the maximum return the
 * highest basic leaf, as Intel processors do.
 * Spec: Intel SDM Vol. 2A (CPUID), AP-485.
 */
#include "cpu/ops.h"

int op_cpuid(struct cpu *c, const struct insn *in)
{
    (void)in;
    const struct cpu_model_info *m = c->model;
    uint32_t leaf = c->r[R_EAX];
    if (leaf > m->cpuid_max)
        leaf = m->cpuid_max;
    uint32_t a = 0, b = 0, cc = 0, d = 0;
    switch (leaf) {
    case 0:
        a = m->cpuid_max;
        b = 0x756e6547; /* "Genu" */
        d = 0x49656e69; /* "ineI" */
        cc = 0x6c65746e; /* "ntel" */
        break;
    case 1:
        a = m->cpuid_signature;
        d = m->cpuid_features;
        break;
    case 2:
        /* One iteration; 16 KiB L1 I/D caches, 512 KiB L2, TLB descriptors. */
        a = 0x03020101;
        d = 0x0c040843;
        break;
    }
    c->r[R_EAX] = a;
    c->r[R_EBX] = b;
    c->r[R_ECX] = cc;
    c->r[R_EDX] = d;
    return 0;
}
