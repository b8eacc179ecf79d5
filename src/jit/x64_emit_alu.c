/* SPDX-License-Identifier: MIT */
/*
 * x86-64 arithmetic and logic: the ADD..CMP group, TEST, INC/DEC/NOT/NEG and
 * MUL/IMUL/DIV/IDIV, IMUL r/r/imm, shifts and rotates, SHLD/SHRD, BT/BTS/BTR/
 * BTC, BSF/BSR and the accumulator sign extensions. Chooses opcodes and the
 * shortest immediate form only; x64_enc.c lays out the bytes. Opcodes from
 * the Intel SDM Vol. 2 instruction pages (and table A-6, the opcode groups).
 */
#include "jit/x64_enc.h"

/* Start an encoding whose enum operation must be at most 'max'. */
static bool op_start(struct x64_buf *b, struct x64_enc *e, enum x64_size size, unsigned sizes,
                     unsigned op, unsigned max)
{
    if (!x64_enc_start(b, e, size, sizes)) return false;
    if (op > max) {
        x64_fail(b, X64_ERR_OPERAND);
        return false;
    }
    return true;
}

void x64_alu_rr(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, enum x64_reg dst,
                enum x64_reg src)
{
    struct x64_enc e;
    if (!op_start(b, &e, size, X64_SZ_ALL, op, 7)) return;
    x64_enc_op1(&e, (uint8_t)(op * 8 + (size != 1))); /* op r/m, r */
    x64_enc_reg(&e, src, size == 1);
    x64_enc_rm_reg(&e, dst, size == 1);
    x64_enc_emit(b, &e);
}

void x64_alu_rm(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, enum x64_reg dst,
                struct x64_mem m)
{
    struct x64_enc e;
    if (!op_start(b, &e, size, X64_SZ_ALL, op, 7)) return;
    x64_enc_op1(&e, (uint8_t)(op * 8 + 2 + (size != 1))); /* op r, r/m */
    x64_enc_reg(&e, dst, size == 1);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_alu_mr(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, struct x64_mem m,
                enum x64_reg src)
{
    struct x64_enc e;
    if (!op_start(b, &e, size, X64_SZ_ALL, op, 7)) return;
    x64_enc_op1(&e, (uint8_t)(op * 8 + (size != 1)));
    x64_enc_reg(&e, src, size == 1);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

/* Group 1 (80/81/83 /op) with an immediate; the r/m operand is already set. */
static void alu_imm(struct x64_enc *e, enum x64_alu_op op, enum x64_size size, int64_t imm)
{
    int64_t v = x64_sext(imm, size);
    x64_enc_digit(e, op);
    if (size == 1) {
        x64_enc_op1(e, 0x80);
        x64_enc_imm(e, v, 1);
    } else if (x64_fits8(v)) {
        x64_enc_op1(e, 0x83); /* imm8 sign-extended to the operand size */
        x64_enc_imm(e, v, 1);
    } else {
        x64_enc_op1(e, 0x81);
        x64_enc_imm(e, v, x64_imm_len(size));
    }
}

void x64_alu_ri(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, enum x64_reg dst,
                int64_t imm)
{
    struct x64_enc e;
    if (!op_start(b, &e, size, X64_SZ_ALL, op, 7) || !x64_imm_check(b, imm, size)) return;
    int64_t v = x64_sext(imm, size);
    if (dst == X64_RAX && (size == 1 || !x64_fits8(v))) {
        /* 04+8*op ib / 05+8*op iw/id: the accumulator form has no ModRM,
         * one byte shorter than 80/81 (but longer than 83). */
        x64_enc_op1(&e, (uint8_t)(op * 8 + 4 + (size != 1)));
        x64_enc_imm(&e, v, x64_imm_len(size));
    } else {
        x64_enc_rm_reg(&e, dst, size == 1);
        alu_imm(&e, op, size, imm);
    }
    x64_enc_emit(b, &e);
}

void x64_alu_mi(struct x64_buf *b, enum x64_alu_op op, enum x64_size size, struct x64_mem m,
                int64_t imm)
{
    struct x64_enc e;
    if (!op_start(b, &e, size, X64_SZ_ALL, op, 7) || !x64_imm_check(b, imm, size)) return;
    x64_enc_rm_mem(&e, m);
    alu_imm(&e, op, size, imm);
    x64_enc_emit(b, &e);
}

void x64_test_rr(struct x64_buf *b, enum x64_size size, enum x64_reg r1, enum x64_reg r2)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL)) return;
    x64_enc_op1(&e, size == 1 ? 0x84 : 0x85); /* TEST r/m, r */
    x64_enc_reg(&e, r2, size == 1);
    x64_enc_rm_reg(&e, r1, size == 1);
    x64_enc_emit(b, &e);
}

void x64_test_mr(struct x64_buf *b, enum x64_size size, struct x64_mem m, enum x64_reg r)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL)) return;
    x64_enc_op1(&e, size == 1 ? 0x84 : 0x85);
    x64_enc_reg(&e, r, size == 1);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_test_ri(struct x64_buf *b, enum x64_size size, enum x64_reg r, int64_t imm)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL) || !x64_imm_check(b, imm, size)) return;
    if (r == X64_RAX) {
        x64_enc_op1(&e, size == 1 ? 0xa8 : 0xa9); /* TEST AL, ib / rAX, iz */
    } else {
        x64_enc_op1(&e, size == 1 ? 0xf6 : 0xf7); /* F6/F7 /0 */
        x64_enc_digit(&e, 0);
        x64_enc_rm_reg(&e, r, size == 1);
    }
    x64_enc_imm(&e, x64_sext(imm, size), x64_imm_len(size));
    x64_enc_emit(b, &e);
}

void x64_test_mi(struct x64_buf *b, enum x64_size size, struct x64_mem m, int64_t imm)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_ALL) || !x64_imm_check(b, imm, size)) return;
    x64_enc_op1(&e, size == 1 ? 0xf6 : 0xf7);
    x64_enc_digit(&e, 0);
    x64_enc_rm_mem(&e, m);
    x64_enc_imm(&e, x64_sext(imm, size), x64_imm_len(size));
    x64_enc_emit(b, &e);
}

/* INC/DEC are FE/FF /0-/1; NOT..IDIV are F6/F7 /2-/7, so the enum is the digit. */
static bool unary_start(struct x64_buf *b, struct x64_enc *e, enum x64_unary_op op,
                        enum x64_size size)
{
    if (!op_start(b, e, size, X64_SZ_ALL, op, X64_IDIV)) return false;
    x64_enc_op1(e, (uint8_t)((op <= X64_DEC ? 0xfe : 0xf6) + (size != 1)));
    x64_enc_digit(e, op);
    return true;
}

void x64_unary_r(struct x64_buf *b, enum x64_unary_op op, enum x64_size size, enum x64_reg r)
{
    struct x64_enc e;
    if (!unary_start(b, &e, op, size)) return;
    x64_enc_rm_reg(&e, r, size == 1);
    x64_enc_emit(b, &e);
}

void x64_unary_m(struct x64_buf *b, enum x64_unary_op op, enum x64_size size, struct x64_mem m)
{
    struct x64_enc e;
    if (!unary_start(b, &e, op, size)) return;
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_imul_rr(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_WIDE)) return;
    x64_enc_op2(&e, 0xaf); /* IMUL r, r/m */
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_reg(&e, src, false);
    x64_enc_emit(b, &e);
}

void x64_imul_rm(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_WIDE)) return;
    x64_enc_op2(&e, 0xaf);
    x64_enc_reg(&e, dst, false);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

/* IMUL r, r/m, imm: 6B ib when the immediate fits a sign-extended byte, else 69. */
static void imul_imm(struct x64_enc *e, enum x64_size size, enum x64_reg dst, int64_t imm)
{
    int64_t v = x64_sext(imm, size);
    bool short_form = x64_fits8(v);
    x64_enc_op1(e, short_form ? 0x6b : 0x69);
    x64_enc_reg(e, dst, false);
    x64_enc_imm(e, v, short_form ? 1 : x64_imm_len(size));
}

void x64_imul_rri(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src,
                  int64_t imm)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_WIDE) || !x64_imm_check(b, imm, size)) return;
    imul_imm(&e, size, dst, imm);
    x64_enc_rm_reg(&e, src, false);
    x64_enc_emit(b, &e);
}

void x64_imul_rmi(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m,
                  int64_t imm)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_WIDE) || !x64_imm_check(b, imm, size)) return;
    imul_imm(&e, size, dst, imm);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

/* Group 2: 'base' is D0 (by 1), D2 (by CL) or C0 (by imm8); /6 is an
 * undocumented SAL alias and is refused. */
static bool shift_start(struct x64_buf *b, struct x64_enc *e, enum x64_shift_op op,
                        enum x64_size size, uint8_t base)
{
    if (!op_start(b, e, size, X64_SZ_ALL, op, X64_SAR)) return false;
    if (op == 6) {
        x64_fail(b, X64_ERR_OPERAND);
        return false;
    }
    x64_enc_op1(e, (uint8_t)(base + (size != 1)));
    x64_enc_digit(e, op);
    return true;
}

void x64_shift_r1(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, enum x64_reg r)
{
    struct x64_enc e;
    if (!shift_start(b, &e, op, size, 0xd0)) return;
    x64_enc_rm_reg(&e, r, size == 1);
    x64_enc_emit(b, &e);
}

void x64_shift_ri(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, enum x64_reg r,
                  uint8_t count)
{
    struct x64_enc e;
    if (!shift_start(b, &e, op, size, 0xc0)) return;
    x64_enc_rm_reg(&e, r, size == 1);
    x64_enc_imm(&e, count, 1);
    x64_enc_emit(b, &e);
}

void x64_shift_rcl(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, enum x64_reg r)
{
    struct x64_enc e;
    if (!shift_start(b, &e, op, size, 0xd2)) return;
    x64_enc_rm_reg(&e, r, size == 1);
    x64_enc_emit(b, &e);
}

void x64_shift_m1(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, struct x64_mem m)
{
    struct x64_enc e;
    if (!shift_start(b, &e, op, size, 0xd0)) return;
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_shift_mi(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, struct x64_mem m,
                  uint8_t count)
{
    struct x64_enc e;
    if (!shift_start(b, &e, op, size, 0xc0)) return;
    x64_enc_rm_mem(&e, m);
    x64_enc_imm(&e, count, 1);
    x64_enc_emit(b, &e);
}

void x64_shift_mcl(struct x64_buf *b, enum x64_shift_op op, enum x64_size size, struct x64_mem m)
{
    struct x64_enc e;
    if (!shift_start(b, &e, op, size, 0xd2)) return;
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

/* SHLD is 0F A4 (imm8) / A5 (CL), SHRD 0F AC / AD; ModRM.reg is the source. */
static bool dshift_start(struct x64_buf *b, struct x64_enc *e, enum x64_dshift_op op,
                         enum x64_size size, bool by_cl, enum x64_reg src)
{
    if (!op_start(b, e, size, X64_SZ_WIDE, op, X64_SHRD)) return false;
    x64_enc_op2(e, (uint8_t)((op == X64_SHLD ? 0xa4 : 0xac) + by_cl));
    x64_enc_reg(e, src, false);
    return true;
}

void x64_dshift_rri(struct x64_buf *b, enum x64_dshift_op op, enum x64_size size, enum x64_reg dst,
                    enum x64_reg src, uint8_t count)
{
    struct x64_enc e;
    if (!dshift_start(b, &e, op, size, false, src)) return;
    x64_enc_rm_reg(&e, dst, false);
    x64_enc_imm(&e, count, 1);
    x64_enc_emit(b, &e);
}

void x64_dshift_rrcl(struct x64_buf *b, enum x64_dshift_op op, enum x64_size size, enum x64_reg dst,
                     enum x64_reg src)
{
    struct x64_enc e;
    if (!dshift_start(b, &e, op, size, true, src)) return;
    x64_enc_rm_reg(&e, dst, false);
    x64_enc_emit(b, &e);
}

void x64_dshift_mri(struct x64_buf *b, enum x64_dshift_op op, enum x64_size size, struct x64_mem m,
                    enum x64_reg src, uint8_t count)
{
    struct x64_enc e;
    if (!dshift_start(b, &e, op, size, false, src)) return;
    x64_enc_rm_mem(&e, m);
    x64_enc_imm(&e, count, 1);
    x64_enc_emit(b, &e);
}

void x64_dshift_mrcl(struct x64_buf *b, enum x64_dshift_op op, enum x64_size size, struct x64_mem m,
                     enum x64_reg src)
{
    struct x64_enc e;
    if (!dshift_start(b, &e, op, size, true, src)) return;
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

/* BT r/m, r is 0F A3 + 8*op; BT r/m, imm8 is 0F BA /(4+op). */
static bool bt_start(struct x64_buf *b, struct x64_enc *e, enum x64_bt_op op, enum x64_size size)
{
    return op_start(b, e, size, X64_SZ_WIDE, op, X64_BTC);
}

void x64_bt_rr(struct x64_buf *b, enum x64_bt_op op, enum x64_size size, enum x64_reg r,
               enum x64_reg bit)
{
    struct x64_enc e;
    if (!bt_start(b, &e, op, size)) return;
    x64_enc_op2(&e, (uint8_t)(0xa3 + 8 * op));
    x64_enc_reg(&e, bit, false);
    x64_enc_rm_reg(&e, r, false);
    x64_enc_emit(b, &e);
}

void x64_bt_mr(struct x64_buf *b, enum x64_bt_op op, enum x64_size size, struct x64_mem m,
               enum x64_reg bit)
{
    struct x64_enc e;
    if (!bt_start(b, &e, op, size)) return;
    x64_enc_op2(&e, (uint8_t)(0xa3 + 8 * op));
    x64_enc_reg(&e, bit, false);
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_bt_ri(struct x64_buf *b, enum x64_bt_op op, enum x64_size size, enum x64_reg r,
               uint8_t bit)
{
    struct x64_enc e;
    if (!bt_start(b, &e, op, size)) return;
    x64_enc_op2(&e, 0xba);
    x64_enc_digit(&e, 4 + op);
    x64_enc_rm_reg(&e, r, false);
    x64_enc_imm(&e, bit, 1);
    x64_enc_emit(b, &e);
}

void x64_bt_mi(struct x64_buf *b, enum x64_bt_op op, enum x64_size size, struct x64_mem m,
               uint8_t bit)
{
    struct x64_enc e;
    if (!bt_start(b, &e, op, size)) return;
    x64_enc_op2(&e, 0xba);
    x64_enc_digit(&e, 4 + op);
    x64_enc_rm_mem(&e, m);
    x64_enc_imm(&e, bit, 1);
    x64_enc_emit(b, &e);
}

/* BSF is 0F BC, BSR 0F BD: r, r/m. */
static bool bscan_start(struct x64_buf *b, struct x64_enc *e, enum x64_size size, uint8_t op,
                        enum x64_reg dst)
{
    if (!x64_enc_start(b, e, size, X64_SZ_WIDE)) return false;
    x64_enc_op2(e, op);
    x64_enc_reg(e, dst, false);
    return true;
}

void x64_bsf_rr(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src)
{
    struct x64_enc e;
    if (!bscan_start(b, &e, size, 0xbc, dst)) return;
    x64_enc_rm_reg(&e, src, false);
    x64_enc_emit(b, &e);
}

void x64_bsf_rm(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m)
{
    struct x64_enc e;
    if (!bscan_start(b, &e, size, 0xbc, dst)) return;
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

void x64_bsr_rr(struct x64_buf *b, enum x64_size size, enum x64_reg dst, enum x64_reg src)
{
    struct x64_enc e;
    if (!bscan_start(b, &e, size, 0xbd, dst)) return;
    x64_enc_rm_reg(&e, src, false);
    x64_enc_emit(b, &e);
}

void x64_bsr_rm(struct x64_buf *b, enum x64_size size, enum x64_reg dst, struct x64_mem m)
{
    struct x64_enc e;
    if (!bscan_start(b, &e, size, 0xbd, dst)) return;
    x64_enc_rm_mem(&e, m);
    x64_enc_emit(b, &e);
}

/* 98 (CBW/CWDE/CDQE) and 99 (CWD/CDQ/CQO) at operand size 'size'. */
static void acc_ext(struct x64_buf *b, uint8_t op, enum x64_size size)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, size, X64_SZ_WIDE)) return;
    x64_enc_op1(&e, op);
    x64_enc_emit(b, &e);
}

void x64_cbw(struct x64_buf *b)
{
    acc_ext(b, 0x98, 2);
}

void x64_cwde(struct x64_buf *b)
{
    acc_ext(b, 0x98, 4);
}

void x64_cdqe(struct x64_buf *b)
{
    acc_ext(b, 0x98, 8);
}

void x64_cwd(struct x64_buf *b)
{
    acc_ext(b, 0x99, 2);
}

void x64_cdq(struct x64_buf *b)
{
    acc_ext(b, 0x99, 4);
}

void x64_cqo(struct x64_buf *b)
{
    acc_ext(b, 0x99, 8);
}
