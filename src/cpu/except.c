/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception delivery: the real-mode IVT and, for now, the
 * protected-mode IDT's interrupt and trap gates into code at the same
 * privilege level. Privilege changes, task gates and V86 belong to the
 * system-architecture work and are reported as unimplemented.
 * Spec: Intel SDM Vol. 3A 6.11-6.12 (IDT, gates), 20.1.4 (real-mode IVT).
 */
#include "common/log.h"
#include "cpu/ops.h"

static int interrupt_real(struct cpu *c, int vector, uint32_t ret_eip)
{
    uint32_t entry_off = (uint32_t)vector * 4;
    if (c->model->gen >= CPU_286 && entry_off + 3 > c->idtr.limit)
        return cpu_fault_err(c, EXC_GP, (uint32_t)vector * 8 + 2);
    uint32_t ip, cs;
    TRY(lin_read(c, c->idtr.base + entry_off, 2, &ip));
    TRY(lin_read(c, c->idtr.base + entry_off + 2, 2, &cs));
    uint32_t frame[3] = {eflags_for_push(c) & 0xffff, c->seg[SEG_CS].sel, ret_eip & 0xffff};
    TRY(stack_push_n(c, 2, frame, 3));
    c->eflags &= ~(uint32_t)(FL_IF | FL_TF | FL_AC | FL_RF);
    cpu_load_seg_real(c, SEG_CS, (uint16_t)cs);
    c->next_eip = ip;
    return 0;
}

/* Read the 8-byte IDT gate for 'vector'. */
static int idt_gate(struct cpu *c, int vector, bool software, uint32_t *lo, uint32_t *hi)
{
    uint32_t off = (uint32_t)vector * 8;
    uint32_t err = off + 2 + (software ? 0 : 1);
    if (off + 7 > c->idtr.limit)
        return cpu_fault_err(c, EXC_GP, err);
    TRY(lin_read(c, c->idtr.base + off, 4, lo));
    TRY(lin_read(c, c->idtr.base + off + 4, 4, hi));
    unsigned type = (*hi >> 8) & 0x1f;
    unsigned dpl = (*hi >> 13) & 3;
    if (type != 0x0e && type != 0x0f && type != 0x06 && type != 0x07 && type != 0x05)
        return cpu_fault_err(c, EXC_GP, err);
    if (software && dpl < c->cpl)
        return cpu_fault_err(c, EXC_GP, err);
    if (!(*hi & 0x8000))
        return cpu_fault_err(c, EXC_NP, err);
    return 0;
}

static int interrupt_prot(struct cpu *c, int vector, uint32_t ret_eip, bool has_err, uint32_t err,
                          bool software)
{
    uint32_t lo, hi;
    TRY(idt_gate(c, vector, software, &lo, &hi));
    unsigned type = (hi >> 8) & 0x1f;
    if (type == 0x05 || (c->eflags & FL_VM)) {
        log_msg(LOG_STUB, "cpu", "task gates and interrupts from V86 mode are not modelled yet");
        return cpu_fault_err(c, EXC_GP, (uint32_t)vector * 8 + 2);
    }
    uint16_t sel = (uint16_t)(lo >> 16);
    uint32_t off = (lo & 0xffff) | (hi & 0xffff0000u);
    int size = (type & 0x08) ? 4 : 2;
    if (size == 2)
        off &= 0xffff;
    uint32_t eflags = eflags_for_push(c);
    uint16_t old_cs = c->seg[SEG_CS].sel;
    struct seg_cache saved_cs = c->seg[SEG_CS];
    TRY(seg_load(c, SEG_CS, sel));
    if (c->cpl != (saved_cs.sel & 3) && c->cpl != (saved_cs.attr >> 5 & 3)) {
        c->seg[SEG_CS] = saved_cs;
        log_msg(LOG_STUB, "cpu", "interrupts that change privilege are not modelled yet");
        return cpu_fault_err(c, EXC_GP, sel & 0xfffc);
    }
    uint32_t frame[4] = {eflags, old_cs, ret_eip, err};
    int rc = stack_push_n(c, size, frame, has_err ? 4 : 3);
    if (rc) {
        c->seg[SEG_CS] = saved_cs;
        return rc;
    }
    c->eflags &= ~(uint32_t)(FL_TF | FL_NT | FL_RF | FL_VM);
    if (!(type & 1))
        c->eflags &= ~(uint32_t)FL_IF;
    c->next_eip = off;
    return 0;
}

int cpu_interrupt(struct cpu *c, int vector, uint32_t ret_eip, bool has_err, uint32_t err,
                  bool software)
{
    c->halted = 0;
    if (!(c->cr[0] & CR0_PE))
        return interrupt_real(c, vector, ret_eip);
    return interrupt_prot(c, vector, ret_eip, has_err, err, software);
}
