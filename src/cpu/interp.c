/* SPDX-License-Identifier: MIT */
/*
 * The reference interpreter loop (see interp.h). Faults are values returned
 * by handlers; this file alone turns them into delivered exceptions, with
 * EIP and registers restored to the start of the faulting instruction.
 * Spec: Intel SDM Vol. 3A 6.5-6.6 (exception classes, restartability),
 * 6.15 table 6-5 (double faults).
 */
#include "cpu/interp.h"

#include <stddef.h>
#include <string.h>

#include "common/log.h"
#include "cpu/debug.h"
#include "cpu/decode.h"
#include "cpu/ops.h"

typedef int (*op_handler_fn)(struct cpu *c, const struct insn *in);

static const op_handler_fn handlers[OP_COUNT] = {
#define OP(id, mnem, map, opc, reg, rm, mod, imm, gen, flags, handler) [OP_##id] = op_##handler,
#include "cpu/opcodes.def"
#undef OP
};

_Static_assert(offsetof(struct cpu, seg) + sizeof(((struct cpu *)0)->seg) -
                       offsetof(struct cpu, r) ==
                   CPU_UNDO_BYTES,
               "the undo record covers r[] through seg[] of struct cpu");

void interp_commit(struct cpu *c)
{
    memcpy(c->undo.bytes, c->r, CPU_UNDO_BYTES);
}

static void undo_insn(struct cpu *c)
{
    memcpy(c->r, c->undo.bytes, CPU_UNDO_BYTES);
}

/* n (at most 15) bytes equal: inline, as library memcmp costs more than
 * the comparison itself at this size. */
static inline bool bytes_equal(const uint8_t *a, const uint8_t *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

/* Instruction bytes past the host window (see mem_fetch_window): one at a
 * time through segmentation and paging, which may fault. */
static int fetch_cb(void *ctx, unsigned index, uint8_t *out)
{
    struct cpu *c = ctx;
    uint32_t off = c->insn_eip + index;
    if (cpu_code_size(c) == 2 && c->model->offset_wraps)
        off &= 0xffff;
    return mem_fetch(c, off, out);
}

/* Contributory exceptions (SDM Vol. 3A table 6-4). */
static bool contributory(int v)
{
    return v == EXC_DE || (v >= EXC_TS && v <= EXC_GP);
}

/* Deliver the pending exception in c->exc_*; escalates to #DF and shutdown.
 * 'fault' marks a fault-class exception: its EFLAGS image carries RF = 1, so
 * that returning to the faulting instruction does not hit an instruction
 * breakpoint on it again (SDM Vol. 3A 17.3.1.1). An instruction-breakpoint
 * #DB is the exception: it pushes RF as it was (0). */
/* RF exists from the 386 on; earlier CPUs push no such bit. */
static void mark_fault_rf(struct cpu *c)
{
    c->eflags |= c->model->flags_supported & FL_RF;
}

static enum step_result deliver_fault(struct cpu *c, uint32_t ret_eip, bool fault)
{
    int first = c->exc_vector;
    c->exceptions++;
    if (fault)
        mark_fault_rf(c);
    if (!cpu_interrupt(c, first, ret_eip, c->exc_has_error, c->exc_error, false))
        return STEP_OK;
    /* Each attempt starts again from the state before the instruction; a
     * fault raised by the delivery is itself a fault (RF = 1). */
    undo_insn(c);
    mark_fault_rf(c);
    int second = c->exc_vector;
    bool dbl = first == EXC_DF || (contributory(first) && contributory(second)) ||
               (first == EXC_PF && (second == EXC_PF || contributory(second)));
    if (first == EXC_DF) {
        log_msg(LOG_GUEST, "cpu", "triple fault at %04x:%08x", c->seg[SEG_CS].sel, c->insn_eip);
        return STEP_SHUTDOWN;
    }
    if (!dbl) {
        /* Benign: the second exception is delivered instead, serially. */
        if (!cpu_interrupt(c, second, ret_eip, c->exc_has_error, c->exc_error, false))
            return STEP_OK;
        undo_insn(c);
        mark_fault_rf(c);
    }
    if (!cpu_interrupt(c, EXC_DF, ret_eip, true, 0, false))
        return STEP_OK;
    log_msg(LOG_GUEST, "cpu", "triple fault at %04x:%08x", c->seg[SEG_CS].sel, c->insn_eip);
    return STEP_SHUTDOWN;
}

static uint32_t ip_wrap(const struct cpu *c, uint32_t eip)
{
    return cpu_code_size(c) == 2 ? eip & 0xffff : eip;
}

static enum step_result fault_before_execute(struct cpu *c);
static enum step_result execute(struct cpu *c, const struct insn *insn, bool trap_after);

enum step_result interp_step(struct cpu *c)
{
    if (c->halted)
        return STEP_HALT;
    c->insn_eip = c->eip;
    c->irq_shadow = 0; /* the STI/MOV SS shadow lasted one boundary */
    interp_commit(c);
    bool trap_after = c->eflags & FL_TF;
    c->dbg.pending = 0;
    if (KILN_UNLIKELY(c->dbg.exec_armed)) {
        int rc = debug_check_exec(c, c->seg[SEG_CS].base + c->eip);
        if (rc) {
            enum step_result r = deliver_fault(c, c->insn_eip, false);
            if (r == STEP_OK)
                c->eip = c->next_eip;
            return r;
        }
    }

    struct insn in;
    int fetch_rc = 0;
    unsigned win_len = 0;
    const uint8_t *win = mem_fetch_window(c, c->eip, &win_len);
    const struct insn *insn = &in;
    enum decode_status ds = DEC_OK;
    struct icache_entry *ce = NULL;
    if (win) {
        /* Decoding is a function of the bytes and the code size alone, so a
         * cached decode whose bytes still match is exact, even for code that
         * was rewritten in between. */
        uint32_t lin = c->seg[SEG_CS].base + c->eip;
        uint8_t key = (uint8_t)cpu_code_size(c);
        ce = &c->icache[(lin ^ (lin >> 10)) & (ICACHE_ENTRIES - 1)];
        if (ce->lin == lin && ce->key == key && ce->insn.len <= win_len &&
            bytes_equal(ce->bytes, win, ce->insn.len)) {
            insn = &ce->insn;
            goto decoded;
        }
        ce->lin = lin;
        ce->key = 0;
    }
    ds = decode_insn_window(c->model->gen, cpu_code_size(c), win, win_len, fetch_cb, c, &in,
                            &fetch_rc);
    if (ce && ds == DEC_OK && in.len <= win_len) {
        ce->key = (uint8_t)cpu_code_size(c);
        memcpy(ce->bytes, win, in.len);
        ce->insn = in;
    }
decoded:
    switch (ds) {
    case DEC_OK: break;
    case DEC_FETCH_FAULT: return fault_before_execute(c);
    case DEC_UD:
        if (cpu_fault(c, EXC_UD))
            return fault_before_execute(c);
        break;
    case DEC_TOO_LONG:
        if (!c->model->max_insn_len) {
            /* 8086: a run of prefixes longer than Kiln follows executes as a no-op. */
            c->eip = ip_wrap(c, c->eip + insn->len);
            return STEP_OK;
        }
        if (cpu_fault_err(c, EXC_GP, 0))
            return fault_before_execute(c);
        break;
    }
    return execute(c, insn, trap_after);
}

/* The instruction in c->exc_* could not even be decoded: deliver it. */
static enum step_result fault_before_execute(struct cpu *c)
{
    undo_insn(c);
    c->rep_active = 0;
    enum step_result r = deliver_fault(c, c->insn_eip, true);
    if (r == STEP_OK)
        c->eip = c->next_eip;
    return r;
}

/* Run decoded instruction 'insn' at c->eip, the state already committed:
 * the handler, then faults, RF, data breakpoints and single-step traps. */
static enum step_result execute(struct cpu *c, const struct insn *insn, bool trap_after)
{
    c->next_eip = ip_wrap(c, c->eip + insn->len);
    int rc = handlers[insn->op](c, insn);
    if (rc)
        goto fault;
    c->eip = c->next_eip;
    c->icount++;
    /* RF lets one instruction past an instruction breakpoint; IRET may set it again. */
    if (insn->op != OP_IRET)
        c->eflags &= ~(uint32_t)FL_RF;
    /* A trap after an iteration of a REP that is not its last pushes RF = 1,
     * so that the REP resumes past an instruction breakpoint (17.3.1.1). */
    if (c->rep_active && (c->dbg.pending || trap_after))
        c->eflags |= c->model->flags_supported & FL_RF;
    if (KILN_UNLIKELY(c->dbg.pending)) {
        /* Data breakpoints trap after the instruction (SDM 17.3.1.2), as
         * does a switch to a task whose TSS has T set (17.3.1.5). */
        if (c->dbg.pending & 0xf)
            c->dr[6] = (c->dr[6] & ~0xfu) | (c->dbg.pending & 0xfu);
        if (c->dbg.pending & DBG_PENDING_BT)
            c->dr[6] |= DR6_BT;
        if (cpu_interrupt(c, EXC_DB, c->eip, false, 0, false))
            return deliver_fault(c, c->eip, true);
        c->eip = c->next_eip;
        return STEP_OK;
    }
    /* Software interrupts clear TF on entry and take no single-step trap themselves. */
    bool soft_int = insn->op == OP_INT3 || insn->op == OP_INT_Ib || insn->op == OP_INTO || insn->op == OP_INT1;
    /* MOV SS and POP SS hold debug exceptions back to the boundary after the
     * next instruction (SDM Vol. 3A 6.8.3): no single-step trap here. */
    bool ss_load = insn->op == OP_POP_SS ||
                   ((insn->op == OP_MOV_Sw_Ew || insn->op == OP_MOV_Sw_Ew_86) && (insn->reg & 3) == SEG_SS);
    if (trap_after && !soft_int && !ss_load) {
        /* Single-step trap after the instruction (SDM Vol. 3A 17.3.1.4). */
        c->dr[6] |= 1u << 14;
        if (cpu_interrupt(c, EXC_DB, c->eip, false, 0, false))
            return deliver_fault(c, c->eip, true);
        c->eip = c->next_eip;
    }
    return c->halted ? STEP_HALT : STEP_OK;

fault:
    undo_insn(c);
    c->rep_active = 0;
    /* The 8086 pushes the address after a dividing instruction (SingleStepTests notes). */
    uint32_t ret = c->insn_eip;
    if (c->exc_vector == EXC_DE && c->model->div_fault_next)
        ret = ip_wrap(c, c->insn_eip + insn->len);
    enum step_result r = deliver_fault(c, ret, true);
    if (r == STEP_OK)
        c->eip = c->next_eip;
    return r;
}

enum step_result interp_execute(struct cpu *c, const struct insn *insn)
{
    if (c->halted)
        return STEP_HALT;
    c->insn_eip = c->eip;
    c->irq_shadow = 0;
    interp_commit(c);
    c->dbg.pending = 0;
    return execute(c, insn, c->eflags & FL_TF);
}

enum step_result interp_external_interrupt(struct cpu *c, int vector)
{
    c->insn_eip = c->eip;
    interp_commit(c);
    c->halted = 0;
    if (!cpu_interrupt(c, vector, c->eip, false, 0, false)) {
        c->eip = c->next_eip;
        return STEP_OK;
    }
    undo_insn(c);
    enum step_result r = deliver_fault(c, c->eip, true);
    if (r == STEP_OK)
        c->eip = c->next_eip;
    return r;
}
