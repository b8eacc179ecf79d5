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
#include "cpu/forms.h"
#include "cpu/iblock.h"
#include "cpu/ops.h"

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
    c->undo.segs_saved = 1;
}

#define UNDO_LIGHT_BYTES (offsetof(struct cpu, seg) - offsetof(struct cpu, r))

/* Handlers that write no segment cache and deliver no interrupt themselves:
 * their instructions commit only the fields before seg[] (most of the
 * work of a commit), see struct insn_undo. A handler missing here only
 * costs speed; one wrongly here would lose segment state on a fault. */
static const op_handler_fn light_handlers[] = {
    op_jcc, op_setcc, op_cmovcc, op_nop, op_alu_Eb_Ib, op_alu_eAX_Iz, op_alu_Gv_Ev,
    op_alu_Gb_Eb, op_alu_Ev_Iz, op_alu_Ev_Ib, op_alu_Ev_Gv, op_alu_Eb_Gb, op_alu_AL_Ib,
    op_shift_Ev_Ib, op_shift_Ev_CL, op_shift_Ev_1, op_shift_Eb_Ib, op_shift_Eb_CL, op_shift_Eb_1,
    op_push_Zv, op_pop_Zv, op_mov_Zv_Iz, op_mov_Zb_Ib, op_inc_Zv, op_dec_Zv, op_bswap,
    op_xchg_Zv_eAX, op_xchg_Ev_Gv, op_xchg_Eb_Gb, op_test_E_I, op_test_Ev_Gv, op_test_Eb_Gb,
    op_test_AL_Ib, op_test_eAX_Iz, op_shld_shrd, op_movzx_movsx, op_bt_Ev_Ib, op_bt_Ev_Gv,
    op_bsf_bsr, op_loop, op_jcxz, op_xadd, op_cmpxchg, op_stos, op_scas, op_lods, op_movs,
    op_cmps, op_ret_near, op_ret_near_Iw, op_push_Ev, op_pop_Ev, op_not_E, op_neg_E, op_mul_E,
    op_imul_E, op_div_E, op_idiv_E, op_inc_E, op_dec_E, op_mov_Ev_Iz, op_mov_Eb_Ib, op_mov_Ev_Gv,
    op_mov_Eb_Gb, op_mov_Gv_Ev, op_mov_Gb_Eb, op_mov_AL_Ob, op_mov_eAX_Ov, op_mov_Ob_AL,
    op_mov_Ov_eAX, op_jmp_Jz, op_jmp_Ev, op_call_Jz, op_call_Ev, op_xlat, op_cwd, op_cbw,
    op_lahf, op_sahf, op_clc, op_stc, op_cmc, op_cld, op_std, op_lea, op_leave, op_enter,
    op_push_Iz, op_push_Ib, op_imul_Gv_Ev, op_imul_Gv_Ev_Ib, op_imul_Gv_Ev_Iz, op_x87,
};

/* Of those, handlers that with no memory operand (ModRM mod = 3 or none)
 * change nothing before their last possible fault and touch no memory:
 * their register forms need no undo record at all. */
static const op_handler_fn reg_safe_handlers[] = {
    op_alu_Eb_Ib, op_alu_eAX_Iz, op_alu_Gv_Ev, op_alu_Gb_Eb, op_alu_Ev_Iz, op_alu_Ev_Ib,
    op_alu_Ev_Gv, op_alu_Eb_Gb, op_alu_AL_Ib, op_mov_Gv_Ev, op_mov_Ev_Gv, op_mov_Gb_Eb,
    op_mov_Eb_Gb, op_mov_Zv_Iz, op_mov_Zb_Ib, op_mov_Ev_Iz, op_mov_Eb_Ib, op_movzx_movsx,
    op_shift_Ev_Ib, op_shift_Ev_CL, op_shift_Ev_1, op_shift_Eb_Ib, op_shift_Eb_CL,
    op_shift_Eb_1, op_inc_Zv, op_dec_Zv, op_inc_E, op_dec_E, op_test_E_I, op_test_Ev_Gv,
    op_test_Eb_Gb, op_test_AL_Ib, op_test_eAX_Iz, op_lea, op_setcc, op_cmovcc, op_bswap,
    op_jcc, op_jmp_Jz, op_nop, op_imul_Gv_Ev, op_imul_Gv_Ev_Ib, op_imul_Gv_Ev_Iz, op_not_E,
    op_neg_E, op_mul_E, op_imul_E, op_cbw, op_cwd, op_clc, op_stc, op_cmc, op_cld, op_std,
    op_xchg_Zv_eAX, op_xchg_Ev_Gv, op_xchg_Eb_Gb,
};

/* Of those, handlers whose memory forms too change nothing before their
 * last possible fault (they read, then set registers and flags; or they
 * only store; or they put the flags back when their store faults, see
 * e_write_rmw; PUSH, POP, CALL and RET move ESP last): no undo record in
 * the fast loop either. */
static const op_handler_fn mem_safe_handlers[] = {
    op_mov_Gv_Ev, op_mov_Gb_Eb, op_mov_Ev_Gv, op_mov_Eb_Gb, op_mov_Ev_Iz, op_mov_Eb_Ib,
    op_movzx_movsx, op_mov_AL_Ob, op_mov_eAX_Ov, op_mov_Ob_AL, op_mov_Ov_eAX, op_test_Eb_Gb,
    op_test_Ev_Gv, op_test_E_I, op_cmovcc, op_imul_Gv_Ev, op_imul_Gv_Ev_Iz, op_imul_Gv_Ev_Ib,
    op_alu_Gv_Ev, op_alu_Gb_Eb, op_leave, op_alu_Eb_Gb, op_alu_Ev_Gv, op_alu_Eb_Ib,
    op_alu_Ev_Iz, op_alu_Ev_Ib, op_inc_E, op_dec_E, op_not_E, op_neg_E, op_shift_Ev_Ib,
    op_shift_Ev_CL, op_shift_Ev_1, op_shift_Eb_Ib, op_shift_Eb_CL, op_shift_Eb_1, op_push_Zv,
    op_pop_Zv, op_push_Iz, op_push_Ib, op_push_Ev, op_call_Jz, op_call_Ev, op_ret_near,
    op_ret_near_Iw,
};

/* Of the light handlers, those that may transfer control: each ends a run
 * of the fast loop (iblock.h). */
static const op_handler_fn transfer_handlers[] = {
    op_jcc, op_jmp_Jz, op_jmp_Ev, op_call_Jz, op_call_Ev, op_ret_near, op_ret_near_Iw,
    op_loop, op_jcxz,
};

static uint8_t light_op[OP_COUNT];   /* 1: light; 2: light and register-safe */
static uint8_t op_class[OP_COUNT];   /* IBLOCK_OP_* bits */

static bool listed(op_handler_fn h, const op_handler_fn *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (h == list[i])
            return true;
    return false;
}

#define LISTED(h, list) listed(h, list, KILN_ARRAY_SIZE(list))

static void light_init(void)
{
    static bool ready;
    if (KILN_LIKELY(ready))
        return;
    for (int op = 0; op < OP_COUNT; op++) {
        op_handler_fn h = handlers[op];
        if (!LISTED(h, light_handlers))
            continue;
        light_op[op] = LISTED(h, reg_safe_handlers) ? 2 : 1;
        op_class[op] = (uint8_t)(IBLOCK_OP_FAST | (light_op[op] == 2 ? IBLOCK_OP_REG_SAFE : 0) |
                                 (LISTED(h, mem_safe_handlers) ? IBLOCK_OP_MEM_SAFE : 0) |
                                 (LISTED(h, transfer_handlers) ? IBLOCK_OP_ENDS : 0));
    }
    ready = true;
}

/* The undo record for the instruction 'op' about to run. */
static inline void commit_for(struct cpu *c, unsigned op)
{
    if (light_op[op]) {
        memcpy(c->undo.bytes, c->r, UNDO_LIGHT_BYTES);
        c->undo.segs_saved = 0;
    } else {
        interp_commit(c);
    }
}

/* Complete a light undo record with the segment caches, which the
 * instruction left as they were: before an interrupt delivery may load CS
 * and SS, and before a restore. */
static void undo_seal(struct cpu *c)
{
    if (c->undo.segs_saved)
        return;
    memcpy(c->undo.bytes + UNDO_LIGHT_BYTES, c->seg, sizeof(c->seg));
    c->undo.segs_saved = 1;
}

static void undo_insn(struct cpu *c)
{
    undo_seal(c);
    memcpy(c->r, c->undo.bytes, CPU_UNDO_BYTES);
}

/* The cached instruction's n (at most 15) bytes equal the window's first n,
 * of which there are win_len: two 8-byte compares under a mask when the
 * window has 16 bytes, else byte by byte. */
static inline bool bytes_equal(const uint8_t *cached, const uint8_t *win, unsigned n,
                               unsigned win_len)
{
    if (KILN_LIKELY(win_len == 16)) {
        uint64_t lo_mask = n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
        uint64_t hi_mask = n <= 8 ? 0 : (1ull << (8 * (n - 8))) - 1;
        return !(((load_le64(cached) ^ load_le64(win)) & lo_mask) |
                 ((load_le64(cached + 8) ^ load_le64(win + 8)) & hi_mask));
    }
    for (unsigned i = 0; i < n; i++)
        if (cached[i] != win[i])
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
    undo_seal(c);
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
    bool trap_after = c->eflags & FL_TF;
    c->dbg.pending = 0;
    if (KILN_UNLIKELY(c->dbg.exec_armed)) {
        int rc = debug_check_exec(c, c->seg[SEG_CS].base + c->eip);
        if (rc) {
            interp_commit(c);
            enum step_result r = deliver_fault(c, c->insn_eip, false);
            if (r == STEP_OK)
                c->eip = c->next_eip;
            return r;
        }
    }

    int code_size = cpu_code_size(c);
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
        ce = &c->icache[(lin ^ (lin >> 10)) & (ICACHE_ENTRIES - 1)];
        if (ce->lin == lin && ce->epoch == c->icache_epoch && ce->key == code_size &&
            ce->insn.len <= win_len &&
            bytes_equal(ce->bytes, win, ce->insn.len, win_len)) {
            insn = &ce->insn;
            goto decoded;
        }
        ce->lin = lin;
        ce->key = 0;
    }
    ds = decode_insn_window(c->model->gen, code_size, win, win_len, fetch_cb, c, &in, &fetch_rc);
    if (ce && ds == DEC_OK && in.len <= win_len) {
        ce->key = (uint8_t)code_size;
        ce->epoch = c->icache_epoch;
        memset(ce->bytes, 0, sizeof(ce->bytes));
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

/* The instruction in c->exc_* could not even be decoded: deliver it. The
 * state is still that of the instruction's start (the commit comes with
 * execution). */
static enum step_result fault_before_execute(struct cpu *c)
{
    interp_commit(c);
    c->rep_active = 0;
    enum step_result r = deliver_fault(c, c->insn_eip, true);
    if (r == STEP_OK)
        c->eip = c->next_eip;
    return r;
}

/* Handler for 'insn' returned a fault: restore the state before it and
 * deliver the exception. */
static enum step_result handler_fault(struct cpu *c, const struct insn *insn)
{
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

/* Run decoded instruction 'insn' at c->eip, the state already committed:
 * the handler, then faults, RF, data breakpoints and single-step traps. */
static enum step_result execute(struct cpu *c, const struct insn *insn, bool trap_after)
{
    light_init();
    commit_for(c, insn->op);
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
        undo_seal(c);
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
        undo_seal(c);
        if (cpu_interrupt(c, EXC_DB, c->eip, false, 0, false))
            return deliver_fault(c, c->eip, true);
        c->eip = c->next_eip;
    }
    return c->halted ? STEP_HALT : STEP_OK;

fault:
    return handler_fault(c, insn);
}

/* The handler of a run's instruction: a specialised form where there is one. */
static op_handler_fn run_handler(const struct insn *in)
{
    op_handler_fn f = form_handler(in);
    return f ? f : handlers[in->op];
}

/* Light instructions run back to back (interp_run_fast) in runs from
 * iblock.c, so the shadow TLB, the fetch window and the per-instruction
 * debug and trap bookkeeping are skipped. Anything else (an instruction
 * that is not light, one on the slow fetch path, a fault) goes back to
 * interp_step. Light instructions change no segment, CPL, CR, IF or TLB
 * mapping, so a run stays valid while it runs, unless it stores into its
 * own bytes: those are checked after each instruction that may store. */
uint64_t interp_run_fast(struct cpu *c, uint64_t budget, const volatile int *stop_flag,
                         const volatile int *intr_line, enum step_result *res)
{
    *res = STEP_OK;
    if (c->halted || (c->eflags & FL_TF) || c->dbg.exec_armed || c->dbg.data_armed ||
        c->model->offset_wraps)
        return 0;
    light_init();
    /* Light instructions change neither CS nor the mode. */
    const int code_size = cpu_code_size(c);
    const uint32_t eip_mask = code_size == 2 ? 0xffffu : 0xffffffffu;
    const uint32_t base = c->seg[SEG_CS].base, limit = c->seg[SEG_CS].limit;
    /* Nor the segments, EFLAGS.AC or the debug registers (cleared on every
     * way out: exception delivery and everything else check in full). */
    c->flat_segs = mem_flat_segments(c);
    uint32_t page = 1; /* the code page last found in the TLB (1: none) */
    const uint8_t *page_host = NULL;
    uint64_t n = 0;
    while (n < budget && !(stop_flag && *stop_flag) &&
           !(intr_line && *intr_line && (c->eflags & FL_IF))) {
        uint32_t eip = c->eip, lin = base + eip;
        if (eip > limit)
            break;
        if ((lin & ~0xfffu) != page) {
            unsigned win_len;
            const uint8_t *win = mem_fetch_window(c, eip, &win_len);
            if (!win)
                break;
            page = lin & ~0xfffu;
            page_host = win - (lin & 0xfff);
            c->run_page = (uintptr_t)page_host;
        }
        const uint8_t *host = page_host + (lin & 0xfff);
        /* Bytes up to the page end, the CS limit and (16-bit code) 64 KiB. */
        uint64_t room = 0x1000 - (lin & 0xfff);
        if ((uint64_t)limit - eip + 1 < room)
            room = (uint64_t)limit - eip + 1;
        if ((uint64_t)eip_mask - eip + 1 < room)
            room = (uint64_t)eip_mask - eip + 1;
        const struct iblock *b = iblock_find(c, lin, host, (unsigned)room, code_size, op_class,
                                                 run_handler);
        if (!b)
            break;
        unsigned count = b->n, pos = 0;
        if (count > budget - n)
            count = (unsigned)(budget - n);
        /* At least one instruction runs (or faults) now. Light ones set no
         * shadow, debug trap or RF, so this holds for the whole run: the
         * shadow of an STI just before ends here, and RF lets one
         * instruction past a breakpoint (a fault sets RF again). */
        c->irq_shadow = 0;
        c->dbg.pending = 0;
        c->eflags &= ~(uint32_t)FL_RF;
        c->run_hit = 0; /* the bytes were checked just now */
        for (unsigned i = 0; i < count; i++) {
            const struct insn *insn = &b->insn[i];
            c->insn_eip = eip;
            bool no_undo = b->kind[i] & IBLOCK_NO_UNDO;
            if (!no_undo) {
                memcpy(c->undo.bytes, c->r, UNDO_LIGHT_BYTES);
                c->undo.segs_saved = 0;
            }
            uint32_t next = (eip + insn->len) & eip_mask;
            c->next_eip = next;
            if (KILN_UNLIKELY(b->fn[i](c, insn))) {
                c->flat_segs = 0;
                c->run_page = 0;
                if (no_undo)
                    interp_commit(c); /* nothing changed: the state is the start state */
                *res = handler_fault(c, insn);
                return n + 1; /* a delivered exception is a step too */
            }
            c->eip = c->next_eip;
            c->icount++;
            n++;
            pos += insn->len;
            if (c->eip != next)
                break; /* a jump, or a REP instruction to run again */
            if (KILN_UNLIKELY(c->run_hit)) {
                c->run_hit = 0;
                if (!iblock_intact(b, host, pos))
                    break; /* it stored into the run: decode the rest again */
            }
            eip = next;
        }
    }
    c->flat_segs = 0;
    c->run_page = 0;
    return n;
}

enum step_result interp_execute(struct cpu *c, const struct insn *insn)
{
    if (c->halted)
        return STEP_HALT;
    c->insn_eip = c->eip;
    c->irq_shadow = 0;
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
