/* SPDX-License-Identifier: MIT */
/*
 * Pixels of every picture kind (see vga.h): text scan lines (characters in
 * plane 0, attributes in plane 1, glyphs in plane 2; 8/9-dot cells, blink,
 * underline, cursor) and the text snapshot; planar, CGA 4-colour and
 * 256-colour scan lines; DISPI pictures at 4-32 bpp, redrawn where memory
 * changed. Reads registers and memory, writes neither. Follows the IBM VGA
 * Technical Reference (attribute controller, character maps, shift modes).
 */
#include "devices/vga_priv.h"

#include <string.h>

/* Plane 2 offset of a character map: the select value's low bits count 16 KiB
 * blocks and its high bit adds 8 KiB (IBM: Character Map Select Register). */
static uint32_t font_base(unsigned sel_lo2, unsigned sel_hi)
{
    return (sel_lo2 & 3u) * 0x4000u + (sel_hi & 1u) * 0x2000u;
}

void vga_text_line(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                   uint32_t *dst)
{
    uint8_t cms = v->seq[SEQ_CHAR_MAP];
    uint32_t map_a = font_base(cms >> 2, cms >> 5); /* attribute bit 3 set */
    uint32_t map_b = font_base(cms, cms >> 4);      /* attribute bit 3 clear */
    bool line_gfx = v->ac[AC_MODE] & AC_MODE_LINE_GFX;
    bool underline = sc == (v->crtc[CRTC_UNDERLINE] & 0x1fu);
    bool cursor_line = (int)sc >= g->cursor_start && (int)sc <= g->cursor_end;
    for (int c = 0; c <= g->cols; c++) {
        uint32_t mac = ma + (uint32_t)c / g->count_div;
        uint32_t q = vga_planes(v, vga_crtc_addr(g, mac, sc));
        uint8_t ch = (uint8_t)q, at = (uint8_t)(q >> 8);
        uint32_t glyph = ((at & 8 ? map_a : map_b) + ch * 32u + (sc & 0x1f)) & 0xffff;
        unsigned bits = v->vram[4 * (size_t)glyph + 2];
        unsigned fg = at & 0xf, bg = at >> 4;
        if (g->blink_attr) {
            bg &= 7;
            if ((at & 0x80) && !(g->blink & VGA_BLINK_CHARS)) bits = 0;
        }
        /* The monochrome underline attribute: foreground 1, background 0. */
        if (underline && (at & 0x77) == 0x01) bits = 0xff;
        bool ninth = line_gfx && ch >= 0xc0 && ch <= 0xdf && (bits & 1);
        if (cursor_line && (mac & 0xffff) == (g->cursor_addr & 0xffff)) {
            bits = 0xff;
            ninth = true;
        }
        uint32_t f = g->pal[fg], b = g->pal[bg];
        for (unsigned m = 0x80; m; m >>= 1)
            *dst++ = bits & m ? f : b;
        if (g->char_w == 9) *dst++ = ninth ? f : b;
    }
}

bool vga_text_snapshot(const struct vga *v, struct vga_text *out)
{
    memset(out, 0, sizeof(*out));
    out->cursor_col = out->cursor_row = -1;
    if (vga_vbe_on(v) || (v->gc[GC_MISC] & GC_MISC_GRAPHICS)) return false;
    struct vga_geom g;
    vga_geometry(v, &g);
    unsigned row_lines = (g.max_scan + 1) * g.dbl;
    int rows = (int)(g.vlines / row_lines), cols = g.cols;
    out->rows = rows < VGA_TEXT_MAX_ROWS ? rows : VGA_TEXT_MAX_ROWS;
    out->cols = cols < VGA_TEXT_MAX_COLS ? cols : VGA_TEXT_MAX_COLS;
    for (int r = 0; r < out->rows; r++) {
        for (int c = 0; c < out->cols; c++) {
            uint32_t ma = g.start + (uint32_t)r * g.row_advance + (uint32_t)c / g.count_div;
            uint32_t q = vga_planes(v, vga_crtc_addr(&g, ma, 0));
            out->cells[r][c] = (uint16_t)(q & 0xffff);
        }
    }
    /* The cursor as the guest set it, whatever its blink phase. */
    const uint8_t *crtc = v->crtc;
    uint32_t cur = vga_crtc_cursor(v) + ((crtc[CRTC_CURSOR_END] >> 5) & 3u);
    bool off = (crtc[CRTC_CURSOR_START] & 0x20) ||
               (crtc[CRTC_CURSOR_START] & 0x1f) > (crtc[CRTC_CURSOR_END] & 0x1f);
    uint32_t rel = (cur - g.start) & 0xffff;
    if (!off && g.row_advance && g.count_div == 1) {
        uint32_t r = rel / g.row_advance, c = rel % g.row_advance;
        if ((int)r < out->rows && (int)c < out->cols) {
            out->cursor_row = (int)r;
            out->cursor_col = (int)c;
        }
    }
    return true;
}

void vga_planar_line(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                     uint32_t *dst)
{
    for (int c = 0; c <= g->cols; c++) {
        uint32_t q = vga_planes(v, vga_crtc_addr(g, ma + (uint32_t)c / g->count_div, sc));
        for (int i = 7; i >= 0; i--) {
            unsigned idx =
                (q >> i & 1) | (q >> (i + 7) & 2) | (q >> (i + 14) & 4) | (q >> (i + 21) & 8);
            *dst++ = g->pal[idx];
        }
    }
}

/* Shift register interleave: planes 0 and 1 give colour bits 1:0 as CGA's
 * packed pixels (two bits each, leftmost in bits 7-6), plane 0 first; planes
 * 2 and 3 give bits 3:2 the same way. */
void vga_cga_line(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                  uint32_t *dst)
{
    for (int c = 0; c <= g->cols; c++) {
        uint32_t q = vga_planes(v, vga_crtc_addr(g, ma + (uint32_t)c / g->count_div, sc));
        for (int half = 0; half < 2; half++) {
            unsigned lo = (q >> (8 * half)) & 0xff, hi = (q >> (8 * half + 16)) & 0xff;
            for (int s = 6; s >= 0; s -= 2)
                *dst++ = g->pal[((lo >> s) & 3) | ((hi >> s) & 3) << 2];
        }
    }
}

/* 256 colours: each character clock's four plane bytes are four pixels,
 * straight to the DAC (the attribute palette is bypassed). */
void vga_256_line(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                  uint32_t *dst)
{
    uint8_t mask = v->dac_mask;
    for (int c = 0; c <= g->cols; c++) {
        uint32_t q = vga_planes(v, vga_crtc_addr(g, ma + (uint32_t)c / g->count_div, sc));
        for (int i = 0; i < 4; i++)
            *dst++ = v->dac_rgb[(q >> (8 * i)) & mask];
    }
}

static uint32_t expand5(uint32_t x)
{
    return x << 3 | x >> 2;
}

static uint32_t expand6(uint32_t x)
{
    return x << 2 | x >> 4;
}

/* One DISPI scan line of 'w' pixels from video memory at byte 'src'
 * (whole line inside video memory). */
static void vbe_line(const struct vga *v, const uint32_t pal[16], uint32_t src, int w,
                     uint32_t *dst)
{
    const uint8_t *p = v->vram + src;
    switch (v->vbe.bpp) {
    case 4:
        for (int x = 0; x < w; x++) {
            uint32_t q = load_le32(p + 4 * (size_t)(x >> 3));
            int i = 7 - (x & 7);
            dst[x] =
                pal[(q >> i & 1) | (q >> (i + 7) & 2) | (q >> (i + 14) & 4) | (q >> (i + 21) & 8)];
        }
        break;
    case 8:
        for (int x = 0; x < w; x++)
            dst[x] = v->dac_rgb[p[x] & v->dac_mask];
        break;
    case 15:
        for (int x = 0; x < w; x++) {
            uint32_t c = load_le16(p + 2 * x);
            dst[x] = expand5(c >> 10 & 31) << 16 | expand5(c >> 5 & 31) << 8 | expand5(c & 31);
        }
        break;
    case 16:
        for (int x = 0; x < w; x++) {
            uint32_t c = load_le16(p + 2 * x);
            dst[x] = expand5(c >> 11) << 16 | expand6(c >> 5 & 63) << 8 | expand5(c & 31);
        }
        break;
    case 24:
        for (int x = 0; x < w; x++, p += 3)
            dst[x] = (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
        break;
    default: /* 32 */
        for (int x = 0; x < w; x++)
            dst[x] = load_le32(p + 4 * x) & 0xffffff;
        break;
    }
}

bool vga_render_vbe(struct vga *v, struct vga_frame *out)
{
    const struct vga_dispi *d = &v->vbe;
    int w = d->xres, h = d->yres;
    bool full =
        !v->have_frame || v->regs_dirty || v->lfb_direct || w != v->fb_width || h != v->fb_height;
    if (!full && !vga_pages_dirty(v, 0, v->vram_size)) return vga_render_unchanged(v, out);
    if (!vga_fb_begin(v, w, h, out)) return false;
    uint32_t pal[16];
    vga_palette16(v, pal);
    uint64_t pitch = vga_vbe_line_bytes(v, d->virt_width), len = vga_vbe_line_bytes(v, (uint32_t)w);
    uint64_t x_bytes = d->bpp == 4 ? d->x_offset / 8u * 4u : vga_vbe_line_bytes(v, d->x_offset);
    for (int y = 0; y < h; y++) {
        uint64_t src = ((uint64_t)d->y_offset + (uint64_t)y) * pitch + x_bytes;
        bool inside = src + len <= v->vram_size;
        if (!full && (!inside || !vga_pages_dirty(v, (uint32_t)src, (uint32_t)len))) continue;
        if (inside)
            vbe_line(v, pal, (uint32_t)src, w, v->line);
        else
            memset(v->line, 0, (size_t)w * sizeof(uint32_t));
        vga_fb_commit(v, y, v->line, out);
    }
    vga_fb_end(v, out);
    return true;
}
