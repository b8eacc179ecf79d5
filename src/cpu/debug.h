/* SPDX-License-Identifier: MIT */
/*
 * Debug registers: instruction breakpoints (faults before the instruction,
 * suppressed by RF), data and I/O breakpoints (traps after the accessing
 * instruction), DR6 status bits and DR7 general detect. Owns the decoding
 * of DR7 into the armed sets the access paths test cheaply.
 * Spec: Intel SDM Vol. 3A 17.2 (debug registers), 17.3 (#DB conditions).
 */
#ifndef KILN_CPU_DEBUG_H
#define KILN_CPU_DEBUG_H

#include "cpu/cpu.h"

/* c->dbg.pending: bits 0-3 are the data breakpoints B0-B3 this instruction
 * hit; DBG_PENDING_BT is a task switch into a TSS with T set. Each traps
 * after the instruction with the matching DR6 bits. */
enum { DBG_PENDING_BT = 1u << 4, DR6_BT = 1u << 15 };

enum { CR4_DE_BIT = 1u << 3 }; /* debugging extensions: I/O breakpoints, DR4/DR5 #UD */

/* Recompute the armed breakpoint sets after a DR0-DR3 or DR7 write. */
void debug_update(struct cpu *c);

/* Before an instruction at linear 'lin': #DB fault if an execute
 * breakpoint matches and EFLAGS.RF is clear. */
KILN_MUST_CHECK int debug_check_exec(struct cpu *c, uint32_t lin);

/* Note a port access of 'size' bytes at 'port' against the armed I/O
 * breakpoints (CR4.DE set): a hit traps after the instruction. */
void debug_note_io(struct cpu *c, uint16_t port, int size);

/* Note a data access of 'size' bytes at 'lin' against the armed data breakpoints. */
void debug_note_access(struct cpu *c, uint32_t lin, int size, bool write);

#endif
