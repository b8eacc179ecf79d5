/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 host instruction encoder: typed emit functions, each writing one
 * instruction into a struct x64_buf, plus labels and fixups for branches.
 * Owns only encoding (prefixes, REX, ModRM, SIB, displacement and immediate
 * choice); knows nothing of guest semantics or the IR, never allocates or
 * protects memory (codebuf.h does). Encodings: Intel SDM Vol. 2 (2.1-2.2
 * instruction format and REX, chapters 3-5 opcode pages), AMD64 APM Vol. 3.
 */
#ifndef KILN_JIT_X64_EMIT_H
#define KILN_JIT_X64_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Naming: x64_<insn>_<operands>, the letters in Intel operand order (the
 * destination first): r register, m memory, i immediate, cl the CL register,
 * 1 the constant one. Operand sizes are in bytes (enum x64_size); one
 * register number names every view of a register, and the size picks the
 * view: X64_RSP at size 1 is SPL, at size 4 ESP.
 *
 * Errors: an emit function that cannot encode what it was asked (no room,
 * an operand combination the ISA lacks, an immediate or branch that does not
 * fit) writes nothing and records the error in the buffer; later emits do
 * nothing. The caller checks once, with x64_buf_finish(), after a block.
 * A struct x64_buf is plain data: one per thread of emission.
 */

enum x64_reg {
    X64_RAX, X64_RCX, X64_RDX, X64_RBX, X64_RSP, X64_RBP, X64_RSI, X64_RDI,
    X64_R8, X64_R9, X64_R10, X64_R11, X64_R12, X64_R13, X64_R14, X64_R15,
    /* The legacy high-byte registers, for 8-bit operands only, in an
     * instruction that needs no REX prefix (no R8-R15, SPL-DIL or REX.W).
     * Their low three bits are their ModRM number. */
    X64_AH = 0x14, X64_CH, X64_DH, X64_BH,
    X64_NOREG = 0x7f, /* no base or no index in a memory operand */
};

enum x64_size { X64_S8 = 1, X64_S16 = 2, X64_S32 = 4, X64_S64 = 8 };

/* Condition codes, numbered as the low nibble of Jcc/SETcc/CMOVcc (SDM Vol. 1 B.1). */
enum x64_cond {
    X64_CC_O, X64_CC_NO, X64_CC_B, X64_CC_AE, X64_CC_E, X64_CC_NE, X64_CC_BE, X64_CC_A,
    X64_CC_S, X64_CC_NS, X64_CC_P, X64_CC_NP, X64_CC_L, X64_CC_GE, X64_CC_LE, X64_CC_G,
};

/* The condition that holds exactly when 'cc' does not. */
static inline enum x64_cond x64_cond_invert(enum x64_cond cc)
{
    return (enum x64_cond)(cc ^ 1);
}

enum x64_error {
    X64_OK,
    X64_ERR_FULL,    /* the instruction did not fit in the buffer */
    X64_ERR_OPERAND, /* no such encoding: size, register, scale or immediate */
    X64_ERR_RANGE,   /* a branch or RIP-relative target out of reach */
    X64_ERR_LABELS,  /* out of label or fixup slots, or a label never bound */
};

/* Memory operands. Build them with the x64_mem_* constructors below. */
enum x64_mem_kind {
    X64_MEM_SIB,    /* [base + index*scale + disp]; base and index optional */
    X64_MEM_RIP,    /* [rip + disp], disp from the end of the instruction */
    X64_MEM_RIP_TO, /* [rip + disp] reaching the absolute address 'target' */
};

struct x64_mem {
    uint8_t kind;  /* enum x64_mem_kind */
    uint8_t base;  /* enum x64_reg, X64_NOREG for none */
    uint8_t index; /* enum x64_reg, X64_NOREG for none; never X64_RSP */
    uint8_t scale; /* 1, 2, 4 or 8 */
    int32_t disp;
    uint64_t target; /* X64_MEM_RIP_TO only */
};

/* [base + disp]. */
static inline struct x64_mem x64_mem_base(enum x64_reg base, int32_t disp)
{
    return (struct x64_mem){X64_MEM_SIB, (uint8_t)base, X64_NOREG, 1, disp, 0};
}

/* [base + index*scale + disp]. */
static inline struct x64_mem x64_mem_sib(enum x64_reg base, enum x64_reg index, int scale,
                                         int32_t disp)
{
    return (struct x64_mem){X64_MEM_SIB, (uint8_t)base, (uint8_t)index, (uint8_t)scale, disp, 0};
}

/* [index*scale + disp32], no base. */
static inline struct x64_mem x64_mem_index(enum x64_reg index, int scale, int32_t disp)
{
    return (struct x64_mem){X64_MEM_SIB, X64_NOREG, (uint8_t)index, (uint8_t)scale, disp, 0};
}

/* [disp32]: an absolute address in the low or high 2 GiB (sign-extended). */
static inline struct x64_mem x64_mem_abs(int32_t addr)
{
    return (struct x64_mem){X64_MEM_SIB, X64_NOREG, X64_NOREG, 1, addr, 0};
}

/* [rip + disp], disp counted from the end of the instruction. */
static inline struct x64_mem x64_mem_rip(int32_t disp)
{
    return (struct x64_mem){X64_MEM_RIP, X64_NOREG, X64_NOREG, 1, disp, 0};
}

/* RIP-relative reference to the absolute host address 'target'. */
static inline struct x64_mem x64_mem_rip_to(uint64_t target)
{
    return (struct x64_mem){X64_MEM_RIP_TO, X64_NOREG, X64_NOREG, 1, 0, target};
}

/* Labels name a position in the buffer; branches to an unbound label are
 * recorded as fixups and patched when it is bound. */
#define X64_MAX_LABELS 64
#define X64_MAX_FIXUPS 128

struct x64_label {
    int id;
};

/* Width of a branch displacement. AUTO: rel8 when the label is already bound
 * and within reach, else rel32. */
enum x64_rel { X64_REL_AUTO = 0, X64_REL8 = 1, X64_REL32 = 4 };

struct x64_fixup {
    uint32_t field; /* offset of the displacement in the buffer */
    uint8_t width;  /* 1 or 4 */
    uint8_t label;
};

struct x64_buf {
    uint8_t *code;     /* where the bytes are written */
    size_t cap;        /* bytes available at 'code' */
    size_t pos;        /* bytes written */
    uint64_t run_base; /* the address code[0] executes at */
    enum x64_error err;
    int nlabels, nfixups;
    int32_t label_pos[X64_MAX_LABELS]; /* -1 while unbound */
    struct x64_fixup fixups[X64_MAX_FIXUPS];
};

/* Start emitting into code[0..cap), which will execute at address 'run_base'. */
void x64_buf_init(struct x64_buf *b, void *code, size_t cap, uint64_t run_base);

/* The first error recorded, X64_OK if none. */
enum x64_error x64_buf_error(const struct x64_buf *b);

/* Record that every referenced label is bound; return the first error, X64_OK if none. */
enum x64_error x64_buf_finish(struct x64_buf *b);

/* The address the next emitted byte will execute at. */
uint64_t x64_here(const struct x64_buf *b);

/* A short name for 'err', for messages. */
const char *x64_error_name(enum x64_error err);

/* Append 'n' raw bytes (data, or an encoding this API lacks). */
void x64_bytes(struct x64_buf *b, const void *bytes, size_t n);

/* ---- labels and patching (x64_emit_ctrl.c) ---- */

/* A new, unbound label; its id is -1 (and the buffer in error) when slots run out. */
struct x64_label x64_label_new(struct x64_buf *b);

/* Bind 'l' to the current position and patch every branch already aimed at it. */
void x64_label_bind(struct x64_buf *b, struct x64_label l);

/* Jcc to label 'l' with displacement width 'rel'. */
void x64_jcc_label(struct x64_buf *b, enum x64_cond cc, struct x64_label l, enum x64_rel rel);

/* JMP to label 'l' with displacement width 'rel'. */
void x64_jmp_label(struct x64_buf *b, struct x64_label l, enum x64_rel rel);

/* Point the rel8/rel32 field at buffer offset 'field' at buffer offset 'target'. */
void x64_patch_rel(struct x64_buf *b, size_t field, enum x64_rel width, size_t target);

/* Rewrite a sealed rel32 field (written through 'field', executing at
 * 'field_run') to reach 'target'; false, changing nothing, when out of reach. */
bool x64_patch_rel32(void *field, uint64_t field_run, uint64_t target);

/* ---- control transfer (x64_emit_ctrl.c) ---- */

/* Jcc rel8; 'disp' counts from the end of the instruction. */
void x64_jcc_rel8(struct x64_buf *b, enum x64_cond cc, int8_t disp);
/* Jcc rel32; returns the buffer offset of the displacement field (for
 * x64_patch_rel), SIZE_MAX when nothing was emitted. Likewise below. */
size_t x64_jcc_rel32(struct x64_buf *b, enum x64_cond cc, int32_t disp);
/* JMP rel8. */
void x64_jmp_rel8(struct x64_buf *b, int8_t disp);
/* JMP rel32; returns the buffer offset of the displacement field. */
size_t x64_jmp_rel32(struct x64_buf *b, int32_t disp);
/* CALL rel32; returns the buffer offset of the displacement field. */
size_t x64_call_rel32(struct x64_buf *b, int32_t disp);

/* Jcc rel32 to the absolute host address 'target'; X64_ERR_RANGE beyond +-2 GiB. */
void x64_jcc_abs(struct x64_buf *b, enum x64_cond cc, uint64_t target);
/* JMP to 'target': rel32 when in reach, else MOV scratch, imm64; JMP scratch
 * (all or nothing: a full buffer gets neither instruction). */
void x64_jmp_abs(struct x64_buf *b, uint64_t target, enum x64_reg scratch);
/* CALL 'target': rel32 when in reach, else MOV scratch, imm64; CALL scratch. */
void x64_call_abs(struct x64_buf *b, uint64_t target, enum x64_reg scratch);

/* JMP r64. */
void x64_jmp_r(struct x64_buf *b, enum x64_reg r);
/* JMP m64. */
void x64_jmp_m(struct x64_buf *b, struct x64_mem m);
/* CALL r64. */
void x64_call_r(struct x64_buf *b, enum x64_reg r);
/* CALL m64. */
void x64_call_m(struct x64_buf *b, struct x64_mem m);
/* RET. */
void x64_ret(struct x64_buf *b);
/* RET imm16: return and release 'bytes' of stack. */
void x64_ret_imm(struct x64_buf *b, uint16_t bytes);

/* The SDM's recommended NOP of 'len' bytes, 1 to 9. */
void x64_nop(struct x64_buf *b, int len);
/* Pad with NOPs until the position is a multiple of 'align' (a power of two). */
void x64_align(struct x64_buf *b, size_t align);
/* INT3. */
void x64_int3(struct x64_buf *b);
/* UD2. */
void x64_ud2(struct x64_buf *b);

/* ---- moves, stack, flags (x64_emit_mov.c) ---- */

/* MOV r, r (sizes 1-8). */
void x64_mov_rr(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src);
/* MOV r, m. */
void x64_mov_rm(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m);
/* MOV m, r. */
void x64_mov_mr(struct x64_buf *b, enum x64_size size, struct x64_mem m, enum x64_reg src);
/* MOV r, imm in the shortest form: at size 8, MOV r32, imm32 (zero-extending)
 * when imm fits 32 unsigned bits, else C7 imm32 sign-extended, else imm64.
 * Never XOR: flags are left alone. */
void x64_mov_ri(struct x64_buf *b, enum x64_size size, enum x64_reg dst, int64_t imm);
/* MOV r64, imm64 always in the 10-byte form (a patchable constant). */
void x64_mov_ri64(struct x64_buf *b, enum x64_reg dst, uint64_t imm);
/* MOV m, imm (at size 8 the imm32 is sign-extended). */
void x64_mov_mi(struct x64_buf *b, enum x64_size size, struct x64_mem m, int64_t imm);
/* MOVZX r, r: src size 1 or 2, dst size 2, 4 or 8 and wider than src. */
void x64_movzx_rr(struct x64_buf *b, enum x64_size dsize, enum x64_reg dst, enum x64_size ssize,
                  enum x64_reg src);
/* MOVZX r, m. */
void x64_movzx_rm(struct x64_buf *b, enum x64_size dsize, enum x64_reg dst, enum x64_size ssize,
                  struct x64_mem m);
/* MOVSX r, r; src size 4 with dst size 8 is MOVSXD. */
void x64_movsx_rr(struct x64_buf *b, enum x64_size dsize, enum x64_reg dst, enum x64_size ssize,
                  enum x64_reg src);
/* MOVSX/MOVSXD r, m. */
void x64_movsx_rm(struct x64_buf *b, enum x64_size dsize, enum x64_reg dst, enum x64_size ssize,
                  struct x64_mem m);
/* LEA r, m (sizes 2-8). */
void x64_lea(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m);
/* XCHG r, r (90+r when one side is the accumulator and the other is not). */
void x64_xchg_rr(struct x64_buf *b, enum x64_size size, enum x64_reg r1, enum x64_reg r2);
/* XCHG m, r (implicitly locked by the CPU). */
void x64_xchg_mr(struct x64_buf *b, enum x64_size size, struct x64_mem m, enum x64_reg r);
/* CMOVcc r, r (sizes 2-8). */
void x64_cmov_rr(struct x64_buf *b, enum x64_cond cc, enum x64_size size, enum x64_reg dst,
                 enum x64_reg src);
/* CMOVcc r, m. */
void x64_cmov_rm(struct x64_buf *b, enum x64_cond cc, enum x64_size size, enum x64_reg dst,
                 struct x64_mem m);
/* SETcc r8. */
void x64_setcc_r(struct x64_buf *b, enum x64_cond cc, enum x64_reg r);
/* SETcc m8. */
void x64_setcc_m(struct x64_buf *b, enum x64_cond cc, struct x64_mem m);
/* BSWAP r (sizes 4 and 8; 16 is undefined in the SDM). */
void x64_bswap(struct x64_buf *b, enum x64_size size, enum x64_reg r);
/* PUSH r (sizes 2 and 8). */
void x64_push_r(struct x64_buf *b, enum x64_size size, enum x64_reg r);
/* PUSH m (sizes 2 and 8). */
void x64_push_m(struct x64_buf *b, enum x64_size size, struct x64_mem m);
/* PUSH imm, sign-extended to 64 bits (imm8 form when it fits). */
void x64_push_i(struct x64_buf *b, int32_t imm);
/* POP r (sizes 2 and 8). */
void x64_pop_r(struct x64_buf *b, enum x64_size size, enum x64_reg r);
/* POP m (sizes 2 and 8). */
void x64_pop_m(struct x64_buf *b, enum x64_size size, struct x64_mem m);
/* PUSHFQ. */
void x64_pushfq(struct x64_buf *b);
/* POPFQ. */
void x64_popfq(struct x64_buf *b);
/* LAHF (AH := SF:ZF:0:AF:0:PF:1:CF). */
void x64_lahf(struct x64_buf *b);
/* SAHF. */
void x64_sahf(struct x64_buf *b);

/* ---- arithmetic and logic (x64_emit_alu.c) ---- */

/* The eight classic ALU operations, numbered as their ModRM /digit. */
enum x64_alu_op { X64_ADD, X64_OR, X64_ADC, X64_SBB, X64_AND, X64_SUB, X64_XOR, X64_CMP };

/* op r, r. */
void x64_alu_rr(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, enum x64_reg dst,
                enum x64_reg src);
/* op r, m. */
void x64_alu_rm(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, enum x64_reg dst,
                struct x64_mem m);
/* op m, r. */
void x64_alu_mr(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, struct x64_mem m,
                enum x64_reg src);
/* op r, imm: imm8 sign-extended when it fits, else the accumulator short form
 * or imm32 (sign-extended at size 8, where imm must fit 32 signed bits). */
void x64_alu_ri(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, enum x64_reg dst,
                int64_t imm);
/* op m, imm (imm8 sign-extended when it fits). */
void x64_alu_mi(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, struct x64_mem m,
                int64_t imm);

/* TEST r, r. */
void x64_test_rr(struct x64_buf *b, enum x64_size size, enum x64_reg r1, enum x64_reg r2);
/* TEST m, r. */
void x64_test_mr(struct x64_buf *b, enum x64_size size, struct x64_mem m, enum x64_reg r);
/* TEST r, imm (no imm8 form exists; the accumulator short form is used). */
void x64_test_ri(struct x64_buf *b, enum x64_size size, enum x64_reg r, int64_t imm);
/* TEST m, imm. */
void x64_test_mi(struct x64_buf *b, enum x64_size size, struct x64_mem m, int64_t imm);

/* One-operand group: INC/DEC (FE/FF) and NOT..IDIV (F6/F7). MUL, IMUL1, DIV
 * and IDIV take rDX:rAX implicitly. */
enum x64_unary_op { X64_INC, X64_DEC, X64_NOT, X64_NEG, X64_MUL, X64_IMUL1, X64_DIV, X64_IDIV };

/* op r. */
void x64_unary_r(struct x64_buf *b, enum x64_unary_op op, enum x64_size size, enum x64_reg r);
/* op m. */
void x64_unary_m(struct x64_buf *b, enum x64_unary_op op, enum x64_size size, struct x64_mem m);

/* IMUL r, r (sizes 2-8). */
void x64_imul_rr(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src);
/* IMUL r, m. */
void x64_imul_rm(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m);
/* IMUL r, r, imm (imm8 form when it fits). */
void x64_imul_rri(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src,
                  int64_t imm);
/* IMUL r, m, imm. */
void x64_imul_rmi(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m,
                  int64_t imm);

/* Shifts and rotates, numbered as their ModRM /digit (C0/C1/D0-D3). */
enum x64_shift_op { X64_ROL, X64_ROR, X64_RCL, X64_RCR, X64_SHL, X64_SHR, X64_SAR = 7 };

/* op r, 1. */
void x64_shift_r1(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, enum x64_reg r);
/* op r, imm8. */
void x64_shift_ri(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, enum x64_reg r,
                  uint8_t count);
/* op r, CL. */
void x64_shift_rcl(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, enum x64_reg r);
/* op m, 1. */
void x64_shift_m1(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, struct x64_mem m);
/* op m, imm8. */
void x64_shift_mi(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, struct x64_mem m,
                  uint8_t count);
/* op m, CL. */
void x64_shift_mcl(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, struct x64_mem m);

/* Double-precision shifts (sizes 2-8). */
enum x64_dshift_op { X64_SHLD, X64_SHRD };

/* op r, r, imm8. */
void x64_dshift_rri(struct x64_buf *b, enum x64_dshift_op op, enum x64_size size, enum x64_reg dst,
                    enum x64_reg src, uint8_t count);
/* op r, r, CL. */
void x64_dshift_rrcl(struct x64_buf *b, enum x64_dshift_op op, enum x64_size size, enum x64_reg dst,
                     enum x64_reg src);
/* op m, r, imm8. */
void x64_dshift_mri(struct x64_buf *b, enum x64_dshift_op op, enum x64_size size, struct x64_mem m,
                    enum x64_reg src, uint8_t count);
/* op m, r, CL. */
void x64_dshift_mrcl(struct x64_buf *b, enum x64_dshift_op op, enum x64_size size, struct x64_mem m,
                     enum x64_reg src);

/* Bit tests (sizes 2-8), numbered as their 0F BA /digit minus 4. */
enum x64_bt_op { X64_BT, X64_BTS, X64_BTR, X64_BTC };

/* op r, r. */
void x64_bt_rr(struct x64_buf *b, enum x64_bt_op op, enum x64_size size, enum x64_reg r,
               enum x64_reg bit);
/* op m, r (the bit offset may reach outside the operand: SDM BT). */
void x64_bt_mr(struct x64_buf *b, enum x64_bt_op op, enum x64_size size, struct x64_mem m,
               enum x64_reg bit);
/* op r, imm8. */
void x64_bt_ri(struct x64_buf *b, enum x64_bt_op op, enum x64_size size, enum x64_reg r,
               uint8_t bit);
/* op m, imm8. */
void x64_bt_mi(struct x64_buf *b, enum x64_bt_op op, enum x64_size size, struct x64_mem m,
               uint8_t bit);

/* BSF r, r (sizes 2-8). */
void x64_bsf_rr(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src);
/* BSF r, m. */
void x64_bsf_rm(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m);
/* BSR r, r. */
void x64_bsr_rr(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src);
/* BSR r, m. */
void x64_bsr_rm(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m);

/* CBW: AX := sign-extended AL. */
void x64_cbw(struct x64_buf *b);
/* CWDE: EAX := sign-extended AX. */
void x64_cwde(struct x64_buf *b);
/* CDQE: RAX := sign-extended EAX. */
void x64_cdqe(struct x64_buf *b);
/* CWD: DX:AX := sign-extended AX. */
void x64_cwd(struct x64_buf *b);
/* CDQ: EDX:EAX := sign-extended EAX. */
void x64_cdq(struct x64_buf *b);
/* CQO: RDX:RAX := sign-extended RAX. */
void x64_cqo(struct x64_buf *b);

#endif
