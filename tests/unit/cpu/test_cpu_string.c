/* SPDX-License-Identifier: MIT */
/*
 * REP MOVS and REP STOS as the interpreter runs them (its fast path in
 * string_fast.c included) against a model written here from the SDM's
 * description of the instructions: ECX iterations, each moving one element
 * of 1, 2 or 4 bytes from DS:ESI to ES:EDI (or storing AL/AX/EAX) and
 * stepping the pointers by the element size, down when DF = 1. Random
 * cases with overlapping source and destination in both directions, across
 * page boundaries, with paging off and on, plus the report to the
 * translator of writes to pages holding translated code.
 * Spec: Intel SDM Vol. 2B MOVS/MOVSB/MOVSW/MOVSD, STOS, REP.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "cpu_fixture.h"
#include "cpu/cpu.h"
#include "cpu/interp.h"
#include "cpu/mmu.h"
#include "cpu/tlb.h"

#define RAM_SIZE (8u << 20)
#define CODE     0x1000u
#define WINDOW   0x100000u /* the strings live in 64 KiB from here */
#define PD       0x20000u
#define PT       0x21000u

static uint8_t ram[RAM_SIZE], model[RAM_SIZE];
static struct cpu cpu;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* Flat 32-bit protected mode, identity-mapped through a page table when
 * 'paging' (the first 4 MiB). */
static void machine(bool paging)
{
    memset(ram, 0, sizeof(ram));
    struct cpu_bus bus = {.ram = ram, .ram_size = RAM_SIZE};
    cpu_init(&cpu, cpu_model_default(), &bus);
    fixture_flat_pm(&cpu);
    if (paging) {
        fixture_wr32(ram, PD, PT | 7);
        for (uint32_t p = 0; p < 1024; p++)
            fixture_wr32(ram, PT + 4 * p, p << 12 | 7);
        cpu.cr[0] |= CR0_PG;
        mmu_load_cr3(&cpu, PD);
    }
    mmu_flush(&cpu);
}

/* Run the instruction at CODE to its end (a long REP yields now and then). */
static void run(void)
{
    cpu.eip = CODE;
    for (int guard = 0; guard < 100000 && cpu.eip == CODE; guard++)
        ck_assert_int_eq(interp_step(&cpu), STEP_OK);
    ck_assert_uint_ne(cpu.eip, CODE);
}

/* The model: the iterations one at a time on 'm', from the registers given. */
static void model_run(bool movs, int size, bool down, uint32_t *esi, uint32_t *edi, uint32_t *ecx,
                      uint32_t eax)
{
    int32_t step = down ? -size : size;
    for (; *ecx; (*ecx)--) {
        uint8_t element[4]; /* the element is read whole before it is stored */
        for (int b = 0; b < size; b++)
            element[b] = movs ? model[*esi + (uint32_t)b] : (uint8_t)(eax >> (8 * b));
        memcpy(model + *edi, element, (size_t)size);
        *edi += (uint32_t)step;
        if (movs)
            *esi += (uint32_t)step;
    }
}

static void random_cases(bool paging, int cases)
{
    machine(paging);
    for (int k = 0; k < cases; k++) {
        bool movs = rnd(3) != 0, down = rnd(2);
        int size = 1 << rnd(3);
        uint32_t count = rnd(4) == 0 ? rnd(4) : rnd(3000) + 1;
        uint32_t span = count * (uint32_t)size;
        /* Pointers anywhere in the window such that the whole run stays in
         * it; close together half of the time, so the two strings overlap. */
        uint32_t lo = WINDOW + span + 16, hi = WINDOW + 0x10000 - span - 16;
        uint32_t edi = lo + rnd(hi - lo), esi = lo + rnd(hi - lo);
        if (rnd(2))
            esi = edi + rnd(2 * (uint32_t)size + 8) - (uint32_t)size - 4;
        uint32_t eax = rnd(0xffffffffu);
        for (uint32_t a = WINDOW; a < WINDOW + 0x10000; a++)
            ram[a] = (uint8_t)rnd(256);
        memcpy(model + WINDOW, ram + WINDOW, 0x10000);
        uint8_t insn[3] = {0xf3, movs ? 0xa4 : 0xaa, 0};
        insn[1] = (uint8_t)(insn[1] + (size > 1));
        int len = 2;
        if (size == 2) {
            insn[2] = insn[1];
            insn[1] = insn[0];
            insn[0] = 0x66;
            len = 3;
        }
        memcpy(ram + CODE, insn, (size_t)len);
        cpu.r[R_ESI] = esi;
        cpu.r[R_EDI] = edi;
        cpu.r[R_ECX] = count;
        cpu.r[R_EAX] = eax;
        cpu.eflags = (cpu.eflags & ~(uint32_t)FL_DF) | (down ? FL_DF : 0);
        run();
        uint32_t m_esi = esi, m_edi = edi, m_ecx = count;
        model_run(movs, size, down, &m_esi, &m_edi, &m_ecx, eax);
        ck_assert_uint_eq(cpu.eip, CODE + (uint32_t)len);
        ck_assert_uint_eq(cpu.r[R_ECX], 0);
        ck_assert_uint_eq(cpu.r[R_EDI], m_edi);
        if (movs)
            ck_assert_uint_eq(cpu.r[R_ESI], m_esi);
        else
            ck_assert_uint_eq(cpu.r[R_ESI], esi);
        ck_assert_uint_eq(cpu.r[R_EAX], eax);
        if (memcmp(ram + WINDOW, model + WINDOW, 0x10000) != 0)
            ck_abort_msg("case %d: %s size %d %s count %u esi %08x edi %08x: memory differs", k,
                         movs ? "movs" : "stos", size, down ? "down" : "up", count, esi, edi);
    }
}

START_TEST(test_random_flat)
{
    random_cases(false, 300);
}
END_TEST

START_TEST(test_random_paging)
{
    random_cases(true, 300);
}
END_TEST

static uint32_t code_phys, code_len;
static int code_calls;

static void code_write(void *opaque, uint32_t phys, uint32_t size)
{
    (void)opaque;
    if (!code_calls++ || phys < code_phys)
        code_phys = phys;
    code_len += size;
}

/* A store over a page holding translated code is reported before it lands:
 * every byte of it, whichever path did the iterations. */
START_TEST(test_code_page_reported)
{
    machine(true);
    cpu.jit.code_write = code_write;
    ram[CODE] = 0xf3;
    ram[CODE + 1] = 0xaa; /* REP STOSB */
    cpu.r[R_EDI] = WINDOW + 0x3000 - 100;
    cpu.r[R_ECX] = 300;
    cpu.r[R_EAX] = 0x5a;
    uint32_t v;
    /* Load the TLB entries first so that the fast path can take them. */
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, WINDOW + 0x2000, 1, &v), 0);
    ck_assert_int_eq(mem_write(&cpu, SEG_ES, WINDOW + 0x3000, 1, 0), 0);
    tlb_mark_code(&cpu.tlb, WINDOW + 0x3000, true);
    run();
    ck_assert_int_ge(code_calls, 1);
    ck_assert_uint_eq(code_phys, WINDOW + 0x3000);
    ck_assert_uint_eq(code_len, 200);
    for (uint32_t a = WINDOW + 0x3000 - 100; a < WINDOW + 0x3000 + 200; a++)
        ck_assert_uint_eq(ram[a], 0x5a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu_string");
    TCase *tc = tcase_create("rep");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_random_flat);
    tcase_add_test(tc, test_random_paging);
    tcase_add_test(tc, test_code_page_reported);
    suite_add_tcase(s, tc);
    return check_run(s);
}
