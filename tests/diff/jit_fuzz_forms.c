/* SPDX-License-Identifier: MIT */
/* * kiln-jitfuzz instruction templates: moves, arithmetic and logic, shifts,
 * multiply and divide, conditional moves, bit instructions, x87 and MMX
 * (see jit_fuzz_table.c for the weights). Memory operands, prefixes and
 * setup units come from jit_fuzz_gen.c. Opcodes: Intel SDM Vol. 2 appendix A.
 */
#include "jit_fuzz_forms.h"

#include <string.h>

/* ---- moves ---- */

void fz_f_mov_r_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_opsize(g, u, size);
    fz_b(u, (size == 1 ? 0xb0 : 0xb8) + fz_wreg(g, size));
    fz_imm(u, fz_value(g, size), size);
}

void fz_f_mov_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    fz_rm_reg(g, u, fz_size(g), 0x88, true, false);
}

void fz_f_mov_r_rm(struct fz_gen *g, struct fz_unit *u)
{
    fz_rm_reg(g, u, fz_size(g), 0x8a, false, true);
}

void fz_f_mov_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_grp(g, u, size, size == 1 ? 0xc6 : 0xc7, 0, true);
    fz_imm(u, fz_value(g, size), fz_imm_len(size));
}

void fz_f_mov_moffs(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    struct fz_rm rm = {.mem = true};
    rm.m.asz = fz_chance(g, 15) ? 6 - g->code : g->code;
    rm.m.seg = fz_chance(g, 30) ? (int)fz_u(g, SEG_COUNT) : -1;
    uint32_t off = fz_target(g, rm.m.seg >= 0 ? rm.m.seg : SEG_DS, size, rm.m.asz);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, (fz_chance(g, 50) ? 0xa0 : 0xa2) + (size > 1));
    fz_bn(u, off, rm.m.asz);
}

void fz_f_movzx_movsx(struct fz_gen *g, struct fz_unit *u)
{
    int src = fz_chance(g, 60) ? 1 : 2;
    int op = (fz_chance(g, 50) ? 0xb6 : 0xbe) + (src == 2);
    fz_of_reg_rm(g, u, fz_size_wd(g), src, op, true, false);
}

void fz_f_xchg_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    fz_rm_reg(g, u, fz_size(g), 0x86, true, true);
}

void fz_f_xchg_acc(struct fz_gen *g, struct fz_unit *u)
{
    int r = 1 + (int)fz_u(g, 7); /* 90h itself is NOP */
    if (r == R_ESP && !fz_chance(g, 10)) r = R_EBX;
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, 0x90 + r);
}

/* ---- arithmetic and logic ---- */

void fz_f_alu_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    int op = (int)fz_u(g, 8);
    fz_rm_reg(g, u, fz_size(g), op * 8, op != 7, false);
}

void fz_f_alu_r_rm(struct fz_gen *g, struct fz_unit *u)
{
    int op = (int)fz_u(g, 8);
    fz_rm_reg(g, u, fz_size(g), op * 8 + 2, false, op != 7);
}

void fz_f_alu_acc_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_opsize(g, u, size);
    fz_b(u, (int)fz_u(g, 8) * 8 + 4 + (size > 1));
    fz_imm(u, fz_value(g, size), fz_imm_len(size));
}

void fz_f_alu_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g), op = (int)fz_u(g, 8);
    bool imm8 = size > 1 && fz_chance(g, 50);
    fz_grp(g, u, size, size == 1 ? 0x80 : imm8 ? 0x83 : 0x81, op, op != 7);
    fz_imm(u, fz_value(g, size), imm8 ? 1 : fz_imm_len(size));
}

void fz_f_test_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    fz_rm_reg(g, u, fz_size(g), 0x84, false, false);
}

void fz_f_test_acc_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_opsize(g, u, size);
    fz_b(u, 0xa8 + (size > 1));
    fz_imm(u, fz_value(g, size), fz_imm_len(size));
}

void fz_f_test_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_grp(g, u, size, size == 1 ? 0xf6 : 0xf7, 0, false);
    fz_imm(u, fz_value(g, size), fz_imm_len(size));
}

void fz_f_incdec_r(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    fz_opsize(g, u, size);
    fz_b(u, 0x40 + 8 * (int)fz_u(g, 2) + fz_wreg(g, size));
}

void fz_f_incdec_rm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_grp(g, u, size, size == 1 ? 0xfe : 0xff, (int)fz_u(g, 2), true);
}

void fz_f_not_neg(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_grp(g, u, size, size == 1 ? 0xf6 : 0xf7, 2 + (int)fz_u(g, 2), true);
}

void fz_f_lea(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    struct fz_rm rm = {.mem = true};
    fz_gen_mem(g, &rm.m, size);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x8d);
    fz_modrm(u, fz_wreg(g, size), &rm);
}

/* ---- shifts and rotates ---- */

static int shift_digit(struct fz_gen *g)
{
    static const int d[] = {0, 1, 2, 3, 4, 5, 7}; /* /6 is an undocumented SAL alias */
    return d[fz_u(g, 7)];
}

static uint32_t shift_count(struct fz_gen *g)
{
    return fz_chance(g, 75) ? fz_u(g, 34) : fz_u(g, 256);
}

void fz_f_shift_1(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_grp(g, u, size, size == 1 ? 0xd0 : 0xd1, shift_digit(g), true);
}

/* A count for a shift of 'rm': any, or (while finding 3 is open) one that
 * is not 0 after masking, for every width and rotate, on memory. */
static uint32_t count_for(struct fz_gen *g, const struct fz_rm *rm)
{
    return rm->mem && fz_avoid_zero_shift_mem ? 1 + fz_u(g, 7) : shift_count(g);
}

void fz_f_shift_cl(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, true);
    if (rm.mem && fz_avoid_zero_shift_mem) { /* in the unit: no jump can skip it */
        fz_b(u, 0xb0 + R_ECX);
        fz_b(u, count_for(g, &rm));
    } else if (fz_chance(g, 50)) {
        fz_setup_mov(g, R_ECX, 1, count_for(g, &rm));
    }
    fz_prefixes(g, u, size, &rm);
    fz_b(u, size == 1 ? 0xd2 : 0xd3);
    fz_modrm(u, shift_digit(g), &rm);
}

void fz_f_shift_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, true);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, size == 1 ? 0xc0 : 0xc1);
    fz_modrm(u, shift_digit(g), &rm);
    fz_b(u, count_for(g, &rm));
}

void fz_f_shld_shrd(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    bool by_cl = fz_chance(g, 50);
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, true);
    if (by_cl && rm.mem && fz_avoid_zero_shift_mem) {
        fz_b(u, 0xb0 + R_ECX);
        fz_b(u, count_for(g, &rm));
    } else if (by_cl && fz_chance(g, 50)) {
        fz_setup_mov(g, R_ECX, 1, count_for(g, &rm));
    }
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x0f);
    fz_b(u, (fz_chance(g, 50) ? 0xa4 : 0xac) + by_cl);
    fz_modrm(u, (int)fz_u(g, 8), &rm);
    if (!by_cl) fz_b(u, count_for(g, &rm));
}

/* ---- multiply and divide ---- */

void fz_f_imul_r_rm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    fz_of_reg_rm(g, u, size, size, 0xaf, true, false);
}

void fz_f_imul_r_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    bool imm8 = fz_chance(g, 50);
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, false);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, imm8 ? 0x6b : 0x69);
    fz_modrm(u, fz_wreg(g, size), &rm);
    fz_imm(u, fz_value(g, size), imm8 ? 1 : size);
}

void fz_f_mul_div(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g), digit = 4 + (int)fz_u(g, 4);
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, false);
    if (digit >= 6 && fz_chance(g, 50)) {
        /* a dividend that may fit: a small or sign-extended high half */
        uint32_t high = fz_chance(g, 50) ? 0 : fz_chance(g, 50) ? 0xffffffffu : fz_u(g, 4);
        fz_setup_mov(g, size == 1 ? 4 /* AH */ : R_EDX, size, high);
        if (!rm.mem) fz_setup_mov(g, rm.reg, size, fz_value(g, size) | 1);
    }
    fz_prefixes(g, u, size, &rm);
    fz_b(u, size == 1 ? 0xf6 : 0xf7);
    fz_modrm(u, digit, &rm);
}

/* ---- conditional moves ---- */

void fz_f_setcc(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm;
    fz_gen_rm(g, &rm, 1, true);
    fz_prefixes(g, u, 1, &rm);
    fz_b(u, 0x0f);
    fz_b(u, 0x90 + fz_cc(g));
    fz_modrm(u, 0, &rm);
}

void fz_f_cmovcc(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    fz_of_reg_rm(g, u, size, size, 0x40 + fz_cc(g), true, false);
}

void fz_f_bswap(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, 0x0f);
    fz_b(u, 0xc8 + fz_wreg(g, 4));
}

void fz_f_bt_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[4] = {0xa3 /* BT */, 0xab /* BTS */, 0xb3 /* BTR */, 0xbb /* BTC */};
    int size = fz_size_wd(g), k = (int)fz_u(g, 4);
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, k != 0);
    int reg = (int)fz_u(g, 8);
    if (rm.mem && reg != R_ESP && fz_chance(g, 70)) /* the bit offset reaches beyond the operand */
        fz_setup_mov(g, reg, size, fz_u(g, 0x200) - 0x80);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x0f);
    fz_b(u, ops[k]);
    fz_modrm(u, reg, &rm);
}

void fz_f_bt_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g), digit = 4 + (int)fz_u(g, 4);
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, digit != 4);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x0f);
    fz_b(u, 0xba);
    fz_modrm(u, digit, &rm);
    fz_b(u, fz_u(g, 256));
}

void fz_f_bsf_bsr(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    fz_of_reg_rm(g, u, size, size, fz_chance(g, 50) ? 0xbc : 0xbd, true, false);
}

void fz_f_xadd(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_of_reg_rm(g, u, size, size, 0xc0 + (size > 1), true, true);
}

void fz_f_cmpxchg(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_of_reg_rm(g, u, size, size, 0xb0 + (size > 1), false, true);
}

void fz_f_cmpxchg8b(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm = {.mem = true};
    fz_gen_mem(g, &rm.m, 8);
    fz_prefixes(g, u, 4, &rm);
    fz_b(u, 0x0f);
    fz_b(u, 0xc7);
    fz_modrm(u, 1, &rm);
}

void fz_f_rdtsc(struct fz_gen *g, struct fz_unit *u)
{
    (void)g;
    fz_b(u, 0x0f);
    fz_b(u, 0x31);
}

void fz_f_bound(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    struct fz_rm rm = {.mem = true};
    fz_gen_mem(g, &rm.m, 2 * size);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x62);
    fz_modrm(u, (int)fz_u(g, 8), &rm);
}

/* ---- x87 and MMX (through the interpreter's helpers) ---- */

void fz_f_x87_mem(struct fz_gen *g, struct fz_unit *u)
{
    static const struct {
        uint8_t op, digit, size;
    } f[] = {
        {0xd9, 0, 4}, {0xdd, 0, 8}, {0xdb, 5, 10}, {0xd9, 2, 4}, {0xd9, 3, 4},
        {0xdd, 2, 8}, {0xdd, 3, 8}, {0xdb, 7, 10}, {0xdb, 0, 4}, {0xdf, 0, 2},
        {0xdf, 5, 8}, {0xdb, 3, 4}, {0xdf, 3, 2},  {0xdf, 7, 8}, {0xd9, 7, 2},
        {0xdd, 7, 2}, {0xd8, 0, 4}, {0xdc, 0, 8},  {0xde, 0, 2}, {0xda, 0, 4},
    };
    int k = (int)fz_u(g, sizeof(f) / sizeof(f[0]));
    int digit = f[k].digit;
    if (k >= 16) digit = (int)fz_u(g, 8); /* the arithmetic rows: any of the eight */
    struct fz_rm rm = {.mem = true};
    fz_gen_mem(g, &rm.m, f[k].size);
    fz_prefixes(g, u, g->code, &rm);
    fz_b(u, f[k].op);
    fz_modrm(u, digit, &rm);
}

void fz_f_x87_reg(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[][2] = {
        {0xd9, 0xe8}, {0xd9, 0xe9}, {0xd9, 0xeb}, {0xd9, 0xee}, {0xd9, 0xe0}, {0xd9, 0xe1},
        {0xd9, 0xe4}, {0xd9, 0xe5}, {0xd9, 0xc8}, {0xd9, 0xc0}, {0xdd, 0xd8}, {0xd8, 0xc0},
        {0xdc, 0xc0}, {0xde, 0xc0}, {0xdf, 0xe0}, {0xdb, 0xe2}, {0xd9, 0xfa}, {0xd9, 0xf8},
        {0xd9, 0xfc}, {0xd9, 0xf6}, {0xd9, 0xf7}, {0xde, 0xd9}, {0xdd, 0xe0}, {0xdb, 0xe8},
        {0xda, 0xc0}, {0xdb, 0xc0}, {0x9b, 0x90},
    };
    int k = (int)fz_u(g, sizeof(ops) / sizeof(ops[0]));
    uint8_t b = ops[k][1];
    if (k >= 8 && k <= 10) b += (uint8_t)fz_u(g, 8); /* ST(i) */
    if ((k >= 11 && k <= 13) || k >= 24) b += (uint8_t)fz_u(g, 64) & 0x3f;
    if (k == 22 || k == 23) b += (uint8_t)fz_u(g, 8);
    fz_b(u, ops[k][0]);
    fz_b(u, b);
}

void fz_f_mmx(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[] = {0x6e, 0x7e, 0x6f, 0x7f, 0xfc, 0xfd, 0xfe, 0xf8, 0xf9, 0xfa,
                                  0xdb, 0xeb, 0xef, 0x74, 0x60, 0xd5, 0xe5, 0x63, 0x77};
    int op = ops[fz_u(g, sizeof(ops) / sizeof(ops[0]))];
    if (op == 0x77) { /* EMMS */
        fz_b(u, 0x0f);
        fz_b(u, op);
        return;
    }
    bool gpr = op == 0x6e || op == 0x7e;
    fz_of_reg_rm(g, u, g->code, gpr ? 4 : 8, op, false, op == 0x7e || op == 0x7f);
}
