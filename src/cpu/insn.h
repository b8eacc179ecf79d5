/* SPDX-License-Identifier: MIT */
/*
 * struct insn: the decoder's only output, consumed by the interpreter and
 * the translator. One decoded instruction: which form (op), its prefixes,
 * sizes, ModRM operands and immediates. Nothing else in Kiln decodes bytes.
 * Spec: Intel SDM Vol. 2A ch. 2 (instruction format), appendix A (maps).
 */
#ifndef KILN_CPU_INSN_H
#define KILN_CPU_INSN_H

#include <stdint.h>

/* Instruction forms, one per row of opcodes.def. OP_INVALID is 0. */
enum op_id {
#define OP(id, mnem, map, opc, reg, rm, mod, imm, gen, flags, handler) OP_##id,
#include "cpu/opcodes.def"
#undef OP
    OP_COUNT
};

/* REP prefix kinds. */
enum { REP_NONE, REP_E /* F3 */, REP_NE /* F2 */ };

/* Register number meaning "no base/index". */
#define INSN_NOREG 0xff

struct insn {
    uint16_t op;       /* enum op_id */
    uint8_t len;       /* bytes, prefixes included */
    uint8_t opsize;    /* operand size in bytes: 2 or 4 (byte forms are their own ops) */
    uint8_t addrsize;  /* address size in bytes: 2 or 4 */
    uint8_t seg;       /* segment of the memory operand: override or default */
    uint8_t seg_ovr;   /* SEG_NONE or the segment-override prefix */
    uint8_t rep;       /* REP_NONE, REP_E, REP_NE (last one wins) */
    uint8_t lock;      /* LOCK prefix present */
    uint8_t opsize_pfx; /* 66 prefix present */
    uint8_t map;       /* 0: one-byte map, 1: 0F map */
    uint8_t opcode;    /* the opcode byte within its map */
    uint8_t has_modrm;
    uint8_t modrm;     /* raw ModRM byte */
    uint8_t mod, reg, rm;
    uint8_t is_mem;    /* ModRM names memory (mod != 3) */
    uint8_t base, index, scale; /* memory operand: registers (INSN_NOREG) and shift 0-3 */
    uint8_t prefix_len; /* bytes of prefixes before the opcode */
    uint32_t disp;     /* displacement, sign-extended to 32 bits */
    uint32_t imm;      /* first immediate (raw, zero-extended), branch target delta, or moffs */
    uint32_t imm2;     /* second immediate: ENTER nesting level, far-pointer selector */
};

struct cpu;

/* An instruction's semantics (ops_*.c): 0, or CPU_FAULT with the
 * exception in the cpu's exc_* fields. */
typedef int (*op_handler_fn)(struct cpu *c, const struct insn *in);

#endif
