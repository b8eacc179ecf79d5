/* SPDX-License-Identifier: MIT */
/*
 * kiln-vectors' list of opcode files Kiln deliberately does not model (see
 * not_modelled.h and the list itself, tests/vectors/not-modelled).
 */
#include "not_modelled.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/models.h"

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "kiln-vectors: out of memory\n");
        exit(2);
    }
    return q;
}

int nm_load(struct nm_list *l, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "kiln-vectors: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t line_cap = 0, cap = l->n;
    unsigned lineno = 0;
    int rc = 0;
    while (!rc && getline(&line, &line_cap, f) >= 0) {
        lineno++;
        char *save, *suite = strtok_r(line, " \t\r\n", &save);
        if (!suite || suite[0] == '#')
            continue;
        char *file = strtok_r(NULL, " \t\r\n", &save);
        char *reason = file ? strtok_r(NULL, "\r\n", &save) : NULL;
        if (!file || !cpu_model_find(suite)) {
            fprintf(stderr, "kiln-vectors: %s:%u: expected 'SUITE FILE reason', SUITE one of %s\n",
                    path, lineno, cpu_model_names());
            rc = -1;
            break;
        }
        if (reason)
            reason += strspn(reason, " \t");
        if (l->n == cap) {
            cap = cap ? cap * 2 : 32;
            l->e = xrealloc(l->e, cap * sizeof(*l->e));
        }
        struct nm_entry *e = &l->e[l->n++];
        e->suite = strdup(suite);
        e->file = strdup(file);
        e->reason = strdup(reason && *reason ? reason : "(no reason given)");
        if (!e->suite || !e->file || !e->reason) {
            fprintf(stderr, "kiln-vectors: out of memory\n");
            rc = -1;
        }
    }
    free(line);
    fclose(f);
    return rc;
}

const struct nm_entry *nm_find(const struct nm_list *l, const char *suite, const char *file)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->e[i].suite, suite) && !strcmp(l->e[i].file, file))
            return &l->e[i];
    return NULL;
}

void nm_free(struct nm_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->e[i].suite);
        free(l->e[i].file);
        free(l->e[i].reason);
    }
    free(l->e);
    l->e = NULL;
    l->n = 0;
}
