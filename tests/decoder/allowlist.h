/* SPDX-License-Identifier: MIT */
/*
 * The allowlist of explained decoder disagreements
 * (tests/vectors/capstone-allowlist): parsing, matching a disagreement
 * against its rules, and per-rule hit counts. Knows the disagreement classes
 * by name only; never decodes.
 */

/*
 * A rule is one line: CLASS CONDITION...  # reason (the reason is required;
 * it starts at a '#' that follows white space). Conditions, all of which
 * must hold:
 *   cs=M[,M...]    Capstone's bare mnemonic (a trailing * matches a prefix)
 *   kiln=M[,M...]  Kiln's mnemonic, or #UD / #GP-too-long
 *   ext=E[,E...]   the later extension Capstone files the instruction under
 *   op=B[.B...]    opcode bytes after the prefixes; each B is XX or XX-YY
 *   reg=N[-M]      ModRM reg field (ModRM follows the 1- or 0F-2-byte opcode)
 *   mod=mem|reg    ModRM names memory / a register
 *   pfx=P[,P...]   at least one of these prefix bytes is present (several
 *                  pfx= conditions must all hold)
 *   nopfx=P[,P...] none of these prefix bytes is present
 *   mode=16|32     code-segment size
 */
#ifndef KILN_TESTS_DECODER_ALLOWLIST_H
#define KILN_TESTS_DECODER_ALLOWLIST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diff_check.h"

/* What a rule can look at. */
struct allow_case {
    enum diff_class cls;
    int code_size; /* 2 or 4 */
    const uint8_t *bytes;
    size_t len;
    const char *cs_mnem; /* "" when Capstone rejects the bytes */
    const char *kiln_mnem;
    const char *ext; /* NULL when not a later extension */
};

struct allowlist;

/* Load the rules in 'path'. On failure returns NULL with a message in err. */
struct allowlist *allowlist_load(const char *path, char *err, size_t err_size);

/* Free what allowlist_load returned. */
void allowlist_free(struct allowlist *al);

/* Index of the first rule that explains c (and count the hit), or -1. */
int allowlist_match(struct allowlist *al, const struct allow_case *c);

/* Print every rule with its hit count; rules that matched nothing are marked. */
void allowlist_report(const struct allowlist *al, FILE *out);

#endif
