/* SPDX-License-Identifier: MIT */
/*
 * Executable memory for translated code, kept W^X: every page is either
 * writable or executable, never both. One mapping, flipped with mprotect:
 * codebuf_open() makes a range read-write (not executable) and returns where
 * to write it; codebuf_seal() makes every opened page read-execute again.
 * Code runs at the address it is written at, so rel32 and RIP-relative
 * fields need no translation between views. Owns the mapping only: what
 * lives where inside it is the code cache's business. Linux/x86-64 only;
 * elsewhere codebuf_new() refuses with a message.
 */
#ifndef KILN_JIT_CODEBUF_H
#define KILN_JIT_CODEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct codebuf;

/* Map 'size' bytes (rounded up to pages), read-execute, within +-2 GiB of
 * 'near' when the host allows (NULL: anywhere); NULL, with a host-error log
 * message, on failure or on a host without x86-64 code generation. */
struct codebuf *codebuf_new(size_t size, const void *near);

/* Unmap the buffer and free 'cb' (NULL is allowed). */
void codebuf_free(struct codebuf *cb);

/* The address the buffer's first byte executes at. */
uint8_t *codebuf_base(const struct codebuf *cb);

/* The mapped size in bytes. */
size_t codebuf_size(const struct codebuf *cb);

/* Make the pages covering [off, off + len) read-write and not executable;
 * return the address to write byte 'off' through, NULL on a bad range or
 * a host error (logged). Stays open until codebuf_seal(). */
uint8_t *codebuf_open(struct codebuf *cb, size_t off, size_t len);

/* Make every page opened since the last seal read-execute; 0, or -1 on a
 * host error (logged). Call before running anything in those pages. */
int codebuf_seal(struct codebuf *cb);

/* Is any page of the buffer open for writing? */
bool codebuf_is_open(const struct codebuf *cb);

#endif
