/* SPDX-License-Identifier: MIT */
/*
 * The coprocessor entry points: ESC on FPU-less models (8086, 286), WAIT,
 * FXSAVE/FXRSTOR, and op_x87, which makes the checks every x87 instruction
 * shares - #NM from CR0.EM/TS, the pending-exception check of waiting
 * instructions (#MF or the FERR# freeze) - dispatches by escape byte to
 * ops_x87_*.c and records the instruction and data pointers afterwards.
 * Must not do arithmetic itself. Spec: Intel SDM Vol. 3A 2.5 (CR0.EM/MP/
 * TS/NE), table 12-8; Vol. 1 8.3.11-8.3.12 (control and non-waiting
 * instructions), 8.1.8 (last instruction pointers).
 */
#include "common/log.h"
#include "cpu/decode.h"
#include "cpu/fpu.h"
#include "cpu/interp.h"
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

/* WAIT/FWAIT: #NM only when both MP and TS are set; then the pending check. */
int op_wait(struct cpu *c, const struct insn *in)
{
    (void)in;
    if ((c->cr[0] & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
        return cpu_fault(c, EXC_NM);
    if (c->model->gen < CPU_386)
        return 0; /* no coprocessor to wait for */
    int rc = fpu_check_pending(c);
    return rc == FPU_STALLED ? 0 : rc;
}

/* The non-waiting forms: FNSTENV, FNSTCW (D9 /6 /7), FNSAVE, FNSTSW m16
 * (DD /6 /7), FNSTSW AX (DF E0) and DB E0-E4 (FNENI, FNDISI, FNCLEX,
 * FNINIT, FNSETPM). They run even with an exception pending. */
static bool x87_nowait(const struct insn *in)
{
    if (in->is_mem)
        return (in->opcode == 0xd9 || in->opcode == 0xdd) && in->reg >= 6;
    return (in->opcode == 0xdb && in->reg == 4) || (in->opcode == 0xdf && in->modrm == 0xe0);
}

/* Control instructions leave FIP, FCS, FOP, FDP and FDS alone: the no-wait
 * forms, FLDCW, FLDENV and FRSTOR (the host shows the same). FNOP, FFREE,
 * FINCSTP and FDECSTP do record themselves. */
static bool x87_control(const struct insn *in)
{
    if (x87_nowait(in))
        return true;
    return in->is_mem && (in->opcode == 0xd9 || in->opcode == 0xdd) && (in->reg == 4 || in->reg == 5);
}

int op_x87(struct cpu *c, const struct insn *in)
{
    if (c->cr[0] & (CR0_EM | CR0_TS))
        return cpu_fault(c, EXC_NM);
    if (!fpu_host_available()) {
        log_msg(LOG_STUB, "cpu", "x87 instruction %s at %04x:%08x: no x87 kernel on this host",
                insn_mnemonic(in), c->seg[SEG_CS].sel, c->insn_eip);
        return cpu_fault(c, EXC_UD);
    }
    if (!x87_nowait(in)) {
        int rc = fpu_check_pending(c);
        if (rc == FPU_STALLED)
            return 0;
        TRY(rc);
    }
    switch (in->opcode) {
    case 0xd8: case 0xda: case 0xdc: case 0xde: TRY(x87_arith(c, in)); break;
    default: TRY(in->is_mem ? x87_load_store(c, in) : x87_reg_misc(c, in)); break;
    }
    if (!x87_control(in))
        fpu_note_insn(c, in);
    return 0;
}

bool x87_direct_form(const struct insn *in)
{
    return in->opcode >= 0xd8 && in->opcode <= 0xdf && in->map == 0 && !x87_control(in);
}

/* x87 handlers read every operand before they change anything, so a fault
 * leaves the state as it was and the interpreter can run the instruction
 * again to deliver it (docs/x87.md). */
bool x87_direct(struct cpu *c, const struct insn *in, uint32_t eip)
{
    if ((c->cr[0] & (CR0_EM | CR0_TS)) || (c->fpu.sw & FPU_SW_ES) || !fpu_host_available())
        return false;
    c->insn_eip = eip;
    return op_x87(c, in) == 0;
}

int op_fxsave(struct cpu *c, const struct insn *in)
{
    if (c->cr[0] & CR0_EM)
        return cpu_fault(c, EXC_UD);
    if (c->cr[0] & CR0_TS)
        return cpu_fault(c, EXC_NM);
    return x87_fxsave(c, in);
}
