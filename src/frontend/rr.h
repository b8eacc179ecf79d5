/* SPDX-License-Identifier: MIT */
/*
 * Deterministic record/replay (-record FILE, -replay FILE). Record runs the
 * machine on the deterministic clock and logs every input that comes from
 * the host (serial bytes, keys) with the point of the run where the machine
 * loop delivered it; replay feeds the same inputs at the same points and
 * ignores the host. A point is a stamp: the machine's step count (retired
 * instructions + exceptions + external interrupts delivered) and the
 * virtual time skipped while halted, both advanced only by the guest.
 * Owns the event log (rr.c) and its file (rr_file.c); never touches the
 * CPU or devices except to hand them a logged input (rr_apply).
 */
#ifndef KILN_FRONTEND_RR_H
#define KILN_FRONTEND_RR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/compiler.h"
#include "devices/pc.h"
#include "frontend/options.h"

#define RR_VERSION 1

/* Where the machine loop stands. */
struct rr_stamp {
    uint64_t pos;     /* steps: instructions + exceptions + external interrupts */
    uint64_t idle_ns; /* virtual time skipped while halted */
};

/* Is stamp a earlier in the run than stamp b? */
static inline bool rr_stamp_before(struct rr_stamp a, struct rr_stamp b)
{
    return a.pos < b.pos || (a.pos == b.pos && a.idle_ns < b.idle_ns);
}

enum rr_kind {
    RR_SERIAL = 1, /* dev: COM port index, arg: the byte */
    RR_KEY = 2,    /* dev: 1 press, 0 release; arg: enum kiln_key */
    RR_TYPE = 3,   /* arg: one printable character (or newline, tab) for ps2kbd_type() */
    RR_MOUSE = 4,  /* dev: dz; arg: dx | dy << 8 (each -127..127, two's complement bytes) */
    RR_BUTTONS = 5, /* arg: the buttons held (PS2MOUSE_BTN_*) */
    RR_END = 0xff, /* the last record of a file */
};

/* Characters an RR_TYPE event may carry: printable ASCII, newline, tab. */
static inline bool rr_typable(unsigned ch)
{
    return (ch >= 0x20 && ch < 0x7f) || ch == '\n' || ch == '\t';
}

/* The largest motion one RR_MOUSE event carries on each axis. */
#define RR_MOUSE_STEP 127

struct rr_event {
    struct rr_stamp at;
    uint64_t icount; /* retired instructions at 'at' (for messages, and the end) */
    uint8_t kind, dev;
    uint16_t arg;
};

/* What a replay must run on: the same machine and the same images. */
#define RR_MAX_IDENT 10
struct rr_ident_item {
    char slot[8]; /* "bios", "kernel", "initrd", "append", "hda" ... "cdrom" */
    uint64_t size;
    uint32_t crc;
};
struct rr_header {
    uint32_t icount_shift, ram_mib;
    int64_t rtc_epoch;
    char cpu[16];
    int n_ident;
    struct rr_ident_item ident[RR_MAX_IDENT];
};

/* ---- rr_file.c: the file ---- */

/* Fill h->ident from cfg's images and the loaded BIOS bytes (NULL when
 * there are none); false with a message when an image cannot be read. */
KILN_MUST_CHECK bool rr_ident_compute(struct rr_header *h, const struct kiln_config *cfg,
                                      const uint8_t *bios, size_t bios_size, char *err,
                                      size_t errlen);
/* Create 'path' and write the header. NULL with a message on failure. */
FILE *rr_file_create(const char *path, const struct rr_header *h, char *err, size_t errlen);
/* Append one event (the running CRC covers it). */
KILN_MUST_CHECK bool rr_file_put(FILE *f, const struct rr_event *e, uint32_t *crc);
/* Read and check a whole file: header, every event in order, the end
 * record and its CRC. On success *events (malloc'd, the end record last)
 * and *n; else a message naming what is wrong. */
KILN_MUST_CHECK bool rr_file_read(const char *path, struct rr_header *h, struct rr_event **events,
                                  size_t *n, char *err, size_t errlen);
/* Compare a file's header with this machine's; false with the first
 * difference in err. */
KILN_MUST_CHECK bool rr_header_match(const struct rr_header *file, const struct rr_header *here,
                                     char *err, size_t errlen);

/* ---- rr.c: the session ---- */

struct rr;

/* The session for cfg's -record/-replay, or NULL (err empty) when neither
 * is given, or NULL with a message. 'here' is this machine's header; for a
 * replay its rtc_epoch is replaced by the recorded one. */
struct rr *rr_open(const struct kiln_config *cfg, struct rr_header *here, char *err,
                   size_t errlen);
/* Close the file; a record not finished with rr_finish has no end record. */
void rr_close(struct rr *r);

bool rr_replaying(const struct rr *r);
/* Record: whether host input may be taken now (not while re-running the
 * recorded past after a reverse step). Replay: never. */
bool rr_host_input(const struct rr *r);

/* Record: log an input the host delivers now, at 'at'. */
void rr_log(struct rr *r, const struct rr_event *e);

/* The next logged event due exactly at 'at': 1 with *e (the cursor moves
 * past it), 0 when none is due, -1 when the run went past the next event
 * without meeting it (a message in err: the replay diverged). */
int rr_next(struct rr *r, struct rr_stamp at, struct rr_event *e, char *err, size_t errlen);
/* Steps the machine may run from 'at' before the next logged event or the
 * end of a replay (UINT64_MAX: no limit). */
uint64_t rr_steps_left(const struct rr *r, struct rr_stamp at);
/* Replay: true once 'at' is the recorded end. */
bool rr_at_end(const struct rr *r, struct rr_stamp at);

/* The cursor into the log, for checkpoints. */
size_t rr_cursor(const struct rr *r);
void rr_set_cursor(struct rr *r, size_t cursor);

/* The run ends at 'at' ('user': because the user or gdb ended it): a
 * record writes its end record; both print the final instruction count (a
 * replay also the recorded one). False, with a message, when the record
 * cannot be written or a replay ended by itself elsewhere than the record. */
KILN_MUST_CHECK bool rr_finish(struct rr *r, struct rr_stamp at, uint64_t icount, bool user,
                               char *err, size_t errlen);

/* Hand a logged input to the device it was for. */
void rr_apply(const struct rr_event *e, struct pc *pc);

#endif
