/* SPDX-License-Identifier: MIT */
/*
 * Software TLB invalidation (see tlb.h).
 */
#include "cpu/tlb.h"

static void invalidate(struct tlb_entry *e)
{
    e->tag_read = TLB_INVALID;
    e->tag_write = TLB_INVALID;
    e->host = 0;
    e->addend = 0;
    e->global = 0;
}

void tlb_flush_all(struct tlb *t)
{
    for (int p = 0; p < 2; p++)
        for (unsigned i = 0; i < TLB_ENTRIES; i++)
            invalidate(&t->e[p][i]);
    t->flushes++;
    t->generation++;
}

void tlb_flush_nonglobal(struct tlb *t)
{
    for (int p = 0; p < 2; p++)
        for (unsigned i = 0; i < TLB_ENTRIES; i++)
            if (!t->e[p][i].global)
                invalidate(&t->e[p][i]);
    t->flushes++;
    t->generation++;
}

void tlb_flush_page(struct tlb *t, uint32_t lin)
{
    uint32_t page = lin & ~0xfffu;
    unsigned i = tlb_index(lin);
    t->generation++;
    for (int p = 0; p < 2; p++) {
        struct tlb_entry *e = &t->e[p][i];
        if ((e->tag_read & ~0xfffu) == page || (e->tag_write & ~0xfffu) == page)
            invalidate(e);
    }
}

void tlb_mark_code(struct tlb *t, uint32_t phys, bool code)
{
    uint32_t page = phys & ~0xfffu;
    for (int p = 0; p < 2; p++)
        for (unsigned i = 0; i < TLB_ENTRIES; i++) {
            struct tlb_entry *e = &t->e[p][i];
            if (e->tag_write == TLB_INVALID || e->phys != page)
                continue;
            e->tag_write = code ? e->tag_write | TLB_CODE : e->tag_write & ~TLB_CODE;
        }
}

void tlb_clear_code(struct tlb *t)
{
    for (int p = 0; p < 2; p++)
        for (unsigned i = 0; i < TLB_ENTRIES; i++)
            if (t->e[p][i].tag_write != TLB_INVALID)
                t->e[p][i].tag_write &= ~TLB_CODE;
}
