/* SPDX-License-Identifier: MIT */
/*
 * The reference side of the decoder differential test: Capstone 4 wrapped so
 * that its answer reads like Kiln's (length, bare Intel mnemonic, ModRM memory
 * operand in Kiln's register numbering, immediates) plus whether the
 * instruction belongs to an extension later than the Pentium II. Owns the
 * Capstone handles; knows nothing of Kiln's decoder or of the allowlist.
 */
#ifndef KILN_TESTS_DECODER_REF_DECODE_H
#define KILN_TESTS_DECODER_REF_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REF_MNEM_MAX 32
#define REF_TEXT_MAX 200
#define REF_NOREG    0xff

/* A memory operand as Kiln describes one (registers in encoding order). */
struct ref_mem {
    bool present;
    bool odd_reg;     /* a base or index Kiln cannot name (EIZ, EIP, ...) */
    uint8_t base;     /* register number or REF_NOREG */
    uint8_t index;    /* register number or REF_NOREG */
    uint8_t scale;    /* shift 0-3, meaningful with an index */
    uint8_t seg;      /* explicit segment (SEG_ES..SEG_GS) or SEG_NONE */
    uint8_t reg_size; /* 2 or 4: width of the base/index registers, 0 without any */
    uint32_t disp;
};

struct ref_insn {
    bool valid; /* Capstone decoded an instruction */
    unsigned len;
    unsigned addr_size;      /* 2 or 4 */
    char mnem[REF_MNEM_MAX]; /* bare mnemonic: prefix words (lock, rep...) removed */
    char text[REF_TEXT_MAX]; /* Capstone's full text, for reports */
    const char *ext;         /* NULL, or the post-Pentium II extension it belongs to */
    struct ref_mem mem;      /* the first explicit memory operand */
    bool mem_dest;           /* the first (destination) operand is memory */
    unsigned n_imm;
    uint32_t imm[2]; /* immediates in Intel operand order, truncated to 32 bits */
};

struct ref_decoder;

/* Open Capstone for 16- and 32-bit x86 with details on; NULL on failure. */
struct ref_decoder *ref_open(void);

/* Capstone's version as "major.minor". */
void ref_version(char *out, size_t size);

/* Release what ref_open acquired. */
void ref_close(struct ref_decoder *rd);

/* Decode the first instruction of buf[0..len) in code of 'code_size' (2 or 4). */
void ref_decode(struct ref_decoder *rd, int code_size, const uint8_t *buf, size_t len,
                struct ref_insn *out);

#endif
