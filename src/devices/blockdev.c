/* SPDX-License-Identifier: MIT */
/*
 * Block devices on raw image files (see blockdev.h). Owns only struct
 * blockdev: a host file descriptor and, with 'snapshot', a sparse overlay of
 * 4 KiB pages in an open-addressing hash map keyed by page number, which
 * machine snapshots save and load as page records. A
 * read-only or snapshot image is opened O_RDONLY, so the file can never
 * change. Touches no device or CPU state; host I/O errors are returned (and
 * logged as HOST), never fatal. Follows POSIX.1-2008 pread/pwrite.
 */
#include "devices/blockdev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/bits.h"
#include "common/log.h"

#define BD_PAGE_SHIFT 12
#define BD_PAGE_SIZE  (1u << BD_PAGE_SHIFT)
#define BD_MIN_SLOTS  64

/* One overlay page; data == NULL marks an empty slot. */
struct bd_slot {
    uint64_t page;
    uint8_t *data;
};

struct blockdev {
    int fd;
    uint64_t size;
    bool file_ro;  /* the descriptor is read-only (asked for, or the host refused writes) */
    bool snapshot; /* writes go to the overlay */
    struct bd_slot *slots;
    size_t nslots, used; /* nslots is 0 or a power of two */
};

static void set_err(char *err, size_t errlen, const char *fmt, const char *path, const char *why)
{
    if (err && errlen) snprintf(err, errlen, fmt, path, why);
}

struct blockdev *blockdev_open(const char *path, bool read_only, bool snapshot, char *err,
                               size_t errlen)
{
    if (!path) {
        set_err(err, errlen, "%s%s", "", "no image path");
        return NULL;
    }
    bool file_ro = read_only || snapshot;
    int fd = open(path, (file_ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (fd < 0 && !file_ro && (errno == EACCES || errno == EROFS || errno == EPERM)) {
        /* The host will not let us write: the image stays usable, read-only. */
        file_ro = true;
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    uint64_t size;
    if (S_ISREG(st.st_mode)) {
        size = (uint64_t)st.st_size;
    } else if (S_ISBLK(st.st_mode)) {
        off_t end = lseek(fd, 0, SEEK_END);
        if (end < 0) {
            set_err(err, errlen, "%s: %s", path, strerror(errno));
            close(fd);
            return NULL;
        }
        size = (uint64_t)end;
    } else {
        set_err(err, errlen, "%s: %s", path, "not a regular file or block device");
        close(fd);
        return NULL;
    }
    struct blockdev *b = calloc(1, sizeof(*b));
    if (!b) {
        set_err(err, errlen, "%s: %s", path, "out of memory");
        close(fd);
        return NULL;
    }
    b->fd = fd;
    b->size = size;
    b->file_ro = file_ro;
    b->snapshot = snapshot;
    return b;
}

void blockdev_close(struct blockdev *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->nslots; i++)
        free(b->slots[i].data);
    free(b->slots);
    close(b->fd);
    free(b);
}

uint64_t blockdev_size(const struct blockdev *b)
{
    return b->size;
}

bool blockdev_read_only(const struct blockdev *b)
{
    return b->file_ro && !b->snapshot;
}

/* True when [off, off + len) lies inside the image. */
static bool in_range(const struct blockdev *b, uint64_t off, size_t len)
{
    return off <= b->size && (uint64_t)len <= b->size - off;
}

/* Read exactly 'len' bytes from the file at 'off'; a short file is an error. */
static bool file_read(struct blockdev *b, uint64_t off, uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t n = pread(b->fd, buf, len, (off_t)off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            log_msg(LOG_HOST, "blockdev", "read at %llu failed: %s", (unsigned long long)off,
                    n < 0 ? strerror(errno) : "image file shrank");
            return false;
        }
        buf += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return true;
}

static bool file_write(struct blockdev *b, uint64_t off, const uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t n = pwrite(b->fd, buf, len, (off_t)off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            log_msg(LOG_HOST, "blockdev", "write at %llu failed: %s", (unsigned long long)off,
                    n < 0 ? strerror(errno) : "no progress");
            return false;
        }
        buf += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return true;
}

/* The slot for 'page': the one holding it, or the empty slot where it would go. */
static struct bd_slot *slot_find(const struct blockdev *b, uint64_t page)
{
    size_t mask = b->nslots - 1;
    size_t i = (size_t)((page * 0x9e3779b97f4a7c15ull) >> 32) & mask;
    while (b->slots[i].data && b->slots[i].page != page)
        i = (i + 1) & mask;
    return &b->slots[i];
}

static uint8_t *overlay_get(const struct blockdev *b, uint64_t page)
{
    if (!b->nslots) return NULL;
    return slot_find(b, page)->data;
}

/* Keep the table at most half full so probe chains stay short. */
static bool overlay_grow(struct blockdev *b)
{
    if (b->nslots && (b->used + 1) * 2 <= b->nslots) return true;
    size_t n = b->nslots ? b->nslots * 2 : BD_MIN_SLOTS;
    struct bd_slot *old = b->slots;
    size_t oldn = b->nslots;
    b->slots = calloc(n, sizeof(*b->slots));
    if (!b->slots) {
        b->slots = old;
        return false;
    }
    b->nslots = n;
    for (size_t i = 0; i < oldn; i++)
        if (old[i].data) *slot_find(b, old[i].page) = old[i];
    free(old);
    return true;
}

/* The overlay page for 'page', created from the file's bytes when absent. */
static uint8_t *overlay_page(struct blockdev *b, uint64_t page)
{
    uint8_t *p = overlay_get(b, page);
    if (p) return p;
    if (!overlay_grow(b)) {
        log_msg(LOG_HOST, "blockdev", "snapshot overlay: out of memory");
        return NULL;
    }
    p = calloc(1, BD_PAGE_SIZE);
    if (!p) {
        log_msg(LOG_HOST, "blockdev", "snapshot overlay: out of memory");
        return NULL;
    }
    /* The image may end inside its last page; the rest of the page stays zero and unused. */
    uint64_t start = page << BD_PAGE_SHIFT;
    uint64_t n = b->size - start < BD_PAGE_SIZE ? b->size - start : BD_PAGE_SIZE;
    if (!file_read(b, start, p, (size_t)n)) {
        free(p);
        return NULL;
    }
    struct bd_slot *s = slot_find(b, page);
    s->page = page;
    s->data = p;
    b->used++;
    return p;
}

bool blockdev_read(struct blockdev *b, uint64_t off, void *buf, size_t len)
{
    if (!b || (!buf && len) || !in_range(b, off, len)) return false;
    uint8_t *out = buf;
    if (!b->used) return file_read(b, off, out, len);
    while (len) {
        uint64_t page = off >> BD_PAGE_SHIFT;
        size_t in_page = (size_t)(off & (BD_PAGE_SIZE - 1));
        size_t n = BD_PAGE_SIZE - in_page < len ? BD_PAGE_SIZE - in_page : len;
        const uint8_t *p = overlay_get(b, page);
        if (p)
            memcpy(out, p + in_page, n);
        else if (!file_read(b, off, out, n))
            return false;
        out += n;
        off += n;
        len -= n;
    }
    return true;
}

bool blockdev_write(struct blockdev *b, uint64_t off, const void *buf, size_t len)
{
    if (!b || (!buf && len) || !in_range(b, off, len) || blockdev_read_only(b)) return false;
    const uint8_t *in = buf;
    if (!b->snapshot) return file_write(b, off, in, len);
    while (len) {
        uint64_t page = off >> BD_PAGE_SHIFT;
        size_t in_page = (size_t)(off & (BD_PAGE_SIZE - 1));
        size_t n = BD_PAGE_SIZE - in_page < len ? BD_PAGE_SIZE - in_page : len;
        uint8_t *p = overlay_page(b, page);
        if (!p) return false;
        memcpy(p + in_page, in, n);
        in += n;
        off += n;
        len -= n;
    }
    return true;
}

/* ---- the overlay in a machine snapshot ---- */

bool blockdev_has_overlay(const struct blockdev *b)
{
    return b->snapshot;
}

size_t blockdev_overlay_pages(const struct blockdev *b)
{
    return b->used;
}

void blockdev_overlay_save(const struct blockdev *b, uint8_t *out)
{
    for (size_t i = 0; i < b->nslots; i++) {
        if (!b->slots[i].data) continue;
        store_le64(out, b->slots[i].page);
        memcpy(out + 8, b->slots[i].data, BD_PAGE_SIZE);
        out += BLOCKDEV_OVERLAY_RECORD;
    }
}

bool blockdev_overlay_check(const struct blockdev *b, const uint8_t *in, size_t pages)
{
    uint64_t last = (b->size + BD_PAGE_SIZE - 1) >> BD_PAGE_SHIFT;
    for (size_t i = 0; i < pages; i++)
        if (load_le64(in + i * BLOCKDEV_OVERLAY_RECORD) >= last) return false;
    return true;
}

bool blockdev_overlay_load(struct blockdev *b, const uint8_t *in, size_t pages)
{
    for (size_t i = 0; i < b->nslots; i++)
        free(b->slots[i].data);
    free(b->slots);
    b->slots = NULL;
    b->nslots = b->used = 0;
    for (size_t i = 0; i < pages; i++) {
        const uint8_t *rec = in + i * BLOCKDEV_OVERLAY_RECORD;
        uint64_t page = load_le64(rec);
        uint8_t *p = overlay_get(b, page); /* a page listed twice: the last copy wins */
        if (!p) {
            if (!overlay_grow(b) || !(p = malloc(BD_PAGE_SIZE))) {
                log_msg(LOG_HOST, "blockdev", "snapshot overlay: out of memory");
                return false;
            }
            struct bd_slot *s = slot_find(b, page);
            s->page = page;
            s->data = p;
            b->used++;
        }
        memcpy(p, rec + 8, BD_PAGE_SIZE);
    }
    return true;
}
