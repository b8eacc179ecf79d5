/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of 32-bit paging and the shadow page table: translation,
 * accessed/dirty flags, #PF error codes and CR2, U/S and R/W with CR0.WP,
 * PSE 4 MiB pages, global pages across CR3 loads, INVLPG, and page-crossing
 * writes that fault on the second page, and the entries of RAM and MMIO
 * pages as the inline paths read them. Expected values: Intel SDM Vol. 3A
 * 4.3 (32-bit paging), 4.6 (access rights), 4.7 (error code), 4.8 (A/D),
 * 4.10.4 (TLB invalidation).
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "cpu_fixture.h"
#include "cpu/cpu.h"
#include "cpu/mem.h"
#include "cpu/mmu.h"

#define RAM_SIZE (16u << 20)
#define PD 0x10000u
#define PT 0x11000u
#define LIN 0x00400000u  /* mapped through PD[1] -> PT */
#define PHYS 0x00200000u /* where LIN's first page lives */

enum { P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100 };

static uint8_t *ram;
static struct cpu cpu;

static uint32_t rd32(uint32_t a)
{
    return (uint32_t)ram[a] | (uint32_t)ram[a + 1] << 8 | (uint32_t)ram[a + 2] << 16 |
           (uint32_t)ram[a + 3] << 24;
}

/* Flat 32-bit protected mode with paging on, at CPL 'cpl'. */
static void setup(void)
{
    static uint8_t mem[RAM_SIZE];
    ram = mem;
    memset(ram, 0, RAM_SIZE);
    struct cpu_bus bus = {.ram = ram, .ram_size = RAM_SIZE};
    cpu_init(&cpu, cpu_model_default(), &bus);
    fixture_wr32(ram, PD + 4 * (LIN >> 22), PT | P | RW | US);
    fixture_wr32(ram, PT + 0, PHYS | P | RW | US);          /* LIN: user, writable */
    fixture_wr32(ram, PT + 4, (PHYS + 0x1000) | P | US);    /* LIN+4K: user, read-only */
    fixture_wr32(ram, PT + 8, (PHYS + 0x2000) | P | RW);    /* LIN+8K: supervisor, writable */
    /* LIN+12K: not present */
    cpu.cr[0] |= CR0_PE | CR0_PG;
    mmu_load_cr3(&cpu, PD);
    mmu_flush(&cpu);
    for (int s = 0; s < SEG_COUNT; s++)
        fixture_flat_seg(&cpu.seg[s], 0x10, 0, s == SEG_CS);
}

static void set_cpl3(void)
{
    cpu.cpl = 3;
    for (int s = 0; s < SEG_COUNT; s++)
        fixture_flat_seg(&cpu.seg[s], 0x23, 3, s == SEG_CS);
}

START_TEST(test_translation_and_accessed)
{
    uint32_t v;
    fixture_wr32(ram, PHYS + 0x10, 0xcafef00d);
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN + 0x10, 4, &v), 0);
    ck_assert_uint_eq(v, 0xcafef00d);
    ck_assert_uint_eq(rd32(PD + 4) & (A | D), A); /* PDE: accessed (no D in a PDE for 4K pages) */
    ck_assert_uint_eq(rd32(PT) & (A | D), A);     /* PTE: accessed, not dirty after a read */
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, LIN + 0x10, 4, 0x12345678), 0);
    ck_assert_uint_eq(rd32(PT) & (A | D), A | D);
    ck_assert_uint_eq(rd32(PHYS + 0x10), 0x12345678);
}
END_TEST

START_TEST(test_not_present)
{
    uint32_t v;
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN + 0x3004, 4, &v), CPU_FAULT);
    ck_assert_int_eq(cpu.exc_vector, EXC_PF);
    ck_assert_uint_eq(cpu.exc_error, 0); /* not present, read, supervisor */
    ck_assert_uint_eq(cpu.cr[2], LIN + 0x3004);
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, LIN + 0x3008, 1, 0), CPU_FAULT);
    ck_assert_uint_eq(cpu.exc_error, 2); /* not present, write */
    ck_assert_uint_eq(cpu.cr[2], LIN + 0x3008);
    /* An absent directory entry faults the same way. */
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, 0x00c00000, 1, &v), CPU_FAULT);
    ck_assert_uint_eq(cpu.exc_error, 0);
}
END_TEST

START_TEST(test_user_rights)
{
    uint32_t v;
    set_cpl3();
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN, 4, &v), 0);
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN + 0x2000, 4, &v), CPU_FAULT);
    ck_assert_uint_eq(cpu.exc_error, 1 | 4); /* protection, read, user */
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, LIN + 0x1000, 4, 1), CPU_FAULT);
    ck_assert_uint_eq(cpu.exc_error, 1 | 2 | 4); /* protection, write, user */
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, LIN + 0x3000, 4, 1), CPU_FAULT);
    ck_assert_uint_eq(cpu.exc_error, 2 | 4); /* not present, write, user */
}
END_TEST

START_TEST(test_supervisor_write_protect)
{
    /* WP = 0: the supervisor may write a read-only page. */
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, LIN + 0x1000, 4, 0x11), 0);
    ck_assert_uint_eq(rd32(PHYS + 0x1000), 0x11);
    cpu.cr[0] |= CR0_WP;
    mmu_flush(&cpu);
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, LIN + 0x1000, 4, 0x22), CPU_FAULT);
    ck_assert_uint_eq(cpu.exc_error, 1 | 2);
    ck_assert_uint_eq(rd32(PHYS + 0x1000), 0x11);
}
END_TEST

START_TEST(test_large_pages)
{
    uint32_t v;
    cpu.cr[4] |= 1u << 4; /* PSE */
    mmu_flush(&cpu);
    fixture_wr32(ram, PD + 4 * 2, 0x00c00000u | P | RW | PS); /* 8 MiB..12 MiB -> 12 MiB */
    fixture_wr32(ram, 0x00c01234, 0xabcdef01);
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, 0x00801234, 4, &v), 0);
    ck_assert_uint_eq(v, 0xabcdef01);
    ck_assert_uint_eq(rd32(PD + 8) & (A | D), A);
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, 0x00802000, 4, 5), 0);
    ck_assert_uint_eq(rd32(PD + 8) & (A | D), A | D);
    ck_assert_uint_eq(rd32(0x00c02000), 5);
    /* Without CR4.PSE the same entry points at a page table (at 12 MiB). */
    cpu.cr[4] &= ~(1u << 4);
    mmu_flush(&cpu);
    fixture_wr32(ram, 0x00c00004, 0x00300000u | P);
    fixture_wr32(ram, 0x00300234, 0x600d600d);
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, 0x00801234, 4, &v), 0);
    ck_assert_uint_eq(v, 0x600d600d);
}
END_TEST

START_TEST(test_global_pages_and_invlpg)
{
    uint32_t v;
    cpu.cr[4] |= 1u << 7; /* PGE */
    mmu_flush(&cpu);
    fixture_wr32(ram, PT, PHYS | P | RW | G);
    fixture_wr32(ram, PT + 4, (PHYS + 0x1000) | P | RW);
    fixture_wr32(ram, PHYS, 1);
    fixture_wr32(ram, PHYS + 0x1000, 2);
    fixture_wr32(ram, PHYS + 0x5000, 3);
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN, 4, &v), 0);
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN + 0x1000, 4, &v), 0);
    /* Remap both pages in memory; a CR3 load drops only the non-global entry. */
    fixture_wr32(ram, PT, (PHYS + 0x5000) | P | RW | G);
    fixture_wr32(ram, PT + 4, (PHYS + 0x5000) | P | RW);
    mmu_load_cr3(&cpu, PD);
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN, 4, &v), 0);
    ck_assert_uint_eq(v, 1); /* stale, as a real TLB keeps it */
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN + 0x1000, 4, &v), 0);
    ck_assert_uint_eq(v, 3);
    tlb_flush_page(&cpu.tlb, LIN); /* INVLPG */
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN, 4, &v), 0);
    ck_assert_uint_eq(v, 3);
}
END_TEST

START_TEST(test_cross_page_write_is_all_or_nothing)
{
    /* LIN+8K is writable, LIN+12K not present: a dword at LIN+0x2ffe spans both. */
    fixture_wr32(ram, PHYS + 0x2ffc, 0x55555555);
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, LIN + 0x2ffe, 4, 0xffffffff), CPU_FAULT);
    ck_assert_uint_eq(cpu.cr[2], LIN + 0x3000);
    ck_assert_uint_eq(rd32(PHYS + 0x2ffc), 0x55555555);
}
END_TEST

START_TEST(test_tlb_counts)
{
    uint32_t v;
    uint64_t misses = cpu.tlb.misses, hits = cpu.tlb.hits;
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN + 4 * (uint32_t)i, 4, &v), 0);
    ck_assert_uint_eq(cpu.tlb.misses - misses, 1);
    ck_assert_uint_eq(cpu.tlb.hits - hits, 9);
}
END_TEST

static uint32_t mmio_addr, mmio_val;

static uint32_t mmio_read(void *ctx, uint32_t addr, int size)
{
    (void)ctx;
    (void)size;
    mmio_addr = addr;
    return 0xabcd1234u;
}

static void mmio_write(void *ctx, uint32_t addr, int size, uint32_t val)
{
    (void)ctx;
    (void)size;
    mmio_addr = addr;
    mmio_val = val;
}

/* A page of plain RAM gives the inline paths its host address (addend +
 * linear address); a page past RAM goes to the bus every time, its tags
 * marked TLB_MMIO so that no exact compare of an inline path matches. */
START_TEST(test_ram_and_mmio_entries)
{
    uint32_t v;
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, LIN + 0x10, 4, &v), 0);
    struct tlb_entry *e = mem_tlb_slot(&cpu, LIN);
    ck_assert_uint_eq(e->tag_read, LIN);
    ck_assert_ptr_eq((uint8_t *)(e->addend + LIN + 0x10), ram + PHYS + 0x10);
    ck_assert_ptr_eq(mem_tlb_host(&cpu, LIN + 0x10, ACC_READ), ram + PHYS + 0x10);

    cpu.bus.mem_read = mmio_read;
    cpu.bus.mem_write = mmio_write;
    uint32_t mmio_lin = LIN + 0x4000;
    fixture_wr32(ram, PT + 16, RAM_SIZE | P | RW); /* LIN+16K: the first page past RAM */
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, mmio_lin + 8, 4, &v), 0);
    ck_assert_uint_eq(v, 0xabcd1234u);
    ck_assert_uint_eq(mmio_addr, RAM_SIZE + 8);
    e = mem_tlb_slot(&cpu, mmio_lin);
    ck_assert_uint_eq(e->tag_read, mmio_lin | TLB_MMIO);
    ck_assert_ptr_null(e->host);
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, mmio_lin + 12, 4, 0x600d), 0); /* sets D */
    ck_assert_uint_eq(e->tag_write, mmio_lin | TLB_MMIO);
    ck_assert_ptr_null(mem_tlb_host(&cpu, mmio_lin + 8, ACC_READ));
    ck_assert_ptr_null(mem_tlb_host(&cpu, mmio_lin + 8, ACC_WRITE));
    /* The C paths still hit the entry: the bus sees each access, no walk. */
    uint64_t misses = cpu.tlb.misses;
    ck_assert_int_eq(mem_write(&cpu, SEG_DS, mmio_lin + 16, 4, 0x600d), 0);
    ck_assert_uint_eq(mmio_addr, RAM_SIZE + 16);
    ck_assert_uint_eq(mmio_val, 0x600d);
    ck_assert_int_eq(mem_read(&cpu, SEG_DS, mmio_lin + 20, 2, &v), 0);
    ck_assert_uint_eq(mmio_addr, RAM_SIZE + 20);
    ck_assert_uint_eq(cpu.tlb.misses, misses);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu_paging");
    TCase *tc = tcase_create("paging");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_translation_and_accessed);
    tcase_add_test(tc, test_not_present);
    tcase_add_test(tc, test_user_rights);
    tcase_add_test(tc, test_supervisor_write_protect);
    tcase_add_test(tc, test_large_pages);
    tcase_add_test(tc, test_global_pages_and_invlpg);
    tcase_add_test(tc, test_cross_page_write_is_all_or_nothing);
    tcase_add_test(tc, test_tlb_counts);
    tcase_add_test(tc, test_ram_and_mmio_entries);
    suite_add_tcase(s, tc);
    return check_run(s);
}
