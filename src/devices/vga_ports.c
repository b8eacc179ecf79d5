/* SPDX-License-Identifier: MIT */
/*
 * The VGA's I/O ports (see vga.h): miscellaneous output, feature control,
 * input status, and the index/data pairs of the sequencer, CRT controller,
 * graphics controller, attribute controller (with its flip-flop) and DAC
 * (with its three-step RGB sequence). Registers that change how memory is
 * reached call vga_access_update(); the renderer reads the rest as stored.
 * Follows the IBM VGA Technical Reference, "Registers", and FreeVGA.
 */
#include "devices/vga_priv.h"

#include <string.h>

#include "common/log.h"

/* Bits the IBM VGA implements in the attribute registers 10h-14h. */
static const uint8_t ac_masks[0x15] = {
    0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f,
    0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0xef, 0xff, 0x3f, 0x0f, 0x0f,
};

static uint32_t dac_expand6(uint8_t x)
{
    x &= 0x3f;
    return (uint32_t)(x << 2 | x >> 4);
}

void vga_dac_refresh(struct vga *v, int index)
{
    const uint8_t *e = v->dac[index];
    if (v->vbe.enable & VBE_DISPI_8BIT_DAC)
        v->dac_rgb[index] = (uint32_t)e[0] << 16 | (uint32_t)e[1] << 8 | e[2];
    else
        v->dac_rgb[index] = dac_expand6(e[0]) << 16 | dac_expand6(e[1]) << 8 | dac_expand6(e[2]);
}

static uint8_t dac_width_mask(const struct vga *v)
{
    return v->vbe.enable & VBE_DISPI_8BIT_DAC ? 0xff : 0x3f;
}

/* 3C9 write: red, green, blue; the third completes the entry and advances the index. */
static void dac_write(struct vga *v, uint8_t val)
{
    v->dac_buf[v->dac_step++] = val & dac_width_mask(v);
    if (v->dac_step < 3) return;
    memcpy(v->dac[v->dac_write_index], v->dac_buf, 3);
    vga_dac_refresh(v, v->dac_write_index);
    v->dac_write_index++;
    v->dac_step = 0;
}

/* 3C9 read: red, green, blue of the read index, then on to the next entry. */
static uint8_t dac_read(struct vga *v)
{
    uint8_t r = v->dac[v->dac_read_index][v->dac_step] & dac_width_mask(v);
    if (++v->dac_step == 3) {
        v->dac_step = 0;
        v->dac_read_index++;
    }
    return r;
}

static void seq_write(struct vga *v, uint8_t val)
{
    uint8_t i = v->seq_index;
    v->seq[i] = val;
    if (i > SEQ_MEM_MODE)
        log_msg(LOG_STUB, VGA_LOG, "sequencer register %u (not on the IBM VGA) = %#x", i, val);
    if (i == SEQ_CLOCKING && (val & 0x14))
        log_msg(LOG_STUB, VGA_LOG, "clocking mode %#x: shift load / shift 4 are not modelled", val);
    if (i == SEQ_MAP_MASK || i == SEQ_MEM_MODE) vga_access_update(v);
    if (i != SEQ_MAP_MASK) v->regs_dirty = true;
}

static void crtc_write(struct vga *v, uint8_t val)
{
    uint8_t i = v->crtc_index;
    if (i <= CRTC_OVERFLOW && (v->crtc[CRTC_V_RETRACE_END] & CRTC_VRE_PROTECT)) {
        /* Write-protected; only the line compare bit 8 of the overflow register gets through. */
        if (i == CRTC_OVERFLOW)
            v->crtc[i] = (uint8_t)((v->crtc[i] & ~0x10) | (val & 0x10));
        else
            log_msg(LOG_GUEST, VGA_LOG, "write to protected CRTC register %u ignored", i);
        v->regs_dirty = true;
        return;
    }
    if (i == CRTC_V_RETRACE_END && !(v->crtc[i] & CRTC_VRE_VINT_CLR) && (val & CRTC_VRE_VINT_CLR))
        v->vint_armed_ns = clock_now(v->clock);
    if (i > CRTC_LINE_COMPARE)
        log_msg(LOG_STUB, VGA_LOG, "CRTC register %#x (not on the IBM VGA) = %#x", i, val);
    v->crtc[i] = val;
    v->regs_dirty = true;
}

static void gc_write(struct vga *v, uint8_t val)
{
    uint8_t i = v->gc_index;
    if (i > GC_BIT_MASK)
        log_msg(LOG_STUB, VGA_LOG, "graphics register %u (not on the IBM VGA) = %#x", i, val);
    v->gc[i] = val;
    vga_access_update(v);
    if (i == GC_MODE || i == GC_MISC) v->regs_dirty = true;
}

/* 3C0 write: an index or data, as the flip-flop says; each write toggles it. */
static void ac_write(struct vga *v, uint8_t val)
{
    v->ac_flipflop = !v->ac_flipflop;
    v->regs_dirty = true;
    if (v->ac_flipflop) {
        v->ac_index = val & 0x3f;
        return;
    }
    uint8_t i = v->ac_index & 0x1f;
    if (i == AC_MODE &&
        (val & (AC_MODE_GRAPHICS | AC_MODE_BLINK)) == (AC_MODE_GRAPHICS | AC_MODE_BLINK))
        log_msg(LOG_STUB, VGA_LOG, "blinking in graphics modes is not drawn");
    if (i == AC_OVERSCAN && val)
        log_msg(LOG_STUB, VGA_LOG, "overscan colour %#x: the border is not drawn", val);
    if (i < KILN_ARRAY_SIZE(ac_masks)) {
        v->ac[i] = val & ac_masks[i];
    } else {
        log_msg(LOG_STUB, VGA_LOG, "attribute register %#x (not on the IBM VGA) = %#x", i, val);
        v->ac[i] = val;
    }
}

/* The CRTC and status 1 answer at 3Bx or 3Dx as misc output bit 0 selects. */
static int crtc_port(const struct vga *v, uint16_t port)
{
    uint16_t base = v->misc & MISC_IO_COLOR ? 0x3d0 : 0x3b0;
    return port >= base && port <= base + 0xf ? port - base : -1;
}

static uint8_t port_read(struct vga *v, uint16_t port)
{
    switch (port) {
    case 0x3c0: return v->ac_index;
    case 0x3c1: return v->ac[v->ac_index & 0x1f];
    case 0x3c2: return vga_status0(v);
    case 0x3c3: return v->subsys_enable;
    case 0x3c4: return v->seq_index;
    case 0x3c5: return v->seq[v->seq_index];
    case 0x3c6: return v->dac_mask;
    case 0x3c7: return v->dac_state;
    case 0x3c8: return v->dac_write_index;
    case 0x3c9: return dac_read(v);
    case 0x3ca: return v->feature;
    case 0x3cc: return v->misc;
    case 0x3ce: return v->gc_index;
    case 0x3cf: return v->gc[v->gc_index];
    }
    switch (crtc_port(v, port)) {
    case 0x4: return v->crtc_index;
    case 0x5: return v->crtc[v->crtc_index];
    case 0xa: return vga_status1(v);
    }
    return 0xff;
}

static void port_write(struct vga *v, uint16_t port, uint8_t val)
{
    switch (port) {
    case 0x3c0: ac_write(v, val); return;
    case 0x3c1: log_msg(LOG_GUEST, VGA_LOG, "write to read-only port 3C1 ignored"); return;
    case 0x3c2:
        if ((val & MISC_CLOCK_SEL) >= 0x08)
            log_msg(LOG_STUB, VGA_LOG, "external dot clock selected: timed as 25.175 MHz");
        v->misc = val;
        vga_access_update(v);
        v->regs_dirty = true;
        return;
    case 0x3c3: v->subsys_enable = val & 1; return;
    case 0x3c4: v->seq_index = val & 0x07; return;
    case 0x3c5: seq_write(v, val); return;
    case 0x3c6:
        v->dac_mask = val;
        v->regs_dirty = true;
        return;
    case 0x3c7:
        v->dac_read_index = val;
        v->dac_step = 0;
        v->dac_state = 0x03;
        return;
    case 0x3c8:
        v->dac_write_index = val;
        v->dac_step = 0;
        v->dac_state = 0x00;
        return;
    case 0x3c9:
        dac_write(v, val);
        v->regs_dirty = true;
        return;
    case 0x3ce: v->gc_index = val & 0x0f; return;
    case 0x3cf: gc_write(v, val); return;
    }
    switch (crtc_port(v, port)) {
    case 0x4: v->crtc_index = val & 0x1f; return;
    case 0x5: crtc_write(v, val); return;
    case 0xa: v->feature = val; return;
    }
}

/* Wide accesses reach the 8-bit registers a byte at a time, low port first:
 * OUT DX, AX to 3C4 writes the index, then the data at 3C5. */
static uint32_t ports_read(struct vga *v, uint16_t port, int size)
{
    uint32_t r = 0;
    for (int i = 0; i < size; i++)
        r |= (uint32_t)port_read(v, (uint16_t)(port + i)) << (8 * i);
    return r;
}

static void ports_write(struct vga *v, uint16_t port, int size, uint32_t val)
{
    for (int i = 0; i < size; i++)
        port_write(v, (uint16_t)(port + i), (uint8_t)(val >> (8 * i)));
}

static uint32_t read_3b0(void *o, uint32_t addr, int size)
{
    return ports_read(o, (uint16_t)(0x3b0 + addr), size);
}

static void write_3b0(void *o, uint32_t addr, int size, uint32_t val)
{
    ports_write(o, (uint16_t)(0x3b0 + addr), size, val);
}

static uint32_t read_3c0(void *o, uint32_t addr, int size)
{
    return ports_read(o, (uint16_t)(0x3c0 + addr), size);
}

static void write_3c0(void *o, uint32_t addr, int size, uint32_t val)
{
    ports_write(o, (uint16_t)(0x3c0 + addr), size, val);
}

static uint32_t read_3d0(void *o, uint32_t addr, int size)
{
    return ports_read(o, (uint16_t)(0x3d0 + addr), size);
}

static void write_3d0(void *o, uint32_t addr, int size, uint32_t val)
{
    ports_write(o, (uint16_t)(0x3d0 + addr), size, val);
}

static const struct io_ops ops_3b0 = {read_3b0, write_3b0};
static const struct io_ops ops_3c0 = {read_3c0, write_3c0};
static const struct io_ops ops_3d0 = {read_3d0, write_3d0};

bool vga_map_vga_ports(struct vga *v, struct bus *b)
{
    /* 3BC-3BF stay free for the parallel port that MDA-era machines put there. */
    return bus_map_io(b, 0x3b0, 0xc, &ops_3b0, v) && bus_map_io(b, 0x3c0, 0x10, &ops_3c0, v) &&
           bus_map_io(b, 0x3d0, 0x10, &ops_3d0, v);
}
