/* SPDX-License-Identifier: MIT */
/*
 * Kernel loading front door (see loader.h): file reading, the flat 32-bit
 * entry state both protocols share, and format detection.
 */
#include "frontend/loader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bits.h"

uint8_t *loader_read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                snprintf(err, errlen, "'%s' is larger than %zu bytes", path, max);
                goto fail;
            }
            cap = cap ? cap * 2 : 1u << 20;
            if (cap > max)
                cap = max;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                snprintf(err, errlen, "out of memory reading '%s'", path);
                goto fail;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "error reading '%s'", path);
        goto fail;
    }
    fclose(f);
    *len = n;
    return buf;
fail:
    free(buf);
    fclose(f);
    return NULL;
}

static void flat_cache(struct seg_cache *s, uint16_t sel, bool code)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xffffffffu;
    s->attr = (uint16_t)(SEG_ATTR_G | SEG_ATTR_DB | SEG_ATTR_P | (code ? 0x1b : 0x13));
}

void loader_enter_flat32(struct cpu *c, uint8_t *ram, uint32_t gdt, uint32_t eip)
{
    /* Entries 2 and 3: flat 4 GiB code (execute/read) and data (read/write), accessed. */
    static const uint8_t code[8] = {0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0};
    static const uint8_t data[8] = {0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0};
    memset(ram + gdt, 0, 16);
    memcpy(ram + gdt + 0x10, code, 8);
    memcpy(ram + gdt + 0x18, data, 8);
    c->gdtr.base = gdt;
    c->gdtr.limit = 0x1f;
    c->cr[0] |= CR0_PE;
    for (int s = 0; s < SEG_COUNT; s++)
        flat_cache(&c->seg[s], s == SEG_CS ? 0x10 : 0x18, s == SEG_CS);
    c->cpl = 0;
    c->eflags = c->model->flags_fixed1;
    c->lf_op = LF_NONE;
    c->eip = eip;
    cpu_set_a20(c, true);
}

int loader_load_kernel(struct cpu *c, const struct loader_args *a, char *err, size_t errlen)
{
    size_t len;
    uint8_t *img = loader_read_file(a->kernel, a->ram_size, &len, err, errlen);
    if (!img)
        return -1;
    int rc = loader_linux(c, a, img, len, err, errlen);
    if (rc == 1)
        rc = loader_multiboot(c, a, img, len, err, errlen);
    if (rc == 1) {
        snprintf(err, errlen, "'%s' is neither a Linux bzImage nor a Multiboot kernel", a->kernel);
        rc = -1;
    }
    free(img);
    return rc;
}
