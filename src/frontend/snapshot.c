/* SPDX-License-Identifier: MIT */
/*
 * The snapshot file (see snapshot.h), all of it inside one gzip stream:
 *   "KILNSNAP", u32 version, u64 build fingerprint, char model[16],
 *   u32 RAM size, u64 virtual time (ns), u32 section count;
 *   per section: char tag[4], u64 length, the bytes (RAM: a bitmap of the
 *   pages that are not all zeros, then those pages);
 *   timers: u32 count, u64 deadlines; then "END!".
 * Numbers are little-endian. Loading reads and checks everything into
 * memory first and applies it only when the whole file is sound.
 */
#include "frontend/snapshot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "frontend/snapshot_state.h"

#define SNAP_MAGIC      "KILNSNAP"
#define SNAP_MAX_TIMERS 64

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static bool gz_put(gzFile f, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
        if (gzwrite(f, b, chunk) != (int)chunk) return false;
        b += chunk;
        n -= chunk;
    }
    return true;
}

bool snapshot_save(const char *path, const struct cpu *cpu, struct pc *pc, uint64_t now_ns,
                   char *err, size_t errlen)
{
    size_t tlen = strlen(path) + 32;
    char *tmp = malloc(tlen);
    if (!tmp) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    snprintf(tmp, tlen, "%s.tmp%ld", path, (long)getpid());
    gzFile f = gzopen(tmp, "wb1"); /* fastest level: RAM is mostly zeros or code */
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno ? errno : EIO));
        free(tmp);
        return false;
    }
    gzbuffer(f, 1u << 20);
    bool ok = true;
    uint8_t hdr[8 + 4 + 8 + 16 + 4 + 8 + 4] = SNAP_MAGIC;
    put32(hdr + 8, SNAPSHOT_VERSION);
    put64(hdr + 12, snap_fingerprint());
    memcpy(hdr + 20, cpu->model->name, strnlen(cpu->model->name, 16));
    put32(hdr + 36, pc->ram_size);
    put64(hdr + 40, now_ns);
    put32(hdr + 48, (uint32_t)snap_section_total());
    ok &= gz_put(f, hdr, sizeof(hdr));
    for (int i = 0; ok && i < snap_section_total(); i++) {
        const struct snap_section *s = snap_section(i);
        size_t n = s->save_size ? s->save_size(pc) : s->size(pc);
        uint8_t *buf = malloc(n ? n : 1);
        if (!buf) {
            ok = false;
            break;
        }
        s->save(cpu, pc, buf);
        uint8_t sh[12];
        memcpy(sh, s->tag, 4);
        put64(sh + 4, n);
        ok = gz_put(f, sh, sizeof(sh)) && gz_put(f, buf, n);
        free(buf);
    }
    uint64_t deadlines[SNAP_MAX_TIMERS];
    snap_timers_deadlines(pc, deadlines);
    uint8_t tb[4 + 8 * SNAP_MAX_TIMERS];
    put32(tb, (uint32_t)snap_timer_count());
    for (int i = 0; i < snap_timer_count(); i++)
        put64(tb + 4 + 8 * i, deadlines[i]);
    ok &= gz_put(f, tb, 4 + 8 * (size_t)snap_timer_count());
    ok &= gz_put(f, "END!", 4);
    int e = errno;
    if (gzclose(f) != Z_OK) ok = false;
    if (ok && rename(tmp, path)) {
        ok = false;
        e = errno;
    }
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(e ? e : EIO));
        remove(tmp);
    }
    free(tmp);
    return ok;
}

/* The decompressed file, at most 'limit' bytes of it, or NULL with a message. */
static uint8_t *read_all(const char *path, size_t limit, size_t *len, char *err, size_t errlen)
{
    gzFile f = gzopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno ? errno : EIO));
        return NULL;
    }
    gzbuffer(f, 1u << 20);
    size_t cap = 1u << 20, n = 0;
    uint8_t *buf = malloc(cap);
    bool bad = !buf;
    while (!bad) {
        if (n == cap) {
            if (cap >= limit) break; /* longer than expected: the header checks say why */
            cap = cap * 2 > limit ? limit : cap * 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                snprintf(err, errlen, "out of memory reading %s", path);
                bad = true;
                break;
            }
            buf = nb;
        }
        int got = gzread(f, buf + n, (unsigned)(cap - n > (1u << 30) ? (1u << 30) : cap - n));
        if (got < 0) {
            int zerr;
            const char *msg = gzerror(f, &zerr);
            snprintf(err, errlen, "%s is damaged or truncated (%s)", path, msg);
            bad = true;
        } else if (got == 0) {
            break;
        } else {
            n += (size_t)got;
        }
    }
    /* gzclose_r reports a bad CRC or a stream cut short (unless we stopped early). */
    int rc = gzclose_r(f);
    if (!bad && n < limit && rc != Z_OK) {
        snprintf(err, errlen, "%s is damaged or truncated (gzip check failed)", path);
        bad = true;
    }
    if (bad) {
        if (!buf) snprintf(err, errlen, "out of memory reading %s", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

bool snapshot_load(const char *path, struct cpu *cpu, struct pc *pc, uint64_t *now_ns, char *err,
                   size_t errlen)
{
    /* The most a file for this machine can hold: header, sections, timers, end mark. */
    size_t limit = 52;
    for (int i = 0; i < snap_section_total(); i++)
        limit += 12 + snap_section(i)->size(pc);
    limit += 4 + 8 * (size_t)snap_timer_count() + 4;
    size_t len;
    uint8_t *buf = read_all(path, limit + 1, &len, err, errlen);
    if (!buf) return false;
    bool ok = false;
    const uint8_t *p = buf, *end = buf + len;
    if (len < 52 || memcmp(p, SNAP_MAGIC, 8)) {
        snprintf(err, errlen, "%s is not a Kiln snapshot", path);
        goto out;
    }
    uint32_t version = get32(p + 8);
    if (version != SNAPSHOT_VERSION) {
        snprintf(err, errlen, "%s is a version %u snapshot; this Kiln reads version %d", path,
                 version, SNAPSHOT_VERSION);
        goto out;
    }
    if (get64(p + 12) != snap_fingerprint()) {
        snprintf(err, errlen, "%s was written by a different Kiln build", path);
        goto out;
    }
    char model[17];
    memcpy(model, p + 20, 16);
    model[16] = 0;
    if (strcmp(model, cpu->model->name)) {
        snprintf(err, errlen, "%s is of a %.16s machine; this one is a %s (use -cpu)", path, model,
                 cpu->model->name);
        goto out;
    }
    uint32_t ram = get32(p + 36);
    if (ram != pc->ram_size) {
        snprintf(err, errlen, "%s has %u MiB of RAM; this machine has %u MiB (use -m)", path,
                 ram >> 20, pc->ram_size >> 20);
        goto out;
    }
    if (len > limit) {
        snprintf(err, errlen, "%s is too long for a snapshot of this machine", path);
        goto out;
    }
    if (get32(p + 48) != (uint32_t)snap_section_total()) {
        snprintf(err, errlen, "%s has an unexpected number of sections", path);
        goto out;
    }
    const uint8_t *sec[16];
    size_t sec_len[16];
    const uint8_t *q = p + 52;
    for (int i = 0; i < snap_section_total(); i++) {
        const struct snap_section *s = snap_section(i);
        if ((size_t)(end - q) < 12) {
            snprintf(err, errlen, "%s is truncated (in section %d)", path, i);
            goto out;
        }
        uint64_t n = get64(q + 4);
        if (memcmp(q, s->tag, 4) || n > s->size(pc) || (!s->variable && n != s->size(pc))) {
            snprintf(err, errlen, "%s: section %d is not '%.4s' of %s%zu bytes", path, i, s->tag,
                     s->variable ? "at most " : "", s->size(pc));
            goto out;
        }
        if ((uint64_t)(end - q - 12) < n) {
            snprintf(err, errlen, "%s is truncated (in section '%.4s')", path, s->tag);
            goto out;
        }
        sec[i] = q + 12;
        sec_len[i] = (size_t)n;
        char why[128];
        if (s->check && !s->check(pc, sec[i], sec_len[i], why, sizeof(why))) {
            snprintf(err, errlen, "%s: section '%.4s' holds %s", path, s->tag, why);
            goto out;
        }
        q += 12 + n;
    }
    size_t tail = 4 + 8 * (size_t)snap_timer_count() + 4;
    if ((size_t)(end - q) != tail) {
        snprintf(err, errlen, "%s is %s", path,
                 (size_t)(end - q) < tail ? "truncated (in its last section)" : "too long");
        goto out;
    }
    if (get32(q) != (uint32_t)snap_timer_count() ||
        memcmp(q + 4 + 8 * (size_t)snap_timer_count(), "END!", 4)) {
        snprintf(err, errlen, "%s: bad timer section or end mark", path);
        goto out;
    }
    uint64_t deadlines[SNAP_MAX_TIMERS];
    for (int i = 0; i < snap_timer_count(); i++)
        deadlines[i] = get64(q + 4 + 8 * i);
    /* Sound: apply. */
    snap_timers_cancel(pc);
    for (int i = 0; i < snap_section_total(); i++)
        snap_section(i)->load(cpu, pc, sec[i], sec_len[i]);
    *now_ns = get64(p + 40);
    pc->clock.now = *now_ns;
    snap_timers_rearm(pc, deadlines);
    ok = true;
out:
    free(buf);
    return ok;
}
