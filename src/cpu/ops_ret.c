/* SPDX-License-Identifier: MIT */
/*
 * Returns: near RET, far RET and IRET in every direction: real mode, the
 * same privilege, an outer privilege (new stack, data segments the outer
 * ring may not see are nulled), into V86 mode, out of V86 mode at IOPL 3,
 * and the NT task return through the back link.
 * Spec: Intel SDM Vol. 2 (RET, IRET), Vol. 3A 5.8.6 (returns), 7.3 (task
 * return), 20.3 (leaving V86 mode).
 */
#include "cpu/desc.h"
#include "cpu/ops.h"

static int ret_near(struct cpu *c, const struct insn *in, uint32_t release)
{
    uint32_t t;
    /* Read, check the target, then move ESP: a fault leaves it unchanged. */
    TRY(stack_peek(c, in->opsize, 0, &t));
    TRY(jump_near(c, t, in->opsize));
    uint32_t sp = sp_get(c) + (uint32_t)in->opsize + release;
    sp_set(c, cpu_stack_size(c) == 2 ? sp & 0xffff : sp);
    return 0;
}

int op_ret_near(struct cpu *c, const struct insn *in)
{
    return ret_near(c, in, 0);
}

int op_ret_near_Iw(struct cpu *c, const struct insn *in)
{
    return ret_near(c, in, in->imm & 0xffff);
}

static void sp_add(struct cpu *c, uint32_t n)
{
    uint32_t sp = sp_get(c) + n;
    sp_set(c, cpu_stack_size(c) == 2 ? sp & 0xffff : sp);
}

/* After a return to an outer ring: data segments more privileged than the
 * new CPL become null (SDM Vol. 3A 5.8.6 step 5). */
static void null_inner_segments(struct cpu *c)
{
    static const int segs[] = {SEG_ES, SEG_DS, SEG_FS, SEG_GS};
    for (unsigned i = 0; i < 4; i++) {
        struct seg_cache *s = &c->seg[segs[i]];
        unsigned type = s->attr & 0x1f, dpl = (s->attr >> 5) & 3;
        bool data_or_nc_code = (type & 0x18) == 0x10 || (type & 0x1c) == 0x18;
        if (data_or_nc_code && dpl < c->cpl)
            *s = (struct seg_cache){.sel = 0};
    }
}

/* Check the CS a protected-mode RET or IRET returns to (SDM, RET). */
static int return_cs(struct cpu *c, uint16_t sel, struct desc *d)
{
    uint32_t err = sel_error(sel, false);
    if (!(sel & 0xfffc))
        return cpu_fault_err(c, EXC_GP, 0);
    TRY(desc_read(c, sel, EXC_GP, d));
    unsigned rpl = sel & 3, dpl = desc_dpl(d);
    if (!desc_is_code(d) || rpl < c->cpl || (desc_is_conforming(d) ? dpl > rpl : dpl != rpl))
        return cpu_fault_err(c, EXC_GP, err);
    if (!desc_present(d))
        return cpu_fault_err(c, EXC_NP, err);
    return 0;
}

/* Load the SS:ESP of a return to the outer ring 'cpl'. Unlike a stack
 * switch inward, nothing here is #TS (SDM Vol. 2, RET and IRET): a null SS
 * is #GP(0); RPL or DPL other than the new CPL, or a segment that is not
 * writable data, is #GP(SS); a not-present one is #SS(SS). */
static int return_ss(struct cpu *c, unsigned cpl, uint16_t ss, uint32_t esp)
{
    struct desc d;
    uint32_t err = sel_error(ss, false);
    if (!(ss & 0xfffc))
        return cpu_fault_err(c, EXC_GP, 0);
    TRY(desc_read(c, ss, EXC_GP, &d));
    if ((ss & 3) != cpl || desc_dpl(&d) != cpl || !desc_is_data(&d) || !(desc_type(&d) & 2))
        return cpu_fault_err(c, EXC_GP, err);
    if (!desc_present(&d))
        return cpu_fault_err(c, EXC_SS, err);
    TRY(desc_set_accessed(c, &d));
    desc_to_cache(ss, &d, &c->seg[SEG_SS]);
    c->r[R_ESP] = esp;
    return 0;
}

/* Protected-mode return to sel:off; 'above' bytes of the frame lie above
 * CS:EIP before an outer ring's ESP/SS (EFLAGS for IRET, plus 'release'). */
static int return_prot(struct cpu *c, int size, uint16_t sel, uint32_t off, uint32_t frame,
                       uint32_t release)
{
    struct desc d;
    TRY(return_cs(c, sel, &d));
    unsigned rpl = sel & 3;
    if (size == 2)
        off &= 0xffff;
    if (rpl == c->cpl) {
        TRY(load_cs(c, sel, &d, rpl, off));
        sp_add(c, frame + release);
        return 0;
    }
    uint32_t esp, ss;
    uint32_t base = sp_get(c) + frame + release;
    if (cpu_stack_size(c) == 2)
        base &= 0xffff;
    TRY(mem_read(c, SEG_SS, base, size, &esp));
    TRY(mem_read(c, SEG_SS, cpu_stack_size(c) == 2 ? (base + (uint32_t)size) & 0xffff
                                                   : base + (uint32_t)size,
                 size, &ss));
    TRY(load_cs(c, sel, &d, rpl, off));
    TRY(return_ss(c, rpl, (uint16_t)ss, size == 2 ? esp & 0xffff : esp));
    if (size == 2)
        c->r[R_ESP] = (c->r[R_ESP] & 0xffff0000u) | (esp & 0xffff);
    sp_add(c, release);
    null_inner_segments(c);
    return 0;
}

static int ret_far(struct cpu *c, const struct insn *in, uint32_t release)
{
    int size = in->opsize;
    uint32_t off, sel;
    TRY(stack_peek(c, size, 0, &off));
    TRY(stack_peek(c, size, 1, &sel));
    if (cpu_pmode(c))
        return return_prot(c, size, (uint16_t)sel, off, (uint32_t)(2 * size), release);
    if (!c->model->offset_wraps && (size == 2 ? off & 0xffff : off) > c->seg[SEG_CS].limit)
        return cpu_fault_err(c, EXC_GP, 0);
    cpu_load_seg_real(c, SEG_CS, (uint16_t)sel);
    c->next_eip = size == 2 ? off & 0xffff : off;
    sp_add(c, (uint32_t)(2 * size) + release);
    return 0;
}

int op_ret_far(struct cpu *c, const struct insn *in)
{
    return ret_far(c, in, 0);
}

int op_ret_far_Iw(struct cpu *c, const struct insn *in)
{
    return ret_far(c, in, in->imm & 0xffff);
}

/* IRET with NT set: return to the task in the back link (SDM 7.3). */
static int iret_task(struct cpu *c)
{
    uint32_t link;
    struct desc d;
    TRY(lin_read(c, c->tr.base, 2, &link));
    if (link & 4)
        return cpu_fault_err(c, EXC_TS, sel_error((uint16_t)link, false));
    TRY(desc_read(c, (uint16_t)link, EXC_TS, &d));
    return task_switch(c, (uint16_t)link, &d, TASK_IRET, c->next_eip, false, 0);
}

/* IRET from ring 0 into V86 mode: the frame also holds ESP SS ES DS FS GS. */
static int iret_to_v86(struct cpu *c, uint32_t eip, uint32_t cs, uint32_t fl)
{
    uint32_t v[6];
    for (int i = 0; i < 6; i++)
        TRY(stack_peek(c, 4, 3 + i, &v[i]));
    c->eflags = (fl & c->model->flags_supported) | c->model->flags_fixed1;
    c->lf_op = LF_NONE;
    static const int segs[4] = {SEG_ES, SEG_DS, SEG_FS, SEG_GS};
    cpu_load_seg_real(c, SEG_CS, (uint16_t)cs);
    cpu_load_seg_real(c, SEG_SS, (uint16_t)v[1]);
    for (int i = 0; i < 4; i++)
        cpu_load_seg_real(c, segs[i], (uint16_t)v[2 + i]);
    c->r[R_ESP] = v[0];
    c->cpl = 3;
    c->next_eip = eip & 0xffff;
    return 0;
}

int op_iret(struct cpu *c, const struct insn *in)
{
    int size = in->opsize;
    uint32_t ip, cs, fl;
    if (cpu_pmode(c) && (c->eflags & FL_NT))
        return iret_task(c);
    if ((c->eflags & FL_VM) && ((c->eflags >> 12) & 3) < 3)
        return cpu_fault_err(c, EXC_GP, 0);
    TRY(stack_peek(c, size, 0, &ip));
    TRY(stack_peek(c, size, 1, &cs));
    TRY(stack_peek(c, size, 2, &fl));
    if (!cpu_pmode(c)) {
        /* Real mode, or V86 mode at IOPL 3 (which keeps VM and IOPL). */
        uint32_t target = size == 2 ? ip & 0xffff : ip;
        if (!c->model->offset_wraps && target > c->seg[SEG_CS].limit)
            return cpu_fault_err(c, EXC_GP, 0);
        cpu_load_seg_real(c, SEG_CS, (uint16_t)cs);
        c->next_eip = target;
        sp_add(c, (uint32_t)(3 * size));
        eflags_write(c, fl, size);
        return 0;
    }
    if (size == 4 && (fl & FL_VM) && c->cpl == 0)
        return iret_to_v86(c, ip, cs, fl);
    unsigned old_cpl = c->cpl;
    TRY(return_prot(c, size, (uint16_t)cs, ip, (uint32_t)(3 * size), 0));
    /* EFLAGS follow the privilege the IRET ran at (SDM, IRET). */
    unsigned new_cpl = c->cpl;
    c->cpl = (uint8_t)old_cpl;
    eflags_write(c, fl, size);
    if (size == 4)
        c->eflags = (c->eflags & ~(uint32_t)FL_RF) | (fl & FL_RF);
    c->cpl = (uint8_t)new_cpl;
    return 0;
}
