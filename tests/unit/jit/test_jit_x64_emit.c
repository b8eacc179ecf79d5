/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 encoder's data and arithmetic forms against Capstone: every
 * register pair at every size, a systematic sweep of memory operands (each
 * base, each index and scale, no base, absolute, RIP-relative, displacement
 * boundaries) and immediate boundaries. Each instruction must disassemble to
 * the mnemonic and operands asked for, in the length the SDM's shortest form
 * gives; values that have no encoding must leave an error and no bytes.
 */
#include <check.h>

#include "check_main.h"
#include "x64_check.h"

static struct xc x;
static struct x64_mem mems[XC_MAX_MEMS];
static int nmems;

static const char *const cc_names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g"};

static void setup(void)
{
    xc_open(&x);
    nmems = xc_mems(mems, XC_MAX_MEMS);
}

static void teardown(void)
{
    xc_close(&x);
}

/* REX needed by a W bit or by either register at size 's'. */
static bool rex2(int s, enum x64_reg a, enum x64_reg b)
{
    return s == 8 || xc_rex_reg(a, s) || xc_rex_reg(b, s);
}

static bool rexm(int s, enum x64_reg r, struct x64_mem m)
{
    return s == 8 || xc_rex_reg(r, s) || xc_rex_mem(m);
}

/* The register the memory sweep pairs with operand i at size s. */
static enum x64_reg sweep_reg(int i, int s)
{
    return (enum x64_reg)((i * 7 + s) % 16);
}

static void expect2(const char *mnem, struct xop a, struct xop b, int len)
{
    xc_check(&x, &(struct xexp){mnem, 2, {a, b}, len});
}

START_TEST(test_mov)
{
    for (int k = 0; k < 4; k++) {
        int s = xc_sizes[k];
        for (int d = 0; d < 16; d++)
            for (int r = 0; r < 16; r++) {
                x64_mov_rr(xc_buf(&x), s, d, r);
                expect2("mov", xr(d, s), xr(r, s), xc_len(s == 2, rex2(s, d, r), 1, 1, 0));
            }
        for (int i = 0; i < nmems; i++) {
            enum x64_reg r = sweep_reg(i, s);
            int len = xc_len(s == 2, rexm(s, r, mems[i]), 1, xc_mem_len(mems[i]), 0);
            x64_mov_rm(xc_buf(&x), s, r, mems[i]);
            expect2("mov", xr(r, s), xm(mems[i], s), len);
            x64_mov_mr(xc_buf(&x), s, mems[i], r);
            expect2("mov", xm(mems[i], s), xr(r, s), len);
            int64_t imm = xc_imms[i % KILN_ARRAY_SIZE(xc_imms)];
            x64_mov_mi(xc_buf(&x), s, mems[i], imm);
            if (!xc_imm_fits(imm, s)) {
                xc_check_error(&x, X64_ERR_OPERAND, "mov m, imm");
                continue;
            }
            int il = s == 8 ? 4 : s;
            expect2("mov", xm(mems[i], s), xi(imm, s),
                    xc_len(s == 2, s == 8 || xc_rex_mem(mems[i]), 1, xc_mem_len(mems[i]), il));
        }
    }
}
END_TEST

START_TEST(test_mov_imm)
{
    for (int k = 0; k < 4; k++) {
        int s = xc_sizes[k];
        for (int r = 0; r < 16; r++)
            for (size_t j = 0; j < KILN_ARRAY_SIZE(xc_imms); j++) {
                int64_t imm = xc_imms[j];
                x64_mov_ri(xc_buf(&x), s, r, imm);
                if (s == 8 && imm >= 0 && imm <= (int64_t)UINT32_MAX) /* B8+rd, zero-extends */
                    expect2("mov", xr(r, 4), xi(imm, 4), xc_len(0, r >= 8, 1, 0, 4));
                else if (s == 8 && imm >= INT32_MIN && imm <= INT32_MAX) /* REX.W C7 /0 */
                    expect2("mov", xr(r, 8), xi(imm, 8), 7);
                else if (s == 8)
                    expect2("movabs", xr(r, 8), xi(imm, 8), 10);
                else if (!xc_imm_fits(imm, s))
                    xc_check_error(&x, X64_ERR_OPERAND, "mov r, imm");
                else
                    expect2("mov", xr(r, s), xi(imm, s), xc_len(s == 2, xc_rex_reg(r, s), 1, 0, s));
            }
    }
    for (int r = 0; r < 16; r++)
        for (size_t j = 0; j < KILN_ARRAY_SIZE(xc_imms); j++) {
            x64_mov_ri64(xc_buf(&x), r, (uint64_t)xc_imms[j]);
            expect2("movabs", xr(r, 8), xi(xc_imms[j], 8), 10);
        }
}
END_TEST

START_TEST(test_high_byte_registers)
{
    static const enum x64_reg legal[8] = {X64_RAX, X64_RCX, X64_RDX, X64_RBX,
                                          X64_AH,  X64_CH,  X64_DH,  X64_BH};
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            x64_mov_rr(xc_buf(&x), 1, legal[i], legal[j]);
            expect2("mov", xr(legal[i], 1), xr(legal[j], 1), 2);
            x64_alu_rr(xc_buf(&x), X64_XOR, 1, legal[i], legal[j]);
            expect2("xor", xr(legal[i], 1), xr(legal[j], 1), 2);
        }
    for (int h = X64_AH; h <= X64_BH; h++) {
        x64_setcc_r(xc_buf(&x), X64_CC_E, h);
        xc_check(&x, &(struct xexp){"sete", 1, {xr(h, 1)}, 3});
        x64_movzx_rr(xc_buf(&x), 4, X64_RSI, 1, h);
        expect2("movzx", xr(X64_RSI, 4), xr(h, 1), 3);
        x64_mov_ri(xc_buf(&x), 1, h, 0x80);
        expect2("mov", xr(h, 1), xi(0x80, 1), 2);
        x64_mov_mr(xc_buf(&x), 1, x64_mem_base(X64_RBX, 8), h);
        expect2("mov", xm(x64_mem_base(X64_RBX, 8), 1), xr(h, 1), 3);
        /* Anything that needs REX makes 4-7 mean SPL-DIL: AH-BH are refused. */
        for (int r = 4; r < 16; r++) {
            x64_mov_rr(xc_buf(&x), 1, h, r);
            xc_check_error(&x, X64_ERR_OPERAND, "mov ah-bh, spl-r15b");
            x64_alu_rr(xc_buf(&x), X64_ADD, 1, r, h);
            xc_check_error(&x, X64_ERR_OPERAND, "add spl-r15b, ah-bh");
        }
        x64_mov_mr(xc_buf(&x), 1, x64_mem_base(X64_R8, 0), h);
        xc_check_error(&x, X64_ERR_OPERAND, "mov [r8], ah");
        x64_movzx_rr(xc_buf(&x), 8, X64_RAX, 1, h);
        xc_check_error(&x, X64_ERR_OPERAND, "movzx rax, ah");
        x64_mov_rr(xc_buf(&x), 4, h, X64_RAX);
        xc_check_error(&x, X64_ERR_OPERAND, "ah at size 4");
        x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_base(h, 0));
        xc_check_error(&x, X64_ERR_OPERAND, "ah as a base");
    }
}
END_TEST

START_TEST(test_movzx_movsx_lea)
{
    static const int pairs[6][2] = {{2, 1}, {4, 1}, {8, 1}, {4, 2}, {8, 2}, {8, 4}};
    for (int p = 0; p < 6; p++) {
        int ds = pairs[p][0], ss = pairs[p][1];
        bool sxd = ss == 4;
        int opc = sxd ? 1 : 2;
        for (int d = 0; d < 16; d++)
            for (int r = 0; r < 16; r++) {
                bool rex = ds == 8 || xc_rex_reg(d, ds) || xc_rex_reg(r, ss);
                int len = xc_len(ds == 2, rex, opc, 1, 0);
                x64_movsx_rr(xc_buf(&x), ds, d, ss, r);
                expect2(sxd ? "movsxd" : "movsx", xr(d, ds), xr(r, ss), len);
                x64_movzx_rr(xc_buf(&x), ds, d, ss, r);
                if (sxd)
                    xc_check_error(&x, X64_ERR_OPERAND, "movzx r64, r32");
                else
                    expect2("movzx", xr(d, ds), xr(r, ss), len);
            }
        for (int i = 0; i < nmems; i++) {
            enum x64_reg d = sweep_reg(i, ds + ss);
            bool rex = ds == 8 || xc_rex_reg(d, ds) || xc_rex_mem(mems[i]);
            int len = xc_len(ds == 2, rex, opc, xc_mem_len(mems[i]), 0);
            x64_movsx_rm(xc_buf(&x), ds, d, ss, mems[i]);
            expect2(sxd ? "movsxd" : "movsx", xr(d, ds), xm(mems[i], ss), len);
            if (!sxd) {
                x64_movzx_rm(xc_buf(&x), ds, d, ss, mems[i]);
                expect2("movzx", xr(d, ds), xm(mems[i], ss), len);
            }
        }
    }
    static const int bad[6][2] = {{1, 1}, {2, 2}, {4, 4}, {8, 8}, {4, 8}, {2, 4}};
    for (int p = 0; p < 6; p++) {
        x64_movzx_rr(xc_buf(&x), bad[p][0], X64_RAX, bad[p][1], X64_RCX);
        xc_check_error(&x, X64_ERR_OPERAND, "movzx size pair");
        x64_movsx_rm(xc_buf(&x), bad[p][0], X64_RAX, bad[p][1], x64_mem_base(X64_RCX, 0));
        xc_check_error(&x, X64_ERR_OPERAND, "movsx size pair");
    }
    for (int k = 1; k < 4; k++) {
        int s = xc_sizes[k];
        for (int i = 0; i < nmems; i++) {
            enum x64_reg d = sweep_reg(i, s);
            x64_lea(xc_buf(&x), s, d, mems[i]);
            expect2("lea", xr(d, s), xm(mems[i], 0),
                    xc_len(s == 2, rexm(s, d, mems[i]), 1, xc_mem_len(mems[i]), 0));
        }
    }
    x64_lea(xc_buf(&x), 1, X64_RAX, x64_mem_base(X64_RAX, 0));
    xc_check_error(&x, X64_ERR_OPERAND, "lea r8");
}
END_TEST

START_TEST(test_xchg_cmov_setcc_bswap)
{
    for (int k = 0; k < 4; k++) {
        int s = xc_sizes[k];
        for (int a = 0; a < 16; a++)
            for (int r = 0; r < 16; r++) {
                x64_xchg_rr(xc_buf(&x), s, a, r);
                if (s != 1 && (a == X64_RAX) != (r == X64_RAX)) { /* 90+r: rAX and the other */
                    int other = a == X64_RAX ? r : a;
                    expect2("xchg", xr(X64_RAX, s), xr(other, s),
                            xc_len(s == 2, rex2(s, a, r), 1, 0, 0));
                } else {
                    expect2("xchg", xr(a, s), xr(r, s), xc_len(s == 2, rex2(s, a, r), 1, 1, 0));
                }
            }
        for (int i = 0; i < nmems; i++) {
            enum x64_reg r = sweep_reg(i, s);
            x64_xchg_mr(xc_buf(&x), s, mems[i], r);
            expect2("xchg", xm(mems[i], s), xr(r, s),
                    xc_len(s == 2, rexm(s, r, mems[i]), 1, xc_mem_len(mems[i]), 0));
        }
    }
    for (int cc = 0; cc < 16; cc++) {
        char cmov[16], set[16];
        snprintf(cmov, sizeof(cmov), "cmov%s", cc_names[cc]);
        snprintf(set, sizeof(set), "set%s", cc_names[cc]);
        for (int k = 1; k < 4; k++) {
            int s = xc_sizes[k];
            for (int d = 0; d < 16; d++)
                for (int r = 0; r < 16; r++) {
                    x64_cmov_rr(xc_buf(&x), cc, s, d, r);
                    expect2(cmov, xr(d, s), xr(r, s), xc_len(s == 2, rex2(s, d, r), 2, 1, 0));
                }
        }
        for (int i = 0; i < nmems; i++) {
            int s = xc_sizes[1 + i % 3];
            enum x64_reg d = sweep_reg(i, cc);
            x64_cmov_rm(xc_buf(&x), cc, s, d, mems[i]);
            expect2(cmov, xr(d, s), xm(mems[i], s),
                    xc_len(s == 2, rexm(s, d, mems[i]), 2, xc_mem_len(mems[i]), 0));
            x64_setcc_m(xc_buf(&x), cc, mems[i]);
            xc_check(&x, &(struct xexp){set,
                                        1,
                                        {xm(mems[i], 1)},
                                        xc_len(0, xc_rex_mem(mems[i]), 2, xc_mem_len(mems[i]), 0)});
        }
        for (int r = 0; r < 16; r++) {
            x64_setcc_r(xc_buf(&x), cc, r);
            xc_check(&x, &(struct xexp){set, 1, {xr(r, 1)}, xc_len(0, xc_rex_reg(r, 1), 2, 1, 0)});
        }
        x64_cmov_rr(xc_buf(&x), cc, 1, X64_RAX, X64_RCX);
        xc_check_error(&x, X64_ERR_OPERAND, "cmov r8");
    }
    x64_cmov_rr(xc_buf(&x), 16, 4, X64_RAX, X64_RCX);
    xc_check_error(&x, X64_ERR_OPERAND, "cmov cc 16");
    for (int r = 0; r < 16; r++) {
        x64_bswap(xc_buf(&x), 4, r);
        xc_check(&x, &(struct xexp){"bswap", 1, {xr(r, 4)}, xc_len(0, r >= 8, 2, 0, 0)});
        x64_bswap(xc_buf(&x), 8, r);
        xc_check(&x, &(struct xexp){"bswap", 1, {xr(r, 8)}, 3});
        x64_bswap(xc_buf(&x), 2, r);
        xc_check_error(&x, X64_ERR_OPERAND, "bswap r16");
    }
}
END_TEST

START_TEST(test_stack_and_flags)
{
    for (int k = 0; k < 2; k++) {
        int s = k ? 8 : 2;
        for (int r = 0; r < 16; r++) {
            x64_push_r(xc_buf(&x), s, r);
            xc_check(&x, &(struct xexp){"push", 1, {xr(r, s)}, xc_len(s == 2, r >= 8, 1, 0, 0)});
            x64_pop_r(xc_buf(&x), s, r);
            xc_check(&x, &(struct xexp){"pop", 1, {xr(r, s)}, xc_len(s == 2, r >= 8, 1, 0, 0)});
        }
        for (int i = 0; i < nmems; i++) {
            int len = xc_len(s == 2, xc_rex_mem(mems[i]), 1, xc_mem_len(mems[i]), 0);
            x64_push_m(xc_buf(&x), s, mems[i]);
            xc_check(&x, &(struct xexp){"push", 1, {xm(mems[i], s)}, len});
            x64_pop_m(xc_buf(&x), s, mems[i]);
            xc_check(&x, &(struct xexp){"pop", 1, {xm(mems[i], s)}, len});
        }
    }
    x64_push_r(xc_buf(&x), 4, X64_RAX);
    xc_check_error(&x, X64_ERR_OPERAND, "push r32");
    x64_pop_m(xc_buf(&x), 1, x64_mem_base(X64_RAX, 0));
    xc_check_error(&x, X64_ERR_OPERAND, "pop m8");
    for (size_t j = 0; j < KILN_ARRAY_SIZE(xc_imms); j++) {
        int64_t v = xc_imms[j];
        if (v < INT32_MIN || v > INT32_MAX) continue;
        x64_push_i(xc_buf(&x), (int32_t)v);
        xc_check(&x, &(struct xexp){"push", 1, {xi(v, 8)}, v >= -128 && v <= 127 ? 2 : 5});
    }
    static const struct {
        void (*emit)(struct x64_buf *);
        const char *mnem;
    } one[] = {{x64_pushfq, "pushfq"}, {x64_popfq, "popfq"}, {x64_lahf, "lahf"},
               {x64_sahf, "sahf"},     {x64_int3, "int3"},   {x64_ret, "ret"}};
    for (size_t i = 0; i < KILN_ARRAY_SIZE(one); i++) {
        one[i].emit(xc_buf(&x));
        xc_check(&x, &(struct xexp){one[i].mnem, 0, {{0}}, 1});
    }
}
END_TEST

static const char *const alu_names[8] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};

/* Expected length of op r, imm (x64_emit.h: imm8, accumulator, imm32). */
static int alu_ri_len(int s, enum x64_reg r, int64_t imm)
{
    int64_t v = xc_sext(imm, s);
    bool imm8 = v >= -128 && v <= 127;
    int il = s == 8 ? 4 : s;
    if (r == X64_RAX && (s == 1 || !imm8)) return xc_len(s == 2, s == 8, 1, 0, il);
    return xc_len(s == 2, s == 8 || xc_rex_reg(r, s), 1, 1, s == 1 || imm8 ? 1 : il);
}

START_TEST(test_alu)
{
    for (int op = 0; op < 8; op++) {
        const char *mn = alu_names[op];
        for (int k = 0; k < 4; k++) {
            int s = xc_sizes[k];
            for (int d = 0; d < 16; d++) {
                for (int r = 0; r < 16; r++) {
                    x64_alu_rr(xc_buf(&x), op, s, d, r);
                    expect2(mn, xr(d, s), xr(r, s), xc_len(s == 2, rex2(s, d, r), 1, 1, 0));
                }
                for (size_t j = 0; j < KILN_ARRAY_SIZE(xc_imms); j++) {
                    int64_t imm = xc_imms[j];
                    x64_alu_ri(xc_buf(&x), op, s, d, imm);
                    if (xc_imm_fits(imm, s))
                        expect2(mn, xr(d, s), xi(imm, s), alu_ri_len(s, d, imm));
                    else
                        xc_check_error(&x, X64_ERR_OPERAND, "alu r, imm");
                }
            }
            for (int i = 0; i < nmems; i++) {
                enum x64_reg r = sweep_reg(i, s + op);
                struct x64_mem m = mems[i];
                int len = xc_len(s == 2, rexm(s, r, m), 1, xc_mem_len(m), 0);
                x64_alu_rm(xc_buf(&x), op, s, r, m);
                expect2(mn, xr(r, s), xm(m, s), len);
                x64_alu_mr(xc_buf(&x), op, s, m, r);
                expect2(mn, xm(m, s), xr(r, s), len);
                int64_t imm = xc_imms[(size_t)(i + op) % KILN_ARRAY_SIZE(xc_imms)];
                x64_alu_mi(xc_buf(&x), op, s, m, imm);
                if (!xc_imm_fits(imm, s)) {
                    xc_check_error(&x, X64_ERR_OPERAND, "alu m, imm");
                    continue;
                }
                int64_t v = xc_sext(imm, s);
                int il = s == 1 || (v >= -128 && v <= 127) ? 1 : s == 8 ? 4 : s;
                expect2(mn, xm(m, s), xi(imm, s),
                        xc_len(s == 2, s == 8 || xc_rex_mem(m), 1, xc_mem_len(m), il));
            }
        }
    }
    x64_alu_rr(xc_buf(&x), 8, 4, X64_RAX, X64_RCX);
    xc_check_error(&x, X64_ERR_OPERAND, "alu op 8");
    x64_alu_ri(xc_buf(&x), X64_ADD, 3, X64_RAX, 1);
    xc_check_error(&x, X64_ERR_OPERAND, "size 3");
}
END_TEST

START_TEST(test_test)
{
    for (int k = 0; k < 4; k++) {
        int s = xc_sizes[k];
        int il = s == 8 ? 4 : s;
        for (int a = 0; a < 16; a++) {
            for (int r = 0; r < 16; r++) {
                x64_test_rr(xc_buf(&x), s, a, r);
                expect2("test", xr(a, s), xr(r, s), xc_len(s == 2, rex2(s, a, r), 1, 1, 0));
            }
            for (size_t j = 0; j < KILN_ARRAY_SIZE(xc_imms); j++) {
                int64_t imm = xc_imms[j];
                x64_test_ri(xc_buf(&x), s, a, imm);
                if (!xc_imm_fits(imm, s))
                    xc_check_error(&x, X64_ERR_OPERAND, "test r, imm");
                else if (a == X64_RAX) /* A8 ib / A9 iz */
                    expect2("test", xr(a, s), xi(imm, s), xc_len(s == 2, s == 8, 1, 0, il));
                else
                    expect2("test", xr(a, s), xi(imm, s),
                            xc_len(s == 2, s == 8 || xc_rex_reg(a, s), 1, 1, il));
            }
        }
        for (int i = 0; i < nmems; i++) {
            enum x64_reg r = sweep_reg(i, s);
            x64_test_mr(xc_buf(&x), s, mems[i], r);
            expect2("test", xm(mems[i], s), xr(r, s),
                    xc_len(s == 2, rexm(s, r, mems[i]), 1, xc_mem_len(mems[i]), 0));
            int64_t imm = xc_imms[(size_t)i % KILN_ARRAY_SIZE(xc_imms)];
            x64_test_mi(xc_buf(&x), s, mems[i], imm);
            if (xc_imm_fits(imm, s))
                expect2("test", xm(mems[i], s), xi(imm, s),
                        xc_len(s == 2, s == 8 || xc_rex_mem(mems[i]), 1, xc_mem_len(mems[i]), il));
            else
                xc_check_error(&x, X64_ERR_OPERAND, "test m, imm");
        }
    }
}
END_TEST

START_TEST(test_unary)
{
    static const char *const names[8] = {"inc", "dec", "not", "neg", "mul", "imul", "div", "idiv"};
    for (int op = 0; op < 8; op++)
        for (int k = 0; k < 4; k++) {
            int s = xc_sizes[k];
            for (int r = 0; r < 16; r++) {
                x64_unary_r(xc_buf(&x), op, s, r);
                xc_check(&x, &(struct xexp){
                                 names[op], 1, {xr(r, s)}, xc_len(s == 2, rex2(s, r, r), 1, 1, 0)});
            }
            for (int i = 0; i < nmems; i++) {
                x64_unary_m(xc_buf(&x), op, s, mems[i]);
                xc_check(&x, &(struct xexp){names[op],
                                            1,
                                            {xm(mems[i], s)},
                                            xc_len(s == 2, s == 8 || xc_rex_mem(mems[i]), 1,
                                                   xc_mem_len(mems[i]), 0)});
            }
        }
    x64_unary_r(xc_buf(&x), 8, 4, X64_RAX);
    xc_check_error(&x, X64_ERR_OPERAND, "unary op 8");
}
END_TEST

START_TEST(test_imul)
{
    for (int k = 1; k < 4; k++) {
        int s = xc_sizes[k];
        for (int d = 0; d < 16; d++)
            for (int r = 0; r < 16; r++) {
                x64_imul_rr(xc_buf(&x), s, d, r);
                expect2("imul", xr(d, s), xr(r, s), xc_len(s == 2, rex2(s, d, r), 2, 1, 0));
                int64_t imm = xc_imms[(size_t)(d * 16 + r) % KILN_ARRAY_SIZE(xc_imms)];
                x64_imul_rri(xc_buf(&x), s, d, r, imm);
                if (!xc_imm_fits(imm, s)) {
                    xc_check_error(&x, X64_ERR_OPERAND, "imul r, r, imm");
                    continue;
                }
                int64_t v = xc_sext(imm, s);
                int il = v >= -128 && v <= 127 ? 1 : s == 8 ? 4 : s;
                xc_check(&x, &(struct xexp){"imul",
                                            3,
                                            {xr(d, s), xr(r, s), xi(imm, s)},
                                            xc_len(s == 2, rex2(s, d, r), 1, 1, il)});
            }
        for (int i = 0; i < nmems; i++) {
            enum x64_reg d = sweep_reg(i, s);
            x64_imul_rm(xc_buf(&x), s, d, mems[i]);
            expect2("imul", xr(d, s), xm(mems[i], s),
                    xc_len(s == 2, rexm(s, d, mems[i]), 2, xc_mem_len(mems[i]), 0));
            int64_t imm = xc_imms[(size_t)i % KILN_ARRAY_SIZE(xc_imms)];
            x64_imul_rmi(xc_buf(&x), s, d, mems[i], imm);
            if (!xc_imm_fits(imm, s)) {
                xc_check_error(&x, X64_ERR_OPERAND, "imul r, m, imm");
                continue;
            }
            int64_t v = xc_sext(imm, s);
            int il = v >= -128 && v <= 127 ? 1 : s == 8 ? 4 : s;
            xc_check(&x, &(struct xexp){
                             "imul",
                             3,
                             {xr(d, s), xm(mems[i], s), xi(imm, s)},
                             xc_len(s == 2, rexm(s, d, mems[i]), 1, xc_mem_len(mems[i]), il)});
        }
    }
    x64_imul_rr(xc_buf(&x), 1, X64_RAX, X64_RCX);
    xc_check_error(&x, X64_ERR_OPERAND, "imul r8, r8");
}
END_TEST

START_TEST(test_shift)
{
    static const char *const names[8] = {"rol", "ror", "rcl", "rcr", "shl", "shr", NULL, "sar"};
    static const uint8_t counts[] = {0, 1, 5, 31, 63, 128, 255};
    for (int op = 0; op < 8; op++)
        for (int k = 0; k < 4; k++) {
            int s = xc_sizes[k];
            if (op == 6) {
                x64_shift_ri(xc_buf(&x), op, s, X64_RAX, 1);
                xc_check_error(&x, X64_ERR_OPERAND, "shift /6");
                continue;
            }
            const char *mn = names[op];
            for (int r = 0; r < 16; r++) {
                int len = xc_len(s == 2, rex2(s, r, r), 1, 1, 0);
                x64_shift_r1(xc_buf(&x), op, s, r);
                expect2(mn, xr(r, s), xi(1, 1), len);
                x64_shift_rcl(xc_buf(&x), op, s, r);
                expect2(mn, xr(r, s), xr(X64_RCX, 1), len);
                for (size_t c = 0; c < sizeof(counts); c++) {
                    x64_shift_ri(xc_buf(&x), op, s, r, counts[c]);
                    expect2(mn, xr(r, s), xi(counts[c], 1), len + 1);
                }
            }
            for (int i = 0; i < nmems; i++) {
                struct x64_mem m = mems[i];
                int len = xc_len(s == 2, s == 8 || xc_rex_mem(m), 1, xc_mem_len(m), 0);
                x64_shift_m1(xc_buf(&x), op, s, m);
                expect2(mn, xm(m, s), xi(1, 1), len);
                x64_shift_mcl(xc_buf(&x), op, s, m);
                expect2(mn, xm(m, s), xr(X64_RCX, 1), len);
                uint8_t c = counts[(size_t)i % sizeof(counts)];
                x64_shift_mi(xc_buf(&x), op, s, m, c);
                expect2(mn, xm(m, s), xi(c, 1), len + 1);
            }
        }
}
END_TEST

START_TEST(test_double_shift)
{
    static const char *const names[2] = {"shld", "shrd"};
    for (int op = 0; op < 2; op++)
        for (int k = 1; k < 4; k++) {
            int s = xc_sizes[k];
            for (int d = 0; d < 16; d++)
                for (int r = 0; r < 16; r++) {
                    int len = xc_len(s == 2, rex2(s, d, r), 2, 1, 0);
                    uint8_t c = (uint8_t)(d * 16 + r);
                    x64_dshift_rri(xc_buf(&x), op, s, d, r, c);
                    xc_check(&x,
                             &(struct xexp){names[op], 3, {xr(d, s), xr(r, s), xi(c, 1)}, len + 1});
                    x64_dshift_rrcl(xc_buf(&x), op, s, d, r);
                    xc_check(&x, &(struct xexp){
                                     names[op], 3, {xr(d, s), xr(r, s), xr(X64_RCX, 1)}, len});
                }
            for (int i = 0; i < nmems; i++) {
                enum x64_reg r = sweep_reg(i, s);
                int len = xc_len(s == 2, rexm(s, r, mems[i]), 2, xc_mem_len(mems[i]), 0);
                uint8_t c = (uint8_t)(i * 3);
                x64_dshift_mri(xc_buf(&x), op, s, mems[i], r, c);
                xc_check(&x, &(struct xexp){
                                 names[op], 3, {xm(mems[i], s), xr(r, s), xi(c, 1)}, len + 1});
                x64_dshift_mrcl(xc_buf(&x), op, s, mems[i], r);
                xc_check(&x, &(struct xexp){
                                 names[op], 3, {xm(mems[i], s), xr(r, s), xr(X64_RCX, 1)}, len});
            }
        }
    x64_dshift_rrcl(xc_buf(&x), X64_SHLD, 1, X64_RAX, X64_RCX);
    xc_check_error(&x, X64_ERR_OPERAND, "shld r8");
}
END_TEST

START_TEST(test_bit_ops)
{
    static const char *const names[4] = {"bt", "bts", "btr", "btc"};
    for (int op = 0; op < 4; op++)
        for (int k = 1; k < 4; k++) {
            int s = xc_sizes[k];
            for (int a = 0; a < 16; a++)
                for (int r = 0; r < 16; r++) {
                    x64_bt_rr(xc_buf(&x), op, s, a, r);
                    expect2(names[op], xr(a, s), xr(r, s), xc_len(s == 2, rex2(s, a, r), 2, 1, 0));
                    uint8_t bit = (uint8_t)(a * 16 + r);
                    x64_bt_ri(xc_buf(&x), op, s, a, bit);
                    expect2(names[op], xr(a, s), xi(bit, 1),
                            xc_len(s == 2, rex2(s, a, a), 2, 1, 1));
                }
            for (int i = 0; i < nmems; i++) {
                enum x64_reg r = sweep_reg(i, s);
                x64_bt_mr(xc_buf(&x), op, s, mems[i], r);
                expect2(names[op], xm(mems[i], s), xr(r, s),
                        xc_len(s == 2, rexm(s, r, mems[i]), 2, xc_mem_len(mems[i]), 0));
                x64_bt_mi(xc_buf(&x), op, s, mems[i], (uint8_t)i);
                expect2(names[op], xm(mems[i], s), xi(i, 1),
                        xc_len(s == 2, s == 8 || xc_rex_mem(mems[i]), 2, xc_mem_len(mems[i]), 1));
            }
        }
    for (int k = 1; k < 4; k++) {
        int s = xc_sizes[k];
        for (int d = 0; d < 16; d++)
            for (int r = 0; r < 16; r++) {
                int len = xc_len(s == 2, rex2(s, d, r), 2, 1, 0);
                x64_bsf_rr(xc_buf(&x), s, d, r);
                expect2("bsf", xr(d, s), xr(r, s), len);
                x64_bsr_rr(xc_buf(&x), s, d, r);
                expect2("bsr", xr(d, s), xr(r, s), len);
            }
        for (int i = 0; i < nmems; i++) {
            enum x64_reg d = sweep_reg(i, s);
            int len = xc_len(s == 2, rexm(s, d, mems[i]), 2, xc_mem_len(mems[i]), 0);
            x64_bsf_rm(xc_buf(&x), s, d, mems[i]);
            expect2("bsf", xr(d, s), xm(mems[i], s), len);
            x64_bsr_rm(xc_buf(&x), s, d, mems[i]);
            expect2("bsr", xr(d, s), xm(mems[i], s), len);
        }
    }
    x64_bt_ri(xc_buf(&x), X64_BT, 1, X64_RAX, 1);
    xc_check_error(&x, X64_ERR_OPERAND, "bt r8");
    x64_bsf_rr(xc_buf(&x), 1, X64_RAX, X64_RCX);
    xc_check_error(&x, X64_ERR_OPERAND, "bsf r8");
}
END_TEST

START_TEST(test_accumulator_extensions)
{
    static const struct {
        void (*emit)(struct x64_buf *);
        const char *mnem;
        int len;
    } ext[] = {{x64_cbw, "cbw", 2}, {x64_cwde, "cwde", 1}, {x64_cdqe, "cdqe", 2},
               {x64_cwd, "cwd", 2}, {x64_cdq, "cdq", 1},   {x64_cqo, "cqo", 2}};
    for (size_t i = 0; i < KILN_ARRAY_SIZE(ext); i++) {
        ext[i].emit(xc_buf(&x));
        xc_check(&x, &(struct xexp){ext[i].mnem, 0, {{0}}, ext[i].len});
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jit_x64_emit");
    TCase *tc = tcase_create("encode");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_mov);
    tcase_add_test(tc, test_mov_imm);
    tcase_add_test(tc, test_high_byte_registers);
    tcase_add_test(tc, test_movzx_movsx_lea);
    tcase_add_test(tc, test_xchg_cmov_setcc_bswap);
    tcase_add_test(tc, test_stack_and_flags);
    tcase_add_test(tc, test_alu);
    tcase_add_test(tc, test_test);
    tcase_add_test(tc, test_unary);
    tcase_add_test(tc, test_imul);
    tcase_add_test(tc, test_shift);
    tcase_add_test(tc, test_double_shift);
    tcase_add_test(tc, test_bit_ops);
    tcase_add_test(tc, test_accumulator_extensions);
    suite_add_tcase(s, tc);
    return check_run(s);
}
