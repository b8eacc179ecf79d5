/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of per-generation behaviour that software uses to tell CPUs
 * apart: FLAGS bits 12-15 under PUSHF, PUSH SP, shift-count masking, opcode
 * 0F, CPUID, the #DE return address and the instruction-length limit.
 * Expected values: Intel SDM Vol. 3A ch. 22 (architecture compatibility),
 * the SingleStepTests 8086/80286 notes, and Intel AP-485 (CPUID).
 */
#include <check.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/interp.h"
#include "check_main.h"

#define RAM_SIZE (1u << 20)
#define CODE 0x1000u  /* code at 0000:1000 */
#define STACK 0x8000u /* SS:SP = 0000:8000 */

static uint8_t ram[RAM_SIZE];
static struct cpu cpu;

/* Reset as 'model', load 'code' at CODE, and point CS:IP and SS:SP at it. */
static void boot(const char *model, const uint8_t *code, size_t n)
{
    memset(ram, 0, sizeof(ram));
    memcpy(ram + CODE, code, n);
    struct cpu_bus bus = {.ram = ram, .ram_size = RAM_SIZE};
    cpu_init(&cpu, cpu_model_find(model), &bus);
    cpu_load_seg_real(&cpu, SEG_CS, 0);
    cpu_load_seg_real(&cpu, SEG_SS, 0);
    cpu_load_seg_real(&cpu, SEG_DS, 0);
    cpu.eip = CODE;
    cpu.r[R_ESP] = STACK;
}

static void run(int steps)
{
    for (int i = 0; i < steps; i++)
        ck_assert_int_eq(interp_step(&cpu), STEP_OK);
}

static uint16_t word_at(uint32_t a)
{
    return (uint16_t)(ram[a] | ram[a + 1] << 8);
}

/* PUSH 0 (via xor/push), POPF, PUSHF: what bits 12-15 read back as. */
static uint16_t flags_after_popf(const char *model, uint16_t value)
{
    const uint8_t code[] = {0xb8, (uint8_t)value, (uint8_t)(value >> 8), /* mov ax, value */
                            0x50, 0x9d, 0x9c};                          /* push ax; popf; pushf */
    boot(model, code, sizeof(code));
    run(4);
    return word_at(STACK - 2);
}

START_TEST(test_flags_high_bits)
{
    ck_assert_uint_eq(flags_after_popf("8086", 0x0000) & 0xf000, 0xf000);
    ck_assert_uint_eq(flags_after_popf("286", 0xf000) & 0xf000, 0x0000);
    ck_assert_uint_eq(flags_after_popf("386", 0xf000) & 0xf000, 0x7000);
    ck_assert_uint_eq(flags_after_popf("pentium2", 0xffff) & 0x0002, 0x0002);
    ck_assert_uint_eq(flags_after_popf("pentium2", 0xffff) & 0x0028, 0x0000);
}
END_TEST

START_TEST(test_push_sp)
{
    const uint8_t code[] = {0x54}; /* push sp */
    boot("8086", code, sizeof(code));
    run(1);
    ck_assert_uint_eq(word_at(STACK - 2), STACK - 2);
    boot("286", code, sizeof(code));
    run(1);
    ck_assert_uint_eq(word_at(STACK - 2), STACK);
}
END_TEST

START_TEST(test_shift_count_mask)
{
    const uint8_t code[] = {0xb8, 0x01, 0x00, 0xb1, 0x21, 0xd3, 0xe0}; /* mov ax,1; mov cl,33; shl ax,cl */
    boot("8086", code, sizeof(code));
    run(3);
    ck_assert_uint_eq(cpu.r[R_EAX] & 0xffff, 0); /* the 8086 shifts 33 times */
    boot("286", code, sizeof(code));
    run(3);
    ck_assert_uint_eq(cpu.r[R_EAX] & 0xffff, 2); /* later CPUs mask the count to 1 */
}
END_TEST

START_TEST(test_opcode_0f)
{
    const uint8_t pop_cs[] = {0xb8, 0x34, 0x12, 0x50, 0x0f}; /* mov ax,1234h; push ax; pop cs */
    boot("8086", pop_cs, sizeof(pop_cs));
    run(3);
    ck_assert_uint_eq(cpu.seg[SEG_CS].sel, 0x1234);
    /* On the 286, 0F 00 /0 in real mode (SLDT) is #UD: vector 6 through the IVT. */
    const uint8_t sldt[] = {0x0f, 0x00, 0xc0};
    boot("286", sldt, sizeof(sldt));
    ram[6 * 4] = 0x00;
    ram[6 * 4 + 1] = 0x20;
    run(1);
    ck_assert_uint_eq(cpu.eip, 0x2000);
    ck_assert_uint_eq(word_at(STACK - 6), CODE); /* faulting IP pushed */
}
END_TEST

START_TEST(test_cpuid)
{
    const uint8_t code[] = {0x66, 0x31, 0xc0, 0x0f, 0xa2, 0x66, 0xb8, 0x01, 0x00, 0x00, 0x00,
                            0x0f, 0xa2};
    boot("pentium2", code, sizeof(code));
    run(2);
    ck_assert_uint_eq(cpu.r[R_EBX], 0x756e6547); /* "Genu" */
    ck_assert_uint_eq(cpu.r[R_EDX], 0x49656e69); /* "ineI" */
    ck_assert_uint_eq(cpu.r[R_ECX], 0x6c65746e); /* "ntel" */
    run(2);
    ck_assert_uint_eq((cpu.r[R_EAX] >> 8) & 0xf, 6); /* family 6 */
    ck_assert_uint_eq(cpu.r[R_EDX] & (1u << 15), 1u << 15); /* CMOV */
    ck_assert_uint_eq(cpu.r[R_EDX] & (1u << 23), 1u << 23); /* MMX */
    boot("pentium", code, sizeof(code));
    run(4);
    ck_assert_uint_eq((cpu.r[R_EAX] >> 8) & 0xf, 5);
    ck_assert_uint_eq(cpu.r[R_EDX] & (1u << 15), 0);
}
END_TEST

/* DIV by zero: the 8086 pushes the next IP, later CPUs the faulting IP. */
START_TEST(test_divide_error_return)
{
    const uint8_t code[] = {0x31, 0xc9, 0xf6, 0xf1}; /* xor cx,cx; div cl */
    boot("8086", code, sizeof(code));
    run(2);
    ck_assert_uint_eq(word_at(STACK - 6), CODE + 4);
    boot("286", code, sizeof(code));
    run(2);
    ck_assert_uint_eq(word_at(STACK - 6), CODE + 2);
}
END_TEST

START_TEST(test_length_limit_gp)
{
    uint8_t code[16];
    memset(code, 0x26, 15); /* 15 ES: prefixes and a NOP: 16 bytes */
    code[15] = 0x90;
    boot("386", code, sizeof(code));
    ram[13 * 4] = 0x00;
    ram[13 * 4 + 1] = 0x30;
    run(1);
    ck_assert_uint_eq(cpu.eip, 0x3000);
    ck_assert_uint_eq(word_at(STACK - 6), CODE);
    /* Fourteen prefixes and the NOP fit in 15 bytes. */
    boot("386", code + 1, 15);
    run(1);
    ck_assert_uint_eq(cpu.eip, CODE + 15);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu_models");
    TCase *tc = tcase_create("models");
    tcase_add_test(tc, test_flags_high_bits);
    tcase_add_test(tc, test_push_sp);
    tcase_add_test(tc, test_shift_count_mask);
    tcase_add_test(tc, test_opcode_0f);
    tcase_add_test(tc, test_cpuid);
    tcase_add_test(tc, test_divide_error_return);
    tcase_add_test(tc, test_length_limit_gp);
    suite_add_tcase(s, tc);
    return check_run(s);
}
