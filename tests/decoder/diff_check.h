/* SPDX-License-Identifier: MIT */
/*
 * One comparison of Kiln's decoder against the reference (Capstone) on one
 * byte string: sorts the outcome into a disagreement class and says what
 * differed. Owns no state; reads Kiln's struct insn and struct ref_insn only.
 */
#ifndef KILN_TESTS_DECODER_DIFF_CHECK_H
#define KILN_TESTS_DECODER_DIFF_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/decode.h"
#include "ref_decode.h"

enum diff_class {
    DIFF_NONE,       /* agreement */
    DIFF_LATER_EXT,  /* Capstone: a post-Pentium II extension; Kiln decodes it */
    DIFF_CS_INVALID, /* Capstone rejects the bytes; Kiln decodes them */
    DIFF_KILN_UD,    /* Capstone: a Pentium II instruction; Kiln #UD (or too long) */
    DIFF_LOCK_UD,    /* as DIFF_KILN_UD, with LOCK on an instruction that does not allow it */
    DIFF_LENGTH,     /* both decode; lengths differ */
    DIFF_MNEMONIC,   /* same length; mnemonics differ */
    DIFF_OPERAND,    /* same length and mnemonic; memory operand or immediates differ */
    DIFF_TARGET16,   /* a branch target equal to Capstone's in its low 16 bits only */
    DIFF_CLASS_COUNT,
};

/* Kiln's side of one comparison. */
struct diff_kiln {
    enum decode_status status;
    struct insn insn;
    const char *mnem; /* "#UD", "#GP-too-long", or insn_mnemonic() */
};

/* Decode buf with Kiln for the Pentium II. */
void diff_kiln_decode(int code_size, const uint8_t *buf, size_t len, struct diff_kiln *out);

/* Compare Kiln's and the reference's decoding of buf; write what differed to
 * detail (empty on agreement). */
enum diff_class diff_compare(int code_size, const uint8_t *buf, size_t len,
                             const struct diff_kiln *k, const struct ref_insn *r, char *detail,
                             size_t detail_size);

/* Stable name of a class, as used in allowlist rules. */
const char *diff_class_name(enum diff_class c);

/* The class named 'name', or DIFF_CLASS_COUNT. */
enum diff_class diff_class_from_name(const char *name);

#endif
