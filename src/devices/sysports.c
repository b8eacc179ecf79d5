/* SPDX-License-Identifier: MIT */
/*
 * The small system ports (see sysports.h): port 92h, the POST latch at 80h,
 * the E9h debug console and isa-debug-exit. Owns only struct sysports and
 * calls the machine back for A20, reset, POST codes, console bytes and exit.
 * Follows the IBM PS/2 Technical Reference for System Control Port A; E9h
 * reads return E9h so guests can detect the console, as Bochs documents.
 */
#include "devices/sysports.h"

#include <stddef.h>

#include "common/bits.h"

static uint32_t port_a_read(void *opaque, uint32_t addr, int size)
{
    struct sysports *s = opaque;
    (void)addr;
    (void)size;
    return s->port_a;
}

/* Bit 1 gates A20 (the chipset ORs it with the 8042's gate, which is the
 * machine's business). Bit 0 written with 1 resets the CPU; the reset is
 * modelled as an instant pulse, so the bit reads back 0 and the next write
 * of 1 resets again. Bit 3, the security lock, cannot be cleared once set. */
static void port_a_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct sysports *s = opaque;
    (void)addr;
    (void)size;
    uint8_t old = s->port_a;
    uint8_t v = (uint8_t)((val & ~SYSPORTS_A_RESET) | (old & SYSPORTS_A_LOCK));
    s->port_a = v;
    if (((old ^ v) & SYSPORTS_A_A20) && s->cfg.set_a20)
        s->cfg.set_a20(s->cfg.opaque, (v & SYSPORTS_A_A20) != 0);
    if ((val & SYSPORTS_A_RESET) && s->cfg.reset)
        s->cfg.reset(s->cfg.opaque);
}

static const struct io_ops port_a_ops = {port_a_read, port_a_write};

/* Reads return the latched code, as on boards with a POST display latch.
 * Guests also use writes to 80h as a short I/O delay: keep them cheap. */
static uint32_t post_read(void *opaque, uint32_t addr, int size)
{
    struct sysports *s = opaque;
    (void)addr;
    (void)size;
    return s->post;
}

static void post_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct sysports *s = opaque;
    (void)addr;
    (void)size;
    s->post = (uint8_t)val;
    if (s->cfg.post)
        s->cfg.post(s->cfg.opaque, s->post);
}

static const struct io_ops post_ops = {post_read, post_write};

static uint32_t debugcon_read(void *opaque, uint32_t addr, int size)
{
    (void)opaque;
    (void)addr;
    (void)size;
    return SYSPORTS_DEBUGCON_PORT;
}

static void debugcon_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct sysports *s = opaque;
    (void)addr;
    (void)size;
    s->cfg.debugcon(s->cfg.opaque, (uint8_t)val);
}

static const struct io_ops debugcon_ops = {debugcon_read, debugcon_write};

/* Any write in the range is an exit request; reads are unclaimed (all ones). */
static void debug_exit_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct sysports *s = opaque;
    (void)addr;
    uint32_t v = val & size_mask(size);
    s->cfg.debug_exit(s->cfg.opaque, (v << 1) | 1);
}

static const struct io_ops debug_exit_ops = {NULL, debug_exit_write};

bool sysports_init(struct sysports *s, struct bus *b, const struct sysports_config *cfg)
{
    *s = (struct sysports){0};
    if (cfg)
        s->cfg = *cfg;
    if (!bus_map_io(b, SYSPORTS_PORT_A, 1, &port_a_ops, s) ||
        !bus_map_io(b, SYSPORTS_POST_PORT, 1, &post_ops, s))
        return false;
    if (s->cfg.debugcon && !bus_map_io(b, SYSPORTS_DEBUGCON_PORT, 1, &debugcon_ops, s))
        return false;
    if (s->cfg.debug_exit &&
        !bus_map_io(b, s->cfg.debug_exit_base, s->cfg.debug_exit_size, &debug_exit_ops, s))
        return false;
    return true;
}

uint8_t sysports_post_code(const struct sysports *s)
{
    return s->post;
}

bool sysports_a20(const struct sysports *s)
{
    return (s->port_a & SYSPORTS_A_A20) != 0;
}
