/* SPDX-License-Identifier: MIT */
/*
 * What the vga*.c files share and nobody else sees: register indexes and
 * bits named as in the IBM VGA Technical Reference, the CRT timing derived
 * from the CRTC, and the entry points between ports, memory, DISPI and the
 * renderer. Owns no state of its own; everything lives in struct vga.
 */
#ifndef KILN_DEVICES_VGA_PRIV_H
#define KILN_DEVICES_VGA_PRIV_H

#include "devices/vga.h"

#include "common/bits.h"

#define VGA_LOG "vga"

/* Miscellaneous output register (3C2 write, 3CC read). */
#define MISC_IO_COLOR   0x01 /* CRTC and status at 3Dx instead of 3Bx */
#define MISC_RAM_ENABLE 0x02
#define MISC_CLOCK_SEL  0x0c

/* Sequencer (3C4/3C5). */
enum { SEQ_RESET, SEQ_CLOCKING, SEQ_MAP_MASK, SEQ_CHAR_MAP, SEQ_MEM_MODE };
#define SEQ_CLK_8DOT         0x01
#define SEQ_CLK_HALF         0x08
#define SEQ_CLK_SCREEN_OFF   0x20
#define SEQ_MEM_ODD_EVEN_OFF 0x04
#define SEQ_MEM_CHAIN4       0x08

/* CRT controller (3B4/3B5 or 3D4/3D5). */
enum {
    CRTC_H_TOTAL = 0x00,
    CRTC_H_DISP_END = 0x01,
    CRTC_V_TOTAL = 0x06,
    CRTC_OVERFLOW = 0x07,
    CRTC_PRESET_ROW = 0x08,
    CRTC_MAX_SCAN = 0x09,
    CRTC_CURSOR_START = 0x0a,
    CRTC_CURSOR_END = 0x0b,
    CRTC_START_HI = 0x0c,
    CRTC_START_LO = 0x0d,
    CRTC_CURSOR_HI = 0x0e,
    CRTC_CURSOR_LO = 0x0f,
    CRTC_V_RETRACE_START = 0x10,
    CRTC_V_RETRACE_END = 0x11,
    CRTC_V_DISP_END = 0x12,
    CRTC_OFFSET = 0x13,
    CRTC_UNDERLINE = 0x14,
    CRTC_MODE = 0x17,
    CRTC_LINE_COMPARE = 0x18,
};
#define CRTC_VRE_PROTECT  0x80 /* 11h: registers 0-7 are read-only */
#define CRTC_VRE_VINT_OFF 0x20 /* 11h: vertical retrace interrupt disabled */
#define CRTC_VRE_VINT_CLR 0x10 /* 11h: 0 clears the pending interrupt */
#define CRTC_UL_DWORD     0x40 /* 14h: doubleword addressing */
#define CRTC_UL_COUNT4    0x20 /* 14h: memory address counted every 4 character clocks */
#define CRTC_MODE_CGA     0x01 /* 17h: 0 puts row scan bit 0 on address bit 13 */
#define CRTC_MODE_HGC     0x02 /* 17h: 0 puts row scan bit 1 on address bit 14 */
#define CRTC_MODE_COUNT2  0x08 /* 17h: memory address counted every 2 character clocks */
#define CRTC_MODE_WRAP15  0x20 /* 17h: word mode puts MA15 (not MA13) on address bit 0 */
#define CRTC_MODE_BYTE    0x40 /* 17h: byte addressing (0: word addressing) */
#define CRTC_MODE_SYNC    0x80 /* 17h: 0 holds the timing in reset: no picture */

/* Graphics controller (3CE/3CF). */
enum {
    GC_SET_RESET,
    GC_ENABLE_SR,
    GC_COLOR_COMPARE,
    GC_ROTATE,
    GC_READ_MAP,
    GC_MODE,
    GC_MISC,
    GC_DONT_CARE,
    GC_BIT_MASK,
};
#define GC_MODE_READ1     0x08
#define GC_MODE_ODD_EVEN  0x10
#define GC_MODE_SHIFT_CGA 0x20
#define GC_MODE_SHIFT_256 0x40
#define GC_MISC_GRAPHICS  0x01
#define GC_MISC_CHAIN_OE  0x02

/* Attribute controller (3C0/3C1). */
#define AC_INDEX_PAS       0x20 /* palette address source: 1 = normal display */
#define AC_MODE            0x10
#define AC_OVERSCAN        0x11
#define AC_PLANE_ENABLE    0x12
#define AC_PEL_PAN         0x13
#define AC_COLOR_SELECT    0x14
#define AC_MODE_GRAPHICS   0x01
#define AC_MODE_LINE_GFX   0x04
#define AC_MODE_BLINK      0x08
#define AC_MODE_PAN_COMPAT 0x20
#define AC_MODE_P54_SELECT 0x80

/* How CPU addresses pick planes (struct vga_access). */
enum { VGA_SEL_PLANAR, VGA_SEL_ODD_EVEN, VGA_SEL_CHAIN4 };
enum { VGA_VBE_OFF, VGA_VBE_LINEAR, VGA_VBE_PLANAR };

/* CRT timing of the current mode. */
struct vga_timing {
    uint64_t line_ns, frame_ns, hde_ns;
    uint32_t lines;       /* scan lines per frame */
    uint32_t vde;         /* displayed scan lines */
    uint32_t vrs, vr_len; /* vertical retrace: first line and length */
};

/* What the renderer draws. */
enum { VGA_KIND_BLANK, VGA_KIND_TEXT, VGA_KIND_PLANAR, VGA_KIND_CGA, VGA_KIND_256 };
enum { VGA_ADDR_BYTE, VGA_ADDR_WORD, VGA_ADDR_DWORD };
#define VGA_BLINK_CURSOR 0x01
#define VGA_BLINK_CHARS  0x02
#define VGA_LINE_MAX     4096 /* widest scan line the renderer builds */

/* The picture the CRTC, sequencer and attribute controller describe. */
struct vga_geom {
    int kind;
    int cols;          /* character clocks displayed per scan line */
    int char_w;        /* output pixels per character clock: 8 or 9 (text), 8, or 4 (256) */
    int width, height; /* the output picture */
    uint32_t vlines;   /* displayed scan lines */
    uint32_t start, row_advance, line_compare;
    unsigned max_scan, preset_scan, dbl, scan_repeat, count_div;
    int addr_mode;
    bool wrap15;
    uint8_t cga_sub;  /* bit 0: row scan bit 0 on address bit 13; bit 1: bit 1 on bit 14 */
    int pan;          /* horizontal pel panning in output pixels */
    bool pan_compat;  /* panning stops at the line compare split */
    uint32_t pal[16]; /* attribute colours through the DAC, as XRGB */
    /* text only */
    uint8_t blink;   /* VGA_BLINK_* phase bits that are on */
    bool blink_attr; /* attribute bit 7 blinks (else it is background intensity) */
    uint32_t cursor_addr;
    int cursor_start, cursor_end; /* scan lines; start > end hides it */
};

/* vga.c */
void vga_get_timing(const struct vga *v, struct vga_timing *t);
bool vga_pages_dirty(const struct vga *v, uint32_t offset, uint32_t len);
void vga_pages_clean(struct vga *v);
uint8_t vga_status0(const struct vga *v);
uint8_t vga_status1(struct vga *v);
uint8_t vga_blink_phase(const struct vga *v);

/* vga_ports.c */
void vga_dac_refresh(struct vga *v, int index);
bool vga_map_vga_ports(struct vga *v, struct bus *b);

/* vga_mem.c */
void vga_access_update(struct vga *v);
bool vga_map_window(struct vga *v, struct bus *b);

/* vga_vbe.c */
bool vga_map_dispi(struct vga *v, struct bus *b);
uint32_t vga_vbe_line_bytes(const struct vga *v, uint32_t width);
static inline bool vga_vbe_on(const struct vga *v)
{
    return v->vbe.enable & VBE_DISPI_ENABLED;
}

/* vga_render.c */
void vga_geometry(const struct vga *v, struct vga_geom *g);
bool vga_fb_begin(struct vga *v, int width, int height, struct vga_frame *out);
void vga_fb_commit(struct vga *v, int y, const uint32_t *src, struct vga_frame *out);
void vga_fb_end(struct vga *v, struct vga_frame *out);
bool vga_render_unchanged(const struct vga *v, struct vga_frame *out);
void vga_palette16(const struct vga *v, uint32_t pal[16]);

/* vga_render_pixels.c: one scan line of cols + 1 character clocks (the
 * extra one feeds pel panning) into dst. */
void vga_text_line(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                   uint32_t *dst);
void vga_planar_line(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                     uint32_t *dst);
void vga_cga_line(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                  uint32_t *dst);
void vga_256_line(const struct vga *v, const struct vga_geom *g, uint32_t ma, unsigned sc,
                  uint32_t *dst);
bool vga_render_vbe(struct vga *v, struct vga_frame *out);

/* The plane offset the CRTC fetches for memory address counter 'ma' on row scan line 'sc'. */
static inline uint32_t vga_crtc_addr(const struct vga_geom *g, uint32_t ma, unsigned sc)
{
    uint32_t a;
    ma &= 0xffff; /* the CRTC's memory address counter is 16 bits wide */
    if (g->addr_mode == VGA_ADDR_DWORD)
        a = ma << 2 | ((ma >> 14) & 3);
    else if (g->addr_mode == VGA_ADDR_WORD)
        a = ma << 1 | ((ma >> (g->wrap15 ? 15 : 13)) & 1);
    else
        a = ma;
    if (g->cga_sub & 1) a = (a & ~0x2000u) | (sc & 1u) << 13;
    if (g->cga_sub & 2) a = (a & ~0x4000u) | (sc & 2u) << 13;
    return a & 0xffff;
}

/* The CRTC values spread over several registers. */
static inline uint32_t vga_crtc_vde(const struct vga *v)
{
    const uint8_t *c = v->crtc, o = c[CRTC_OVERFLOW];
    return (c[CRTC_V_DISP_END] | (o & 0x02u) << 7 | (o & 0x40u) << 3) + 1u;
}

static inline uint32_t vga_crtc_line_compare(const struct vga *v)
{
    const uint8_t *c = v->crtc;
    return c[CRTC_LINE_COMPARE] | (c[CRTC_OVERFLOW] & 0x10u) << 4 | (c[CRTC_MAX_SCAN] & 0x40u) << 3;
}

static inline uint32_t vga_crtc_start(const struct vga *v)
{
    return (uint32_t)v->crtc[CRTC_START_HI] << 8 | v->crtc[CRTC_START_LO];
}

static inline uint32_t vga_crtc_cursor(const struct vga *v)
{
    return (uint32_t)v->crtc[CRTC_CURSOR_HI] << 8 | v->crtc[CRTC_CURSOR_LO];
}

/* A 4-bit plane mask spread to bytes: bit p becomes 0xff in bits 8p..8p+7. */
static inline uint32_t vga_lanes(unsigned m)
{
    return (m & 1 ? 0xffu : 0) | (m & 2 ? 0xff00u : 0) | (m & 4 ? 0xff0000u : 0) |
           (m & 8 ? 0xff000000u : 0);
}

/* The four plane bytes at plane offset 'o' (callers keep o < vram_size / 4). */
static inline uint32_t vga_planes(const struct vga *v, uint32_t o)
{
    return load_le32(v->vram + 4 * (size_t)o);
}

#endif
