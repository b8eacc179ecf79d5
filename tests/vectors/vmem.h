/* SPDX-License-Identifier: MIT */
/*
 * kiln-vectors' test memory: 16 MiB of values, initial values and tags,
 * plus the lists of touched and written addresses, so that resetting costs
 * only what a test used. Serves the interpreter through bus callbacks
 * (every write recorded), or is the translator's RAM itself (writes found
 * afterwards by comparing values with initial values). Knows no CPU.
 */
#ifndef KILN_TESTS_VECTORS_VMEM_H
#define KILN_TESTS_VECTORS_VMEM_H

#include <stddef.h>
#include <stdint.h>

#include "moo.h"

enum { VMEM_SIZE = 1u << 24 };
enum { TAG_INIT = 1, TAG_WRITTEN = 2, TAG_FINAL = 4 };

struct vmem {
    uint8_t *val, *init, *tag; /* init is 0 wherever TAG_INIT is clear */
    uint32_t mask;               /* the suite's address space (phys_mask) */
    uint32_t *touched, *written; /* addresses with a tag; addresses written */
    size_t ntouched, nwritten, cap_touched, cap_written;
    uint32_t unlisted_reads, first_unlisted; /* reads of bytes the test does not give */
};

/* Allocate; -1 when out of memory (then vmem_free is still valid). */
int vmem_init(struct vmem *m);
void vmem_free(struct vmem *m);

/* Give every touched byte back its zero value and tags. */
void vmem_reset(struct vmem *m);

/* Store a state's RAM as the initial values. */
void vmem_load(struct vmem *m, const struct moo_state *s);

/* Add 'a' to the touched list (before giving it its first tag). */
void vmem_touch(struct vmem *m, uint32_t a);

/* Bus callbacks for the interpreter: reads note unlisted bytes, writes are listed. */
uint32_t vmem_read(void *ctx, uint32_t addr, int size);
void vmem_write(void *ctx, uint32_t addr, int size, uint32_t val);

/* When the CPU wrote val[] directly: list as written every byte of
 * [start, start + len) (modulo the address space) whose value is not its
 * initial value. A write of the initial value itself cannot be seen. */
void vmem_find_writes(struct vmem *m, uint32_t start, uint32_t len);

/* First address of the address space whose value is not zero, or -1: after
 * vmem_reset, a byte changed outside every window vmem_find_writes looked at. */
int64_t vmem_first_stray(const struct vmem *m);

#endif
