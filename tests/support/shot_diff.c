/* SPDX-License-Identifier: MIT */
/*
 * kiln-shotdiff: compares two PNG screenshots of the same size and prints
 * where they differ: "changed N bbox X0 Y0 X1 Y1" (N differing pixels, the
 * inclusive bounding box of them; "changed 0" when equal), then
 * "rows R cols C": how many rows and columns hold at least a quarter of the
 * box's width (height) in changed pixels, so that a filled new window (many
 * full rows) can be told from a moved cursor (a few short rows). It only
 * reads the files; the boot tests decide what the figures must be.
 * Usage: kiln-shotdiff BEFORE.png AFTER.png   (exit 0 on success, 2 on bad input)
 */
#include <stdio.h>
#include <stdlib.h>

#include "png_decode.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s BEFORE.png AFTER.png\n", argv[0]);
        return 2;
    }
    uint32_t *a, *b;
    int aw, ah, bw, bh;
    if (!png_decode_file(argv[1], &a, &aw, &ah)) {
        fprintf(stderr, "shotdiff: %s is not a valid truecolour PNG\n", argv[1]);
        return 2;
    }
    if (!png_decode_file(argv[2], &b, &bw, &bh)) {
        fprintf(stderr, "shotdiff: %s is not a valid truecolour PNG\n", argv[2]);
        free(a);
        return 2;
    }
    if (aw != bw || ah != bh) {
        fprintf(stderr, "shotdiff: %s is %dx%d but %s is %dx%d\n", argv[1], aw, ah, argv[2], bw,
                bh);
        free(a);
        free(b);
        return 2;
    }
    long n = 0;
    int x0 = aw, y0 = ah, x1 = -1, y1 = -1;
    for (int y = 0; y < ah; y++)
        for (int x = 0; x < aw; x++)
            if (a[(size_t)y * (size_t)aw + (size_t)x] != b[(size_t)y * (size_t)aw + (size_t)x]) {
                n++;
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
            }
    if (!n) {
        printf("changed 0\n");
        free(a);
        free(b);
        return 0;
    }
    int bw_ = x1 - x0 + 1, bh_ = y1 - y0 + 1, rows = 0, cols = 0;
    for (int y = y0; y <= y1; y++) {
        int c = 0;
        for (int x = x0; x <= x1; x++)
            c += a[(size_t)y * (size_t)aw + (size_t)x] != b[(size_t)y * (size_t)aw + (size_t)x];
        rows += 4 * c >= bw_;
    }
    for (int x = x0; x <= x1; x++) {
        int c = 0;
        for (int y = y0; y <= y1; y++)
            c += a[(size_t)y * (size_t)aw + (size_t)x] != b[(size_t)y * (size_t)aw + (size_t)x];
        cols += 4 * c >= bh_;
    }
    printf("changed %ld bbox %d %d %d %d\nrows %d cols %d\n", n, x0, y0, x1, y1, rows, cols);
    free(a);
    free(b);
    return 0;
}
