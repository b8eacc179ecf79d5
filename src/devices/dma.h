/* SPDX-License-Identifier: MIT */
/*
 * The AT DMA subsystem: two Intel 8237A controllers, channels 0-3 (8-bit,
 * ports 00-0F) cascaded into channel 4 of the 16-bit controller (channels
 * 4-7, ports C0-DF, word addresses and counts), and the 74LS612 page
 * registers at 81-83, 87, 89-8B, 8F. Owns only struct dma; guest memory is
 * reached through the callback given to dma_init, never directly. Follows
 * the Intel 8237A datasheet (231466) and the IBM PC AT Technical Reference.
 */
#ifndef KILN_DEVICES_DMA_H
#define KILN_DEVICES_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"

#define DMA_CHANNELS 8

/* Move 'len' bytes between guest physical 'addr' and 'buf': into guest memory
 * when 'to_memory', out of it otherwise. The machine's implementation writes
 * RAM and invalidates translated code on the pages it touches. */
typedef void (*dma_mem_fn)(void *opaque, uint32_t addr, void *buf, size_t len, bool to_memory);

/* Called when a channel whose device holds DREQ becomes serviceable (unmasked,
 * controller enabled); the device then calls dma_transfer(). Runs inside a
 * guest port write: devices should only note it or arm a timer. */
typedef void (*dma_ready_fn)(void *opaque);

/* One channel. Fields are private to dma.c; exposed only so machines can embed. */
struct dma_chan {
    uint16_t base_addr, base_count; /* written by the guest; reloaded by auto-init */
    uint16_t addr, count;           /* current registers */
    uint8_t mode;                   /* mode register bits 7-2 */
};

/* One 8237A. */
struct dma_ctrl {
    struct dma_chan ch[4];
    uint8_t command;
    uint8_t status_tc; /* status bits 3-0: terminal count reached, cleared by a status read */
    uint8_t soft_req;  /* request register bits, one per channel */
    uint8_t mask;      /* mask bits, one per channel */
    bool flip_flop;    /* false: next address/count byte is the low byte */
};

struct dma {
    struct dma_ctrl ctrl[2]; /* [0] channels 0-3, [1] channels 4-7 */
    uint8_t page[DMA_CHANNELS];
    uint8_t drq; /* devices' DREQ lines, one bit per channel */
    dma_mem_fn mem;
    void *mem_opaque;
    dma_ready_fn ready[DMA_CHANNELS];
    void *ready_opaque[DMA_CHANNELS];
    bool ready_before[DMA_CHANNELS];
    bool warned_cascade;
};

/* Power-on state (master clear of both chips: every channel masked), claim the
 * ports listed above on 'b', and reach guest memory through 'mem'. False when
 * a port is taken. */
KILN_MUST_CHECK bool dma_init(struct dma *d, struct bus *b, dma_mem_fn mem, void *mem_opaque);

/* Register the device on 'chan' (0-7, not 4): 'ready' is called as described
 * at dma_ready_fn. A NULL 'ready' detaches it. */
void dma_attach(struct dma *d, int chan, dma_ready_fn ready, void *opaque);

/* Drive the device's DREQ line for 'chan'; it shows in the status register. */
void dma_set_drq(struct dma *d, int chan, bool level);

/* True when a transfer on 'chan' would move data now: the channel is unmasked
 * and not in cascade mode, its controller is enabled, and for channels 0-3
 * channel 4 is an unmasked cascade on an enabled controller. */
bool dma_channel_ready(const struct dma *d, int chan);

/* The DACK cycles for up to 'len' bytes of the device on 'chan' ('len' is
 * rounded down to whole words on channels 5-7). 'to_memory' is the device's
 * direction (true: the device supplies data); the channel's mode register
 * decides what happens: a write transfer stores into guest memory, a read
 * transfer fetches from it, verify touches no memory, and a mode that
 * disagrees with the device moves nothing but still counts (logged). Address
 * and count advance as on the chip (8-bit channels wrap inside their 64 KiB
 * page, 16-bit ones inside 128 KiB). Stops at terminal count: *tc (if given)
 * is set, the status TC bit latches, and the channel auto-initialises or
 * masks itself. Returns the bytes transferred, 0 when the channel is not
 * ready; a device-read buffer is filled with FFh where no memory was read. */
int dma_transfer(struct dma *d, int chan, void *buf, int len, bool to_memory, bool *tc);

/* The physical address the next transfer on 'chan' would use (for tests and the monitor). */
uint32_t dma_address(const struct dma *d, int chan);

/* Units (bytes or words) left before terminal count on 'chan': current count + 1. */
uint32_t dma_remaining(const struct dma *d, int chan);

#endif
