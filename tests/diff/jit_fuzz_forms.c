/* SPDX-License-Identifier: MIT */
/*
 * kiln-jitfuzz instruction templates: one function per instruction form
 * (or small family), each writing one valid encoding with random operands,
 * plus the table that weights them and the list of forms excluded while a
 * translator bug they expose is open. Memory operands, prefixes and setup
 * units come from jit_fuzz_gen.c. Opcodes: Intel SDM Vol. 2 appendix A.
 */
#include "jit_fuzz_gen.h"

#include <string.h>

/* ==== KNOWN TRANSLATOR BUGS ==================================================
 * Templates left out of the streams because they expose an open translator
 * bug, each recorded with its minimal reproducer in FINDINGS.md. The main
 * developer empties this list as the bugs are fixed. */
static const char *const fz_excluded[] = {
    NULL,
};
/* ========================================================================== */

static int cc(struct fz_gen *g)
{
    return (int)fz_u(g, 16);
}

static void imm(struct fz_unit *u, uint32_t v, int size)
{
    fz_bn(u, v, size);
}

/* "op r/m, reg" or "op reg, r/m" with opcode 'op8' for bytes and op8 + 1 otherwise. */
static void rm_reg(struct fz_gen *g, struct fz_unit *u, int size, int op8, bool rm_dst,
                   bool reg_dst)
{
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, rm_dst);
    int reg = reg_dst ? fz_wreg(g, size) : (int)fz_u(g, 8);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, op8 + (size > 1));
    fz_modrm(u, reg, &rm);
}

/* Two-byte opcode 0F 'op' with a ModRM: reg destination, r/m source of 'src_size'. */
static void of_reg_rm(struct fz_gen *g, struct fz_unit *u, int size, int src_size, int op,
                      bool reg_dst, bool rm_dst)
{
    struct fz_rm rm;
    fz_gen_rm(g, &rm, src_size, rm_dst);
    int reg = reg_dst ? fz_wreg(g, size) : (int)fz_u(g, 8);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x0f);
    fz_b(u, op);
    fz_modrm(u, reg, &rm);
}

/* Group opcode with /digit on an r/m of 'size'. */
static void grp(struct fz_gen *g, struct fz_unit *u, int size, int op, int digit, bool dst)
{
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, dst);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, op);
    fz_modrm(u, digit, &rm);
}

static int imm_len(int size)
{
    return size == 1 ? 1 : size;
}

/* ---- moves ---- */

static void f_mov_r_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_opsize(g, u, size);
    fz_b(u, (size == 1 ? 0xb0 : 0xb8) + fz_wreg(g, size));
    imm(u, fz_value(g, size), size);
}

static void f_mov_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    rm_reg(g, u, fz_size(g), 0x88, true, false);
}

static void f_mov_r_rm(struct fz_gen *g, struct fz_unit *u)
{
    rm_reg(g, u, fz_size(g), 0x8a, false, true);
}

static void f_mov_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    grp(g, u, size, size == 1 ? 0xc6 : 0xc7, 0, true);
    imm(u, fz_value(g, size), imm_len(size));
}

static void f_mov_moffs(struct fz_gen *g, struct fz_unit *u)
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

static void f_movzx_movsx(struct fz_gen *g, struct fz_unit *u)
{
    int src = fz_chance(g, 60) ? 1 : 2;
    int op = (fz_chance(g, 50) ? 0xb6 : 0xbe) + (src == 2);
    of_reg_rm(g, u, fz_size_wd(g), src, op, true, false);
}

static void f_xchg_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    rm_reg(g, u, fz_size(g), 0x86, true, true);
}

static void f_xchg_acc(struct fz_gen *g, struct fz_unit *u)
{
    int r = 1 + (int)fz_u(g, 7); /* 90h itself is NOP */
    if (r == R_ESP && !fz_chance(g, 10)) r = R_EBX;
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, 0x90 + r);
}

/* ---- arithmetic and logic ---- */

static void f_alu_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    int op = (int)fz_u(g, 8);
    rm_reg(g, u, fz_size(g), op * 8, op != 7, false);
}

static void f_alu_r_rm(struct fz_gen *g, struct fz_unit *u)
{
    int op = (int)fz_u(g, 8);
    rm_reg(g, u, fz_size(g), op * 8 + 2, false, op != 7);
}

static void f_alu_acc_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_opsize(g, u, size);
    fz_b(u, (int)fz_u(g, 8) * 8 + 4 + (size > 1));
    imm(u, fz_value(g, size), imm_len(size));
}

static void f_alu_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g), op = (int)fz_u(g, 8);
    bool imm8 = size > 1 && fz_chance(g, 50);
    grp(g, u, size, size == 1 ? 0x80 : imm8 ? 0x83 : 0x81, op, op != 7);
    imm(u, fz_value(g, size), imm8 ? 1 : imm_len(size));
}

static void f_test_rm_r(struct fz_gen *g, struct fz_unit *u)
{
    rm_reg(g, u, fz_size(g), 0x84, false, false);
}

static void f_test_acc_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    fz_opsize(g, u, size);
    fz_b(u, 0xa8 + (size > 1));
    imm(u, fz_value(g, size), imm_len(size));
}

static void f_test_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    grp(g, u, size, size == 1 ? 0xf6 : 0xf7, 0, false);
    imm(u, fz_value(g, size), imm_len(size));
}

static void f_incdec_r(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    fz_opsize(g, u, size);
    fz_b(u, 0x40 + 8 * (int)fz_u(g, 2) + fz_wreg(g, size));
}

static void f_incdec_rm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    grp(g, u, size, size == 1 ? 0xfe : 0xff, (int)fz_u(g, 2), true);
}

static void f_not_neg(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    grp(g, u, size, size == 1 ? 0xf6 : 0xf7, 2 + (int)fz_u(g, 2), true);
}

static void f_lea(struct fz_gen *g, struct fz_unit *u)
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

static void f_shift_1(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    grp(g, u, size, size == 1 ? 0xd0 : 0xd1, shift_digit(g), true);
}

static void f_shift_cl(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    if (fz_chance(g, 50)) fz_setup_mov(g, R_ECX, 1, shift_count(g));
    grp(g, u, size, size == 1 ? 0xd2 : 0xd3, shift_digit(g), true);
}

static void f_shift_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    grp(g, u, size, size == 1 ? 0xc0 : 0xc1, shift_digit(g), true);
    fz_b(u, shift_count(g));
}

static void f_shld_shrd(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    bool by_cl = fz_chance(g, 50);
    if (by_cl && fz_chance(g, 50)) fz_setup_mov(g, R_ECX, 1, shift_count(g));
    of_reg_rm(g, u, size, size, (fz_chance(g, 50) ? 0xa4 : 0xac) + by_cl, false, true);
    if (!by_cl) fz_b(u, shift_count(g));
}

/* ---- multiply and divide ---- */

static void f_imul_r_rm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    of_reg_rm(g, u, size, size, 0xaf, true, false);
}

static void f_imul_r_rm_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    bool imm8 = fz_chance(g, 50);
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, false);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, imm8 ? 0x6b : 0x69);
    fz_modrm(u, fz_wreg(g, size), &rm);
    imm(u, fz_value(g, size), imm8 ? 1 : size);
}

static void f_mul_div(struct fz_gen *g, struct fz_unit *u)
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

/* ---- stack ---- */

static void f_push_r(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, 0x50 + (int)fz_u(g, 8));
}

static void f_pop_r(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    fz_opsize(g, u, size);
    fz_b(u, 0x58 + fz_wreg(g, size));
}

static void f_push_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    bool imm8 = fz_chance(g, 50);
    fz_opsize(g, u, size);
    fz_b(u, imm8 ? 0x6a : 0x68);
    imm(u, fz_value(g, size), imm8 ? 1 : size);
}

static void f_push_rm(struct fz_gen *g, struct fz_unit *u)
{
    grp(g, u, fz_size_wd(g), 0xff, 6, false);
}

static void f_pop_rm(struct fz_gen *g, struct fz_unit *u)
{
    grp(g, u, fz_size_wd(g), 0x8f, 0, true);
}

static void f_pushf_popf(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, fz_chance(g, 50) ? 0x9c : 0x9d);
}

static void f_pusha_popa(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, fz_chance(g, 50) ? 0x60 : 0x61);
}

/* ---- segment registers (never DS, SS or CS: the handlers rely on them) ---- */

static const uint16_t pm_selectors[] = {0, 0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0x13, 0x40};

static uint32_t selector(struct fz_gen *g)
{
    if (g->st->mode == FZ_REAL) return fz_chance(g, 70) ? fz_u(g, 0xe00) : fz_u(g, 0x10000);
    return pm_selectors[fz_u(g, sizeof(pm_selectors) / sizeof(pm_selectors[0]))];
}

static void f_push_sreg(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t op[6][2] = {{0x06}, {0x0e}, {0x16}, {0x1e}, {0x0f, 0xa0}, {0x0f, 0xa8}};
    int s = (int)fz_u(g, 6);
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, op[s][0]);
    if (op[s][1]) fz_b(u, op[s][1]);
}

static void f_pop_sreg(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t op[3][2] = {{0x07}, {0x0f, 0xa1}, {0x0f, 0xa9}};
    int s = (int)fz_u(g, 3);
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, op[s][0]);
    if (op[s][1]) fz_b(u, op[s][1]);
}

static void f_mov_sreg_rm(struct fz_gen *g, struct fz_unit *u)
{
    static const int sregs[3] = {SEG_ES, SEG_FS, SEG_GS};
    struct fz_rm rm;
    fz_gen_rm(g, &rm, 2, true);
    if (!rm.mem && fz_chance(g, 80)) fz_setup_mov(g, rm.reg, 2, selector(g));
    fz_prefixes(g, u, 2, &rm);
    fz_b(u, 0x8e);
    fz_modrm(u, sregs[fz_u(g, 3)], &rm);
}

static void f_mov_rm_sreg(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm;
    int size = fz_size_wd(g);
    fz_gen_rm(g, &rm, 2, true);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x8c);
    fz_modrm(u, (int)fz_u(g, 6), &rm);
}

/* ---- control flow: forward jumps inside the stream ---- */

static void jump(struct fz_gen *g, struct fz_unit *u, int rel_size)
{
    u->kind = FZ_JUMP;
    u->rel_size = (uint8_t)rel_size;
    u->skip = (uint8_t)fz_u(g, 6);
    fz_bn(u, 0, rel_size);
}

static void f_jcc8(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, 0x70 + cc(g));
    jump(g, u, 1);
}

static void f_jmp8(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, 0xeb);
    jump(g, u, 1);
}

/* Near forms; a 66 prefix swaps the displacement size (and, with 16 bits,
 * truncates EIP: harmless, as the code lies below 64 KiB). */
static int near_rel(struct fz_gen *g, struct fz_unit *u)
{
    bool swap = fz_chance(g, 10);
    if (swap) fz_b(u, 0x66);
    return swap ? 6 - g->code : g->code;
}

static void f_jcc_near(struct fz_gen *g, struct fz_unit *u)
{
    int rel = near_rel(g, u);
    fz_b(u, 0x0f);
    fz_b(u, 0x80 + cc(g));
    jump(g, u, rel);
}

static void f_jmp_near(struct fz_gen *g, struct fz_unit *u)
{
    int rel = near_rel(g, u);
    fz_b(u, 0xe9);
    jump(g, u, rel);
}

static void f_loop(struct fz_gen *g, struct fz_unit *u)
{
    bool swap = fz_chance(g, 20);
    int asz = swap ? 6 - g->code : g->code;
    if (fz_chance(g, 50)) fz_setup_mov(g, R_ECX, asz, fz_u(g, 4));
    if (swap) fz_b(u, 0x67);
    fz_b(u, 0xe0 + (int)fz_u(g, 4));
    jump(g, u, 1);
}

/* A CALL body: one to three instructions that leave the stack alone. */
static void body(struct fz_gen *g, struct fz_unit *u)
{
    g->body = u;
    int k = 1 + (int)fz_u(g, 3);
    for (int i = 0; i < k; i++)
        fz_gen_form(g, fz_pick_form(g));
    g->body = NULL;
}

/* "call L1; jmp short L2; L1: body; ret; L2:" with 'os' the operand size. */
static void call_tail(struct fz_gen *g, struct fz_unit *u, int os, bool ret_imm)
{
    fz_b(u, 0xeb);
    int hole = u->len;
    fz_b(u, 0);
    body(g, u);
    if (os != g->code) fz_b(u, 0x66);
    fz_b(u, ret_imm ? 0xc2 : 0xc3);
    if (ret_imm) fz_bn(u, (uint32_t)os, 2);
    u->bytes[hole] = (uint8_t)(u->len - hole - 1);
}

static int call_os(struct fz_gen *g, struct fz_unit *u)
{
    int os = fz_chance(g, 10) ? 6 - g->code : g->code;
    if (os != g->code) fz_b(u, 0x66);
    return os;
}

static void f_call_rel(struct fz_gen *g, struct fz_unit *u)
{
    bool ret_imm = fz_chance(g, 30);
    int os = g->code;
    if (ret_imm) { /* an argument that RET imm16 drops */
        os = call_os(g, u);
        fz_b(u, 0x68);
        fz_bn(u, fz_value(g, os), os);
        if (os != g->code) fz_b(u, 0x66);
    } else {
        os = call_os(g, u);
    }
    fz_b(u, 0xe8);
    fz_bn(u, 2, os); /* over the JMP short */
    call_tail(g, u, os, ret_imm);
}

static void f_call_reg(struct fz_gen *g, struct fz_unit *u)
{
    int os = call_os(g, u);
    int r = (int)fz_u(g, 7);
    r += r >= R_ESP;
    fz_b(u, 0xb8 + r);
    u->abs_off = (uint8_t)u->len;
    u->abs_size = (uint8_t)os;
    fz_bn(u, 0, os);
    if (os != g->code) fz_b(u, 0x66);
    fz_b(u, 0xff);
    fz_b(u, 0xc0 | 2 << 3 | r);
    u->abs_add = (uint8_t)(u->len + 2); /* L1: past the JMP short */
    call_tail(g, u, os, false);
}

/* ---- conditional moves ---- */

static void f_setcc(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm;
    fz_gen_rm(g, &rm, 1, true);
    fz_prefixes(g, u, 1, &rm);
    fz_b(u, 0x0f);
    fz_b(u, 0x90 + cc(g));
    fz_modrm(u, 0, &rm);
}

static void f_cmovcc(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    of_reg_rm(g, u, size, size, 0x40 + cc(g), true, false);
}

/* ---- strings ---- */

static void f_string(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[5] = {0xa4 /* MOVS */, 0xaa /* STOS */, 0xac /* LODS */,
                                   0xa6 /* CMPS */, 0xae /* SCAS */};
    int k = (int)fz_u(g, 5), size = fz_size(g);
    bool src = k == 0 || k == 2 || k == 3, dst = k != 2;
    int asz = fz_chance(g, g->code == 4 ? 10 : 25) ? 6 - g->code : g->code;
    int seg = src && fz_chance(g, 20) ? (int)fz_u(g, SEG_COUNT) : -1;
    int rep = 0;
    if (k >= 3)
        rep = fz_chance(g, 30) ? 0xf3 : fz_chance(g, 45) ? 0xf2 : 0;
    else
        rep = fz_chance(g, 50) ? 0xf3 : fz_chance(g, 5) ? 0xf2 : 0;
    /* A REP mostly gets a count, in the same unit so that no jump skips
     * it: a random one would run for long, as the interpreter counts up to
     * 4096 iterations as one instruction. Some counts cross that chunk
     * boundary, so the REP resumes mid-way. */
    uint32_t count = 0;
    bool set_count = rep || fz_chance(g, 30);
    if (set_count) {
        uint32_t pick = fz_u(g, 100);
        count = pick < 90 ? fz_u(g, 34) : pick < 92 ? 4090 + fz_u(g, 12) : 0;
    }
    if (src && fz_chance(g, 80))
        fz_setup_mov(g, R_ESI, asz, fz_target(g, seg >= 0 ? seg : SEG_DS, size, asz));
    if (dst && fz_chance(g, 80)) fz_setup_mov(g, R_EDI, asz, fz_target(g, SEG_ES, size, asz));
    if (set_count) {
        fz_opsize(g, u, asz);
        fz_b(u, 0xb8 + R_ECX);
        fz_bn(u, count, asz);
    }
    if (rep) fz_b(u, rep);
    struct fz_rm rm = {.mem = true, .m = {.asz = asz, .seg = seg}};
    fz_prefixes(g, u, size, &rm);
    fz_b(u, ops[k] + (size > 1));
}

/* ---- instructions the translator runs through helpers ---- */

static void f_cpuid(struct fz_gen *g, struct fz_unit *u)
{
    static const uint32_t leaves[] = {0, 1, 2, 3, 4, 0x80000000u, 0x80000001u, 0x12345678u};
    if (fz_chance(g, 70)) fz_setup_mov(g, R_EAX, 4, leaves[fz_u(g, 8)]);
    fz_b(u, 0x0f);
    fz_b(u, 0xa2);
}

static void f_flag_ops(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[] = {0xf8 /* CLC */, 0xf9 /* STC */, 0xf5 /* CMC */, 0xfc /* CLD */,
                                  0xfd /* STD */};
    fz_b(u, ops[fz_u(g, 5)]);
}

static void f_lahf_sahf(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, fz_chance(g, 50) ? 0x9f : 0x9e);
}

static void f_cbw_cwd(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, fz_chance(g, 50) ? 0x98 : 0x99);
}

static void f_bcd(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[] = {0x27 /* DAA */, 0x2f /* DAS */, 0x37 /* AAA */, 0x3f /* AAS */};
    fz_b(u, ops[fz_u(g, 4)]);
}

static void f_aam_aad(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, fz_chance(g, 50) ? 0xd4 : 0xd5);
    fz_b(u, fz_chance(g, 60) ? 10 : fz_chance(g, 20) ? 0 : fz_u(g, 256));
}

static void f_xlat(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm = {.mem = true};
    rm.m.asz = fz_chance(g, 15) ? 6 - g->code : g->code;
    rm.m.seg = fz_chance(g, 20) ? (int)fz_u(g, SEG_COUNT) : -1;
    if (fz_chance(g, 70))
        fz_setup_mov(g, R_EBX, rm.m.asz,
                     fz_target(g, rm.m.seg >= 0 ? rm.m.seg : SEG_DS, 1, rm.m.asz) - fz_u(g, 256));
    fz_prefixes(g, u, 1, &rm);
    fz_b(u, 0xd7);
}

static void f_nop_salc(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, fz_chance(g, 70) ? 0x90 : 0xd6);
}

static void f_bswap(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, 0x0f);
    fz_b(u, 0xc8 + fz_wreg(g, 4));
}

static void f_bt_rm_r(struct fz_gen *g, struct fz_unit *u)
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

static void f_bt_rm_imm(struct fz_gen *g, struct fz_unit *u)
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

static void f_bsf_bsr(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    of_reg_rm(g, u, size, size, fz_chance(g, 50) ? 0xbc : 0xbd, true, false);
}

static void f_xadd(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    of_reg_rm(g, u, size, size, 0xc0 + (size > 1), true, true);
}

static void f_cmpxchg(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    of_reg_rm(g, u, size, size, 0xb0 + (size > 1), false, true);
}

static void f_cmpxchg8b(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm = {.mem = true};
    fz_gen_mem(g, &rm.m, 8);
    fz_prefixes(g, u, 4, &rm);
    fz_b(u, 0x0f);
    fz_b(u, 0xc7);
    fz_modrm(u, 1, &rm);
}

static void f_rdtsc(struct fz_gen *g, struct fz_unit *u)
{
    (void)g;
    fz_b(u, 0x0f);
    fz_b(u, 0x31);
}

static void f_bound(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    struct fz_rm rm = {.mem = true};
    fz_gen_mem(g, &rm.m, 2 * size);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x62);
    fz_modrm(u, (int)fz_u(g, 8), &rm);
}

/* ---- the table ---- */

const struct fz_form fz_forms[] = {
    /* index 0 also marks the setup units (MOV reg, imm) */
    {"mov_r_imm", 3, FZ_M_ALL, f_mov_r_imm},
    {"mov_rm_r", 6, FZ_M_ALL, f_mov_rm_r},
    {"mov_r_rm", 6, FZ_M_ALL, f_mov_r_rm},
    {"mov_rm_imm", 4, FZ_M_ALL, f_mov_rm_imm},
    {"mov_moffs", 2, FZ_M_ALL, f_mov_moffs},
    {"movzx_movsx", 4, FZ_M_ALL, f_movzx_movsx},
    {"xchg_rm_r", 2, FZ_M_ALL, f_xchg_rm_r},
    {"xchg_acc", 1, FZ_M_ALL, f_xchg_acc},
    {"alu_rm_r", 8, FZ_M_ALL, f_alu_rm_r},
    {"alu_r_rm", 8, FZ_M_ALL, f_alu_r_rm},
    {"alu_acc_imm", 3, FZ_M_ALL, f_alu_acc_imm},
    {"alu_rm_imm", 8, FZ_M_ALL, f_alu_rm_imm},
    {"test_rm_r", 2, FZ_M_ALL, f_test_rm_r},
    {"test_acc_imm", 1, FZ_M_ALL, f_test_acc_imm},
    {"test_rm_imm", 2, FZ_M_ALL, f_test_rm_imm},
    {"incdec_r", 3, FZ_M_ALL, f_incdec_r},
    {"incdec_rm", 3, FZ_M_ALL, f_incdec_rm},
    {"not_neg", 2, FZ_M_ALL, f_not_neg},
    {"lea", 4, FZ_M_ALL, f_lea},
    {"shift_1", 2, FZ_M_ALL, f_shift_1},
    {"shift_cl", 3, FZ_M_ALL, f_shift_cl},
    {"shift_imm", 3, FZ_M_ALL, f_shift_imm},
    {"shld_shrd", 2, FZ_M_ALL, f_shld_shrd},
    {"imul_r_rm", 2, FZ_M_ALL, f_imul_r_rm},
    {"imul_r_rm_imm", 2, FZ_M_ALL, f_imul_r_rm_imm},
    {"mul_div", 3, FZ_M_ALL, f_mul_div},
    {"push_r", 3, FZ_M_ALL | FZ_NOBODY, f_push_r},
    {"pop_r", 3, FZ_M_ALL | FZ_NOBODY, f_pop_r},
    {"push_imm", 2, FZ_M_ALL | FZ_NOBODY, f_push_imm},
    {"push_rm", 2, FZ_M_ALL | FZ_NOBODY, f_push_rm},
    {"pop_rm", 2, FZ_M_ALL | FZ_NOBODY, f_pop_rm},
    {"pushf_popf", 1, FZ_M_ALL | FZ_NOBODY, f_pushf_popf},
    {"pusha_popa", 1, FZ_M_ALL | FZ_NOBODY, f_pusha_popa},
    {"push_sreg", 1, FZ_M_ALL | FZ_NOBODY, f_push_sreg},
    {"pop_sreg", 1, FZ_M_ALL | FZ_NOBODY, f_pop_sreg},
    {"mov_sreg_rm", 2, FZ_M_ALL, f_mov_sreg_rm},
    {"mov_rm_sreg", 1, FZ_M_ALL, f_mov_rm_sreg},
    {"jcc8", 6, FZ_M_ALL | FZ_NOBODY, f_jcc8},
    {"jmp8", 1, FZ_M_ALL | FZ_NOBODY, f_jmp8},
    {"jcc_near", 2, FZ_M_ALL | FZ_NOBODY, f_jcc_near},
    {"jmp_near", 1, FZ_M_ALL | FZ_NOBODY, f_jmp_near},
    {"loop_jcxz", 2, FZ_M_ALL | FZ_NOBODY, f_loop},
    {"call_rel", 3, FZ_M_ALL | FZ_NOBODY, f_call_rel},
    {"call_reg", 2, FZ_M_ALL | FZ_NOBODY, f_call_reg},
    {"setcc", 3, FZ_M_ALL, f_setcc},
    {"cmovcc", 3, FZ_M_ALL, f_cmovcc},
    {"string", 6, FZ_M_ALL, f_string},
    {"cpuid", 1, FZ_M_ALL, f_cpuid},
    {"flag_ops", 2, FZ_M_ALL, f_flag_ops},
    {"lahf_sahf", 1, FZ_M_ALL, f_lahf_sahf},
    {"cbw_cwd", 1, FZ_M_ALL, f_cbw_cwd},
    {"bcd", 1, FZ_M_ALL, f_bcd},
    {"aam_aad", 1, FZ_M_ALL, f_aam_aad},
    {"xlat", 1, FZ_M_ALL, f_xlat},
    {"nop_salc", 1, FZ_M_ALL, f_nop_salc},
    {"bswap", 1, FZ_M_ALL, f_bswap},
    {"bt_rm_r", 2, FZ_M_ALL, f_bt_rm_r},
    {"bt_rm_imm", 2, FZ_M_ALL, f_bt_rm_imm},
    {"bsf_bsr", 2, FZ_M_ALL, f_bsf_bsr},
    {"xadd", 1, FZ_M_ALL, f_xadd},
    {"cmpxchg", 1, FZ_M_ALL, f_cmpxchg},
    {"cmpxchg8b", 1, FZ_M_ALL, f_cmpxchg8b},
    {"rdtsc", 1, FZ_M_ALL, f_rdtsc},
    {"bound", 1, FZ_M_ALL, f_bound},
};

const int fz_form_count = (int)(sizeof(fz_forms) / sizeof(fz_forms[0]));

static bool excluded(int form)
{
    for (size_t i = 0; fz_excluded[i]; i++)
        if (!strcmp(fz_excluded[i], fz_forms[form].name)) return true;
    return false;
}

static bool allowed(const struct fz_gen *g, int f)
{
    unsigned m = fz_forms[f].modes;
    return (m & (1u << g->st->mode)) && !(g->body && (m & FZ_NOBODY)) && !excluded(f);
}

int fz_pick_form(struct fz_gen *g)
{
    int total = 0;
    for (int f = 0; f < fz_form_count; f++)
        if (allowed(g, f)) total += fz_forms[f].weight;
    int k = (int)fz_u(g, (uint32_t)total);
    for (int f = 0; f < fz_form_count; f++) {
        if (!allowed(g, f)) continue;
        if (k < fz_forms[f].weight) return f;
        k -= fz_forms[f].weight;
    }
    return 0;
}

void fz_gen_form(struct fz_gen *g, int form)
{
    struct fz_unit u = {.form = (uint16_t)form};
    fz_forms[form].fn(g, &u);
    if (u.len) fz_push(g, &u);
}
