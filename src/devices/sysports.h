/* SPDX-License-Identifier: MIT */
/*
 * Small PC system ports: System Control Port A (92h: fast A20 gate and fast
 * reset), the POST code port (80h), the Bochs/QEMU debug console (E9h) and
 * QEMU's isa-debug-exit device. Owns only struct sysports; what A20, reset,
 * console bytes and exit requests mean is the machine's business, through
 * callbacks. Follows the IBM PS/2 Technical Reference ("System Control Port
 * A") and the documented behaviour of the Bochs E9 port and QEMU's
 * isa-debug-exit.
 */
#ifndef KILN_DEVICES_SYSPORTS_H
#define KILN_DEVICES_SYSPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"

#define SYSPORTS_PORT_A           0x92
#define SYSPORTS_POST_PORT        0x80
#define SYSPORTS_DEBUGCON_PORT    0xe9
#define SYSPORTS_DEBUG_EXIT_BASE  0xf4 /* QEMU's usual -device isa-debug-exit,iobase=0xf4 */
#define SYSPORTS_DEBUG_EXIT_SIZE  4

/* System Control Port A bits. */
#define SYSPORTS_A_RESET 0x01 /* write 1: fast reset (reads back 0) */
#define SYSPORTS_A_A20   0x02 /* A20 gate */
#define SYSPORTS_A_LOCK  0x08 /* security lock: once set, stays set until power-off */

/* The machine's side. Every callback may be NULL: A20/reset/POST then do
 * nothing more than latch; a NULL debugcon leaves port E9h unclaimed (reads
 * FFh); a NULL debug_exit leaves the debug-exit ports unclaimed. */
struct sysports_config {
    void (*set_a20)(void *opaque, bool on); /* port A bit 1 changed */
    void (*reset)(void *opaque);            /* port A bit 0 written with 1 */
    void (*post)(void *opaque, uint8_t code);
    void (*debugcon)(void *opaque, uint8_t byte);
    /* A guest write of V (of the access's width) asks to exit with status
     * (V << 1) | 1, so status 0 can never come from the guest. */
    void (*debug_exit)(void *opaque, uint32_t status);
    void *opaque;
    uint16_t debug_exit_base, debug_exit_size;
};

/* Fields are private to sysports.c; exposed only so machines can embed. */
struct sysports {
    struct sysports_config cfg;
    uint8_t port_a;
    uint8_t post;
};

/* Latch zeroes (A20 off in port A; the machine combines it with the 8042's
 * gate), claim 92h, 80h and, when configured, E9h and the debug-exit range.
 * False when a port is taken. */
KILN_MUST_CHECK bool sysports_init(struct sysports *s, struct bus *b,
                                   const struct sysports_config *cfg);

/* The last byte written to port 80h. */
uint8_t sysports_post_code(const struct sysports *s);

/* The A20 gate of port A (bit 1). */
bool sysports_a20(const struct sysports *s);

#endif
