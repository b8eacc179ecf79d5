/* SPDX-License-Identifier: MIT */
/*
 * The Bochs/QEMU VBE "DISPI" extension (see vga.h): index port 1CE, data
 * port 1CF (1D0 aliases it), interface ids B0C0-B0C5, resolution, depth,
 * enable with LFB/NOCLEARMEM/8-bit DAC, bank, virtual size and panning;
 * and the linear framebuffer region. Banked window accesses live in
 * vga_mem.c, pictures in vga_render_pixels.c. Follows the DISPI interface as
 * publicly documented (Bochs vbe_display_api notes, OSDev "Bochs VBE Extensions").
 */
#include "devices/vga_priv.h"

#include <string.h>

#include "common/log.h"

uint32_t vga_vbe_line_bytes(const struct vga *v, uint32_t width)
{
    switch (v->vbe.bpp) {
    case 4: return width / 8 * 4; /* width / 8 plane offsets of four planes */
    case 15:
    case 16: return width * 2;
    case 24: return width * 3;
    case 32: return width * 4;
    default: return width;
    }
}

static bool bpp_valid(uint16_t bpp)
{
    return bpp == 4 || bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32;
}

/* Scan lines of 'line_bytes' that fit in video memory, as the 16-bit register holds them. */
static uint16_t max_lines(const struct vga *v, uint32_t line_bytes)
{
    uint32_t n = line_bytes ? v->vram_size / line_bytes : 0;
    return (uint16_t)(n > 0xffff ? 0xffff : n);
}

static bool mode_valid(const struct vga *v)
{
    const struct vga_dispi *d = &v->vbe;
    if (!bpp_valid(d->bpp) || !d->xres || !d->yres || d->xres > VBE_DISPI_MAX_XRES ||
        d->yres > VBE_DISPI_MAX_YRES || (d->bpp == 4 && d->xres % 8))
        return false;
    return max_lines(v, vga_vbe_line_bytes(v, d->xres)) >= d->yres;
}

static void dispi_enable(struct vga *v, uint16_t val)
{
    struct vga_dispi *d = &v->vbe;
    d->getcaps = val & VBE_DISPI_GETCAPS;
    val &= (uint16_t)~VBE_DISPI_GETCAPS;
    if ((val & VBE_DISPI_ENABLED) && !(d->enable & VBE_DISPI_ENABLED)) {
        if (!mode_valid(v)) {
            log_msg(LOG_GUEST, VGA_LOG, "DISPI mode %ux%ux%u refused", d->xres, d->yres, d->bpp);
            val &= (uint16_t)~VBE_DISPI_ENABLED;
        } else {
            d->virt_width = d->xres;
            d->virt_height = max_lines(v, vga_vbe_line_bytes(v, d->xres));
            d->x_offset = d->y_offset = d->bank = 0;
            if (!(val & VBE_DISPI_NOCLEARMEM)) {
                memset(v->vram, 0, v->vram_size);
                vga_mark_dirty(v, 0, v->vram_size);
            }
        }
    }
    bool dac_width = (d->enable ^ val) & VBE_DISPI_8BIT_DAC;
    d->enable = val;
    if (dac_width) /* the stored entries are kept and read at the new width */
        for (int i = 0; i < 256; i++)
            vga_dac_refresh(v, i);
}

static void set_virt_width(struct vga *v, uint16_t val)
{
    struct vga_dispi *d = &v->vbe;
    if (d->bpp == 4) val &= (uint16_t)~7u;
    uint32_t lb = vga_vbe_line_bytes(v, val);
    if (val < d->xres || max_lines(v, lb) < d->yres) {
        log_msg(LOG_GUEST, VGA_LOG, "DISPI virtual width %u refused", val);
        return;
    }
    d->virt_width = val;
    d->virt_height = max_lines(v, lb);
}

static void dispi_write(struct vga *v, uint16_t val)
{
    struct vga_dispi *d = &v->vbe;
    bool on = d->enable & VBE_DISPI_ENABLED;
    switch (d->index) {
    case VBE_DISPI_INDEX_ID:
        if (val >= VBE_DISPI_ID0 && val <= VBE_DISPI_ID5) d->id = val;
        return;
    case VBE_DISPI_INDEX_XRES:
    case VBE_DISPI_INDEX_YRES:
    case VBE_DISPI_INDEX_BPP:
        if (on) {
            log_msg(LOG_GUEST, VGA_LOG, "DISPI register %u written while enabled", d->index);
            return;
        }
        if (d->index == VBE_DISPI_INDEX_XRES)
            d->xres = val;
        else if (d->index == VBE_DISPI_INDEX_YRES)
            d->yres = val;
        else
            d->bpp = val ? val : 8; /* 0 means 8 in the DISPI interface */
        return;
    case VBE_DISPI_INDEX_ENABLE: dispi_enable(v, val); break;
    case VBE_DISPI_INDEX_BANK: d->bank = val; break;
    case VBE_DISPI_INDEX_VIRT_WIDTH: set_virt_width(v, val); break;
    case VBE_DISPI_INDEX_VIRT_HEIGHT: {
        uint16_t max = max_lines(v, vga_vbe_line_bytes(v, d->virt_width));
        d->virt_height = val < max ? val : max;
        break;
    }
    case VBE_DISPI_INDEX_X_OFFSET: d->x_offset = val; break;
    case VBE_DISPI_INDEX_Y_OFFSET: d->y_offset = val; break;
    default: log_msg(LOG_STUB, VGA_LOG, "DISPI register %#x = %#x ignored", d->index, val); return;
    }
    vga_access_update(v);
    v->regs_dirty = true;
}

static uint16_t dispi_read(const struct vga *v)
{
    const struct vga_dispi *d = &v->vbe;
    switch (d->index) {
    case VBE_DISPI_INDEX_ID: return d->id;
    case VBE_DISPI_INDEX_XRES: return d->getcaps ? VBE_DISPI_MAX_XRES : d->xres;
    case VBE_DISPI_INDEX_YRES: return d->getcaps ? VBE_DISPI_MAX_YRES : d->yres;
    case VBE_DISPI_INDEX_BPP: return d->getcaps ? VBE_DISPI_MAX_BPP : d->bpp;
    case VBE_DISPI_INDEX_ENABLE:
        return (uint16_t)(d->enable | (d->getcaps ? VBE_DISPI_GETCAPS : 0));
    case VBE_DISPI_INDEX_BANK: return d->bank;
    case VBE_DISPI_INDEX_VIRT_WIDTH: return d->virt_width;
    case VBE_DISPI_INDEX_VIRT_HEIGHT: return d->virt_height;
    case VBE_DISPI_INDEX_X_OFFSET: return d->x_offset;
    case VBE_DISPI_INDEX_Y_OFFSET: return d->y_offset;
    case VBE_DISPI_INDEX_VIDEO_MEMORY_64K: return (uint16_t)(v->vram_size >> 16);
    default: return 0;
    }
}

/* The registers are 16 bits wide; a byte access is taken as a word with the
 * high byte clear. */
static uint32_t dispi_port_read(void *opaque, uint32_t addr, int size)
{
    struct vga *v = opaque;
    if (size == 1) log_msg(LOG_GUEST, VGA_LOG, "byte read of DISPI port %#x", 0x1ce + addr);
    uint32_t r = addr == 0 ? v->vbe.index : dispi_read(v);
    return size == 1 ? r & 0xff : r;
}

static void dispi_port_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct vga *v = opaque;
    if (size == 1) log_msg(LOG_GUEST, VGA_LOG, "byte write of DISPI port %#x", 0x1ce + addr);
    uint16_t w = (uint16_t)(size == 1 ? val & 0xff : val);
    if (addr == 0)
        v->vbe.index = w;
    else
        dispi_write(v, w);
}

static const struct io_ops dispi_ops = {dispi_port_read, dispi_port_write};

bool vga_map_dispi(struct vga *v, struct bus *b)
{
    return bus_map_io(b, 0x1ce, 3, &dispi_ops, v);
}

/* The linear framebuffer: video memory as plain little-endian bytes. */
static uint32_t lfb_read(void *opaque, uint32_t addr, int size)
{
    const struct vga *v = opaque;
    if (addr >= v->vram_size || (uint32_t)size > v->vram_size - addr) return 0xffffffffu;
    const uint8_t *p = v->vram + addr;
    return size == 4 ? load_le32(p) : size == 2 ? load_le16(p) : p[0];
}

static void lfb_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct vga *v = opaque;
    if (addr >= v->vram_size || (uint32_t)size > v->vram_size - addr) return;
    uint8_t *p = v->vram + addr;
    if (size == 4)
        store_le32(p, val);
    else if (size == 2)
        store_le16(p, (uint16_t)val);
    else
        p[0] = (uint8_t)val;
    vga_mark_dirty(v, addr, (uint32_t)size);
}

static const struct io_ops lfb_ops = {lfb_read, lfb_write};

bool vga_map_lfb(struct vga *v, struct bus *b, uint32_t base)
{
    return bus_map_mmio(b, base, v->vram_size, &lfb_ops, v);
}
