/* SPDX-License-Identifier: MIT */
/*
 * Reverse execution for gdb's reverse-stepi and reverse-continue, on top
 * of record/replay: while a debugger is attached to a -record or -replay
 * run, the machine loop keeps in-memory checkpoints (checkpoint.h) every
 * so many steps, a bounded number of them (when the table is full, every
 * second one goes and the spacing doubles). Going back to step T puts the
 * latest checkpoint before T back and runs forward to T (dbgloop_goto);
 * the logged input comes back at its stamps, so the re-run is the same
 * run. reverse-continue scans from the checkpoint before the current step
 * for breakpoint and watchpoint hits (dbgloop_scan), segment by segment
 * backwards, and then runs to the last hit it found. Owns the checkpoint
 * table; the loop and the stop reports stay machine.c's and dbgloop.c's.
 */
#include "frontend/machine_int.h"

#include <stdlib.h>

#include "frontend/checkpoint.h"
#include "jit/dispatch.h"

#define TT_MAX_POINTS     8
#define TT_FIRST_INTERVAL 20000000u /* steps between checkpoints at first */

struct tt_point {
    struct checkpoint cp;
    struct rr_stamp at;
    uint64_t irqs;
    bool ferr_latch;
    size_t cursor; /* the record's next event */
};

struct timetravel {
    struct tt_point pt[TT_MAX_POINTS];
    int n;
    uint64_t interval;
    bool scanning;
    int scan_from; /* the checkpoint the current scan started at */
    bool out_of_memory;
};

struct timetravel *machine_tt_new(void)
{
    struct timetravel *t = calloc(1, sizeof(*t));
    if (t)
        t->interval = TT_FIRST_INTERVAL;
    return t;
}

void machine_tt_free(struct timetravel *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n; i++)
        checkpoint_free(&t->pt[i].cp);
    free(t);
}

/* Keep the first checkpoint and every second one after it. */
static void thin(struct timetravel *t)
{
    int kept = 1;
    for (int i = 1; i < t->n; i++) {
        if (i % 2) {
            checkpoint_free(&t->pt[i].cp);
            continue;
        }
        t->pt[kept++] = t->pt[i];
    }
    t->n = kept;
    t->interval *= 2;
}

static void take(struct machine *m)
{
    struct timetravel *t = m->tt;
    if (t->out_of_memory)
        return;
    if (t->n == TT_MAX_POINTS)
        thin(t);
    struct tt_point *p = &t->pt[t->n];
    if (!checkpoint_take(&p->cp, &m->cpu, m->pc)) {
        fprintf(stderr, "kiln: out of memory for checkpoints; reverse execution reaches back "
                        "no further than the last one\n");
        t->out_of_memory = true;
        return;
    }
    p->at = machine_stamp(m);
    p->irqs = m->irqs;
    p->ferr_latch = m->ferr_latch;
    p->cursor = rr_cursor(m->rr);
    t->n++;
}

static void restore(struct machine *m, int k)
{
    const struct tt_point *p = &m->tt->pt[k];
    checkpoint_restore(&p->cp, &m->cpu, m->pc);
    if (m->jit) /* all of RAM changed under the translated code */
        jit_notify_ram_write(m->jit, 0, m->pc->ram_size);
    m->idle_ns = p->at.idle_ns;
    m->irqs = p->irqs;
    m->ferr_latch = p->ferr_latch;
    rr_set_cursor(m->rr, p->cursor);
    m->intr_line = pic_intr_pending(&m->pc->pic);
}

/* The latest checkpoint strictly before step 'pos' (so that the run to it
 * passes the loop's top the way the original run did), else the latest at
 * it; -1 when none is that early. */
static int point_before(const struct timetravel *t, uint64_t pos)
{
    for (int i = t->n - 1; i >= 0; i--)
        if (t->pt[i].at.pos < pos)
            return i;
    return t->n && t->pt[0].at.pos == pos ? 0 : -1;
}

/* Go to step 'goal' and report 'how' there; before the first checkpoint,
 * to the start of the history. */
static void go_to(struct machine *m, uint64_t goal, enum dbgloop_report how)
{
    int k = point_before(m->tt, goal);
    if (k < 0) {
        k = 0;
        goal = m->tt->pt[0].at.pos;
        how = DBG_REPORT_BEGIN;
    }
    restore(m, k);
    dbgloop_goto(m->dbg, goal, how);
}

/* Scan the segment from checkpoint k to step 'end' for hits. */
static void scan(struct machine *m, int k, uint64_t end)
{
    m->tt->scanning = true;
    m->tt->scan_from = k;
    restore(m, k);
    dbgloop_scan(m->dbg, end);
}

/* A scan reached its end: go to its last hit, or scan the segment before. */
static void scan_finished(struct machine *m, uint64_t hit)
{
    struct timetravel *t = m->tt;
    t->scanning = false;
    if (hit != UINT64_MAX) {
        go_to(m, hit, DBG_REPORT_HIT);
        return;
    }
    int k = t->scan_from;
    if (k == 0) {
        restore(m, 0);
        dbgloop_goto(m->dbg, t->pt[0].at.pos, DBG_REPORT_BEGIN);
        return;
    }
    scan(m, k - 1, t->pt[k].at.pos);
}

void machine_tt_top(struct machine *m)
{
    struct timetravel *t = m->tt;
    if (!t->n) {
        take(m); /* the start of the history */
        if (!t->n)
            return;
    }
    uint64_t now = machine_stamp(m).pos, hit;
    switch (dbgloop_take_reverse(m->dbg)) {
    case DBG_REV_STEP:
        t->scanning = false;
        if (now <= t->pt[0].at.pos)
            dbgloop_goto(m->dbg, now, DBG_REPORT_BEGIN);
        else
            go_to(m, now - 1, DBG_REPORT_TRAP);
        return;
    case DBG_REV_CONT: {
        int k = point_before(t, now);
        if (k < 0 || now <= t->pt[0].at.pos)
            dbgloop_goto(m->dbg, now, DBG_REPORT_BEGIN);
        else
            scan(m, k, now);
        return;
    }
    case DBG_REV_NONE: break;
    }
    if (dbgloop_goal(m->dbg) < now) {
        /* Kiln's own mistake, not the guest's: show gdb where the run is. */
        fprintf(stderr, "kiln: reverse execution ran past step %llu (now %llu)\n",
                (unsigned long long)dbgloop_goal(m->dbg), (unsigned long long)now);
        t->scanning = false;
        dbgloop_goto(m->dbg, now, DBG_REPORT_TRAP);
        return;
    }
    if (t->scanning) {
        if (dbgloop_scan_done(m->dbg, &hit))
            scan_finished(m, hit);
        else if (dbgloop_goal(m->dbg) == UINT64_MAX)
            t->scanning = false; /* interrupted (Ctrl-C, a new debugger) */
        return;
    }
    if (dbgloop_goal(m->dbg) == UINT64_MAX && now >= t->pt[t->n - 1].at.pos + t->interval)
        take(m);
}

uint64_t machine_tt_slice(struct machine *m, uint64_t slice)
{
    uint64_t goal = dbgloop_goal(m->dbg), now = machine_stamp(m).pos;
    if (goal == UINT64_MAX || goal < now)
        return slice;
    return goal - now < slice ? goal - now : slice;
}
