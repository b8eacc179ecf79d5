/* SPDX-License-Identifier: MIT */
/*
 * A PNG reader for tests, written from the PNG specification independently
 * of src/frontend/png.c: checks the signature and every chunk CRC, accepts
 * 8-bit truecolour without interlace only, inflates the joined IDAT data
 * and undoes all five filter types (PNG spec 9.2, Paeth 9.4). The caller
 * frees *pixels (0x00RRGGBB).
 */
#ifndef KILN_TESTS_PNG_DECODE_H
#define KILN_TESTS_PNG_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static inline uint32_t pngd_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline int pngd_paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

/* Decode 'len' bytes of PNG. False on anything malformed or unsupported. */
static inline bool png_decode(const uint8_t *d, size_t len, uint32_t **pixels, int *w, int *h)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', 13, 10, 26, 10};
    *pixels = NULL;
    if (len < 8 || memcmp(d, sig, 8)) return false;
    size_t pos = 8, zlen = 0;
    uint8_t *z = NULL;
    bool have_ihdr = false, have_iend = false;
    uint32_t width = 0, height = 0;
    while (pos + 12 <= len && !have_iend) {
        uint32_t n = pngd_be32(d + pos);
        if (n > len - pos - 12) goto bad;
        const uint8_t *type = d + pos + 4, *data = d + pos + 8;
        uint32_t crc = (uint32_t)crc32(crc32(0, type, 4), data, n);
        if (crc != pngd_be32(data + n)) goto bad;
        if (!memcmp(type, "IHDR", 4)) {
            if (n != 13 || data[8] != 8 || data[9] != 2 || data[10] || data[11] || data[12])
                goto bad;
            width = pngd_be32(data);
            height = pngd_be32(data + 4);
            have_ihdr = true;
        } else if (!memcmp(type, "IDAT", 4)) {
            uint8_t *nz = realloc(z, zlen + n + 1);
            if (!nz) goto bad;
            z = nz;
            memcpy(z + zlen, data, n);
            zlen += n;
        } else if (!memcmp(type, "IEND", 4)) {
            have_iend = true;
        }
        pos += 12 + n;
    }
    if (!have_ihdr || !have_iend || !width || !height || width > 20000 || height > 20000) goto bad;
    size_t stride = 3 * (size_t)width, rawlen = (stride + 1) * height;
    uint8_t *raw = malloc(rawlen);
    uLongf got = (uLongf)rawlen;
    if (!raw || uncompress(raw, &got, z, (uLong)zlen) != Z_OK || got != rawlen) {
        free(raw);
        goto bad;
    }
    free(z);
    uint8_t *cur = calloc(stride, 1), *prev = calloc(stride, 1);
    uint32_t *px = malloc(sizeof(uint32_t) * width * height);
    bool ok = cur && prev && px;
    for (uint32_t y = 0; ok && y < height; y++) {
        const uint8_t *row = raw + y * (stride + 1);
        int ft = row[0];
        for (size_t i = 0; i < stride; i++) {
            int a = i >= 3 ? cur[i - 3] : 0, b = prev[i], c = i >= 3 ? prev[i - 3] : 0;
            int pred = ft == 0 ? 0 : ft == 1 ? a : ft == 2 ? b : ft == 3 ? (a + b) / 2
                     : pngd_paeth(a, b, c);
            if (ft > 4) ok = false;
            cur[i] = (uint8_t)(row[1 + i] + pred);
        }
        for (uint32_t x = 0; x < width; x++)
            px[y * width + x] = (uint32_t)cur[3 * x] << 16 | (uint32_t)cur[3 * x + 1] << 8 |
                                cur[3 * x + 2];
        uint8_t *t = prev;
        prev = cur;
        cur = t;
    }
    free(raw);
    free(cur);
    free(prev);
    if (!ok) {
        free(px);
        return false;
    }
    *pixels = px;
    *w = (int)width;
    *h = (int)height;
    return true;
bad:
    free(z);
    return false;
}

/* Read and decode a PNG file. */
static inline bool png_decode_file(const char *path, uint32_t **pixels, int *w, int *h)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;
    uint8_t tmp[65536];
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
        if (len + n > cap) {
            cap = (len + n) * 2;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) break;
            buf = nb;
        }
        memcpy(buf + len, tmp, n);
        len += n;
    }
    fclose(f);
    bool ok = buf && png_decode(buf, len, pixels, w, h);
    free(buf);
    return ok;
}

#endif
