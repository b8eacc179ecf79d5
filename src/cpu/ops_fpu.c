/* SPDX-License-Identifier: MIT */
/*
 * Coprocessor escapes until the x87/MMX unit is built: ESC on FPU-less
 * models (8086, 286), WAIT, and the device-not-available checks (#NM, #UD)
 * that precede any x87, MMX or FXSAVE instruction. The arithmetic itself is
 * the system-architecture issue's; until then such instructions are logged
 * as unimplemented and raise #UD.
 * Spec: Intel SDM Vol. 3A 2.5 (CR0.EM/MP/TS), table 12-8 (EM/MP/TS actions).
 */
#include "common/log.h"
#include "cpu/decode.h"
#include "cpu/ops.h"

/* 8086/286 without a coprocessor: the escape reads nothing back and does
 * nothing; with MSW.EM set, the 286 raises #NM. */
int op_esc(struct cpu *c, const struct insn *in)
{
    if (c->model->gen != CPU_286)
        return 0;
    if (c->cr[0] & (CR0_EM | CR0_TS))
        return cpu_fault(c, EXC_NM);
    /* The 286 starts the operand transfer itself: a first word past the limit faults. */
    if (in->is_mem) {
        uint32_t lin;
        TRY(seg_linear(c, in->seg, ea_offset(c, in), 2, ACC_READ, &lin));
    }
    return 0;
}

int op_wait(struct cpu *c, const struct insn *in)
{
    (void)in;
    if ((c->cr[0] & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
        return cpu_fault(c, EXC_NM);
    return 0;
}

static int unimplemented(struct cpu *c, const struct insn *in, const char *what)
{
    log_msg(LOG_STUB, "cpu", "%s instruction %s at %04x:%08x is not modelled yet", what,
            insn_mnemonic(in), c->seg[SEG_CS].sel, c->insn_eip);
    return cpu_fault(c, EXC_UD);
}

int op_x87(struct cpu *c, const struct insn *in)
{
    if (c->cr[0] & (CR0_EM | CR0_TS))
        return cpu_fault(c, EXC_NM);
    return unimplemented(c, in, "x87");
}

int op_mmx(struct cpu *c, const struct insn *in)
{
    if (c->cr[0] & CR0_EM)
        return cpu_fault(c, EXC_UD);
    if (c->cr[0] & CR0_TS)
        return cpu_fault(c, EXC_NM);
    return unimplemented(c, in, "MMX");
}

int op_fxsave(struct cpu *c, const struct insn *in)
{
    if (c->cr[0] & CR0_EM)
        return cpu_fault(c, EXC_UD);
    if (c->cr[0] & CR0_TS)
        return cpu_fault(c, EXC_NM);
    return unimplemented(c, in, "FXSAVE/FXRSTOR");
}
