/* SPDX-License-Identifier: MIT */
/*
 * The 8042 keyboard controller at ports 60h/64h: status, the command byte,
 * the controller commands, the output port (A20 gate and CPU reset), the
 * set 2 -> set 1 translation, and two PS/2 ports with IRQ 1 and IRQ 12.
 * Owns only struct kbc; the keyboard and mouse are separate modules that it
 * reaches through struct kbc_device. Follows the Intel UPI-41/42 (8042/8242)
 * datasheet and the IBM PS/2 Technical Reference, "Keyboard/Auxiliary
 * Device Controller".
 */
#ifndef KILN_DEVICES_KBC_H
#define KILN_DEVICES_KBC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

#define KBC_DATA_PORT   0x60
#define KBC_STATUS_PORT 0x64

/* Status register (read 64h). */
#define KBC_STAT_OBF     0x01 /* output buffer full */
#define KBC_STAT_IBF     0x02 /* input buffer full (always 0: Kiln takes bytes at once) */
#define KBC_STAT_SYS     0x04 /* system flag, from command byte bit 2 */
#define KBC_STAT_CMD     0x08 /* last write was to 64h */
#define KBC_STAT_UNLOCK  0x10 /* keyboard not inhibited by the key lock */
#define KBC_STAT_AUX     0x20 /* the output buffer holds auxiliary-device data */
#define KBC_STAT_TIMEOUT 0x40
#define KBC_STAT_PARITY  0x80

/* Command byte (controller RAM byte 0; 20h reads it, 60h writes it). */
#define KBC_CB_KBD_INT  0x01 /* IRQ 1 when the output buffer fills with keyboard data */
#define KBC_CB_AUX_INT  0x02 /* IRQ 12 when it fills with auxiliary data */
#define KBC_CB_SYS      0x04
#define KBC_CB_KBD_OFF  0x10 /* keyboard clock inhibited */
#define KBC_CB_AUX_OFF  0x20 /* auxiliary clock inhibited */
#define KBC_CB_XLATE    0x40 /* translate keyboard set 2 codes to set 1 */

/* Output port (D0h reads it, D1h writes it). */
#define KBC_OUT_RESET   0x01 /* 0 holds the CPU in reset */
#define KBC_OUT_A20     0x02
#define KBC_OUT_IRQ1    0x10
#define KBC_OUT_IRQ12   0x20

/* The two PS/2 ports. */
enum kbc_port {
    KBC_PORT_KBD = 0,
    KBC_PORT_AUX = 1,
};

/* A device on one PS/2 port, as the controller sees it. The device raises the
 * controller's ready line (kbc_ready_line) while it has bytes to send; the
 * controller takes them with read() when its output buffer is free and the
 * port's clock is not inhibited. A machine wires the keyboard with
 *   ps2kbd_init(&kbd, clock, kbc_ready_line(&kbc, KBC_PORT_KBD));
 *   kbc_attach(&kbc, KBC_PORT_KBD, (struct kbc_device){ps2kbd_write, ps2kbd_read, &kbd});
 * and the mouse the same way on KBC_PORT_AUX. */
struct kbc_device {
    void (*write)(void *dev, uint8_t byte); /* a byte from the system to the device */
    bool (*read)(void *dev, uint8_t *byte); /* the device's next byte; false when none */
    void *dev;
};

/* The machine's side of the output port. */
struct kbc_host {
    void (*set_a20)(void *opaque, bool on); /* output port bit 1 changed */
    void (*reset)(void *opaque);            /* output port bit 0 pulsed low */
    void *opaque;
};

#define KBC_QUEUE_SIZE 32

/* Fields are private to kbc.c; exposed only so machines can embed. */
struct kbc {
    struct clock *clock;
    struct clock_timer deliver; /* moves the next byte into the output buffer */
    uint32_t polls;             /* status reads while 'deliver' is armed */
    struct irq_line irq[2];     /* IRQ 1, IRQ 12 */
    bool irq_level[2];
    struct kbc_host host;
    struct kbc_device port[2];
    bool attached[2];
    bool ready[2]; /* the device on that port has bytes to send */

    uint8_t ram[32]; /* controller RAM; [0] is the command byte */
    uint8_t out_port;
    uint8_t out;      /* output buffer: keeps its value after it is read */
    bool obf, out_aux;
    bool last_cmd, timeout;
    bool xlate_break; /* translation saw F0: the next byte gets bit 7 */
    uint8_t pending;  /* the command whose data byte (60h write) is awaited; 0 if none */

    /* The controller's own replies waiting for the output buffer, with their source. */
    uint8_t q[KBC_QUEUE_SIZE];
    bool q_aux[KBC_QUEUE_SIZE];
    int q_head, q_count;
};

/* Put the controller in its power-on state (command byte 40h: translation on,
 * no interrupts, system flag clear; output port all ones: A20 on, reset
 * released), claim ports 60h and 64h on 'b', and drive 'irq1'/'irq12' from
 * then on. Like the 8042's OBF pins, each IRQ line is high while the output
 * buffer holds that port's byte and its interrupt is enabled, so an edge-
 * triggered PIC sees one rising edge per byte. 'host' may have NULL
 * callbacks. False when a port is taken. */
KILN_MUST_CHECK bool kbc_init(struct kbc *k, struct bus *b, struct clock *c, struct irq_line irq1,
                              struct irq_line irq12, const struct kbc_host *host);

/* Connect a device to 'port'. A port with no device answers the system's
 * bytes with FEh and a timeout, as an empty connector does. */
void kbc_attach(struct kbc *k, enum kbc_port port, struct kbc_device dev);

/* The line a device on 'port' drives high while it has bytes to send. */
struct irq_line kbc_ready_line(struct kbc *k, enum kbc_port port);

/* The 8042's translation of one keyboard byte (set 2 -> set 1); the F0h break
 * prefix is handled by the controller, not here. */
uint8_t kbc_translate(uint8_t byte);

#endif
