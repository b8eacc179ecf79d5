/* SPDX-License-Identifier: MIT */
/*
 * Drawing for -display curses (see display_curses.h): the VGA text cells
 * become UTF-8 characters (code page 437's glyphs) with ANSI colours, in the
 * terminal's alternate screen; only changed cells are written.
 * Spec: ECMA-48 (SGR, CUP), IBM code page 437 to Unicode mapping.
 */
#include "frontend/display_curses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* IBM code page 437 as Unicode code points. */
static const uint16_t cp437[256] = {
    0x0020, 0x263a, 0x263b, 0x2665, 0x2666, 0x2663, 0x2660, 0x2022, 0x25d8, 0x25cb, 0x25d9, 0x2642,
    0x2640, 0x266a, 0x266b, 0x263c, 0x25ba, 0x25c4, 0x2195, 0x203c, 0x00b6, 0x00a7, 0x25ac, 0x21a8,
    0x2191, 0x2193, 0x2192, 0x2190, 0x221f, 0x2194, 0x25b2, 0x25bc, 0x0020, 0x0021, 0x0022, 0x0023,
    0x0024, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f,
    0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003a, 0x003b,
    0x003c, 0x003d, 0x003e, 0x003f, 0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
    0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f, 0x0050, 0x0051, 0x0052, 0x0053,
    0x0054, 0x0055, 0x0056, 0x0057, 0x0058, 0x0059, 0x005a, 0x005b, 0x005c, 0x005d, 0x005e, 0x005f,
    0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006a, 0x006b,
    0x006c, 0x006d, 0x006e, 0x006f, 0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
    0x0078, 0x0079, 0x007a, 0x007b, 0x007c, 0x007d, 0x007e, 0x2302, 0x00c7, 0x00fc, 0x00e9, 0x00e2,
    0x00e4, 0x00e0, 0x00e5, 0x00e7, 0x00ea, 0x00eb, 0x00e8, 0x00ef, 0x00ee, 0x00ec, 0x00c4, 0x00c5,
    0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2, 0x00fb, 0x00f9, 0x00ff, 0x00d6, 0x00dc, 0x00a2,
    0x00a3, 0x00a5, 0x20a7, 0x0192, 0x00e1, 0x00ed, 0x00f3, 0x00fa, 0x00f1, 0x00d1, 0x00aa, 0x00ba,
    0x00bf, 0x2310, 0x00ac, 0x00bd, 0x00bc, 0x00a1, 0x00ab, 0x00bb, 0x2591, 0x2592, 0x2593, 0x2502,
    0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255d, 0x255c, 0x255b, 0x2510,
    0x2514, 0x2534, 0x252c, 0x251c, 0x2500, 0x253c, 0x255e, 0x255f, 0x255a, 0x2554, 0x2569, 0x2566,
    0x2560, 0x2550, 0x256c, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256b,
    0x256a, 0x2518, 0x250c, 0x2588, 0x2584, 0x258c, 0x2590, 0x2580, 0x03b1, 0x00df, 0x0393, 0x03c0,
    0x03a3, 0x03c3, 0x00b5, 0x03c4, 0x03a6, 0x0398, 0x03a9, 0x03b4, 0x221e, 0x03c6, 0x03b5, 0x2229,
    0x2261, 0x00b1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00f7, 0x2248, 0x00b0, 0x2219, 0x00b7, 0x221a,
    0x207f, 0x00b2, 0x25a0, 0x00a0,
};

/* VGA colour numbers (blue is 1) to ANSI ones (red is 1). */
static const uint8_t vga_to_ansi[8] = {0, 4, 2, 6, 1, 5, 3, 7};

struct outbuf {
    char data[65536];
    size_t len;
};

static void out(struct outbuf *o, const char *s, size_t n)
{
    if (o->len + n > sizeof(o->data)) {
        ssize_t w = write(STDOUT_FILENO, o->data, o->len);
        (void)w;
        o->len = 0;
    }
    memcpy(o->data + o->len, s, n);
    o->len += n;
}

static void outs(struct outbuf *o, const char *s)
{
    out(o, s, strlen(s));
}

static void out_utf8(struct outbuf *o, uint16_t cp)
{
    char b[3];
    if (cp < 0x80) {
        b[0] = (char)cp;
        out(o, b, 1);
    } else if (cp < 0x800) {
        b[0] = (char)(0xc0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3f));
        out(o, b, 2);
    } else {
        b[0] = (char)(0xe0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f));
        out(o, b, 3);
    }
}

static void flush(struct outbuf *o)
{
    size_t done = 0;
    while (done < o->len) {
        ssize_t w = write(STDOUT_FILENO, o->data + done, o->len - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    o->len = 0;
}

bool display_curses_init(struct display_curses *d, struct vga *v, const struct keysink *keys)
{
    memset(d, 0, sizeof(*d));
    d->vga = v;
    d->keys = *keys;
    d->shown = calloc(1, sizeof(*d->shown));
    d->next = calloc(1, sizeof(*d->next));
    d->out = calloc(1, sizeof(*d->out));
    if (!d->shown || !d->next || !d->out) {
        free(d->shown);
        free(d->next);
        free(d->out);
        d->shown = NULL;
        return false;
    }
    d->redraw_all = true;
    outs(d->out, "\x1b[?1049h\x1b[2J\x1b[H"); /* alternate screen, cleared */
    flush(d->out);
    return true;
}

void display_curses_close(struct display_curses *d)
{
    if (!d->shown)
        return;
    outs(d->out, "\x1b[0m\x1b[?25h\x1b[?1049l");
    flush(d->out);
    free(d->shown);
    free(d->next);
    free(d->out);
    d->shown = d->next = NULL;
    d->out = NULL;
}

static void set_attr(struct outbuf *o, uint8_t attr)
{
    char s[40];
    int fg = attr & 0x0f, bg = (attr >> 4) & 0x07;
    snprintf(s, sizeof(s), "\x1b[0;%d;%dm", fg >= 8 ? 90 + vga_to_ansi[fg - 8] : 30 + vga_to_ansi[fg],
             40 + vga_to_ansi[bg]);
    outs(o, s);
}

enum { GFX_COLOUR_CAP = 64 }; /* distinct colours counted at most */

/* Distinct pixel values in the picture, up to GFX_COLOUR_CAP. */
static int count_colours(const struct vga_frame *f)
{
    uint32_t seen[2 * GFX_COLOUR_CAP];
    bool used[2 * GFX_COLOUR_CAP] = {false};
    int n = 0;
    size_t total = (size_t)f->width * (size_t)f->height;
    for (size_t i = 0; i < total && n < GFX_COLOUR_CAP; i++) {
        uint32_t px = f->pixels[i] & 0xffffff;
        unsigned h = (px * 2654435761u) >> 25; /* 7 bits: 0..127 */
        while (used[h] && seen[h] != px)
            h = (h + 1) % (2 * GFX_COLOUR_CAP);
        if (!used[h]) {
            used[h] = true;
            seen[h] = px;
            n++;
        }
    }
    return n;
}

/* Outside text modes the terminal shows one line: the mode and how many
 * colours the picture holds, so that a person or a test under tmux can tell
 * a desktop from a blank screen. The picture itself needs -display sdl. */
static void show_graphics_status(struct display_curses *d)
{
    struct vga_frame f;
    if (!vga_render(d->vga, &f))
        return;
    if (d->shown->cols == -1 && f.generation == d->gfx_generation)
        return;
    d->gfx_generation = f.generation;
    struct vga_mode_info mi;
    vga_mode_info(d->vga, &mi);
    int n = count_colours(&f);
    char s[sizeof d->gfx_status];
    snprintf(s, sizeof(s), "[graphics mode %dx%dx%d (%s), %d%s colours: shown only by -display sdl]",
             mi.width, mi.height, mi.bpp, mi.kind, n, n >= GFX_COLOUR_CAP ? "+" : "");
    if (d->shown->cols == -1 && !strcmp(s, d->gfx_status))
        return;
    memcpy(d->gfx_status, s, sizeof(s));
    outs(d->out, "\x1b[0m\x1b[2J\x1b[H");
    outs(d->out, s);
    flush(d->out);
    d->shown->cols = -1;
}

void display_curses_refresh(struct display_curses *d)
{
    struct outbuf *o = d->out;
    if (!vga_text_snapshot(d->vga, d->next)) {
        show_graphics_status(d);
        return;
    }
    bool all = d->redraw_all || d->next->cols != d->shown->cols || d->next->rows != d->shown->rows;
    if (all)
        outs(o, "\x1b[0m\x1b[2J");
    int last_attr = -1, cur_r = -1, cur_c = -1;
    for (int r = 0; r < d->next->rows; r++) {
        for (int c = 0; c < d->next->cols; c++) {
            uint16_t cell = d->next->cells[r][c];
            if (!all && cell == d->shown->cells[r][c])
                continue;
            if (r != cur_r || c != cur_c) {
                char s[32];
                snprintf(s, sizeof(s), "\x1b[%d;%dH", r + 1, c + 1);
                outs(o, s);
            }
            if ((cell >> 8) != last_attr) {
                set_attr(o, (uint8_t)(cell >> 8));
                last_attr = cell >> 8;
            }
            out_utf8(o, cp437[cell & 0xff]);
            cur_r = r;
            cur_c = c + 1;
        }
    }
    if (d->next->cursor_row >= 0) {
        char s[48];
        snprintf(s, sizeof(s), "\x1b[%d;%dH\x1b[?25h", d->next->cursor_row + 1,
                 d->next->cursor_col + 1);
        outs(o, s);
    } else {
        outs(o, "\x1b[?25l");
    }
    flush(o);
    struct vga_text *t = d->shown;
    d->shown = d->next;
    d->next = t;
    d->redraw_all = false;
}
