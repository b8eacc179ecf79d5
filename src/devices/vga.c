/* SPDX-License-Identifier: MIT */
/*
 * The VGA's life cycle (see vga.h): allocation, power-on state, the video
 * memory handed to the machine with its dirty-page bitmap, and CRT timing:
 * the input status registers and the blink phase are computed from the
 * virtual clock and the CRTC's totals, never from the host clock. Register
 * ports live in vga_ports.c, memory paths in vga_mem.c, DISPI in vga_vbe.c.
 * Follows the IBM VGA Technical Reference (CRT controller, input status).
 */
#include "devices/vga_priv.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"

#define NS_PER_S     1000000000ull
#define VGA_CLOCK_25 25175000ull /* misc output clock select 0 */
#define VGA_CLOCK_28 28322000ull /* clock select 1 */

bool vga_init(struct vga *v, struct bus *b, const struct clock *c, uint32_t vram_size,
              uint32_t lfb_base)
{
    *v = (struct vga){.clock = c};
    if (vram_size < VGA_VRAM_MIN || vram_size > VGA_VRAM_MAX || vram_size % 0x10000) {
        log_msg(LOG_HOST, VGA_LOG, "video memory of %u bytes: need a multiple of 64 KiB, %u-%u",
                vram_size, VGA_VRAM_MIN, VGA_VRAM_MAX);
        return false;
    }
    v->vram = calloc(vram_size, 1);
    v->dirty = calloc((vram_size >> VGA_PAGE_SHIFT) / 8, 1);
    v->line = calloc(VGA_LINE_MAX + 64, sizeof(uint32_t));
    if (!v->vram || !v->dirty || !v->line) {
        log_msg(LOG_HOST, VGA_LOG, "out of memory for %u bytes of video memory", vram_size);
        return false;
    }
    v->vram_size = vram_size;
    vga_reset(v);
    if (!vga_map_vga_ports(v, b) || !vga_map_dispi(v, b) || !vga_map_window(v, b)) return false;
    return lfb_base == 0 || vga_map_lfb(v, b, lfb_base);
}

void vga_free(struct vga *v)
{
    free(v->vram);
    free(v->dirty);
    free(v->line);
    free(v->fb);
    v->vram = v->dirty = NULL;
    v->line = v->fb = NULL;
    v->fb_cap = 0;
    v->have_frame = false;
}

void vga_reset(struct vga *v)
{
    v->misc = v->feature = v->subsys_enable = 0;
    v->seq_index = v->crtc_index = v->gc_index = v->ac_index = 0;
    memset(v->seq, 0, sizeof(v->seq));
    memset(v->crtc, 0, sizeof(v->crtc));
    memset(v->gc, 0, sizeof(v->gc));
    memset(v->ac, 0, sizeof(v->ac));
    v->ac_flipflop = false;
    v->dac_mask = 0xff;
    v->dac_read_index = v->dac_write_index = v->dac_step = v->dac_state = 0;
    memset(v->dac, 0, sizeof(v->dac));
    v->latch = 0;
    v->vint_armed_ns = 0;
    v->vbe = (struct vga_dispi){.id = VBE_DISPI_ID5, .bpp = 8};
    for (int i = 0; i < 256; i++)
        vga_dac_refresh(v, i);
    memset(v->vram, 0, v->vram_size);
    vga_mark_dirty(v, 0, v->vram_size);
    vga_access_update(v);
    v->regs_dirty = true;
}

uint8_t *vga_vram(struct vga *v, uint32_t *size)
{
    if (size) *size = v->vram_size;
    return v->vram;
}

void vga_set_lfb_direct(struct vga *v, bool direct)
{
    v->lfb_direct = direct;
    v->regs_dirty = true;
}

void vga_mark_dirty(struct vga *v, uint32_t offset, uint32_t len)
{
    if (!len || offset >= v->vram_size) return;
    uint32_t last = len > v->vram_size - offset ? v->vram_size - 1 : offset + len - 1;
    for (uint32_t p = offset >> VGA_PAGE_SHIFT; p <= last >> VGA_PAGE_SHIFT; p++)
        v->dirty[p >> 3] |= (uint8_t)(1u << (p & 7));
}

bool vga_pages_dirty(const struct vga *v, uint32_t offset, uint32_t len)
{
    if (!len || offset >= v->vram_size) return false;
    uint32_t last = len > v->vram_size - offset ? v->vram_size - 1 : offset + len - 1;
    for (uint32_t p = offset >> VGA_PAGE_SHIFT; p <= last >> VGA_PAGE_SHIFT; p++)
        if (v->dirty[p >> 3] & (1u << (p & 7))) return true;
    return false;
}

void vga_pages_clean(struct vga *v)
{
    memset(v->dirty, 0, (v->vram_size >> VGA_PAGE_SHIFT) / 8);
}

/* The mode-3 timing (70 Hz, 449 lines of 31.78 us), used when the CRTC
 * holds totals no monitor could sync to, e.g. before the BIOS set a mode. */
static void timing_fallback(struct vga_timing *t)
{
    t->line_ns = 31778;
    t->lines = 449;
    t->frame_ns = t->line_ns * t->lines;
    t->hde_ns = t->line_ns * 80 / 100;
    t->vde = 400;
    t->vrs = 412;
    t->vr_len = 2;
}

/* DISPI modes have no CRTC timing: a 60 Hz frame with a short blanking interval. */
static void timing_vbe(const struct vga *v, struct vga_timing *t)
{
    uint32_t vde = v->vbe.yres ? v->vbe.yres : 1;
    t->lines = vde + vde / 24 + 8;
    t->line_ns = NS_PER_S / 60 / t->lines;
    t->frame_ns = t->line_ns * t->lines;
    t->hde_ns = t->line_ns * 4 / 5;
    t->vde = vde;
    t->vrs = vde + 2;
    t->vr_len = 3;
}

void vga_get_timing(const struct vga *v, struct vga_timing *t)
{
    if (vga_vbe_on(v)) {
        timing_vbe(v, t);
        return;
    }
    const uint8_t *c = v->crtc, o = c[CRTC_OVERFLOW];
    uint64_t dot_hz = (v->misc & MISC_CLOCK_SEL) == 0x04 ? VGA_CLOCK_28 : VGA_CLOCK_25;
    uint64_t dots = v->seq[SEQ_CLOCKING] & SEQ_CLK_8DOT ? 8 : 9;
    if (v->seq[SEQ_CLOCKING] & SEQ_CLK_HALF) dots *= 2;
    uint64_t htotal = c[CRTC_H_TOTAL] + 5u, hde = c[CRTC_H_DISP_END] + 1u;
    uint32_t lines = (c[CRTC_V_TOTAL] | (o & 0x01u) << 8 | (o & 0x20u) << 4) + 2u;
    t->line_ns = htotal * dots * NS_PER_S / dot_hz;
    t->lines = lines;
    t->frame_ns = t->line_ns * lines;
    if (t->line_ns < 1000 || t->frame_ns < NS_PER_S / 200 || t->frame_ns > NS_PER_S / 20) {
        timing_fallback(t);
        return;
    }
    t->hde_ns = hde * dots * NS_PER_S / dot_hz;
    if (t->hde_ns > t->line_ns) t->hde_ns = t->line_ns;
    t->vde = vga_crtc_vde(v);
    if (t->vde > lines) t->vde = lines;
    t->vrs = c[CRTC_V_RETRACE_START] | (o & 0x04u) << 6 | (o & 0x80u) << 2;
    if (t->vrs >= lines) t->vrs = t->vde < lines ? t->vde : lines - 1;
    /* The end register holds only the low 4 bits of the line that ends retrace. */
    t->vr_len = (c[CRTC_V_RETRACE_END] - t->vrs) & 15;
    if (!t->vr_len) t->vr_len = 16;
}

uint8_t vga_status1(struct vga *v)
{
    struct vga_timing t;
    vga_get_timing(v, &t);
    uint64_t in_frame = clock_now(v->clock) % t.frame_ns;
    uint32_t line = (uint32_t)(in_frame / t.line_ns);
    uint64_t in_line = in_frame % t.line_ns;
    bool retrace = (line + t.lines - t.vrs) % t.lines < t.vr_len;
    bool blank = line >= t.vde || in_line >= t.hde_ns;
    v->ac_flipflop = false; /* reading input status 1 readies 3C0 for an index */
    return (uint8_t)((blank || retrace ? 0x01 : 0) | (retrace ? 0x08 : 0));
}

/* True when a vertical retrace began after the interrupt was last released
 * (CRTC 11h bit 4 set) while it is enabled (bit 5 clear). */
static bool vint_pending(const struct vga *v)
{
    uint8_t r = v->crtc[CRTC_V_RETRACE_END];
    if ((r & CRTC_VRE_VINT_OFF) || !(r & CRTC_VRE_VINT_CLR)) return false;
    struct vga_timing t;
    vga_get_timing(v, &t);
    uint64_t s0 = t.vrs * t.line_ns, armed = v->vint_armed_ns;
    uint64_t k = armed >= s0 ? (armed - s0) / t.frame_ns + 1 : 0;
    return k * t.frame_ns + s0 <= clock_now(v->clock);
}

uint8_t vga_status0(const struct vga *v)
{
    /* Bit 4 is the monitor sense line: a colour monitor is attached. */
    return (uint8_t)(0x10 | (vint_pending(v) ? 0x80 : 0));
}

uint8_t vga_blink_phase(const struct vga *v)
{
    /* The IBM VGA blinks the cursor every 16 frames and characters every 32
     * (on for half of each period). */
    struct vga_timing t;
    vga_get_timing(v, &t);
    uint64_t frame = clock_now(v->clock) / t.frame_ns;
    return (uint8_t)(((frame >> 3) & 1 ? 0 : VGA_BLINK_CURSOR) |
                     ((frame >> 4) & 1 ? 0 : VGA_BLINK_CHARS));
}
