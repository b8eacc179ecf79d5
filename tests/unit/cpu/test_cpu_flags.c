/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of lazy flags: each case states an operation and the flags the
 * SDM defines for it (Vol. 1 appendix A; instruction pages of ADD, ADC, SUB,
 * SBB, INC, DEC), then checks what flags_get materialises.
 */
#include <check.h>

#include "cpu/flags.h"
#include "check_main.h"

static struct cpu cpu;

static void setup(void)
{
    struct cpu_bus bus = {0};
    cpu_init(&cpu, cpu_model_default(), &bus);
}

static uint32_t arith(void)
{
    return flags_get(&cpu) & FL_ARITH;
}

START_TEST(test_add)
{
    flags_lazy(&cpu, LF_ADD, 1, 0x7f, 0x01, 0x80);
    ck_assert_uint_eq(arith(), FL_OF | FL_SF | FL_AF);
    flags_lazy(&cpu, LF_ADD, 1, 0xff, 0x01, 0x100);
    ck_assert_uint_eq(arith(), FL_CF | FL_ZF | FL_AF | FL_PF);
    flags_lazy(&cpu, LF_ADD, 4, 0x80000000u, 0x80000000u, 0);
    ck_assert_uint_eq(arith(), FL_CF | FL_ZF | FL_PF | FL_OF);
}
END_TEST

START_TEST(test_sub)
{
    flags_lazy(&cpu, LF_SUB, 1, 0x00, 0x01, 0xff);
    ck_assert_uint_eq(arith(), FL_CF | FL_SF | FL_AF | FL_PF);
    flags_lazy(&cpu, LF_SUB, 1, 0x80, 0x01, 0x7f);
    ck_assert_uint_eq(arith(), FL_OF | FL_AF);
    flags_lazy(&cpu, LF_SUB, 2, 0x1234, 0x1234, 0);
    ck_assert_uint_eq(arith(), FL_ZF | FL_PF);
}
END_TEST

START_TEST(test_carry_in_recovered)
{
    /* ADC 0xff + 0 + CF(1) = 0x00 with carry out. */
    flags_lazy(&cpu, LF_ADC, 1, 0xff, 0x00, 0x100);
    ck_assert_uint_eq(arith() & FL_CF, FL_CF);
    /* SBB 0 - 0xff - CF(1) = 0x00 with borrow. */
    flags_lazy(&cpu, LF_SBB, 1, 0x00, 0xff, 0x00);
    ck_assert_uint_eq(arith() & (FL_CF | FL_ZF), FL_CF | FL_ZF);
    /* SBB 5 - 3 - 0 = 2: no borrow. */
    flags_lazy(&cpu, LF_SBB, 1, 5, 3, 2);
    ck_assert_uint_eq(arith() & FL_CF, 0);
}
END_TEST

START_TEST(test_inc_dec_keep_cf)
{
    flags_set_arith(&cpu, FL_ARITH, FL_CF);
    flags_lazy_incdec(&cpu, false, 1, 0x7f, 0x80);
    ck_assert_uint_eq(arith(), FL_CF | FL_OF | FL_SF | FL_AF);
    flags_set_arith(&cpu, FL_ARITH, 0);
    flags_lazy_incdec(&cpu, true, 2, 0x8000, 0x7fff);
    ck_assert_uint_eq(arith(), FL_OF | FL_AF | FL_PF);
}
END_TEST

START_TEST(test_conditions)
{
    flags_set_arith(&cpu, FL_ARITH, FL_SF); /* SF != OF: less */
    ck_assert(flags_cond(&cpu, 0xc));       /* L */
    ck_assert(!flags_cond(&cpu, 0xd));      /* GE */
    ck_assert(flags_cond(&cpu, 0xe));       /* LE */
    flags_set_arith(&cpu, FL_ARITH, FL_CF);
    ck_assert(flags_cond(&cpu, 0x2));       /* B */
    ck_assert(flags_cond(&cpu, 0x6));       /* BE */
    ck_assert(!flags_cond(&cpu, 0x7));      /* A */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu_flags");
    TCase *tc = tcase_create("flags");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_add);
    tcase_add_test(tc, test_sub);
    tcase_add_test(tc, test_carry_in_recovered);
    tcase_add_test(tc, test_inc_dec_keep_cf);
    tcase_add_test(tc, test_conditions);
    suite_add_tcase(s, tc);
    return check_run(s);
}
