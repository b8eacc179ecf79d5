/* SPDX-License-Identifier: MIT */
/*
 * The running machine: one CPU joined to the PC devices, the virtual clock
 * driven in real-time or deterministic mode, host character devices for the
 * serial ports and debug console, and the loop that runs the CPU, delivers
 * interrupts and idles on HLT. Owns the host side of time and I/O: devices
 * never see the host clock or file descriptors.
 */
#ifndef KILN_FRONTEND_MACHINE_H
#define KILN_FRONTEND_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "devices/pc.h"
#include "frontend/options.h"

struct machine;

/* Build the machine described by cfg. NULL with a message in err on failure. */
struct machine *machine_new(const struct kiln_config *cfg, char *err, size_t errlen);
void machine_free(struct machine *m);

/* Run until the guest exits, resets with -no-reboot, fails, or
 * machine_request_stop() is called. Returns the process exit status. */
int machine_run(struct machine *m);

/* Ask the loop to stop at the next instruction boundary (async-signal-safe). */
void machine_request_stop(struct machine *m, int status);

/* The PC inside the machine (screenshots, the monitor). */
struct pc *machine_pc(struct machine *m);

/* Print execution statistics (-d jitstats) to 'f'. */
void machine_print_stats(const struct machine *m, FILE *f);

#endif
