/* SPDX-License-Identifier: MIT */
/*
 * struct cpu: all architectural state of one P6-class x86 CPU, passed
 * explicitly to every function (no globals). Owns registers, lazy flags,
 * segment caches, control/debug registers, descriptor-table registers, TSC,
 * MSRs and x87/MMX state, plus the bus interface through which the CPU
 * reaches memory and ports. Devices never see this struct.
 * Spec: Intel SDM Vol. 3A ch. 2-3 (system registers), Vol. 1 ch. 3 and 8.
 */
#ifndef KILN_CPU_CPU_H
#define KILN_CPU_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"
#include "cpu/insn.h"
#include "cpu/models.h"
#include "cpu/tlb.h"

/* Entries of the decoded-instruction cache (a power of two). */
#define ICACHE_ENTRIES 4096
/* The interpreter's pre-decoded runs (iblock.c): entries (a power of two),
 * and the most instructions and bytes one holds. */
#define IBLOCK_ENTRIES 16384
#define IBLOCK_INSNS 16
#define IBLOCK_BYTES 64

/* General registers in encoding order (ModRM reg field). */
enum { R_EAX, R_ECX, R_EDX, R_EBX, R_ESP, R_EBP, R_ESI, R_EDI };

/* Segment registers in encoding order (sreg field of ModRM). */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_COUNT, SEG_NONE = 7 };

/* EFLAGS bits. */
enum {
    FL_CF = 1u << 0,
    FL_R1 = 1u << 1, /* reserved, always 1 */
    FL_PF = 1u << 2,
    FL_AF = 1u << 4,
    FL_ZF = 1u << 6,
    FL_SF = 1u << 7,
    FL_TF = 1u << 8,
    FL_IF = 1u << 9,
    FL_DF = 1u << 10,
    FL_OF = 1u << 11,
    FL_IOPL = 3u << 12,
    FL_NT = 1u << 14,
    FL_RF = 1u << 16,
    FL_VM = 1u << 17,
    FL_AC = 1u << 18,
    FL_VIF = 1u << 19,
    FL_VIP = 1u << 20,
    FL_ID = 1u << 21,
    FL_ARITH = FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF,
};

/* CR0 bits. */
enum {
    CR0_PE = 1u << 0,
    CR0_MP = 1u << 1,
    CR0_EM = 1u << 2,
    CR0_TS = 1u << 3,
    CR0_ET = 1u << 4,
    CR0_NE = 1u << 5,
    CR0_WP = 1u << 16,
    CR0_AM = 1u << 18,
    CR0_NW = 1u << 29,
    CR0_CD = 1u << 30,
    CR0_PG = 1u << 31,
};

/* Exception vectors (SDM Vol. 3A table 6-1). */
enum {
    EXC_DE = 0,
    EXC_DB = 1,
    EXC_NMI = 2,
    EXC_BP = 3,
    EXC_OF = 4,
    EXC_BR = 5,
    EXC_UD = 6,
    EXC_NM = 7,
    EXC_DF = 8,
    EXC_TS = 10,
    EXC_NP = 11,
    EXC_SS = 12,
    EXC_GP = 13,
    EXC_PF = 14,
    EXC_MF = 16,
    EXC_AC = 17,
    EXC_MC = 18,
};

/*
 * Hidden part of a segment register. 'attr' holds bits 8-23 of the
 * descriptor's high dword shifted down by 8 (type, S, DPL, P, AVL, D/B, G),
 * so attr & 0x4000 is D/B. In real mode base = sel << 4 and limit = 0xffff.
 */
struct seg_cache {
    uint16_t sel;
    uint16_t attr;
    uint32_t base;
    uint32_t limit;
};

enum { SEG_ATTR_P = 0x80, SEG_ATTR_DB = 0x4000, SEG_ATTR_G = 0x8000 };

/* GDTR/IDTR. */
struct dtr {
    uint32_t base;
    uint16_t limit;
};

/* x87 register: 64-bit significand and 16-bit sign+exponent, as stored in
 * FSAVE images. MMX registers alias 'mant'. */
struct fpu_reg {
    uint64_t mant;
    uint16_t sexp;
};

/* x87 and MMX state (SDM Vol. 1 ch. 8-9). Registers are physical R0-R7;
 * ST(i) is R[(TOP + i) & 7] with TOP in sw bits 11-13. */
struct fpu {
    struct fpu_reg reg[8];
    uint16_t cw, sw, tw; /* tw: full 2-bit-per-register tag word */
    uint16_t fop;
    uint16_t fcs, fds;
    uint32_t fip, fdp;
    /* FERR# output pin: high while SW.ES is set, i.e. from the end of the
     * instruction that flagged an unmasked exception until FNCLEX, FNINIT,
     * FNSAVE or a state load clears it (P6 and 386 timing, SDM Vol. 3A
     * "Assertion of the FERR# Pin"). With CR0.NE = 0 a PC routes it to
     * IRQ13; the machine polls it after each step. See docs/x87.md. */
    uint8_t ferr;
    /* IGNNE# input pin, driven by the machine (a PC asserts it when the
     * IRQ13 handler writes port F0h, until FERR# drops). With CR0.NE = 0
     * and IGNNE# low, a waiting x87/MMX instruction that finds ES set
     * freezes: it is not executed, EIP stays on it and 'halted' is set,
     * so the next interrupt (IRQ13) is taken with the frozen instruction
     * as its return address. With IGNNE# high it runs normally. */
    uint8_t ignne;
};

/* Model-specific registers that a Pentium II has and software uses. */
struct msr_state {
    uint64_t apic_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t mtrr_def_type;
    uint64_t mtrr_fix[11];
    uint64_t mtrr_var[16]; /* base/mask pairs for 8 variable ranges */
    uint64_t perf[4];      /* PERFCTR0/1, EVNTSEL0/1 (stored; nothing counts) */
};

/*
 * How the CPU reaches the machine. Physical addresses below ram_size and
 * outside [hole_start, hole_end) are plain RAM read through 'ram'; all other
 * physical accesses and every port access go through the callbacks.
 * Unclaimed addresses must read as all-ones.
 */
struct cpu_bus {
    void *ctx;
    uint8_t *ram;
    uint32_t ram_size;
    uint32_t hole_start, hole_end;
    uint32_t (*mem_read)(void *ctx, uint32_t addr, int size);
    void (*mem_write)(void *ctx, uint32_t addr, int size, uint32_t val);
    uint32_t (*io_read)(void *ctx, uint16_t port, int size);
    void (*io_write)(void *ctx, uint16_t port, int size, uint32_t val);
};

/* The architectural state from r[] through seg[] in struct cpu (GPRs, EIP,
 * EFLAGS and lazy flags, CPL, segment caches) as it was at the start of the
 * instruction, restored when it faults so that the guest sees the state
 * exactly as before it (precise exceptions). One block copy, so those fields
 * stay contiguous (interp.c asserts the layout). String instructions move it
 * forward after each completed iteration. */
#define CPU_UNDO_BYTES 128

struct insn_undo {
    uint8_t bytes[CPU_UNDO_BYTES];
    /* 0 while bytes[] holds only the fields before seg[]: an instruction
     * that never writes segment caches commits that much, and the segment
     * caches, still as they were, are copied in before anything may change
     * them (interp.c). */
    uint8_t segs_saved;
};

/* Lazy-flags operations: which computation produced lf_res (see flags.h). */
enum lf_op {
    LF_NONE, /* eflags arithmetic bits are authoritative */
    LF_ADD,
    LF_ADC,
    LF_SUB,
    LF_SBB,
    LF_LOGIC,
    LF_INC,
    LF_DEC,
    LF_SHL,  /* dst = value, src = count (1..255, as the model masked it), res = result */
    LF_SHR,
    LF_SAR,
    LF_MUL,  /* MUL/IMUL: res = low half, src = 1 when the product overflows the size */
};

struct cpu {
    /* --- hot state, reached by offsetof from translated code --- */
    uint32_t r[8];
    uint32_t eip;
    uint32_t eflags; /* arithmetic bits are stale while lf_op != LF_NONE */
    uint32_t lf_res, lf_dst, lf_src;
    uint8_t lf_op, lf_size; /* lf_size in bytes: 1, 2 or 4 */
    uint8_t cpl;
    uint8_t halted;
    struct seg_cache seg[SEG_COUNT];

    /* --- system state --- */
    uint32_t cr[5];
    uint32_t dr[8];
    struct dtr gdtr, idtr;
    struct seg_cache ldtr, tr;
    /* The TSC reads tsc + the count of its source (cpu_tsc). The source is
     * the machine's clock at a constant rate, halted or not, as on a P6 and
     * later; a CPU without a machine counts retired instructions instead. */
    uint64_t tsc;
    uint64_t (*tsc_source)(void *opaque);
    void *tsc_opaque;
    struct msr_state msr;
    struct fpu fpu;

    /* --- DR7 decoded (debug.c) and debug traps pending after this instruction
     * (data breakpoints hit, task-switch trap: see debug.h) --- */
    struct {
        uint8_t exec_armed, data_armed, write_only, pending;
        uint8_t io_armed; /* R/W = 10: I/O breakpoints, live only while CR4.DE is set */
        uint32_t len_mask[4];
    } dbg;

    /* --- pending fault, filled by cpu_fault() --- */
    uint8_t exc_vector;
    uint8_t exc_has_error;
    uint32_t exc_error;

    /* --- execution bookkeeping --- */
    uint8_t irq_shadow;  /* 1 after STI / MOV SS / POP SS: no interrupt before the next insn */
    uint8_t rep_active;  /* a REP string instruction stopped mid-way and will resume */
    /* Nonzero only while interp_run_fast runs: bit s set when an access
     * through segment s needs no check but its offset's wrap (mem.h) */
    uint8_t flat_segs;
    /* While interp_run_fast runs a run of pre-decoded instructions: the
     * host address of the page holding it, and whether a store has touched
     * that page since the run's bytes were last checked (mem_note_store).
     * run_page is 0 otherwise, which no store touches. */
    uint8_t run_hit;
    uintptr_t run_page;
    uint32_t insn_eip;   /* EIP of the instruction being executed */
    uint32_t next_eip;   /* EIP of the following instruction, set before a handler runs */
    uint64_t icount;     /* retired instructions */
    uint64_t exceptions; /* exceptions delivered (or escalated), for engines and statistics */
    struct insn_undo undo;

    /* --- configuration --- */
    const struct cpu_model_info *model;
    uint32_t phys_mask; /* address-bus width of the model, ANDed with the A20 gate */
    bool a20;
    struct cpu_bus bus;

    /* --- the translator's links (src/jit); all zero when it is not in use --- */
    struct cpu_jit_link {
        const uint8_t *code_pages; /* per physical 4 KiB page: nonzero when it holds translated code */
        /* Called before the CPU writes [phys, phys + size) in such a page. */
        void (*code_write)(void *opaque, uint32_t phys, uint32_t size);
        void *opaque;
        uint64_t budget_end;             /* a block that would take icount past this does not run */
        const volatile int *intr_line;   /* translated code exits when *intr_line and IF */
        uint8_t smc_hit;                 /* a write just invalidated translated code */
        uint8_t shutdown;                /* a helper's instruction triple-faulted */
        void *engine;                    /* the translator running this CPU (exec.c) */
        uint8_t mode_dirty;              /* the interpreter ran: segments or mode may have changed */
        uint32_t jc_gen;                 /* jump-cache entries of another generation are stale */
        uint32_t jc_last_gen;            /* the last generation handed out (jit_jc_new_gen) */
        uint32_t jc_epoch;               /* bumped when every generation went stale */
        uint16_t host_fcw;               /* the host's x87 control word (inline x87 code) */
    } jit;

    /* --- the shadow page table (tlb.h), last: it is large --- */
    struct tlb tlb;

    /* --- decoded instructions, validated against their bytes (interp.c);
     * last, and not cleared by cpu_init, which bumps icache_epoch instead:
     * an entry of another epoch is empty (so is a zeroed one: key 0) --- */
    uint32_t icache_epoch;
    struct icache_entry {
        uint32_t lin;     /* linear address of the instruction */
        uint32_t epoch;   /* icache_epoch when filled */
        uint8_t key;      /* code size when decoded; 0 = empty */
        uint8_t bytes[16]; /* the instruction's bytes, zero past its length */
        struct insn insn;
    } icache[ICACHE_ENTRIES];

    /* --- runs of decoded instructions for interp_run_fast (iblock.c),
     * validated and emptied the same way --- */
    struct iblock {
        uint32_t lin;    /* linear address of the first instruction */
        uint32_t epoch;  /* icache_epoch when built */
        uint8_t key;     /* code size when decoded; 0 = empty */
        uint8_t n;       /* instructions; 0: the one at lin is not for the fast loop */
        uint8_t nbytes;  /* bytes[] in use: the instructions (or the one refused) */
        uint8_t kind[IBLOCK_INSNS]; /* IBLOCK_* bits per instruction */
        uint8_t bytes[IBLOCK_BYTES];
        op_handler_fn fn[IBLOCK_INSNS]; /* the handler that runs each */
        struct insn insn[IBLOCK_INSNS];
    } iblock[IBLOCK_ENTRIES];
};

/* Fault codes: 0 means success; CPU_FAULT means c->exc_* describe a pending exception. */
enum { CPU_OK = 0, CPU_FAULT = 1 };

/* Initialise 'c' as the given model with the given bus, then reset it. */
void cpu_init(struct cpu *c, const struct cpu_model_info *model, const struct cpu_bus *bus);

/* Processor reset (SDM Vol. 3A 9.1.1): CS:IP = F000:FFF0, real mode, EDX = signature. */
void cpu_reset(struct cpu *c);

/* The time-stamp counter now (what RDTSC and RDMSR 10h read). */
uint64_t cpu_tsc(const struct cpu *c);

/* Make the time-stamp counter read 'value' now (WRMSR 10h, reset). */
void cpu_tsc_set(struct cpu *c, uint64_t value);

/* Record a pending exception with an error code; returns CPU_FAULT. */
KILN_MUST_CHECK int cpu_fault_err(struct cpu *c, int vector, uint32_t error);

/* Record a pending exception without an error code; returns CPU_FAULT. */
KILN_MUST_CHECK int cpu_fault(struct cpu *c, int vector);

/* Load a segment register in real or V86 mode: base = sel << 4, limit kept. */
void cpu_load_seg_real(struct cpu *c, int seg, uint16_t sel);

/* Set the A20 gate; recomputes phys_mask. */
void cpu_set_a20(struct cpu *c, bool enabled);

/* True in protected mode outside V86. */
static inline bool cpu_pmode(const struct cpu *c)
{
    return (c->cr[0] & CR0_PE) && !(c->eflags & FL_VM);
}

/* Default operand and address size of the code segment (CS.D), in bytes. */
static inline int cpu_code_size(const struct cpu *c)
{
    return (c->cr[0] & CR0_PE) && !(c->eflags & FL_VM) && (c->seg[SEG_CS].attr & SEG_ATTR_DB) ? 4
                                                                                          : 2;
}

/* Stack width from SS.B, in bytes. */
static inline int cpu_stack_size(const struct cpu *c)
{
    return (c->cr[0] & CR0_PE) && !(c->eflags & FL_VM) && (c->seg[SEG_SS].attr & SEG_ATTR_DB) ? 4
                                                                                           : 2;
}

#endif
