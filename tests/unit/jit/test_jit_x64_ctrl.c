/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 encoder's control transfers, labels, fixups, NOPs and error
 * states: branch forms against Capstone (targets included), golden byte
 * sequences hand-assembled from the SDM for the ModRM/SIB/REX special cases,
 * label binding and patching, buffer overflow without partial writes, and
 * operands that have no encoding.
 */
#include <check.h>

#include "check_main.h"
#include "x64_check.h"

static struct xc x;
static struct x64_mem mems[XC_MAX_MEMS];
static int nmems;

static const char *const jcc_names[16] = {"jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja",
                                          "js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg"};

static void setup(void)
{
    xc_open(&x);
    nmems = xc_mems(mems, XC_MAX_MEMS);
}

static void teardown(void)
{
    xc_close(&x);
}

/* One branch to 'target', 'len' bytes long. */
static void expect_branch(const char *mnem, uint64_t target, int len)
{
    xc_check(&x, &(struct xexp){mnem, 1, {xi((int64_t)target, 8)}, len});
}

START_TEST(test_relative_branches)
{
    static const int32_t d32[] = {0, 1, -1, 127, 128, -128, -129, INT32_MAX, INT32_MIN};
    for (int cc = 0; cc < 16; cc++)
        for (size_t i = 0; i < KILN_ARRAY_SIZE(d32); i++) {
            if (d32[i] >= -128 && d32[i] <= 127) {
                x64_jcc_rel8(xc_buf(&x), cc, (int8_t)d32[i]);
                expect_branch(jcc_names[cc], XC_BASE + 2 + (uint64_t)(int64_t)d32[i], 2);
            }
            ck_assert_uint_eq(x64_jcc_rel32(xc_buf(&x), cc, d32[i]), 2);
            expect_branch(jcc_names[cc], XC_BASE + 6 + (uint64_t)(int64_t)d32[i], 6);
        }
    for (size_t i = 0; i < KILN_ARRAY_SIZE(d32); i++) {
        uint64_t d = (uint64_t)(int64_t)d32[i];
        if (d32[i] >= -128 && d32[i] <= 127) {
            x64_jmp_rel8(xc_buf(&x), (int8_t)d32[i]);
            expect_branch("jmp", XC_BASE + 2 + d, 2);
        }
        ck_assert_uint_eq(x64_jmp_rel32(xc_buf(&x), d32[i]), 1);
        expect_branch("jmp", XC_BASE + 5 + d, 5);
        ck_assert_uint_eq(x64_call_rel32(xc_buf(&x), d32[i]), 1);
        expect_branch("call", XC_BASE + 5 + d, 5);
    }
    x64_jcc_rel8(xc_buf(&x), 16, 0);
    xc_check_error(&x, X64_ERR_OPERAND, "jcc cc 16");
    ck_assert_uint_eq(x64_jcc_rel32(xc_buf(&x), 16, 0), SIZE_MAX);
}
END_TEST

START_TEST(test_absolute_branches)
{
    /* rel32 counts from the end of the instruction: 6 bytes for Jcc, 5 for JMP/CALL. */
    for (int cc = 0; cc < 16; cc++) {
        x64_jcc_abs(xc_buf(&x), cc, XC_BASE + 6 + INT32_MAX);
        expect_branch(jcc_names[cc], XC_BASE + 6 + INT32_MAX, 6);
        x64_jcc_abs(xc_buf(&x), cc, XC_BASE + 6 - 0x80000000ull);
        expect_branch(jcc_names[cc], XC_BASE + 6 - 0x80000000ull, 6);
        x64_jcc_abs(xc_buf(&x), cc, XC_BASE + 6 + INT32_MAX + 1);
        xc_check_error(&x, X64_ERR_RANGE, "jcc out of reach");
        x64_jcc_abs(xc_buf(&x), cc, XC_BASE + 5 - 0x80000000ull);
        xc_check_error(&x, X64_ERR_RANGE, "jcc out of reach below");
    }
    static const int64_t near[] = {0, 5, -5, 5 + (int64_t)INT32_MAX, 5 + (int64_t)INT32_MIN};
    static const int64_t far[] = {6 + (int64_t)INT32_MAX, 4 + (int64_t)INT32_MIN, 0x100000000000ll,
                                  -0x7f1234560000ll};
    for (int r = 0; r < 16; r++) {
        for (size_t i = 0; i < KILN_ARRAY_SIZE(near); i++) {
            uint64_t t = XC_BASE + (uint64_t)near[i];
            x64_jmp_abs(xc_buf(&x), t, r);
            expect_branch("jmp", t, 5);
            x64_call_abs(xc_buf(&x), t, r);
            expect_branch("call", t, 5);
        }
        for (size_t i = 0; i < KILN_ARRAY_SIZE(far); i++) {
            uint64_t t = XC_BASE + (uint64_t)far[i];
            /* Out of reach: MOV scratch, imm (shortest form); JMP/CALL scratch. */
            struct xexp mov = {"movabs", 2, {xr(r, 8), xi((int64_t)t, 8)}, 10};
            if (t <= UINT32_MAX)
                mov = (struct xexp){"mov", 2, {xr(r, 4), xi((int64_t)t, 4)}, 5 + (r >= 8)};
            struct xexp seq[2] = {mov, {"jmp", 1, {xr(r, 8)}, 2 + (r >= 8)}};
            x64_jmp_abs(xc_buf(&x), t, r);
            xc_check_seq(&x, seq, 2);
            seq[1].mnem = "call";
            x64_call_abs(xc_buf(&x), t, r);
            xc_check_seq(&x, seq, 2);
        }
    }
}
END_TEST

START_TEST(test_indirect_and_misc)
{
    for (int r = 0; r < 16; r++) {
        x64_jmp_r(xc_buf(&x), r);
        xc_check(&x, &(struct xexp){"jmp", 1, {xr(r, 8)}, 2 + (r >= 8)});
        x64_call_r(xc_buf(&x), r);
        xc_check(&x, &(struct xexp){"call", 1, {xr(r, 8)}, 2 + (r >= 8)});
    }
    for (int i = 0; i < nmems; i++) {
        int len = xc_len(false, xc_rex_mem(mems[i]), 1, xc_mem_len(mems[i]), 0);
        x64_jmp_m(xc_buf(&x), mems[i]);
        xc_check(&x, &(struct xexp){"jmp", 1, {xm(mems[i], 8)}, len});
        x64_call_m(xc_buf(&x), mems[i]);
        xc_check(&x, &(struct xexp){"call", 1, {xm(mems[i], 8)}, len});
    }
    static const uint16_t pops[] = {0, 8, 0x7fff, 0xffff};
    for (size_t i = 0; i < KILN_ARRAY_SIZE(pops); i++) {
        x64_ret_imm(xc_buf(&x), pops[i]);
        xc_check(&x, &(struct xexp){"ret", 1, {xi(pops[i], 2)}, 3});
    }
    x64_ud2(xc_buf(&x));
    xc_check(&x, &(struct xexp){"ud2", 0, {{0}}, 2});
    x64_int3(xc_buf(&x));
    xc_check(&x, &(struct xexp){"int3", 0, {{0}}, 1});
}
END_TEST

START_TEST(test_nops)
{
    /* SDM Vol. 2B, NOP, table 4-12. */
    static const char *const golden[9] = {"90 ",
                                          "66 90 ",
                                          "0f 1f 00 ",
                                          "0f 1f 40 00 ",
                                          "0f 1f 44 00 00 ",
                                          "66 0f 1f 44 00 00 ",
                                          "0f 1f 80 00 00 00 00 ",
                                          "0f 1f 84 00 00 00 00 00 ",
                                          "66 0f 1f 84 00 00 00 00 00 "};
    for (int len = 1; len <= 9; len++) {
        x64_nop(xc_buf(&x), len);
        char hex[64];
        xc_hex(x.code, x.b.pos, hex, sizeof(hex));
        ck_assert_str_eq(hex, golden[len - 1]);
        int size = len == 6 || len == 9 ? 2 : 4;
        struct x64_mem m = len == 5 || len == 6 || len >= 8 ? x64_mem_sib(X64_RAX, X64_RAX, 1, 0)
                                                            : x64_mem_base(X64_RAX, 0);
        if (len <= 2)
            xc_check(&x, &(struct xexp){"nop", 0, {{0}}, len});
        else
            xc_check(&x, &(struct xexp){"nop", 1, {xm(m, size)}, len});
    }
    x64_nop(xc_buf(&x), 0);
    xc_check_error(&x, X64_ERR_OPERAND, "nop 0");
    x64_nop(xc_buf(&x), 10);
    xc_check_error(&x, X64_ERR_OPERAND, "nop 10");
    for (int start = 0; start < 40; start++) {
        static const size_t aligns[] = {1, 2, 16, 32};
        for (size_t a = 0; a < KILN_ARRAY_SIZE(aligns); a++) {
            struct x64_buf *b = xc_buf(&x);
            for (int i = 0; i < start; i++)
                x64_int3(b);
            x64_align(b, aligns[a]);
            ck_assert_int_eq(b->err, X64_OK);
            ck_assert_uint_eq(x64_here(b) % aligns[a], 0);
            ck_assert_uint_lt(b->pos - (size_t)start, aligns[a]);
            cs_insn *in;
            size_t n = cs_disasm(x.cs, x.code + start, b->pos - (size_t)start, x64_here(b), 0, &in);
            size_t total = 0;
            for (size_t i = 0; i < n; i++) {
                ck_assert_str_eq(in[i].mnemonic, "nop");
                total += in[i].size;
            }
            ck_assert_uint_eq(total, b->pos - (size_t)start);
            cs_free(in, n);
        }
    }
    x64_align(xc_buf(&x), 3);
    xc_check_error(&x, X64_ERR_OPERAND, "align 3");
    x64_align(xc_buf(&x), 0);
    xc_check_error(&x, X64_ERR_OPERAND, "align 0");
}
END_TEST

/* Emit with 'emit' and compare the bytes with 'hex' (lower case, one space after each). */
#define GOLDEN(hex, emit)                                                                          \
    do {                                                                                           \
        struct x64_buf *b = xc_buf(&x);                                                            \
        emit;                                                                                      \
        char got_[200];                                                                            \
        ck_assert_int_eq(b->err, X64_OK);                                                          \
        xc_hex(x.code, b->pos, got_, sizeof(got_));                                                \
        ck_assert_msg(!strcmp(got_, hex), "%s: got [%s], want [%s]", #emit, got_, hex);            \
    } while (0)

START_TEST(test_golden_encodings)
{
    /* Hand-assembled from the SDM, Vol. 2, tables 2-2/2-3 and 2.2.1. */
    GOLDEN("8b 45 00 ", x64_mov_rm(b, 4, X64_RAX, x64_mem_base(X64_RBP, 0)));
    GOLDEN("41 8b 45 00 ", x64_mov_rm(b, 4, X64_RAX, x64_mem_base(X64_R13, 0)));
    GOLDEN("8b 04 24 ", x64_mov_rm(b, 4, X64_RAX, x64_mem_base(X64_RSP, 0)));
    GOLDEN("41 8b 04 24 ", x64_mov_rm(b, 4, X64_RAX, x64_mem_base(X64_R12, 0)));
    GOLDEN("8b 05 00 00 00 00 ", x64_mov_rm(b, 4, X64_RAX, x64_mem_rip(0)));
    GOLDEN("8b 04 25 00 10 00 00 ", x64_mov_rm(b, 4, X64_RAX, x64_mem_abs(0x1000)));
    GOLDEN("8b 04 85 00 00 00 00 ", x64_mov_rm(b, 4, X64_RAX, x64_mem_index(X64_RAX, 4, 0)));
    GOLDEN("42 8b 04 60 ", x64_mov_rm(b, 4, X64_RAX, x64_mem_sib(X64_RAX, X64_R12, 2, 0)));
    GOLDEN("4f 8d 6c ed 00 ", x64_lea(b, 8, X64_R13, x64_mem_sib(X64_R13, X64_R13, 8, 0)));
    GOLDEN("48 89 7d f8 ", x64_mov_mr(b, 8, x64_mem_base(X64_RBP, -8), X64_RDI));
    GOLDEN("c7 84 24 80 00 00 00 01 00 00 00 ", x64_mov_mi(b, 4, x64_mem_base(X64_RSP, 128), 1));
    GOLDEN("0f b6 44 24 08 ", x64_movzx_rm(b, 4, X64_RAX, 1, x64_mem_base(X64_RSP, 8)));
    GOLDEN("48 63 05 10 00 00 00 ", x64_movsx_rm(b, 8, X64_RAX, 4, x64_mem_rip(0x10)));
    /* RIP-relative with an immediate after the displacement: 100 - 10 bytes. */
    GOLDEN("c7 05 5a 00 00 00 07 00 00 00 ", x64_mov_mi(b, 4, x64_mem_rip_to(XC_BASE + 100), 7));
    GOLDEN("40 88 c6 ", x64_mov_rr(b, 1, X64_RSI, X64_RAX));
    GOLDEN("88 c4 ", x64_mov_rr(b, 1, X64_AH, X64_RAX));
    GOLDEN("48 05 80 00 00 00 ", x64_alu_ri(b, X64_ADD, 8, X64_RAX, 0x80));
    GOLDEN("48 83 c1 ff ", x64_alu_ri(b, X64_ADD, 8, X64_RCX, -1));
    GOLDEN("48 b8 ef cd ab 89 67 45 23 01 ", x64_mov_ri(b, 8, X64_RAX, 0x123456789abcdefll));
    GOLDEN("b8 ff ff ff ff ", x64_mov_ri(b, 8, X64_RAX, 0xffffffffll));
    GOLDEN("49 c7 c1 ff ff ff ff ", x64_mov_ri(b, 8, X64_R9, -1));
    GOLDEN("87 c0 ", x64_xchg_rr(b, 4, X64_RAX, X64_RAX));
    GOLDEN("49 90 ", x64_xchg_rr(b, 8, X64_R8, X64_RAX));
    GOLDEN("41 54 ", x64_push_r(b, 8, X64_R12));
    GOLDEN("41 5f ", x64_pop_r(b, 8, X64_R15));
    GOLDEN("ff 25 00 00 00 00 ", x64_jmp_m(b, x64_mem_rip(0)));
    GOLDEN("41 0f 95 c1 ", x64_setcc_r(b, X64_CC_NE, X64_R9));
    GOLDEN("41 d1 e0 ", x64_shift_r1(b, X64_SHL, 4, X64_R8));
    GOLDEN("48 69 11 e8 03 00 00 ", x64_imul_rmi(b, 8, X64_RDX, x64_mem_base(X64_RCX, 0), 1000));
    GOLDEN("f6 07 01 ", x64_test_mi(b, 1, x64_mem_base(X64_RDI, 0), 1));
    GOLDEN("0f ba e0 1f ", x64_bt_ri(b, X64_BT, 4, X64_RAX, 31));
    GOLDEN("e8 00 00 00 00 ", x64_call_rel32(b, 0));
}
END_TEST

START_TEST(test_memory_operand_errors)
{
    x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_sib(X64_RAX, X64_RSP, 1, 0));
    xc_check_error(&x, X64_ERR_OPERAND, "rsp as index");
    x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_index(X64_RSP, 2, 0));
    xc_check_error(&x, X64_ERR_OPERAND, "rsp as index without base");
    static const int bad_scales[] = {0, 3, 5, 16};
    for (size_t i = 0; i < KILN_ARRAY_SIZE(bad_scales); i++) {
        x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_sib(X64_RAX, X64_RCX, bad_scales[i], 0));
        xc_check_error(&x, X64_ERR_OPERAND, "scale");
    }
    x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_base((enum x64_reg)16, 0));
    xc_check_error(&x, X64_ERR_OPERAND, "base 16");
    x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_sib(X64_RAX, (enum x64_reg)16, 1, 0));
    xc_check_error(&x, X64_ERR_OPERAND, "index 16");
    x64_mov_rr(xc_buf(&x), 4, (enum x64_reg)16, X64_RAX);
    xc_check_error(&x, X64_ERR_OPERAND, "register 16");
    x64_mov_rm(xc_buf(&x), 4, X64_RAX, (struct x64_mem){.kind = 9, .scale = 1});
    xc_check_error(&x, X64_ERR_OPERAND, "memory kind");
    /* RIP-relative reach, counted from the end of a 6-byte instruction. */
    x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_rip_to(XC_BASE + 6 + INT32_MAX));
    xc_check(&x,
             &(struct xexp){
                 "mov", 2, {xr(X64_RAX, 4), xm(x64_mem_rip_to(XC_BASE + 6 + INT32_MAX), 4)}, 6});
    x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_rip_to(XC_BASE + 6 + INT32_MAX + 1));
    xc_check_error(&x, X64_ERR_RANGE, "rip out of reach");
    x64_mov_rm(xc_buf(&x), 4, X64_RAX, x64_mem_rip_to(XC_BASE + 6 - 0x80000001ull));
    xc_check_error(&x, X64_ERR_RANGE, "rip out of reach below");
    x64_mov_mi(xc_buf(&x), 8, x64_mem_base(X64_RAX, 0), 0x80000000ll);
    xc_check_error(&x, X64_ERR_OPERAND, "imm32 at size 8");
    /* After an error, nothing more is written, however small. */
    struct x64_buf *b = xc_buf(&x);
    x64_mov_rr(b, 4, (enum x64_reg)16, X64_RAX);
    x64_ret(b);
    x64_nop(b, 1);
    xc_check_error(&x, X64_ERR_OPERAND, "sticky error");
    ck_assert_int_eq(x64_buf_finish(b), X64_ERR_OPERAND);
}
END_TEST

START_TEST(test_buffer_full)
{
    /* Six instructions of 10, 1, 11, 9, 6 and 2 bytes (SDM encodings). */
    static const int lens[6] = {10, 1, 11, 9, 6, 2};
    for (size_t cap = 0; cap <= 40; cap++) {
        uint8_t mem[64];
        memset(mem, 0xab, sizeof(mem));
        struct x64_buf b;
        x64_buf_init(&b, mem, cap, XC_BASE);
        x64_mov_ri64(&b, X64_R8, 0x1122334455667788ull);
        x64_ret(&b);
        x64_alu_mi(&b, X64_ADD, 4, x64_mem_base(X64_RSP, 0x80), 0x12345);
        x64_nop(&b, 9);
        x64_jcc_rel32(&b, X64_CC_E, 0);
        x64_push_r(&b, 8, X64_R12);
        size_t want = 0;
        int fit = 0;
        while (fit < 6 && want + (size_t)lens[fit] <= cap)
            want += (size_t)lens[fit++];
        ck_assert_int_eq(b.err, fit == 6 ? X64_OK : X64_ERR_FULL);
        ck_assert_uint_eq(b.pos, want);
        for (size_t i = cap; i < sizeof(mem); i++)
            ck_assert_msg(mem[i] == 0xab, "cap %zu: byte %zu written", cap, i);
        cs_insn *in;
        size_t n = cs_disasm(x.cs, mem, b.pos, XC_BASE, 0, &in);
        ck_assert_uint_eq(n, (size_t)fit);
        if (n) cs_free(in, n);
    }
    /* The far CALL is MOV R11, imm64 (10) + CALL R11 (3): all or nothing. */
    for (size_t cap = 0; cap <= 13; cap++) {
        uint8_t mem[16];
        memset(mem, 0xab, sizeof(mem));
        struct x64_buf b;
        x64_buf_init(&b, mem, cap, XC_BASE);
        x64_call_abs(&b, 0x100000000000ull, X64_R11);
        ck_assert_int_eq(b.err, cap == 13 ? X64_OK : X64_ERR_FULL);
        ck_assert_uint_eq(b.pos, cap == 13 ? 13 : 0);
        ck_assert_uint_eq(mem[0], cap == 13 ? 0x49 : 0xab);
    }
    struct x64_buf b;
    x64_buf_init(&b, x.code, sizeof(x.code), XC_BASE);
    x64_jmp_abs(&b, 0x100000000000ull, X64_AH);
    ck_assert_int_eq(b.err, X64_ERR_OPERAND);
    ck_assert_uint_eq(b.pos, 0);
    x64_buf_init(&b, NULL, 100, XC_BASE);
    x64_ret(&b);
    ck_assert_int_eq(x64_buf_finish(&b), X64_ERR_FULL);
    ck_assert_uint_eq(b.pos, 0);
}
END_TEST

/* Disassemble the branch at buffer offset 'off'; check its mnemonic and length, return its target.
 */
static uint64_t branch_at(size_t off, const char *mnem, unsigned len)
{
    cs_insn *in;
    size_t n = cs_disasm(x.cs, x.code + off, x.b.pos - off, XC_BASE + off, 1, &in);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(in->mnemonic, mnem);
    ck_assert_uint_eq(in->size, len);
    uint64_t t = (uint64_t)in->detail->x86.operands[0].imm;
    cs_free(in, n);
    x.checked++;
    return t;
}

START_TEST(test_labels)
{
    struct x64_buf *b = xc_buf(&x);
    struct x64_label top = x64_label_new(b), out = x64_label_new(b), mid = x64_label_new(b);
    x64_label_bind(b, top);
    x64_jcc_label(b, X64_CC_E, out, X64_REL8);      /* 0: forward rel8 */
    x64_jmp_label(b, out, X64_REL32);               /* 2: forward rel32 */
    x64_jcc_label(b, X64_CC_NE, mid, X64_REL_AUTO); /* 7: forward, auto = rel32 */
    x64_jmp_label(b, top, X64_REL_AUTO);            /* 13: backward, auto = rel8 */
    x64_label_bind(b, mid);                         /* 15 */
    x64_jcc_label(b, X64_CC_L, top, X64_REL32);     /* 15: backward rel32 */
    x64_nop(b, 9);                                  /* 21 */
    x64_label_bind(b, out);                         /* 30 */
    x64_jmp_label(b, mid, X64_REL8);                /* 30: backward rel8 */
    ck_assert_int_eq(x64_buf_finish(b), X64_OK);
    ck_assert_uint_eq(b->pos, 32);
    ck_assert_uint_eq(branch_at(0, "je", 2), XC_BASE + 30);
    ck_assert_uint_eq(branch_at(2, "jmp", 5), XC_BASE + 30);
    ck_assert_uint_eq(branch_at(7, "jne", 6), XC_BASE + 15);
    ck_assert_uint_eq(branch_at(13, "jmp", 2), XC_BASE + 0);
    ck_assert_uint_eq(branch_at(15, "jl", 6), XC_BASE + 0);
    ck_assert_uint_eq(branch_at(30, "jmp", 2), XC_BASE + 15);

    /* rel8 reach: exactly 127 forward and 128 back fit; one more does not. */
    for (int extra = 0; extra < 2; extra++) {
        b = xc_buf(&x);
        struct x64_label fwd = x64_label_new(b), back = x64_label_new(b);
        x64_label_bind(b, back);
        for (int i = 0; i < 126 + extra; i++)
            x64_int3(b);
        x64_jmp_label(b, back, X64_REL_AUTO); /* 128 + extra back: rel8 only without extra */
        ck_assert_uint_eq(b->pos, (size_t)(126 + extra + (extra ? 5 : 2)));
        ck_assert_uint_eq(branch_at((size_t)(126 + extra), "jmp", extra ? 5 : 2), XC_BASE);
        size_t at = b->pos;
        x64_jcc_label(b, X64_CC_B, fwd, X64_REL8);
        for (int i = 0; i < 127 + extra; i++)
            x64_int3(b);
        x64_label_bind(b, fwd);
        ck_assert_int_eq(x64_buf_finish(b), extra ? X64_ERR_RANGE : X64_OK);
        if (!extra) ck_assert_uint_eq(branch_at(at, "jb", 2), x64_here(b));
        b = xc_buf(&x);
        back = x64_label_new(b);
        x64_label_bind(b, back);
        for (int i = 0; i < 126 + extra; i++)
            x64_int3(b);
        x64_jcc_label(b, X64_CC_A, back, X64_REL8);
        ck_assert_int_eq(b->err, extra ? X64_ERR_RANGE : X64_OK);
        ck_assert_uint_eq(b->pos, (size_t)(126 + extra + (extra ? 0 : 2)));
    }
}
END_TEST

START_TEST(test_label_errors)
{
    struct x64_buf *b = xc_buf(&x);
    struct x64_label l = x64_label_new(b);
    x64_jmp_label(b, l, X64_REL32);
    ck_assert_int_eq(x64_buf_finish(b), X64_ERR_LABELS); /* never bound */

    b = xc_buf(&x);
    l = x64_label_new(b);
    x64_label_bind(b, l);
    x64_label_bind(b, l);
    ck_assert_int_eq(b->err, X64_ERR_LABELS); /* bound twice */

    b = xc_buf(&x);
    x64_jmp_label(b, (struct x64_label){3}, X64_REL32);
    xc_check_error(&x, X64_ERR_LABELS, "label of no buffer");

    b = xc_buf(&x);
    for (int i = 0; i < X64_MAX_LABELS; i++)
        ck_assert_int_eq(x64_label_new(b).id, i);
    ck_assert_int_eq(b->err, X64_OK);
    ck_assert_int_eq(x64_label_new(b).id, -1);
    ck_assert_int_eq(b->err, X64_ERR_LABELS);

    b = xc_buf(&x);
    l = x64_label_new(b);
    for (int i = 0; i < X64_MAX_FIXUPS; i++)
        x64_jcc_label(b, X64_CC_E, l, X64_REL8);
    ck_assert_int_eq(b->err, X64_OK);
    size_t pos = b->pos;
    x64_jcc_label(b, X64_CC_E, l, X64_REL8);
    ck_assert_int_eq(b->err, X64_ERR_LABELS);
    ck_assert_uint_eq(b->pos, pos);

    /* Many fixups on one label, all patched by one bind. */
    b = xc_buf(&x);
    l = x64_label_new(b);
    for (int i = 0; i < 20; i++)
        x64_jcc_label(b, (enum x64_cond)(i % 16), l, i % 2 ? X64_REL8 : X64_REL32);
    x64_label_bind(b, l);
    ck_assert_int_eq(x64_buf_finish(b), X64_OK);
    for (int i = 0, off = 0; i < 20; off += i % 2 ? 2 : 6, i++)
        ck_assert_uint_eq(branch_at((size_t)off, jcc_names[i % 16], i % 2 ? 2 : 6), x64_here(b));
}
END_TEST

START_TEST(test_patching)
{
    struct x64_buf *b = xc_buf(&x);
    size_t f1 = x64_jcc_rel32(b, X64_CC_GE, 0);
    size_t f2 = x64_jmp_rel32(b, 0);
    size_t f3 = x64_call_rel32(b, 0);
    x64_jmp_rel8(b, 0);
    ck_assert_uint_eq(f1, 2);
    ck_assert_uint_eq(f2, 7);
    ck_assert_uint_eq(f3, 12);
    x64_patch_rel(b, f1, X64_REL32, 0);
    x64_patch_rel(b, f2, X64_REL32, 18);
    x64_patch_rel(b, f3, X64_REL32, 6);
    x64_patch_rel(b, 17, X64_REL8, 16);
    ck_assert_int_eq(x64_buf_finish(b), X64_OK);
    ck_assert_uint_eq(branch_at(0, "jge", 6), XC_BASE);
    ck_assert_uint_eq(branch_at(6, "jmp", 5), XC_BASE + 18);
    ck_assert_uint_eq(branch_at(11, "call", 5), XC_BASE + 6);
    ck_assert_uint_eq(branch_at(16, "jmp", 2), XC_BASE + 16);
    x64_patch_rel(b, 30, X64_REL32, 0);
    ck_assert_int_eq(b->err, X64_ERR_OPERAND); /* field beyond the code */

    b = xc_buf(&x);
    x64_jmp_rel8(b, 0);
    for (int i = 0; i < 200; i++)
        x64_int3(b);
    x64_patch_rel(b, 1, X64_REL8, 200);
    ck_assert_int_eq(b->err, X64_ERR_RANGE);

    /* Sealed-code patching: reach limits counted from the field's end. */
    uint8_t field[4] = {0x11, 0x22, 0x33, 0x44};
    uint64_t at = 0x7f0000000000ull;
    ck_assert(x64_patch_rel32(field, at, at + 4 + INT32_MAX));
    ck_assert_uint_eq(field[3], 0x7f);
    ck_assert(x64_patch_rel32(field, at, at + 4 - 0x80000000ull));
    ck_assert_uint_eq(field[3], 0x80);
    ck_assert(!x64_patch_rel32(field, at, at + 5 + INT32_MAX));
    ck_assert(!x64_patch_rel32(field, at, at + 3 - 0x80000000ull));
    ck_assert_uint_eq(field[3], 0x80); /* unchanged */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("jit_x64_ctrl");
    TCase *tc = tcase_create("control");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_relative_branches);
    tcase_add_test(tc, test_absolute_branches);
    tcase_add_test(tc, test_indirect_and_misc);
    tcase_add_test(tc, test_nops);
    tcase_add_test(tc, test_golden_encodings);
    tcase_add_test(tc, test_memory_operand_errors);
    tcase_add_test(tc, test_buffer_full);
    tcase_add_test(tc, test_labels);
    tcase_add_test(tc, test_label_errors);
    tcase_add_test(tc, test_patching);
    suite_add_tcase(s, tc);
    return check_run(s);
}
