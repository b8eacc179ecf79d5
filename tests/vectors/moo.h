/* SPDX-License-Identifier: MIT */
/*
 * One SingleStepTests test case in memory (struct moo_test), the MOO reader
 * that yields them one by one from a decompressed file, and the gunzip
 * loader shared with the JSON reader. Owns parsing only: no CPU, no compare.
 * Every length is checked against the buffer; a malformed or truncated file
 * gives an error message, never a read outside it.
 * Spec: moo-format/moo_format_v1.md (MOO 1.0 and 1.1).
 */
#ifndef KILN_TESTS_VECTORS_MOO_H
#define KILN_TESTS_VECTORS_MOO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The 16-bit register file in MOO order (REGS and RMSK bit numbers). */
enum moo_reg {
    MOO_AX, MOO_BX, MOO_CX, MOO_DX, MOO_CS, MOO_SS, MOO_DS, MOO_ES,
    MOO_SP, MOO_BP, MOO_SI, MOO_DI, MOO_IP, MOO_FLAGS, MOO_REG_COUNT
};

/* Lower-case register names in MOO order ("ax" ... "flags"). */
extern const char *const moo_reg_names[MOO_REG_COUNT];

struct moo_ram {
    uint32_t addr;
    uint8_t val;
};

/* Initial or final state. In a final state only changed registers are present. */
struct moo_state {
    uint16_t present;              /* bit i: regs[i] is given */
    uint16_t regs[MOO_REG_COUNT];
    uint16_t masked;               /* bit i: masks[i] is given (RMSK) */
    uint16_t masks[MOO_REG_COUNT]; /* bits that are defined; others are ignored */
    struct moo_ram *ram;
    size_t ram_count, ram_cap;
};

/* One test. Storage is owned and reused from test to test. */
struct moo_test {
    uint32_t index;
    char *name; /* NUL-terminated */
    size_t name_cap;
    uint8_t *bytes;
    size_t bytes_len, bytes_cap;
    struct moo_state init, final;
    bool has_excp;
    uint8_t excp_vector;
    uint32_t excp_flag_addr; /* physical address of the FLAGS word the exception pushed */
    bool has_hash;
    uint8_t hash[20];
};

/* A MOO file being read. 'buf' stays owned by the caller. */
struct moo_file {
    const uint8_t *buf;
    size_t len, pos;
    uint8_t major, minor;
    uint32_t test_count; /* from the MOO header */
    uint32_t tests_read;
    char cpu_id[5];      /* header CPU ID, trailing spaces removed */
    uint16_t file_masked;
    uint16_t file_masks[MOO_REG_COUNT]; /* top-level RMSK, applied to every test */
    char err[200];
};

/* Prepare an empty test; free its storage with moo_test_free. */
void moo_test_init(struct moo_test *t);
void moo_test_free(struct moo_test *t);

/* Forget the previous contents (storage is kept). */
void moo_test_clear(struct moo_test *t);

/* Set the name / instruction bytes; false when out of memory. */
bool moo_test_set_name(struct moo_test *t, const char *s, size_t len);
bool moo_test_set_bytes(struct moo_test *t, const uint8_t *p, size_t len);

/* Append one RAM entry to a state; false when out of memory. */
bool moo_state_add_ram(struct moo_state *s, uint32_t addr, uint8_t val);

/* Parse the MOO header of buf[0..len). 0 on success, -1 with f->err set. */
int moo_open(struct moo_file *f, const uint8_t *buf, size_t len);

/* The next test: 1 when 't' holds one, 0 at the end, -1 with f->err set. */
int moo_next(struct moo_file *f, struct moo_test *t);

/* Hashes of revoked tests (SingleStepTests revocation_list.txt). */
struct moo_revoked {
    uint8_t (*hash)[20]; /* sorted */
    size_t count;
};

/* Load a revocation list: one 40-digit hex hash per line, '#' comments.
 * 0 on success, 1 when the file does not exist (empty list), -1 with err. */
int moo_revoked_load(struct moo_revoked *rv, const char *path, char *err, size_t errlen);

/* True when 'hash' is revoked. */
bool moo_revoked_has(const struct moo_revoked *rv, const uint8_t hash[20]);

void moo_revoked_free(struct moo_revoked *rv);

/*
 * Read a whole file into *buf, gunzipping it when it is gzip (plain files are
 * read as they are). The buffer (buf, cap) is reused and grown; 0 on success, -1 with a
 * message in err.
 */
int moo_load_file(const char *path, uint8_t **buf, size_t *len, size_t *cap, char *err,
                  size_t errlen);

#endif
