/* SPDX-License-Identifier: MIT */
/*
 * Machine snapshots (savevm / loadvm / -loadvm): one gzip-compressed file
 * with a versioned header and tagged sections. Version 2 holds the CPU and
 * FPU, RAM, virtual time, the PIC pair, PIT, RTC/CMOS, 8042, PS/2 keyboard
 * and mouse, the UARTs, VGA (registers and video memory), the DMA pair, the
 * floppy controller, the IDE controller (ATA, ATAPI, bus master, staged
 * data), the PCI configuration and the -snapshot disks' write overlays; the
 * loading machine must have the same drives and media. A file is
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

#define SNAPSHOT_VERSION 2

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
