/* SPDX-License-Identifier: MIT */
/*
 * Machine snapshots (savevm / loadvm / -loadvm): one gzip-compressed file
 * with a versioned header and tagged sections. Version 1 holds the CPU and
 * FPU, RAM, virtual time, and the PIC pair, PIT, RTC/CMOS, 8042, PS/2
 * keyboard and mouse, the UARTs, and VGA (registers and video memory).
 * Not yet: DMA, floppy, IDE, PCI configuration and disk overlays, so a
 * snapshot of a guest in the middle of disk I/O does not resume. A file is
 * checked completely (magic, version, build fingerprint, CPU model, RAM
 * size, every section and its length, the gzip CRC) before anything in the
 * machine changes: a truncated or foreign file leaves it untouched.
 */
#ifndef KILN_FRONTEND_SNAPSHOT_H
#define KILN_FRONTEND_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"
#include "cpu/cpu.h"
#include "devices/pc.h"

#define SNAPSHOT_VERSION 1

/* Write the machine to 'path' (atomically: a temporary, then rename).
 * 'now_ns' is the virtual time. False with a message in err. */
KILN_MUST_CHECK bool snapshot_save(const char *path, const struct cpu *cpu, struct pc *pc,
                                   uint64_t now_ns, char *err, size_t errlen);

/* Replace the machine's state with the one in 'path'. On success *now_ns is
 * the saved virtual time, which the caller's clock must continue from. On
 * failure nothing has changed and err says why. */
KILN_MUST_CHECK bool snapshot_load(const char *path, struct cpu *cpu, struct pc *pc,
                                   uint64_t *now_ns, char *err, size_t errlen);

#endif
