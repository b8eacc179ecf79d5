/* SPDX-License-Identifier: MIT */
/*
 * A translated block and its key: what the code cache stores and what the
 * translator, the backend and the dispatcher pass between them. Owns no
 * behaviour; cache.c owns the lifetime of blocks.
 */
#ifndef KILN_JIT_BLOCK_H
#define KILN_JIT_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/insn.h"

/* Mode bits that change what a block's code does (see jit_key_of). */
enum {
    KEY_CODE32 = 1u << 0,  /* CS.D */
    KEY_STACK32 = 1u << 1, /* SS.B */
    KEY_USER = 1u << 2,    /* CPL 3: user TLB, user checks */
    KEY_PMODE = 1u << 3,   /* protected mode outside V86 */
    KEY_VM86 = 1u << 4,
    KEY_FLAT_SHIFT = 8,    /* +seg: base 0, limit 4 GiB, readable and writable data */
    KEY_READ_SHIFT = 16,   /* +seg: inline reads allowed (limit checked inline) */
    KEY_WRITE_SHIFT = 24,  /* +seg: inline writes allowed (limit checked inline) */
};

struct jit_key {
    uint32_t phys;    /* physical address of the first byte */
    uint32_t eip;     /* EIP of the first instruction */
    uint32_t cs_base, cs_limit;
    uint32_t mode;    /* KEY_* bits */
};

#define JIT_MAX_INSNS 64 /* guest instructions per block */

struct jit_block;

/* One way out of a block towards a constant EIP; can be chained. */
struct jit_exit {
    struct jit_block *from;
    uint8_t *jmp_field;   /* rel32 of the patchable JMP */
    uint8_t *stub;        /* where that JMP goes when not chained */
    uint32_t target_eip;
    struct jit_block *to; /* chained block, or NULL */
    struct jit_exit *next_in; /* in to's list of incoming chains */
};

struct jit_block {
    struct jit_key key;
    uint32_t lin;        /* linear address of the first byte */
    uint16_t ninsn;      /* guest instructions */
    uint16_t nbytes;     /* guest bytes, all in one page */
    uint16_t nhelpers;   /* instructions run through helpers */
    bool valid;
    uint8_t *code;       /* host code entry */
    uint32_t code_len;
    struct jit_block *hash_next, *page_next;
    struct jit_exit exit[2];
    struct jit_exit *incoming;
    struct insn *insn;   /* ninsn decoded guest instructions (helpers read them) */
};

#endif
