/* SPDX-License-Identifier: MIT */
/*
 * Stack instructions: PUSH/POP of registers, immediates and memory,
 * PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE. The 8086 pushes the decremented SP
 * for PUSH SP; later CPUs push the old value (model table).
 * Spec: Intel SDM Vol. 2 (PUSH, POP, PUSHA, POPA, PUSHF, POPF, ENTER, LEAVE).
 */
#include "cpu/interp.h"
#include "cpu/ops.h"

int op_push_Zv(struct cpu *c, const struct insn *in)
{
    int r = in->opcode & 7, size = in->opsize;
    uint32_t v = reg_get(c, r, size);
    if (r == R_ESP && c->model->push_sp_new)
        v = (v - (uint32_t)size) & size_mask(size);
    return stack_push(c, size, v);
}

int op_pop_Zv(struct cpu *c, const struct insn *in)
{
    uint32_t v;
    TRY(stack_pop(c, in->opsize, &v));
    reg_set(c, in->opcode & 7, in->opsize, v); /* POP SP: the popped value wins */
    return 0;
}

int op_push_Iz(struct cpu *c, const struct insn *in)
{
    return stack_push(c, in->opsize, in->imm);
}

int op_push_Ib(struct cpu *c, const struct insn *in)
{
    return stack_push(c, in->opsize, sext(in->imm, 1));
}

int op_push_Ev(struct cpu *c, const struct insn *in)
{
    uint32_t v;
    TRY(e_read(c, in, in->opsize, &v));
    if (!in->is_mem && in->rm == R_ESP && c->model->push_sp_new)
        v = (v - (uint32_t)in->opsize) & size_mask(in->opsize);
    return stack_push(c, in->opsize, v);
}

/* POP Ev computes a memory address after incrementing SP (SDM, POP). */
int op_pop_Ev(struct cpu *c, const struct insn *in)
{
    uint32_t v;
    TRY(stack_pop(c, in->opsize, &v));
    int rc = e_write(c, in, in->opsize, v);
    if (rc && c->model->fault_keeps_steps)
        interp_commit(c); /* the 286 keeps the SP increment of a faulting POP m16 */
    return rc;
}

int op_pusha(struct cpu *c, const struct insn *in)
{
    int size = in->opsize;
    uint32_t vals[8];
    for (int r = 0; r < 8; r++)
        vals[r] = reg_get(c, r, size);
    return stack_push_n(c, size, vals, 8);
}

int op_popa(struct cpu *c, const struct insn *in)
{
    int size = in->opsize;
    uint32_t vals[8];
    for (int i = 0; i < 8; i++)
        TRY(stack_peek(c, size, i, &vals[i]));
    for (int i = 0; i < 8; i++) {
        int r = 7 - i;
        if (r != R_ESP)
            reg_set(c, r, size, vals[i]);
    }
    sp_set(c, sp_get(c) + (uint32_t)(8 * size));
    if (cpu_stack_size(c) == 2)
        sp_set(c, sp_get(c) & 0xffff);
    return 0;
}

int op_pushf(struct cpu *c, const struct insn *in)
{
    if ((c->eflags & FL_VM) && ((c->eflags >> 12) & 3) < 3)
        return cpu_fault_err(c, EXC_GP, 0);
    return stack_push(c, in->opsize, eflags_for_push(c));
}

int op_popf(struct cpu *c, const struct insn *in)
{
    if ((c->eflags & FL_VM) && ((c->eflags >> 12) & 3) < 3)
        return cpu_fault_err(c, EXC_GP, 0);
    uint32_t v;
    TRY(stack_pop(c, in->opsize, &v));
    eflags_write(c, v, in->opsize);
    return 0;
}

int op_enter(struct cpu *c, const struct insn *in)
{
    int size = in->opsize, ss = cpu_stack_size(c);
    uint32_t alloc = in->imm & 0xffff;
    unsigned level = in->imm2 & 31;
    uint32_t smask = size_mask(ss);
    uint32_t bp = reg_get(c, R_EBP, ss);
    uint32_t sp = sp_get(c);
    uint32_t frame = (sp - (uint32_t)size) & smask;
    /* Copy the enclosing frame pointers, then push the new frame pointer. */
    uint32_t vals[33];
    int n = 0;
    vals[n++] = reg_get(c, R_EBP, size);
    for (unsigned i = 1; i < level; i++) {
        bp = (bp - (uint32_t)size) & smask;
        TRY(mem_read(c, SEG_SS, bp, size, &vals[n]));
        n++;
    }
    if (level > 0)
        vals[n++] = frame;
    TRY(stack_push_n(c, size, vals, n));
    uint32_t new_sp = (sp_get(c) - alloc) & smask;
    /* The final stack top must be writable (#SS otherwise) on 386 and later. */
    if (c->model->gen >= CPU_386 && alloc)
        TRY(mem_probe_write(c, SEG_SS, new_sp, 1));
    reg_set(c, R_EBP, size, frame);
    sp_set(c, new_sp);
    return 0;
}

int op_leave(struct cpu *c, const struct insn *in)
{
    int ss = cpu_stack_size(c);
    uint32_t bp = reg_get(c, R_EBP, ss), v;
    TRY(mem_read(c, SEG_SS, bp, in->opsize, &v));
    sp_set(c, (bp + (uint32_t)in->opsize) & size_mask(ss));
    reg_set(c, R_EBP, in->opsize, v);
    return 0;
}
