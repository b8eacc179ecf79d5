/* SPDX-License-Identifier: MIT */
/*
 * Segmented, linear and physical memory access for the interpreter (see
 * mem.h). Linear accesses go through the shadow page table; accesses that
 * cross a page (and so the 8086's 1 MiB wrap and A20) or the 8086's 64 KiB
 * offset wrap are split into bytes after every page involved is checked.
 */
#include "cpu/mem.h"

#include "common/bits.h"
#include "cpu/debug.h"
#include "cpu/mmu.h"

static bool in_ram(const struct cpu *c, uint32_t pa, int size)
{
    const struct cpu_bus *b = &c->bus;
    uint32_t last = pa + (uint32_t)size - 1;
    if (last < pa || last >= b->ram_size)
        return false;
    return last < b->hole_start || pa >= b->hole_end;
}

uint32_t phys_read(struct cpu *c, uint32_t pa, int size)
{
    if (in_ram(c, pa, size))
        return load_le(c->bus.ram + pa, size);
    if (c->bus.mem_read)
        return c->bus.mem_read(c->bus.ctx, pa, size) & size_mask(size);
    return size_mask(size);
}

/* Tell the translator before a write reaches a page holding translated code. */
static void note_code_write(struct cpu *c, uint32_t pa, int size)
{
    const uint8_t *pages = c->jit.code_pages;
    uint32_t last = pa + (uint32_t)size - 1;
    if (pages && (pages[pa >> 12] || pages[last >> 12]))
        c->jit.code_write(c->jit.opaque, pa, (uint32_t)size);
}

void phys_write(struct cpu *c, uint32_t pa, int size, uint32_t val)
{
    if (in_ram(c, pa, size)) {
        note_code_write(c, pa, size);
        mem_note_store(c, c->bus.ram + pa, (size_t)size);
        store_le(c->bus.ram + pa, size, val);
        return;
    }
    if (c->bus.mem_write)
        c->bus.mem_write(c->bus.ctx, pa, size, val & size_mask(size));
}

/* Translate through the shadow page table, walking on a miss. */
static int translate(struct cpu *c, uint32_t lin, enum mem_access acc, bool user,
                     struct tlb_entry **out)
{
    struct tlb_entry *e = &c->tlb.e[user ? TLB_USER : TLB_SUPERVISOR][tlb_index(lin)];
    uint32_t page = lin & ~0xfffu;
    uint32_t tag = acc == ACC_WRITE ? e->tag_write : e->tag_read;
    if ((tag & ~(uint32_t)(TLB_CODE | TLB_MMIO)) == page) {
        c->tlb.hits++;
        *out = e;
        return 0;
    }
    return mmu_translate(c, lin, acc, user, out);
}

int mem_tlb_lookup(struct cpu *c, uint32_t lin, enum mem_access acc, bool user,
                   struct tlb_entry **out)
{
    return translate(c, lin, acc, user, out);
}

static uint32_t entry_read(struct cpu *c, const struct tlb_entry *e, uint32_t lin, int size)
{
    uint32_t off = lin & 0xfff;
    if (e->host)
        return load_le(e->host + off, size);
    return phys_read(c, e->phys | off, size);
}

static void entry_write(struct cpu *c, const struct tlb_entry *e, uint32_t lin, int size,
                        uint32_t val)
{
    uint32_t off = lin & 0xfff;
    if (KILN_UNLIKELY(e->tag_write & TLB_CODE))
        c->jit.code_write(c->jit.opaque, e->phys | off, (uint32_t)size);
    if (e->host) {
        mem_note_store(c, e->host + off, (size_t)size);
        store_le(e->host + off, size, val);
        return;
    }
    phys_write(c, e->phys | off, size, val);
}

static bool crosses_page(uint32_t lin, int size)
{
    return (lin & 0xfff) + (uint32_t)size > 0x1000;
}

/* The second part of a split access starts at the next page; a fault there
 * reports that address in CR2. */
static uint32_t next_page(uint32_t lin)
{
    return (lin | 0xfff) + 1;
}

static int lin_read_priv(struct cpu *c, uint32_t lin, int size, enum mem_access acc, bool user,
                         uint32_t *val)
{
    struct tlb_entry *e;
    if (!crosses_page(lin, size)) {
        TRY(translate(c, lin, acc, user, &e));
        *val = entry_read(c, e, lin, size);
        return 0;
    }
    /* Split at the page boundary; both pages are checked before any data moves. */
    uint32_t v = 0, b;
    struct tlb_entry *e2;
    TRY(translate(c, lin, acc, user, &e));
    TRY(translate(c, next_page(lin), acc, user, &e2));
    for (int i = 0; i < size; i++) {
        uint32_t a = lin + (uint32_t)i;
        TRY(translate(c, a, acc, user, &e));
        b = entry_read(c, e, a, 1);
        v |= b << (8 * i);
    }
    *val = v;
    return 0;
}

static int lin_write_priv(struct cpu *c, uint32_t lin, int size, bool user, uint32_t val)
{
    struct tlb_entry *e, *e2;
    if (!crosses_page(lin, size)) {
        TRY(translate(c, lin, ACC_WRITE, user, &e));
        entry_write(c, e, lin, size, val);
        return 0;
    }
    TRY(translate(c, lin, ACC_WRITE, user, &e));
    TRY(translate(c, next_page(lin), ACC_WRITE, user, &e2));
    for (int i = 0; i < size; i++) {
        uint32_t a = lin + (uint32_t)i;
        TRY(translate(c, a, ACC_WRITE, user, &e));
        entry_write(c, e, a, 1, val >> (8 * i));
    }
    return 0;
}

/* Instruction operands are user accesses at CPL 3; descriptor tables, the
 * TSS and the IDT are always supervisor accesses (SDM Vol. 3A 4.6). */
static bool user_access(const struct cpu *c)
{
    return c->cpl == 3;
}

int lin_read(struct cpu *c, uint32_t lin, int size, uint32_t *val)
{
    return lin_read_priv(c, lin, size, ACC_READ, false, val);
}

int lin_write(struct cpu *c, uint32_t lin, int size, uint32_t val)
{
    return lin_write_priv(c, lin, size, false, val);
}

static int seg_fault(struct cpu *c, int seg)
{
    /* The 286 reports every real-mode segment overrun as interrupt 13. */
    if (seg == SEG_SS && !(c->model->overrun_gp_only && !(c->cr[0] & CR0_PE)))
        return cpu_fault_err(c, EXC_SS, 0);
    return cpu_fault_err(c, EXC_GP, 0);
}

int seg_linear(struct cpu *c, int seg, uint32_t off, int size, enum mem_access acc, uint32_t *lin)
{
    *lin = 0; /* defined on every path, for the compiler's sake */
    return seg_linear_ok(c, seg, off, size, acc, lin) ? 0 : seg_fault(c, seg);
}

/* 8086 only: a multi-byte access whose offset runs past FFFF wraps to 0. */
static bool wraps_offset(const struct cpu *c, uint32_t off, int size)
{
    return c->model->offset_wraps && (off & 0xffff) + (uint32_t)size > 0x10000;
}

/* Alignment check (SDM Vol. 3A 6.15, #AC): CPL 3, CR0.AM and EFLAGS.AC set,
 * and a data access not aligned to its size. Also notes data breakpoints. */
static int data_access_checks(struct cpu *c, uint32_t lin, int size, bool write)
{
    if (KILN_UNLIKELY(c->dbg.data_armed))
        debug_note_access(c, lin, size, write);
    if (KILN_UNLIKELY((lin & (uint32_t)(size - 1)) && c->cpl == 3 && (c->cr[0] & CR0_AM) &&
                      (c->eflags & FL_AC)))
        return cpu_fault_err(c, EXC_AC, 0);
    return 0;
}

/* Every case of mem_read past mem_read_seg's fast one. */
static int mem_read_slow(struct cpu *c, int seg, uint32_t off, int size, uint32_t *val)
{
    uint32_t lin;
    if (wraps_offset(c, off, size)) {
        uint32_t v = 0, b;
        for (int i = 0; i < size; i++) {
            TRY(mem_read(c, seg, (off + (uint32_t)i) & 0xffff, 1, &b));
            v |= b << (8 * i);
        }
        *val = v;
        return 0;
    }
    TRY(seg_linear(c, seg, off, size, ACC_READ, &lin));
    TRY(data_access_checks(c, lin, size, false));
    return lin_read_priv(c, lin, size, ACC_READ, user_access(c), val);
}

/* Every case of mem_write past mem_write_seg's fast one. */
static int mem_write_slow(struct cpu *c, int seg, uint32_t off, int size, uint32_t val)
{
    uint32_t lin;
    if (wraps_offset(c, off, size)) {
        for (int i = 0; i < size; i++)
            TRY(mem_write(c, seg, (off + (uint32_t)i) & 0xffff, 1, val >> (8 * i)));
        return 0;
    }
    TRY(seg_linear(c, seg, off, size, ACC_WRITE, &lin));
    TRY(data_access_checks(c, lin, size, true));
    return lin_write_priv(c, lin, size, user_access(c), val);
}

/* The segment checks without raising anything, for an access that stays
 * in one page while mem_plain_access holds: its linear address, or false. */
static bool seg_fast_ok(struct cpu *c, int seg, uint32_t off, int size, enum mem_access acc,
                        uint32_t *lin)
{
    return mem_plain_access(c) && seg_linear_ok(c, seg, off, size, acc, lin) &&
           (*lin & 0xfff) + (uint32_t)size <= 0x1000;
}

int mem_read_seg(struct cpu *c, int seg, uint32_t off, int size, uint32_t *val)
{
    uint32_t lin;
    const uint8_t *h;
    if (seg_fast_ok(c, seg, off, size, ACC_READ, &lin) && (h = mem_tlb_host(c, lin, ACC_READ))) {
        *val = load_le(h, size);
        return 0;
    }
    return mem_read_slow(c, seg, off, size, val);
}

int mem_write_seg(struct cpu *c, int seg, uint32_t off, int size, uint32_t val)
{
    uint32_t lin;
    uint8_t *h;
    if (seg_fast_ok(c, seg, off, size, ACC_WRITE, &lin) && (h = mem_tlb_host(c, lin, ACC_WRITE))) {
        mem_note_store(c, h, (size_t)size);
        store_le(h, size, val);
        return 0;
    }
    return mem_write_slow(c, seg, off, size, val);
}

int mem_probe_write(struct cpu *c, int seg, uint32_t off, int size)
{
    uint32_t lin;
    struct tlb_entry *e;
    if (wraps_offset(c, off, size))
        return 0;
    TRY(seg_linear(c, seg, off, size, ACC_WRITE, &lin));
    TRY(translate(c, lin, ACC_WRITE, user_access(c), &e));
    return crosses_page(lin, size) ? translate(c, next_page(lin), ACC_WRITE, user_access(c), &e) : 0;
}

int mem_fetch(struct cpu *c, uint32_t off, uint8_t *out)
{
    uint32_t lin, v;
    TRY(seg_linear(c, SEG_CS, off, 1, ACC_EXEC, &lin));
    TRY(lin_read_priv(c, lin, 1, ACC_EXEC, user_access(c), &v));
    *out = (uint8_t)v;
    return 0;
}

