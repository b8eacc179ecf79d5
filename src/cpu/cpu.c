/* SPDX-License-Identifier: MIT */
/*
 * CPU lifecycle: initialisation, reset state, fault recording, real-mode
 * segment loads and the A20 gate. Instruction semantics live in ops_*.c.
 * Spec: Intel SDM Vol. 3A 9.1 (processor state after reset).
 */
#include "cpu/cpu.h"

#include <string.h>

#include "cpu/debug.h"
#include "cpu/mmu.h"

void cpu_init(struct cpu *c, const struct cpu_model_info *model, const struct cpu_bus *bus)
{
    /* Everything but the decode cache, whose old entries the new epoch
     * empties (clearing it would cost more than many short runs take). */
    memset(c, 0, offsetof(struct cpu, icache_epoch));
    c->icache_epoch++;
    c->model = model;
    c->bus = *bus;
    c->a20 = true;
    cpu_reset(c);
}

void cpu_set_a20(struct cpu *c, bool enabled)
{
    c->a20 = enabled;
    c->phys_mask = c->model->phys_mask & (enabled ? 0xffffffffu : ~(1u << 20));
    mmu_flush(c); /* cached translations were masked with the old gate */
}

static void seg_reset(struct seg_cache *s, uint16_t sel, uint32_t base)
{
    s->sel = sel;
    s->base = base;
    s->limit = 0xffff;
    s->attr = SEG_ATTR_P | 0x13; /* present, data read/write, accessed */
}

void cpu_reset(struct cpu *c)
{
    const struct cpu_model_info *m = c->model;
    memset(c->r, 0, sizeof(c->r));
    c->eflags = m->flags_fixed1;
    c->lf_op = LF_NONE;
    c->cpl = 0;
    c->halted = 0;
    c->irq_shadow = 0;
    c->rep_active = 0;
    for (int s = 0; s < SEG_COUNT; s++)
        seg_reset(&c->seg[s], 0, 0);
    if (m->gen == CPU_8086) {
        /* The 8086 starts at FFFF:0000. */
        seg_reset(&c->seg[SEG_CS], 0xffff, 0xffff0);
        c->eip = 0;
    } else {
        /* 286 and later start at F000:FFF0 with CS.base at the top of the address space. */
        seg_reset(&c->seg[SEG_CS], 0xf000, 0xffff0000u & m->phys_mask);
        c->seg[SEG_CS].attr = SEG_ATTR_P | 0x1b; /* code, execute/read, accessed */
        c->eip = 0xfff0;
    }
    memset(c->cr, 0, sizeof(c->cr));
    if (m->gen == CPU_286)
        c->cr[0] = 0xfff0; /* MSW reserved bits read as 1 */
    else if (m->gen >= CPU_486)
        c->cr[0] = CR0_CD | CR0_NW | CR0_ET;
    else if (m->gen == CPU_386)
        c->cr[0] = CR0_ET;
    memset(c->dr, 0, sizeof(c->dr));
    c->dr[6] = 0xffff0ff0;
    c->dr[7] = 0x400;
    debug_update(c);
    c->gdtr = (struct dtr){0, 0xffff};
    c->idtr = (struct dtr){0, 0xffff};
    seg_reset(&c->ldtr, 0, 0);
    c->ldtr.attr = SEG_ATTR_P | 0x02;
    seg_reset(&c->tr, 0, 0);
    c->tr.attr = SEG_ATTR_P | 0x0b;
    cpu_tsc_set(c, 0);
    memset(&c->msr, 0, sizeof(c->msr));
    c->msr.apic_base = 0xfee00900; /* BSP, enabled, at the default base */
    memset(&c->fpu, 0, sizeof(c->fpu));
    c->fpu.cw = 0x0040; /* SDM Vol. 3A table 9-1: x87 control word after reset */
    c->fpu.tw = 0x5555; /* SDM Vol. 3A table 9-1: after RESET all registers hold +0 (tag 01) */
    c->r[R_EDX] = m->gen >= CPU_386 ? m->cpuid_signature : 0;
    cpu_set_a20(c, c->a20); /* also empties the shadow page table */
}

static uint64_t tsc_count(const struct cpu *c)
{
    return c->tsc_source ? c->tsc_source(c->tsc_opaque) : c->icount;
}

uint64_t cpu_tsc(const struct cpu *c)
{
    return c->tsc + tsc_count(c);
}

void cpu_tsc_set(struct cpu *c, uint64_t value)
{
    c->tsc = value - tsc_count(c);
}

int cpu_fault_err(struct cpu *c, int vector, uint32_t error)
{
    c->exc_vector = (uint8_t)vector;
    c->exc_has_error = 1;
    c->exc_error = error;
    return CPU_FAULT;
}

int cpu_fault(struct cpu *c, int vector)
{
    c->exc_vector = (uint8_t)vector;
    c->exc_has_error = 0;
    c->exc_error = 0;
    return CPU_FAULT;
}

void cpu_load_seg_real(struct cpu *c, int seg, uint16_t sel)
{
    struct seg_cache *s = &c->seg[seg];
    s->sel = sel;
    s->base = (uint32_t)sel << 4;
    if (c->eflags & FL_VM) {
        /* V86 mode reloads the whole cache: 64 KiB, writable, DPL 3 (SDM Vol. 3A 20.1.1). */
        s->limit = 0xffff;
        s->attr = SEG_ATTR_P | 0x60 | (seg == SEG_CS ? 0x1b : 0x13);
    }
}
