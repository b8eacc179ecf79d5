/* SPDX-License-Identifier: MIT */
/*
 * A PS/2 mouse on the 8042's auxiliary port, with the IntelliMouse wheel:
 * the E6h-FFh command set, stream and remote modes, wrap mode, 2:1 scaling,
 * 3-byte packets (4 with the wheel) paced by the sample rate on the virtual
 * clock. The host side moves it and sets its buttons. Owns only struct
 * ps2mouse; reaches the controller only through its ready line and the two
 * entry points below. Follows the IBM PS/2 Mouse Technical Reference and
 * Microsoft's IntelliMouse PS/2 protocol note (the 200/100/80 rate knock).
 */
#ifndef KILN_DEVICES_PS2MOUSE_H
#define KILN_DEVICES_PS2MOUSE_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/clock.h"
#include "devices/irq.h"

/* Button bits for ps2mouse_buttons(), as packet byte 0 carries them. */
#define PS2MOUSE_BTN_LEFT   0x01
#define PS2MOUSE_BTN_RIGHT  0x02
#define PS2MOUSE_BTN_MIDDLE 0x04

#define PS2MOUSE_QUEUE 32

/* Fields are private to ps2mouse.c; exposed only so machines can embed. */
struct ps2mouse {
    struct clock *clock;
    struct irq_line ready;
    bool ready_level;
    struct clock_timer sample; /* the next sample time when a packet is waiting */
    uint64_t next_sample;

    uint8_t q[PS2MOUSE_QUEUE];
    bool q_stream[PS2MOUSE_QUEUE]; /* the byte belongs to a stream packet */
    int q_head, q_count;
    uint8_t last[4]; /* the last packet or data reply, for Resend */
    int last_len;

    uint8_t pending; /* E8h or F3h while their parameter is awaited; 0 if none */
    int bad_params;
    bool enabled, remote, wrap, scale21;
    uint8_t resolution; /* 0-3: 1, 2, 4, 8 counts/mm */
    uint8_t rate;       /* samples/s */
    uint8_t id;         /* 00h, or 03h once the wheel is unlocked */
    uint8_t rate_hist[3];

    int dx, dy, dz; /* movement not reported yet, in the mouse's axes (y up) */
    uint8_t buttons, reported_buttons;
    bool dirty; /* something to report in stream mode */
};

/* Power-on state after the self test: stream mode, reporting disabled,
 * 100 samples/s, 4 counts/mm, 1:1, ID 00h. 'ready' is driven high while the
 * mouse has bytes to send (wire it to kbc_ready_line()). */
void ps2mouse_init(struct ps2mouse *m, struct clock *c, struct irq_line ready);

/* Controller entry points (struct kbc_device); 'mouse' is a struct ps2mouse *. */
void ps2mouse_write(void *mouse, uint8_t byte);
bool ps2mouse_read(void *mouse, uint8_t *byte);

/* Host: relative motion in counts. dx grows to the right and dy downwards
 * (screen convention; the mouse reports y upwards); dz > 0 is the wheel
 * turned towards the user. Motion beyond what one packet holds (-256..255)
 * is reported with the overflow bit, as the hardware does; wheel motion
 * beyond -8..7 carries over to the next packets. */
void ps2mouse_move(struct ps2mouse *m, int dx, int dy, int dz);

/* Host: the buttons now held (PS2MOUSE_BTN_*). */
void ps2mouse_buttons(struct ps2mouse *m, uint8_t mask);

#endif
