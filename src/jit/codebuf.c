/* SPDX-License-Identifier: MIT */
/*
 * W^X executable memory (see codebuf.h for the design): one anonymous
 * mapping whose pages are flipped between read-write and read-execute with
 * mprotect, never both at once. Owns the mapping and the record of which
 * pages are open; writes no code itself. Follows POSIX mmap/mprotect and
 * the Linux mmap(2) address-hint behaviour; x86 keeps instruction fetch
 * coherent with stores (SDM Vol. 3, 11.6), so no cache flush is needed.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "jit/codebuf.h"

#include "common/log.h"

#if defined(__linux__) && defined(__x86_64__)

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define NEAR_STEP  ((uintptr_t)64 << 20) /* distance between placement hints */
#define NEAR_TRIES 16                    /* hints tried on each side */
#define NEAR_REACH ((uintptr_t)3 << 29)  /* 1.5 GiB: leaves room for code around 'near' */

struct codebuf {
    uint8_t *base;
    size_t size;
    size_t page;
    size_t open_lo, open_hi; /* page-aligned offsets of the open range; equal when none */
};

/* Is all of [p, p + size) within NEAR_REACH of 'near'? */
static bool within_reach(uintptr_t p, size_t size, uintptr_t near)
{
    uintptr_t end = p + size;
    uintptr_t lo = p < near ? near - p : p - near;
    uintptr_t hi = end < near ? near - end : end - near;
    return lo <= NEAR_REACH && hi <= NEAR_REACH;
}

static void *map_at(uintptr_t hint, size_t size)
{
    return mmap((void *)hint, size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* Map 'size' bytes, trying hints around 'near' first: without MAP_FIXED the
 * kernel takes a free hinted range as given and otherwise picks its own,
 * which is checked and dropped when too far. */
static void *map_near(size_t size, size_t page, uintptr_t near)
{
    for (uintptr_t i = 1; near && i <= NEAR_TRIES; i++) {
        uintptr_t below = near > i * NEAR_STEP + size ? near - i * NEAR_STEP - size : 0;
        uintptr_t hints[2] = {below, near + i * NEAR_STEP};
        for (int k = 0; k < 2; k++) {
            if (!hints[k]) continue;
            void *p = map_at(hints[k] & ~(uintptr_t)(page - 1), size);
            if (p == MAP_FAILED) continue;
            if (within_reach((uintptr_t)p, size, near)) return p;
            munmap(p, size);
        }
    }
    return map_at(0, size);
}

struct codebuf *codebuf_new(size_t size, const void *near)
{
    long ps = sysconf(_SC_PAGESIZE);
    size_t page = ps > 0 ? (size_t)ps : 4096;
    if (size == 0 || size > SIZE_MAX / 2) {
        log_msg(LOG_HOST, "codebuf", "refusing a code buffer of %zu bytes", size);
        return NULL;
    }
    size = (size + page - 1) & ~(page - 1);
    struct codebuf *cb = malloc(sizeof(*cb));
    if (!cb) {
        log_msg(LOG_HOST, "codebuf", "out of memory");
        return NULL;
    }
    void *p = map_near(size, page, (uintptr_t)near);
    if (p == MAP_FAILED) {
        log_msg(LOG_HOST, "codebuf", "cannot map %zu bytes of code memory: %s", size,
                strerror(errno));
        free(cb);
        return NULL;
    }
    *cb = (struct codebuf){.base = p, .size = size, .page = page};
    return cb;
}

void codebuf_free(struct codebuf *cb)
{
    if (!cb) return;
    munmap(cb->base, cb->size);
    free(cb);
}

uint8_t *codebuf_base(const struct codebuf *cb)
{
    return cb->base;
}

size_t codebuf_size(const struct codebuf *cb)
{
    return cb->size;
}

uint8_t *codebuf_open(struct codebuf *cb, size_t off, size_t len)
{
    if (len == 0 || off > cb->size || len > cb->size - off) {
        log_msg(LOG_HOST, "codebuf", "bad range %zu+%zu of a %zu-byte buffer", off, len, cb->size);
        return NULL;
    }
    size_t lo = off & ~(cb->page - 1);
    size_t hi = (off + len + cb->page - 1) & ~(cb->page - 1);
    if (mprotect(cb->base + lo, hi - lo, PROT_READ | PROT_WRITE)) {
        log_msg(LOG_HOST, "codebuf", "mprotect read-write failed: %s", strerror(errno));
        return NULL;
    }
    if (cb->open_lo == cb->open_hi) {
        cb->open_lo = lo;
        cb->open_hi = hi;
    } else {
        /* The pages between two open ranges are read-execute already;
         * sealing them again is harmless. */
        cb->open_lo = lo < cb->open_lo ? lo : cb->open_lo;
        cb->open_hi = hi > cb->open_hi ? hi : cb->open_hi;
    }
    return cb->base + off;
}

int codebuf_seal(struct codebuf *cb)
{
    if (cb->open_lo == cb->open_hi) return 0;
    if (mprotect(cb->base + cb->open_lo, cb->open_hi - cb->open_lo, PROT_READ | PROT_EXEC)) {
        log_msg(LOG_HOST, "codebuf", "mprotect read-execute failed: %s", strerror(errno));
        return -1;
    }
    cb->open_lo = cb->open_hi = 0;
    return 0;
}

bool codebuf_is_open(const struct codebuf *cb)
{
    return cb->open_lo != cb->open_hi;
}

#else /* no x86-64 Linux host: refuse clearly, the interpreter still runs */

struct codebuf {
    int unused;
};

struct codebuf *codebuf_new(size_t size, const void *near)
{
    (void)size;
    (void)near;
    log_msg(LOG_HOST, "codebuf", "no executable code buffers on this host (needs Linux x86-64)");
    return NULL;
}

void codebuf_free(struct codebuf *cb)
{
    (void)cb;
}

uint8_t *codebuf_base(const struct codebuf *cb)
{
    (void)cb;
    return NULL;
}

size_t codebuf_size(const struct codebuf *cb)
{
    (void)cb;
    return 0;
}

uint8_t *codebuf_open(struct codebuf *cb, size_t off, size_t len)
{
    (void)cb;
    (void)off;
    (void)len;
    return NULL;
}

int codebuf_seal(struct codebuf *cb)
{
    (void)cb;
    return -1;
}

bool codebuf_is_open(const struct codebuf *cb)
{
    (void)cb;
    return false;
}

#endif
