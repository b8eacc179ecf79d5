/* SPDX-License-Identifier: MIT */
/*
 * The decoder: instruction bytes in, struct insn out, for one CPU
 * generation and code-segment size. Bytes arrive through a fetch callback so
 * that page and segment-limit faults surface at the exact byte. Owns the
 * decode tables built from opcodes.def; touches no CPU state.
 * Spec: Intel SDM Vol. 2A ch. 2 and appendix A; 286/8086 prefix sets from
 * the SingleStepTests notes.
 */
#ifndef KILN_CPU_DECODE_H
#define KILN_CPU_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"
#include "cpu/insn.h"
#include "cpu/models.h"

/* Fetch byte 'index' of the instruction (0 is its first byte) into *out.
 * Returns 0, or a non-zero fault code that decode_insn passes through. */
typedef int (*decode_fetch_fn)(void *ctx, unsigned index, uint8_t *out);

enum decode_status {
    DEC_OK = 0,
    DEC_FETCH_FAULT = 1, /* the fetch callback faulted; its code is in *fetch_rc */
    DEC_UD,              /* invalid opcode (#UD) */
    DEC_TOO_LONG,        /* longer than the model's limit (#GP(0)) */
};

/*
 * Decode one instruction for generation 'gen' with default operand/address
 * size 'code_size' (2 or 4). On DEC_OK *out is complete. On DEC_UD, out->len
 * is the length decoded so far. On the 8086 (no #UD) an invalid encoding
 * decodes as OP_INVALID with its full length.
 */
KILN_MUST_CHECK enum decode_status decode_insn(enum cpu_gen gen, int code_size,
                                               decode_fetch_fn fetch, void *ctx,
                                               struct insn *out, int *fetch_rc);

/* As decode_insn, reading the first 'winlen' bytes from 'win' and only the
 * rest through the callback (the interpreter's fast path). */
KILN_MUST_CHECK enum decode_status decode_insn_window(enum cpu_gen gen, int code_size,
                                                      const uint8_t *win, unsigned winlen,
                                                      decode_fetch_fn fetch, void *ctx,
                                                      struct insn *out, int *fetch_rc);

/* Decode from a byte buffer (bytes past 'len' fetch as a fault). */
KILN_MUST_CHECK enum decode_status decode_buffer(enum cpu_gen gen, int code_size,
                                                 const uint8_t *buf, size_t len,
                                                 struct insn *out);

/* The instruction's mnemonic as Capstone spells it in Intel syntax. */
const char *insn_mnemonic(const struct insn *in);

/* Number of table cells two regular rows claimed at once for 'gen' (0 when
 * opcodes.def is consistent). */
int decode_table_conflicts(enum cpu_gen gen);

#endif
