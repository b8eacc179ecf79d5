/* SPDX-License-Identifier: MIT */
/*
 * Operand access for the semantics: ModRM effective addresses, register or
 * memory operands, and the stack. The only place that turns an insn's
 * addressing fields into memory accesses.
 * Spec: Intel SDM Vol. 2A 2.1.5 (addressing forms), Vol. 1 6.2 (stack).
 */
#include "cpu/ops.h"

uint32_t sp_get(const struct cpu *c)
{
    return cpu_stack_size(c) == 4 ? c->r[R_ESP] : c->r[R_ESP] & 0xffff;
}

void sp_set(struct cpu *c, uint32_t v)
{
    reg_set(c, R_ESP, cpu_stack_size(c), v);
}

static uint32_t sp_wrap(const struct cpu *c, uint32_t v)
{
    return cpu_stack_size(c) == 4 ? v : v & 0xffff;
}

int stack_push(struct cpu *c, int size, uint32_t v)
{
    uint32_t sp = sp_wrap(c, sp_get(c) - (uint32_t)size);
    TRY(mem_write(c, SEG_SS, sp, size, v));
    sp_set(c, sp);
    return 0;
}

int stack_pop(struct cpu *c, int size, uint32_t *v)
{
    uint32_t sp = sp_get(c);
    TRY(mem_read(c, SEG_SS, sp, size, v));
    sp_set(c, sp_wrap(c, sp + (uint32_t)size));
    return 0;
}

int stack_peek(struct cpu *c, int size, int index, uint32_t *v)
{
    return mem_read(c, SEG_SS, sp_wrap(c, sp_get(c) + (uint32_t)(index * size)), size, v);
}

int stack_push_n(struct cpu *c, int size, const uint32_t *vals, int n)
{
    uint32_t sp = sp_get(c);
    for (int i = 1; i <= n; i++)
        TRY(mem_probe_write(c, SEG_SS, sp_wrap(c, sp - (uint32_t)(i * size)), size));
    for (int i = 0; i < n; i++)
        TRY(stack_push(c, size, vals[i]));
    return 0;
}
