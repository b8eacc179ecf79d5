/* SPDX-License-Identifier: MIT */
/*
 * The renderer's frame (see vga.h): the geometry the CRTC, sequencer and
 * attribute controller describe, the walk over scan lines that a CRTC makes
 * (row scan counter, memory address counter, line compare split, scan
 * doubling), and the frame buffer with its per-row change detection. Pixel
 * formats live in vga_render_pixels.c; registers are only read here.
 * Follows the IBM VGA Technical Reference, "CRT Controller".
 */
#include "devices/vga_priv.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"

typedef void (*vga_line_fn)(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                            uint32_t *dst);

/* The attribute controller's path from a 4-bit colour to a DAC index:
 * colour plane enable, palette register, then colour select for P7-P4. */
static uint8_t ac_dac_index(const struct vga *v, unsigned c)
{
    const uint8_t *ac = v->ac;
    uint8_t p = ac[c & ac[AC_PLANE_ENABLE] & 0xf] & 0x3f;
    if (ac[AC_MODE] & AC_MODE_P54_SELECT)
        p = (uint8_t)((p & 0x0f) | (ac[AC_COLOR_SELECT] & 3) << 4);
    return (uint8_t)(p | (ac[AC_COLOR_SELECT] & 0x0c) << 4);
}

void vga_palette16(const struct vga *v, uint32_t pal[16])
{
    for (unsigned i = 0; i < 16; i++)
        pal[i] = v->dac_rgb[ac_dac_index(v, i) & v->dac_mask];
}

static bool display_blanked(const struct vga *v)
{
    return (v->seq[SEQ_RESET] & 3) != 3 || (v->seq[SEQ_CLOCKING] & SEQ_CLK_SCREEN_OFF) ||
           !(v->ac_index & AC_INDEX_PAS) || !(v->crtc[CRTC_MODE] & CRTC_MODE_SYNC);
}

/* Horizontal pel panning in output pixels (IBM: Horizontal PEL Panning Register). */
static int pel_pan(const struct vga *v, const struct vga_geom *g)
{
    unsigned p = v->ac[AC_PEL_PAN] & 0xf;
    if (g->kind == VGA_KIND_TEXT && g->char_w == 9)
        return p < 8 ? (int)p + 1 : 0; /* 8 means no shift in 9-dot text */
    if (p >= 8) return 0;
    return g->kind == VGA_KIND_256 ? (int)(p >> 1) : (int)p;
}

void vga_geometry(const struct vga *v, struct vga_geom *g)
{
    const uint8_t *c = v->crtc;
    *g = (struct vga_geom){0};
    if (!(v->gc[GC_MISC] & GC_MISC_GRAPHICS))
        g->kind = VGA_KIND_TEXT;
    else if (v->gc[GC_MODE] & GC_MODE_SHIFT_256)
        g->kind = VGA_KIND_256;
    else if (v->gc[GC_MODE] & GC_MODE_SHIFT_CGA)
        g->kind = VGA_KIND_CGA;
    else
        g->kind = VGA_KIND_PLANAR;
    bool text = g->kind == VGA_KIND_TEXT;
    g->cols = c[CRTC_H_DISP_END] + 1;
    if (text)
        g->char_w = v->seq[SEQ_CLOCKING] & SEQ_CLK_8DOT ? 8 : 9;
    else
        g->char_w = g->kind == VGA_KIND_256 ? 4 : 8;
    g->vlines = vga_crtc_vde(v);
    g->dbl = c[CRTC_MAX_SCAN] & 0x80 ? 2 : 1;
    g->max_scan = c[CRTC_MAX_SCAN] & 0x1f;
    g->preset_scan = c[CRTC_PRESET_ROW] & 0x1f;
    if (c[CRTC_UNDERLINE] & CRTC_UL_DWORD)
        g->addr_mode = VGA_ADDR_DWORD;
    else
        g->addr_mode = c[CRTC_MODE] & CRTC_MODE_BYTE ? VGA_ADDR_BYTE : VGA_ADDR_WORD;
    g->count_div = c[CRTC_UNDERLINE] & CRTC_UL_COUNT4 ? 4 : c[CRTC_MODE] & CRTC_MODE_COUNT2 ? 2 : 1;
    g->wrap15 = c[CRTC_MODE] & CRTC_MODE_WRAP15;
    g->cga_sub =
        (uint8_t)((c[CRTC_MODE] & CRTC_MODE_CGA ? 0 : 1) | (c[CRTC_MODE] & CRTC_MODE_HGC ? 0 : 2));
    g->start = vga_crtc_start(v) + ((c[CRTC_PRESET_ROW] >> 5) & 3u); /* byte panning */
    g->row_advance = c[CRTC_OFFSET] * 2u;
    g->line_compare = vga_crtc_line_compare(v);
    /* In graphics, rows of identical scan lines are one line of the picture,
     * unless the row scan counter feeds the address (CGA/Hercules banks). */
    g->scan_repeat = text || g->cga_sub ? 1 : g->max_scan + 1;
    unsigned rep = g->dbl * g->scan_repeat;
    g->width = g->cols * g->char_w;
    g->height = (int)((g->vlines + rep - 1) / rep);
    g->pan = pel_pan(v, g);
    g->pan_compat = v->ac[AC_MODE] & AC_MODE_PAN_COMPAT;
    vga_palette16(v, g->pal);
    if (text) {
        g->blink = vga_blink_phase(v);
        g->blink_attr = v->ac[AC_MODE] & AC_MODE_BLINK;
        g->cursor_addr = vga_crtc_cursor(v) + ((c[CRTC_CURSOR_END] >> 5) & 3u); /* skew */
        g->cursor_start = c[CRTC_CURSOR_START] & 0x1f;
        g->cursor_end = c[CRTC_CURSOR_END] & 0x1f;
        if ((c[CRTC_CURSOR_START] & 0x20) || !(g->blink & VGA_BLINK_CURSOR))
            g->cursor_start = 32; /* off, or in the off half of its blink */
    }
    if (display_blanked(v)) {
        g->kind = VGA_KIND_BLANK;
        if (g->width < 64 || g->height < 64) { /* no mode set yet */
            g->width = 640;
            g->height = 480;
        }
    }
}

bool vga_fb_begin(struct vga *v, int width, int height, struct vga_frame *out)
{
    size_t n = (size_t)width * (size_t)height;
    if (n > v->fb_cap) {
        uint32_t *p = realloc(v->fb, n * sizeof(uint32_t));
        if (!p) {
            log_msg(LOG_HOST, VGA_LOG, "out of memory for a %dx%d frame", width, height);
            return false;
        }
        v->fb = p;
        v->fb_cap = n;
    }
    if (width != v->fb_width || height != v->fb_height) {
        v->have_frame = false;
        v->fb_width = width;
        v->fb_height = height;
    }
    out->dirty_top = height;
    out->dirty_bottom = 0;
    return true;
}

void vga_fb_commit(struct vga *v, int y, const uint32_t *src, struct vga_frame *out)
{
    uint32_t *row = v->fb + (size_t)y * (size_t)v->fb_width;
    size_t bytes = (size_t)v->fb_width * sizeof(uint32_t);
    if (v->have_frame && !memcmp(row, src, bytes)) return;
    memcpy(row, src, bytes);
    if (y < out->dirty_top) out->dirty_top = y;
    if (y + 1 > out->dirty_bottom) out->dirty_bottom = y + 1;
}

void vga_fb_end(struct vga *v, struct vga_frame *out)
{
    if (!v->have_frame || out->dirty_top < out->dirty_bottom) v->generation++;
    v->have_frame = true;
    v->regs_dirty = false;
    vga_pages_clean(v);
    out->pixels = v->fb;
    out->width = v->fb_width;
    out->height = v->fb_height;
    out->generation = v->generation;
    if (out->dirty_top >= out->dirty_bottom) out->dirty_top = out->dirty_bottom = 0;
}

/* The CRTC's walk down the screen: each displayed scan line fetches from
 * the row's memory address; the row scan counter counts to the maximum scan
 * line (each count held twice with scan doubling), then the address moves on
 * by the offset register; after the line compare line, both restart at 0. */
static void render_lines(struct vga *v, const struct vga_geom *g, struct vga_frame *out)
{
    vga_line_fn fn = g->kind == VGA_KIND_TEXT     ? vga_text_line
                     : g->kind == VGA_KIND_256    ? vga_256_line
                     : g->kind == VGA_KIND_CGA    ? vga_cga_line
                     : g->kind == VGA_KIND_PLANAR ? vga_planar_line
                                                  : NULL;
    uint32_t ma = g->start;
    unsigned sc = g->preset_scan, row_first = sc, d = 0;
    int y = 0, pan = g->pan;
    for (uint32_t line = 0; fn && line < g->vlines && y < g->height; line++) {
        if (d == 0 && (g->scan_repeat == 1 || sc == row_first)) {
            fn(v, g, ma, sc, v->line);
            vga_fb_commit(v, y++, v->line + pan, out);
        }
        if (++d >= g->dbl) {
            d = 0;
            if (sc == g->max_scan) {
                sc = row_first = 0;
                ma += g->row_advance;
            } else {
                sc = (sc + 1) & 0x1f;
            }
        }
        if (line == g->line_compare) {
            ma = 0;
            sc = row_first = d = 0;
            if (g->pan_compat) pan = 0;
        }
    }
    memset(v->line, 0, (size_t)g->width * sizeof(uint32_t));
    for (; y < g->height; y++)
        vga_fb_commit(v, y, v->line, out);
}

static void unchanged(const struct vga *v, struct vga_frame *out)
{
    out->pixels = v->fb;
    out->width = v->fb_width;
    out->height = v->fb_height;
    out->generation = v->generation;
    out->dirty_top = out->dirty_bottom = 0;
}

bool vga_render(struct vga *v, struct vga_frame *out)
{
    if (vga_vbe_on(v)) return vga_render_vbe(v, out);
    struct vga_geom g;
    vga_geometry(v, &g);
    if (v->have_frame && !v->regs_dirty && g.width == v->fb_width && g.height == v->fb_height &&
        g.blink == v->blink_phase && !vga_pages_dirty(v, 0, VGA_VRAM_MIN)) {
        unchanged(v, out);
        return true;
    }
    if (!vga_fb_begin(v, g.width, g.height, out)) return false;
    render_lines(v, &g, out);
    v->blink_phase = g.blink;
    vga_fb_end(v, out);
    return true;
}

bool vga_render_unchanged(const struct vga *v, struct vga_frame *out)
{
    unchanged(v, out);
    return true;
}

void vga_mode_info(const struct vga *v, struct vga_mode_info *out)
{
    if (vga_vbe_on(v)) {
        *out = (struct vga_mode_info){"vbe", v->vbe.xres, v->vbe.yres, v->vbe.bpp};
        return;
    }
    static const char *const kinds[] = {
        [VGA_KIND_BLANK] = "blank", [VGA_KIND_TEXT] = "text", [VGA_KIND_PLANAR] = "planar",
        [VGA_KIND_CGA] = "cga",     [VGA_KIND_256] = "256",
    };
    static const int bpp[] = {
        [VGA_KIND_BLANK] = 0, [VGA_KIND_TEXT] = 4, [VGA_KIND_PLANAR] = 4,
        [VGA_KIND_CGA] = 2,   [VGA_KIND_256] = 8,
    };
    struct vga_geom g;
    vga_geometry(v, &g);
    *out = (struct vga_mode_info){kinds[g.kind], g.width, g.height, bpp[g.kind]};
}
