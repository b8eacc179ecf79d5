/* SPDX-License-Identifier: MIT */
/*
 * The translator's instruction budget is exact: jit_run(n) retires exactly
 * n instructions even when n ends in the middle of a translated block
 * (record/replay and the deterministic clock stop the machine at chosen
 * instruction counts). The guest is a real-mode loop of ten INC AX and a
 * short JMP back, one 11-instruction block; after n instructions the loop
 * has done n / 11 rounds of ten increments plus min(n % 11, 10), and EIP
 * is at instruction n % 11 (each INC is one byte).
 */
#include <check.h>

#include "check_main.h"
#include "cpu/models.h"
#include "devices/bus.h"
#include "jit/dispatch.h"
#include "jit/exec.h"

#define CODE 0x1000u

static struct bus *bus;
static struct cpu_bus cbus;
static struct cpu cpu;
static struct jit *jit;

static void setup(void)
{
    bus = bus_new(1u << 20);
    ck_assert_ptr_nonnull(bus);
    uint8_t *ram = bus_ram(bus);
    for (unsigned i = 0; i < 10; i++)
        ram[CODE + i] = 0x40; /* inc ax */
    ram[CODE + 10] = 0xeb;    /* jmp short CODE: rel8 = CODE - (CODE + 12) */
    ram[CODE + 11] = 0xf4;
    exec_connect_bus(&cbus, bus);
    cpu_init(&cpu, cpu_model_default(), &cbus);
    jit = jit_new(&cpu, 0);
    ck_assert_ptr_nonnull(jit);
}

static void teardown(void)
{
    jit_free(jit);
    bus_free(bus);
}

/* Put the CPU at the loop's start in real mode, AX = 0. */
static void restart(void)
{
    cpu.seg[SEG_CS].sel = 0;
    cpu.seg[SEG_CS].base = 0;
    cpu.eip = CODE;
    cpu.r[R_EAX] = 0;
    cpu.icount = 0;
}

START_TEST(test_budget_is_exact)
{
    /* Every budget up to four rounds, from a cold and then a warm cache. */
    for (int pass = 0; pass < 2; pass++) {
        for (uint64_t n = 1; n <= 44; n++) {
            restart();
            ck_assert_int_eq(jit_run(jit, n, NULL, NULL), EXEC_BUDGET);
            uint64_t rounds = n / 11, part = n % 11;
            ck_assert_uint_eq(cpu.icount, n);
            ck_assert_uint_eq(cpu.r[R_EAX] & 0xffff, rounds * 10 + (part < 10 ? part : 10));
            ck_assert_uint_eq(cpu.eip, CODE + part);
        }
    }
}
END_TEST

START_TEST(test_budgets_add_up)
{
    /* Runs of 7 instructions, chained: the same state as one long run. */
    restart();
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(jit_run(jit, 7, NULL, NULL), EXEC_BUDGET);
    ck_assert_uint_eq(cpu.icount, 140);
    ck_assert_uint_eq(cpu.r[R_EAX] & 0xffff, 12 * 10 + 8);
    ck_assert_uint_eq(cpu.eip, CODE + 140 % 11);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("jit_budget");
    TCase *tc = tcase_create("budget");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_budget_is_exact);
    tcase_add_test(tc, test_budgets_add_up);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite());
}
