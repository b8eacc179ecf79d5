/* SPDX-License-Identifier: MIT */
/*
 * kiln-vbeshot-check: checks a PNG screenshot of the pattern that
 * tests/boot/mb_vbe.asm draws into a 320x200 VBE framebuffer, with the
 * expected colours computed here from the kernel's formula. 16-bit
 * samples widen to 8 bits by left bit replication (the PNG specification's
 * sample-depth scaling rule, 12.4).
 * Usage: kiln-vbeshot-check BPP SHOT.png   (BPP 16 or 32; exit 0 on a match)
 */
#include <stdio.h>
#include <stdlib.h>

#include "png_decode.h"

static uint32_t expected(int bpp, uint32_t x, uint32_t y)
{
    if (bpp == 32)
        return ((3 * x) & 0xff) << 16 | ((5 * y) & 0xff) << 8 | ((x ^ y) & 0xff);
    uint32_t r = x & 31, g = y & 63, b = (x ^ y) & 31;
    return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (atoi(argv[1]) != 16 && atoi(argv[1]) != 32)) {
        fprintf(stderr, "usage: %s 16|32 SHOT.png\n", argv[0]);
        return 2;
    }
    int bpp = atoi(argv[1]), w, h;
    uint32_t *px;
    if (!png_decode_file(argv[2], &px, &w, &h)) {
        fprintf(stderr, "vbeshot-check: %s is not a valid truecolour PNG\n", argv[2]);
        return 1;
    }
    if (w != 320 || h != 200) {
        fprintf(stderr, "vbeshot-check: %s is %dx%d, expected 320x200\n", argv[2], w, h);
        free(px);
        return 1;
    }
    int bad = 0;
    for (uint32_t y = 0; y < 200; y++)
        for (uint32_t x = 0; x < 320; x++) {
            uint32_t got = px[y * 320 + x], want = expected(bpp, x, y);
            if (got != want && bad++ < 5)
                fprintf(stderr, "vbeshot-check: (%u,%u) is %06x, want %06x\n", x, y, got, want);
        }
    free(px);
    if (bad) {
        fprintf(stderr, "vbeshot-check: %d pixels differ\n", bad);
        return 1;
    }
    printf("vbeshot-check: 64000 pixels match at %d bpp\n", bpp);
    return 0;
}
