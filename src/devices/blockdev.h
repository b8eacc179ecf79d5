/* SPDX-License-Identifier: MIT */
/*
 * Block devices backed by raw image files, for the floppy, IDE disk and
 * ATAPI CD-ROM models. An image opened read-only (or that the host will not
 * let Kiln write) is never modified; with 'snapshot' every write stays in
 * an in-memory overlay and the file is untouched. Sector size is the
 * caller's (512 for disks and floppies, 2048 for CDs); bad requests are
 * errors, never crashes.
 */
#ifndef KILN_DEVICES_BLOCKDEV_H
#define KILN_DEVICES_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"

struct blockdev;

/* Open 'path'. read_only: never write the file (writes fail, unless snapshot).
 * snapshot: keep all writes in memory. Returns NULL with a message in err. */
struct blockdev *blockdev_open(const char *path, bool read_only, bool snapshot, char *err,
                               size_t errlen);

void blockdev_close(struct blockdev *b);

/* Size of the image in bytes. */
uint64_t blockdev_size(const struct blockdev *b);

/* True when guest writes will fail (read-only without snapshot). */
bool blockdev_read_only(const struct blockdev *b);

/* Read/write 'len' bytes at byte offset 'off'. Returns false on a range
 * outside the image, a read-only image, or a host I/O error. */
KILN_MUST_CHECK bool blockdev_read(struct blockdev *b, uint64_t off, void *buf, size_t len);
KILN_MUST_CHECK bool blockdev_write(struct blockdev *b, uint64_t off, const void *buf, size_t len);

/* The write overlay of a -snapshot image, for machine snapshots: records
 * of a little-endian u64 page number and the page's 4096 bytes. */
#define BLOCKDEV_OVERLAY_RECORD (8u + 4096u)

/* True when writes go to the in-memory overlay (-snapshot). */
bool blockdev_has_overlay(const struct blockdev *b);
/* Pages the overlay holds now. */
size_t blockdev_overlay_pages(const struct blockdev *b);
/* Write every overlay page as a record to 'out' (pages x record bytes). */
void blockdev_overlay_save(const struct blockdev *b, uint8_t *out);
/* True when the 'pages' records at 'in' name only pages inside the image. */
bool blockdev_overlay_check(const struct blockdev *b, const uint8_t *in, size_t pages);
/* Replace the overlay by the 'pages' records at 'in' (checked). False when
 * the host runs out of memory (the overlay then holds part of them). */
KILN_MUST_CHECK bool blockdev_overlay_load(struct blockdev *b, const uint8_t *in, size_t pages);

#endif
