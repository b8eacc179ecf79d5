/* SPDX-License-Identifier: MIT */
/*
 * The exact per-instruction execution path, used whenever a debugger is
 * attached with breakpoints or watchpoints, while single-stepping, or
 * while an instruction trace is on. The machine loop calls dbgloop_run()
 * in place of exec_run_intr(); it runs the guest one instruction at a time
 * through the public CPU API, checks breakpoints and watchpoints between
 * instructions, feeds the tracer and serves the gdb stub while the guest
 * is stopped. Owns the debugging session; never edits CPU internals
 * beyond what gdb is asked to change. A later record/replay layer hooks in
 * at the same per-instruction boundary (dbgloop_step_one in dbgloop.c).
 */
#ifndef KILN_FRONTEND_DBGLOOP_H
#define KILN_FRONTEND_DBGLOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "frontend/options.h"
#include "jit/exec.h"

struct dbgloop;

/* What the debugger may ask of the machine. */
struct dbgloop_host {
    void *opaque;
    /* End the run with this exit status (gdb's 'k'). */
    void (*quit)(void *opaque, int status);
    /* The real-time clock's origin: moved forward by the time the guest
     * spends stopped in the debugger, so timers do not fire in a burst. */
    uint64_t *clock_origin_ns;
    /* Where traces go (the -D file or stderr); the machine owns it. */
    FILE *log;
    /* The translator runs: -d in_asm is its block log, not the tracer's. */
    bool translator;
    /* Reverse execution is possible (record/replay): gdb may step back,
     * and may not write registers or memory (the run must stay the
     * recorded one). */
    bool reverse;
    /* The machine's step count (rr.h), where reverse execution aims. */
    uint64_t (*steps)(void *opaque);
};

/* What gdb asked of reverse execution, taken by the machine loop. */
enum dbgloop_reverse { DBG_REV_NONE, DBG_REV_STEP, DBG_REV_CONT };

/* How a run to a goal reports its stop to gdb. */
enum dbgloop_report {
    DBG_REPORT_TRAP,  /* a plain stop (reverse-stepi) */
    DBG_REPORT_HIT,   /* the breakpoint or watchpoint hit the last scan found */
    DBG_REPORT_BEGIN, /* the start of the recorded history */
};

/* The session for cfg's -gdb/-s/-S and -d/-D options, or NULL when none is
 * asked for (err stays empty) or on failure (a message in err). */
struct dbgloop *dbgloop_new(const struct kiln_config *cfg, struct cpu *c,
                            const struct dbgloop_host *host, char *err, size_t errlen);
void dbgloop_free(struct dbgloop *d);

/* True while external interrupts must wait: a single-step with 'monitor
 * stepirq off'. The machine then delivers none at this boundary. */
bool dbgloop_hold_irq(const struct dbgloop *d);

/* Run up to max_insns instructions like exec_run_intr(), stopping for the
 * debugger and tracing as configured. */
/* The reverse request gdb made while stopped, if any (cleared). */
enum dbgloop_reverse dbgloop_take_reverse(struct dbgloop *d);
/* Run on until the step count is 'goal', then stop and report 'how'. */
void dbgloop_goto(struct dbgloop *d, uint64_t goal, enum dbgloop_report how);
/* Run on until the step count is 'goal' without stopping for breakpoints
 * or watchpoints, noting the last hit before the goal. */
void dbgloop_scan(struct dbgloop *d, uint64_t goal);
/* After dbgloop_scan: true once the goal is reached, with the step count
 * of the last hit in *hit (UINT64_MAX when there was none). */
bool dbgloop_scan_done(struct dbgloop *d, uint64_t *hit);
/* The step count a goto or scan runs to, or UINT64_MAX. */
uint64_t dbgloop_goal(const struct dbgloop *d);

enum exec_stop dbgloop_run(struct dbgloop *d, uint64_t max_insns, const volatile int *stop_flag,
                           const volatile int *intr_line);

#endif
