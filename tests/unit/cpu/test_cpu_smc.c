/* SPDX-License-Identifier: MIT */
/*
 * Self-modifying code under the interpreter's fast loop (interp_run_fast):
 * an instruction that stores into the bytes of an instruction after it in
 * the same run of pre-decoded instructions must make that instruction run
 * as it now reads, whatever the store: a MOV to memory, a store through a
 * second linear mapping of the same page, REP STOS, a PUSH whose stack is
 * the code page, a call's return address, an x87 store. On hardware a
 * store into the instruction stream takes effect from the next instruction
 * on (SDM Vol. 3A 11.6: self-modifying code).
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "cpu_fixture.h"
#include "cpu/cpu.h"
#include "cpu/interp.h"
#include "cpu/mem.h"
#include "cpu/mmu.h"

#define RAM_SIZE (4u << 20)
#define CODE     0x2000u   /* the code page */
#define ALIAS    0x400000u /* a second linear page mapping CODE's */
#define PD       0x10000u
#define PT0      0x11000u
#define PT1      0x12000u

static uint8_t ram[RAM_SIZE];
static struct cpu cpu;

/* Flat 32-bit protected mode, paging on: the first 4 MiB identity-mapped,
 * ALIAS mapped to CODE's physical page too. */
static void setup(void)
{
    memset(ram, 0, sizeof(ram));
    struct cpu_bus bus = {.ram = ram, .ram_size = RAM_SIZE};
    cpu_init(&cpu, cpu_model_default(), &bus);
    fixture_flat_pm(&cpu);
    cpu.cr[0] |= CR0_PG;
    fixture_wr32(ram, PD, PT0 | 3);
    fixture_wr32(ram, PD + 4, PT1 | 3);
    for (uint32_t p = 0; p < 1024; p++)
        fixture_wr32(ram, PT0 + 4 * p, p << 12 | 3);
    fixture_wr32(ram, PT1, CODE | 3);
    mmu_load_cr3(&cpu, PD);
    mmu_flush(&cpu);
    cpu.r[R_ESP] = 0x80000;
}

/* Put 'code' at CODE followed by HLT, then run it in one call of the fast
 * loop: the run is decoded from the bytes as they are before it starts. */
static void run(const uint8_t *code, size_t len)
{
    memcpy(ram + CODE, code, len);
    ram[CODE + len] = 0xf4; /* HLT: not for the fast loop, so the call ends there */
    cpu.eip = CODE;
    uint32_t v; /* the fast loop fetches through a TLB entry that is there */
    ck_assert_int_eq(mem_read(&cpu, SEG_CS, CODE, 1, &v), 0);
    enum step_result res;
    uint64_t n = interp_run_fast(&cpu, 100, NULL, NULL, &res);
    ck_assert_int_eq(res, STEP_OK);
    ck_assert_uint_ge(n, 2);
    ck_assert_uint_eq(cpu.eip, CODE + len);
}

START_TEST(test_mov_into_next_instruction)
{
    /* mov byte [CODE + 8], 42h; mov al, 11h (its immediate at CODE + 8) */
    static const uint8_t code[] = {0xc6, 0x05, CODE & 0xff, CODE >> 8, 0, 0, 0x42, 0xb0, 0x11};
    uint8_t c2[sizeof(code)];
    memcpy(c2, code, sizeof(code));
    c2[2] = (CODE + 8) & 0xff;
    run(c2, sizeof(c2));
    ck_assert_uint_eq(cpu.r[R_EAX] & 0xff, 0x42);
}
END_TEST

START_TEST(test_store_through_second_mapping)
{
    /* mov byte [ALIAS + 8], 42h; mov al, 11h */
    static const uint8_t code[] = {0xc6, 0x05, 0x08, 0x00, ALIAS >> 16 & 0xff, 0, 0x42, 0xb0, 0x11};
    run(code, sizeof(code));
    ck_assert_uint_eq(cpu.r[R_EAX] & 0xff, 0x42);
}
END_TEST

START_TEST(test_rep_stos_over_next_instruction)
{
    /* rep stosb (EDI = CODE + 3, ECX = 1, AL = 42h); mov bl, 11h */
    static const uint8_t code[] = {0xf3, 0xaa, 0xb3, 0x11};
    cpu.r[R_EDI] = CODE + 3;
    cpu.r[R_ECX] = 1;
    cpu.r[R_EAX] = 0x42;
    run(code, sizeof(code));
    ck_assert_uint_eq(cpu.r[R_EBX] & 0xff, 0x42);
}
END_TEST

START_TEST(test_push_onto_code_page)
{
    /* push 222222B8h with ESP = CODE + 9: the dword lands on the MOV after
     * it, which then reads B8 22 22 22 11: mov eax, 11222222h */
    static const uint8_t code[] = {0x68, 0xb8, 0x22, 0x22, 0x22, 0xb8, 0x11, 0x11, 0x11, 0x11};
    cpu.r[R_ESP] = CODE + 9;
    run(code, sizeof(code));
    ck_assert_uint_eq(cpu.r[R_EAX], 0x11222222u);
}
END_TEST

START_TEST(test_x87_store_into_next_instruction)
{
    /* fninit; fild dword [CODE + 40h] (= 42h); fistp word [CODE + 16];
     * mov ax, 1111h (its immediate at CODE + 16) */
    static const uint8_t code[] = {0xdb, 0xe3,                         /* fninit */
                                   0xdb, 0x05, 0x40, CODE >> 8, 0, 0,  /* fild dword */
                                   0xdf, 0x1d, 0x10, CODE >> 8, 0, 0,  /* fistp word */
                                   0x66, 0xb8, 0x11, 0x11};
    fixture_wr32(ram, CODE + 0x40, 0x42);
    run(code, sizeof(code));
    ck_assert_uint_eq(cpu.r[R_EAX] & 0xffff, 0x0042);
}
END_TEST

START_TEST(test_store_elsewhere_keeps_running)
{
    /* A store to data on the code page that changes no instruction. */
    static const uint8_t code[] = {0xc6, 0x05, 0x00, CODE >> 8, 0, 0, 0x99, 0xb0, 0x11};
    uint8_t c2[sizeof(code)];
    memcpy(c2, code, sizeof(code));
    c2[2] = 0x80; /* CODE + 0x80 */
    run(c2, sizeof(c2));
    ck_assert_uint_eq(cpu.r[R_EAX] & 0xff, 0x11);
    ck_assert_uint_eq(ram[CODE + 0x80], 0x99);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu_smc");
    TCase *tc = tcase_create("smc");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_mov_into_next_instruction);
    tcase_add_test(tc, test_store_through_second_mapping);
    tcase_add_test(tc, test_rep_stos_over_next_instruction);
    tcase_add_test(tc, test_push_onto_code_page);
    tcase_add_test(tc, test_x87_store_into_next_instruction);
    tcase_add_test(tc, test_store_elsewhere_keeps_running);
    suite_add_tcase(s, tc);
    return check_run(s);
}
