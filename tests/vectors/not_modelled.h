/* SPDX-License-Identifier: MIT */
/*
 * kiln-vectors' not-modelled list: 'SUITE FILE reason' lines naming the
 * SingleStepTests opcode files whose tests are counted as excluded, with
 * '#' comments. Owns the parsed list only; knows nothing of running tests.
 */
#ifndef KILN_TESTS_VECTORS_NOT_MODELLED_H
#define KILN_TESTS_VECTORS_NOT_MODELLED_H

#include <stddef.h>

/* One line of the list. */
struct nm_entry {
    char *suite, *file, *reason;
};

struct nm_list {
    struct nm_entry *e;
    size_t n;
};

/* Append the entries of the file at 'path' to 'l'; -1 (message printed) on
 * an unreadable file or a malformed line. */
int nm_load(struct nm_list *l, const char *path);

/* The entry for 'file' of suite 'suite' (a CPU model name), or NULL. */
const struct nm_entry *nm_find(const struct nm_list *l, const char *suite, const char *file);

/* Release the entries; 'l' stays valid and empty. */
void nm_free(struct nm_list *l);

#endif
