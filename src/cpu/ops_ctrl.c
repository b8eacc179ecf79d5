/* SPDX-License-Identifier: MIT */
/*
 * Control transfer: Jcc, JMP and CALL (near and far), LOOP/JCXZ, INT n,
 * INT3, INTO, INT1 and BOUND. Far targets are resolved by far_transfer
 * (ops_seg.c); returns are in ops_ret.c.
 * Spec: Intel SDM Vol. 2 (Jcc, JMP, CALL, LOOP, INT n, BOUND).
 */
#include "cpu/ops.h"

int jump_near(struct cpu *c, uint32_t target, int opsize)
{
    if (opsize == 2)
        target &= 0xffff;
    if (!c->model->offset_wraps && target > c->seg[SEG_CS].limit)
        return cpu_fault_err(c, EXC_GP, 0);
    c->next_eip = target;
    return 0;
}

static KILN_ALWAYS_INLINE int jcc(struct cpu *c, const struct insn *in, int cc, int opsize)
{
    if (!flags_test(c, cc))
        return 0;
    return jump_near(c, c->next_eip + in->imm, opsize);
}

int op_jcc(struct cpu *c, const struct insn *in)
{
    return jcc(c, in, in->opcode & 0xf, in->opsize);
}

/* forms.def: one Jcc handler per condition (the short and near forms). */
#define JCC_FORM(id, stem, cc) FORMS32_REG(j##stem, jcc(c, in, cc, 4))
CONDITIONS(JCC_FORM)
#undef JCC_FORM

int op_jmp_Jz(struct cpu *c, const struct insn *in)
{
    return jump_near(c, c->next_eip + in->imm, in->opsize);
}

int op_jmp_Ev(struct cpu *c, const struct insn *in)
{
    uint32_t t;
    TRY(e_read(c, in, in->opsize, &t));
    return jump_near(c, t, in->opsize);
}

/* Read a far pointer (offset, then selector) from the ModRM memory operand. */
static int read_far_ptr(struct cpu *c, const struct insn *in, uint32_t *off, uint32_t *sel)
{
    uint32_t ea = ea_offset(c, in);
    uint32_t ea_sel = ea + (uint32_t)in->opsize;
    if (in->addrsize == 2)
        ea_sel &= 0xffff;
    TRY(mem_read(c, in->seg, ea, in->opsize, off));
    return mem_read(c, in->seg, ea_sel, 2, sel);
}

int op_jmp_Ap(struct cpu *c, const struct insn *in)
{
    return far_transfer(c, (uint16_t)in->imm2, in->imm, in->opsize, false);
}

int op_jmp_Mp(struct cpu *c, const struct insn *in)
{
    uint32_t off, sel;
    TRY(read_far_ptr(c, in, &off, &sel));
    return far_transfer(c, (uint16_t)sel, off, in->opsize, false);
}

static int call_near(struct cpu *c, uint32_t target, int opsize)
{
    uint32_t ret = c->next_eip;
    TRY(jump_near(c, target, opsize));
    return stack_push(c, opsize, ret);
}

int op_call_Jz(struct cpu *c, const struct insn *in)
{
    return call_near(c, c->next_eip + in->imm, in->opsize);
}

int op_call_Ev(struct cpu *c, const struct insn *in)
{
    uint32_t t;
    TRY(e_read(c, in, in->opsize, &t));
    return call_near(c, t, in->opsize);
}

int op_call_Ap(struct cpu *c, const struct insn *in)
{
    return far_transfer(c, (uint16_t)in->imm2, in->imm, in->opsize, true);
}

int op_call_Mp(struct cpu *c, const struct insn *in)
{
    uint32_t off, sel;
    TRY(read_far_ptr(c, in, &off, &sel));
    return far_transfer(c, (uint16_t)sel, off, in->opsize, true);
}

int op_loop(struct cpu *c, const struct insn *in)
{
    int as = in->addrsize;
    uint32_t count = (addr_reg_get(c, R_ECX, as) - 1) & size_mask(as);
    addr_reg_set(c, R_ECX, as, count);
    bool take = count != 0;
    if (in->opcode == 0xe0)
        take = take && !(flags_get(c) & FL_ZF);
    else if (in->opcode == 0xe1)
        take = take && (flags_get(c) & FL_ZF);
    return take ? jump_near(c, c->next_eip + in->imm, in->opsize) : 0;
}

int op_jcxz(struct cpu *c, const struct insn *in)
{
    if (addr_reg_get(c, R_ECX, in->addrsize))
        return 0;
    return jump_near(c, c->next_eip + in->imm, in->opsize);
}

static int soft_int(struct cpu *c, int vector)
{
    return cpu_interrupt(c, vector, c->next_eip, false, 0, true);
}

/* Only INT n (CD ib) is IOPL-sensitive in V86 mode; INT3 (CC) and INTO go
 * to the IDT at any IOPL, subject to the gate's DPL (SDM Vol. 2, INT n:
 * "IF VM = 1 and IOPL < 3 AND INT n THEN #GP(0)"; Vol. 3A 20.2.7). */
int op_int3(struct cpu *c, const struct insn *in)
{
    (void)in;
    return soft_int(c, EXC_BP);
}

int op_int_Ib(struct cpu *c, const struct insn *in)
{
    if ((c->eflags & FL_VM) && ((c->eflags >> 12) & 3) < 3)
        return cpu_fault_err(c, EXC_GP, 0);
    return soft_int(c, (int)(in->imm & 0xff));
}

int op_into(struct cpu *c, const struct insn *in)
{
    (void)in;
    return (flags_get(c) & FL_OF) ? soft_int(c, EXC_OF) : 0;
}

/* INT1 (ICEBP) is delivered like a debug trap: no gate DPL check. */
int op_int1(struct cpu *c, const struct insn *in)
{
    (void)in;
    return cpu_interrupt(c, EXC_DB, c->next_eip, false, 0, false);
}

int op_bound(struct cpu *c, const struct insn *in)
{
    int size = in->opsize;
    uint32_t ea = ea_offset(c, in), lo, hi;
    uint32_t ea_hi = in->addrsize == 2 ? (ea + (uint32_t)size) & 0xffff : ea + (uint32_t)size;
    TRY(mem_read(c, in->seg, ea, size, &lo));
    TRY(mem_read(c, in->seg, ea_hi, size, &hi));
    int32_t idx = (int32_t)sext(reg_get(c, in->reg, size), size);
    if (idx < (int32_t)sext(lo, size) || idx > (int32_t)sext(hi, size))
        return cpu_fault(c, EXC_BR);
    return 0;
}
