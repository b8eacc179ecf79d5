/* SPDX-License-Identifier: MIT */
/*
 * The 8259A pair (see pic.h): ICW1-4, OCW1-3, priority resolution with
 * rotation, special mask and special fully nested modes, auto-EOI, poll, the
 * INTA cycle with cascade and spurious IR7, edge and level triggering. Owns
 * only struct pic; never touches the CPU. Follows the Intel 8259A datasheet
 * (231468); the ELCR follows the 82371SB (PIIX3) datasheet, section 4.1.
 */
#include "devices/pic.h"

#include "common/log.h"

#define PIC_MASTER 0
#define PIC_SLAVE  1

/* 8259A "edge and level triggered modes": in both modes the IR input must
 * stay high until the first INTA; a request that goes away earlier leaves
 * nothing to acknowledge and INTA answers with IR7. Edge mode is modelled as
 * the datasheet's priority cell: a rising edge sets the edge-sense latch, and
 * the request is the latch AND the input level. irq_pulse() (irq.h) drives a
 * pulse of zero guest time, which no INTA could ever fall inside; the chip
 * reads such a pulse as one held for the minimum width, i.e. until INTA
 * ('hold'). A request that stayed high for some guest time and then dropped
 * has really gone away. */

static uint8_t chip_irr(const struct pic_chip *c)
{
    uint8_t lvl = c->ltim ? 0xff : c->elcr;
    return (uint8_t)((c->edge & (c->level | c->hold) & ~lvl) | (c->level & lvl));
}

/* Rank of 'ir' after rotation: 0 is the highest priority. */
static int chip_rank(const struct pic_chip *c, int ir)
{
    return (ir - c->lowest - 1) & 7;
}

/* The IR of highest priority among 'bits', or -1. */
static int chip_highest(const struct pic_chip *c, uint8_t bits)
{
    for (int r = 0; r < 8; r++) {
        int ir = (c->lowest + 1 + r) & 7;
        if (bits & (1u << ir))
            return ir;
    }
    return -1;
}

static bool chip_is_cascade(const struct pic_chip *c, bool master, int ir)
{
    return master && !c->single && (c->icw3 & (1u << ir));
}

/* The request the chip signals on INT, or -1: the highest unmasked request
 * that outranks everything in service. In special mask mode a masked level in
 * service no longer blocks others; in special fully nested mode the master
 * lets a slave's line interrupt its own in-service level. */
static int chip_request(const struct pic_chip *c, bool master)
{
    int req = chip_highest(c, chip_irr(c) & ~c->imr);
    if (req < 0)
        return -1;
    uint8_t isr = c->special_mask ? (uint8_t)(c->isr & ~c->imr) : c->isr;
    int srv = chip_highest(c, isr);
    if (srv < 0 || chip_rank(c, req) < chip_rank(c, srv))
        return req;
    if (req == srv && c->sfnm && chip_is_cascade(c, master, req))
        return req;
    return -1;
}

static void chip_input(struct pic_chip *c, int ir, bool level, uint64_t now)
{
    uint8_t m = (uint8_t)(1u << ir);
    if (level && !(c->level & m)) {
        c->level |= m;
        c->edge |= m;
        c->hold &= (uint8_t)~m;
        c->rise_ns[ir] = now;
    } else if (!level && (c->level & m)) {
        c->level &= (uint8_t)~m;
        if ((c->edge & m) && c->rise_ns[ir] == now)
            c->hold |= m;
    }
}

/* Latch 'ir' into service as the last INTA pulse (or a poll read) does. */
static void chip_take(struct pic_chip *c, int ir, bool auto_eoi)
{
    uint8_t m = (uint8_t)(1u << ir);
    c->edge &= (uint8_t)~m;
    c->hold &= (uint8_t)~m;
    if (!auto_eoi)
        c->isr |= m;
    else if (c->rotate_aeoi)
        c->lowest = (uint8_t)ir;
}

/* Recompute the slave's INT (the master's IR2) and the master's INTR. */
static void pic_update(struct pic *p)
{
    struct pic_chip *m = &p->chip[PIC_MASTER], *s = &p->chip[PIC_SLAVE];
    s->int_out = chip_request(s, false) >= 0;
    chip_input(m, 2, s->int_out, clock_now(p->clock));
    m->int_out = chip_request(m, true) >= 0;
    if (m->int_out != p->intr_level) {
        p->intr_level = m->int_out;
        irq_set(&p->intr, m->int_out);
    }
}

static void pic_set_irq(void *opaque, int n, bool level)
{
    struct pic *p = opaque;
    if (n < 0 || n > 15 || n == 2)
        return;
    chip_input(&p->chip[n >> 3], n & 7, level, clock_now(p->clock));
    pic_update(p);
}

struct irq_line pic_irq(struct pic *p, int n)
{
    if (n < 0 || n > 15)
        return (struct irq_line){NULL, NULL, 0};
    return (struct irq_line){pic_set_irq, p, n == 2 ? 9 : n};
}

bool pic_intr_pending(const struct pic *p)
{
    return p->chip[PIC_MASTER].int_out;
}

uint8_t pic_acknowledge(struct pic *p)
{
    struct pic_chip *m = &p->chip[PIC_MASTER], *s = &p->chip[PIC_SLAVE];
    uint8_t vec;
    int ir = chip_request(m, true);
    if (ir < 0) {
        log_msg(LOG_GUEST, "pic", "INTA with no request: spurious IRQ 7");
        vec = m->base | 7;
    } else if (chip_is_cascade(m, true, ir)) {
        chip_take(m, ir, m->aeoi);
        if (ir != 2 || (s->icw3 & 7) != 2) {
            /* No slave answers on this line: the data bus floats. */
            log_msg(LOG_GUEST, "pic", "cascade on IR%d has no slave with that ID", ir);
            vec = 0xff;
        } else {
            int sir = chip_request(s, false);
            if (sir < 0) {
                log_msg(LOG_GUEST, "pic", "INTA with no request: spurious IRQ 15");
                vec = s->base | 7;
            } else {
                chip_take(s, sir, s->aeoi);
                vec = (uint8_t)(s->base | sir);
            }
        }
    } else {
        chip_take(m, ir, m->aeoi);
        vec = (uint8_t)(m->base | ir);
    }
    pic_update(p);
    return vec;
}

/* ICW1: starts the sequence and resets what the datasheet lists: IMR, edge
 * sense, priority (IR7 lowest), special mask, read select, and ICW4's modes
 * when IC4 is 0. ISR is not on the list and survives. */
static void pic_icw1(struct pic_chip *c, uint8_t v)
{
    c->need_icw4 = v & 0x01;
    c->single = v & 0x02;
    c->ltim = v & 0x08;
    c->init_step = 2;
    c->imr = 0;
    c->edge = c->hold = 0;
    c->lowest = 7;
    c->special_mask = c->read_isr = c->poll = false;
    if (!c->need_icw4) {
        c->aeoi = c->sfnm = false;
        log_msg(LOG_STUB, "pic", "ICW1 without ICW4 selects MCS-80 mode; run as 8086 mode");
    }
}

static void pic_icw4(struct pic_chip *c, uint8_t v)
{
    if (!(v & 0x01))
        log_msg(LOG_STUB, "pic", "ICW4 selects MCS-80 mode; run as 8086 mode");
    c->aeoi = v & 0x02;
    c->sfnm = v & 0x10;
    /* BUF and M/S describe the board's wiring, which is fixed on the AT. */
}

static void pic_ocw2(struct pic_chip *c, uint8_t v)
{
    int l = v & 7;
    int ir;
    switch (v >> 5) {
    case 0: c->rotate_aeoi = false; break;
    case 4: c->rotate_aeoi = true; break;
    case 2: break; /* no operation */
    case 1:        /* non-specific EOI */
    case 5:        /* rotate on non-specific EOI */
        ir = chip_highest(c, c->isr);
        if (ir >= 0) {
            c->isr &= (uint8_t)~(1u << ir);
            if (v & 0x80)
                c->lowest = (uint8_t)ir;
        }
        break;
    case 3: c->isr &= (uint8_t)~(1u << l); break; /* specific EOI */
    case 7:                                       /* rotate on specific EOI */
        c->isr &= (uint8_t)~(1u << l);
        c->lowest = (uint8_t)l;
        break;
    case 6: c->lowest = (uint8_t)l; break; /* set priority */
    }
}

static void pic_ocw3(struct pic_chip *c, uint8_t v)
{
    if (v & 0x80)
        log_msg(LOG_GUEST, "pic", "OCW3 with bit 7 set (%#x)", v);
    if (v & 0x40)
        c->special_mask = v & 0x20;
    if (v & 0x04)
        c->poll = true;
    if (v & 0x02)
        c->read_isr = v & 0x01;
}

static void pic_write_byte(struct pic *p, int idx, uint32_t port, uint8_t v)
{
    struct pic_chip *c = &p->chip[idx];
    if (port == 0) {
        if (v & 0x10)
            pic_icw1(c, v);
        else if (v & 0x08)
            pic_ocw3(c, v);
        else
            pic_ocw2(c, v);
    } else {
        switch (c->init_step) {
        case 2:
            c->base = v & 0xf8;
            c->init_step = !c->single ? 3 : c->need_icw4 ? 4 : 0;
            break;
        case 3:
            c->icw3 = v;
            c->init_step = c->need_icw4 ? 4 : 0;
            break;
        case 4:
            pic_icw4(c, v);
            c->init_step = 0;
            break;
        default: c->imr = v; break; /* OCW1 */
        }
    }
    pic_update(p);
}

static uint8_t pic_read_byte(struct pic *p, int idx, uint32_t port)
{
    struct pic_chip *c = &p->chip[idx];
    if (port != 0)
        return c->imr;
    if (c->poll) {
        /* Poll: this read is the acknowledge; bit 7 says whether there was a request. */
        c->poll = false;
        int ir = chip_request(c, idx == PIC_MASTER);
        if (ir < 0)
            return 0;
        chip_take(c, ir, false);
        pic_update(p);
        return (uint8_t)(0x80 | ir);
    }
    return c->read_isr ? c->isr : chip_irr(c);
}

static uint32_t pic_io_read(struct pic *p, int idx, uint32_t addr, int size)
{
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        uint32_t port = addr + (uint32_t)i;
        uint8_t b = idx < 2 ? pic_read_byte(p, idx, port) : p->chip[port].elcr;
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

static void pic_io_write(struct pic *p, int idx, uint32_t addr, int size, uint32_t val)
{
    for (int i = 0; i < size; i++) {
        uint32_t port = addr + (uint32_t)i;
        uint8_t b = (uint8_t)(val >> (8 * i));
        if (idx < 2) {
            pic_write_byte(p, idx, port, b);
        } else {
            p->chip[port].elcr = b & p->chip[port].elcr_mask;
            pic_update(p);
        }
    }
}

static uint32_t master_read(void *o, uint32_t a, int s)
{
    return pic_io_read(o, PIC_MASTER, a, s);
}

static void master_write(void *o, uint32_t a, int s, uint32_t v)
{
    pic_io_write(o, PIC_MASTER, a, s, v);
}

static uint32_t slave_read(void *o, uint32_t a, int s)
{
    return pic_io_read(o, PIC_SLAVE, a, s);
}

static void slave_write(void *o, uint32_t a, int s, uint32_t v)
{
    pic_io_write(o, PIC_SLAVE, a, s, v);
}

static uint32_t elcr_read(void *o, uint32_t a, int s)
{
    return pic_io_read(o, 2, a, s);
}

static void elcr_write(void *o, uint32_t a, int s, uint32_t v)
{
    pic_io_write(o, 2, a, s, v);
}

static const struct io_ops pic_master_ops = {master_read, master_write};
static const struct io_ops pic_slave_ops = {slave_read, slave_write};
static const struct io_ops pic_elcr_ops = {elcr_read, elcr_write};

bool pic_init(struct pic *p, struct bus *b, const struct clock *c, struct irq_line intr)
{
    *p = (struct pic){.clock = c, .intr = intr};
    for (int i = 0; i < 2; i++) {
        p->chip[i].imr = 0xff;
        p->chip[i].lowest = 7;
    }
    /* PIIX3 ELCR: IRQ 0, 1, 2, 8 and 13 are edge-only (their bits are reserved). */
    p->chip[PIC_MASTER].elcr_mask = 0xf8;
    p->chip[PIC_SLAVE].elcr_mask = 0xde;
    return bus_map_io(b, 0x20, 2, &pic_master_ops, p) &&
           bus_map_io(b, 0xa0, 2, &pic_slave_ops, p) && bus_map_io(b, 0x4d0, 2, &pic_elcr_ops, p);
}
