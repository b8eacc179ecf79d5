/* SPDX-License-Identifier: MIT */
/*
 * Runs of pre-decoded instructions for the interpreter's fast loop
 * (interp_run_fast): straight-line instructions in one code page, decoded
 * once and kept with their bytes in struct cpu's iblock[] table. A run is
 * used only while its bytes still equal those in guest memory, checked
 * when it is entered and again after each instruction of it that may
 * store, so self-modifying code, DMA and snapshot loads need no hook.
 * Owns the table; knows nothing of running instructions (interp.c), and
 * which instructions a run may hold is the interpreter's call (op classes).
 */
#ifndef KILN_CPU_IBLOCK_H
#define KILN_CPU_IBLOCK_H

#include <string.h>

#include "cpu/cpu.h"

/* Per op, from the interpreter (bits). */
enum {
    IBLOCK_OP_FAST = 1,     /* the fast loop may run it */
    IBLOCK_OP_REG_SAFE = 2, /* with no memory operand: changes nothing before its last fault, touches no memory */
    IBLOCK_OP_ENDS = 4,     /* may transfer control: last of a run */
    IBLOCK_OP_NO_STORE = 8, /* never stores to memory */
};

/* Per instruction of a run (struct iblock's kind[]). */
enum {
    IBLOCK_NO_UNDO = 1, /* needs no undo record */
    IBLOCK_STORES = 2,  /* may store: the rest of the run is checked after it */
};

/* The run starting at CS:EIP, its bytes checked against guest memory, built
 * now when missing; NULL when there is none (the first instruction is not
 * for the fast loop, or needs the slow fetch path). Sets *host to the host
 * address of its first byte. 'op_class' holds IBLOCK_OP_* bits per op. */
const struct iblock *iblock_at(struct cpu *c, const uint8_t *op_class, const uint8_t **host);

/* True when bytes [from, nbytes) of run 'b' still equal guest memory at 'host'. */
static inline bool iblock_intact(const struct iblock *b, const uint8_t *host, unsigned from)
{
    return memcmp(b->bytes + from, host + from, b->nbytes - from) == 0;
}

#endif
