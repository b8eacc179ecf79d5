/* SPDX-License-Identifier: MIT */
/*
 * The 8254 (see pit.h): all six modes, binary and BCD, the read/write
 * flip-flops, counter latch and read-back commands, GATE, and port 61h.
 * Counts are never stepped: a counter is a formula of the tick number
 * (1.193182 MHz from guest ns), and a clock timer is armed for the next OUT
 * edge only where OUT drives a line. Owns only struct pit. Follows the Intel
 * 8254 datasheet (231164), "Operation" and "Modes 0-5".
 */
#include "devices/pit.h"

#include "common/log.h"

#define PIT_NO_TICK INT64_MAX
#define NS_PER_S    1000000000u

/* Tick count of CLK falling edges up to 'ns'; exact for any 64-bit ns. */
static int64_t ns_to_tick(uint64_t ns)
{
    return (int64_t)((ns / NS_PER_S) * PIT_HZ + (ns % NS_PER_S) * PIT_HZ / NS_PER_S);
}

/* The first ns at which tick 'k' has happened (so ns_to_tick(tick_to_ns(k)) == k). */
static uint64_t tick_to_ns(int64_t k)
{
    uint64_t q = (uint64_t)k / PIT_HZ, r = (uint64_t)k % PIT_HZ;
    return q * NS_PER_S + (r * NS_PER_S + PIT_HZ - 1) / PIT_HZ;
}

static int64_t pit_tick(const struct pit *p)
{
    return ns_to_tick(clock_now(p->clock));
}

static uint32_t ctr_modulus(const struct pit_counter *c)
{
    return c->bcd ? 10000 : 65536;
}

/* Clocks counted since CE was loaded (RUN, HOLD). */
static int64_t ctr_k(const struct pit_counter *c, int64_t t)
{
    int64_t k = c->state == PIT_RUN ? t - c->origin : c->elapsed;
    return k < 0 ? 0 : k;
}

/* The value in the counting element at tick 't', in binary (0..65535 / 9999). */
static uint32_t ctr_count(const struct pit_counter *c, int64_t t)
{
    if (c->state == PIT_IDLE)
        return c->ce;
    int64_t k = ctr_k(c, t), n = c->n, m = ctr_modulus(c);
    switch (c->mode) {
    case 2: return (uint32_t)((n - k % n) % m);
    case 3: {
        /* Decrements by two from the even part of n in each half-cycle; an odd
         * count's high half is one clock longer (the datasheet's odd-count rule). */
        int64_t h = (n + 1) / 2, ph = k % n, q = ph < h ? ph : ph - h;
        return (uint32_t)(((n & ~(int64_t)1) - 2 * q) % m);
    }
    default: return (uint32_t)(((n - k) % m + m) % m); /* wraps past zero and goes on */
    }
}

/* OUT at tick 't' within the current state. */
static bool ctr_out_at(const struct pit_counter *c, int64_t t)
{
    if (c->state == PIT_IDLE)
        return c->idle_out;
    int64_t k = ctr_k(c, t), n = c->n;
    switch (c->mode) {
    case 0: /* high at terminal count, and stays */
    case 1: return k >= n; /* low for n clocks from the trigger */
    case 2: return n - k % n != 1; /* low for the one clock at count 1 */
    case 3: return k % n < (n + 1) / 2;
    default: return k != n; /* 4, 5: one low clock at terminal count */
    }
}

/* The first tick after 't' at which OUT changes without a new load, or PIT_NO_TICK. */
static int64_t ctr_next_edge(const struct pit_counter *c, int64_t t)
{
    if (c->state != PIT_RUN)
        return PIT_NO_TICK;
    int64_t k = ctr_k(c, t), n = c->n, ph = k % n, h = (n + 1) / 2;
    switch (c->mode) {
    case 0:
    case 1: return k < n ? c->origin + n : PIT_NO_TICK;
    case 2: return n < 2 ? PIT_NO_TICK : ph < n - 1 ? t + (n - 1 - ph) : t + 1;
    case 3: return n < 2 ? PIT_NO_TICK : ph < h ? t + (h - ph) : t + (n - ph);
    default: return k < n ? c->origin + n : k == n ? c->origin + n + 1 : PIT_NO_TICK;
    }
}

/* CR -> CE at tick 'at' (the clock pulse after a write or trigger, or a reload). */
static void ctr_load(struct pit_counter *c, int64_t at)
{
    c->load_tick = PIT_NO_TICK;
    c->null_count = false;
    c->n = c->cr;
    c->origin = at;
    c->state = PIT_RUN;
    if ((c->mode == 0 || c->mode == 4) && !c->gate) {
        c->state = PIT_HOLD;
        c->elapsed = 0;
    } else if (c->mode == 3 && c->load_low_phase) {
        c->origin = at - (int64_t)(c->n + 1) / 2;
    }
    c->load_low_phase = false;
}

/* Bring the counter's state up to tick 't' (fold a load that has happened). */
static void ctr_sync(struct pit_counter *c, int64_t t)
{
    if (c->load_tick <= t)
        ctr_load(c, c->load_tick);
}

/* Stop counting with CE as it is at 't' and OUT fixed at 'out'. */
static void ctr_freeze(struct pit_counter *c, int64_t t, bool out)
{
    c->ce = ctr_count(c, t);
    c->state = PIT_IDLE;
    c->idle_out = out;
    c->load_tick = PIT_NO_TICK;
}

/* Drive OUT's level at 't' if it changed, and arm the timer for the next change. */
static void ctr_update(struct pit_counter *c, int64_t t)
{
    bool out = ctr_out_at(c, t);
    if (out != c->out) {
        c->out = out;
        irq_set(&c->out_line, out);
    }
    if (!c->out_line.set)
        return;
    int64_t next = ctr_next_edge(c, t);
    if (c->load_tick < next)
        next = c->load_tick;
    if (next == PIT_NO_TICK) {
        clock_timer_cancel(c->pit->clock, &c->timer);
        return;
    }
    c->timer_tick = next;
    clock_timer_arm(c->pit->clock, &c->timer, tick_to_ns(next));
}

static void ctr_timer_cb(void *opaque)
{
    struct pit_counter *c = opaque;
    ctr_sync(c, c->timer_tick);
    ctr_update(c, c->timer_tick);
}

static void ctr_set_gate(struct pit_counter *c, bool level, int64_t t)
{
    if (level == c->gate)
        return;
    ctr_sync(c, t);
    c->gate = level;
    switch (c->mode) {
    case 0:
    case 4: /* GATE enables counting; loads still happen */
        if (!level && c->state == PIT_RUN) {
            c->elapsed = t - c->origin;
            c->state = PIT_HOLD;
        } else if (level && c->state == PIT_HOLD) {
            c->origin = t - c->elapsed;
            c->state = PIT_RUN;
        }
        break;
    case 1:
    case 5: /* a rising edge triggers (and retriggers) */
        if (level && c->cr_valid)
            c->load_tick = t + 1;
        break;
    default: /* 2, 3: low stops counting with OUT high; a rising edge reloads */
        if (!level)
            ctr_freeze(c, t, true);
        else if (c->cr_valid)
            c->load_tick = t + 1;
        break;
    }
    ctr_update(c, t);
}

static uint32_t from_bcd(uint32_t v)
{
    uint32_t r = 0;
    for (int i = 12; i >= 0; i -= 4)
        r = r * 10 + ((v >> i) & 0xf);
    return r % 10000;
}

static uint16_t to_bcd(uint32_t v)
{
    return (uint16_t)((v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10);
}

/* A whole count has been written. */
static void ctr_write_count(struct pit_counter *c, uint32_t raw, int64_t t)
{
    uint32_t n = raw;
    if (c->bcd) {
        if ((raw & 0xf) > 9 || (raw & 0xf0) > 0x90 || (raw & 0xf00) > 0x900 || raw > 0x9fff)
            log_msg(LOG_GUEST, "pit", "count %#x is not BCD", raw);
        n = from_bcd(raw);
    }
    c->cr = n ? n : ctr_modulus(c);
    c->cr_valid = true;
    c->null_count = true;
    switch (c->mode) {
    case 0: /* OUT low at once; the count loads on the next clock */
        ctr_freeze(c, t, false);
        c->load_tick = t + 1;
        break;
    case 4: c->load_tick = t + 1; break;
    case 1:
    case 5: break; /* waits for a trigger */
    default:       /* 2, 3: a running counter takes it at the end of its (half-)cycle */
        if (c->state == PIT_RUN) {
            int64_t k = ctr_k(c, t), n0 = c->n, ph = k % n0, h = (n0 + 1) / 2;
            if (c->mode == 3 && ph < h) {
                c->load_tick = t + (h - ph);
                c->load_low_phase = true;
            } else {
                c->load_tick = t + (n0 - ph);
            }
        } else if (c->gate) {
            c->load_tick = t + 1;
        }
        break;
    }
}

static void ctr_write(struct pit_counter *c, uint8_t v, int64_t t)
{
    ctr_sync(c, t);
    switch (c->rw) {
    case 1: ctr_write_count(c, v, t); break;
    case 2: ctr_write_count(c, (uint32_t)v << 8, t); break;
    default:
        if (!c->write_msb) {
            c->write_lsb = v;
            c->write_msb = true;
            if (c->mode == 0) /* the first byte stops counting and drops OUT */
                ctr_freeze(c, t, false);
        } else {
            c->write_msb = false;
            ctr_write_count(c, c->write_lsb | (uint32_t)v << 8, t);
        }
        break;
    }
    ctr_update(c, t);
}

static uint16_t ctr_value(const struct pit_counter *c, int64_t t)
{
    uint32_t v = ctr_count(c, t);
    return c->bcd ? to_bcd(v) : (uint16_t)v;
}

static uint8_t ctr_read(struct pit_counter *c, int64_t t)
{
    ctr_sync(c, t);
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v = c->count_latched ? c->latch : ctr_value(c, t);
    bool last = true;
    uint8_t b;
    switch (c->rw) {
    case 1: b = (uint8_t)v; break;
    case 2: b = (uint8_t)(v >> 8); break;
    default:
        b = c->read_msb ? (uint8_t)(v >> 8) : (uint8_t)v;
        last = c->read_msb;
        c->read_msb = !c->read_msb;
        break;
    }
    if (last)
        c->count_latched = false;
    return b;
}

static void ctr_latch_count(struct pit_counter *c, int64_t t)
{
    if (c->count_latched) /* a second latch before the read is ignored */
        return;
    c->latch = ctr_value(c, t);
    c->count_latched = true;
}

static void ctr_control(struct pit_counter *c, uint8_t v, int64_t t)
{
    ctr_sync(c, t);
    if (!(v & 0x30)) {
        ctr_latch_count(c, t);
        return;
    }
    c->ctrl = v & 0x3f;
    c->rw = (v >> 4) & 3;
    c->mode = (v >> 1) & 7;
    if (c->mode > 5)
        c->mode -= 4;
    c->bcd = v & 1;
    c->write_msb = c->read_msb = false;
    c->count_latched = c->status_latched = false;
    c->cr_valid = false;
    c->null_count = true;
    c->load_low_phase = false;
    /* Writing a control word resets the counter at once: OUT low in mode 0, high otherwise. */
    ctr_freeze(c, t, c->mode != 0);
    ctr_update(c, t);
}

static void pit_read_back(struct pit *p, uint8_t v, int64_t t)
{
    if (v & 1)
        log_msg(LOG_GUEST, "pit", "read-back command with reserved bit 0 set");
    for (int i = 0; i < 3; i++) {
        struct pit_counter *c = &p->ctr[i];
        if (!(v & (2u << i)))
            continue;
        ctr_sync(c, t);
        if (!(v & 0x20))
            ctr_latch_count(c, t);
        if (!(v & 0x10) && !c->status_latched) {
            c->status = (uint8_t)(ctr_out_at(c, t) << 7 | c->null_count << 6 | c->ctrl);
            c->status_latched = true;
        }
    }
}

static uint8_t pit_read_byte(struct pit *p, uint32_t port)
{
    if (port < 3)
        return ctr_read(&p->ctr[port], pit_tick(p));
    return 0xff; /* the control word register cannot be read: the bus floats */
}

static void pit_write_byte(struct pit *p, uint32_t port, uint8_t v)
{
    int64_t t = pit_tick(p);
    if (port < 3)
        ctr_write(&p->ctr[port], v, t);
    else if ((v >> 6) == 3)
        pit_read_back(p, v, t);
    else
        ctr_control(&p->ctr[v >> 6], v, t);
}

void pit_set_gate(struct pit *p, int i, bool level)
{
    if (i >= 0 && i < 3)
        ctr_set_gate(&p->ctr[i], level, pit_tick(p));
}

bool pit_out(struct pit *p, int i)
{
    if (i < 0 || i > 2)
        return false;
    int64_t t = pit_tick(p);
    ctr_sync(&p->ctr[i], t);
    return ctr_out_at(&p->ctr[i], t);
}

/* Port 61h. Bit 4 toggles on every DRAM refresh request, every 15.085 us
 * (18 PIT clocks) as on the AT; BIOS delay loops count its toggles. Bits 7
 * and 6 (parity and channel check) read 0: Kiln raises neither NMI. */
static uint8_t port61_read(struct pit *p)
{
    int64_t t = pit_tick(p);
    bool refresh = (t / 18) & 1;
    return (uint8_t)((p->port61 & 0x0f) | refresh << 4 | pit_out(p, 2) << 5);
}

static void port61_write(struct pit *p, uint8_t v)
{
    p->port61 = v & 0x0f;
    pit_set_gate(p, 2, v & 1);
}

static uint32_t pit_io_read(void *opaque, uint32_t addr, int size)
{
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)pit_read_byte(opaque, addr + (uint32_t)i) << (8 * i);
    return v;
}

static void pit_io_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    for (int i = 0; i < size; i++)
        pit_write_byte(opaque, addr + (uint32_t)i, (uint8_t)(val >> (8 * i)));
}

static uint32_t port61_io_read(void *opaque, uint32_t addr, int size)
{
    (void)addr;
    (void)size;
    return port61_read(opaque);
}

static void port61_io_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    (void)addr;
    (void)size;
    port61_write(opaque, (uint8_t)val);
}

static const struct io_ops pit_ops = {pit_io_read, pit_io_write};
static const struct io_ops port61_ops = {port61_io_read, port61_io_write};

bool pit_init(struct pit *p, struct bus *b, struct clock *c, struct irq_line irq0)
{
    *p = (struct pit){.clock = c};
    for (int i = 0; i < 3; i++) {
        struct pit_counter *ctr = &p->ctr[i];
        ctr->pit = p;
        ctr->rw = 3;
        ctr->mode = 3;
        ctr->ctrl = 0x36;
        ctr->gate = i != 2;
        ctr->state = PIT_IDLE;
        ctr->idle_out = ctr->out = true;
        ctr->load_tick = PIT_NO_TICK;
        ctr->null_count = true;
        clock_timer_init(&ctr->timer, ctr_timer_cb, ctr);
    }
    p->ctr[0].out_line = irq0;
    irq_set(&irq0, true);
    return bus_map_io(b, 0x40, 4, &pit_ops, p) && bus_map_io(b, 0x61, 1, &port61_ops, p);
}
