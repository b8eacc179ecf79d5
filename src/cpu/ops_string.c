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
#include "cpu/string_fast.h"

/* Iterations one step runs before yielding to the dispatcher: ordinary
 * ones, and those of the REP MOVS/STOS fast path (string_fast.c). */
#define STRING_CHUNK      4096
#define STRING_FAST_CHUNK 65536

enum str_kind { STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS, STR_INS, STR_OUTS };

static int src_seg(const struct insn *in)
{
    return in->seg_ovr != SEG_NONE ? in->seg_ovr : SEG_DS;
}

/* Read from / write to the string pointer 'reg' and step it. Each pointer
 * steps right after its own access, which is what the 286 leaves behind
 * when that access faults (SingleStepTests 80286 captures). */
static int str_read(struct cpu *c, const struct insn *in, int seg, int reg, int size,
                    int32_t step, uint32_t *v)
{
    uint32_t p = addr_reg_get(c, reg, in->addrsize);
    int rc = mem_read(c, seg, p, size, v);
    addr_reg_set(c, reg, in->addrsize, p + (uint32_t)step);
    return rc;
}

static int str_write(struct cpu *c, const struct insn *in, int size, int32_t step, uint32_t v)
{
    uint32_t p = addr_reg_get(c, R_EDI, in->addrsize);
    int rc = mem_write(c, SEG_ES, p, size, v);
    addr_reg_set(c, R_EDI, in->addrsize, p + (uint32_t)step);
    return rc;
}

/*
 * How far the 286's REP loop has counted CX when an access of the iteration
 * faults (SingleStepTests 80286 captures): a read once, except CMPS's first
 * read (ES:DI), which comes before the count; a store twice, because stores
 * complete late and the loop has already counted the next iteration.
 */
enum { COUNTED_READ = 1, COUNTED_CMPS_FIRST = 0, COUNTED_STORE = 2 };

/* Fail with rc, recording how far the REP count had got. */
static int counted(int rc, int *count_out, int n)
{
    if (rc)
        *count_out = n;
    return rc;
}

/* One iteration; on a fault *cnt says how far a 286 had counted CX. */
static int string_once(struct cpu *c, const struct insn *in, enum str_kind kind, int size,
                       int32_t step, int *cnt)
{
    uint32_t a, b;
    const int rd = COUNTED_READ, st = COUNTED_STORE;
    switch (kind) {
    case STR_MOVS:
        TRY(counted(str_read(c, in, src_seg(in), R_ESI, size, step, &a), cnt, rd));
        return counted(str_write(c, in, size, step, a), cnt, st);
    case STR_CMPS:
        if (c->model->fault_keeps_steps) {
            /* The 286 reads ES:DI first; the order shows in which pointer a fault stepped. */
            TRY(counted(str_read(c, in, SEG_ES, R_EDI, size, step, &b), cnt, COUNTED_CMPS_FIRST));
            TRY(counted(str_read(c, in, src_seg(in), R_ESI, size, step, &a), cnt, rd));
        } else {
            TRY(str_read(c, in, src_seg(in), R_ESI, size, step, &a));
            TRY(str_read(c, in, SEG_ES, R_EDI, size, step, &b));
        }
        flags_lazy(c, LF_SUB, size, a, b, (a - b) & size_mask(size));
        return 0;
    case STR_STOS: return counted(str_write(c, in, size, step, reg_get(c, R_EAX, size)), cnt, st);
    case STR_LODS:
        TRY(counted(str_read(c, in, src_seg(in), R_ESI, size, step, &a), cnt, rd));
        reg_set(c, R_EAX, size, a);
        return 0;
    case STR_SCAS:
        TRY(counted(str_read(c, in, SEG_ES, R_EDI, size, step, &b), cnt, rd));
        a = reg_get(c, R_EAX, size);
        flags_lazy(c, LF_SUB, size, a, b, (a - b) & size_mask(size));
        return 0;
    case STR_INS:
        /* 386 on: no port read when the store would fault. The 286 reads, then faults. */
        if (!c->model->fault_keeps_steps)
            TRY(mem_probe_write(c, SEG_ES, addr_reg_get(c, R_EDI, in->addrsize), size));
        TRY(io_read(c, (uint16_t)c->r[R_EDX], size, &a));
        return counted(str_write(c, in, size, step, a), cnt, st);
    case STR_OUTS:
        TRY(counted(str_read(c, in, src_seg(in), R_ESI, size, step, &a), cnt, rd));
        return io_write(c, (uint16_t)c->r[R_EDX], size, a);
    }
    return 0;
}

/* A faulting iteration: the 286 keeps its pointer steps and REP count. */
static int iteration_fault(struct cpu *c, const struct insn *in, int cnt, int rc)
{
    if (c->model->fault_keeps_steps) {
        if (in->rep != REP_NONE) {
            uint32_t count = addr_reg_get(c, R_ECX, in->addrsize);
            for (int i = 0; i < cnt && (count & size_mask(in->addrsize)); i++)
                count--;
            addr_reg_set(c, R_ECX, in->addrsize, count);
        }
        interp_commit(c);
    }
    return rc;
}

/* REP MOVS/STOS with 32-bit addressing may take the fast path unless
 * something must see each iteration: single-step, data breakpoints,
 * alignment checks, or a model whose offsets wrap at 64 KiB. */
static bool fast_path_ok(const struct cpu *c, const struct insn *in, enum str_kind kind)
{
    if ((kind != STR_MOVS && kind != STR_STOS) || in->addrsize != 4 || (c->eflags & FL_TF))
        return false;
    if (c->dbg.data_armed || c->model->offset_wraps)
        return false;
    return !(c->cpl == 3 && (c->cr[0] & CR0_AM) && (c->eflags & FL_AC));
}

static int string_op(struct cpu *c, const struct insn *in, enum str_kind kind)
{
    int size = insn_width(in), as = in->addrsize;
    int32_t step = (c->eflags & FL_DF) ? -size : size;
    c->rep_active = 0;
    int rc, cnt = 0;
    if (in->rep == REP_NONE) {
        rc = string_once(c, in, kind, size, step, &cnt);
        return rc ? iteration_fault(c, in, cnt, rc) : 0;
    }
    bool conditional = kind == STR_CMPS || kind == STR_SCAS;
    /* Under single-step each iteration traps, returning to the REP prefix. */
    int chunk = (c->eflags & FL_TF) ? 1 : STRING_CHUNK;
    uint32_t fast = fast_path_ok(c, in, kind) ? STRING_FAST_CHUNK : 0;
    for (int n = 0; n < chunk; n++) {
        uint32_t count = addr_reg_get(c, R_ECX, as);
        if (!count)
            return 0;
        if (fast) {
            uint32_t done = string_fast_run(c, in, kind == STR_MOVS, size, step,
                                            count < fast ? count : fast);
            if (done) {
                interp_commit(c);
                fast -= done;
                if (!fast)
                    break;
                n--; /* not an ordinary iteration */
                continue;
            }
        }
        rc = string_once(c, in, kind, size, step, &cnt);
        if (rc)
            return iteration_fault(c, in, cnt, rc);
        addr_reg_set(c, R_ECX, as, count - 1);
        interp_commit(c);
        if (conditional) {
            bool zf = flags_get(c) & FL_ZF;
            if ((in->rep == REP_E && !zf) || (in->rep == REP_NE && zf))
                return 0;
        }
        /* A data breakpoint traps after the iteration that hit it; the REP
         * resumes from there (SDM Vol. 3A 17.3.1.1, 17.3.1.2). */
        if (KILN_UNLIKELY(c->dbg.pending))
            break;
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
