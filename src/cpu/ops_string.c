/* SPDX-License-Identifier: MIT */
/*
 * String instructions MOVS CMPS STOS LODS SCAS INS OUTS with REP, REPE and
 * REPNE in both directions. Each iteration commits its register updates so
 * that a fault mid-way leaves the registers of the faulting iteration, and a
 * long REP yields after a bounded number of iterations (rep_active) so that
 * interrupts are taken between iterations, as on the hardware.
 * Spec: Intel SDM Vol. 2 (MOVS, CMPS, ..., REP/REPE/REPNE).
 */
#include "cpu/interp.h"
#include "cpu/ops.h"

/* Iterations one step runs before yielding to the dispatcher. */
#define STRING_CHUNK 4096

enum str_kind { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS, STR_OUTS };

static int src_seg(const struct insn *in)
{
    return in->seg_ovr != SEG_NONE ? in->seg_ovr : SEG_DS;
}

/* One iteration; sets *cmp_zf for CMPS/SCAS. */
static int string_once(struct cpu *c, const struct insn *in, enum str_kind kind, int size,
                       int32_t step)
{
    int as = in->addrsize;
    uint32_t si = addr_reg_get(c, R_ESI, as), di = addr_reg_get(c, R_EDI, as);
    uint32_t a, b;
    switch (kind) {
    case STR_MOVS:
        TRY(mem_read(c, src_seg(in), si, size, &a));
        TRY(mem_write(c, SEG_ES, di, size, a));
        break;
    case STR_CMPS:
        TRY(mem_read(c, src_seg(in), si, size, &a));
        TRY(mem_read(c, SEG_ES, di, size, &b));
        flags_lazy(c, LF_SUB, size, a, b, (a - b) & size_mask(size));
        break;
    case STR_STOS: TRY(mem_write(c, SEG_ES, di, size, reg_get(c, R_EAX, size))); break;
    case STR_LODS:
        TRY(mem_read(c, src_seg(in), si, size, &a));
        reg_set(c, R_EAX, size, a);
        break;
    case STR_SCAS:
        TRY(mem_read(c, SEG_ES, di, size, &b));
        a = reg_get(c, R_EAX, size);
        flags_lazy(c, LF_SUB, size, a, b, (a - b) & size_mask(size));
        break;
    case STR_INS:
        TRY(mem_probe_write(c, SEG_ES, di, size));
        TRY(io_read(c, (uint16_t)c->r[R_EDX], size, &a));
        TRY(mem_write(c, SEG_ES, di, size, a));
        break;
    case STR_OUTS:
        TRY(mem_read(c, src_seg(in), si, size, &a));
        TRY(io_write(c, (uint16_t)c->r[R_EDX], size, a));
        break;
    }
    if (kind == STR_MOVS || kind == STR_CMPS || kind == STR_LODS || kind == STR_OUTS)
        addr_reg_set(c, R_ESI, as, si + (uint32_t)step);
    if (kind != STR_LODS && kind != STR_OUTS)
        addr_reg_set(c, R_EDI, as, di + (uint32_t)step);
    return 0;
}

static int string_op(struct cpu *c, const struct insn *in, enum str_kind kind)
{
    int size = insn_width(in), as = in->addrsize;
    int32_t step = (c->eflags & FL_DF) ? -size : size;
    c->rep_active = 0;
    if (in->rep == REP_NONE)
        return string_once(c, in, kind, size, step);
    bool conditional = kind == STR_CMPS || kind == STR_SCAS;
    for (int n = 0; n < STRING_CHUNK; n++) {
        uint32_t count = addr_reg_get(c, R_ECX, as);
        if (!count)
            return 0;
        TRY(string_once(c, in, kind, size, step));
        addr_reg_set(c, R_ECX, as, count - 1);
        interp_commit(c);
        if (conditional) {
            bool zf = flags_get(c) & FL_ZF;
            if ((in->rep == REP_E && !zf) || (in->rep == REP_NE && zf))
                return 0;
        }
    }
    if (addr_reg_get(c, R_ECX, as)) {
        /* Yield: the instruction restarts where it stopped. */
        c->rep_active = 1;
        c->next_eip = c->insn_eip;
    }
    return 0;
}

int op_movs(struct cpu *c, const struct insn *in)
{
    return string_op(c, in, STR_MOVS);
}

int op_cmps(struct cpu *c, const struct insn *in)
{
    return string_op(c, in, STR_CMPS);
}

int op_stos(struct cpu *c, const struct insn *in)
{
    return string_op(c, in, STR_STOS);
}

int op_lods(struct cpu *c, const struct insn *in)
{
    return string_op(c, in, STR_LODS);
}

int op_scas(struct cpu *c, const struct insn *in)
{
    return string_op(c, in, STR_SCAS);
}

int op_ins(struct cpu *c, const struct insn *in)
{
    return string_op(c, in, STR_INS);
}

int op_outs(struct cpu *c, const struct insn *in)
{
    return string_op(c, in, STR_OUTS);
}
