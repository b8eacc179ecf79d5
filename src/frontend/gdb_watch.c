/* SPDX-License-Identifier: MIT */
/*
 * Exact data watchpoints without a hook in the CPU. While a watchpoint is
 * set, the physical pages it covers are added to the bus "hole" of struct
 * cpu_bus, the range whose accesses the CPU sends through the bus
 * callbacks instead of its host pointer (the TLB is flushed so no cached
 * host pointer bypasses it). The callbacks are wrapped here: every data
 * read and write the CPU makes to a watched byte is seen, with its
 * direction, whether or not it changes the value, as the debug registers
 * would see it. Instruction fetches from the instruction's own bytes and
 * the debugger's own reads are not counted. Pages stay slow only while
 * watched. Owns the wrapped callbacks; restores the CPU's bus as it found it.
 * Spec: Intel SDM Vol. 3A 17.2.4-17.2.5 (data breakpoints: R/W and LEN).
 */
#include "frontend/gdbstub_int.h"

#include <string.h>

#include "cpu/mmu.h"

/* Note an access by the CPU of 'size' bytes at physical 'pa'. */
static void note(struct dbgloop *d, uint32_t pa, int size, bool write)
{
    if (d->wquiet)
        return;
    if (!write && pa - d->fetch_pa < 15u && d->fetch_pa_valid)
        return; /* the instruction's own bytes being fetched */
    for (int i = 0; i < d->n_wp; i++) {
        struct gdb_watch *w = &d->wp[i];
        if ((write && w->type == WATCH_READ) || (!write && w->type == WATCH_WRITE))
            continue;
        for (int b = 0; b < w->len; b++)
            if (w->pa_valid[b] && w->pa[b] - pa < (uint32_t)size) {
                if (d->watch_hit < 0)
                    d->watch_hit = i;
                break;
            }
    }
}

static uint32_t wb_mem_read(void *ctx, uint32_t addr, int size)
{
    struct dbgloop *d = ctx;
    note(d, addr, size, false);
    return d->inner.mem_read ? d->inner.mem_read(d->inner.ctx, addr, size) : 0xffffffffu;
}

static void wb_mem_write(void *ctx, uint32_t addr, int size, uint32_t val)
{
    struct dbgloop *d = ctx;
    note(d, addr, size, true);
    if (d->inner.mem_write)
        d->inner.mem_write(d->inner.ctx, addr, size, val);
}

static uint32_t wb_io_read(void *ctx, uint16_t port, int size)
{
    struct dbgloop *d = ctx;
    return d->inner.io_read ? d->inner.io_read(d->inner.ctx, port, size) : 0xffffffffu;
}

static void wb_io_write(void *ctx, uint16_t port, int size, uint32_t val)
{
    struct dbgloop *d = ctx;
    if (d->inner.io_write)
        d->inner.io_write(d->inner.ctx, port, size, val);
}

/* Translate the watched bytes; returns the physical span [lo, hi) to
 * route through the callbacks (lo == hi when nothing is mapped). */
static void translate_watches(struct dbgloop *d, uint32_t *lo, uint32_t *hi)
{
    *lo = 0xffffffffu;
    *hi = 0;
    d->wquiet = true; /* the walk's own reads are the debugger's */
    for (int i = 0; i < d->n_wp; i++) {
        struct gdb_watch *w = &d->wp[i];
        for (int b = 0; b < w->len; b++) {
            w->pa_valid[b] = gdb_lin_to_phys(d->c, w->lin + (uint32_t)b, &w->pa[b]);
            if (!w->pa_valid[b])
                continue;
            uint32_t page = w->pa[b] & ~0xfffu;
            if (page < *lo)
                *lo = page;
            if (page + 0x1000u > *hi || page + 0x1000u == 0)
                *hi = page + 0x1000u;
        }
    }
    d->wquiet = false;
}

void gdb_watch_before(struct dbgloop *d)
{
    struct cpu *c = d->c;
    d->watch_hit = -1;
    if (!d->n_wp) {
        if (d->wbus_on) {
            c->bus = d->inner;
            d->wbus_on = false;
            mmu_flush(c);
        }
        return;
    }
    uint32_t lo, hi;
    translate_watches(d, &lo, &hi);
    d->wquiet = true;
    d->fetch_pa_valid = gdb_lin_to_phys(c, c->seg[SEG_CS].base + c->eip, &d->fetch_pa);
    d->wquiet = false;
    if (!d->wbus_on) {
        d->inner = c->bus;
        c->bus.ctx = d;
        c->bus.mem_read = wb_mem_read;
        c->bus.mem_write = wb_mem_write;
        c->bus.io_read = wb_io_read;
        c->bus.io_write = wb_io_write;
        d->wbus_on = true;
        d->hole_lo = d->hole_hi = 0;
    }
    /* The hole must keep covering what it covered (VGA, ROMs). */
    if (lo > hi) {
        lo = d->inner.hole_start;
        hi = d->inner.hole_end;
    }
    if (d->inner.hole_start < d->inner.hole_end) {
        if (d->inner.hole_start < lo)
            lo = d->inner.hole_start;
        if (d->inner.hole_end > hi)
            hi = d->inner.hole_end;
    }
    if (lo != d->hole_lo || hi != d->hole_hi) {
        c->bus.hole_start = d->hole_lo = lo;
        c->bus.hole_end = d->hole_hi = hi;
        mmu_flush(c); /* no cached host pointer may bypass the callbacks */
    }
}

void gdb_watch_release(struct dbgloop *d)
{
    if (d->wbus_on) {
        d->c->bus = d->inner;
        d->wbus_on = false;
        mmu_flush(d->c);
    }
}
