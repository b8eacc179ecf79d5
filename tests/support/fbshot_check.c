/* SPDX-License-Identifier: MIT */
/*
 * kiln-fbshot-check: compares a PNG screenshot of a 32-bpp linear
 * framebuffer picture with the framebuffer's own bytes, read from guest
 * physical memory by the monitor ('xp /Nxw' lines: "ADDR: 0xWORD ..."),
 * WIDTH x HEIGHT pixels, rows packed (pitch = 4 * WIDTH), XRGB in each
 * little-endian word. Nothing here comes from Kiln's renderer.
 * Usage: kiln-fbshot-check WIDTH HEIGHT XP_DUMP SHOT.png   (exit 0 on a match)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png_decode.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s WIDTH HEIGHT XP_DUMP SHOT.png\n", argv[0]);
        return 2;
    }
    int w = atoi(argv[1]), h = atoi(argv[2]);
    if (w < 1 || h < 1 || w > 4096 || h > 4096) {
        fprintf(stderr, "fbshot-check: bad size %sx%s\n", argv[1], argv[2]);
        return 2;
    }
    size_t n = (size_t)w * (size_t)h;
    uint32_t *fb = malloc(n * sizeof(uint32_t));
    FILE *f = fopen(argv[3], "r");
    if (!fb || !f) {
        fprintf(stderr, "fbshot-check: cannot read %s\n", argv[3]);
        return 2;
    }
    size_t got = 0;
    char tok[64];
    while (got < n && fscanf(f, "%63s", tok) == 1) {
        if (strncmp(tok, "0x", 2)) continue; /* addresses end in ':' */
        fb[got++] = (uint32_t)strtoul(tok, NULL, 16) & 0xffffff;
    }
    fclose(f);
    if (got != n) {
        fprintf(stderr, "fbshot-check: %s holds %zu words, expected %zu\n", argv[3], got, n);
        return 2;
    }
    uint32_t *px;
    int pw, ph;
    if (!png_decode_file(argv[4], &px, &pw, &ph)) {
        fprintf(stderr, "fbshot-check: %s is not a valid truecolour PNG\n", argv[4]);
        return 1;
    }
    if (pw != w || ph != h) {
        fprintf(stderr, "fbshot-check: %s is %dx%d, expected %dx%d\n", argv[4], pw, ph, w, h);
        return 1;
    }
    size_t bad = 0, distinct = 0;
    for (size_t i = 0; i < n; i++) {
        if (px[i] != fb[i] && bad++ < 5)
            fprintf(stderr, "fbshot-check: pixel (%zu,%zu) is %06x, memory has %06x\n", i % (size_t)w,
                    i / (size_t)w, px[i], fb[i]);
        distinct += i && fb[i] != fb[i - 1];
    }
    free(px);
    free(fb);
    if (bad) {
        fprintf(stderr, "fbshot-check: %zu pixels differ\n", bad);
        return 1;
    }
    if (distinct < 1000) {
        fprintf(stderr, "fbshot-check: the framebuffer is nearly uniform: not a desktop\n");
        return 1;
    }
    printf("fbshot-check: %zu pixels match the framebuffer (%zu colour changes along rows)\n", n,
           distinct);
    return 0;
}
