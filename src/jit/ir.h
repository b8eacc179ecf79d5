/* SPDX-License-Identifier: MIT */
/*
 * Kiln's IR: a linear list of register-transfer operations for one block
 * (ops and contracts in ir_ops.def). Built by the translator, rewritten by
 * the passes (opt.c), lowered by a host backend (x64_backend.c). Owns the
 * IR's data structure, builder and printer; knows nothing about any host.
 */
#ifndef KILN_JIT_IR_H
#define KILN_JIT_IR_H

#include <stdint.h>
#include <stdio.h>

enum ir_opcode {
#define IR_OP(name, contract) IR_##name,
#include "jit/ir_ops.def"
#undef IR_OP
    IR_OPCODE_COUNT
};

#define IR_NONE    0xff /* no temporary */
#define IR_TEMPS   5    /* temporaries per guest instruction */
#define IR_MAX_OPS 1024 /* per block */

struct ir_op {
    uint8_t op;      /* enum ir_opcode */
    uint8_t size;    /* 1, 2 or 4 */
    uint8_t d, a, b; /* temporaries or IR_NONE */
    uint8_t aux;
    uint8_t dead;    /* removed by a pass: emit nothing */
    uint32_t imm, imm2;
};

struct ir_block {
    struct ir_op op[IR_MAX_OPS];
    int n;
    int overflow; /* ran out of room: the block must be cut */
};

/* Append an op; returns its index (the block's overflow flag on no room). */
int ir_emit(struct ir_block *b, enum ir_opcode op, int size, int d, int a, int bb, int aux,
            uint32_t imm, uint32_t imm2);

/* The op's name ("ADD"). */
const char *ir_name(enum ir_opcode op);

/* The op's one-line contract. */
const char *ir_contract(enum ir_opcode op);

/* Print every live op of 'b', one per line. */
void ir_print(const struct ir_block *b, FILE *f);

#endif
