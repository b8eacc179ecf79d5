/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the decoder: table consistency, ModRM/SIB forms, prefixes,
 * the length limit, LOCK rules, per-generation opcode sets and mnemonics.
 * Expected values are the encodings' meanings per Intel SDM Vol. 2 ch. 2.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "check_main.h"

static enum decode_status dec(enum cpu_gen g, int size, const char *hex, struct insn *in)
{
    uint8_t buf[32];
    size_t n = 0;
    for (const char *p = hex; p[0] && p[1]; p += 2) {
        while (*p == ' ')
            p++;
        unsigned v;
        sscanf(p, "%2x", &v);
        buf[n++] = (uint8_t)v;
    }
    return decode_buffer(g, size, buf, n, in);
}

START_TEST(test_tables_have_no_conflicts)
{
    for (int g = 0; g < CPU_GEN_COUNT; g++)
        ck_assert_int_eq(decode_table_conflicts((enum cpu_gen)g), 0);
}
END_TEST

START_TEST(test_modrm_sib_32)
{
    struct insn in;
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "8b442408", &in), DEC_OK);
    ck_assert_int_eq(in.op, OP_MOV_Gv_Ev);
    ck_assert_int_eq(in.len, 4);
    ck_assert_int_eq(in.base, R_ESP);
    ck_assert_int_eq(in.index, INSN_NOREG);
    ck_assert_uint_eq(in.disp, 8);
    ck_assert_int_eq(in.seg, SEG_SS);
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "8b048d00100000", &in), DEC_OK);
    ck_assert_int_eq(in.len, 7);
    ck_assert_int_eq(in.base, INSN_NOREG);
    ck_assert_int_eq(in.index, R_ECX);
    ck_assert_int_eq(in.scale, 2);
    ck_assert_uint_eq(in.disp, 0x1000);
    ck_assert_int_eq(in.seg, SEG_DS);
}
END_TEST

START_TEST(test_modrm_16)
{
    struct insn in;
    ck_assert_int_eq(dec(CPU_8086, 2, "8b46fe", &in), DEC_OK);
    ck_assert_int_eq(in.len, 3);
    ck_assert_int_eq(in.base, R_EBP);
    ck_assert_uint_eq(in.disp, 0xfffffffe);
    ck_assert_int_eq(in.seg, SEG_SS);
    ck_assert_int_eq(dec(CPU_8086, 2, "268b060012", &in), DEC_OK); /* mov ax,es:[0x1200] */
    ck_assert_int_eq(in.len, 5);
    ck_assert_int_eq(in.base, INSN_NOREG);
    ck_assert_uint_eq(in.disp, 0x1200);
    ck_assert_int_eq(in.seg, SEG_ES);
}
END_TEST

START_TEST(test_size_prefixes)
{
    struct insn in;
    ck_assert_int_eq(dec(CPU_386, 2, "66b878563412", &in), DEC_OK);
    ck_assert_int_eq(in.len, 6);
    ck_assert_int_eq(in.opsize, 4);
    ck_assert_uint_eq(in.imm, 0x12345678);
    ck_assert_int_eq(dec(CPU_386, 4, "678b07", &in), DEC_OK); /* mov eax,[bx] */
    ck_assert_int_eq(in.addrsize, 2);
    ck_assert_int_eq(in.base, R_EBX);
    /* 66 and 67 do not exist before the 386. */
    ck_assert_int_eq(dec(CPU_286, 2, "66b80000", &in), DEC_UD);
}
END_TEST

START_TEST(test_length_limit)
{
    struct insn in;
    char hex[64] = "";
    for (int i = 0; i < 14; i++)
        strcat(hex, "66");
    strcat(hex, "90");
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, hex, &in), DEC_OK);
    ck_assert_int_eq(in.len, 15);
    char longer[64] = "66";
    strcat(longer, hex);
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, longer, &in), DEC_TOO_LONG);
    /* The 286 stops at 10 bytes. */
    ck_assert_int_eq(dec(CPU_286, 2, "2626262626262626262690", &in), DEC_TOO_LONG);
    ck_assert_int_eq(dec(CPU_286, 2, "26262626262626262690", &in), DEC_OK);
}
END_TEST

START_TEST(test_lock_rules)
{
    struct insn in;
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "f00100", &in), DEC_OK); /* lock add [eax],eax */
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "f001c0", &in), DEC_UD); /* register destination */
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "f090", &in), DEC_UD);
    ck_assert_int_eq(dec(CPU_286, 2, "f090", &in), DEC_OK);        /* no #UD before the 386 */
}
END_TEST

START_TEST(test_generations)
{
    struct insn in;
    ck_assert_int_eq(dec(CPU_8086, 2, "0f", &in), DEC_OK); /* POP CS */
    ck_assert_int_eq(in.op, OP_POP_CS);
    ck_assert_int_eq(dec(CPU_8086, 2, "6005", &in), DEC_OK); /* alias of JO */
    ck_assert_str_eq(insn_mnemonic(&in), "jo");
    ck_assert_int_eq(in.len, 2);
    ck_assert_int_eq(dec(CPU_286, 2, "60", &in), DEC_OK);
    ck_assert_int_eq(in.op, OP_PUSHA);
    ck_assert_int_eq(dec(CPU_PENTIUM, 4, "0f44c0", &in), DEC_UD); /* CMOV is P6 */
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "0f44c0", &in), DEC_OK);
    ck_assert_str_eq(insn_mnemonic(&in), "cmove");
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "d9e8", &in), DEC_OK);
    ck_assert_str_eq(insn_mnemonic(&in), "fld1");
    ck_assert_int_eq(dec(CPU_286, 2, "d9e8", &in), DEC_OK);
    ck_assert_str_eq(insn_mnemonic(&in), "esc");
    ck_assert_int_eq(dec(CPU_486, 4, "0fa2", &in), DEC_UD); /* Kiln's 486 has no CPUID */
}
END_TEST

START_TEST(test_mnemonic_sizes)
{
    struct insn in;
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "98", &in), DEC_OK);
    ck_assert_str_eq(insn_mnemonic(&in), "cwde");
    ck_assert_int_eq(dec(CPU_PENTIUM2, 2, "98", &in), DEC_OK);
    ck_assert_str_eq(insn_mnemonic(&in), "cbw");
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "67e3fe", &in), DEC_OK);
    ck_assert_str_eq(insn_mnemonic(&in), "jcxz");
}
END_TEST

START_TEST(test_fetch_fault_is_reported)
{
    struct insn in;
    ck_assert_int_eq(dec(CPU_PENTIUM2, 4, "8b", &in), DEC_FETCH_FAULT);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu_decode");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, test_tables_have_no_conflicts);
    tcase_add_test(tc, test_modrm_sib_32);
    tcase_add_test(tc, test_modrm_16);
    tcase_add_test(tc, test_size_prefixes);
    tcase_add_test(tc, test_length_limit);
    tcase_add_test(tc, test_lock_rules);
    tcase_add_test(tc, test_generations);
    tcase_add_test(tc, test_mnemonic_sizes);
    tcase_add_test(tc, test_fetch_fault_is_reported);
    suite_add_tcase(s, tc);
    return check_run(s);
}
