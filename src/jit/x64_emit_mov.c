/* SPDX-License-Identifier: MIT */
/*
 * x86-64 data movement: MOV, MOVZX/MOVSX/MOVSXD, LEA, XCHG, CMOVcc, SETcc,
 * BSWAP, PUSH/POP, PUSHFQ/POPFQ, LAHF/SAHF. Chooses opcodes and forms only;
 * the bytes are laid out by x64_enc.c. Opcodes from the Intel SDM Vol. 2
 * instruction pages of the same names (chapters 3-4).
 */
#include "jit/x64_enc.h"

void x64_mov_rr(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL)) return;
    x64_enc_op1(&e, size == 1 ? 0x88 : 0x89); /* MOV r/m, r */
    x64_enc_reg(&e, src, size == 1);
    x64_enc_rm_reg(&e, dst, size == 1);
    x64_enc_emit(b, &e);
}

void x64_mov_rm(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL)) return;
    x64_enc_op1(&e, size == 1 ? 0x8a : 0x8b); /* MOV r, r/m */
    x64_enc_reg(&e, dst, size == 1);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_mov_mr(struct x64_buf *b, enum x64_size size, struct x64_mem m, enum x64_reg src)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL)) return;
    x64_enc_op1(&e, size == 1 ? 0x88 : 0x89);
    x64_enc_reg(&e, src, size == 1);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_mov_ri(struct x64_buf *b, enum x64_size size, enum x64_reg dst, int64_t imm)
{
    struct x64_enc e;
    if (size == 8 && imm >= 0 && imm <= (int64_t)UINT32_MAX)
        size = 4; /* MOV r32, imm32 zero-extends into the full register */
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL)) return;
    if (size == 8 && x64_fits32(imm)) {
        x64_enc_op1(&e, 0xc7); /* REX.W C7 /0 id: imm32 sign-extended */
        x64_enc_digit(&e, 0);
        x64_enc_rm_reg(&e, dst, false);
        x64_enc_imm(&e, imm, 4);
    } else if (size == 8) {
        x64_enc_op1(&e, 0xb8); /* REX.W B8+r io */
        x64_enc_plus_r(&e, dst, false);
        x64_enc_imm(&e, imm, 8);
    } else {
        if (!x64_imm_check(b, imm, size)) return;
        x64_enc_op1(&e, size == 1 ? 0xb0 : 0xb8); /* B0+r ib, B8+r iw/id */
        x64_enc_plus_r(&e, dst, size == 1);
        x64_enc_imm(&e, imm, size);
    }
    x64_enc_emit(b, &e);
}

void x64_mov_ri64(struct x64_buf *b, enum x64_reg dst, uint64_t imm)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, 8, X64_S64)) return;
    x64_enc_op1(&e, 0xb8);
    x64_enc_plus_r(&e, dst, false);
    x64_enc_imm(&e, (int64_t)imm, 8);
    x64_enc_emit(b, &e);
}

void x64_mov_mi(struct x64_buf *b, enum x64_size size, struct x64_mem m, int64_t imm)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL) || !x64_imm_check(b, imm, size)) return;
    x64_enc_op1(&e, size == 1 ? 0xc6 : 0xc7); /* C6 /0 ib, C7 /0 iw/id */
    x64_enc_digit(&e, 0);
    x64_enc_rm_mem(&e, m);
    x64_enc_imm(&e, imm, x64_imm_len(size));
    x64_enc_emit(b, &e);
}

/* Start a MOVZX/MOVSX encoding; false when the size pair has no form. */
static bool ext_start(struct x64_buf *b, struct x64_enc *e, enum x64_size dsize,
                      enum x64_size ssize, bool sign)
{
    if (!x64_enc_start(b, e, dsize, X64_SZ_WIDE)) return false;
    if (ssize == 1 || (ssize == 2 && dsize > 2)) {
        /* 0F B6/B7 (zero) and 0F BE/BF (sign): r, r/m8 and r, r/m16 */
        x64_enc_op2(e, (uint8_t)((sign ? 0xbe : 0xb6) + (ssize == 2)));
        return true;
    }
    if (sign && ssize == 4 && dsize == 8) {
        x64_enc_op1(e, 0x63); /* MOVSXD r64, r/m32 */
        return true;
    }
    x64_fail(b, X64_ERR_OPERAND);
    return false;
}

void x64_movzx_rr(struct x64_buf *b, enum x64_size dsize, enum x64_reg dst, enum x64_size ssize,
                  enum x64_reg src)
{
    struct x64_enc e;
    if (!ext_start(b, &e, dsize, ssize, false)) return;
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_reg(&e, src, ssize == 1);
    x64_enc_emit(b, &e);
}

void x64_movzx_rm(struct x64_buf *b, enum x64_size dsize, enum x64_reg dst, enum x64_size ssize,
                  struct x64_mem m)
{
    struct x64_enc e;
    if (!ext_start(b, &e, dsize, ssize, false)) return;
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_movsx_rr(struct x64_buf *b, enum x64_size dsize, enum x64_reg dst, enum x64_size ssize,
                  enum x64_reg src)
{
    struct x64_enc e;
    if (!ext_start(b, &e, dsize, ssize, true)) return;
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_reg(&e, src, ssize == 1);
    x64_enc_emit(b, &e);
}

void x64_movsx_rm(struct x64_buf *b, enum x64_size dsize, enum x64_reg dst, enum x64_size ssize,
                  struct x64_mem m)
{
    struct x64_enc e;
    if (!ext_start(b, &e, dsize, ssize, true)) return;
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_lea(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_WIDE)) return;
    x64_enc_op1(&e, 0x8d);
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_xchg_rr(struct x64_buf *b, enum x64_size size, enum x64_reg r1, enum x64_reg r2)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL)) return;
    if (size != 1 && (r1 == X64_RAX) != (r2 == X64_RAX)) {
        /* 90+r: XCHG rAX, r. Never with rAX on both sides: 90 is NOP and
         * would not zero-extend EAX (SDM XCHG, NOP). */
        x64_enc_op1(&e, 0x90);
        x64_enc_plus_r(&e, r1 == X64_RAX ? r2 : r1, false);
    } else {
        x64_enc_op1(&e, size == 1 ? 0x86 : 0x87);
        x64_enc_reg(&e, r2, size == 1);
        x64_enc_rm_reg(&e, r1, size == 1);
    }
    x64_enc_emit(b, &e);
}

void x64_xchg_mr(struct x64_buf *b, enum x64_size size, struct x64_mem m, enum x64_reg r)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL)) return;
    x64_enc_op1(&e, size == 1 ? 0x86 : 0x87);
    x64_enc_reg(&e, r, size == 1);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

/* Start an encoding whose opcode is 0F base+cc; false on a bad cc or size. */
static bool cc_start(struct x64_buf *b, struct x64_enc *e, enum x64_size size, unsigned sizes,
                     enum x64_cond cc, uint8_t base)
{
    if (!x64_enc_start(b, e, size, sizes)) return false;
    if ((unsigned)cc > 15) {
        x64_fail(b, X64_ERR_OPERAND);
        return false;
    }
    x64_enc_op2(e, (uint8_t)(base + cc));
    return true;
}

void x64_cmov_rr(struct x64_buf *b, enum x64_cond cc, enum x64_size size, enum x64_reg dst,
                 enum x64_reg src)
{
    struct x64_enc e;
    if (!cc_start(b, &e, size, X64_SZ_WIDE, cc, 0x40)) return;
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_reg(&e, src, false);
    x64_enc_emit(b, &e);
}

void x64_cmov_rm(struct x64_buf *b, enum x64_cond cc, enum x64_size size, enum x64_reg dst,
                 struct x64_mem m)
{
    struct x64_enc e;
    if (!cc_start(b, &e, size, X64_SZ_WIDE, cc, 0x40)) return;
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_setcc_r(struct x64_buf *b, enum x64_cond cc, enum x64_reg r)
{
    struct x64_enc e;
    if (!cc_start(b, &e, 1, X64_S8, cc, 0x90)) return;
    x64_enc_digit(&e, 0);
    x64_enc_rm_reg(&e, r, true);
    x64_enc_emit(b, &e);
}

void x64_setcc_m(struct x64_buf *b, enum x64_cond cc, struct x64_mem m)
{
    struct x64_enc e;
    if (!cc_start(b, &e, 1, X64_S8, cc, 0x90)) return;
    x64_enc_digit(&e, 0);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_bswap(struct x64_buf *b, enum x64_size size, enum x64_reg r)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_S32 | X64_S64)) return;
    x64_enc_op2(&e, 0xc8); /* 0F C8+rd */
    x64_enc_plus_r(&e, r, false);
    x64_enc_emit(b, &e);
}

/* Start a stack operation: 64-bit is the default size, so no REX.W. */
static bool stack_start(struct x64_buf *b, struct x64_enc *e, enum x64_size size)
{
    if (!x64_enc_start(b, e, size, X64_SZ_STK)) return false;
    e->rexw = false;
    return true;
}

void x64_push_r(struct x64_buf *b, enum x64_size size, enum x64_reg r)
{
    struct x64_enc e;
    if (!stack_start(b, &e, size)) return;
    x64_enc_op1(&e, 0x50);
    x64_enc_plus_r(&e, r, false);
    x64_enc_emit(b, &e);
}

void x64_push_m(struct x64_buf *b, enum x64_size size, struct x64_mem m)
{
    struct x64_enc e;
    if (!stack_start(b, &e, size)) return;
    x64_enc_op1(&e, 0xff); /* FF /6 */
    x64_enc_digit(&e, 6);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_push_i(struct x64_buf *b, int32_t imm)
{
    struct x64_enc e;
    if (!stack_start(b, &e, 8)) return;
    bool short_form = x64_fits8(imm);
    x64_enc_op1(&e, short_form ? 0x6a : 0x68); /* 6A ib, 68 id */
    x64_enc_imm(&e, imm, short_form ? 1 : 4);
    x64_enc_emit(b, &e);
}

void x64_pop_r(struct x64_buf *b, enum x64_size size, enum x64_reg r)
{
    struct x64_enc e;
    if (!stack_start(b, &e, size)) return;
    x64_enc_op1(&e, 0x58);
    x64_enc_plus_r(&e, r, false);
    x64_enc_emit(b, &e);
}

void x64_pop_m(struct x64_buf *b, enum x64_size size, struct x64_mem m)
{
    struct x64_enc e;
    if (!stack_start(b, &e, size)) return;
    x64_enc_op1(&e, 0x8f); /* 8F /0 */
    x64_enc_digit(&e, 0);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

static void one_byte(struct x64_buf *b, uint8_t op)
{
    x64_bytes(b, &op, 1);
}

void x64_pushfq(struct x64_buf *b)
{
    one_byte(b, 0x9c);
}

void x64_popfq(struct x64_buf *b)
{
    one_byte(b, 0x9d);
}

void x64_lahf(struct x64_buf *b)
{
    one_byte(b, 0x9f);
}

void x64_sahf(struct x64_buf *b)
{
    one_byte(b, 0x9e);
}
