/* SPDX-License-Identifier: MIT */
/*
 * Port I/O: IN/OUT and the privilege check shared with INS/OUTS. The port
 * access itself goes to the machine through struct cpu_bus.
 * Spec: Intel SDM Vol. 1 ch. 18 (I/O), 18.5.2 (I/O permission bit map);
 * Vol. 3A 17.2.4 (I/O breakpoints).
 */
#include "common/log.h"
#include "cpu/debug.h"
#include "cpu/ops.h"

/* CPL > IOPL in protected mode, or V86 mode, consults the TSS I/O bitmap. */
static int io_allowed(struct cpu *c, uint16_t port, int size)
{
    bool checked = ((c->cr[0] & CR0_PE) && c->cpl > ((c->eflags >> 12) & 3)) ||
                   (c->eflags & FL_VM);
    if (!checked)
        return 0;
    /* The bitmap lives in a 32-bit TSS (type 9 or 11). */
    if ((c->tr.attr & 0x0d) != 0x09 || c->tr.limit < 0x67)
        return cpu_fault_err(c, EXC_GP, 0);
    uint32_t map_base;
    TRY(lin_read(c, c->tr.base + 0x66, 2, &map_base));
    uint32_t byte = map_base + port / 8;
    if (byte + 1 > c->tr.limit)
        return cpu_fault_err(c, EXC_GP, 0);
    uint32_t bits;
    TRY(lin_read(c, c->tr.base + byte, 2, &bits));
    if ((bits >> (port & 7)) & ((1u << size) - 1))
        return cpu_fault_err(c, EXC_GP, 0);
    return 0;
}

int io_read(struct cpu *c, uint16_t port, int size, uint32_t *v)
{
    TRY(io_allowed(c, port, size));
    if (KILN_UNLIKELY(c->dbg.io_armed))
        debug_note_io(c, port, size);
    *v = c->bus.io_read ? c->bus.io_read(c->bus.ctx, port, size) & size_mask(size)
                        : size_mask(size);
    return 0;
}

int io_write(struct cpu *c, uint16_t port, int size, uint32_t v)
{
    TRY(io_allowed(c, port, size));
    if (KILN_UNLIKELY(c->dbg.io_armed))
        debug_note_io(c, port, size);
    if (c->bus.io_write)
        c->bus.io_write(c->bus.ctx, port, size, v & size_mask(size));
    return 0;
}

/* The port comes from imm8 (E4-E7) or DX (EC-EF). */
static uint16_t port_of(const struct cpu *c, const struct insn *in)
{
    return (in->opcode & 0x08) ? (uint16_t)c->r[R_EDX] : (uint16_t)(in->imm & 0xff);
}

int op_in(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t v;
    TRY(io_read(c, port_of(c, in), size, &v));
    reg_set(c, R_EAX, size, v);
    return 0;
}

int op_out(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    return io_write(c, port_of(c, in), size, reg_get(c, R_EAX, size));
}
