/* SPDX-License-Identifier: MIT */
/*
 * Runs of pre-decoded instructions for the interpreter's fast loop
 * (interp_run_fast): straight-line instructions in one code page, decoded
 * once and kept with their bytes in struct cpu's iblock[] table. A run is
 * used only while its bytes still equal those in guest memory, checked
 * when it is entered and again after an instruction of it whose store
 * touched its page (mem_note_store), so self-modifying code, DMA and
 * snapshot loads need no hook into the table.
 * Owns the table; knows nothing of running instructions (interp.c), and
 * which instructions a run may hold is the interpreter's call (op classes).
 */
#ifndef KILN_CPU_IBLOCK_H
#define KILN_CPU_IBLOCK_H

#include "common/bits.h"
#include "common/compiler.h"
#include "cpu/cpu.h"

/* Per op, from the interpreter (bits). */
enum {
    IBLOCK_OP_FAST = 1,     /* the fast loop may run it */
    IBLOCK_OP_REG_SAFE = 2, /* with no memory operand: changes nothing before its last fault, touches no memory */
    IBLOCK_OP_ENDS = 4,     /* may transfer control: last of a run */
    IBLOCK_OP_MEM_SAFE = 16, /* in every form: changes nothing before its last fault */
};

/* Per instruction of a run (struct iblock's kind[]). */
enum {
    IBLOCK_NO_UNDO = 1, /* needs no undo record */
};

/* True when bytes [from, nbytes) of run 'b' still equal guest memory at
 * 'host': 8 bytes at a time, the last 8 overlapping the ones before (no
 * byte past the run is read: it may be past the end of guest RAM). */
static KILN_ALWAYS_INLINE bool iblock_intact_inline(const struct iblock *b, const uint8_t *host,
                                                    unsigned from)
{
    const uint8_t *x = b->bytes + from, *y = host + from;
    unsigned n = b->nbytes - from;
    if (n < 8) {
        for (unsigned i = 0; i < n; i++)
            if (x[i] != y[i])
                return false;
        return true;
    }
    uint64_t diff = load_le64(x + n - 8) ^ load_le64(y + n - 8);
    for (unsigned i = 0; i + 8 < n; i += 8)
        diff |= load_le64(x + i) ^ load_le64(y + i);
    return !diff;
}

/* The same, out of line: for the checks after a store. */
bool iblock_intact(const struct iblock *b, const uint8_t *host, unsigned from);

static inline struct iblock *iblock_slot(struct cpu *c, uint32_t lin)
{
    return &c->iblock[(lin * 0x9e3779b1u) >> (32 - 14) & (IBLOCK_ENTRIES - 1)];
}

_Static_assert(IBLOCK_ENTRIES <= 1u << 14, "iblock_slot() hashes to 14 bits");

/* Decode the run at linear address 'lin' into its slot from 'code', the
 * host address of its bytes, of which 'room' lie within the page, the CS
 * limit and (16-bit code) 64 KiB. NULL when there is no run to take there
 * (the first instruction is not for the fast loop, or needs bytes past
 * 'room'). 'op_class' holds IBLOCK_OP_* bits per op; 'pick' gives the
 * handler to run each instruction with. */
const struct iblock *iblock_build(struct cpu *c, uint32_t lin, const uint8_t *code,
                                  unsigned room, int code_size, const uint8_t *op_class,
                                  op_handler_fn (*pick)(const struct insn *in));

/* The run at 'lin' (as for iblock_build), its bytes checked against guest
 * memory, built when missing. */
static inline const struct iblock *iblock_find(struct cpu *c, uint32_t lin, const uint8_t *code,
                                               unsigned room, int code_size,
                                               const uint8_t *op_class,
                                               op_handler_fn (*pick)(const struct insn *in))
{
    const struct iblock *b = iblock_slot(c, lin);
    if (KILN_LIKELY(b->lin == lin && b->epoch == c->icache_epoch && b->key == code_size &&
                    b->nbytes <= room && iblock_intact_inline(b, code, 0)))
        return b->n ? b : NULL;
    return iblock_build(c, lin, code, room, code_size, op_class, pick);
}

#endif
