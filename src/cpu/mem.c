/* SPDX-License-Identifier: MIT */
/*
 * Segmented and physical memory access for the interpreter (see mem.h).
 * Accesses that cross the address-bus wrap (8086 1 MiB, A20) or a 64 KiB
 * offset wrap on the 8086 are split into bytes, exactly as the bus sees them.
 */
#include "cpu/mem.h"

#include "common/bits.h"

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
    if (in_ram(c, pa, size)) {
        const uint8_t *p = c->bus.ram + pa;
        return size == 1 ? p[0] : size == 2 ? load_le16(p) : load_le32(p);
    }
    if (c->bus.mem_read)
        return c->bus.mem_read(c->bus.ctx, pa, size) & size_mask(size);
    return size_mask(size);
}

void phys_write(struct cpu *c, uint32_t pa, int size, uint32_t val)
{
    if (in_ram(c, pa, size)) {
        uint8_t *p = c->bus.ram + pa;
        if (size == 1)
            p[0] = (uint8_t)val;
        else if (size == 2)
            store_le16(p, (uint16_t)val);
        else
            store_le32(p, val);
        return;
    }
    if (c->bus.mem_write)
        c->bus.mem_write(c->bus.ctx, pa, size, val & size_mask(size));
}

/* Linear -> physical. Paging is the system-architecture issue's; until then
 * the linear address is the physical one, cut to the address pins and A20. */
static uint32_t lin_to_phys(const struct cpu *c, uint32_t lin)
{
    return lin & c->phys_mask;
}

int lin_read(struct cpu *c, uint32_t lin, int size, uint32_t *val)
{
    uint32_t pa = lin_to_phys(c, lin);
    if (lin_to_phys(c, lin + (uint32_t)size - 1) == pa + (uint32_t)size - 1) {
        *val = phys_read(c, pa, size);
        return 0;
    }
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= phys_read(c, lin_to_phys(c, lin + (uint32_t)i), 1) << (8 * i);
    *val = v;
    return 0;
}

int lin_write(struct cpu *c, uint32_t lin, int size, uint32_t val)
{
    uint32_t pa = lin_to_phys(c, lin);
    if (lin_to_phys(c, lin + (uint32_t)size - 1) == pa + (uint32_t)size - 1) {
        phys_write(c, pa, size, val);
        return 0;
    }
    for (int i = 0; i < size; i++)
        phys_write(c, lin_to_phys(c, lin + (uint32_t)i), 1, val >> (8 * i));
    return 0;
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
    const struct seg_cache *s = &c->seg[seg];
    if (c->model->offset_wraps) {
        *lin = s->base + (off & 0xffff);
        return 0;
    }
    if (cpu_pmode(c)) {
        uint16_t type = s->attr & 0x1f; /* S bit and type */
        if (!(s->attr & SEG_ATTR_P))
            return seg_fault(c, seg);
        bool code = type & 0x08;
        if (acc == ACC_WRITE && (code || !(type & 0x02)))
            return seg_fault(c, seg);
        if (acc == ACC_READ && code && !(type & 0x02))
            return seg_fault(c, seg);
        if (!code && (type & 0x04)) {
            /* Expand-down: valid offsets are limit+1 .. 64K-1 or 4G-1 (SDM Vol. 3A 5.3). */
            uint32_t upper = (s->attr & SEG_ATTR_DB) ? 0xffffffffu : 0xffffu;
            uint32_t last = off + (uint32_t)size - 1;
            if (off <= s->limit || last > upper || last < off)
                return seg_fault(c, seg);
            *lin = s->base + off;
            return 0;
        }
    }
    uint32_t last = off + (uint32_t)size - 1;
    if (off > s->limit || last > s->limit || last < off)
        return seg_fault(c, seg);
    *lin = s->base + off;
    return 0;
}

/* 8086 only: a multi-byte access whose offset runs past FFFF wraps to 0. */
static bool wraps_offset(const struct cpu *c, uint32_t off, int size)
{
    return c->model->offset_wraps && (off & 0xffff) + (uint32_t)size > 0x10000;
}

int mem_read(struct cpu *c, int seg, uint32_t off, int size, uint32_t *val)
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
    return lin_read(c, lin, size, val);
}

int mem_write(struct cpu *c, int seg, uint32_t off, int size, uint32_t val)
{
    uint32_t lin;
    if (wraps_offset(c, off, size)) {
        for (int i = 0; i < size; i++)
            TRY(mem_write(c, seg, (off + (uint32_t)i) & 0xffff, 1, val >> (8 * i)));
        return 0;
    }
    TRY(seg_linear(c, seg, off, size, ACC_WRITE, &lin));
    return lin_write(c, lin, size, val);
}

int mem_probe_write(struct cpu *c, int seg, uint32_t off, int size)
{
    uint32_t lin;
    if (wraps_offset(c, off, size))
        return 0;
    return seg_linear(c, seg, off, size, ACC_WRITE, &lin);
}

int mem_fetch(struct cpu *c, uint32_t off, uint8_t *out)
{
    uint32_t lin, v;
    TRY(seg_linear(c, SEG_CS, off, 1, ACC_EXEC, &lin));
    TRY(lin_read(c, lin, 1, &v));
    *out = (uint8_t)v;
    return 0;
}
