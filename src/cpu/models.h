/* SPDX-License-Identifier: MIT */
/*
 * CPU models: one table row per generation, holding the behaviours that
 * software uses to tell x86 CPUs apart and that the hardware test vectors
 * check. Owns only constant data; never touches struct cpu.
 * Sources: SingleStepTests READMEs (8086, 80286), Intel SDM Vol. 3A ch. 22
 * ("Architecture compatibility"), Intel AP-485 (CPUID).
 */
#ifndef KILN_CPU_MODELS_H
#define KILN_CPU_MODELS_H

#include <stdbool.h>
#include <stdint.h>

/* Generations in order, so 'model >= CPU_386' reads as "386 or later". */
enum cpu_gen {
    CPU_8086,
    CPU_286,
    CPU_386,
    CPU_486,
    CPU_PENTIUM,
    CPU_PENTIUM2,
    CPU_GEN_COUNT,
};

struct cpu_model_info {
    const char *name;
    enum cpu_gen gen;
    uint32_t phys_mask;       /* address pins: 20 (8086), 24 (286), 32 */
    uint8_t max_insn_len;     /* #GP beyond this; 0 = no limit (8086 repeats prefixes) */
    uint32_t flags_fixed1;    /* bits that always read as 1 (bit 1; 8086: bits 12-15 too) */
    uint32_t flags_real_ro0;  /* bits that read as 0 and cannot be set in real mode */
    uint32_t flags_supported; /* bits that exist at all on this model */
    bool push_sp_new;         /* PUSH SP stores the decremented SP (8086) */
    uint8_t shift_count_mask; /* 0xff: 8086 shifts by the full CL; 0x1f from the 186 on */
    bool div_fault_next;      /* #DE pushes the address of the next instruction (8086) */
    bool idiv_min_faults;     /* IDIV quotient of -2^(n-1) raises #DE (8086) */
    bool rep_negates_muldiv;  /* REP before IMUL/IDIV negates the result (8086 microcode) */
    bool has_ud;              /* invalid opcodes raise #UD (not on the 8086) */
    bool offset_wraps;        /* a word at offset FFFF wraps to offset 0 (8086) */
    bool overrun_gp_only;     /* real-mode segment overrun is always INT 13 (286) */
    bool fault_keeps_steps;   /* a faulting string access or POP m16 keeps its SI/DI/CX/SP
                                 updates (286: those instructions are not restartable) */
    bool bcd_8086;            /* 8086 DAA/DAS: second step above 9F when AF is set, and the
                                 first step's carry/borrow does not reach CF */
    uint8_t aam0_flags;       /* AAM 0 before #DE: 0 flags untouched, 1 SZP of zero (8086),
                                 2 SZP of AL as a word (286) */
    /* CPUID: 0 max leaf means no CPUID instruction. */
    uint32_t cpuid_max;
    uint32_t cpuid_signature; /* leaf 1 EAX, and EDX at reset */
    uint32_t cpuid_features;  /* leaf 1 EDX */
};

/* The model named 'name' (8086, 286, 386, 486, pentium, pentium2), or NULL. */
const struct cpu_model_info *cpu_model_find(const char *name);

/* The model of the given generation. */
const struct cpu_model_info *cpu_model_get(enum cpu_gen gen);

/* The default model (pentium2). */
const struct cpu_model_info *cpu_model_default(void);

/* Space-separated list of model names, for help text. */
const char *cpu_model_names(void);

#endif
