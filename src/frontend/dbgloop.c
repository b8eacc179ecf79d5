/* SPDX-License-Identifier: MIT */
/*
 * The exact per-instruction path (see dbgloop.h). Before each instruction:
 * breakpoints (linear CS.base + EIP, so they work the same in real,
 * protected and V86 mode) and the tracer; the instruction runs on the
 * interpreter (run_one), even when the translator runs the rest; after it: watchpoints (gdb_watch.c sees the
 * CPU's accesses to the watched bytes, so a hit stops right after the
 * accessing instruction, EIP on the next one) and the single-step stop. A step that finds an interrupt delivered
 * at the boundary (by the machine loop between two calls) stops at the
 * handler's first instruction: the interrupt was taken instead of the
 * instruction, as on hardware.
 */
#include "frontend/gdbstub_int.h"

#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "cpu/flags.h"
#include "cpu/interp.h"
#include "cpu/opcodes.h"
#include "frontend/gdb_rsp.h"

struct dbgloop *dbgloop_new(const struct kiln_config *cfg, struct cpu *c,
                            const struct dbgloop_host *host, char *err, size_t errlen)
{
    err[0] = 0;
    struct trace *t = trace_new(cfg, c, host->log, host->translator, err, errlen);
    if (!t && err[0])
        return NULL;
    if (!t && !cfg->gdb)
        return NULL;
    struct dbgloop *d = calloc(1, sizeof(*d));
    if (!d) {
        trace_free(t);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->c = c;
    d->host = *host;
    d->trace = t;
    d->rsp.fd = d->rsp.listen_fd = -1;
    d->goal = UINT64_MAX;
    d->hit.steps = UINT64_MAX;
    if (cfg->gdb) {
        if (rsp_listen(&d->rsp, cfg->gdb, err, errlen)) {
            dbgloop_free(d);
            return NULL;
        }
        d->gdb_on = true;
        d->wait_first = cfg->gdb_wait;
        fprintf(stderr, "kiln: gdb stub listening on tcp::%d%s\n", rsp_port(&d->rsp),
                cfg->gdb_wait ? " (the CPU waits for a debugger: -S)" : "");
    }
    return d;
}

void dbgloop_free(struct dbgloop *d)
{
    if (!d)
        return;
    rsp_close(&d->rsp);
    gdb_watch_release(d); /* before the tracer unwraps the bus beneath */
    trace_free(d->trace);
    free(d);
}

/* A recorded or replayed run must take its interrupts where the record
 * has them: there steps hold none back. */
bool dbgloop_hold_irq(const struct dbgloop *d)
{
    return d->stepping && d->step_noirq && !d->host.reverse;
}

static uint32_t pc_lin(const struct cpu *c)
{
    return c->seg[SEG_CS].base + c->eip;
}

/* Serve the debugger at a stop, then note where the guest resumes. Any
 * stop ends a run to a goal (Ctrl-C interrupts a reverse-continue). */
static void stop_and_serve(struct dbgloop *d)
{
    struct cpu *c = d->c;
    d->goal = UINT64_MAX;
    d->scanning = false;
    gdb_serve(d);
    d->skip_bp = true;
    d->resume_lin = pc_lin(c);
    d->resume_icount = c->icount;
    d->resume_cs = c->seg[SEG_CS].sel;
    d->resume_eip = c->eip;
    d->resume_esp = c->r[R_ESP];
}

static bool bp_hit(const struct dbgloop *d, uint32_t lin)
{
    for (int i = 0; i < d->n_bp; i++)
        if (d->bp[i] == lin)
            return true;
    return false;
}

/* One instruction on the interpreter, whichever engine runs the rest: what
 * exec_run_intr(c, 1, ...) does without a translator. Translated blocks
 * may run past a budget of one, and the reference engine is exact by
 * definition. */
static enum exec_stop run_one(struct cpu *c, const volatile int *stop_flag,
                              const volatile int *intr_line)
{
    if (stop_flag && *stop_flag)
        return EXEC_STOPPED;
    if (intr_line && *intr_line && interp_interruptible(c))
        return EXEC_INTR;
    switch (interp_step(c)) {
    case STEP_OK: return EXEC_BUDGET;
    case STEP_HALT: return EXEC_HALTED;
    case STEP_SHUTDOWN: return EXEC_SHUTDOWN;
    }
    return EXEC_BUDGET;
}

/* Run one iteration of a REP string instruction with more than one to go,
 * as the hardware's single-step does: it traps after every iteration with
 * EIP still on the instruction (SDM Vol. 3A 7.3.9.2, 17.3.1.4). Kiln's
 * CPU does so only under the guest's own TF, so the stub shows it a count
 * of 1 for one step and then puts the real count back, less the iteration
 * done, and EIP back on the instruction while iterations remain. Returns
 * false when the instruction at CS:EIP is not such a string instruction. */
static bool rep_iteration(struct dbgloop *d, enum exec_stop *r, const volatile int *stop_flag,
                          const volatile int *intr_line)
{
    struct cpu *c = d->c;
    /* The guest's own TF and data or I/O breakpoints take the CPU's path. */
    if ((c->eflags & FL_TF) || c->dbg.data_armed || c->dbg.io_armed || c->rep_active)
        return false;
    uint8_t bytes[15];
    size_t n = 0;
    while (n < sizeof(bytes) && gdb_mem_read(d, c->seg[SEG_CS].base + c->eip + (uint32_t)n,
                                             bytes + n, 1))
        n++;
    struct insn in;
    if (decode_buffer(c->model->gen, cpu_code_size(c), bytes, n, &in) != DEC_OK ||
        !(opc_rows[in.op].flags & F_STRING) || in.rep == REP_NONE)
        return false;
    uint32_t mask = in.addrsize == 2 ? 0xffffu : 0xffffffffu;
    uint32_t count = c->r[R_ECX] & mask;
    if (count <= 1)
        return false;
    uint16_t cs = c->seg[SEG_CS].sel;
    uint32_t eip = c->eip, next = c->eip + in.len;
    if (cpu_code_size(c) == 2)
        next &= 0xffff;
    uint64_t before = c->icount;
    c->r[R_ECX] = (c->r[R_ECX] & ~mask) | 1;
    *r = run_one(c, stop_flag, intr_line);
    bool done = c->icount != before && c->seg[SEG_CS].sel == cs && c->eip == next;
    if (!done) {
        /* Nothing ran, or the iteration faulted and the CPU put everything
         * back as before the instruction: only the count is ours to undo. */
        c->r[R_ECX] = (c->r[R_ECX] & ~mask) | count;
        return true;
    }
    c->r[R_ECX] = (c->r[R_ECX] & ~mask) | (count - 1);
    bool more = true;
    if (opc_rows[in.op].opcode == 0xa6 || opc_rows[in.op].opcode == 0xa7 ||
        opc_rows[in.op].opcode == 0xae || opc_rows[in.op].opcode == 0xaf) {
        bool zf = flags_get(c) & FL_ZF; /* REPE/REPNE: CMPS and SCAS end on ZF */
        more = in.rep == REP_E ? zf : !zf;
    }
    if (more)
        c->eip = eip;
    return true;
}

enum dbgloop_reverse dbgloop_take_reverse(struct dbgloop *d)
{
    enum dbgloop_reverse r = d->rev_req;
    d->rev_req = DBG_REV_NONE;
    return r;
}

void dbgloop_goto(struct dbgloop *d, uint64_t goal, enum dbgloop_report how)
{
    d->goal = goal;
    d->goal_report = how;
    d->scanning = false;
    d->stepping = false;
}

void dbgloop_scan(struct dbgloop *d, uint64_t goal)
{
    dbgloop_goto(d, goal, DBG_REPORT_HIT);
    d->scanning = true;
    d->scan_done = false;
    d->hit.steps = UINT64_MAX;
}

bool dbgloop_scan_done(struct dbgloop *d, uint64_t *hit)
{
    if (!d->scan_done)
        return false;
    d->scan_done = false;
    *hit = d->hit.steps;
    return true;
}

uint64_t dbgloop_goal(const struct dbgloop *d)
{
    return d->goal;
}

/* A scan passes a breakpoint or watchpoint hit: note it, run on. Going
 * backwards, both stop before the instruction: a breakpoint where it is,
 * a watchpoint at the access (the step before the one that just ran), so
 * that gdb sees the value as it was before the write, as other reverse
 * debuggers show it. */
static void note_hit(struct dbgloop *d, enum stop_reason why, int w)
{
    d->hit.steps = d->host.steps(d->host.opaque) - (w >= 0 ? 1 : 0);
    d->hit.reason = why;
    if (w >= 0) {
        d->hit.watch_addr = d->wp[w].lin;
        d->hit.watch_type = d->wp[w].type;
    }
}

/* At a boundary: has a run to a goal arrived? True when it has (a goto
 * stopped there for gdb; a scan is done and the machine takes over). */
static bool at_goal(struct dbgloop *d)
{
    if (d->goal == UINT64_MAX || d->host.steps(d->host.opaque) != d->goal)
        return false;
    if (d->scanning) {
        d->goal = UINT64_MAX;
        d->scanning = false;
        d->scan_done = true;
        return true;
    }
    switch (d->goal_report) {
    case DBG_REPORT_TRAP: d->stop = STOP_TRAP; break;
    case DBG_REPORT_BEGIN: d->stop = STOP_BEGIN; break;
    case DBG_REPORT_HIT:
        d->stop = d->hit.reason;
        d->stop_watch_addr = d->hit.watch_addr;
        d->stop_watch_type = d->hit.watch_type;
        break;
    }
    stop_and_serve(d);
    return true;
}

/* Does this run need the per-instruction path? */
static bool exact(const struct dbgloop *d)
{
    return d->stepping || d->n_bp || d->n_wp || (d->trace && trace_per_insn(d->trace));
}

/* One instruction on the exact path. Returns true when the guest stopped
 * for the debugger (the caller returns to the machine loop). */
static bool step_one(struct dbgloop *d, enum exec_stop *r, const volatile int *stop_flag,
                     const volatile int *intr_line)
{
    struct cpu *c = d->c;
    if (at_goal(d)) {
        *r = EXEC_BUDGET;
        return true;
    }
    uint32_t pc = pc_lin(c);
    bool resumed_here = d->skip_bp && pc == d->resume_lin && c->icount == d->resume_icount;
    d->skip_bp = false;
    /* A run to a goal re-executes the past: it stops for nothing else. */
    bool replaying = d->goal != UINT64_MAX;
    if (replaying) {
        if (d->scanning && d->n_bp && bp_hit(d, pc))
            note_hit(d, STOP_TRAP, -1);
    } else if (d->rsp.fd >= 0 && d->n_bp && !resumed_here && bp_hit(d, pc)) {
        d->stop = STOP_TRAP;
        d->stepping = false;
        stop_and_serve(d);
        *r = EXEC_BUDGET;
        return true;
    }
    if (d->trace)
        trace_before(d->trace); /* first: its reads of the code are not the guest's */
    if (d->n_wp || d->wbus_on)
        gdb_watch_before(d);
    uint64_t before = c->icount;
    uint16_t cs = c->seg[SEG_CS].sel;
    uint32_t eip = c->eip;
    const volatile int *irq = dbgloop_hold_irq(d) ? NULL : intr_line;
    /* Stepping one REP iteration counts it as an instruction: not in a
     * recorded or replayed run, whose step count must stay the record's. */
    if (!d->stepping || d->host.reverse || !rep_iteration(d, r, stop_flag, irq))
        *r = run_one(c, stop_flag, irq);
    if (*r == EXEC_INTR || *r == EXEC_STOPPED)
        return true; /* nothing ran: back to the machine loop */
    int w = d->n_wp ? d->watch_hit : -1;
    d->watch_hit = -1;
    if (d->trace)
        trace_after(d->trace, before, *r);
    bool ran = c->icount != before || c->seg[SEG_CS].sel != cs || c->eip != eip;
    if (replaying) {
        if (d->scanning && w >= 0)
            note_hit(d, STOP_WATCH, w);
    } else if (d->rsp.fd >= 0 && (w >= 0 || (d->stepping && ran))) {
        d->stop = w >= 0 ? STOP_WATCH : STOP_TRAP;
        if (w >= 0) {
            d->stop_watch_addr = d->wp[w].lin;
            d->stop_watch_type = d->wp[w].type;
        }
        d->stepping = false;
        stop_and_serve(d);
        return true;
    }
    return *r != EXEC_BUDGET;
}

enum exec_stop dbgloop_run(struct dbgloop *d, uint64_t max_insns, const volatile int *stop_flag,
                           const volatile int *intr_line)
{
    struct cpu *c = d->c;
    d->stop_flag = stop_flag;
    if (d->trace)
        trace_entry(d->trace);
    if (d->gdb_on) {
        if (d->wait_first) {
            d->wait_first = false;
            rsp_accept(&d->rsp, true);
            d->stop = STOP_TRAP;
            d->reply_owed = false;
        } else
            gdb_poll_running(d);
        /* A step that meets an interrupt delivered at this boundary ends at
         * the handler's first instruction. */
        if (d->stepping && d->rsp.fd >= 0 && c->icount == d->resume_icount &&
            (c->seg[SEG_CS].sel != d->resume_cs || c->eip != d->resume_eip ||
             c->r[R_ESP] != d->resume_esp)) {
            d->stepping = false;
            d->stop = STOP_TRAP;
        }
        if (d->stop != STOP_NONE) {
            stop_and_serve(d);
            if (d->trace)
                trace_exit(d->trace);
            return EXEC_BUDGET; /* back to the loop: it may deliver an interrupt first */
        }
    }
    if (at_goal(d)) {
        if (d->trace)
            trace_exit(d->trace);
        return EXEC_BUDGET;
    }
    enum exec_stop r = EXEC_BUDGET;
    if (!d->n_wp && d->wbus_on)
        gdb_watch_release(d); /* the last watchpoint went: full speed again */
    if (!exact(d))
        r = exec_run_intr(c, max_insns, stop_flag, intr_line);
    else
        for (uint64_t n = 0; n < max_insns; n++)
            if (step_one(d, &r, stop_flag, intr_line))
                break;
    if (r != EXEC_STOPPED && r != EXEC_SHUTDOWN)
        at_goal(d);
    /* The machine ends the run on a HLT that nothing can wake: show it to
     * the debugger first. */
    if (r == EXEC_HALTED && !(c->eflags & FL_IF) && d->rsp.fd >= 0 && !(stop_flag && *stop_flag)) {
        d->stop = STOP_TRAP;
        d->stepping = false;
        stop_and_serve(d);
    }
    if (d->trace)
        trace_exit(d->trace);
    return r;
}
