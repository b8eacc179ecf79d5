/* SPDX-License-Identifier: MIT */
/*
 * The fast path of REP MOVS and REP STOS (see ops_string.c, its only
 * caller): a run of iterations whose every access stays in one page of
 * plain RAM on each side, already in the TLB and inside its segment, is
 * done with host memory operations instead of one mem_read/mem_write per
 * element. The result is exactly that of the element-by-element loop:
 * overlapping MOVS copies element by element in the direction DF says, and
 * pages that hold translated code are reported to the translator before
 * they change. Anything else - a TLB miss, a page or segment edge, MMIO -
 * is left to the ordinary iteration, which also raises any fault. Touches
 * only the registers the instruction updates and guest RAM.
 * Spec: Intel SDM Vol. 2B MOVS/STOS and REP (the iterations' effect).
 */
#include "cpu/string_fast.h"

#include <string.h>

#include "common/bits.h"
#include "cpu/mem.h"
#include "cpu/tlb.h"

/* The host address of 'len' bytes at linear 'lin' when they are in one page
 * of RAM that the TLB maps for this access without a walk; NULL otherwise.
 * *code is set when the page holds translated code (writes only). */
static uint8_t *host_span(struct cpu *c, uint32_t lin, uint32_t len, bool write, bool *code,
                          uint32_t *phys)
{
    if ((lin & 0xfff) + len > 0x1000)
        return NULL;
    struct tlb_entry *e = &c->tlb.e[c->cpl == 3 ? TLB_USER : TLB_SUPERVISOR][tlb_index(lin)];
    uint32_t page = lin & ~0xfffu;
    if (!e->host || (write ? (e->tag_write & ~TLB_CODE) : e->tag_read) != page)
        return NULL;
    if (write)
        *code = e->tag_write & TLB_CODE;
    *phys = e->phys | (lin & 0xfff);
    return e->host + (lin & 0xfff);
}

/* The lowest linear address of 'n' elements of 'size' bytes starting at
 * offset 'off' of segment 'seg' and going in direction 'step', when the
 * whole run is inside the segment for this access; false otherwise. */
static bool seg_span(struct cpu *c, int seg, uint32_t off, uint32_t n, int size, int32_t step,
                     enum mem_access acc, uint32_t *low_lin)
{
    uint32_t last = off + (uint32_t)(step * (int32_t)(n - 1));
    uint32_t low = step > 0 ? off : last, high = step > 0 ? last : off;
    if (high < low)
        return false; /* the offsets wrap around 4 GiB */
    uint32_t lin_low, lin_high;
    /* Both ends inside the limits means every element between is (the valid
     * offsets of a segment, expand-up or down, are one contiguous range). */
    if (!seg_linear_ok(c, seg, low, size, acc, &lin_low) ||
        !seg_linear_ok(c, seg, high, size, acc, &lin_high))
        return false;
    *low_lin = lin_low;
    return lin_high - lin_low == high - low;
}

/* How many elements of 'size' bytes from linear 'lin' going in direction
 * 'step' stay in lin's page. */
static uint32_t in_page(uint32_t lin, int size, int32_t step)
{
    uint32_t off = lin & 0xfff;
    if (off + (uint32_t)size > 0x1000)
        return 0;
    return step > 0 ? (0x1000 - off) / (uint32_t)size : off / (uint32_t)size + 1;
}

uint32_t string_fast_run(struct cpu *c, const struct insn *in, bool movs, int size, int32_t step,
                         uint32_t max)
{
    int src_seg = in->seg_ovr != SEG_NONE ? in->seg_ovr : SEG_DS;
    uint32_t di = c->r[R_EDI], si = c->r[R_ESI], di_lin, si_lin = 0;
    if (!seg_linear_ok(c, SEG_ES, di, size, ACC_WRITE, &di_lin))
        return 0;
    uint32_t n = max < in_page(di_lin, size, step) ? max : in_page(di_lin, size, step);
    if (movs) {
        if (!seg_linear_ok(c, src_seg, si, size, ACC_READ, &si_lin))
            return 0;
        uint32_t k = in_page(si_lin, size, step);
        n = n < k ? n : k;
    }
    if (!n)
        return 0;
    uint32_t bytes = n * (uint32_t)size, dst_low, src_low = 0, dst_phys, src_phys;
    if (!seg_span(c, SEG_ES, di, n, size, step, ACC_WRITE, &dst_low))
        return 0;
    if (movs && !seg_span(c, src_seg, si, n, size, step, ACC_READ, &src_low))
        return 0;
    bool code = false;
    uint8_t *dst = host_span(c, dst_low, bytes, true, &code, &dst_phys);
    const uint8_t *src = movs ? host_span(c, src_low, bytes, false, NULL, &src_phys) : NULL;
    if (!dst || (movs && !src))
        return 0;
    if (code)
        c->jit.code_write(c->jit.opaque, dst_phys, bytes);
    mem_note_store(c, dst, bytes);
    if (!movs) {
        uint32_t v = c->r[R_EAX];
        if (size == 1)
            memset(dst, (int)(v & 0xff), bytes);
        else
            for (uint32_t k = 0; k < n; k++)
                store_le(dst + k * (uint32_t)size, size, v);
    } else if (dst + bytes <= src || src + bytes <= dst) {
        memcpy(dst, src, bytes); /* disjoint: the order of the elements cannot show */
    } else if (step > 0) {
        for (uint32_t k = 0; k < n; k++)
            store_le(dst + k * (uint32_t)size, size, load_le(src + k * (uint32_t)size, size));
    } else {
        for (uint32_t k = n; k-- > 0;)
            store_le(dst + k * (uint32_t)size, size, load_le(src + k * (uint32_t)size, size));
    }
    uint32_t moved = (uint32_t)(step * (int32_t)n);
    c->r[R_EDI] = di + moved;
    if (movs)
        c->r[R_ESI] = si + moved;
    c->r[R_ECX] -= n;
    return n;
}
