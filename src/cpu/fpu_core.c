/* SPDX-License-Identifier: MIT */
/*
 * The guest-visible bookkeeping of the x87: the register stack and its tags,
 * exception flagging (ES, B, FERR#), stack faults, FNINIT, the instruction
 * and data pointers, and the pending-exception check that precedes every
 * waiting instruction (#MF or the MS-DOS-compatible FERR# freeze). No
 * arithmetic here: that is fpu_host.c's.
 * Spec: Intel SDM Vol. 1 8.1 (state), 8.5.1.1 (stack faults), 8.7 (#MF and
 * FERR#), appendix D; Vol. 3A 22.18.6 (FERR#, IGNNE#).
 */
#include "cpu/fpu.h"

#include "cpu/ops.h"

int fpu_tag_of(struct fpu_reg r)
{
    unsigned exp = r.sexp & 0x7fff;
    if (exp == 0)
        return r.mant == 0 ? FPU_TAG_ZERO : FPU_TAG_SPECIAL; /* denormals, pseudo-denormals */
    if (exp == 0x7fff)
        return FPU_TAG_SPECIAL; /* infinities, NaNs and their pseudo forms */
    /* An unnormal (integer bit clear) is an unsupported format: special. */
    return (r.mant >> 63) ? FPU_TAG_VALID : FPU_TAG_SPECIAL;
}

void fpu_set_tag(struct fpu *f, int phys, int tag)
{
    f->tw = (uint16_t)((f->tw & ~(3u << (2 * phys))) | ((unsigned)tag << (2 * phys)));
}

void fpu_write(struct fpu *f, int i, struct fpu_reg v)
{
    int p = fpu_phys(f, i);
    f->reg[p] = v;
    fpu_set_tag(f, p, fpu_tag_of(v));
}

void fpu_push(struct fpu *f, struct fpu_reg v)
{
    fpu_set_top(f, fpu_top(f) - 1);
    fpu_write(f, 0, v);
}

void fpu_pop(struct fpu *f)
{
    fpu_set_tag(f, fpu_top(f), FPU_TAG_EMPTY);
    fpu_set_top(f, fpu_top(f) + 1);
}

uint16_t fpu_tag_word(const struct fpu *f)
{
    uint16_t tw = 0;
    for (int p = 0; p < 8; p++) {
        int tag = fpu_tag(f, p) == FPU_TAG_EMPTY ? FPU_TAG_EMPTY : fpu_tag_of(f->reg[p]);
        tw |= (uint16_t)(tag << (2 * p));
    }
    return tw;
}

void fpu_load_tag_word(struct fpu *f, uint16_t tw)
{
    for (int p = 0; p < 8; p++) {
        bool empty = ((tw >> (2 * p)) & 3) == FPU_TAG_EMPTY;
        fpu_set_tag(f, p, empty ? FPU_TAG_EMPTY : fpu_tag_of(f->reg[p]));
    }
}

/* ES (and B, its 8087-era alias) is not stored state on the 387 and later:
 * it always reads as "some flag is set whose mask is clear". So FLDCW or
 * FLDENV that unmasks a set flag makes an exception pending, and masking it
 * again withdraws it. */
void fpu_update_es(struct fpu *f)
{
    bool es = f->sw & ~f->cw & FPU_SW_EXC;
    f->sw = (uint16_t)(es ? f->sw | FPU_SW_ES | FPU_SW_B : f->sw & ~(FPU_SW_ES | FPU_SW_B));
    f->ferr = es;
}

unsigned fpu_raise(struct fpu *f, unsigned exc)
{
    f->sw |= (uint16_t)(exc & (FPU_SW_EXC | FPU_SW_SF));
    fpu_update_es(f);
    return exc & FPU_SW_EXC & ~f->cw;
}

bool fpu_underflow(struct fpu *f)
{
    f->sw &= (uint16_t)~FPU_SW_C1;
    return !fpu_raise(f, FPU_SW_IE | FPU_SW_SF);
}

bool fpu_overflow(struct fpu *f)
{
    f->sw |= FPU_SW_C1;
    return !fpu_raise(f, FPU_SW_IE | FPU_SW_SF);
}

bool fpu_push_checked(struct fpu *f, struct fpu_reg v)
{
    if (!fpu_empty(f, 7)) {
        if (!fpu_overflow(f))
            return false;
        v = fpu_indefinite();
    } else {
        f->sw &= (uint16_t)~FPU_SW_C1;
    }
    fpu_push(f, v);
    return true;
}

unsigned fpu_compute(struct fpu *f, enum fpu_host_op op, struct fpu_host_job *j)
{
    j->cw = f->cw;
    j->sw = f->sw;
    unsigned defined = fpu_host_fast_cc(op);
    if (defined && (f->cw & FPU_SW_EXC) == FPU_SW_EXC) {
        fpu_host_run_fast(j, op, f->sw & FPU_SW_EXC);
        fpu_set_cc(f, (f->sw & ~defined) | (j->sw & defined));
    } else {
        fpu_host_run(j, op);
        fpu_set_cc(f, j->sw);
    }
    return fpu_raise(f, j->sw & FPU_SW_EXC);
}

void fpu_init_state(struct fpu *f)
{
    f->cw = FPU_CW_INIT;
    f->sw = 0;
    f->tw = 0xffff;
    f->fop = 0;
    f->fip = f->fdp = 0;
    f->fcs = f->fds = 0;
    f->ferr = 0;
}

void fpu_note_insn(struct cpu *c, const struct insn *in)
{
    struct fpu *f = &c->fpu;
    /* The pointer names the first prefix byte (SDM Vol. 3A 22.18.6.5). */
    f->fip = c->insn_eip;
    f->fcs = c->seg[SEG_CS].sel;
    f->fop = (uint16_t)(((in->opcode & 7) << 8) | in->modrm);
    if (in->is_mem) {
        f->fdp = ea_offset(c, in);
        f->fds = c->seg[in->seg].sel;
    }
}

int fpu_check_pending(struct cpu *c)
{
    struct fpu *f = &c->fpu;
    if (!(f->sw & FPU_SW_ES))
        return 0;
    if (c->cr[0] & CR0_NE)
        return cpu_fault(c, EXC_MF);
    if (c->fpu.ignne)
        return 0;
    /* MS-DOS compatibility: freeze before the instruction until an
     * interrupt (the PC routes FERR# to IRQ13) - SDM Vol. 1 D.2.1.1. The
     * instruction runs again after the handler returns. */
    f->ferr = 1;
    c->next_eip = c->insn_eip;
    c->halted = 1;
    return FPU_STALLED;
}
