/* SPDX-License-Identifier: MIT */
/*
 * The PNG writer (see png.h): signature, IHDR, IDAT with each scan line
 * prefixed by filter type 1 (Sub: screens are mostly runs of one colour,
 * which Sub turns into zeros), IEND. Chunk CRCs are CRC-32 over type and
 * data (PNG spec, 5.3), computed with zlib's crc32().
 */
#include "frontend/png.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

struct png_buf {
    uint8_t *data;
    size_t len, cap;
    bool oom;
};

static void buf_need(struct png_buf *b, size_t more)
{
    if (b->oom || b->len + more <= b->cap) return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more)
        cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p) {
        b->oom = true;
        return;
    }
    b->data = p;
    b->cap = cap;
}

static void buf_put(struct png_buf *b, const void *src, size_t n)
{
    buf_need(b, n);
    if (b->oom) return;
    memcpy(b->data + b->len, src, n);
    b->len += n;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* One chunk: length, type, data, CRC of type and data. */
static void put_chunk(struct png_buf *b, const char type[4], const uint8_t *data, size_t n)
{
    uint8_t hdr[8];
    put_be32(hdr, (uint32_t)n);
    memcpy(hdr + 4, type, 4);
    buf_put(b, hdr, 8);
    if (n) buf_put(b, data, n);
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    if (n) crc = crc32(crc, data, (uInt)n);
    uint8_t tail[4];
    put_be32(tail, (uint32_t)crc);
    buf_put(b, tail, 4);
}

/* The filtered image: per row, filter byte 1 then R G B differences from
 * the pixel to the left (modulo 256). */
static uint8_t *filtered_rows(const uint32_t *px, int w, int h, size_t *len)
{
    size_t row = 1 + 3 * (size_t)w;
    uint8_t *raw = malloc(row * (size_t)h);
    if (!raw) return NULL;
    for (int y = 0; y < h; y++) {
        uint8_t *d = raw + row * (size_t)y;
        const uint32_t *s = px + (size_t)y * (size_t)w;
        *d++ = 1;
        uint32_t left = 0;
        for (int x = 0; x < w; x++) {
            uint32_t p = s[x];
            *d++ = (uint8_t)((p >> 16) - (left >> 16));
            *d++ = (uint8_t)((p >> 8) - (left >> 8));
            *d++ = (uint8_t)(p - left);
            left = p;
        }
    }
    *len = row * (size_t)h;
    return raw;
}

bool png_encode(const uint32_t *pixels, int width, int height, uint8_t **out, size_t *out_len,
                char *err, size_t errlen)
{
    *out = NULL;
    *out_len = 0;
    if (width < 1 || height < 1 || width > PNG_MAX_SIDE || height > PNG_MAX_SIDE || !pixels) {
        snprintf(err, errlen, "cannot encode a %dx%d picture as PNG", width, height);
        return false;
    }
    size_t raw_len = 0;
    uint8_t *raw = filtered_rows(pixels, width, height, &raw_len);
    uLongf z_len = compressBound((uLong)raw_len);
    uint8_t *z = raw ? malloc(z_len) : NULL;
    if (!z || compress2(z, &z_len, raw, (uLong)raw_len, 6) != Z_OK) {
        free(raw);
        free(z);
        snprintf(err, errlen, "out of memory encoding a %dx%d PNG", width, height);
        return false;
    }
    free(raw);
    struct png_buf b = {0};
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    buf_put(&b, sig, 8);
    uint8_t ihdr[13];
    put_be32(ihdr, (uint32_t)width);
    put_be32(ihdr + 4, (uint32_t)height);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* truecolour */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* no interlace */
    put_chunk(&b, "IHDR", ihdr, sizeof(ihdr));
    /* IDAT chunks of at most 1 MiB each. */
    for (size_t off = 0; off < z_len; off += 1u << 20) {
        size_t n = z_len - off < (1u << 20) ? z_len - off : (1u << 20);
        put_chunk(&b, "IDAT", z + off, n);
    }
    put_chunk(&b, "IEND", NULL, 0);
    free(z);
    if (b.oom) {
        free(b.data);
        snprintf(err, errlen, "out of memory encoding a %dx%d PNG", width, height);
        return false;
    }
    *out = b.data;
    *out_len = b.len;
    return true;
}

bool png_write_file(const char *path, const uint32_t *pixels, int width, int height, char *err,
                    size_t errlen)
{
    uint8_t *png;
    size_t len;
    if (!png_encode(pixels, width, height, &png, &len, err, errlen)) return false;
    size_t tlen = strlen(path) + 16;
    char *tmp = malloc(tlen);
    if (!tmp) {
        free(png);
        snprintf(err, errlen, "out of memory writing %s", path);
        return false;
    }
    snprintf(tmp, tlen, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(png, 1, len, f) == len;
    int e = errno;
    if (f && fclose(f)) ok = false, e = errno;
    if (ok && rename(tmp, path)) ok = false, e = errno;
    if (!ok) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(e ? e : EIO));
        remove(tmp);
    }
    free(tmp);
    free(png);
    return ok;
}
