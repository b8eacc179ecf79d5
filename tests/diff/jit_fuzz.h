/* SPDX-License-Identifier: MIT */
/*
 * kiln-jitfuzz, the differential fuzzer of the translator against the
 * reference interpreter: shared types. A test case is a guest mode, an
 * initial CPU state, a seed for the RAM contents and a stream of "units"
 * (one instruction, or a short self-contained group such as CALL/RET) that
 * the generator (jit_fuzz_gen.c) draws from instruction templates; the
 * machine (jit_fuzz_machine.c) lays it out in RAM and runs it on both
 * engines; jit_fuzz.c drives, compares, reports and shrinks.
 * Owns no Kiln state; touches struct cpu only to set up and read back.
 */
#ifndef KILN_TESTS_JIT_FUZZ_H
#define KILN_TESTS_JIT_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"

/* Guest memory layout, the same in every mode (physical addresses). The
 * descriptor tables and exception handlers sit in ROM, where no stray store
 * can reach them. Each handler reports its vector on an I/O port (so the
 * counts are kept outside the guest) and resumes the stream at the unit
 * after the one that faulted, found in a ROM table indexed by the return
 * EIP (or restarts the stream, ESP reset, when that EIP is not in it), so
 * one faulting unit does not hide the rest of the stream. */
enum {
    FZ_RAM_SIZE = 0x40000, /* 256 KiB; above it only the ROM, the rest reads all-ones */
    FZ_CODE = 0x1000,      /* the stream starts in [FZ_CODE, FZ_CODE + 4 KiB) */
    FZ_CODE_MAX = 0xc00,   /* stream bytes at most, tail included */
    FZ_STACK_TOP = 0xf000, /* ESP at the start, after every loop and every restart */
    FZ_PAGEDIR = 0x31000,
    /* paging mode: the page directory (in RAM) */ FZ_PAGETAB = 0x32000,
    FZ_SLOT = 0x3f0000, /* paging mode: a linear page the stream remaps (then INVLPG) */
    FZ_PTWIN = 0x3f1000,
    /* paging mode: where the first page table is mapped, for that */ /* paging mode: two page
                                                                         tables, linear 0-8 MiB */
    FZ_ROM = 0xf0000, /* 64 KiB: IDT or IVT at its start */
    FZ_ROM_SIZE = 0x10000,
    FZ_GDT = FZ_ROM + 0x400,
    FZ_HANDLERS = FZ_ROM + 0x800, /* vector v's entry at FZ_HANDLERS + 16 v */
    FZ_RESUME = FZ_ROM + 0xa00,   /* the handlers' common part */
    FZ_NEXT = FZ_ROM + 0x1000,    /* 16-bit: next unit's address for each code offset */
    FZ_EXC_PORT = 0x80,           /* vector v's handler writes port FZ_EXC_PORT + v */
    FZ_VECTORS = 32,
    FZ_PERTURB_BYTE = 0x8000,
    FZ_IRQ_VECTOR = 31, /* the external interrupt's vector */
};

enum fz_mode {
    FZ_PMODE,   /* 32-bit flat protected mode, ring 0, no paging */
    FZ_REAL,    /* 16-bit real mode */
    FZ_PAGING,  /* as FZ_PMODE with paging on */
    FZ_PMODE16, /* protected mode, no paging, in a 16-bit code segment (16- or 32-bit stack) */
    FZ_USER,    /* as FZ_PAGING at CPL 3 (exceptions switch to the ring-0 stack of a TSS) */
    FZ_MODES,
};

/* GDT entries (selector = 8 * index): 1 flat 32-bit code, 2 flat data,
 * 3 small data, 4 expand-down data, 5 read-only data, 6 second flat code,
 * 7 not present, 8 16-bit code, 9 16-bit data (B = 0), 10 user code,
 * 11 user data (both DPL 3, flat), 12 the TSS. */
enum {
    FZ_GDT_ENTRIES = 13,
    FZ_SEL_UCODE = 0x53,
    FZ_SEL_UDATA = 0x5b,
    FZ_SEL_TSS = 0x60,
    FZ_TSS = 0xf3000,    /* in ROM: ESP0 and SS0 only, no I/O permission map */
    FZ_KSTACK = 0x30ff0, /* the ring-0 stack (a supervisor-only page) */
    FZ_SEL_CODE32 = 0x08,
    FZ_SEL_DATA = 0x10,
    FZ_SEL_CODE16 = 0x40,
    FZ_SEL_DATA16 = 0x48,
};

/* Random number generator (xorshift64*). */
struct fz_rng {
    uint64_t s;
};

void fz_rng_seed(struct fz_rng *r, uint64_t seed);
uint64_t fz_rng_next(struct fz_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t fz_rnd(struct fz_rng *r, uint32_t n);

/* The state both CPUs start from (besides RAM). */
struct fz_state {
    enum fz_mode mode;
    uint32_t r[8];
    uint32_t eflags;
    struct seg_cache seg[SEG_COUNT];
    uint32_t cr0, cr3;
    uint8_t cpl;
    uint32_t code_lin, code_eip; /* where the stream starts: linear address, and EIP */
    bool a20_off;                /* real mode: the A20 gate is closed (addresses wrap at 1 MiB) */
    uint32_t irq_period;         /* 0, or: the interrupt line rises after so many instructions */
    struct seg_cache gdt[FZ_GDT_ENTRIES]; /* the GDT's descriptors (entry 0: null) */
    uint64_t ram_seed;                    /* RAM outside the stream and system area */
    uint64_t pt_seed;                     /* paging mode: the page permissions */
    bool zero_ram;                        /* shrinking: RAM outside the stream is zero instead */
    const struct cpu_model_info *model; /* both engines' CPU; NULL: the default (pentium2).
                                           An 8086 or 286 runs real mode only, and the
                                           generator keeps the units that model has */
    bool perturb; /* self-test: the translator's CPU starts with EAX bit 0 and RAM byte
                     FZ_PERTURB_BYTE flipped, a difference to find */
};

enum fz_unit_kind {
    FZ_PLAIN, /* bytes as they are, plus an optional absolute fixup */
    FZ_JUMP,  /* ends with a displacement to the start of unit (index + 1 + skip) */
};

enum { FZ_UNIT_MAX = 64, FZ_MAX_UNITS = 256 };

struct fz_unit {
    uint8_t len;
    uint8_t kind;
    uint8_t rel_size; /* FZ_JUMP: bytes of displacement at the end: 1, 2 or 4 */
    uint8_t skip;     /* FZ_JUMP: units to skip forward */
    uint8_t abs_off;  /* FZ_PLAIN: offset of an absolute address to patch; 0: none */
    uint8_t abs_size; /* its width, 2 or 4 */
    uint8_t abs_add;  /* it becomes the unit's own address + abs_add */
    uint8_t abs_lin;  /* that address is linear (a data offset with base 0), not an EIP */
    uint16_t form;    /* index into fz_forms */
    uint8_t bytes[FZ_UNIT_MAX];
};

struct fz_stream {
    int n;
    struct fz_unit u[FZ_MAX_UNITS];
};

/* One instruction template. */
struct fz_gen;
struct fz_form {
    const char *name;
    int weight;
    unsigned modes; /* bit per enum fz_mode where it may be drawn */
    void (*fn)(struct fz_gen *g, struct fz_unit *u);
};

extern const struct fz_form fz_forms[];
extern const int fz_form_count;

/* Open translator bugs the fuzzer steers clear of (jit_fuzz_table.c). */
extern const bool fz_avoid_handler_eips;
extern const bool fz_avoid_ss_base;
extern const bool fz_avoid_zero_shift_mem;

/* True when the case's CPU predates the 386 (16-bit registers, no 66/67, FS, GS or most of 0F). */
bool fz_old_model(const struct fz_state *st);

/* Draw a random initial state for 'mode'. */
void fz_gen_state(struct fz_rng *r, enum fz_mode mode, struct fz_state *st);

/* The default operand and address size of the stream's code in 'mode'. */
int fz_mode_code_size(enum fz_mode mode);

/* Draw a random stream of about 'units' units for state 'st'. */
void fz_gen_stream(struct fz_rng *r, const struct fz_state *st, int units, struct fz_stream *s);

/* Lay the stream out with its tail: writes at most FZ_CODE_MAX bytes to
 * 'out' and returns the length. Units that do not fit are left out;
 * 'starts' (may be NULL) gets each laid-out unit's offset from the start and
 * then the tail's, 'laid' (may be NULL) their number. */
int fz_assemble(const struct fz_stream *s, const struct fz_state *st, uint8_t *out, int *starts,
                int *laid);

/* The machine: two CPUs (interpreter and translator), each with its own RAM. */
struct fz_machine;

/* A machine of CPU 'model' (NULL: the default) whose translator makes
 * blocks of at most 'block_insns' (0: default). */
struct fz_machine *fz_machine_new(int block_insns, const struct cpu_model_info *model);
void fz_machine_free(struct fz_machine *m);
int fz_machine_block_insns(const struct fz_machine *m);

/* Trace to 'f' (NULL: stop): each interpreter step and each new block (-d in_asm,ir). */
void fz_machine_set_trace(struct fz_machine *m, FILE *f);

/* The translator's statistics (-d jitstats) to 'f'. */
void fz_machine_print_stats(const struct fz_machine *m, FILE *f);

/* Result of one differential run. */
struct fz_result {
    bool differs;
    char what[256];           /* the first differing field, as a sentence */
    uint64_t insns;           /* instructions retired on each engine */
    uint32_t exceptions;      /* exceptions delivered (the handlers' port writes) */
    uint32_t exc[FZ_VECTORS]; /* the same by vector */
    bool stopped_early;       /* halt or shutdown before the budget */
    int known; /* the difference is attributed to this open finding (docs/findings/jitfuzz.md), or 0 */
    int units, units_run; /* units laid out, and those the interpreter began */
};

/* Run the stream from state 'st' for about 'budget' instructions on both
 * engines and compare everything. */
void fz_machine_run(struct fz_machine *m, const struct fz_state *st, const struct fz_stream *s,
                    uint64_t budget, struct fz_result *res);

#endif
