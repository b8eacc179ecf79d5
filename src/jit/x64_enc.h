/* SPDX-License-Identifier: MIT */
/*
 * Private to src/jit/x64_*.c: one instruction described as fields (prefixes,
 * opcode, ModRM reg and r/m operands, immediate) and the encoder that turns
 * it into bytes. The rules for REX, ModRM, SIB and displacements live only in
 * x64_enc.c (SDM Vol. 2, 2.1-2.2; APM Vol. 3, 1.2-1.8); the emit files only
 * choose opcodes and forms. Not for use outside the x64 emitter.
 */
#ifndef KILN_JIT_X64_ENC_H
#define KILN_JIT_X64_ENC_H

#include "jit/x64_emit.h"

#define X64_MAX_INSN 15 /* the architectural length limit */

/* Masks of operand sizes an instruction accepts (each size is its own bit). */
#define X64_SZ_ALL  (X64_S8 | X64_S16 | X64_S32 | X64_S64)
#define X64_SZ_WIDE (X64_S16 | X64_S32 | X64_S64)
#define X64_SZ_STK  (X64_S16 | X64_S64)

struct x64_enc {
    uint8_t opc[3];
    uint8_t nopc;
    bool p66;        /* operand-size prefix */
    bool rexw;       /* REX.W */
    bool modrm;      /* a ModRM byte follows the opcode */
    bool plus_r;     /* no ModRM: register 'rm' is added to the last opcode byte */
    bool reg_is_reg; /* ModRM.reg holds a register (else a /digit) */
    bool reg8;       /* ...which is a byte register */
    bool rm_mem;     /* the r/m operand is 'mem' (else register 'rm') */
    bool rm8;        /* a register r/m (or +r) operand is a byte register */
    uint8_t reg;     /* register number or /digit */
    uint8_t rm;      /* register number */
    uint8_t imm_len; /* 0, 1, 2, 4 or 8 bytes */
    uint64_t imm;
    struct x64_mem mem;
};

/* Record 'err' in 'b' unless an error is already recorded. */
void x64_fail(struct x64_buf *b, enum x64_error err);

/* Clear 'e' and set its size prefixes; false (and 'b' in error) when 'size'
 * is not one of 'sizes', or 'b' is already in error. */
bool x64_enc_start(struct x64_buf *b, struct x64_enc *e, enum x64_size size, unsigned sizes);

/* Encode 'e' and append it to 'b', or record why it cannot be encoded. */
void x64_enc_emit(struct x64_buf *b, const struct x64_enc *e);

/* Does 'imm' fit a 'size'-byte immediate (signed or unsigned; at size 8 a
 * sign-extended imm32)? Records X64_ERR_OPERAND when it does not. */
bool x64_imm_check(struct x64_buf *b, int64_t imm, enum x64_size size);

/* 'v' truncated to 'size' bytes and sign-extended back to 64 bits. */
static inline int64_t x64_sext(int64_t v, enum x64_size size)
{
    switch (size) {
    case 1: return (int8_t)v;
    case 2: return (int16_t)v;
    case 4: return (int32_t)v;
    default: return v;
    }
}

/* Does 'v' fit a signed byte? */
static inline bool x64_fits8(int64_t v)
{
    return v >= INT8_MIN && v <= INT8_MAX;
}

/* Does 'v' fit a signed doubleword? */
static inline bool x64_fits32(int64_t v)
{
    return v >= INT32_MIN && v <= INT32_MAX;
}

/* Bytes of an operand-sized immediate (imm32 at size 8). */
static inline uint8_t x64_imm_len(enum x64_size size)
{
    return (uint8_t)(size == 8 ? 4 : size);
}

/* A one-byte opcode. */
static inline void x64_enc_op1(struct x64_enc *e, uint8_t op)
{
    e->opc[0] = op;
    e->nopc = 1;
}

/* A two-byte opcode 0F xx. */
static inline void x64_enc_op2(struct x64_enc *e, uint8_t op)
{
    e->opc[0] = 0x0f;
    e->opc[1] = op;
    e->nopc = 2;
}

/* ModRM.reg is register 'r' (a byte register when 'byte'). */
static inline void x64_enc_reg(struct x64_enc *e, enum x64_reg r, bool byte)
{
    e->modrm = true;
    e->reg_is_reg = true;
    e->reg = (uint8_t)r;
    e->reg8 = byte;
}

/* ModRM.reg is the opcode extension /digit. */
static inline void x64_enc_digit(struct x64_enc *e, int digit)
{
    e->modrm = true;
    e->reg_is_reg = false;
    e->reg = (uint8_t)digit;
}

/* ModRM.r/m is register 'r'. */
static inline void x64_enc_rm_reg(struct x64_enc *e, enum x64_reg r, bool byte)
{
    e->modrm = true;
    e->rm_mem = false;
    e->rm = (uint8_t)r;
    e->rm8 = byte;
}

/* ModRM.r/m is memory operand 'm'. */
static inline void x64_enc_rm_mem(struct x64_enc *e, struct x64_mem m)
{
    e->modrm = true;
    e->rm_mem = true;
    e->mem = m;
}

/* Opcode +r form with register 'r'. */
static inline void x64_enc_plus_r(struct x64_enc *e, enum x64_reg r, bool byte)
{
    e->plus_r = true;
    e->rm = (uint8_t)r;
    e->rm8 = byte;
}

/* An immediate of 'len' bytes (little-endian low bytes of 'v'). */
static inline void x64_enc_imm(struct x64_enc *e, int64_t v, int len)
{
    e->imm = (uint64_t)v;
    e->imm_len = (uint8_t)len;
}

#endif
