/* SPDX-License-Identifier: MIT */
/*
 * A small recursive-descent JSON parser (RFC 8259) with an arena, plus the
 * two SingleStepTests uses of it: streaming the tests of a .json file into
 * struct moo_test one at a time, and reading flag masks from metadata.json.
 * Owns only parsing; bounded nesting depth, every byte checked, errors are
 * messages with line and offset. Knows nothing of the CPU.
 */
#ifndef KILN_TESTS_VECTORS_JSON_H
#define KILN_TESTS_VECTORS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "moo.h"

enum json_type {
    JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT
};

/* A value. Arrays and objects chain their children through 'next'; members
 * of an object carry their name in key/key_len. Strings are not NUL-terminated. */
struct json_value {
    enum json_type type;
    const char *key;
    size_t key_len;
    const char *str;
    size_t str_len;
    double num;
    size_t count;
    struct json_value *child, *next;
};

struct json_block;

/* Bump allocator; everything a parse returns lives until reset or free. */
struct json_arena {
    struct json_block *head;
};

void json_arena_init(struct json_arena *a);
void json_arena_reset(struct json_arena *a);
void json_arena_free(struct json_arena *a);

/* Parse the whole document text[0..len). NULL on error, with a message in err.
 * Strings may point into 'text', which must outlive the result. */
struct json_value *json_parse(struct json_arena *a, const char *text, size_t len, char *err,
                              size_t errlen);

/* The member 'key' of an object, or NULL (also when 'obj' is not an object). */
const struct json_value *json_get(const struct json_value *obj, const char *key);

/* True when 'v' is a string equal to 's'. */
bool json_is_str(const struct json_value *v, const char *s);

/* An integer in [0, max]; false when 'v' is NULL, not a number, fractional or out of range. */
bool json_uint(const struct json_value *v, uint32_t max, uint32_t *out);

/* Streams the array of tests in a SingleStepTests .json file. */
struct json_tests {
    const char *text;
    size_t len, pos;
    size_t count;
    bool done;
    struct json_arena arena;
    char err[200];
};

/* Start reading text[0..len), which must stay alive. 0, or -1 with t->err. */
int json_tests_open(struct json_tests *jt, const char *text, size_t len);

/* The next test: 1 when 'out' holds one, 0 at the end, -1 with jt->err. */
int json_tests_next(struct json_tests *jt, struct moo_test *out);

void json_tests_close(struct json_tests *jt);

/* A suite's metadata.json (opcode status and undefined-flag masks). */
struct json_meta {
    struct json_arena arena;
    uint8_t *text;
    size_t len, cap;
    const struct json_value *root; /* NULL when none is loaded */
};

/* Flag masks of one opcode file ("flags-mask": bits that are 1 are defined):
 * one mask, or one per ModRM reg when a group file does not name its reg. */
struct json_flag_masks {
    bool per_reg;
    uint16_t mask, reg_mask[8];
};

/* The mask for one instruction: a group's entry is chosen by the ModRM reg
 * field found past the prefixes (all-ones when there is none). */
uint16_t json_flag_mask_of(const struct json_flag_masks *fm, const uint8_t *bytes, size_t len);

void json_meta_init(struct json_meta *m);
void json_meta_free(struct json_meta *m);

/* Load DIR/metadata.json, else DIR/../v1/metadata.json (the 8086 MOO files sit
 * beside the JSON set). 0 when loaded, 1 when neither exists, -1 with err. */
int json_meta_load(struct json_meta *m, const char *dir, char *err, size_t errlen);

/* Masks for the opcode file named 'base' ("F6.6.MOO.gz" -> opcodes.F6.reg.6,
 * "00.json.gz" -> opcodes.00); all-ones where metadata gives none. */
void json_meta_file_masks(const struct json_meta *m, const char *base,
                          struct json_flag_masks *fm);

#endif
