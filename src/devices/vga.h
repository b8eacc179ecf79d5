/* SPDX-License-Identifier: MIT */
/*
 * The VGA: IBM VGA registers (misc output, status, sequencer, CRT controller,
 * graphics controller, attribute controller, DAC), 256 KiB of planar video
 * memory behind the A0000-BFFFF window, the Bochs/QEMU VBE "DISPI" extension
 * (ports 1CE/1CF) with a linear framebuffer, and a renderer to XRGB pixels.
 * Owns only struct vga and its video memory; knows nothing of the CPU.
 * Follows the IBM VGA Technical Reference, FreeVGA and the public DISPI notes.
 */
#ifndef KILN_DEVICES_VGA_H
#define KILN_DEVICES_VGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"
#include "devices/clock.h"

#define VGA_VRAM_DEFAULT (16u << 20) /* enough for 2560x1600x32 */
#define VGA_LFB_DEFAULT  0xe0000000u /* where the machine maps the LFB until PCI assigns a BAR */
#define VGA_VRAM_MIN     (256u << 10)
#define VGA_VRAM_MAX     (128u << 20)
#define VGA_PAGE_SHIFT   12 /* dirty tracking granule: 4 KiB of video memory */

/* DISPI register indexes (port 1CE) and values, as the public interface defines them. */
#define VBE_DISPI_INDEX_ID               0x0
#define VBE_DISPI_INDEX_XRES             0x1
#define VBE_DISPI_INDEX_YRES             0x2
#define VBE_DISPI_INDEX_BPP              0x3
#define VBE_DISPI_INDEX_ENABLE           0x4
#define VBE_DISPI_INDEX_BANK             0x5
#define VBE_DISPI_INDEX_VIRT_WIDTH       0x6
#define VBE_DISPI_INDEX_VIRT_HEIGHT      0x7
#define VBE_DISPI_INDEX_X_OFFSET         0x8
#define VBE_DISPI_INDEX_Y_OFFSET         0x9
#define VBE_DISPI_INDEX_VIDEO_MEMORY_64K 0xa
#define VBE_DISPI_ID0                    0xb0c0
#define VBE_DISPI_ID5                    0xb0c5
#define VBE_DISPI_ENABLED                0x01
#define VBE_DISPI_GETCAPS                0x02
#define VBE_DISPI_8BIT_DAC               0x20
#define VBE_DISPI_LFB_ENABLED            0x40
#define VBE_DISPI_NOCLEARMEM             0x80
#define VBE_DISPI_MAX_XRES               2560
#define VBE_DISPI_MAX_YRES               1600
#define VBE_DISPI_MAX_BPP                32

/* Largest text screen vga_text_snapshot() reports; bigger ones are clipped. */
#define VGA_TEXT_MAX_COLS 160
#define VGA_TEXT_MAX_ROWS 100

/* A rendered picture, owned by the vga: valid until the next vga_render(). */
struct vga_frame {
    const uint32_t *pixels; /* width * height XRGB8888 (0x00RRGGBB), rows packed */
    int width, height;
    uint64_t generation;         /* changes exactly when the pixels or the size change */
    int dirty_top, dirty_bottom; /* rows [top, bottom) changed by this call; empty if none */
};

/* The characters of a text screen. */
struct vga_text {
    int cols, rows;
    int cursor_col, cursor_row; /* -1, -1 when the cursor is off or off screen */
    uint16_t cells[VGA_TEXT_MAX_ROWS][VGA_TEXT_MAX_COLS]; /* character | attribute << 8 */
};

/* DISPI state. Private to vga*.c. */
struct vga_dispi {
    uint16_t index, id;
    uint16_t xres, yres, bpp, enable, bank;
    uint16_t virt_width, virt_height, x_offset, y_offset;
    bool getcaps;
};

/* How CPU accesses reach video memory; derived from registers by vga_mem.c. */
struct vga_access {
    uint32_t win_start, win_size; /* the VGA window inside the A0000-BFFFF region */
    uint8_t write_sel, read_sel;  /* VGA_SEL_*: plane selection for writes and reads */
    bool chain_oe;                /* GC misc bit 1: A0 replaced by a higher bit */
    bool simple_write;            /* write mode 0 with no rotate, ALU, set/reset or bit mask */
    bool ram_enabled;             /* misc output bit 1 */
    uint8_t vbe;                  /* 0, or VGA_VBE_LINEAR / VGA_VBE_PLANAR while DISPI is on */
};

/* Fields are private to vga*.c; exposed only so machines can embed. */
struct vga {
    const struct clock *clock;
    uint8_t *vram; /* planes interleaved: plane p of offset o at vram[4 * o + p] */
    uint32_t vram_size;
    uint8_t *dirty;  /* one bit per 4 KiB page of vram written since the last render */
    bool lfb_direct; /* the machine maps the LFB as RAM: writes bypass 'dirty' */

    uint8_t misc, feature, subsys_enable;
    uint8_t seq_index, seq[8];
    uint8_t crtc_index, crtc[32];
    uint8_t gc_index, gc[16];
    uint8_t ac_index, ac[32];
    bool ac_flipflop; /* false: the next 3C0 write is an index */
    uint8_t dac_mask, dac_read_index, dac_write_index, dac_step, dac_state;
    uint8_t dac_buf[3];
    uint8_t dac[256][3];
    uint32_t dac_rgb[256];  /* the DAC as XRGB, kept in step with dac[] */
    uint32_t latch;         /* plane p in bits 8p..8p+7 */
    uint64_t vint_armed_ns; /* when CRTC 11h bit 4 last released the retrace interrupt */
    struct vga_access acc;
    struct vga_dispi vbe;

    /* renderer state */
    uint32_t *fb, *line;
    size_t fb_cap;
    int fb_width, fb_height;
    uint64_t generation;
    bool regs_dirty;     /* a display register was written since the last render */
    bool have_frame;     /* fb holds a complete picture of fb_width x fb_height */
    uint8_t blink_phase; /* cursor and character blink state at the last render */
};

/* Allocate 'vram_size' bytes of video memory (a multiple of 64 KiB between
 * VGA_VRAM_MIN and VGA_VRAM_MAX), reset, and claim ports 3B0-3BB, 3C0-3CF,
 * 3D0-3DF and 1CE-1D0 and the A0000-BFFFF window on 'b'. When 'lfb_base' is
 * not 0 the linear framebuffer is mapped there too (see vga_map_lfb). 'c'
 * times retrace and blinking. False on a taken range or host OOM; call
 * vga_free() either way. */
KILN_MUST_CHECK bool vga_init(struct vga *v, struct bus *b, const struct clock *c,
                              uint32_t vram_size, uint32_t lfb_base);

/* Release the video memory and the frame buffers. */
void vga_free(struct vga *v);

/* Power-on state: registers zero (the sequencer held in reset, so the
 * screen is blank until a BIOS sets a mode), DAC mask FFh, DISPI off. */
void vga_reset(struct vga *v);

/* Map the linear framebuffer as an MMIO region at physical 'base' (a PCI BAR
 * later). False when the range is taken. */
KILN_MUST_CHECK bool vga_map_lfb(struct vga *v, struct bus *b, uint32_t base);

/* The video memory as a host pointer for mapping the LFB like RAM, and its
 * size. A machine that maps it must call vga_set_lfb_direct(v, true) or
 * report writes with vga_mark_dirty(). */
uint8_t *vga_vram(struct vga *v, uint32_t *size);

/* Declare that guest writes may reach video memory without the vga seeing
 * them; the renderer then compares every visible VBE line itself. */
void vga_set_lfb_direct(struct vga *v, bool direct);

/* Record that video memory [offset, offset + len) was written behind the vga's back. */
void vga_mark_dirty(struct vga *v, uint32_t offset, uint32_t len);

/* Render the current picture: VBE modes, or the VGA's text, planar 16-colour,
 * CGA 4-colour and 256-colour (chained or unchained) modes through the
 * attribute controller and the DAC. Cheap when nothing changed: frontends
 * call it at their refresh rate and upload only when 'generation' moved.
 * The size is the mode's own (720x400 for 80x25 text, 320x200 for mode
 * 13h): scan doubling and dot-clock halving are not applied, so frontends
 * scale to 4:3. A blanked screen renders black. False only on host OOM. */
KILN_MUST_CHECK bool vga_render(struct vga *v, struct vga_frame *out);

/* What kind of picture the registers describe now, in the terms a person
 * (or a boot test) would name it: "text", "planar" (16 colours), "cga"
 * (4 colours), "256" (VGA 256 colours) or "vbe", with its size in pixels and
 * bits per pixel; "blank" while the display is off. */
struct vga_mode_info {
    const char *kind;
    int width, height, bpp;
};
void vga_mode_info(const struct vga *v, struct vga_mode_info *out);

/* The text screen (characters and attributes from the CRTC start address)
 * and the cursor. False, with no cells and no cursor, outside text modes.
 * struct vga_text is about 32 KiB: keep it off small stacks. */
bool vga_text_snapshot(const struct vga *v, struct vga_text *out);

#endif
