/* SPDX-License-Identifier: MIT */
/*
 * The machine's state, shared by machine.c (assembly and the run loop),
 * machine_rr.c (record/replay glue) and machine_tt.c (reverse execution).
 * Private to those files: everything else sees only machine.h.
 */
#ifndef KILN_FRONTEND_MACHINE_INT_H
#define KILN_FRONTEND_MACHINE_INT_H

#include "frontend/machine.h"

#include <stdio.h>

#include "cpu/cpu.h"
#include "devices/pc.h"
#include "frontend/chardev.h"
#include "frontend/dbgloop.h"
#include "frontend/display_curses.h"
#include "frontend/display_sdl.h"
#include "frontend/monitor.h"
#include "frontend/rr.h"

/* Instructions run between device/clock/input checks in real-time mode. */
#define SLICE_INSNS 20000

struct machine {
    struct cpu cpu;
    struct pc *pc;
    struct kiln_config cfg;
    struct chardev serial[4];
    int n_serial;
    struct chardev debugcon;
    struct blockdev *disks[7]; /* hda-hdd, fda, fdb, cdrom: closed after the devices */
    volatile int intr_line; /* the PIC's INT output */
    volatile int stop;      /* exit or reset requested */
    bool reset_requested;
    int exit_status;
    uint64_t idle_ns;       /* deterministic mode: time skipped while halted */
    uint64_t host_start_ns; /* real-time mode */
    uint8_t *bios;
    size_t bios_size;
    uint8_t *vga_rom; /* the VGA BIOS found beside -bios, or NULL */
    size_t vga_rom_size;
    uint64_t run_start_ns; /* host time when machine_run started */
    bool ferr_latch;       /* the AT's FERR# latch driving IRQ13 */
    bool curses;           /* -display curses: the terminal is screen and keyboard */
    struct display_curses display;
    struct chardev keyboard; /* the terminal's keys, for -display curses */
    uint64_t next_refresh_ns;
    struct jit *jit;         /* the translator, NULL on the interpreter */
    uint64_t last_input_ns;  /* host time of the last poll of host input */
    bool serial_quiet;       /* idle's poll found no serial input since */
    FILE *log;               /* -D FILE, or NULL for stderr */
    FILE *perfmap;           /* -perfmap: /tmp/perf-PID.map, or NULL */
    struct dbgloop *dbg;     /* gdb stub and traces (dbgloop.h), or NULL */
    bool have_monitor; /* -monitor stdio, or opened by Ctrl+Alt+M */
    bool key_monitor;  /* opened by Ctrl+Alt+M: the terminal is lent to it */
    struct monitor monitor;
    bool sdl; /* -display sdl, or the default with a window system */
    struct display_sdl window;
    uint64_t next_sdl_ns, sdl_icount, sdl_icount_ns;
    double mips;
    bool paused;            /* the monitor's stop */
    uint64_t pause_host_ns; /* host time when it stopped */
    struct rr *rr;          /* -record / -replay, or NULL */
    uint64_t irqs;          /* external interrupts delivered (part of the rr step count) */
    struct keysink keys;    /* the curses display's and sendkey's way to the keyboard */
    struct timetravel *tt;  /* checkpoints for reverse execution (gdb with -record/-replay) */
    bool user_stop;         /* the user (a signal, gdb, the monitor, Ctrl-A x) ended the run */
};

/* machine_rr.c */

/* Where the run stands, in record/replay terms. */
struct rr_stamp machine_stamp(const struct machine *m);
/* The key sink host keys go through (records them, drops them in a replay). */
struct keysink machine_keysink(struct machine *m);
/* Serial input from the host for port i, recorded when recording. */
void machine_serial_input(struct machine *m, int i);
/* At the top of the loop, after the clock: deliver the logged inputs due
 * now. Returns 0 to go on, 1 when a replay reached its recorded end, -1
 * when it diverged (message printed). */
int machine_rr_deliver(struct machine *m);
/* The slice capped so that it stops at the next logged event (0: the
 * event is due after idle time, the machine must not run). */
uint64_t machine_rr_slice(struct machine *m, uint64_t slice);
/* The run ended with 'status': finish the record or check the replay. */
int machine_rr_finish(struct machine *m, int status);

/* machine_tt.c: reverse execution */

struct timetravel *machine_tt_new(void);
void machine_tt_free(struct timetravel *t);
/* At the very top of the loop: take a checkpoint when one is due, start
 * what gdb asked (reverse-stepi, reverse-continue), move a scan on. */
void machine_tt_top(struct machine *m);
/* The slice capped so that a run back to a step stops there. */
uint64_t machine_tt_slice(struct machine *m, uint64_t slice);

#endif
