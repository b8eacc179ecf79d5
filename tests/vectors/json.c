/* SPDX-License-Identifier: MIT */
/*
 * JSON parser and SingleStepTests JSON readers (see json.h). Recursive
 * descent over a length-bounded buffer (never relies on a NUL), nesting
 * limited so hostile input cannot exhaust the stack. Owns the arena; the
 * runner owns everything about executing tests.
 * Spec: RFC 8259; SingleStepTests 8086/80286 README "Test Formats".
 */
#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { JSON_MAX_DEPTH = 128, JSON_BLOCK = 256 * 1024 };

struct json_block {
    struct json_block *next;
    size_t size, used;
    max_align_t data[];
};

void json_arena_init(struct json_arena *a)
{
    a->head = NULL;
}

void json_arena_reset(struct json_arena *a)
{
    for (struct json_block *b = a->head; b; b = b->next)
        b->used = 0;
}

void json_arena_free(struct json_arena *a)
{
    while (a->head) {
        struct json_block *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

/* First fit over the block list; blocks are kept across resets for reuse. */
static void *arena_alloc(struct json_arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    for (struct json_block *b = a->head; b; b = b->next) {
        if (b->size - b->used >= n) {
            void *p = (char *)b->data + b->used;
            b->used += n;
            return p;
        }
    }
    size_t size = n > JSON_BLOCK ? n : JSON_BLOCK;
    struct json_block *b = malloc(sizeof(*b) + size);
    if (!b)
        return NULL;
    b->size = size;
    b->used = n;
    b->next = a->head;
    a->head = b;
    return b->data;
}

struct parser {
    const char *s;
    size_t len, pos;
    int depth;
    struct json_arena *a;
    char *err;
    size_t errlen;
};

static void *perr(struct parser *p, const char *fmt, ...)
{
    size_t line = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++)
        line += p->s[i] == '\n';
    int n = snprintf(p->err, p->errlen, "JSON line %zu (offset %zu): ", line, p->pos);
    if (n >= 0 && (size_t)n < p->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

static void skip_ws(struct parser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool read_hex4(struct parser *p, size_t at, unsigned *out)
{
    if (p->len - at < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p->s[at + (size_t)i]);
        if (h < 0)
            return false;
        v = v << 4 | (unsigned)h;
    }
    *out = v;
    return true;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* p->pos is at the opening quote. Escape-free strings point into the text. */
static bool parse_string(struct parser *p, const char **out, size_t *out_len)
{
    size_t start = ++p->pos, i = start;
    bool esc = false;
    for (;;) {
        if (i >= p->len)
            return perr(p, "unterminated string"), false;
        unsigned char c = (unsigned char)p->s[i];
        if (c == '"')
            break;
        if (c < 0x20) {
            p->pos = i;
            return perr(p, "control character in string"), false;
        }
        if (c == '\\') {
            esc = true;
            i++;
        }
        i++;
    }
    if (!esc) {
        *out = p->s + start;
        *out_len = i - start;
        p->pos = i + 1;
        return true;
    }
    char *o = arena_alloc(p->a, i - start);
    if (!o)
        return perr(p, "out of memory"), false;
    size_t n = 0, k = start;
    while (k < i) {
        char c = p->s[k++];
        if (c != '\\') {
            o[n++] = c;
            continue;
        }
        char e = p->s[k++];
        unsigned cp, lo;
        switch (e) {
        case '"': o[n++] = '"'; break;
        case '\\': o[n++] = '\\'; break;
        case '/': o[n++] = '/'; break;
        case 'b': o[n++] = '\b'; break;
        case 'f': o[n++] = '\f'; break;
        case 'n': o[n++] = '\n'; break;
        case 'r': o[n++] = '\r'; break;
        case 't': o[n++] = '\t'; break;
        case 'u':
            p->pos = k - 2;
            if (!read_hex4(p, k, &cp) || k + 4 > i)
                return perr(p, "bad \\u escape"), false;
            k += 4;
            if (cp >= 0xd800 && cp < 0xdc00) {
                if (k + 6 > i || p->s[k] != '\\' || p->s[k + 1] != 'u' ||
                    !read_hex4(p, k + 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
                    return perr(p, "unpaired surrogate"), false;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                k += 6;
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                return perr(p, "unpaired surrogate"), false;
            }
            n += put_utf8(o + n, cp);
            break;
        default:
            p->pos = k - 2;
            return perr(p, "bad escape '\\%c'", e), false;
        }
    }
    *out = o;
    *out_len = n;
    p->pos = i + 1;
    return true;
}

static size_t digits(struct parser *p)
{
    size_t n = 0;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        p->pos++;
        n++;
    }
    return n;
}

/* Strict RFC 8259 number syntax; the value is converted by strtod. */
static bool parse_number(struct parser *p, double *out)
{
    size_t start = p->pos;
    if (p->s[p->pos] == '-')
        p->pos++;
    size_t int_start = p->pos, nd = digits(p);
    if (nd == 0)
        return perr(p, "bad number"), false;
    if (nd > 1 && p->s[int_start] == '0')
        return perr(p, "leading zero in number"), false;
    if (p->pos < p->len && p->s[p->pos] == '.') {
        p->pos++;
        if (!digits(p))
            return perr(p, "bad fraction"), false;
    }
    if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
        p->pos++;
        if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
            p->pos++;
        if (!digits(p))
            return perr(p, "bad exponent"), false;
    }
    char tmp[64];
    size_t n = p->pos - start;
    if (n >= sizeof(tmp))
        return perr(p, "number too long"), false;
    memcpy(tmp, p->s + start, n);
    tmp[n] = 0;
    *out = strtod(tmp, NULL);
    return true;
}

static struct json_value *parse_value(struct parser *p);

static struct json_value *new_value(struct parser *p, enum json_type type)
{
    struct json_value *v = arena_alloc(p->a, sizeof(*v));
    if (!v)
        return perr(p, "out of memory");
    memset(v, 0, sizeof(*v));
    v->type = type;
    return v;
}

/* Array or object; p->pos is at '[' or '{'. */
static struct json_value *parse_container(struct parser *p, bool obj)
{
    if (++p->depth > JSON_MAX_DEPTH)
        return perr(p, "nesting deeper than %d", JSON_MAX_DEPTH);
    struct json_value *v = new_value(p, obj ? JSON_OBJECT : JSON_ARRAY);
    if (!v)
        return NULL;
    char close = obj ? '}' : ']';
    struct json_value **tail = &v->child;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        p->depth--;
        return v;
    }
    for (;;) {
        const char *key = NULL;
        size_t key_len = 0;
        if (obj) {
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != '"')
                return perr(p, "expected a member name");
            if (!parse_string(p, &key, &key_len))
                return NULL;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':')
                return perr(p, "expected ':'");
            p->pos++;
        }
        struct json_value *item = parse_value(p);
        if (!item)
            return NULL;
        item->key = key;
        item->key_len = key_len;
        *tail = item;
        tail = &item->next;
        v->count++;
        skip_ws(p);
        if (p->pos >= p->len)
            return perr(p, "unterminated %s", obj ? "object" : "array");
        if (p->s[p->pos] == close)
            break;
        if (p->s[p->pos] != ',')
            return perr(p, "expected ',' or '%c'", close);
        p->pos++;
    }
    p->pos++;
    p->depth--;
    return v;
}

static struct json_value *parse_literal(struct parser *p, const char *word, enum json_type type)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
        return perr(p, "unexpected character '%c'", p->s[p->pos]);
    p->pos += n;
    return new_value(p, type);
}

static struct json_value *parse_value(struct parser *p)
{
    skip_ws(p);
    if (p->pos >= p->len)
        return perr(p, "unexpected end of input");
    char c = p->s[p->pos];
    struct json_value *v;
    switch (c) {
    case '{': return parse_container(p, true);
    case '[': return parse_container(p, false);
    case '"':
        if (!(v = new_value(p, JSON_STRING)))
            return NULL;
        return parse_string(p, &v->str, &v->str_len) ? v : NULL;
    case 't': return parse_literal(p, "true", JSON_TRUE);
    case 'f': return parse_literal(p, "false", JSON_FALSE);
    case 'n': return parse_literal(p, "null", JSON_NULL);
    default:
        if (c != '-' && (c < '0' || c > '9'))
            return perr(p, "unexpected character 0x%02x", (unsigned char)c);
        if (!(v = new_value(p, JSON_NUMBER)))
            return NULL;
        return parse_number(p, &v->num) ? v : NULL;
    }
}

struct json_value *json_parse(struct json_arena *a, const char *text, size_t len, char *err,
                              size_t errlen)
{
    struct parser p = {.s = text, .len = len, .a = a, .err = err, .errlen = errlen};
    struct json_value *v = parse_value(&p);
    if (!v)
        return NULL;
    skip_ws(&p);
    if (p.pos != p.len)
        return perr(&p, "trailing data after the document");
    return v;
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT)
        return NULL;
    size_t n = strlen(key);
    for (const struct json_value *m = obj->child; m; m = m->next)
        if (m->key_len == n && !memcmp(m->key, key, n))
            return m;
    return NULL;
}

bool json_is_str(const struct json_value *v, const char *s)
{
    return v && v->type == JSON_STRING && v->str_len == strlen(s) && !memcmp(v->str, s, v->str_len);
}

bool json_uint(const struct json_value *v, uint32_t max, uint32_t *out)
{
    if (!v || v->type != JSON_NUMBER || !(v->num >= 0) || v->num > (double)max ||
        v->num != (double)(uint32_t)v->num)
        return false;
    *out = (uint32_t)v->num;
    return true;
}

/* Mask of opcodes.OPCODE[.reg.REG]: 0 with *mask set, 1 when the opcode is a
 * group and reg is -1, -1 when not listed. */
static int meta_flags_mask(const struct json_value *meta, const char *opcode, int reg,
                           uint16_t *mask)
{
    *mask = 0xffff;
    const struct json_value *e = json_get(json_get(meta, "opcodes"), opcode);
    if (!e)
        return -1;
    const struct json_value *group = json_get(e, "reg");
    if (group) {
        if (reg < 0)
            return 1;
        char key[2] = {(char)('0' + (reg & 7)), 0};
        if (!(e = json_get(group, key)))
            return -1;
    }
    uint32_t m;
    if (json_uint(json_get(e, "flags-mask"), 0xffff, &m))
        *mask = (uint16_t)m;
    return 0;
}

void json_meta_file_masks(const struct json_meta *m, const char *base,
                          struct json_flag_masks *fm)
{
    char key[16];
    size_t n = strcspn(base, ".");
    fm->per_reg = false;
    fm->mask = 0xffff;
    if (!m->root || n == 0 || n >= sizeof(key))
        return;
    for (size_t i = 0; i < n; i++)
        key[i] = (char)(base[i] >= 'a' && base[i] <= 'z' ? base[i] - 32 : base[i]);
    key[n] = 0;
    int reg = -1;
    if (base[n] == '.' && base[n + 1] >= '0' && base[n + 1] <= '7' && base[n + 2] == '.')
        reg = base[n + 1] - '0';
    if (meta_flags_mask(m->root, key, reg, &fm->mask) == 1) {
        fm->per_reg = true;
        for (int g = 0; g < 8; g++)
            meta_flags_mask(m->root, key, g, &fm->reg_mask[g]);
    }
}

static bool is_prefix(uint8_t b)
{
    switch (b) {
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0xf0: case 0xf1: case 0xf2: case 0xf3:
        return true;
    default:
        return false;
    }
}

uint16_t json_flag_mask_of(const struct json_flag_masks *fm, const uint8_t *bytes, size_t len)
{
    if (!fm->per_reg)
        return fm->mask;
    size_t i = 0;
    while (i < len && is_prefix(bytes[i]))
        i++;
    if (i < len && bytes[i] == 0x0f)
        i++;
    return i + 1 < len ? fm->reg_mask[bytes[i + 1] >> 3 & 7] : 0xffff;
}

void json_meta_init(struct json_meta *m)
{
    memset(m, 0, sizeof(*m));
    json_arena_init(&m->arena);
}

void json_meta_free(struct json_meta *m)
{
    json_arena_free(&m->arena);
    free(m->text);
    json_meta_init(m);
}

int json_meta_load(struct json_meta *m, const char *dir, char *err, size_t errlen)
{
    static const char *const at[] = {"%s/metadata.json", "%s/../v1/metadata.json"};
    char path[4096];
    json_meta_free(m);
    for (int i = 0; i < 2; i++) {
        if (snprintf(path, sizeof(path), at[i], dir) >= (int)sizeof(path) || access(path, F_OK))
            continue;
        char why[200];
        if (moo_load_file(path, &m->text, &m->len, &m->cap, why, sizeof(why)) ||
            !(m->root = json_parse(&m->arena, (const char *)m->text, m->len, why, sizeof(why)))) {
            snprintf(err, errlen, "%s: %s", path, why);
            return -1;
        }
        return 0;
    }
    return 1;
}

/* --- SingleStepTests test files: an array of test objects, read one at a time --- */

static int jt_fail(struct json_tests *jt, const char *fmt, ...)
{
    int n = snprintf(jt->err, sizeof(jt->err), "test %zu: ", jt->count);
    if (n >= 0 && (size_t)n < sizeof(jt->err)) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(jt->err + n, sizeof(jt->err) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int conv_state(struct json_tests *jt, const struct json_value *st, const char *what,
                      struct moo_state *s, bool initial)
{
    const struct json_value *regs = json_get(st, "regs"), *ram = json_get(st, "ram");
    if (!regs || regs->type != JSON_OBJECT)
        return jt_fail(jt, "%s.regs missing or not an object", what);
    if (!ram || ram->type != JSON_ARRAY)
        return jt_fail(jt, "%s.ram missing or not an array", what);
    for (const struct json_value *m = regs->child; m; m = m->next) {
        int r = 0;
        while (r < MOO_REG_COUNT &&
               !(strlen(moo_reg_names[r]) == m->key_len &&
                 !memcmp(moo_reg_names[r], m->key, m->key_len)))
            r++;
        if (r == MOO_REG_COUNT)
            return jt_fail(jt, "%s.regs: unknown register '%.*s'", what, (int)m->key_len,
                           m->key);
        uint32_t v;
        if (!json_uint(m, 0xffff, &v))
            return jt_fail(jt, "%s.regs.%s is not a 16-bit value", what, moo_reg_names[r]);
        s->regs[r] = (uint16_t)v;
        s->present |= (uint16_t)(1u << r);
    }
    if (initial && s->present != (1u << MOO_REG_COUNT) - 1)
        return jt_fail(jt, "%s.regs lacks registers", what);
    for (const struct json_value *e = ram->child; e; e = e->next) {
        uint32_t addr, val;
        if (e->type != JSON_ARRAY || e->count != 2 || !json_uint(e->child, 0xffffffffu, &addr) ||
            !json_uint(e->child->next, 0xff, &val))
            return jt_fail(jt, "%s.ram: entries must be [address, byte]", what);
        if (!moo_state_add_ram(s, addr, (uint8_t)val))
            return jt_fail(jt, "out of memory");
    }
    return 0;
}

static int conv_test(struct json_tests *jt, const struct json_value *o, struct moo_test *t)
{
    moo_test_clear(t);
    t->index = (uint32_t)jt->count;
    uint32_t v, v2;
    if (json_uint(json_get(o, "idx"), 0xffffffffu, &v) ||
        json_uint(json_get(o, "test_num"), 0xffffffffu, &v))
        t->index = v;
    const struct json_value *name = json_get(o, "name"), *bytes = json_get(o, "bytes");
    if (!name || name->type != JSON_STRING)
        return jt_fail(jt, "'name' missing or not a string");
    if (!moo_test_set_name(t, name->str, name->str_len))
        return jt_fail(jt, "out of memory");
    if (!bytes || bytes->type != JSON_ARRAY)
        return jt_fail(jt, "'bytes' missing or not an array");
    uint8_t tmp[64]; /* far more than any x86 instruction, prefixes included */
    size_t n = 0;
    if (bytes->count > sizeof(tmp))
        return jt_fail(jt, "'bytes' holds %zu bytes", bytes->count);
    for (const struct json_value *b = bytes->child; b; b = b->next) {
        if (!json_uint(b, 0xff, &v))
            return jt_fail(jt, "'bytes' holds a non-byte");
        tmp[n++] = (uint8_t)v;
    }
    if (!moo_test_set_bytes(t, tmp, n))
        return jt_fail(jt, "out of memory");
    const struct json_value *ini = json_get(o, "initial"), *fin = json_get(o, "final");
    if (!ini || ini->type != JSON_OBJECT || !fin || fin->type != JSON_OBJECT)
        return jt_fail(jt, "'initial' or 'final' missing");
    if (conv_state(jt, ini, "initial", &t->init, true) ||
        conv_state(jt, fin, "final", &t->final, false))
        return -1;
    const struct json_value *ex = json_get(o, "exception");
    if (ex) {
        if (!json_uint(json_get(ex, "number"), 0xff, &v) ||
            !json_uint(json_get(ex, "flag_address"), 0xffffffffu, &v2))
            return jt_fail(jt, "'exception' needs number and flag_address");
        t->has_excp = true;
        t->excp_vector = (uint8_t)v;
        t->excp_flag_addr = v2;
    }
    const struct json_value *h = json_get(o, "hash");
    if (h && h->type == JSON_STRING && h->str_len == 40) {
        t->has_hash = true;
        for (int i = 0; i < 20 && t->has_hash; i++) {
            int hi = hexval(h->str[2 * i]), lo = hexval(h->str[2 * i + 1]);
            t->has_hash = hi >= 0 && lo >= 0;
            t->hash[i] = (uint8_t)(hi << 4 | lo);
        }
    }
    return 0;
}

int json_tests_open(struct json_tests *jt, const char *text, size_t len)
{
    memset(jt, 0, sizeof(*jt));
    json_arena_init(&jt->arena);
    jt->text = text;
    jt->len = len;
    struct parser p = {.s = text, .len = len, .err = jt->err, .errlen = sizeof(jt->err)};
    skip_ws(&p);
    if (p.pos >= len || text[p.pos] != '[') {
        perr(&p, "a test file must be an array of tests");
        return -1;
    }
    jt->pos = p.pos + 1;
    return 0;
}

int json_tests_next(struct json_tests *jt, struct moo_test *out)
{
    if (jt->done)
        return 0;
    json_arena_reset(&jt->arena);
    struct parser p = {.s = jt->text, .len = jt->len, .pos = jt->pos, .a = &jt->arena,
                       .err = jt->err, .errlen = sizeof(jt->err)};
    skip_ws(&p);
    if (p.pos < p.len && p.s[p.pos] == ']') {
        p.pos++;
        skip_ws(&p);
        if (p.pos != p.len) {
            perr(&p, "trailing data after the test array");
            return -1;
        }
        jt->done = true;
        return 0;
    }
    if (jt->count) {
        if (p.pos >= p.len || p.s[p.pos] != ',') {
            perr(&p, p.pos >= p.len ? "unterminated test array" : "expected ',' or ']'");
            return -1;
        }
        p.pos++;
    }
    struct json_value *v = parse_value(&p);
    if (!v)
        return -1;
    if (v->type != JSON_OBJECT) {
        perr(&p, "a test must be an object");
        return -1;
    }
    jt->pos = p.pos;
    if (conv_test(jt, v, out))
        return -1;
    jt->count++;
    return 1;
}

void json_tests_close(struct json_tests *jt)
{
    json_arena_free(&jt->arena);
}
