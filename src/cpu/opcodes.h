/* SPDX-License-Identifier: MIT */
/*
 * The vocabulary of opcodes.def: maps, ModRM constraints, immediate kinds,
 * generations and row flags, plus the per-row descriptor that the decoder,
 * interpreter and disassembly helpers read. Constant data only.
 */
#ifndef KILN_CPU_OPCODES_H
#define KILN_CPU_OPCODES_H

#include <stdint.h>

#include "cpu/insn.h"
#include "cpu/models.h"

enum { M0 = 0, M1 = 1 }; /* one-byte map, 0F map */

/* ModRM reg/rm selectors are bit masks of the allowed values. */
#define R(n)     (1u << (n))
#define RX       0xffu
#define RR(a, b) ((0xffu >> (7 - (b))) & (0xffu << (a)))

enum opc_mod { MA, MM, MR }; /* any / memory only / register only */

enum opc_imm {
    IM_NONE,
    IM_B,  /* 8-bit */
    IM_W,  /* 16-bit */
    IM_Z,  /* 16 or 32 bits by operand size */
    IM_JB, /* 8-bit relative, sign-extended */
    IM_JZ, /* 16/32-bit relative by operand size */
    IM_AP, /* far pointer: offset (operand size) then 16-bit selector */
    IM_O,  /* memory offset (moffs) of address size */
    IM_WB, /* ENTER: 16-bit then 8-bit */
};

enum { G86 = CPU_8086, G286 = CPU_286, G386 = CPU_386, G486 = CPU_486, G586 = CPU_PENTIUM,
       G686 = CPU_PENTIUM2 };

enum opc_flags {
    F_MODRM = 1u << 0,   /* has a ModRM byte */
    F_LOCK = 1u << 1,    /* LOCK allowed with a memory destination (386+: #UD otherwise) */
    F_ALIAS = 1u << 2,   /* fills only cells that no regular row claims */
    F_ONLY86 = 1u << 3,  /* exists only on the 8086 */
    F_NOFPU = 1u << 4,   /* exists only on FPU-less models (8086, 286) */
    F_MODREG = 1u << 5,  /* ModRM mod bits ignored: always a register (MOV CRn/DRn) */
    F_MN_ASIZE = 1u << 6, /* mnemonic "a|b" chosen by address size, not operand size */
    F_X87 = 1u << 7,     /* x87 escape */
    F_MMX = 1u << 8,     /* MMX instruction */
    F_STRING = 1u << 9,  /* string instruction: REP prefixes repeat it */
    F_BYTE = 1u << 10,   /* 8-bit operand form (mnemonic needs no size) */
};

/* One row of opcodes.def. */
struct opc_row {
    const char *mnem; /* "name" or "name16|name32" */
    uint8_t map, opcode, reg_mask, rm_mask, mod, imm, gen;
    uint16_t flags;
};

/* The descriptor of every op id, indexed by enum op_id. */
extern const struct opc_row opc_rows[OP_COUNT];

#endif
