/* SPDX-License-Identifier: MIT */
/*
 * Decode tables: for each generation, the op id of every (map, opcode,
 * mod-is-register, reg, rm) cell, built once from opcodes.def at program
 * start and constant afterwards. Private to the decoder.
 */
#ifndef KILN_CPU_DECODE_TABLE_H
#define KILN_CPU_DECODE_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/models.h"

struct decode_table {
    uint16_t cell[2][256][2][8][8]; /* [map][opcode][mod == 3][reg][rm] */
    uint16_t direct[2][256];        /* forms without ModRM */
    bool has_modrm[2][256];
    bool escape_0f;                 /* 0F starts the two-byte map (286 on) */
    int conflicts;
};

/* The table of generation 'gen'. */
const struct decode_table *decode_table_for(enum cpu_gen gen);

/* Mnemonic of 'op' for 16-bit (wide = false) or 32-bit size. */
const char *decode_table_mnemonic(unsigned op, bool wide);

#endif
