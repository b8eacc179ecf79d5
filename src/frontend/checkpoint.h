/* SPDX-License-Identifier: MIT */
/*
 * In-memory machine checkpoints for reverse execution: the sections of a
 * snapshot (snapshot_state.h: CPU, RAM, devices, VGA) kept in memory
 * buffers with the device timers' deadlines and the clock, so that a
 * checkpoint taken at one point of a deterministic run can be put back
 * and the run re-executed from there. Covers what snapshots cover (not
 * the DMA, floppy and IDE controllers or PCI configuration). Owns the
 * buffers only; which checkpoints to keep is machine_tt.c's.
 */
#ifndef KILN_FRONTEND_CHECKPOINT_H
#define KILN_FRONTEND_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"
#include "cpu/cpu.h"
#include "devices/pc.h"

#define CHECKPOINT_MAX_SECTIONS 16

struct checkpoint {
    uint8_t *sec[CHECKPOINT_MAX_SECTIONS];
    size_t sec_len[CHECKPOINT_MAX_SECTIONS];
    uint64_t *deadlines; /* one per snapshot timer */
    uint64_t clock_now;
    uint64_t exceptions; /* struct cpu's count, which snapshots leave out */
    size_t bytes;        /* memory held */
};

/* Copy the machine into cp (empty before). False when out of memory
 * (cp is left empty). */
KILN_MUST_CHECK bool checkpoint_take(struct checkpoint *cp, const struct cpu *c, struct pc *pc);
/* Put the machine back as it was when cp was taken. The caller tells the
 * translator that all of RAM changed. */
void checkpoint_restore(const struct checkpoint *cp, struct cpu *c, struct pc *pc);
/* Free cp's buffers (cp becomes empty). */
void checkpoint_free(struct checkpoint *cp);

#endif
