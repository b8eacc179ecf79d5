/* SPDX-License-Identifier: MIT */
/*
 * The record/replay session (see rr.h): the event log in memory (read
 * whole from the file for a replay; appended to, and streamed to the file,
 * while recording, so that a reverse step can re-run the recorded past),
 * the cursor of the next event to deliver, and the end of the run.
 */
#include "frontend/rr.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

struct rr {
    bool replay;
    const char *path;
    FILE *f;       /* record: the file being written */
    long header_len;
    uint32_t crc;  /* record: crc32 of the events written */
    bool write_failed;
    struct rr_event *ev;
    size_t n, cap; /* replay: the end record is ev[n] */
    size_t cursor;
    struct rr_event end; /* replay: where the recorded run ended */
};

struct rr *rr_open(const struct kiln_config *cfg, struct rr_header *here, char *err,
                   size_t errlen)
{
    err[0] = 0;
    if (!cfg->record && !cfg->replay)
        return NULL;
    struct rr *r = calloc(1, sizeof(*r));
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->crc = (uint32_t)crc32(0, Z_NULL, 0);
    if (cfg->record) {
        r->path = cfg->record;
        r->f = rr_file_create(cfg->record, here, err, errlen);
        if (!r->f) {
            free(r);
            return NULL;
        }
        r->header_len = ftell(r->f);
        return r;
    }
    r->replay = true;
    r->path = cfg->replay;
    struct rr_header file;
    size_t n;
    if (!rr_file_read(cfg->replay, &file, &r->ev, &n, err, errlen)) {
        free(r);
        return NULL;
    }
    char why[200];
    if (!rr_header_match(&file, here, why, sizeof(why))) {
        snprintf(err, errlen, "-replay %s: %s", cfg->replay, why);
        rr_close(r);
        return NULL;
    }
    here->rtc_epoch = file.rtc_epoch;
    r->n = n - 1;
    r->end = r->ev[n - 1];
    return r;
}

void rr_close(struct rr *r)
{
    if (!r)
        return;
    if (r->f)
        fclose(r->f);
    free(r->ev);
    free(r);
}

bool rr_replaying(const struct rr *r)
{
    return r && r->replay;
}

bool rr_host_input(const struct rr *r)
{
    return !r || (!r->replay && r->cursor == r->n);
}

void rr_log(struct rr *r, const struct rr_event *e)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct rr_event *nev = realloc(r->ev, cap * sizeof(*nev));
        if (!nev) {
            r->write_failed = true; /* reported by rr_finish */
            return;
        }
        r->ev = nev;
        r->cap = cap;
    }
    r->ev[r->n++] = *e;
    r->cursor = r->n;
    if (!rr_file_put(r->f, e, &r->crc))
        r->write_failed = true;
}

static bool stamp_eq(struct rr_stamp a, struct rr_stamp b)
{
    return a.pos == b.pos && a.idle_ns == b.idle_ns;
}

int rr_next(struct rr *r, struct rr_stamp at, struct rr_event *e, char *err, size_t errlen)
{
    if (r->cursor >= r->n) {
        if (!r->replay || !rr_stamp_before(r->end.at, at))
            return 0;
        snprintf(err, errlen, "replay diverged: the run went past the recorded end (step %llu)",
                 (unsigned long long)r->end.at.pos);
        return -1;
    }
    const struct rr_event *x = &r->ev[r->cursor];
    if (stamp_eq(x->at, at)) {
        *e = *x;
        r->cursor++;
        return 1;
    }
    if (rr_stamp_before(x->at, at)) {
        snprintf(err, errlen,
                 "replay diverged: event %zu was due at step %llu (idle %llu ns), the run is at "
                 "step %llu (idle %llu ns)",
                 r->cursor, (unsigned long long)x->at.pos, (unsigned long long)x->at.idle_ns,
                 (unsigned long long)at.pos, (unsigned long long)at.idle_ns);
        return -1;
    }
    return 0;
}

uint64_t rr_steps_left(const struct rr *r, struct rr_stamp at)
{
    if (!r)
        return UINT64_MAX;
    uint64_t limit = UINT64_MAX;
    if (r->cursor < r->n && r->ev[r->cursor].at.pos >= at.pos)
        limit = r->ev[r->cursor].at.pos - at.pos;
    if (r->replay && r->end.at.pos >= at.pos && r->end.at.pos - at.pos < limit)
        limit = r->end.at.pos - at.pos;
    return limit;
}

bool rr_at_end(const struct rr *r, struct rr_stamp at)
{
    return r && r->replay && r->cursor == r->n && stamp_eq(r->end.at, at);
}

size_t rr_cursor(const struct rr *r)
{
    return r ? r->cursor : 0;
}

void rr_set_cursor(struct rr *r, size_t cursor)
{
    if (r && cursor <= r->n)
        r->cursor = cursor;
}

/* A record that ends after stepping back (gdb's reverse execution) ends
 * where the run is: the events logged after that point never happened in
 * it. Write the file again up to the cursor. */
static bool forget_future(struct rr *r)
{
    if (fflush(r->f) || ftruncate(fileno(r->f), r->header_len) ||
        fseek(r->f, r->header_len, SEEK_SET))
        return false;
    r->crc = (uint32_t)crc32(0, Z_NULL, 0);
    for (size_t i = 0; i < r->cursor; i++)
        if (!rr_file_put(r->f, &r->ev[i], &r->crc))
            return false;
    r->n = r->cursor;
    return true;
}

bool rr_finish(struct rr *r, struct rr_stamp at, uint64_t icount, bool user, char *err,
               size_t errlen)
{
    if (!r->replay) {
        struct rr_event end = {at, icount, RR_END, 0, 0};
        bool ok = !r->write_failed && (r->cursor == r->n || forget_future(r)) &&
                  rr_file_put(r->f, &end, &r->crc) && fflush(r->f) == 0;
        fclose(r->f);
        r->f = NULL;
        if (!ok) {
            snprintf(err, errlen, "-record %s: could not write the record", r->path);
            return false;
        }
        fprintf(stderr, "kiln: record: %llu instructions, %llu steps, %zu input events in %s\n",
                (unsigned long long)icount, (unsigned long long)at.pos, r->n, r->path);
        return true;
    }
    fprintf(stderr, "kiln: replay: %llu instructions, %llu steps (recorded: %llu instructions, %llu steps)\n",
            (unsigned long long)icount, (unsigned long long)at.pos,
            (unsigned long long)r->end.icount, (unsigned long long)r->end.at.pos);
    bool same = stamp_eq(at, r->end.at) && icount == r->end.icount && r->cursor == r->n;
    if (!same && user) {
        fprintf(stderr, "kiln: replay stopped before the recorded end\n");
        return true;
    }
    if (!same) {
        snprintf(err, errlen, "replay of %s ended elsewhere than the recorded run (%zu of %zu events delivered)",
                 r->path, r->cursor, r->n);
        return false;
    }
    return true;
}

void rr_apply(const struct rr_event *e, struct pc *pc)
{
    switch (e->kind) {
    case RR_SERIAL: uart_receive(&pc->uart[e->dev], (uint8_t)e->arg); break;
    case RR_KEY: ps2kbd_key(&pc->kbd, (enum kiln_key)e->arg, e->dev != 0); break;
    case RR_TYPE: {
        char s[2] = {(char)e->arg, 0};
        ps2kbd_type(&pc->kbd, s);
        break;
    }
    case RR_MOUSE:
        ps2mouse_move(&pc->mouse, (int8_t)(e->arg & 0xff), (int8_t)(e->arg >> 8), (int8_t)e->dev);
        break;
    case RR_BUTTONS: ps2mouse_buttons(&pc->mouse, (uint8_t)e->arg); break;
    default: break;
    }
}
