/* SPDX-License-Identifier: MIT */
/*
 * Segment registers: loads in real, V86 and protected mode (descriptor
 * fetch, type/privilege/presence checks, accessed bit), far jumps' CS load,
 * PUSH/POP Sreg, MOV to/from Sreg, and LDS/LES/LSS/LFS/LGS. Gates, TSS and
 * privilege-changing transfers belong to the system-architecture work.
 * Spec: Intel SDM Vol. 3A 3.4 (selectors, descriptors), 5.5-5.8 (checks).
 */
#include "common/log.h"
#include "cpu/ops.h"

/* Read the descriptor that 'sel' names from the GDT or LDT. */
static int read_descriptor(struct cpu *c, uint16_t sel, uint32_t *lo, uint32_t *hi,
                           uint32_t *addr)
{
    bool ldt = sel & 4;
    uint32_t base = ldt ? c->ldtr.base : c->gdtr.base;
    uint32_t limit = ldt ? c->ldtr.limit : c->gdtr.limit;
    uint32_t idx = sel & 0xfff8u;
    if ((ldt && !(c->ldtr.attr & SEG_ATTR_P)) || idx + 7 > limit)
        return cpu_fault_err(c, EXC_GP, sel & 0xfffc);
    *addr = base + idx;
    TRY(lin_read(c, *addr, 4, lo));
    return lin_read(c, *addr + 4, 4, hi);
}

static void descriptor_to_cache(uint16_t sel, uint32_t lo, uint32_t hi, struct seg_cache *s)
{
    s->sel = sel;
    s->base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000u);
    s->limit = (lo & 0xffff) | (hi & 0xf0000);
    if (hi & (1u << 23))
        s->limit = (s->limit << 12) | 0xfff;
    s->attr = (uint16_t)((hi >> 8) & 0xf0ff);
}

/* Set the accessed bit in memory as the processor does on a load. */
static int mark_accessed(struct cpu *c, uint32_t addr, uint32_t hi)
{
    if (hi & 0x100)
        return 0;
    return lin_write(c, addr + 4, 4, hi | 0x100);
}

static int seg_load_prot(struct cpu *c, int seg, uint16_t sel)
{
    unsigned rpl = sel & 3;
    uint16_t err = sel & 0xfffc;
    if (!(sel & 0xfffc)) {
        if (seg == SEG_SS)
            return cpu_fault_err(c, EXC_GP, 0);
        c->seg[seg] = (struct seg_cache){.sel = sel};
        return 0;
    }
    uint32_t lo, hi, addr;
    TRY(read_descriptor(c, sel, &lo, &hi, &addr));
    unsigned type = (hi >> 8) & 0x1f, dpl = (hi >> 13) & 3;
    bool data = (type & 0x18) == 0x10, code = (type & 0x18) == 0x18;
    if (seg == SEG_SS) {
        if (rpl != c->cpl || !data || !(type & 2) || dpl != c->cpl)
            return cpu_fault_err(c, EXC_GP, err);
        if (!(hi & 0x8000))
            return cpu_fault_err(c, EXC_SS, err);
    } else {
        bool readable = data || (code && (type & 2));
        bool conforming = code && (type & 4);
        if (!readable || (!conforming && (dpl < c->cpl || dpl < rpl)))
            return cpu_fault_err(c, EXC_GP, err);
        if (!(hi & 0x8000))
            return cpu_fault_err(c, EXC_NP, err);
    }
    TRY(mark_accessed(c, addr, hi));
    descriptor_to_cache(sel, lo, hi | 0x100, &c->seg[seg]);
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
        return cpu_fault_err(c, EXC_UD, 0);
    return seg_load_prot(c, seg, sel);
}

int jump_far(struct cpu *c, uint16_t sel, uint32_t off, int opsize)
{
    if (opsize == 2)
        off &= 0xffff;
    if (!cpu_pmode(c)) {
        if (!c->model->offset_wraps && off > 0xffff && !(c->cr[0] & CR0_PE))
            return cpu_fault_err(c, EXC_GP, 0);
        cpu_load_seg_real(c, SEG_CS, sel);
        c->next_eip = off;
        return 0;
    }
    uint16_t err = sel & 0xfffc;
    if (!err)
        return cpu_fault_err(c, EXC_GP, 0);
    uint32_t lo, hi, addr;
    TRY(read_descriptor(c, sel, &lo, &hi, &addr));
    unsigned type = (hi >> 8) & 0x1f, dpl = (hi >> 13) & 3, rpl = sel & 3;
    if ((type & 0x18) != 0x18) {
        log_msg(LOG_STUB, "cpu", "far transfers through gates and TSS are not modelled yet");
        return cpu_fault_err(c, EXC_GP, err);
    }
    bool conforming = type & 4;
    if (conforming ? dpl > c->cpl : (rpl > c->cpl || dpl != c->cpl))
        return cpu_fault_err(c, EXC_GP, err);
    if (!(hi & 0x8000))
        return cpu_fault_err(c, EXC_NP, err);
    struct seg_cache cs;
    descriptor_to_cache((uint16_t)((sel & 0xfffc) | c->cpl), lo, hi | 0x100, &cs);
    if (off > cs.limit)
        return cpu_fault_err(c, EXC_GP, 0);
    TRY(mark_accessed(c, addr, hi));
    c->seg[SEG_CS] = cs;
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
