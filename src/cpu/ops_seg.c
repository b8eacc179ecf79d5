/* SPDX-License-Identifier: MIT */
/*
 * Segment registers and far transfers: loads in real, V86 and protected
 * mode with every check and its error code, far JMP/CALL to code segments
 * and through call gates (with the privilege change and parameter copy),
 * task gates and TSS descriptors, and the Sreg instructions (PUSH/POP, MOV,
 * LDS/LES/LSS/LFS/LGS).
 * Spec: Intel SDM Vol. 3A 3.4 (descriptors), 5.5-5.8 (privilege checks,
 * call gates), 7.3 (task switches through JMP/CALL).
 */
#include "cpu/desc.h"
#include "cpu/ops.h"

static int seg_load_prot(struct cpu *c, int seg, uint16_t sel)
{
    unsigned rpl = sel & 3;
    uint32_t err = sel_error(sel, false);
    if (!(sel & 0xfffc)) {
        if (seg == SEG_SS)
            return cpu_fault_err(c, EXC_GP, 0);
        c->seg[seg] = (struct seg_cache){.sel = sel}; /* a null selector: any use faults */
        return 0;
    }
    struct desc d;
    TRY(desc_read(c, sel, EXC_GP, &d));
    unsigned type = desc_type(&d), dpl = desc_dpl(&d);
    if (seg == SEG_SS) {
        if (rpl != c->cpl || !desc_is_data(&d) || !(type & 2) || dpl != c->cpl)
            return cpu_fault_err(c, EXC_GP, err);
        if (!desc_present(&d))
            return cpu_fault_err(c, EXC_SS, err);
    } else {
        bool readable = desc_is_data(&d) || (desc_is_code(&d) && (type & 2));
        if (!readable || (!desc_is_conforming(&d) && (dpl < c->cpl || dpl < rpl)))
            return cpu_fault_err(c, EXC_GP, err);
        if (!desc_present(&d))
            return cpu_fault_err(c, EXC_NP, err);
    }
    TRY(desc_set_accessed(c, &d));
    desc_to_cache(sel, &d, &c->seg[seg]);
    return 0;
}

int seg_load(struct cpu *c, int seg, uint16_t sel)
{
    if (seg == SEG_SS)
        c->irq_shadow = 1; /* no interrupt between MOV/POP SS and the next instruction */
    if (!cpu_pmode(c)) {
        cpu_load_seg_real(c, seg, sel);
        return 0;
    }
    if (seg == SEG_CS)
        return cpu_fault(c, EXC_UD);
    return seg_load_prot(c, seg, sel);
}

/* Make 'd' (read through 'sel') the code segment at privilege 'cpl' and
 * continue at 'off', which must lie within its limit. */
int load_cs(struct cpu *c, uint16_t sel, struct desc *d, unsigned cpl, uint32_t off)
{
    struct seg_cache cs;
    desc_to_cache((uint16_t)((sel & 0xfffc) | cpl), d, &cs);
    if (off > cs.limit)
        return cpu_fault_err(c, EXC_GP, 0);
    TRY(desc_set_accessed(c, d));
    c->seg[SEG_CS] = cs;
    c->cpl = (uint8_t)cpl;
    c->next_eip = off;
    return 0;
}

/* Read and check a code-segment descriptor that a far transfer targets. */
static int code_descriptor(struct cpu *c, uint16_t sel, struct desc *d)
{
    if (!(sel & 0xfffc))
        return cpu_fault_err(c, EXC_GP, 0);
    TRY(desc_read(c, sel, EXC_GP, d));
    if (!desc_is_code(d))
        return cpu_fault_err(c, EXC_GP, sel_error(sel, false));
    return 0;
}

int load_stack_for_cpl(struct cpu *c, unsigned cpl, uint16_t ss, uint32_t esp, bool ext)
{
    struct desc d;
    uint32_t err = sel_error(ss, ext);
    if (!(ss & 0xfffc))
        return cpu_fault_err(c, EXC_TS, ext ? 1 : 0);
    if (desc_read(c, ss, EXC_TS, &d)) {
        if (c->exc_vector == EXC_TS)
            c->exc_error = err;
        return CPU_FAULT;
    }
    if ((ss & 3) != cpl || desc_dpl(&d) != cpl || !desc_is_data(&d) || !(desc_type(&d) & 2))
        return cpu_fault_err(c, EXC_TS, err);
    if (!desc_present(&d))
        return cpu_fault_err(c, EXC_SS, err);
    TRY(desc_set_accessed(c, &d));
    desc_to_cache(ss, &d, &c->seg[SEG_SS]);
    c->r[R_ESP] = esp;
    return 0;
}

int stack_push_switched(struct cpu *c, int size, const uint32_t *vals, int n, bool ext)
{
    int rc = stack_push_n(c, size, vals, n);
    if (rc && c->exc_vector == EXC_SS)
        c->exc_error = sel_error(c->seg[SEG_SS].sel, ext);
    return rc;
}

/* Through a call gate (SDM Vol. 3A 5.8.4-5.8.5): CALL may enter a more
 * privileged non-conforming segment on the stack the TSS names, copying the
 * gate's parameter count of arguments; JMP stays at the current privilege. */
static int via_call_gate(struct cpu *c, uint16_t gsel, struct desc *gate, bool call)
{
    uint32_t gerr = sel_error(gsel, false);
    if (desc_dpl(gate) < c->cpl || desc_dpl(gate) < (gsel & 3u))
        return cpu_fault_err(c, EXC_GP, gerr);
    if (!desc_present(gate))
        return cpu_fault_err(c, EXC_NP, gerr);
    uint16_t sel = gate_selector(gate);
    uint32_t off = gate_offset(gate);
    int size = (desc_type(gate) & 0x08) ? 4 : 2;
    struct desc d;
    TRY(code_descriptor(c, sel, &d));
    unsigned dpl = desc_dpl(&d);
    if (dpl > c->cpl || (!call && !desc_is_conforming(&d) && dpl != c->cpl))
        return cpu_fault_err(c, EXC_GP, sel_error(sel, false));
    if (!desc_present(&d))
        return cpu_fault_err(c, EXC_NP, sel_error(sel, false));
    uint32_t ret[2] = {c->seg[SEG_CS].sel, c->next_eip};
    if (!call || desc_is_conforming(&d) || dpl == c->cpl) {
        TRY(load_cs(c, sel, &d, c->cpl, off));
        return call ? stack_push_n(c, size, ret, 2) : 0;
    }
    /* More privileged: switch stacks and copy the parameters. */
    unsigned nparams = gate->hi & 0x1f;
    uint32_t frame[2 + 31 + 2];
    int n = 0;
    frame[n++] = c->seg[SEG_SS].sel;
    frame[n++] = sp_get(c);
    for (unsigned i = 0; i < nparams; i++)
        TRY(stack_peek(c, size, (int)(nparams - 1 - i), &frame[n++]));
    frame[n++] = ret[0];
    frame[n++] = ret[1];
    uint16_t nss;
    uint32_t nesp;
    TRY(tss_stack(c, dpl, &nss, &nesp));
    TRY(load_stack_for_cpl(c, dpl, nss, nesp, false));
    TRY(load_cs(c, sel, &d, dpl, off));
    return stack_push_switched(c, size, frame, n, false);
}

/* Far JMP/CALL in protected mode: to a code segment, or through a call
 * gate, task gate or TSS descriptor. */
static int far_prot(struct cpu *c, uint16_t sel, uint32_t off, int opsize, bool call)
{
    struct desc d;
    if (!(sel & 0xfffc))
        return cpu_fault_err(c, EXC_GP, 0);
    TRY(desc_read(c, sel, EXC_GP, &d));
    uint32_t err = sel_error(sel, false);
    unsigned type = desc_type(&d), dpl = desc_dpl(&d), rpl = sel & 3;
    if (desc_is_code(&d)) {
        bool ok = desc_is_conforming(&d) ? dpl <= c->cpl : (rpl <= c->cpl && dpl == c->cpl);
        if (!ok)
            return cpu_fault_err(c, EXC_GP, err);
        if (!desc_present(&d))
            return cpu_fault_err(c, EXC_NP, err);
        uint32_t ret[2] = {c->seg[SEG_CS].sel, c->next_eip};
        TRY(load_cs(c, sel, &d, c->cpl, opsize == 2 ? off & 0xffff : off));
        return call ? stack_push_n(c, opsize, ret, 2) : 0;
    }
    switch (type) {
    case DT_CALL16:
    case DT_CALL32: return via_call_gate(c, sel, &d, call);
    case DT_TASK: {
        if (dpl < c->cpl || dpl < rpl)
            return cpu_fault_err(c, EXC_GP, err);
        if (!desc_present(&d))
            return cpu_fault_err(c, EXC_NP, err);
        uint16_t tss = gate_selector(&d);
        struct desc t;
        if (tss & 4)
            return cpu_fault_err(c, EXC_GP, sel_error(tss, false));
        TRY(desc_read(c, tss, EXC_GP, &t));
        return task_switch(c, tss, &t, call ? TASK_CALL : TASK_JMP, c->next_eip, false, 0);
    }
    case DT_TSS16_AVAIL:
    case DT_TSS32_AVAIL:
        if (dpl < c->cpl || dpl < rpl)
            return cpu_fault_err(c, EXC_GP, err);
        return task_switch(c, sel, &d, call ? TASK_CALL : TASK_JMP, c->next_eip, false, 0);
    default: return cpu_fault_err(c, EXC_GP, err);
    }
}

int far_transfer(struct cpu *c, uint16_t sel, uint32_t off, int opsize, bool call)
{
    if (opsize == 2)
        off &= 0xffff;
    if (cpu_pmode(c))
        return far_prot(c, sel, off, opsize, call);
    uint32_t ret[2] = {c->seg[SEG_CS].sel, c->next_eip};
    if (!c->model->offset_wraps && off > 0xffff)
        return cpu_fault_err(c, EXC_GP, 0);
    if (call)
        TRY(stack_push_n(c, opsize, ret, 2));
    cpu_load_seg_real(c, SEG_CS, sel);
    c->next_eip = off;
    return 0;
}

/* Segment register encoded in bits 3-5 of PUSH/POP Sreg opcodes (both maps). */
static int sreg_of_opcode(const struct insn *in)
{
    return (in->opcode >> 3) & 7;
}

int op_push_Sw(struct cpu *c, const struct insn *in)
{
    uint32_t sel = c->seg[sreg_of_opcode(in)].sel;
    if (in->opsize == 4) {
        /* P6 family: the stack slot is 32 bits, only the low word is written. */
        uint32_t sp = (sp_get(c) - 4) & size_mask(cpu_stack_size(c));
        TRY(mem_write(c, SEG_SS, sp, 2, sel));
        sp_set(c, sp);
        return 0;
    }
    return stack_push(c, 2, sel);
}

int op_pop_Sw(struct cpu *c, const struct insn *in)
{
    uint32_t v;
    int seg = sreg_of_opcode(in);
    TRY(stack_peek(c, in->opsize, 0, &v));
    if (seg == SEG_CS) {
        cpu_load_seg_real(c, SEG_CS, (uint16_t)v); /* 8086 POP CS */
    } else {
        TRY(seg_load(c, seg, (uint16_t)v));
    }
    uint32_t sp = sp_get(c) + (uint32_t)in->opsize;
    sp_set(c, cpu_stack_size(c) == 2 ? sp & 0xffff : sp);
    return 0;
}

/* The 8086 decodes only two bits of the Sreg field. */
static int sreg_of_modrm(const struct cpu *c, const struct insn *in)
{
    return c->model->gen == CPU_8086 ? in->reg & 3 : in->reg;
}

int op_mov_Ew_Sw(struct cpu *c, const struct insn *in)
{
    uint32_t sel = c->seg[sreg_of_modrm(c, in)].sel;
    if (!in->is_mem) {
        /* A register destination gets the selector zero-extended to the operand size. */
        reg_set(c, in->rm, in->opsize, sel);
        return 0;
    }
    return e_write(c, in, 2, sel);
}

int op_mov_Sw_Ew(struct cpu *c, const struct insn *in)
{
    uint32_t v;
    int seg = sreg_of_modrm(c, in);
    TRY(e_read(c, in, 2, &v));
    if (seg == SEG_CS) {
        cpu_load_seg_real(c, SEG_CS, (uint16_t)v); /* 8086 MOV CS */
        return 0;
    }
    return seg_load(c, seg, (uint16_t)v);
}

int op_load_far_ptr(struct cpu *c, const struct insn *in)
{
    int seg;
    switch (in->opcode) {
    case 0xc4: seg = SEG_ES; break;
    case 0xc5: seg = SEG_DS; break;
    case 0xb2: seg = SEG_SS; break;
    case 0xb4: seg = SEG_FS; break;
    default: seg = SEG_GS; break;
    }
    uint32_t ea = ea_offset(c, in), off, sel;
    uint32_t ea_sel = ea + (uint32_t)in->opsize;
    if (in->addrsize == 2)
        ea_sel &= 0xffff;
    TRY(mem_read(c, in->seg, ea, in->opsize, &off));
    TRY(mem_read(c, in->seg, ea_sel, 2, &sel));
    TRY(seg_load(c, seg, (uint16_t)sel));
    reg_set(c, in->reg, in->opsize, off);
    return 0;
}
