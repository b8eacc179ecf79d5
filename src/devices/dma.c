/* SPDX-License-Identifier: MIT */
/*
 * The AT's two 8237A DMA controllers and page registers (see dma.h). The
 * chips are modelled at the register level: base/current address and count,
 * the byte-pointer flip-flop, mode, mask, request, command and status. Data
 * moves only when a device calls dma_transfer(), so demand, single and block
 * modes behave alike (a device keeps DREQ until it has what it needs).
 * Memory-to-memory transfers and software-requested cycles are not modelled
 * (logged as STUB). Follows the Intel 8237A datasheet (231466), "Register
 * Description" and "Software Commands", and the IBM PC AT Technical Reference.
 */
#include "devices/dma.h"

#include <string.h>

#include "common/log.h"

/* Mode register fields. */
#define MODE_TYPE(m)  (((m) >> 2) & 3)
#define MODE_AUTOINIT 0x10
#define MODE_DEC      0x20
#define MODE_SEL(m)   (((m) >> 6) & 3)

enum { TYPE_VERIFY, TYPE_WRITE, TYPE_READ, TYPE_ILLEGAL };
enum { SEL_DEMAND, SEL_SINGLE, SEL_BLOCK, SEL_CASCADE };

/* Command register bits. */
#define CMD_MEM2MEM  0x01
#define CMD_DISABLE  0x04
#define CMD_DREQ_LOW 0x40
#define CMD_DACK_HI  0x80

/* Page register ports and the channel each serves, as wired on the AT. */
static const struct {
    uint16_t port;
    uint8_t count;
} page_ranges[] = {{0x81, 3}, {0x87, 1}, {0x89, 3}, {0x8f, 1}};

static int page_port_chan(uint16_t port)
{
    switch (port) {
    case 0x87: return 0;
    case 0x83: return 1;
    case 0x81: return 2;
    case 0x82: return 3;
    case 0x8f: return 4;
    case 0x8b: return 5;
    case 0x89: return 6;
    case 0x8a: return 7;
    default: return -1;
    }
}

static void reset_ctrl(struct dma_ctrl *c)
{
    c->command = 0;
    c->status_tc = 0;
    c->soft_req = 0;
    c->flip_flop = false;
    c->mask = 0x0f;
}

bool dma_channel_ready(const struct dma *d, int chan)
{
    if (chan < 0 || chan >= DMA_CHANNELS || chan == 4) return false;
    const struct dma_ctrl *c = &d->ctrl[chan >> 2];
    int i = chan & 3;
    if ((c->command & CMD_DISABLE) || (c->mask >> i & 1) || MODE_SEL(c->ch[i].mode) == SEL_CASCADE)
        return false;
    if (chan < 4) {
        /* The 8-bit chip gets the bus only through channel 4 of the 16-bit one. */
        const struct dma_ctrl *m = &d->ctrl[1];
        if ((m->command & CMD_DISABLE) || (m->mask & 1) || MODE_SEL(m->ch[0].mode) != SEL_CASCADE)
            return false;
    }
    return true;
}

/* Tell devices holding DREQ that their channel has just become serviceable. */
static void notify_ready(struct dma *d)
{
    for (int chan = 0; chan < DMA_CHANNELS; chan++) {
        bool now = dma_channel_ready(d, chan);
        bool was = d->ready_before[chan];
        d->ready_before[chan] = now;
        if (now && !was && (d->drq >> chan & 1) && d->ready[chan])
            d->ready[chan](d->ready_opaque[chan]);
    }
}

static uint8_t ctrl_read(struct dma *d, int ci, int reg)
{
    struct dma_ctrl *c = &d->ctrl[ci];
    if (reg < 8) {
        struct dma_chan *ch = &c->ch[reg >> 1];
        uint16_t v = (reg & 1) ? ch->count : ch->addr;
        uint8_t byte = c->flip_flop ? (uint8_t)(v >> 8) : (uint8_t)v;
        c->flip_flop = !c->flip_flop;
        return byte;
    }
    switch (reg) {
    case 8: { /* status: TC bits clear on read; request bits follow DREQ */
        uint8_t req = (uint8_t)(((d->drq >> (ci * 4)) | c->soft_req) & 0x0f);
        uint8_t v = (uint8_t)(c->status_tc | req << 4);
        c->status_tc = 0;
        return v;
    }
    case 13: return 0; /* temporary register: only memory-to-memory fills it */
    case 15: return (uint8_t)(0xf0 | c->mask); /* readable on later 8237 derivatives */
    default:
        log_msg(LOG_GUEST, "dma", "read of write-only register %d of controller %d", reg, ci);
        return 0xff;
    }
}

static void ctrl_write(struct dma *d, int ci, int reg, uint8_t v)
{
    struct dma_ctrl *c = &d->ctrl[ci];
    if (reg < 8) {
        struct dma_chan *ch = &c->ch[reg >> 1];
        uint16_t *base = (reg & 1) ? &ch->base_count : &ch->base_addr;
        if (c->flip_flop)
            *base = (uint16_t)((*base & 0x00ff) | v << 8);
        else
            *base = (uint16_t)((*base & 0xff00) | v);
        /* Writing a base register writes the current register too. */
        if (reg & 1)
            ch->count = *base;
        else
            ch->addr = *base;
        c->flip_flop = !c->flip_flop;
        return;
    }
    switch (reg) {
    case 8:
        c->command = v;
        if (v & (CMD_MEM2MEM | CMD_DREQ_LOW | CMD_DACK_HI))
            log_msg(LOG_STUB, "dma",
                    "command %02x: memory-to-memory and DREQ/DACK polarity "
                    "are not modelled",
                    v);
        break;
    case 9:
        if (v & 4)
            c->soft_req |= (uint8_t)(1u << (v & 3));
        else
            c->soft_req &= (uint8_t) ~(1u << (v & 3));
        if (v & 4)
            log_msg(LOG_STUB, "dma", "software request on channel %d moves no data",
                    ci * 4 + (v & 3));
        break;
    case 10:
        if (v & 4)
            c->mask |= (uint8_t)(1u << (v & 3));
        else
            c->mask &= (uint8_t) ~(1u << (v & 3));
        break;
    case 11: c->ch[v & 3].mode = v & 0xfc; break;
    case 12: c->flip_flop = false; break;
    case 13: reset_ctrl(c); break; /* master clear */
    case 14: c->mask = 0; break;
    case 15: c->mask = v & 0x0f; break;
    default: break;
    }
    notify_ready(d);
}

/* The two chips' port handlers: the 16-bit chip decodes address bits 4-1. */

static uint32_t io_read(void *opaque, uint32_t addr, int size, int ci)
{
    struct dma *d = opaque;
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        uint32_t a = addr + (uint32_t)i;
        int reg = ci ? (int)(a >> 1) & 15 : (int)a & 15;
        v |= (uint32_t)ctrl_read(d, ci, reg) << (8 * i);
    }
    return v;
}

static void io_write(void *opaque, uint32_t addr, int size, uint32_t val, int ci)
{
    struct dma *d = opaque;
    for (int i = 0; i < size; i++) {
        uint32_t a = addr + (uint32_t)i;
        int reg = ci ? (int)(a >> 1) & 15 : (int)a & 15;
        ctrl_write(d, ci, reg, (uint8_t)(val >> (8 * i)));
    }
}

static uint32_t dma8_read(void *opaque, uint32_t addr, int size)
{
    return io_read(opaque, addr, size, 0);
}

static void dma8_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    io_write(opaque, addr, size, val, 0);
}

static uint32_t dma16_read(void *opaque, uint32_t addr, int size)
{
    return io_read(opaque, addr, size, 1);
}

static void dma16_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    io_write(opaque, addr, size, val, 1);
}

/* Page registers: 'addr' is relative to 80h, so one handler serves every range. */
static uint32_t page_read(void *opaque, uint32_t addr, int size)
{
    struct dma *d = opaque;
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        int chan = page_port_chan((uint16_t)(0x80 + addr + (uint32_t)i));
        v |= (uint32_t)(chan < 0 ? 0xff : d->page[chan]) << (8 * i);
    }
    return v;
}

static void page_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct dma *d = opaque;
    for (int i = 0; i < size; i++) {
        int chan = page_port_chan((uint16_t)(0x80 + addr + (uint32_t)i));
        if (chan >= 0) d->page[chan] = (uint8_t)(val >> (8 * i));
    }
}

static const struct io_ops dma8_ops = {dma8_read, dma8_write};
static const struct io_ops dma16_ops = {dma16_read, dma16_write};

/* Per-range page handlers, each adding its range's offset from 80h. */
static uint32_t page81_read(void *o, uint32_t a, int s)
{
    return page_read(o, a + 1, s);
}
static uint32_t page87_read(void *o, uint32_t a, int s)
{
    return page_read(o, a + 7, s);
}
static uint32_t page89_read(void *o, uint32_t a, int s)
{
    return page_read(o, a + 9, s);
}
static uint32_t page8f_read(void *o, uint32_t a, int s)
{
    return page_read(o, a + 15, s);
}
static void page81_write(void *o, uint32_t a, int s, uint32_t v)
{
    page_write(o, a + 1, s, v);
}
static void page87_write(void *o, uint32_t a, int s, uint32_t v)
{
    page_write(o, a + 7, s, v);
}
static void page89_write(void *o, uint32_t a, int s, uint32_t v)
{
    page_write(o, a + 9, s, v);
}
static void page8f_write(void *o, uint32_t a, int s, uint32_t v)
{
    page_write(o, a + 15, s, v);
}

static const struct io_ops page_ops[] = {
    {page81_read, page81_write},
    {page87_read, page87_write},
    {page89_read, page89_write},
    {page8f_read, page8f_write},
};

bool dma_init(struct dma *d, struct bus *b, dma_mem_fn mem, void *mem_opaque)
{
    memset(d, 0, sizeof(*d));
    reset_ctrl(&d->ctrl[0]);
    reset_ctrl(&d->ctrl[1]);
    d->mem = mem;
    d->mem_opaque = mem_opaque;
    if (!bus_map_io(b, 0x00, 16, &dma8_ops, d) || !bus_map_io(b, 0xc0, 32, &dma16_ops, d))
        return false;
    for (size_t i = 0; i < KILN_ARRAY_SIZE(page_ranges); i++)
        if (!bus_map_io(b, page_ranges[i].port, page_ranges[i].count, &page_ops[i], d))
            return false;
    return true;
}

void dma_attach(struct dma *d, int chan, dma_ready_fn ready, void *opaque)
{
    if (chan < 0 || chan >= DMA_CHANNELS) return;
    d->ready[chan] = ready;
    d->ready_opaque[chan] = opaque;
}

void dma_set_drq(struct dma *d, int chan, bool level)
{
    if (chan < 0 || chan >= DMA_CHANNELS) return;
    if (level)
        d->drq |= (uint8_t)(1u << chan);
    else
        d->drq &= (uint8_t) ~(1u << chan);
}

/* Physical address of 'addr' on 'chan': 8-bit channels put the page in
 * A23-A16; 16-bit ones shift the word address left and take A23-A17 from the
 * page, whose bit 0 is unused. */
static uint32_t chan_phys(const struct dma *d, int chan, uint16_t addr)
{
    if (chan < 4) return (uint32_t)d->page[chan] << 16 | addr;
    return (uint32_t)(d->page[chan] & 0xfe) << 16 | (uint32_t)addr << 1;
}

uint32_t dma_address(const struct dma *d, int chan)
{
    if (chan < 0 || chan >= DMA_CHANNELS) return 0;
    return chan_phys(d, chan, d->ctrl[chan >> 2].ch[chan & 3].addr);
}

uint32_t dma_remaining(const struct dma *d, int chan)
{
    if (chan < 0 || chan >= DMA_CHANNELS) return 0;
    return (uint32_t)d->ctrl[chan >> 2].ch[chan & 3].count + 1;
}

int dma_transfer(struct dma *d, int chan, void *buf, int len, bool to_memory, bool *tc)
{
    if (tc) *tc = false;
    if (!buf || len <= 0) return 0;
    if (!dma_channel_ready(d, chan)) {
        if (chan >= 0 && chan < 4 && !d->warned_cascade && !(d->ctrl[0].mask >> chan & 1)) {
            d->warned_cascade = true;
            log_msg(LOG_GUEST, "dma",
                    "channel %d unmasked but channel 4 is not an unmasked "
                    "cascade: no transfer",
                    chan);
        }
        return 0;
    }
    struct dma_ctrl *c = &d->ctrl[chan >> 2];
    struct dma_chan *ch = &c->ch[chan & 3];
    int type = MODE_TYPE(ch->mode);
    bool dec = ch->mode & MODE_DEC;
    int unit = chan >= 4 ? 2 : 1;
    bool moves = to_memory ? type == TYPE_WRITE : type == TYPE_READ;
    if (!moves && type != TYPE_VERIFY)
        log_msg(LOG_GUEST, "dma",
                "channel %d mode %02x disagrees with the device's direction; "
                "nothing moved",
                chan, ch->mode);
    uint8_t *p = buf;
    int done = 0;
    while (len - done >= unit) {
        uint32_t remaining = (uint32_t)ch->count + 1;
        uint32_t n = (uint32_t)((len - done) / unit);
        if (n > remaining) n = remaining;
        if (dec)
            n = 1; /* each unit at a lower address: one call per unit */
        else if (n > 0x10000u - ch->addr)
            n = 0x10000u - ch->addr; /* the address counter wraps inside its page */
        size_t bytes = (size_t)n * (size_t)unit;
        if (moves && d->mem)
            d->mem(d->mem_opaque, chan_phys(d, chan, ch->addr), p + done, bytes, to_memory);
        else if (!to_memory)
            memset(p + done, 0xff, bytes);
        ch->addr = (uint16_t)(dec ? ch->addr - n : ch->addr + n);
        ch->count = (uint16_t)(ch->count - n);
        done += (int)bytes;
        if (n == remaining) {
            /* Terminal count: the count rolled over from 0 to FFFFh. */
            c->status_tc |= (uint8_t)(1u << (chan & 3));
            if (ch->mode & MODE_AUTOINIT) {
                ch->addr = ch->base_addr;
                ch->count = ch->base_count;
            } else {
                c->mask |= (uint8_t)(1u << (chan & 3));
                d->ready_before[chan] = false;
            }
            if (tc) *tc = true;
            break;
        }
    }
    return done;
}
