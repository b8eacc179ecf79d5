/* SPDX-License-Identifier: MIT */
/*
 * The record file (see rr.h). Little-endian throughout:
 *   header: "KILNREC\n", u32 version, u32 icount shift, u32 RAM MiB,
 *           i64 RTC epoch, char cpu[16], u32 n, n x (char slot[8],
 *           u64 size, u32 crc32 of the contents), u32 crc32 of all this;
 *   events: 32 bytes each: u8 kind, u8 dev, u16 arg, u32 zero, u64 steps,
 *           u64 idle ns, u64 retired instructions, in stamp order;
 *   end:    an event of kind RR_END whose stamp is where the run ended and
 *           whose u32 is the crc32 of every event before it and of itself
 *           (with that u32 zero).
 * A file is read and checked whole before a replay starts. Owns the bytes
 * on disk only; what the events mean is rr.c's.
 */
#include "frontend/rr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "frontend/loader.h"

#define RR_MAGIC     "KILNREC\n"
#define RR_EVENT_LEN 32
#define RR_HDR_FIXED (8 + 4 + 4 + 4 + 8 + 16 + 4)
#define RR_IDENT_LEN (8 + 8 + 4)
#define RR_MAX_FILE  (1ull << 32) /* 128 million events: far beyond any real run */

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* crc32 and size of a file's contents. */
static bool hash_file(const char *path, uint64_t *size, uint32_t *crc, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return false;
    }
    static const size_t chunk = 1u << 20;
    uint8_t *buf = malloc(chunk);
    uLong c = crc32(0, Z_NULL, 0);
    uint64_t total = 0;
    size_t got;
    while (buf && (got = fread(buf, 1, chunk, f)) > 0) {
        c = crc32(c, buf, (uInt)got);
        total += got;
    }
    bool ok = buf && !ferror(f);
    if (!ok)
        snprintf(err, errlen, "cannot read %s", path);
    free(buf);
    fclose(f);
    *size = total;
    *crc = (uint32_t)c;
    return ok;
}

static void add_ident(struct rr_header *h, const char *slot, uint64_t size, uint32_t crc)
{
    struct rr_ident_item *it = &h->ident[h->n_ident++];
    memset(it->slot, 0, sizeof(it->slot));
    memcpy(it->slot, slot, strnlen(slot, sizeof(it->slot)));
    it->size = size;
    it->crc = crc;
}

bool rr_ident_compute(struct rr_header *h, const struct kiln_config *cfg, const uint8_t *bios,
                      size_t bios_size, char *err, size_t errlen)
{
    static const char *const disk_slot[7] = {"hda", "hdb", "hdc", "hdd", "fda", "fdb", "cdrom"};
    const char *disk_path[7] = {cfg->hd[0], cfg->hd[1], cfg->hd[2], cfg->hd[3],
                                cfg->fd[0], cfg->fd[1], cfg->cdrom};
    h->n_ident = 0;
    if (bios)
        add_ident(h, "bios", bios_size, (uint32_t)crc32(0, bios, (uInt)bios_size));
    const char *files[2] = {cfg->kernel, cfg->initrd};
    const char *names[2] = {"kernel", "initrd"};
    for (int i = 0; i < 2; i++) {
        uint64_t size;
        uint32_t crc;
        if (!files[i])
            continue;
        if (!hash_file(files[i], &size, &crc, err, errlen))
            return false;
        add_ident(h, names[i], size, crc);
    }
    if (cfg->append)
        add_ident(h, "append", strlen(cfg->append),
                  (uint32_t)crc32(0, (const Bytef *)cfg->append, (uInt)strlen(cfg->append)));
    for (int i = 0; i < 7; i++) {
        uint64_t size;
        uint32_t crc;
        if (!disk_path[i])
            continue;
        if (h->n_ident == RR_MAX_IDENT) {
            snprintf(err, errlen, "too many images to record");
            return false;
        }
        if (!hash_file(disk_path[i], &size, &crc, err, errlen))
            return false;
        add_ident(h, disk_slot[i], size, crc);
    }
    return true;
}

FILE *rr_file_create(const char *path, const struct rr_header *h, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "-record %s: %s", path, strerror(errno));
        return NULL;
    }
    uint8_t b[RR_HDR_FIXED + RR_MAX_IDENT * RR_IDENT_LEN + 4];
    memcpy(b, RR_MAGIC, 8);
    put_le(b + 8, RR_VERSION, 4);
    put_le(b + 12, h->icount_shift, 4);
    put_le(b + 16, h->ram_mib, 4);
    put_le(b + 20, (uint64_t)h->rtc_epoch, 8);
    memcpy(b + 28, h->cpu, 16);
    put_le(b + 44, (uint64_t)h->n_ident, 4);
    size_t n = RR_HDR_FIXED;
    for (int i = 0; i < h->n_ident; i++, n += RR_IDENT_LEN) {
        memcpy(b + n, h->ident[i].slot, 8);
        put_le(b + n + 8, h->ident[i].size, 8);
        put_le(b + n + 16, h->ident[i].crc, 4);
    }
    put_le(b + n, crc32(0, b, (uInt)n), 4);
    n += 4;
    if (fwrite(b, 1, n, f) != n || fflush(f)) {
        snprintf(err, errlen, "-record %s: %s", path, strerror(errno));
        fclose(f);
        return NULL;
    }
    return f;
}

bool rr_file_put(FILE *f, const struct rr_event *e, uint32_t *crc)
{
    uint8_t b[RR_EVENT_LEN] = {0};
    b[0] = e->kind;
    b[1] = e->dev;
    put_le(b + 2, e->arg, 2);
    put_le(b + 8, e->at.pos, 8);
    put_le(b + 16, e->at.idle_ns, 8);
    put_le(b + 24, e->icount, 8);
    *crc = (uint32_t)crc32(*crc, b, RR_EVENT_LEN);
    if (e->kind == RR_END)
        put_le(b + 4, *crc, 4);
    return fwrite(b, 1, RR_EVENT_LEN, f) == RR_EVENT_LEN;
}

/* An RR_MOUSE event's three deltas within -RR_MOUSE_STEP..RR_MOUSE_STEP. */
static bool mouse_ok(const struct rr_event *e)
{
    int d[3] = {(int8_t)(e->arg & 0xff), (int8_t)(e->arg >> 8), (int8_t)e->dev};
    for (int k = 0; k < 3; k++)
        if (d[k] < -RR_MOUSE_STEP || d[k] > RR_MOUSE_STEP)
            return false;
    return true;
}

/* Check one event against the one before it; the reason in why. */
static bool event_sound(const struct rr_event *e, const struct rr_event *prev, char *why,
                        size_t whylen)
{
    bool kind_ok = (e->kind == RR_SERIAL && e->dev < 4 && e->arg < 256) ||
                   (e->kind == RR_KEY && e->dev < 2 && e->arg > 0 && e->arg < KILN_KEY_COUNT) ||
                   (e->kind == RR_TYPE && e->dev == 0 && rr_typable(e->arg)) ||
                   (e->kind == RR_MOUSE && mouse_ok(e)) ||
                   (e->kind == RR_BUTTONS && e->dev == 0 && e->arg < 8) ||
                   e->kind == RR_END;
    if (!kind_ok) {
        snprintf(why, whylen, "an unknown or malformed event (kind %u)", e->kind);
        return false;
    }
    if (prev && rr_stamp_before(e->at, prev->at)) {
        snprintf(why, whylen, "events out of order");
        return false;
    }
    if (e->icount > e->at.pos) {
        snprintf(why, whylen, "an event whose instruction count exceeds its step count");
        return false;
    }
    return true;
}

/* Parse the header at b (len bytes); returns its length, 0 with a message. */
static size_t parse_header(const char *path, const uint8_t *b, size_t len, struct rr_header *h,
                           char *err, size_t errlen)
{
    if (len < 12 || memcmp(b, RR_MAGIC, 8)) {
        snprintf(err, errlen, "%s is not a Kiln record file", path);
        return 0;
    }
    uint32_t version = (uint32_t)get_le(b + 8, 4);
    if (version != RR_VERSION) {
        snprintf(err, errlen, "%s is a version %u record; this Kiln reads version %d", path,
                 version, RR_VERSION);
        return 0;
    }
    if (len < RR_HDR_FIXED) {
        snprintf(err, errlen, "%s is truncated (in its header)", path);
        return 0;
    }
    uint32_t n_ident = (uint32_t)get_le(b + 44, 4);
    if (n_ident > RR_MAX_IDENT) {
        snprintf(err, errlen, "%s has a damaged header (%u images)", path, n_ident);
        return 0;
    }
    size_t n = RR_HDR_FIXED + n_ident * RR_IDENT_LEN;
    if (len < n + 4) {
        snprintf(err, errlen, "%s is truncated (in its header)", path);
        return 0;
    }
    if (get_le(b + n, 4) != crc32(0, b, (uInt)n)) {
        snprintf(err, errlen, "%s has a damaged header (checksum mismatch)", path);
        return 0;
    }
    h->icount_shift = (uint32_t)get_le(b + 12, 4);
    h->ram_mib = (uint32_t)get_le(b + 16, 4);
    h->rtc_epoch = (int64_t)get_le(b + 20, 8);
    memcpy(h->cpu, b + 28, 16);
    h->n_ident = (int)n_ident;
    for (uint32_t i = 0; i < n_ident; i++) {
        const uint8_t *p = b + RR_HDR_FIXED + i * RR_IDENT_LEN;
        memcpy(h->ident[i].slot, p, 8);
        h->ident[i].size = get_le(p + 8, 8);
        h->ident[i].crc = (uint32_t)get_le(p + 16, 4);
    }
    return n + 4;
}

bool rr_file_read(const char *path, struct rr_header *h, struct rr_event **events, size_t *n,
                  char *err, size_t errlen)
{
    size_t len;
    uint8_t *b = loader_read_file(path, RR_MAX_FILE, &len, err, errlen);
    if (!b)
        return false;
    struct rr_event *ev = NULL;
    size_t off = parse_header(path, b, len, h, err, errlen);
    if (!off)
        goto fail;
    size_t count = (len - off) / RR_EVENT_LEN;
    if ((len - off) % RR_EVENT_LEN) {
        snprintf(err, errlen, "%s is truncated (a partial event at its end)", path);
        goto fail;
    }
    ev = malloc((count ? count : 1) * sizeof(*ev));
    if (!ev) {
        snprintf(err, errlen, "out of memory reading %s", path);
        goto fail;
    }
    uint32_t crc = (uint32_t)crc32(0, Z_NULL, 0);
    for (size_t i = 0; i < count; i++) {
        const uint8_t *p = b + off + i * RR_EVENT_LEN;
        struct rr_event *e = &ev[i];
        *e = (struct rr_event){{get_le(p + 8, 8), get_le(p + 16, 8)}, get_le(p + 24, 8), p[0], p[1],
                               (uint16_t)get_le(p + 2, 2)};
        char why[96];
        if (!event_sound(e, i ? &ev[i - 1] : NULL, why, sizeof(why))) {
            snprintf(err, errlen, "%s is damaged: event %zu is %s", path, i, why);
            goto fail;
        }
        if (e->kind == RR_END) {
            uint8_t zeroed[RR_EVENT_LEN];
            memcpy(zeroed, p, RR_EVENT_LEN);
            put_le(zeroed + 4, 0, 4);
            if (i != count - 1) {
                snprintf(err, errlen, "%s is damaged: data after its end record", path);
                goto fail;
            }
            if (get_le(p + 4, 4) != crc32(crc, zeroed, RR_EVENT_LEN)) {
                snprintf(err, errlen, "%s is damaged (event checksum mismatch)", path);
                goto fail;
            }
        } else if (get_le(p + 4, 4)) {
            snprintf(err, errlen, "%s is damaged: event %zu has stray bits", path, i);
            goto fail;
        }
        crc = (uint32_t)crc32(crc, p, RR_EVENT_LEN);
    }
    if (!count || ev[count - 1].kind != RR_END) {
        snprintf(err, errlen,
                 "%s is truncated: it has no end record (did the recording Kiln exit cleanly?)",
                 path);
        goto fail;
    }
    free(b);
    *events = ev;
    *n = count;
    return true;
fail:
    free(ev);
    free(b);
    return false;
}

bool rr_header_match(const struct rr_header *file, const struct rr_header *here, char *err,
                     size_t errlen)
{
    if (file->icount_shift != here->icount_shift) {
        snprintf(err, errlen, "it was recorded with -icount shift=%u, this run has shift=%u",
                 file->icount_shift, here->icount_shift);
        return false;
    }
    if (file->ram_mib != here->ram_mib) {
        snprintf(err, errlen, "it was recorded with -m %u, this run has -m %u", file->ram_mib,
                 here->ram_mib);
        return false;
    }
    if (memcmp(file->cpu, here->cpu, 16)) {
        snprintf(err, errlen, "it was recorded on a %.16s CPU, this run has %.16s", file->cpu,
                 here->cpu);
        return false;
    }
    for (int i = 0; i < file->n_ident || i < here->n_ident; i++) {
        const struct rr_ident_item *a = i < file->n_ident ? &file->ident[i] : NULL;
        const struct rr_ident_item *b = i < here->n_ident ? &here->ident[i] : NULL;
        if (!a || !b || memcmp(a->slot, b->slot, 8)) {
            snprintf(err, errlen, "it was recorded with other images or options (%.8s vs %.8s)",
                     a ? a->slot : "nothing", b ? b->slot : "nothing");
            return false;
        }
        if (a->size != b->size || a->crc != b->crc) {
            snprintf(err, errlen,
                     "its %.8s is not this one (recorded: %llu bytes, crc32 %08x; "
                     "here: %llu bytes, crc32 %08x)",
                     a->slot, (unsigned long long)a->size, a->crc, (unsigned long long)b->size,
                     b->crc);
            return false;
        }
    }
    return true;
}
