/* SPDX-License-Identifier: MIT */
/*
 * The monitor (-monitor stdio): a line-based command interpreter in QEMU's
 * spelling (info registers/mem/tlb/pic/pci, x and xp, stop and cont,
 * system_reset, sendkey, screendump, savevm, loadvm, quit, help). It reads CPU and device
 * state and feeds the keyboard; it never writes guest memory or CPU state,
 * and it asks the machine loop (struct monitor_host) to pause, reset or quit.
 */
#ifndef KILN_FRONTEND_MONITOR_H
#define KILN_FRONTEND_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "devices/pc.h"
#include "frontend/keysink.h"

/* What the monitor asks of the machine loop. */
struct monitor_host {
    void *opaque;
    void (*set_paused)(void *opaque, bool paused); /* stop / cont */
    void (*reset)(void *opaque);                   /* system_reset */
    void (*quit)(void *opaque);                    /* quit */
    /* savevm / loadvm FILE: false with a message in err. */
    bool (*savevm)(void *opaque, const char *path, char *err, size_t errlen);
    bool (*loadvm)(void *opaque, const char *path, char *err, size_t errlen);
    /* sendkey's presses and releases (the machine may record them). */
    struct keysink keys;
};

#define MONITOR_LINE_MAX 1024

struct monitor {
    struct cpu *cpu;
    struct pc *pc;
    struct monitor_host host;
    int in_fd; /* -1: commands only through monitor_command() */
    FILE *out;
    char line[MONITOR_LINE_MAX];
    size_t len;
    bool overlong; /* the current line outgrew 'line' and will be rejected */
    bool eof;
    bool paused;
};

/* Attach the monitor to a machine, reading commands from 'in_fd' (or -1) and
 * answering on 'out'; prints the banner and the first prompt. */
void monitor_init(struct monitor *mon, struct cpu *cpu, struct pc *pc,
                  const struct monitor_host *host, int in_fd, FILE *out);

/* Run every complete command line waiting on the input, without blocking. */
void monitor_poll(struct monitor *mon);

/* The descriptor to wait on for commands, or -1 (none, or end of input). */
int monitor_poll_fd(const struct monitor *mon);

/* Run one command line (no trailing newline needed). */
void monitor_command(struct monitor *mon, const char *line);

#endif
