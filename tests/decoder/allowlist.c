/* SPDX-License-Identifier: MIT */
/*
 * Parses tests/vectors/capstone-allowlist and matches disagreements against
 * it (grammar in allowlist.h). Each rule keeps its text, its reason and a hit
 * count, so that the report shows which explanations were used. Owns only the
 * rule list it allocates; reads the disagreement it is handed.
 */
#include "allowlist.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ALLOW_LIST_MAX 512 /* characters of a cs=/kiln=/ext= value */
#define ALLOW_OP_MAX   4
#define ALLOW_PFX_MAX  3

struct rule {
    enum diff_class cls;
    char cs[ALLOW_LIST_MAX], kiln[ALLOW_LIST_MAX], ext[ALLOW_LIST_MAX];
    uint8_t op_lo[ALLOW_OP_MAX], op_hi[ALLOW_OP_MAX];
    int op_len;
    int reg_lo, reg_hi; /* -1: any */
    int mod;            /* -1 any, 0 memory, 1 register */
    struct {
        uint8_t bytes[11];
        int len;
        bool negate; /* nopfx=: none of them may be present */
    } pfx[ALLOW_PFX_MAX];
    int pfx_groups;
    int mode; /* 0 any, else 2 or 4 */
    int line;
    char *text;
    unsigned long hits;
};

struct allowlist {
    struct rule *rules;
    int count;
};

static bool is_prefix(uint8_t b)
{
    return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 ||
           b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3;
}

/* Does 'name' match one entry of the comma list 'list' ("" matches all)? */
static bool list_match(const char *list, const char *name)
{
    if (!list[0]) return true;
    if (!name) return false;
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n && p[n - 1] == '*') {
            if (!strncmp(p, name, n - 1)) return true;
        } else if (strlen(name) == n && !strncmp(p, name, n)) {
            return true;
        }
        p += n + (end != NULL);
    }
    return false;
}

static bool parse_hex(const char *s, const char **end, uint8_t *out)
{
    char *e;
    unsigned long v = strtoul(s, &e, 16);
    if (e == s || v > 0xff) return false;
    *out = (uint8_t)v;
    *end = e;
    return true;
}

static bool parse_op(struct rule *r, const char *v)
{
    while (*v) {
        if (r->op_len == ALLOW_OP_MAX) return false;
        uint8_t lo, hi;
        if (!parse_hex(v, &v, &lo)) return false;
        hi = lo;
        if (*v == '-' && !parse_hex(v + 1, &v, &hi)) return false;
        r->op_lo[r->op_len] = lo;
        r->op_hi[r->op_len++] = hi;
        if (*v == '.')
            v++;
        else if (*v)
            return false;
    }
    return r->op_len > 0;
}

static bool parse_pfx(struct rule *r, const char *v, bool negate)
{
    if (r->pfx_groups == ALLOW_PFX_MAX) return false;
    int g = r->pfx_groups++;
    r->pfx[g].negate = negate;
    while (*v) {
        uint8_t b;
        if (r->pfx[g].len == (int)sizeof(r->pfx[g].bytes) || !parse_hex(v, &v, &b) || !is_prefix(b))
            return false;
        r->pfx[g].bytes[r->pfx[g].len++] = b;
        if (*v == ',')
            v++;
        else if (*v)
            return false;
    }
    return r->pfx[g].len > 0;
}

static bool parse_cond(struct rule *r, char *tok)
{
    char *eq = strchr(tok, '=');
    if (!eq || strlen(eq + 1) >= ALLOW_LIST_MAX) return false;
    *eq = 0;
    const char *v = eq + 1;
    if (!strcmp(tok, "cs"))
        strcpy(r->cs, v);
    else if (!strcmp(tok, "kiln"))
        strcpy(r->kiln, v);
    else if (!strcmp(tok, "ext"))
        strcpy(r->ext, v);
    else if (!strcmp(tok, "op"))
        return parse_op(r, v);
    else if (!strcmp(tok, "pfx") || !strcmp(tok, "nopfx"))
        return parse_pfx(r, v, tok[0] == 'n');
    else if (!strcmp(tok, "mod") && (!strcmp(v, "mem") || !strcmp(v, "reg")))
        r->mod = !strcmp(v, "reg");
    else if (!strcmp(tok, "mode") && (!strcmp(v, "16") || !strcmp(v, "32")))
        r->mode = v[0] == '1' ? 2 : 4;
    else if (!strcmp(tok, "reg") && isdigit((unsigned char)v[0])) {
        r->reg_lo = r->reg_hi = v[0] - '0';
        if (v[1] == '-' && isdigit((unsigned char)v[2]))
            r->reg_hi = v[2] - '0';
        else if (v[1])
            return false;
        return r->reg_lo <= r->reg_hi && r->reg_hi < 8;
    } else
        return false;
    return true;
}

/* The '#' that opens the reason: one after white space ("kiln=#UD" is a
 * condition), or NULL. */
static char *reason_start(char *line)
{
    for (char *p = strchr(line, '#'); p; p = strchr(p + 1, '#'))
        if (p > line && isspace((unsigned char)p[-1])) return p;
    return NULL;
}

/* Parse one non-empty line into r; returns false with a message on error. */
static bool parse_rule(struct rule *r, char *line, char *err, size_t err_size)
{
    char *hash = reason_start(line);
    char *reason = hash ? hash + 1 : NULL;
    while (reason && isspace((unsigned char)*reason))
        reason++;
    if (!reason || !*reason) {
        snprintf(err, err_size, "line %d: a rule needs '# reason'", r->line);
        return false;
    }
    *hash = 0;
    r->reg_lo = r->reg_hi = r->mod = -1;
    char *save = NULL;
    char *tok = strtok_r(line, " \t", &save);
    r->cls = diff_class_from_name(tok);
    if (r->cls == DIFF_CLASS_COUNT || r->cls == DIFF_NONE) {
        snprintf(err, err_size, "line %d: unknown class '%s'", r->line, tok);
        return false;
    }
    while ((tok = strtok_r(NULL, " \t", &save))) {
        char cond[64];
        snprintf(cond, sizeof(cond), "%s", tok); /* parse_cond cuts tok at '=' */
        if (!parse_cond(r, tok)) {
            snprintf(err, err_size, "line %d: bad condition '%s'", r->line, cond);
            return false;
        }
    }
    return true;
}

struct allowlist *allowlist_load(const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "cannot open %s", path);
        return NULL;
    }
    struct allowlist *al = calloc(1, sizeof(*al));
    char line[1024];
    int lineno = 0, cap = 0;
    bool ok = al != NULL;
    while (ok && fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#') continue;
        if (al->count == cap) {
            cap = cap ? cap * 2 : 32;
            struct rule *nr = realloc(al->rules, (size_t)cap * sizeof(*nr));
            if (!nr) {
                ok = false;
                snprintf(err, err_size, "out of memory");
                break;
            }
            al->rules = nr;
        }
        struct rule *r = &al->rules[al->count];
        memset(r, 0, sizeof(*r));
        r->line = lineno;
        r->text = strdup(p);
        if (!r->text || !parse_rule(r, p, err, err_size)) {
            free(r->text);
            ok = false;
            break;
        }
        al->count++;
    }
    fclose(f);
    if (!ok) {
        allowlist_free(al);
        return NULL;
    }
    return al;
}

void allowlist_free(struct allowlist *al)
{
    if (!al) return;
    for (int i = 0; i < al->count; i++)
        free(al->rules[i].text);
    free(al->rules);
    free(al);
}

static bool rule_matches(const struct rule *r, const struct allow_case *c)
{
    if (r->cls != c->cls || (r->mode && r->mode != c->code_size)) return false;
    if (!list_match(r->cs, c->cs_mnem) || !list_match(r->kiln, c->kiln_mnem) ||
        !list_match(r->ext, c->ext))
        return false;
    size_t p = 0;
    while (p < c->len && is_prefix(c->bytes[p]))
        p++;
    for (int g = 0; g < r->pfx_groups; g++) {
        bool seen = false;
        for (size_t i = 0; i < p; i++)
            for (int j = 0; j < r->pfx[g].len; j++)
                seen |= c->bytes[i] == r->pfx[g].bytes[j];
        if (seen == r->pfx[g].negate) return false;
    }
    for (int i = 0; i < r->op_len; i++)
        if (p + (size_t)i >= c->len || c->bytes[p + i] < r->op_lo[i] ||
            c->bytes[p + i] > r->op_hi[i])
            return false;
    size_t mp = p + (p < c->len && c->bytes[p] == 0x0f ? 2 : 1);
    if (r->reg_lo >= 0 || r->mod >= 0) {
        if (mp >= c->len) return false;
        uint8_t modrm = c->bytes[mp];
        int reg = (modrm >> 3) & 7;
        if (r->reg_lo >= 0 && (reg < r->reg_lo || reg > r->reg_hi)) return false;
        if (r->mod >= 0 && ((modrm >> 6) == 3) != (r->mod == 1)) return false;
    }
    return true;
}

int allowlist_match(struct allowlist *al, const struct allow_case *c)
{
    for (int i = 0; i < al->count; i++) {
        if (rule_matches(&al->rules[i], c)) {
            al->rules[i].hits++;
            return i;
        }
    }
    return -1;
}

void allowlist_report(const struct allowlist *al, FILE *out)
{
    for (int i = 0; i < al->count; i++) {
        const struct rule *r = &al->rules[i];
        char head[72];
        snprintf(head, sizeof(head), "%s", r->text);
        char *hash = reason_start(head);
        if (hash) *hash = 0;
        for (size_t n = strlen(head); n && isspace((unsigned char)head[n - 1]); n--)
            head[n - 1] = 0;
        fprintf(out, "  %9lu  line %3d  %s%s\n", r->hits, r->line, head,
                r->hits ? "" : "  (matched nothing this run)");
    }
}
