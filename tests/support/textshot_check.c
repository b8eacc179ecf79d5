/* SPDX-License-Identifier: MIT */
/*
 * kiln-textshot-check: compares a PNG screenshot of an 80x25 VGA text
 * screen (mode 03h, 9-dot cells, 16 scan lines) with a picture this program
 * draws itself from
 *   - the guest's text memory (the 4000 bytes at B8000h, as 'xp /4000xb'
 *     prints them: character and attribute per cell),
 *   - the glyph drawings in Kiln's BIOS source (src/bios/font8x16.asm, the
 *     font the BIOS loads into plane 2), parsed here from their '#' art,
 *   - the IBM VGA's default mode-03h colours (the 16 EGA colours).
 * Nothing here comes from Kiln's renderer. The text cursor blinks, so one
 * cell may differ by exactly the cursor's scan lines (0Dh-0Eh in mode 03h).
 * Usage: kiln-textshot-check FONT_ASM XP_DUMP SHOT.png   (exit 0 on a match)
 * Spec: IBM VGA Technical Reference (attribute controller, 9-dot cells).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png_decode.h"

static uint8_t font[256][16];

/* FBLOCK 16, first / FR "........ ########": rows of eight glyphs at a time. */
static int load_font(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[512];
    int base = -1, row = 0, blocks = 0;
    while (fgets(line, sizeof(line), f)) {
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        int size, first;
        if (sscanf(p, "FBLOCK %d, %i", &size, &first) == 2) {
            base = size == 16 ? first : -1;
            row = 0;
            blocks++;
            continue;
        }
        if (strncmp(p, "FR \"", 4) || base < 0 || row >= 16) continue;
        const char *q = p + 4;
        for (int g = 0; g < 8 && base + g < 256; g++) {
            const char *cell = q + g * 9;
            if ((size_t)(cell - p) + 8 > strlen(p)) break;
            uint8_t v = 0;
            for (int b = 0; b < 8; b++)
                if (cell[b] == '#') v |= (uint8_t)(0x80 >> b);
            font[base + g][row] = v;
        }
        row++;
    }
    fclose(f);
    return blocks ? 0 : -1;
}

/* 'xp /4000xb' output: "000b8000: 0x41 0x07 ..." lines. */
static int load_text(const char *path, uint8_t mem[4000])
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    int n = 0;
    char tok[64];
    while (n < 4000 && fscanf(f, "%63s", tok) == 1) {
        if (strchr(tok, ':')) continue;
        mem[n++] = (uint8_t)strtoul(tok, NULL, 16);
    }
    fclose(f);
    return n == 4000 ? 0 : -1;
}

static const uint32_t ega[16] = {0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa,
                                 0xaa5500, 0xaaaaaa, 0x555555, 0x5555ff, 0x55ff55, 0x55ffff,
                                 0xff5555, 0xff55ff, 0xffff55, 0xffffff};

/* One pixel of a cell; 'cursor' draws scan lines 13-14 in the foreground. */
static uint32_t cell_pixel(uint8_t ch, uint8_t at, int x, int y, bool cursor)
{
    uint8_t bits = font[ch][y];
    /* Mode 03h: attribute bit 7 blinks; the background has 3 bits. */
    uint32_t fg = ega[at & 15], bg = ega[(at >> 4) & 7];
    if (cursor && (y == 13 || y == 14)) return fg;
    if (x < 8) return bits & (0x80 >> x) ? fg : bg;
    /* Ninth dot: line-graphics characters C0h-DFh repeat the eighth. */
    return ch >= 0xc0 && ch <= 0xdf && (bits & 1) ? fg : bg;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s FONT_ASM XP_DUMP SHOT.png\n", argv[0]);
        return 2;
    }
    static uint8_t mem[4000];
    if (load_font(argv[1])) {
        fprintf(stderr, "textshot-check: no 8x16 font in %s\n", argv[1]);
        return 2;
    }
    if (load_text(argv[2], mem)) {
        fprintf(stderr, "textshot-check: %s does not hold 4000 bytes of text memory\n", argv[2]);
        return 2;
    }
    uint32_t *px;
    int w, h;
    if (!png_decode_file(argv[3], &px, &w, &h)) {
        fprintf(stderr, "textshot-check: %s is not a valid truecolour PNG\n", argv[3]);
        return 1;
    }
    if (w != 720 || h != 400) {
        fprintf(stderr, "textshot-check: %s is %dx%d, expected 720x400\n", argv[3], w, h);
        return 1;
    }
    int bad_cells = 0, cursor_cells = 0, nonblank = 0;
    for (int r = 0; r < 25; r++)
        for (int c = 0; c < 80; c++) {
            uint8_t ch = mem[(r * 80 + c) * 2], at = mem[(r * 80 + c) * 2 + 1];
            bool plain = true, with_cursor = true;
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 9; x++) {
                    uint32_t got = px[(r * 16 + y) * 720 + c * 9 + x];
                    plain &= got == cell_pixel(ch, at, x, y, false);
                    with_cursor &= got == cell_pixel(ch, at, x, y, true);
                    nonblank += got != ega[(at >> 4) & 7];
                }
            if (plain) continue;
            if (with_cursor) {
                cursor_cells++;
                continue;
            }
            if (bad_cells++ < 5)
                fprintf(stderr, "textshot-check: cell row %d col %d (char %02x attr %02x) differs\n",
                        r, c, ch, at);
        }
    free(px);
    if (bad_cells || cursor_cells > 1 || nonblank == 0) {
        fprintf(stderr, "textshot-check: %d cells differ, %d cursor cells, %d lit pixels\n",
                bad_cells, cursor_cells, nonblank);
        return 1;
    }
    printf("textshot-check: 2000 cells match (%d lit pixels%s)\n", nonblank,
           cursor_cells ? ", cursor shown" : "");
    return 0;
}
