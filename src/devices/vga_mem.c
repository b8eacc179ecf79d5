/* SPDX-License-Identifier: MIT */
/*
 * The VGA's memory paths (see vga.h): the A0000-BFFFF window, the four
 * planes with their latches, write modes 0-3 (rotate, set/reset, logical
 * function, bit mask), read modes 0-1 (colour compare), chain-4, odd/even,
 * and DISPI's 64 KiB banks. Never touches the LFB region (vga_vbe.c) or the
 * renderer. Follows the IBM VGA Technical Reference, "Graphics Controller
 * Registers" and "Sequencer Registers", and FreeVGA's VGA memory notes.
 */
#include "devices/vga_priv.h"

/* Plane byte offsets are 16 bits wide on the VGA: 64 KiB per plane. */
#define PLANE_MASK 0xffffu

void vga_access_update(struct vga *v)
{
    static const uint32_t win_start[4] = {0x00000, 0x00000, 0x10000, 0x18000};
    static const uint32_t win_size[4] = {0x20000, 0x10000, 0x08000, 0x08000};
    struct vga_access *a = &v->acc;
    const uint8_t *g = v->gc, mem = v->seq[SEQ_MEM_MODE];
    unsigned map = (g[GC_MISC] >> 2) & 3;
    a->win_start = win_start[map];
    a->win_size = win_size[map];
    if (mem & SEQ_MEM_CHAIN4)
        a->write_sel = a->read_sel = VGA_SEL_CHAIN4;
    else {
        a->write_sel = mem & SEQ_MEM_ODD_EVEN_OFF ? VGA_SEL_PLANAR : VGA_SEL_ODD_EVEN;
        a->read_sel = g[GC_MODE] & GC_MODE_ODD_EVEN ? VGA_SEL_ODD_EVEN : VGA_SEL_PLANAR;
    }
    a->chain_oe = g[GC_MISC] & GC_MISC_CHAIN_OE;
    a->simple_write = (g[GC_MODE] & 3) == 0 && (g[GC_ROTATE] & 0x1f) == 0 &&
                      (g[GC_ENABLE_SR] & 0xf) == 0 && g[GC_BIT_MASK] == 0xff;
    a->ram_enabled = v->misc & MISC_RAM_ENABLE;
    if (!vga_vbe_on(v))
        a->vbe = VGA_VBE_OFF;
    else
        a->vbe = v->vbe.bpp == 4 ? VGA_VBE_PLANAR : VGA_VBE_LINEAR;
}

static inline void mark_byte(struct vga *v, size_t idx)
{
    size_t page = idx >> VGA_PAGE_SHIFT;
    v->dirty[page >> 3] |= (uint8_t)(1u << (page & 7));
}

/* The plane offset a window address reaches. Chain-4 uses A1:A0 to pick the
 * plane and leaves them clear in the offset (so mode 13h fills every fourth
 * byte of each plane, as doubleword CRTC addressing expects); with chain
 * odd/even, A0 picks the plane and a higher bit (A16 of the 128 KiB map)
 * takes its place. */
static inline uint32_t window_offset(const struct vga_access *a, uint32_t rel, uint8_t sel)
{
    if (sel == VGA_SEL_CHAIN4) return rel & 0xfffc;
    if (a->chain_oe) return (rel & 0xfffe) | ((rel >> 16) & 1);
    return rel & PLANE_MASK;
}

static inline unsigned write_planes(const struct vga *v, uint32_t rel)
{
    unsigned mm = v->seq[SEQ_MAP_MASK] & 0xf;
    switch (v->acc.write_sel) {
    case VGA_SEL_CHAIN4: return mm & (1u << (rel & 3));
    case VGA_SEL_ODD_EVEN: return mm & (rel & 1 ? 0xau : 0x5u);
    default: return mm;
    }
}

static inline unsigned read_plane(const struct vga *v, uint32_t rel)
{
    switch (v->acc.read_sel) {
    case VGA_SEL_CHAIN4: return rel & 3;
    case VGA_SEL_ODD_EVEN: return (v->gc[GC_READ_MAP] & 2) | (rel & 1);
    default: return v->gc[GC_READ_MAP] & 3;
    }
}

/* The graphics controller's logical function applied to all four planes. */
static inline uint32_t alu(const struct vga *v, uint32_t d)
{
    switch ((v->gc[GC_ROTATE] >> 3) & 3) {
    case 1: return d & v->latch;
    case 2: return d | v->latch;
    case 3: return d ^ v->latch;
    default: return d;
    }
}

/* Write 'val' through the graphics controller to the planes in 'planes' at
 * plane offset 'off' (below vram_size / 4). */
static void planar_write(struct vga *v, uint32_t off, unsigned planes, uint8_t val)
{
    const uint8_t *g = v->gc;
    unsigned rot = g[GC_ROTATE] & 7;
    uint8_t r = (uint8_t)(val >> rot | val << ((8 - rot) & 7));
    uint32_t mask = g[GC_BIT_MASK], d;
    switch (g[GC_MODE] & 3) {
    case 0: {
        uint32_t esr = vga_lanes(g[GC_ENABLE_SR]);
        d = alu(v, (r * 0x01010101u & ~esr) | (vga_lanes(g[GC_SET_RESET]) & esr));
        break;
    }
    case 1: /* the latches as they are: no function, no bit mask */
        d = v->latch;
        mask = 0xff;
        break;
    case 2: d = alu(v, vga_lanes(val)); break;
    default: /* 3: the rotated byte narrows the bit mask; set/reset is the colour */
        mask &= r;
        d = alu(v, vga_lanes(g[GC_SET_RESET]));
        break;
    }
    uint32_t m = mask * 0x01010101u, keep = vga_lanes(planes);
    d = (d & m) | (v->latch & ~m);
    uint8_t *p = v->vram + 4 * (size_t)off;
    store_le32(p, (load_le32(p) & ~keep) | (d & keep));
    mark_byte(v, 4 * (size_t)off);
}

/* Read plane offset 'off' (below vram_size / 4) into the latches and return
 * what read mode 0 or 1 gives, 'plane' being the read mode 0 plane. */
static uint8_t planar_read(struct vga *v, uint32_t off, unsigned plane)
{
    v->latch = vga_planes(v, off);
    if (v->gc[GC_MODE] & GC_MODE_READ1) {
        /* Colour compare: a 1 where every plane that matters matches the colour. */
        uint32_t x =
            (v->latch ^ vga_lanes(v->gc[GC_COLOR_COMPARE])) & vga_lanes(v->gc[GC_DONT_CARE]);
        x |= x >> 16;
        x |= x >> 8;
        return (uint8_t)~x;
    }
    return (uint8_t)(v->latch >> (8 * plane));
}

/* DISPI banks: A0000-AFFFF shows 64 KiB of video memory at bank * 64 KiB,
 * as bytes, or as plane offsets through the graphics controller at 4 bpp. */
static uint8_t vbe_read(struct vga *v, uint32_t rel)
{
    if (rel >= 0x10000) return 0xff;
    uint32_t lin = (uint32_t)v->vbe.bank << 16 | rel;
    if (v->acc.vbe == VGA_VBE_LINEAR) return lin < v->vram_size ? v->vram[lin] : 0xff;
    return lin < v->vram_size / 4 ? planar_read(v, lin, v->gc[GC_READ_MAP] & 3) : 0xff;
}

static void vbe_write(struct vga *v, uint32_t rel, uint8_t val)
{
    if (rel >= 0x10000) return;
    uint32_t lin = (uint32_t)v->vbe.bank << 16 | rel;
    if (v->acc.vbe == VGA_VBE_LINEAR) {
        if (lin < v->vram_size) {
            v->vram[lin] = val;
            mark_byte(v, lin);
        }
    } else if (lin < v->vram_size / 4) {
        planar_write(v, lin, v->seq[SEQ_MAP_MASK] & 0xf, val);
    }
}

/* One byte from 'addr' in the A0000-BFFFF region. */
static uint8_t window_read_byte(struct vga *v, uint32_t addr)
{
    const struct vga_access *a = &v->acc;
    if (KILN_UNLIKELY(a->vbe)) return vbe_read(v, addr);
    uint32_t rel = addr - a->win_start;
    if (rel >= a->win_size || !a->ram_enabled) return 0xff;
    return planar_read(v, window_offset(a, rel, a->read_sel), read_plane(v, rel));
}

/* One byte to 'addr' in the A0000-BFFFF region. The common text-mode and
 * chain-4 stores (one plane, no graphics controller work) skip the latches. */
static void window_write_byte(struct vga *v, uint32_t addr, uint8_t val)
{
    const struct vga_access *a = &v->acc;
    if (KILN_UNLIKELY(a->vbe)) {
        vbe_write(v, addr, val);
        return;
    }
    uint32_t rel = addr - a->win_start;
    if (rel >= a->win_size || !a->ram_enabled) return;
    unsigned planes = write_planes(v, rel);
    if (!planes) return;
    uint32_t off = window_offset(a, rel, a->write_sel);
    if (a->simple_write && !(planes & (planes - 1))) {
        size_t idx = 4 * (size_t)off + (size_t)__builtin_ctz(planes);
        v->vram[idx] = val;
        mark_byte(v, idx);
        return;
    }
    planar_write(v, off, planes, val);
}

/* The VGA's data bus is 8 bits wide: wider accesses are bytes, low address first. */
static uint32_t window_read(void *opaque, uint32_t addr, int size)
{
    uint32_t r = 0;
    for (int i = 0; i < size; i++)
        r |= (uint32_t)window_read_byte(opaque, addr + (uint32_t)i) << (8 * i);
    return r;
}

static void window_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    for (int i = 0; i < size; i++)
        window_write_byte(opaque, addr + (uint32_t)i, (uint8_t)(val >> (8 * i)));
}

static const struct io_ops window_ops = {window_read, window_write};

bool vga_map_window(struct vga *v, struct bus *b)
{
    return bus_map_mmio(b, 0xa0000, 0x20000, &window_ops, v);
}
