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

#include "cpu/interp.h"
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

bool dbgloop_hold_irq(const struct dbgloop *d)
{
    return d->stepping && d->step_noirq;
}

static uint32_t pc_lin(const struct cpu *c)
{
    return c->seg[SEG_CS].base + c->eip;
}

/* Serve the debugger at a stop, then note where the guest resumes. */
static void stop_and_serve(struct dbgloop *d)
{
    struct cpu *c = d->c;
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
    uint32_t pc = pc_lin(c);
    bool resumed_here = d->skip_bp && pc == d->resume_lin && c->icount == d->resume_icount;
    d->skip_bp = false;
    if (d->rsp.fd >= 0 && d->n_bp && !resumed_here && bp_hit(d, pc)) {
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
    *r = run_one(c, stop_flag, dbgloop_hold_irq(d) ? NULL : intr_line);
    if (*r == EXEC_INTR || *r == EXEC_STOPPED)
        return true; /* nothing ran: back to the machine loop */
    int w = d->n_wp ? d->watch_hit : -1;
    d->watch_hit = -1;
    if (d->trace)
        trace_after(d->trace, before, *r);
    bool ran = c->icount != before || c->seg[SEG_CS].sel != cs || c->eip != eip;
    if (d->rsp.fd >= 0 && (w >= 0 || (d->stepping && ran))) {
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
    enum exec_stop r = EXEC_BUDGET;
    if (!d->n_wp && d->wbus_on)
        gdb_watch_release(d); /* the last watchpoint went: full speed again */
    if (!exact(d))
        r = exec_run_intr(c, max_insns, stop_flag, intr_line);
    else
        for (uint64_t n = 0; n < max_insns; n++)
            if (step_one(d, &r, stop_flag, intr_line))
                break;
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
