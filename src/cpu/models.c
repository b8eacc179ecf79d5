/* SPDX-License-Identifier: MIT */
/*
 * The CPU model table (see models.h). Each row states, with its source, how
 * one generation behaves where generations differ.
 */
#include "cpu/models.h"

#include <string.h>

#include "cpu/cpu.h"

/* CPUID leaf 1 EDX bits (SDM Vol. 2A, CPUID). Only features Kiln models are reported. */
enum {
    CPUID_FPU = 1u << 0,
    CPUID_DE = 1u << 2,
    CPUID_PSE = 1u << 3,
    CPUID_TSC = 1u << 4,
    CPUID_MSR = 1u << 5,
    CPUID_CX8 = 1u << 8,
    CPUID_SEP = 1u << 11,
    CPUID_MTRR = 1u << 12,
    CPUID_PGE = 1u << 13,
    CPUID_CMOV = 1u << 15,
    CPUID_MMX = 1u << 23,
    CPUID_FXSR = 1u << 24,
};

/* Flags every generation has: CF PF AF ZF SF TF IF DF OF and reserved bit 1. */
#define FLAGS_8086 0x0fd7u

static const struct cpu_model_info models[CPU_GEN_COUNT] = {
    [CPU_8086] = {
        .name = "8086",
        .gen = CPU_8086,
        .phys_mask = 0xfffff,
        .max_insn_len = 0,
        .flags_fixed1 = 0xf002, /* PUSHF shows bits 12-15 set (SDM Vol. 3A 22.2) */
        .flags_real_ro0 = 0,
        .flags_supported = FLAGS_8086 | 0xf000,
        .push_sp_new = true,
        .shift_count_mask = 0xff,
        .div_fault_next = true,
        .idiv_min_faults = true,
        .rep_negates_muldiv = true,
        .has_ud = false,
        .offset_wraps = true,
        .bcd_8086 = true,
        .aam0_flags = 1,
    },
    [CPU_286] = {
        .name = "286",
        .gen = CPU_286,
        .phys_mask = 0xffffff,
        .max_insn_len = 10,
        .flags_fixed1 = 0x0002,
        .flags_real_ro0 = 0xf000, /* IOPL and NT cannot be set in real mode on the 286 */
        .flags_supported = FLAGS_8086 | 0x7000,
        .shift_count_mask = 0x1f,
        .has_ud = true,
        .overrun_gp_only = true,
        .fault_keeps_steps = true,
        .aam0_flags = 2,
    },
    [CPU_386] = {
        .name = "386",
        .gen = CPU_386,
        .phys_mask = 0xffffffff,
        .max_insn_len = 15,
        .flags_fixed1 = 0x0002,
        .flags_real_ro0 = 0x8000,
        .flags_supported = FLAGS_8086 | 0x7000 | FL_RF | FL_VM,
        .shift_count_mask = 0x1f,
        .has_ud = true,
        .cpuid_signature = 0x0303, /* EDX at reset: 386 D-step */
    },
    [CPU_486] = {
        .name = "486",
        .gen = CPU_486,
        .phys_mask = 0xffffffff,
        .max_insn_len = 15,
        .flags_fixed1 = 0x0002,
        .flags_real_ro0 = 0x8000,
        .flags_supported = FLAGS_8086 | 0x7000 | FL_RF | FL_VM | FL_AC,
        .shift_count_mask = 0x1f,
        .has_ud = true,
        .cpuid_signature = 0x0402, /* 486DX; no CPUID instruction (EFLAGS.ID is fixed) */
    },
    [CPU_PENTIUM] = {
        .name = "pentium",
        .gen = CPU_PENTIUM,
        .phys_mask = 0xffffffff,
        .max_insn_len = 15,
        .flags_fixed1 = 0x0002,
        .flags_real_ro0 = 0x8000,
        .flags_supported = FLAGS_8086 | 0x7000 | FL_RF | FL_VM | FL_AC | FL_VIF | FL_VIP | FL_ID,
        .shift_count_mask = 0x1f,
        .has_ud = true,
        .cpuid_max = 1,
        .cpuid_signature = 0x0525, /* P54C, family 5 model 2 */
        .cpuid_features = CPUID_FPU | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_CX8,
    },
    [CPU_PENTIUM2] = {
        .name = "pentium2",
        .gen = CPU_PENTIUM2,
        .phys_mask = 0xffffffff,
        .max_insn_len = 15,
        .flags_fixed1 = 0x0002,
        .flags_real_ro0 = 0x8000,
        .flags_supported = FLAGS_8086 | 0x7000 | FL_RF | FL_VM | FL_AC | FL_VIF | FL_VIP | FL_ID,
        .shift_count_mask = 0x1f,
        .has_ud = true,
        .cpuid_max = 2,
        .cpuid_signature = 0x0652, /* Deschutes, family 6 model 5 stepping 2 */
        .cpuid_features = CPUID_FPU | CPUID_DE | CPUID_PSE | CPUID_TSC | CPUID_MSR | CPUID_CX8 |
                          CPUID_SEP | CPUID_MTRR | CPUID_PGE | CPUID_CMOV | CPUID_MMX | CPUID_FXSR,
    },
};

const struct cpu_model_info *cpu_model_find(const char *name)
{
    for (int g = 0; g < CPU_GEN_COUNT; g++)
        if (!strcmp(models[g].name, name))
            return &models[g];
    return NULL;
}

const struct cpu_model_info *cpu_model_get(enum cpu_gen gen)
{
    return &models[gen];
}

const struct cpu_model_info *cpu_model_default(void)
{
    return &models[CPU_PENTIUM2];
}

const char *cpu_model_names(void)
{
    return "8086 286 386 486 pentium pentium2";
}
