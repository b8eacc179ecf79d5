/* SPDX-License-Identifier: MIT */
/*
 * MOO reader and gunzip loader (see moo.h). Chunks are walked by their
 * length field and unknown ones skipped (CYCL, GMET, QUEU, META ...), as the
 * format asks. Owns no CPU knowledge; the runner decides what a test means.
 * Spec: moo-format/moo_format_v1.md.
 */
#include "moo.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

const char *const moo_reg_names[MOO_REG_COUNT] = {
    "ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags",
};

/* Files larger than this are refused: the biggest real one is a few MiB. */
enum { MOO_MAX_FILE = 1u << 30 };

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

void moo_test_init(struct moo_test *t)
{
    memset(t, 0, sizeof(*t));
}

void moo_test_free(struct moo_test *t)
{
    free(t->name);
    free(t->bytes);
    free(t->init.ram);
    free(t->final.ram);
    memset(t, 0, sizeof(*t));
}

static void state_clear(struct moo_state *s)
{
    s->present = 0;
    s->masked = 0;
    s->ram_count = 0;
}

void moo_test_clear(struct moo_test *t)
{
    t->index = 0;
    if (t->name)
        t->name[0] = 0;
    t->bytes_len = 0;
    state_clear(&t->init);
    state_clear(&t->final);
    t->has_excp = false;
    t->excp_vector = 0;
    t->excp_flag_addr = 0;
    t->has_hash = false;
}

bool moo_test_set_name(struct moo_test *t, const char *s, size_t len)
{
    if (!grow((void **)&t->name, &t->name_cap, len + 1, 1))
        return false;
    memcpy(t->name, s, len);
    t->name[len] = 0;
    return true;
}

bool moo_test_set_bytes(struct moo_test *t, const uint8_t *p, size_t len)
{
    if (!grow((void **)&t->bytes, &t->bytes_cap, len ? len : 1, 1))
        return false;
    memcpy(t->bytes, p, len);
    t->bytes_len = len;
    return true;
}

bool moo_state_add_ram(struct moo_state *s, uint32_t addr, uint8_t val)
{
    if (!grow((void **)&s->ram, &s->ram_cap, s->ram_count + 1, sizeof(*s->ram)))
        return false;
    s->ram[s->ram_count].addr = addr;
    s->ram[s->ram_count].val = val;
    s->ram_count++;
    return true;
}

static int fail(struct moo_file *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->err, sizeof(f->err), fmt, ap);
    va_end(ap);
    return -1;
}

/* A chunk header at buf[*pos]; 'end' bounds the enclosing chunk's payload. */
struct chunk {
    char id[5];
    size_t off, len; /* payload */
};

static int next_chunk(struct moo_file *f, size_t *pos, size_t end, struct chunk *c)
{
    if (end - *pos < 8)
        return fail(f, "truncated chunk header at offset %zu", *pos);
    memcpy(c->id, f->buf + *pos, 4);
    c->id[4] = 0;
    c->len = rd32(f->buf + *pos + 4);
    c->off = *pos + 8;
    if (c->len > end - c->off)
        return fail(f, "chunk '%s' at offset %zu claims %zu bytes, only %zu remain", c->id, *pos,
                    c->len, end - c->off);
    *pos = c->off + c->len;
    return 0;
}

/* REGS or RMSK: a 16-bit presence mask, then one word per set bit. */
static int parse_regs(struct moo_file *f, const struct chunk *c, uint16_t *present,
                      uint16_t *vals)
{
    if (c->len < 2)
        return fail(f, "%s chunk at offset %zu is too short", c->id, c->off - 8);
    const uint8_t *p = f->buf + c->off;
    uint16_t bits = rd16(p);
    if (bits >> MOO_REG_COUNT)
        return fail(f, "%s chunk at offset %zu names unknown registers (mask %04x)", c->id,
                    c->off - 8, bits);
    size_t need = 2;
    for (int i = 0; i < MOO_REG_COUNT; i++)
        need += (bits >> i & 1) * 2u;
    if (need > c->len)
        return fail(f, "%s chunk at offset %zu is truncated", c->id, c->off - 8);
    p += 2;
    for (int i = 0; i < MOO_REG_COUNT; i++) {
        if (bits >> i & 1) {
            vals[i] = rd16(p);
            p += 2;
        }
    }
    *present = bits;
    return 0;
}

static int parse_ram(struct moo_file *f, const struct chunk *c, struct moo_state *s)
{
    if (c->len < 4)
        return fail(f, "RAM chunk at offset %zu is too short", c->off - 8);
    const uint8_t *p = f->buf + c->off;
    uint32_t n = rd32(p);
    if (n > (c->len - 4) / 5)
        return fail(f, "RAM chunk at offset %zu holds %u entries in %zu bytes", c->off - 8, n,
                    c->len);
    s->ram_count = 0;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *e = p + 4 + 5 * (size_t)i;
        if (!moo_state_add_ram(s, rd32(e), e[4]))
            return fail(f, "out of memory");
    }
    return 0;
}

/* INIT or FINA: REGS, RAM, optional RMSK and QUEU. */
static int parse_state(struct moo_file *f, const struct chunk *outer, struct moo_state *s)
{
    size_t pos = outer->off, end = outer->off + outer->len;
    bool have_regs = false, have_ram = false;
    struct chunk c;
    while (pos < end) {
        if (next_chunk(f, &pos, end, &c))
            return -1;
        if (!memcmp(c.id, "REGS", 4)) {
            if (parse_regs(f, &c, &s->present, s->regs))
                return -1;
            have_regs = true;
        } else if (!memcmp(c.id, "RMSK", 4)) {
            if (parse_regs(f, &c, &s->masked, s->masks))
                return -1;
        } else if (!memcmp(c.id, "RAM ", 4)) {
            if (parse_ram(f, &c, s))
                return -1;
            have_ram = true;
        } else if (!memcmp(c.id, "RG32", 4) || !memcmp(c.id, "RM32", 4)) {
            return fail(f, "32-bit register file (%s) is not supported", c.id);
        }
    }
    if (!have_regs || !have_ram)
        return fail(f, "%s chunk at offset %zu lacks %s", outer->id, outer->off - 8,
                    have_regs ? "RAM" : "REGS");
    return 0;
}

static int parse_counted(struct moo_file *f, const struct chunk *c, const uint8_t **p,
                         size_t *n)
{
    if (c->len < 4 || rd32(f->buf + c->off) > c->len - 4)
        return fail(f, "%s chunk at offset %zu is malformed", c->id, c->off - 8);
    *n = rd32(f->buf + c->off);
    *p = f->buf + c->off + 4;
    return 0;
}

static int parse_test(struct moo_file *f, const struct chunk *tc, struct moo_test *t)
{
    moo_test_clear(t);
    if (tc->len < 4)
        return fail(f, "TEST chunk at offset %zu is too short", tc->off - 8);
    t->index = rd32(f->buf + tc->off);
    size_t pos = tc->off + 4, end = tc->off + tc->len;
    unsigned seen = 0; /* NAME BYTS INIT FINA */
    struct chunk c;
    const uint8_t *p;
    size_t n;
    while (pos < end) {
        if (next_chunk(f, &pos, end, &c))
            return -1;
        if (!memcmp(c.id, "NAME", 4)) {
            if (parse_counted(f, &c, &p, &n))
                return -1;
            if (!moo_test_set_name(t, (const char *)p, n))
                return fail(f, "out of memory");
            seen |= 1;
        } else if (!memcmp(c.id, "BYTS", 4)) {
            if (parse_counted(f, &c, &p, &n))
                return -1;
            if (!moo_test_set_bytes(t, p, n))
                return fail(f, "out of memory");
            seen |= 2;
        } else if (!memcmp(c.id, "INIT", 4)) {
            if (parse_state(f, &c, &t->init))
                return -1;
            seen |= 4;
        } else if (!memcmp(c.id, "FINA", 4)) {
            if (parse_state(f, &c, &t->final))
                return -1;
            seen |= 8;
        } else if (!memcmp(c.id, "EXCP", 4)) {
            if (c.len < 5)
                return fail(f, "EXCP chunk at offset %zu is too short", c.off - 8);
            t->has_excp = true;
            t->excp_vector = f->buf[c.off];
            t->excp_flag_addr = rd32(f->buf + c.off + 1);
        } else if (!memcmp(c.id, "HASH", 4)) {
            if (c.len < 20)
                return fail(f, "HASH chunk at offset %zu is too short", c.off - 8);
            t->has_hash = true;
            memcpy(t->hash, f->buf + c.off, 20);
        }
    }
    if (seen != 15)
        return fail(f, "test %u (offset %zu) lacks its %s chunk", t->index, tc->off - 8,
                    !(seen & 1) ? "NAME" : !(seen & 2) ? "BYTS" : !(seen & 4) ? "INIT" : "FINA");
    if (t->init.present != (1u << MOO_REG_COUNT) - 1)
        return fail(f, "test %u: initial state lacks registers (mask %04x)", t->index,
                    t->init.present);
    if (!t->final.masked && f->file_masked) {
        t->final.masked = f->file_masked;
        memcpy(t->final.masks, f->file_masks, sizeof(f->file_masks));
    }
    return 0;
}

int moo_open(struct moo_file *f, const uint8_t *buf, size_t len)
{
    memset(f, 0, sizeof(*f));
    f->buf = buf;
    f->len = len;
    struct chunk c;
    if (len < 8 || memcmp(buf, "MOO ", 4))
        return fail(f, "not a MOO file (no 'MOO ' header)");
    if (next_chunk(f, &f->pos, len, &c))
        return -1;
    if (c.len < 12)
        return fail(f, "MOO header is %zu bytes, expected at least 12", c.len);
    const uint8_t *p = buf + c.off;
    f->major = p[0];
    f->minor = p[1];
    f->test_count = rd32(p + 4);
    memcpy(f->cpu_id, p + 8, 4);
    f->cpu_id[4] = 0;
    for (int i = 3; i >= 0 && f->cpu_id[i] == ' '; i--)
        f->cpu_id[i] = 0;
    for (int i = 0; f->cpu_id[i]; i++)
        if (f->cpu_id[i] < 0x20 || f->cpu_id[i] > 0x7e)
            f->cpu_id[i] = '?';
    if (f->major != 1)
        return fail(f, "MOO major version %u is not supported", f->major);
    return 0;
}

int moo_next(struct moo_file *f, struct moo_test *t)
{
    struct chunk c;
    while (f->pos < f->len) {
        if (next_chunk(f, &f->pos, f->len, &c))
            return -1;
        if (!memcmp(c.id, "TEST", 4)) {
            if (parse_test(f, &c, t))
                return -1;
            f->tests_read++;
            return 1;
        }
        if (!memcmp(c.id, "RMSK", 4) && parse_regs(f, &c, &f->file_masked, f->file_masks))
            return -1;
        if (!memcmp(c.id, "RG32", 4) || !memcmp(c.id, "RM32", 4))
            return fail(f, "32-bit register file (%s) is not supported", c.id);
    }
    if (f->tests_read != f->test_count)
        return fail(f, "file holds %u tests but its header says %u", f->tests_read,
                    f->test_count);
    return 0;
}

int moo_load_file(const char *path, uint8_t **buf, size_t *len, size_t *cap, char *err,
                  size_t errlen)
{
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        snprintf(err, errlen, "cannot open %s: %s", path, errno ? strerror(errno) : "zlib error");
        return -1;
    }
    gzbuffer(gz, 1u << 17);
    size_t n = 0;
    for (;;) {
        if (!grow((void **)buf, cap, n + (1u << 20), 1)) {
            snprintf(err, errlen, "%s: out of memory", path);
            gzclose(gz);
            return -1;
        }
        size_t room = *cap - n;
        unsigned want = room > (1u << 30) ? 1u << 30 : (unsigned)room;
        int got = gzread(gz, *buf + n, want);
        if (got < 0)
            break;
        n += (size_t)got;
        if (got == 0)
            break;
        if (n > MOO_MAX_FILE) {
            snprintf(err, errlen, "%s: larger than %u bytes", path, (unsigned)MOO_MAX_FILE);
            gzclose(gz);
            return -1;
        }
    }
    int zerr;
    const char *msg = gzerror(gz, &zerr);
    if (zerr != Z_OK && zerr != Z_STREAM_END) {
        snprintf(err, errlen, "%s: %s", path,
                 zerr == Z_BUF_ERROR ? "truncated gzip data" : zerr == Z_ERRNO ? strerror(errno)
                                                                               : msg);
        gzclose(gz);
        return -1;
    }
    gzclose(gz);
    *len = n;
    return 0;
}

static int cmp_hash(const void *a, const void *b)
{
    return memcmp(a, b, 20);
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int moo_revoked_load(struct moo_revoked *rv, const char *path, char *err, size_t errlen)
{
    rv->hash = NULL;
    rv->count = 0;
    errno = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 1;
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t line_cap = 0, cap = 0;
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && getline(&line, &line_cap, f) >= 0) {
        lineno++;
        char *s = line + strspn(line, " \t\r\n");
        if (!*s || *s == '#')
            continue;
        uint8_t h[20];
        int i = 0;
        for (; i < 40 && hex_digit(s[i]) >= 0; i++)
            if (i & 1)
                h[i / 2] = (uint8_t)(hex_digit(s[i - 1]) << 4 | hex_digit(s[i]));
        if (i != 40 || (s[40] && !strchr(" \t\r\n#", s[40]))) {
            snprintf(err, errlen, "%s:%u: expected a 40-digit hex hash", path, lineno);
            rc = -1;
        } else if (!grow((void **)&rv->hash, &cap, rv->count + 1, 20)) {
            snprintf(err, errlen, "%s: out of memory", path);
            rc = -1;
        } else {
            memcpy(rv->hash[rv->count++], h, 20);
        }
    }
    free(line);
    fclose(f);
    if (rc)
        moo_revoked_free(rv);
    else if (rv->count)
        qsort(rv->hash, rv->count, 20, cmp_hash);
    return rc;
}

bool moo_revoked_has(const struct moo_revoked *rv, const uint8_t hash[20])
{
    return rv->count && bsearch(hash, rv->hash, rv->count, 20, cmp_hash);
}

void moo_revoked_free(struct moo_revoked *rv)
{
    free(rv->hash);
    rv->hash = NULL;
    rv->count = 0;
}
