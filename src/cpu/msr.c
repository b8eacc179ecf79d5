/* SPDX-License-Identifier: MIT */
/*
 * RDMSR/WRMSR: the model-specific registers a Pentium II has and system
 * software touches (TSC, APIC base, SYSENTER, MTRRs, microcode signature).
 * Any other index raises #GP(0), as on the hardware.
 * Spec: Intel SDM Vol. 4 (MSRs of the P6 family), Vol. 3A 11.11 (MTRRs).
 */
#include "common/log.h"
#include "cpu/ops.h"

enum {
    MSR_TSC = 0x10,
    MSR_PLATFORM_ID = 0x17,
    MSR_APIC_BASE = 0x1b,
    MSR_BIOS_SIGN = 0x8b,
    MSR_PERFCTR0 = 0xc1, /* and 0xc2 */
    MSR_MTRRCAP = 0xfe,
    MSR_SYSENTER_CS = 0x174,
    MSR_SYSENTER_ESP = 0x175,
    MSR_SYSENTER_EIP = 0x176,
    MSR_EVNTSEL0 = 0x186, /* and 0x187 */
    MSR_MTRR_PHYS = 0x200, /* 0x200-0x20f: base/mask pairs */
    MSR_MTRR_FIX64K = 0x250,
    MSR_MTRR_FIX16K = 0x258,
    MSR_MTRR_FIX4K = 0x268, /* 0x268-0x26f */
    MSR_MTRR_DEF_TYPE = 0x2ff,
};

/* Where MSR 'idx' lives, or NULL when the model lacks it. Read-only ones set *ro. */
static uint64_t *msr_slot(struct cpu *c, uint32_t idx, bool *ro, uint64_t *scratch)
{
    struct msr_state *m = &c->msr;
    *ro = false;
    if (idx == MSR_TSC)
        return scratch;
    if (c->model->gen < CPU_PENTIUM2)
        return NULL;
    switch (idx) {
    case MSR_PLATFORM_ID:
    case MSR_BIOS_SIGN: *scratch = 0; return scratch;
    case MSR_APIC_BASE: return &m->apic_base;
    case MSR_MTRRCAP: *ro = true; *scratch = 0x508; return scratch; /* 8 variable, fixed, WC */
    case MSR_SYSENTER_CS: return &m->sysenter_cs;
    case MSR_SYSENTER_ESP: return &m->sysenter_esp;
    case MSR_SYSENTER_EIP: return &m->sysenter_eip;
    case MSR_MTRR_FIX64K: return &m->mtrr_fix[0];
    case MSR_MTRR_FIX16K: return &m->mtrr_fix[1];
    case MSR_MTRR_FIX16K + 1: return &m->mtrr_fix[2];
    case MSR_MTRR_DEF_TYPE: return &m->mtrr_def_type;
    }
    /* P6 performance monitoring: the registers exist; Kiln counts no events. */
    if (idx == MSR_PERFCTR0 || idx == MSR_PERFCTR0 + 1)
        return &m->perf[idx - MSR_PERFCTR0];
    if (idx == MSR_EVNTSEL0 || idx == MSR_EVNTSEL0 + 1)
        return &m->perf[2 + idx - MSR_EVNTSEL0];
    if (idx >= MSR_MTRR_PHYS && idx < MSR_MTRR_PHYS + 16)
        return &m->mtrr_var[idx - MSR_MTRR_PHYS];
    if (idx >= MSR_MTRR_FIX4K && idx < MSR_MTRR_FIX4K + 8)
        return &m->mtrr_fix[3 + idx - MSR_MTRR_FIX4K];
    return NULL;
}

int op_rdmsr(struct cpu *c, const struct insn *in)
{
    (void)in;
    TRY(cpu_need_cpl0(c));
    bool ro;
    uint64_t scratch = cpu_tsc(c);
    uint64_t *slot = msr_slot(c, c->r[R_ECX], &ro, &scratch);
    if (!slot) {
        log_msg(LOG_GUEST, "cpu", "RDMSR of unknown MSR %#x", c->r[R_ECX]);
        return cpu_fault_err(c, EXC_GP, 0);
    }
    c->r[R_EAX] = (uint32_t)*slot;
    c->r[R_EDX] = (uint32_t)(*slot >> 32);
    return 0;
}

int op_wrmsr(struct cpu *c, const struct insn *in)
{
    (void)in;
    TRY(cpu_need_cpl0(c));
    bool ro;
    uint64_t scratch = 0;
    uint32_t idx = c->r[R_ECX];
    uint64_t v = (uint64_t)c->r[R_EDX] << 32 | c->r[R_EAX];
    uint64_t *slot = msr_slot(c, idx, &ro, &scratch);
    if (!slot || ro) {
        log_msg(LOG_GUEST, "cpu", "WRMSR to %s MSR %#x", slot ? "read-only" : "unknown", idx);
        return cpu_fault_err(c, EXC_GP, 0);
    }
    if (idx == MSR_TSC)
        cpu_tsc_set(c, v);
    else
        *slot = v;
    return 0;
}
