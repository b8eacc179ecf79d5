/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception delivery: the real-mode IVT, and the protected-
 * mode IDT's interrupt, trap and task gates: same-privilege delivery, the
 * stack switch to an inner ring from the TSS, delivery out of V86 mode
 * (saving and nulling the data segments), and error codes with EXT.
 * Spec: Intel SDM Vol. 3A 6.10-6.13 (IDT, gates, handler procedures and
 * tasks, error code), 20.3.1 (interrupts from V86 mode).
 */
#include "cpu/desc.h"
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

/* Read and check the IDT gate for 'vector'. Error codes name the IDT entry
 * (bit 1) and whether the event was external to the program (bit 0). */
static int idt_gate(struct cpu *c, int vector, bool software, struct desc *g)
{
    uint32_t off = (uint32_t)vector * 8;
    uint32_t err = off + 2 + (software ? 0 : 1);
    if (off + 7 > c->idtr.limit)
        return cpu_fault_err(c, EXC_GP, err);
    g->addr = c->idtr.base + off;
    TRY(lin_read(c, g->addr, 4, &g->lo));
    TRY(lin_read(c, g->addr + 4, 4, &g->hi));
    unsigned type = desc_type(g);
    if (type != DT_INT16 && type != DT_TRAP16 && type != DT_INT32 && type != DT_TRAP32 &&
        type != DT_TASK)
        return cpu_fault_err(c, EXC_GP, err);
    if (software && desc_dpl(g) < c->cpl)
        return cpu_fault_err(c, EXC_GP, err);
    if (!desc_present(g))
        return cpu_fault_err(c, EXC_NP, err);
    return 0;
}

/* Read the descriptor 'sel' names for a delivery; a selector beyond its
 * table is #GP(selector), with EXT for an external event (SDM 6.13). */
static int delivery_desc(struct cpu *c, uint16_t sel, bool ext, struct desc *d)
{
    if (desc_read(c, sel, EXC_GP, d)) {
        if (c->exc_vector == EXC_GP)
            c->exc_error = sel_error(sel, ext);
        return CPU_FAULT;
    }
    return 0;
}

/* Through a task gate: the TSS selector must name the GDT and lie within
 * it, else #GP(TSS selector) (SDM Vol. 2, INT n, TASK-GATE). */
static int interrupt_task_gate(struct cpu *c, struct desc *g, uint32_t ret_eip, bool has_err,
                               uint32_t err, bool ext)
{
    uint16_t tss = gate_selector(g);
    struct desc t;
    if (tss & 4)
        return cpu_fault_err(c, EXC_GP, sel_error(tss, ext));
    TRY(delivery_desc(c, tss, ext, &t));
    return task_switch(c, tss, &t, TASK_INT, ret_eip, has_err, err);
}

static int interrupt_prot(struct cpu *c, int vector, uint32_t ret_eip, bool has_err, uint32_t err,
                          bool software)
{
    bool ext = !software;
    struct desc g;
    TRY(idt_gate(c, vector, software, &g));
    if (desc_type(&g) == DT_TASK)
        return interrupt_task_gate(c, &g, ret_eip, has_err, err, ext);

    uint16_t sel = gate_selector(&g);
    uint32_t off = gate_offset(&g);
    int size = (desc_type(&g) & 0x08) ? 4 : 2;
    struct desc d;
    if (!(sel & 0xfffc))
        return cpu_fault_err(c, EXC_GP, ext ? 1 : 0);
    TRY(delivery_desc(c, sel, ext, &d));
    unsigned dpl = desc_dpl(&d);
    if (!desc_is_code(&d) || dpl > c->cpl)
        return cpu_fault_err(c, EXC_GP, sel_error(sel, ext));
    if (!desc_present(&d))
        return cpu_fault_err(c, EXC_NP, sel_error(sel, ext));

    /* The image keeps VM and RF: RF is 1 for faults (interp.c sets it) and
     * as it stands for external interrupts; INT n pushes 0 (SDM 17.3.1.1). */
    uint32_t eflags = flags_get(c);
    if (software)
        eflags &= ~(uint32_t)FL_RF;
    bool from_v86 = c->eflags & FL_VM;
    bool inner = !desc_is_conforming(&d) && dpl < c->cpl;
    if (from_v86 && (!inner || dpl != 0))
        return cpu_fault_err(c, EXC_GP, sel_error(sel, ext));

    uint32_t frame[10];
    int n = 0;
    if (inner) {
        uint16_t nss;
        uint32_t nesp;
        if (from_v86) {
            frame[n++] = c->seg[SEG_GS].sel;
            frame[n++] = c->seg[SEG_FS].sel;
            frame[n++] = c->seg[SEG_DS].sel;
            frame[n++] = c->seg[SEG_ES].sel;
        }
        frame[n++] = c->seg[SEG_SS].sel;
        frame[n++] = c->r[R_ESP];
        TRY(tss_stack(c, dpl, &nss, &nesp));
        c->eflags &= ~(uint32_t)FL_VM; /* the new stack is loaded in protected mode */
        TRY(load_stack_for_cpl(c, dpl, nss, nesp, ext));
    }
    frame[n++] = eflags;
    frame[n++] = c->seg[SEG_CS].sel;
    frame[n++] = ret_eip;
    if (has_err)
        frame[n++] = err;
    TRY(load_cs(c, sel, &d, inner ? dpl : c->cpl, size == 2 ? off & 0xffff : off));
    if (inner)
        TRY(stack_push_switched(c, size, frame, n, ext));
    else
        TRY(stack_push_n(c, size, frame, n));
    if (from_v86) {
        static const int data[4] = {SEG_ES, SEG_DS, SEG_FS, SEG_GS};
        for (int i = 0; i < 4; i++)
            c->seg[data[i]] = (struct seg_cache){.sel = 0};
    }
    c->eflags &= ~(uint32_t)(FL_TF | FL_NT | FL_RF | FL_VM);
    if (!(desc_type(&g) & 1))
        c->eflags &= ~(uint32_t)FL_IF; /* interrupt gate, not trap gate */
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
