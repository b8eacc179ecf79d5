/* SPDX-License-Identifier: MIT */
/*
 * The x87 unit's internal interface, shared by fpu_*.c and ops_x87_*.c:
 * control/status/tag bits, the register stack, exception flagging, memory
 * formats, and the host numeric kernel (fpu_host.c) that does the rounding
 * arithmetic. Nothing outside the x87/MMX files includes this header.
 * Spec: Intel SDM Vol. 1 ch. 8 (x87 FPU), 4.2.2 and 4.8 (formats).
 */
#ifndef KILN_CPU_FPU_H
#define KILN_CPU_FPU_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/insn.h"

/* Control word (SDM Vol. 1 8.1.5). Bit 6 reads as 1; bits 7, 13-15 as 0. */
enum {
    FPU_CW_IM = 1u << 0,
    FPU_CW_DM = 1u << 1,
    FPU_CW_ZM = 1u << 2,
    FPU_CW_OM = 1u << 3,
    FPU_CW_UM = 1u << 4,
    FPU_CW_PM = 1u << 5,
    FPU_CW_PC = 3u << 8,
    FPU_CW_RC = 3u << 10,
    FPU_CW_X = 1u << 12, /* 8087/287 infinity control: stored, no effect */
    FPU_CW_WRITABLE = 0x1f3f,
    FPU_CW_ONES = 0x0040,
    FPU_CW_INIT = 0x037f,
};

/* Status word (SDM Vol. 1 8.1.3). */
enum {
    FPU_SW_IE = 1u << 0,
    FPU_SW_DE = 1u << 1,
    FPU_SW_ZE = 1u << 2,
    FPU_SW_OE = 1u << 3,
    FPU_SW_UE = 1u << 4,
    FPU_SW_PE = 1u << 5,
    FPU_SW_SF = 1u << 6,
    FPU_SW_ES = 1u << 7,
    FPU_SW_C0 = 1u << 8,
    FPU_SW_C1 = 1u << 9,
    FPU_SW_C2 = 1u << 10,
    FPU_SW_TOP = 7u << 11,
    FPU_SW_C3 = 1u << 14,
    FPU_SW_B = 1u << 15,
    FPU_SW_EXC = 0x3f, /* the six exception flags; the same bits mask them in the CW */
    FPU_SW_CC = FPU_SW_C0 | FPU_SW_C1 | FPU_SW_C2 | FPU_SW_C3,
};

/* Tags, two bits per physical register (SDM Vol. 1 8.1.7). */
enum { FPU_TAG_VALID = 0, FPU_TAG_ZERO = 1, FPU_TAG_SPECIAL = 2, FPU_TAG_EMPTY = 3 };

/* The QNaN floating-point indefinite: the masked response to invalid operations. */
static inline struct fpu_reg fpu_indefinite(void)
{
    return (struct fpu_reg){0xc000000000000000ull, 0xffff};
}

static inline int fpu_top(const struct fpu *f)
{
    return (f->sw >> 11) & 7;
}

static inline void fpu_set_top(struct fpu *f, int top)
{
    f->sw = (uint16_t)((f->sw & ~FPU_SW_TOP) | ((top & 7) << 11));
}

/* Physical register number of ST(i). */
static inline int fpu_phys(const struct fpu *f, int i)
{
    return (fpu_top(f) + i) & 7;
}

static inline struct fpu_reg *fpu_st(struct fpu *f, int i)
{
    return &f->reg[fpu_phys(f, i)];
}

static inline int fpu_tag(const struct fpu *f, int phys)
{
    return (f->tw >> (2 * phys)) & 3;
}

static inline bool fpu_empty(const struct fpu *f, int i)
{
    return fpu_tag(f, fpu_phys(f, i)) == FPU_TAG_EMPTY;
}

/* --- fpu_core.c: stack, tags, exceptions, pointers --- */

/* The tag that the register contents imply (never EMPTY). */
int fpu_tag_of(struct fpu_reg r);

/* Set the tag of physical register 'phys'. */
void fpu_set_tag(struct fpu *f, int phys, int tag);

/* Write ST(i) and tag it by its contents. */
void fpu_write(struct fpu *f, int i, struct fpu_reg v);

/* Decrement TOP and write ST(0). */
void fpu_push(struct fpu *f, struct fpu_reg v);

/* Tag ST(0) empty and increment TOP. */
void fpu_pop(struct fpu *f);

/* The tag word as FSTENV/FSAVE store it: empty stays empty, every other tag
 * is derived from the register contents, as the hardware does. */
uint16_t fpu_tag_word(const struct fpu *f);

/* Load a tag word image (FLDENV/FRSTOR): only empty versus full is kept,
 * full registers are re-tagged from their contents. */
void fpu_load_tag_word(struct fpu *f, uint16_t tw);

/* Recompute ES and B from the exception flags and masks, and the FERR#
 * output from ES. Call after any change to sw or cw. */
void fpu_update_es(struct fpu *f);

/* Set exception flags 'exc' (FPU_SW_IE ...); returns the unmasked subset. */
unsigned fpu_raise(struct fpu *f, unsigned exc);

/* Stack underflow (an empty source or destination): IE+SF, C1 = 0. Returns
 * true when masked, i.e. when the caller applies the masked response. */
bool fpu_underflow(struct fpu *f);

/* Stack overflow (push onto a full ST(7)): IE+SF, C1 = 1. Returns true when
 * masked. */
bool fpu_overflow(struct fpu *f);

/* Push with the overflow check: returns false (nothing pushed) when ST(7)
 * was full and IE is unmasked; a masked overflow pushes the indefinite. */
bool fpu_push_checked(struct fpu *f, struct fpu_reg v);

/* Replace C0-C3 with those of 'sw'. */
static inline void fpu_set_cc(struct fpu *f, unsigned sw)
{
    f->sw = (uint16_t)((f->sw & ~FPU_SW_CC) | (sw & FPU_SW_CC));
}

/* Exceptions that, unmasked, stop an instruction before it writes its
 * destination or pops: invalid operation, zero divide, denormal operand.
 * Unmasked overflow, underflow and precision still deliver the result. */
enum { FPU_SUPPRESS = FPU_SW_IE | FPU_SW_ZE | FPU_SW_DE };

/* FNINIT: control 037F, status 0, all empty, pointers and opcode 0. */
void fpu_init_state(struct fpu *f);

/* Record FIP/FCS/FOP (and FDP/FDS for memory forms) for a non-control
 * instruction that has executed. */
void fpu_note_insn(struct cpu *c, const struct insn *in);

/* Before a waiting x87 or MMX instruction: a pending unmasked exception
 * (SW.ES) raises #MF when CR0.NE = 1; when CR0.NE = 0 the CPU freezes at
 * the instruction with FERR# asserted (IGNNE# lets it continue). Returns 0
 * to go on, CPU_FAULT for #MF, or FPU_STALLED when frozen. */
enum { FPU_STALLED = 2 };
int fpu_check_pending(struct cpu *c);

/* --- fpu_format.c: memory formats (SDM Vol. 1 4.2, 4.7, 4.8) --- */

/* m32real / m64real to extended, exactly; an SNaN sets *exc to IE (and the
 * result is the quieted NaN), a denormal sets DE. */
struct fpu_reg fpu_from_f32(uint32_t v, unsigned *exc);
struct fpu_reg fpu_from_f64(uint64_t v, unsigned *exc);

/* Integer to extended (always exact; 0 gives +0). */
struct fpu_reg fpu_from_int(int64_t v);

/* 18-digit packed BCD (10 bytes) to extended. Nibbles above 9 are taken at
 * their binary value, the undefined case of the SDM. */
struct fpu_reg fpu_from_bcd(const uint8_t b[10]);

/* Read/write 'n' bytes (an even number: 2 to 512) at the instruction's
 * memory operand plus 'disp'. Writes probe every part before storing any. */
KILN_MUST_CHECK int fpu_mem_read(struct cpu *c, const struct insn *in, uint32_t disp, int n,
                                 uint8_t *buf);
KILN_MUST_CHECK int fpu_mem_probe(struct cpu *c, const struct insn *in, uint32_t disp, int n);
KILN_MUST_CHECK int fpu_mem_write(struct cpu *c, const struct insn *in, uint32_t disp, int n,
                                  const uint8_t *buf);

/* Raw little-endian 80-bit image of a register. */
void fpu_reg_to_bytes(struct fpu_reg r, uint8_t out[10]);
struct fpu_reg fpu_reg_from_bytes(const uint8_t in[10]);

/* --- fpu_host.c: the numeric kernel --- */

/*
 * One numeric operation executed by the host's x87 with the guest control
 * word: 'b' is pushed, then 'a', so a is ST(0) and b ST(1); the host form
 * then runs on them (and on 'mem' for memory forms). On return 'sw' holds
 * the host status word after the operation (exception flags, C0-C3, TOP
 * relative to 6 before it), 'a'/'b' the new ST(0)/ST(1) and 'mem' any
 * stored value. On entry 'sw' gives the C0-C3 to start with, so that the
 * codes an instruction leaves alone come back unchanged.
 */
struct fpu_host_job {
    uint16_t cw;
    uint16_t sw;
    struct fpu_reg a, b;
    uint8_t mem[10];
};

/* Host forms, named by what they compute; ST1 means the host's ST(1). The
 * value is the form's two encoding bytes (memory forms address [rSI]). */
#define FPU_HOST_OPS(X)                                                                            \
    X(ADD, 0xd8, 0xc1) X(MUL, 0xd8, 0xc9) X(COM, 0xd8, 0xd1) X(SUB, 0xd8, 0xe1)                   \
    X(SUBR, 0xd8, 0xe9) X(DIV, 0xd8, 0xf1) X(DIVR, 0xd8, 0xf9) X(UCOM, 0xdd, 0xe1)                \
    X(ADD_TO1, 0xdc, 0xc1) X(MUL_TO1, 0xdc, 0xc9) X(SUBR_TO1, 0xdc, 0xe1)                         \
    X(SUB_TO1, 0xdc, 0xe9) X(DIVR_TO1, 0xdc, 0xf1) X(DIV_TO1, 0xdc, 0xf9)                         \
    X(M32_ADD, 0xd8, 0x06) X(M32_MUL, 0xd8, 0x0e) X(M32_COM, 0xd8, 0x16) X(M32_SUB, 0xd8, 0x26)   \
    X(M32_SUBR, 0xd8, 0x2e) X(M32_DIV, 0xd8, 0x36) X(M32_DIVR, 0xd8, 0x3e)                        \
    X(I32_ADD, 0xda, 0x06) X(I32_MUL, 0xda, 0x0e) X(I32_COM, 0xda, 0x16) X(I32_SUB, 0xda, 0x26)   \
    X(I32_SUBR, 0xda, 0x2e) X(I32_DIV, 0xda, 0x36) X(I32_DIVR, 0xda, 0x3e)                        \
    X(M64_ADD, 0xdc, 0x06) X(M64_MUL, 0xdc, 0x0e) X(M64_COM, 0xdc, 0x16) X(M64_SUB, 0xdc, 0x26)   \
    X(M64_SUBR, 0xdc, 0x2e) X(M64_DIV, 0xdc, 0x36) X(M64_DIVR, 0xdc, 0x3e)                        \
    X(I16_ADD, 0xde, 0x06) X(I16_MUL, 0xde, 0x0e) X(I16_COM, 0xde, 0x16) X(I16_SUB, 0xde, 0x26)   \
    X(I16_SUBR, 0xde, 0x2e) X(I16_DIV, 0xde, 0x36) X(I16_DIVR, 0xde, 0x3e)                        \
    X(ST_M32, 0xd9, 0x16) X(ST_M64, 0xdd, 0x16) X(IST_M16, 0xdf, 0x16) X(IST_M32, 0xdb, 0x16)     \
    X(ISTP_M64, 0xdf, 0x3e) X(BSTP, 0xdf, 0x36)                                                   \
    X(TST, 0xd9, 0xe4) X(LD1, 0xd9, 0xe8) X(LDL2T, 0xd9, 0xe9) X(LDL2E, 0xd9, 0xea)               \
    X(LDPI, 0xd9, 0xeb) X(LDLG2, 0xd9, 0xec) X(LDLN2, 0xd9, 0xed) X(LDZ, 0xd9, 0xee)              \
    X(F2XM1, 0xd9, 0xf0) X(FYL2X, 0xd9, 0xf1) X(FPTAN, 0xd9, 0xf2) X(FPATAN, 0xd9, 0xf3)          \
    X(FXTRACT, 0xd9, 0xf4) X(FPREM1, 0xd9, 0xf5) X(FPREM, 0xd9, 0xf8) X(FYL2XP1, 0xd9, 0xf9)      \
    X(FSQRT, 0xd9, 0xfa) X(FSINCOS, 0xd9, 0xfb) X(FRNDINT, 0xd9, 0xfc) X(FSCALE, 0xd9, 0xfd)      \
    X(FSIN, 0xd9, 0xfe) X(FCOS, 0xd9, 0xff)

enum fpu_host_op {
#define X(name, b0, b1) FH_##name,
    FPU_HOST_OPS(X)
#undef X
    FH_COUNT
};

/* True when this build can run the kernel (an x86 host). */
bool fpu_host_available(void);

/* Run 'op' on 'j' (see struct fpu_host_job). Only when fpu_host_available(). */
void fpu_host_run(struct fpu_host_job *j, enum fpu_host_op op);

/* The condition codes that 'op' defines when run by fpu_host_run_fast, or
 * 0 when 'op' has no fast form (it changes the stack depth, or defines C2,
 * or is rare). */
unsigned fpu_host_fast_cc(enum fpu_host_op op);

/* Run a fast form (fpu_host_fast_cc(op) != 0) for a control word with all
 * exceptions masked; 'guest_flags' are the guest's exception flags. j->sw
 * gets the host status after the form: its exception flags are the form's
 * plus a subset of 'guest_flags', and only the fpu_host_fast_cc(op) bits
 * of C0-C3 mean anything. */
void fpu_host_run_fast(struct fpu_host_job *j, enum fpu_host_op op, uint16_t guest_flags);

/* Run the kernel form 'op' on j->a/j->b (and j->mem) under the guest's
 * control word and condition codes; take C0-C3 and the exception flags of
 * the result into the guest status word. Returns the unmasked exceptions. */
unsigned fpu_compute(struct fpu *f, enum fpu_host_op op, struct fpu_host_job *j);

/* --- per-escape handlers (ops_x87_*.c), called by op_x87 after the checks --- */
/* FCOM/FUCOM of ST(0) with ST(i), then 'pops' pops (FCOMP, FCOMPP, ...). */
KILN_MUST_CHECK int x87_compare(struct cpu *c, int i, bool unordered, int pops);
KILN_MUST_CHECK int x87_fcmov(struct cpu *c, const struct insn *in); /* DA/DB C0-DF */
KILN_MUST_CHECK int x87_fcomi(struct cpu *c, const struct insn *in); /* DB/DF E8-F7 */
KILN_MUST_CHECK int x87_arith(struct cpu *c, const struct insn *in);   /* D8 DA DC DE */
KILN_MUST_CHECK int x87_load_store(struct cpu *c, const struct insn *in); /* D9 DB DD DF memory */
KILN_MUST_CHECK int x87_reg_misc(struct cpu *c, const struct insn *in); /* D9 DB DD DF registers */
KILN_MUST_CHECK int x87_env(struct cpu *c, const struct insn *in);     /* FLDENV FSTENV FSAVE FRSTOR */

/* Register moves (ops_x87_ldst.c): FLD ST(i), FST(P) ST(i), FXCH, FFREE(P). */
void x87_fld_sti(struct fpu *f, int i);
void x87_fst_sti(struct fpu *f, int i, bool pop, bool nocheck);
void x87_fxch(struct fpu *f, int i);
void x87_ffree(struct fpu *f, int i, bool pop);

/* FXSAVE/FXRSTOR (ops_x87_env.c), after op_fxsave's CR0 checks. */
KILN_MUST_CHECK int x87_fxsave(struct cpu *c, const struct insn *in);

#endif
