/* SPDX-License-Identifier: MIT */
/*
 * The debugging session shared by dbgloop.c (execution), gdbstub.c (the
 * packets), gdbstub_regs.c, gdbstub_mem.c (memory, monitor commands) and
 * trace*.c. Internal to the frontend: machine.c sees only dbgloop.h.
 */
#ifndef KILN_FRONTEND_GDBSTUB_INT_H
#define KILN_FRONTEND_GDBSTUB_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "frontend/dbgloop.h"
#include "frontend/gdb_rsp.h"
#include "frontend/trace.h"

/* gdb register numbers (the order of the target description). */
enum {
    GDB_REG_EIP = 8,
    GDB_REG_EFLAGS = 9,
    GDB_REG_CS = 10,
    GDB_REG_ST0 = 16,
    GDB_REG_FCTRL = 24,
    GDB_REG_CR0 = 32,
    GDB_NUM_REGS = 36,
};

#define GDB_MAX_BREAK 64
#define GDB_MAX_WATCH 16

enum realmode_setting { REALMODE_AUTO, REALMODE_ON, REALMODE_OFF };

/* Why the guest stopped, for the stop reply. */
enum stop_reason { STOP_NONE, STOP_TRAP, STOP_INTR, STOP_WATCH, STOP_BEGIN };

enum watch_type { WATCH_WRITE = 2, WATCH_READ = 3, WATCH_ACCESS = 4 }; /* Z2, Z3, Z4 */

/* A breakpoint or watchpoint hit a reverse-continue scan found. */
struct gdb_hit {
    uint64_t steps; /* UINT64_MAX: none */
    enum stop_reason reason;
    uint32_t watch_addr;
    enum watch_type watch_type;
};

struct gdb_watch {
    uint32_t lin;
    int len;
    enum watch_type type;
    uint32_t pa[4]; /* each byte's physical address before this instruction */
    bool pa_valid[4];
};

struct dbgloop {
    struct cpu *c;
    struct dbgloop_host host;
    bool gdb_on;  /* -gdb/-s given */
    struct rsp rsp;
    bool wait_first; /* -S: stop before the first instruction */
    enum realmode_setting realmode;
    bool phys_mem; /* 'monitor phys on': m/M address physical memory */
    bool step_noirq; /* 'monitor stepirq off': no external interrupt while stepping */

    uint32_t bp[GDB_MAX_BREAK]; /* linear addresses */
    int n_bp;
    struct gdb_watch wp[GDB_MAX_WATCH];
    int n_wp;

    enum stop_reason stop; /* a stop to report and serve */
    uint32_t stop_watch_addr;
    enum watch_type stop_watch_type;
    bool stepping;      /* 's': stop after one instruction */
    bool reply_owed;    /* gdb resumed the guest and waits for a stop reply */
    bool skip_bp;       /* resume past the breakpoint at resume_lin */
    uint32_t resume_lin;
    uint64_t resume_icount;
    uint32_t resume_esp;
    uint16_t resume_cs;
    uint32_t resume_eip;

    struct trace *trace; /* NULL without -d tracing items */

    /* gdb_watch.c: the CPU's bus as found, and the watched physical span */
    struct cpu_bus inner;
    bool wbus_on, wquiet, fetch_pa_valid;
    uint32_t fetch_pa, hole_lo, hole_hi;
    int watch_hit; /* index of the watchpoint the last instruction hit, or -1 */
    const volatile int *stop_flag; /* the machine's: set when Kiln must exit */

    /* reverse execution (dbgloop.h): the request, and the run to a goal */
    enum dbgloop_reverse rev_req;
    uint64_t goal;          /* UINT64_MAX: none */
    bool scanning;          /* the goal run notes hits instead of stopping */
    bool scan_done;
    enum dbgloop_report goal_report;
    struct gdb_hit hit;     /* the last hit of the scan */
};

/* The target description for the CPU's current mode (gdbstub_regs.c). */
const char *gdb_target_xml(const struct dbgloop *d, size_t *len);

/* Registers (gdbstub_regs.c). */
int gdb_reg_size(int n);
int gdb_reg_read(struct dbgloop *d, int n, uint8_t *out);
bool gdb_reg_write(struct dbgloop *d, int n, const uint8_t *in);
size_t gdb_regs_size(void);
bool gdb_regs_write_all(struct dbgloop *d, const uint8_t *in);
/* True when gdb's EIP is the linear CS.base + EIP (real-mode awareness). */
bool gdb_pc_is_linear(const struct dbgloop *d);
uint32_t gdb_pc(const struct dbgloop *d);

/* Memory (gdbstub_mem.c): linear (or, with phys_mem, physical) access with
 * no side effect on the TLB, the accessed/dirty bits or pending faults.
 * Return false at the first unmapped page. */
bool gdb_lin_to_phys(struct cpu *c, uint32_t lin, uint32_t *pa);
bool gdb_mem_read(struct dbgloop *d, uint32_t addr, uint8_t *out, size_t len);
bool gdb_mem_write(struct dbgloop *d, uint32_t addr, const uint8_t *in, size_t len);
/* Run a 'monitor' command; output lines are sent as O packets. */
void gdb_monitor(struct dbgloop *d, const char *cmd);

/* Watchpoints (gdb_watch.c): before each instruction, route the watched
 * pages through the bus callbacks (d->watch_hit then names a hit); release
 * gives the CPU its bus back. */
void gdb_watch_before(struct dbgloop *d);
void gdb_watch_release(struct dbgloop *d);

/* Serve packets while stopped (gdbstub.c): reports d->stop first, returns
 * when gdb resumes, detaches or kills the machine. */
void gdb_serve(struct dbgloop *d);
/* Non-blocking check while running: new client, Ctrl-C. */
void gdb_poll_running(struct dbgloop *d);

#endif
