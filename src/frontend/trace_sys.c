/* SPDX-License-Identifier: MIT */
/*
 * The tracer's system part: port I/O (the CPU's bus callbacks are wrapped
 * for the run, so every IN, OUT and string I/O access is seen with its
 * value), paging (CR0/CR3/CR4 changes, and the page walks an instruction
 * caused, counted from the TLB's miss counter and shown for its code
 * page), and the IVT/IDT lookup that names an external interrupt.
 * Spec: Intel SDM Vol. 3A 4.3 (paging), 6.11 (IDT descriptors).
 */
#include "frontend/trace_int.h"

#include "frontend/gdbstub_int.h"

static uint32_t trace_io_read(void *ctx, uint16_t port, int size)
{
    struct trace *t = ctx;
    uint32_t v = t->inner.io_read ? t->inner.io_read(t->inner.ctx, port, size) : 0xffffffffu;
    if (trace_io_live(t))
        fprintf(t->out, "IO: in  port %04x size %d -> %0*x\n", port, size, 2 * size,
                size == 4 ? v : v & ((1u << (8 * size)) - 1));
    return v;
}

static void trace_io_write(void *ctx, uint16_t port, int size, uint32_t val)
{
    struct trace *t = ctx;
    if (trace_io_live(t))
        fprintf(t->out, "IO: out port %04x size %d <- %0*x\n", port, size, 2 * size, val);
    if (t->inner.io_write)
        t->inner.io_write(t->inner.ctx, port, size, val);
}

static uint32_t pass_mem_read(void *ctx, uint32_t addr, int size)
{
    struct trace *t = ctx;
    return t->inner.mem_read ? t->inner.mem_read(t->inner.ctx, addr, size) : 0xffffffffu;
}

static void pass_mem_write(void *ctx, uint32_t addr, int size, uint32_t val)
{
    struct trace *t = ctx;
    if (t->inner.mem_write)
        t->inner.mem_write(t->inner.ctx, addr, size, val);
}

void trace_io_attach(struct trace *t)
{
    /* The callbacks share one context pointer, so all four are wrapped. */
    t->inner = t->c->bus;
    t->c->bus.ctx = t;
    t->c->bus.io_read = trace_io_read;
    t->c->bus.io_write = trace_io_write;
    t->c->bus.mem_read = pass_mem_read;
    t->c->bus.mem_write = pass_mem_write;
}

void trace_io_detach(struct trace *t)
{
    t->c->bus = t->inner;
}

void trace_mmu_after(struct trace *t)
{
    struct cpu *c = t->c;
    static const int crs[3] = {0, 3, 4};
    uint32_t *seen[3] = {&t->cr0, &t->cr3, &t->cr4};
    for (int i = 0; i < 3; i++) {
        if (c->cr[crs[i]] == *seen[i])
            continue;
        fprintf(t->out, "MMU: cr%d %08x -> %08x%s\n", crs[i], *seen[i], c->cr[crs[i]],
                i == 0 && ((c->cr[0] ^ *seen[i]) & CR0_PG)
                    ? (c->cr[0] & CR0_PG ? " (paging on)" : " (paging off)")
                    : "");
        *seen[i] = c->cr[crs[i]];
    }
    /* With paging off a TLB miss is no walk, just an identity fill. */
    uint64_t walks = c->tlb.misses - t->tlb_misses;
    if (walks && (c->cr[0] & CR0_PG)) {
        uint32_t pa;
        bool mapped = gdb_lin_to_phys(c, t->pc_before, &pa);
        fprintf(t->out, "MMU: %llu page walk%s by %04x:%08x; its code page %08x -> %s%08x\n",
                (unsigned long long)walks, walks == 1 ? "" : "s", t->cs_before, t->eip_before,
                t->pc_before & ~0xfffu, mapped ? "" : "unmapped ", mapped ? pa & ~0xfffu : 0);
    }
}

int trace_find_vector(struct trace *t)
{
    struct cpu *c = t->c;
    uint32_t pa;
    uint8_t e[8];
    bool pmode = (c->cr[0] & CR0_PE) != 0;
    int entries = pmode ? (c->idtr.limit + 1) / 8 : (c->idtr.limit + 1) / 4;
    if (entries > 256)
        entries = 256;
    for (int v = 0; v < entries; v++) {
        int size = pmode ? 8 : 4;
        bool ok = true;
        for (int i = 0; i < size && ok; i++) {
            ok = gdb_lin_to_phys(c, c->idtr.base + (uint32_t)(v * size + i), &pa);
            if (ok)
                e[i] = (uint8_t)phys_read(c, pa, 1);
        }
        if (!ok)
            return -1;
        if (!pmode) {
            if ((uint32_t)(e[0] | e[1] << 8) == c->eip &&
                (uint16_t)(e[2] | e[3] << 8) == c->seg[SEG_CS].sel)
                return v;
            continue;
        }
        uint32_t off = (uint32_t)(e[0] | e[1] << 8) | (uint32_t)(e[6] | e[7] << 8) << 16;
        uint16_t sel = (uint16_t)(e[2] | e[3] << 8);
        int type = e[5] & 0x1f;
        if (type == 0x06 || type == 0x07)
            off &= 0xffff; /* 16-bit gates */
        if ((e[5] & 0x80) && type != 0x05 && off == c->eip && (sel & ~3u) == (c->seg[SEG_CS].sel & ~3u))
            return v;
    }
    return -1;
}
