/* SPDX-License-Identifier: MIT */
/*
 * Descriptor table access (see desc.h). Tables are read and updated with
 * supervisor linear accesses, as the processor's implicit accesses are.
 */
#include "cpu/desc.h"

#include "cpu/mem.h"

int desc_read(struct cpu *c, uint16_t sel, int vector, struct desc *d)
{
    bool ldt = sel & 4;
    uint32_t base = ldt ? c->ldtr.base : c->gdtr.base;
    uint32_t limit = ldt ? c->ldtr.limit : c->gdtr.limit;
    uint32_t idx = sel & 0xfff8u;
    if ((ldt && !(c->ldtr.attr & SEG_ATTR_P)) || idx + 7 > limit)
        return cpu_fault_err(c, vector, sel & 0xfffcu);
    d->addr = base + idx;
    TRY(lin_read(c, d->addr, 4, &d->lo));
    return lin_read(c, d->addr + 4, 4, &d->hi);
}

void desc_to_cache(uint16_t sel, const struct desc *d, struct seg_cache *s)
{
    s->sel = sel;
    s->base = (d->lo >> 16) | ((d->hi & 0xff) << 16) | (d->hi & 0xff000000u);
    s->limit = (d->lo & 0xffff) | (d->hi & 0xf0000);
    if (d->hi & (1u << 23))
        s->limit = (s->limit << 12) | 0xfff;
    s->attr = (uint16_t)((d->hi >> 8) & 0xf0ff);
}

int desc_set_accessed(struct cpu *c, struct desc *d)
{
    if (d->hi & 0x100)
        return 0;
    d->hi |= 0x100;
    return lin_write(c, d->addr + 4, 4, d->hi);
}

int desc_set_busy(struct cpu *c, struct desc *d, bool busy)
{
    d->hi = busy ? d->hi | 0x200 : d->hi & ~0x200u;
    return lin_write(c, d->addr + 4, 4, d->hi);
}
