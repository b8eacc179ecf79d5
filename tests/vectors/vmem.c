/* SPDX-License-Identifier: MIT */
/*
 * kiln-vectors' test memory (see vmem.h). Addresses wrap at the suite's
 * address space (1 MiB on the 8086, 16 MiB on the 286), as the bus does.
 */
#include "vmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        /* Called from bus callbacks, which cannot fail: a host error ends the run. */
        fprintf(stderr, "kiln-vectors: out of memory\n");
        exit(2);
    }
    return q;
}

static void push_addr(uint32_t **list, size_t *n, size_t *cap, uint32_t a)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        *list = xrealloc(*list, *cap * sizeof(**list));
    }
    (*list)[(*n)++] = a;
}

int vmem_init(struct vmem *m)
{
    memset(m, 0, sizeof(*m));
    m->val = calloc(VMEM_SIZE, 1);
    m->init = calloc(VMEM_SIZE, 1);
    m->tag = calloc(VMEM_SIZE, 1);
    m->mask = VMEM_SIZE - 1;
    return m->val && m->init && m->tag ? 0 : -1;
}

void vmem_free(struct vmem *m)
{
    free(m->val);
    free(m->init);
    free(m->tag);
    free(m->touched);
    free(m->written);
}

void vmem_touch(struct vmem *m, uint32_t a)
{
    push_addr(&m->touched, &m->ntouched, &m->cap_touched, a);
}

void vmem_reset(struct vmem *m)
{
    for (size_t i = 0; i < m->ntouched; i++) {
        uint32_t a = m->touched[i];
        m->val[a] = m->init[a] = m->tag[a] = 0;
    }
    m->ntouched = m->nwritten = 0;
    m->unlisted_reads = 0;
}

void vmem_load(struct vmem *m, const struct moo_state *s)
{
    for (size_t i = 0; i < s->ram_count; i++) {
        uint32_t a = s->ram[i].addr & m->mask;
        if (!m->tag[a])
            vmem_touch(m, a);
        m->tag[a] |= TAG_INIT;
        m->val[a] = m->init[a] = s->ram[i].val;
    }
}

uint32_t vmem_read(void *ctx, uint32_t addr, int size)
{
    struct vmem *m = ctx;
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        uint32_t a = (addr + (uint32_t)i) & m->mask;
        if (!m->tag[a] && !m->unlisted_reads++)
            m->first_unlisted = a;
        v |= (uint32_t)m->val[a] << (8 * i);
    }
    return v;
}

static void note_written(struct vmem *m, uint32_t a)
{
    if (m->tag[a] & TAG_WRITTEN)
        return;
    if (!m->tag[a])
        vmem_touch(m, a);
    push_addr(&m->written, &m->nwritten, &m->cap_written, a);
    m->tag[a] |= TAG_WRITTEN;
}

void vmem_write(void *ctx, uint32_t addr, int size, uint32_t val)
{
    struct vmem *m = ctx;
    for (int i = 0; i < size; i++) {
        uint32_t a = (addr + (uint32_t)i) & m->mask;
        note_written(m, a);
        m->val[a] = (uint8_t)(val >> (8 * i));
    }
}

/* Chunks compared whole before looking at single bytes. */
enum { SCAN_CHUNK = 64 };

void vmem_find_writes(struct vmem *m, uint32_t start, uint32_t len)
{
    uint32_t size = m->mask + 1;
    if (len > size)
        len = size;
    start &= m->mask;
    while (len) {
        /* Split where the window wraps past the end of the address space. */
        uint32_t n = size - start < len ? size - start : len;
        for (uint32_t off = 0; off < n; off += SCAN_CHUNK) {
            uint32_t k = n - off < SCAN_CHUNK ? n - off : SCAN_CHUNK;
            const uint8_t *v = m->val + start + off, *in = m->init + start + off;
            if (!memcmp(v, in, k))
                continue;
            for (uint32_t i = 0; i < k; i++)
                if (v[i] != in[i])
                    note_written(m, start + off + i);
        }
        len -= n;
        start = 0;
    }
}

int64_t vmem_first_stray(const struct vmem *m)
{
    static const uint8_t zero[4096];
    for (uint32_t a = 0; a <= m->mask; a += sizeof(zero)) {
        if (!memcmp(m->val + a, zero, sizeof(zero)))
            continue;
        for (uint32_t i = 0; i < sizeof(zero); i++)
            if (m->val[a + i])
                return a + i;
    }
    return -1;
}
