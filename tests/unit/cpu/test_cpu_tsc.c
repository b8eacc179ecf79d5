/* SPDX-License-Identifier: MIT */
/*
 * The time-stamp counter as RDTSC and RDMSR/WRMSR 10h see it: a processor
 * reset clears it, WRMSR sets it, and from then on it counts its source,
 * the machine's clock, whether instructions retire or not (a halted CPU's
 * TSC runs on, as an invariant TSC does); without a source it counts
 * retired instructions. Spec: Intel SDM Vol. 3B 18.17 (Time-Stamp
 * Counter), Vol. 2B RDTSC, Vol. 4 table 2-2 (IA32_TIME_STAMP_COUNTER).
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "cpu_fixture.h"
#include "cpu/cpu.h"
#include "cpu/interp.h"
#include "cpu/mmu.h"

#define RAM_SIZE (1u << 20)
#define CODE     0x1000u

static uint8_t ram[RAM_SIZE];
static struct cpu cpu;
static uint64_t clock_ticks; /* the source's count, moved by the tests */

static uint64_t source(void *opaque)
{
    ck_assert_ptr_eq(opaque, &clock_ticks);
    return clock_ticks;
}

/* Flat 32-bit protected mode at CPL 0, with the TSC counting 'source'. */
static void setup(void)
{
    memset(ram, 0, sizeof(ram));
    struct cpu_bus bus = {.ram = ram, .ram_size = RAM_SIZE};
    cpu_init(&cpu, cpu_model_default(), &bus);
    clock_ticks = 5000000;
    cpu.tsc_source = source;
    cpu.tsc_opaque = &clock_ticks;
    cpu_reset(&cpu);
    fixture_flat_pm(&cpu);
    mmu_flush(&cpu);
}

/* Run the bytes given at CODE, one instruction per step, 'steps' steps. */
static void run(const uint8_t *code, size_t len, int steps)
{
    memcpy(ram + CODE, code, len);
    cpu.eip = CODE;
    for (int i = 0; i < steps; i++)
        ck_assert_int_eq(interp_step(&cpu), STEP_OK);
}

static uint64_t edx_eax(void)
{
    return (uint64_t)cpu.r[R_EDX] << 32 | cpu.r[R_EAX];
}

START_TEST(test_reset_clears_and_source_counts)
{
    static const uint8_t rdtsc[] = {0x0f, 0x31};
    run(rdtsc, sizeof(rdtsc), 1);
    ck_assert_uint_eq(edx_eax(), 0); /* reset made it 0 at this count */
    clock_ticks += 12345;            /* time passes, no instruction retires */
    run(rdtsc, sizeof(rdtsc), 1);
    ck_assert_uint_eq(edx_eax(), 12345);
    ck_assert_uint_eq(cpu_tsc(&cpu), 12345);
}
END_TEST

START_TEST(test_wrmsr_sets_rdmsr_reads)
{
    /* mov ecx, 10h; mov edx, 7; mov eax, 0fffffff0h; wrmsr; rdmsr */
    static const uint8_t code[] = {0xb9, 0x10, 0, 0, 0, 0xba, 7, 0, 0, 0, 0xb8, 0xf0, 0xff,
                                   0xff, 0xff, 0x0f, 0x30, 0x0f, 0x32};
    run(code, sizeof(code), 4);
    ck_assert_uint_eq(cpu_tsc(&cpu), 0x7fffffff0ull);
    clock_ticks += 0x20; /* carries into EDX */
    run(code + 17, 2, 1);
    ck_assert_uint_eq(edx_eax(), 0x800000010ull);
    cpu_tsc_set(&cpu, 42);
    ck_assert_uint_eq(cpu_tsc(&cpu), 42);
    clock_ticks += 8;
    ck_assert_uint_eq(cpu_tsc(&cpu), 50);
}
END_TEST

START_TEST(test_without_source_counts_instructions)
{
    cpu.tsc_source = NULL;
    cpu_tsc_set(&cpu, 1000);
    cpu.eip = CODE;
    /* nop; nop; nop; rdtsc: three retired before RDTSC reads */
    static const uint8_t code[] = {0x90, 0x90, 0x90, 0x0f, 0x31};
    memcpy(ram + CODE, code, sizeof(code));
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(interp_step(&cpu), STEP_OK);
    ck_assert_uint_eq(edx_eax(), 1003);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu_tsc");
    TCase *tc = tcase_create("tsc");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_reset_clears_and_source_counts);
    tcase_add_test(tc, test_wrmsr_sets_rdmsr_reads);
    tcase_add_test(tc, test_without_source_counts_instructions);
    suite_add_tcase(s, tc);
    return check_run(s);
}
