/* SPDX-License-Identifier: MIT */
/*
 * Hardware task switching through JMP, CALL, INT (task gates) and IRET with
 * NT: TSS checks, saving the outgoing task, busy bits, the back link and NT,
 * CR3/LDTR/segment loads of the incoming task, and its T (debug trap)
 * bit. Faults after the commit point are delivered in the context of the
 * new task, as on the hardware.
 * Spec: Intel SDM Vol. 3A 7.2 (TSS formats), 7.3 (task switching),
 * 7.4 (task linking), table 7-1 (exception conditions).
 */
#include "cpu/debug.h"
#include "cpu/desc.h"
#include "cpu/interp.h"
#include "cpu/mmu.h"
#include "cpu/ops.h"

/* The dynamic fields of a TSS, in a width-independent form. */
struct tss_state {
    uint32_t cr3, eip, eflags, r[8];
    uint16_t seg[SEG_COUNT], ldt;
    bool trap; /* T: debug trap on entering the task (32-bit TSS only) */
};

/* Offsets of the dynamic fields in 32-bit and 16-bit TSSs. */
static const uint16_t seg_off32[SEG_COUNT] = {0x48, 0x4c, 0x50, 0x54, 0x58, 0x5c};
static const uint16_t seg_off16[4] = {0x22, 0x24, 0x26, 0x28};

static int tss_read_state(struct cpu *c, uint32_t base, bool is32, struct tss_state *t)
{
    uint32_t v;
    if (is32) {
        TRY(lin_read(c, base + 0x1c, 4, &t->cr3));
        TRY(lin_read(c, base + 0x20, 4, &t->eip));
        TRY(lin_read(c, base + 0x24, 4, &t->eflags));
        for (int i = 0; i < 8; i++)
            TRY(lin_read(c, base + 0x28 + 4 * (uint32_t)i, 4, &t->r[i]));
        for (int s = 0; s < SEG_COUNT; s++) {
            TRY(lin_read(c, base + seg_off32[s], 2, &v));
            t->seg[s] = (uint16_t)v;
        }
        TRY(lin_read(c, base + 0x60, 2, &v));
        t->ldt = (uint16_t)v;
        TRY(lin_read(c, base + 0x64, 2, &v));
        t->trap = v & 1;
        return 0;
    }
    t->trap = false;
    t->cr3 = c->cr[3];
    TRY(lin_read(c, base + 0x0e, 2, &t->eip));
    TRY(lin_read(c, base + 0x10, 2, &t->eflags));
    for (int i = 0; i < 8; i++) {
        TRY(lin_read(c, base + 0x12 + 2 * (uint32_t)i, 2, &v));
        t->r[i] = (c->r[i] & 0xffff0000u) | v;
    }
    for (int s = 0; s < SEG_COUNT; s++) {
        t->seg[s] = 0;
        if (s < 4) {
            TRY(lin_read(c, base + seg_off16[s], 2, &v));
            t->seg[s] = (uint16_t)v;
        }
    }
    TRY(lin_read(c, base + 0x2a, 2, &v));
    t->ldt = (uint16_t)v;
    return 0;
}

/* Save the outgoing task's dynamic state (SDM 7.3 step 8). */
static int tss_save(struct cpu *c, uint32_t base, bool is32, uint32_t eip, uint32_t eflags)
{
    if (is32) {
        TRY(lin_write(c, base + 0x20, 4, eip));
        TRY(lin_write(c, base + 0x24, 4, eflags));
        for (int i = 0; i < 8; i++)
            TRY(lin_write(c, base + 0x28 + 4 * (uint32_t)i, 4, c->r[i]));
        for (int s = 0; s < SEG_COUNT; s++)
            TRY(lin_write(c, base + seg_off32[s], 2, c->seg[s].sel));
        return 0;
    }
    TRY(lin_write(c, base + 0x0e, 2, eip));
    TRY(lin_write(c, base + 0x10, 2, eflags));
    for (int i = 0; i < 8; i++)
        TRY(lin_write(c, base + 0x12 + 2 * (uint32_t)i, 2, c->r[i]));
    for (int s = 0; s < 4; s++)
        TRY(lin_write(c, base + seg_off16[s], 2, c->seg[s].sel));
    return 0;
}

static int load_task_ldt(struct cpu *c, uint16_t sel)
{
    if (!(sel & 0xfffc)) {
        c->ldtr = (struct seg_cache){.sel = sel};
        return 0;
    }
    struct desc d;
    if (sel & 4)
        return cpu_fault_err(c, EXC_TS, sel_error(sel, false));
    TRY(desc_read(c, sel, EXC_TS, &d));
    if (desc_type(&d) != DT_LDT)
        return cpu_fault_err(c, EXC_TS, sel_error(sel, false));
    if (!desc_present(&d))
        return cpu_fault_err(c, EXC_TS, sel_error(sel, false));
    desc_to_cache(sel, &d, &c->ldtr);
    return 0;
}

/* Load CS, SS and the data segments of the new task, with #TS for bad ones. */
static int load_task_segments(struct cpu *c, const struct tss_state *t)
{
    if (t->eflags & FL_VM) {
        for (int s = 0; s < SEG_COUNT; s++)
            cpu_load_seg_real(c, s, t->seg[s]);
        c->cpl = 3;
        return 0;
    }
    uint16_t cs = t->seg[SEG_CS];
    unsigned rpl = cs & 3;
    struct desc d;
    if (!(cs & 0xfffc))
        return cpu_fault_err(c, EXC_TS, 0);
    TRY(desc_read(c, cs, EXC_TS, &d));
    if (!desc_is_code(&d) || (desc_is_conforming(&d) ? desc_dpl(&d) > rpl : desc_dpl(&d) != rpl))
        return cpu_fault_err(c, EXC_TS, sel_error(cs, false));
    if (!desc_present(&d))
        return cpu_fault_err(c, EXC_NP, sel_error(cs, false));
    TRY(desc_set_accessed(c, &d));
    desc_to_cache(cs, &d, &c->seg[SEG_CS]);
    c->cpl = (uint8_t)rpl;
    for (int s = 0; s < SEG_COUNT; s++) {
        if (s == SEG_CS)
            continue;
        /* Checked like MOV Sreg, but faulting with #TS (SDM table 7-1). */
        int rc = seg_load(c, s, t->seg[s]);
        if (rc) {
            if (c->exc_vector == EXC_GP)
                c->exc_vector = EXC_TS;
            return rc;
        }
    }
    return 0;
}

int task_switch(struct cpu *c, uint16_t sel, struct desc *nd, enum task_source src,
                uint32_t ret_eip, bool has_err, uint32_t err)
{
    unsigned type = desc_type(nd);
    bool busy_type = type == DT_TSS16_BUSY || type == DT_TSS32_BUSY;
    bool is32 = type == DT_TSS32_AVAIL || type == DT_TSS32_BUSY;
    /* IRET reports a back link that names no TSS as #TS, the others #GP
     * (SDM Vol. 2, IRET TASK-RETURN; JMP, CALL and INT n TASK-GATE). */
    if (!(type == DT_TSS16_AVAIL || type == DT_TSS32_AVAIL || busy_type))
        return cpu_fault_err(c, src == TASK_IRET ? EXC_TS : EXC_GP, sel_error(sel, false));
    if (src == TASK_IRET ? !busy_type : busy_type)
        return cpu_fault_err(c, src == TASK_IRET ? EXC_TS : EXC_GP, sel_error(sel, false));
    if (!desc_present(nd))
        return cpu_fault_err(c, EXC_NP, sel_error(sel, false));
    struct seg_cache ntr;
    desc_to_cache(sel, nd, &ntr);
    if (ntr.limit < (is32 ? 0x67u : 0x2bu))
        return cpu_fault_err(c, EXC_TS, sel_error(sel, false));

    /* Read everything of the new task before changing anything. */
    struct tss_state t;
    TRY(tss_read_state(c, ntr.base, is32, &t));

    /* The outgoing task. */
    struct desc od;
    bool old32 = (c->tr.attr & 0x0f) == DT_TSS32_BUSY || (c->tr.attr & 0x0f) == DT_TSS32_AVAIL;
    uint32_t eflags = flags_get(c);
    if (src == TASK_IRET)
        eflags &= ~(uint32_t)FL_NT;
    TRY(tss_save(c, c->tr.base, old32, ret_eip, eflags));
    if (src == TASK_JMP || src == TASK_IRET) {
        TRY(desc_read(c, c->tr.sel, EXC_GP, &od));
        TRY(desc_set_busy(c, &od, false));
    }
    if (src == TASK_CALL || src == TASK_INT) {
        t.eflags |= FL_NT;
        TRY(lin_write(c, ntr.base, 2, c->tr.sel));
    }
    if (src != TASK_IRET)
        TRY(desc_set_busy(c, nd, true));
    desc_to_cache(sel, nd, &c->tr);
    c->tr.attr |= 0x02; /* the cached type is busy */
    c->cr[0] |= CR0_TS;

    /* Commit: from here on, faults belong to the new task (SDM 7.3 step 13). */
    if (is32 && (c->cr[0] & CR0_PG) && t.cr3 != c->cr[3])
        mmu_load_cr3(c, t.cr3 & 0xfffff018u);
    for (int i = 0; i < 8; i++)
        c->r[i] = t.r[i];
    c->lf_op = LF_NONE;
    c->eflags = (t.eflags & c->model->flags_supported) | c->model->flags_fixed1;
    if (!is32)
        c->eflags &= 0xffff;
    c->next_eip = t.eip;
    for (int s = 0; s < SEG_COUNT; s++)
        c->seg[s].sel = t.seg[s];
    c->insn_eip = t.eip;
    interp_commit(c);
    TRY(load_task_ldt(c, t.ldt));
    TRY(load_task_segments(c, &t));
    if (has_err) {
        int size = is32 ? 4 : 2;
        TRY(stack_push(c, size, err));
    }
    if (c->next_eip > c->seg[SEG_CS].limit)
        return cpu_fault_err(c, EXC_GP, 0);
    /* T set: #DB (DR6.BT) once the switch is complete, before the new
     * task's first instruction (SDM Vol. 3A 7.2.1, 17.3.1.5). */
    if (t.trap)
        c->dbg.pending |= DBG_PENDING_BT;
    return 0;
}

int tss_stack(struct cpu *c, unsigned dpl, uint16_t *ss, uint32_t *esp)
{
    bool is32 = (c->tr.attr & 0x08) != 0;
    uint32_t off = is32 ? 4 + 8 * dpl : 2 + 4 * dpl;
    uint32_t size = is32 ? 4 : 2, v, s;
    if (off + 2 * size - 1 > c->tr.limit)
        return cpu_fault_err(c, EXC_TS, sel_error(c->tr.sel, false));
    TRY(lin_read(c, c->tr.base + off, (int)size, &v));
    TRY(lin_read(c, c->tr.base + off + size, 2, &s));
    *esp = v;
    *ss = (uint16_t)s;
    return 0;
}
