/* SPDX-License-Identifier: MIT */
/*
 * One National Semiconductor PC16550D UART (16550A-compatible): eight ports
 * at a COM base, 16-byte FIFOs, the IRQ gated by OUT2 as on PC boards, and a
 * host-side backend. Characters take their wire time on the guest clock, so
 * a run is as deterministic as the clock. Owns only struct uart; the machine
 * chooses bases and IRQs. Follows the PC16550D datasheet (National, June
 * 1995), "Registers" and "FIFO interrupt mode operation".
 */
#ifndef KILN_DEVICES_UART_H
#define KILN_DEVICES_UART_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

/* The PC's conventional ports and IRQs. */
#define UART_COM1_BASE 0x3f8
#define UART_COM2_BASE 0x2f8
#define UART_COM3_BASE 0x3e8
#define UART_COM4_BASE 0x2e8
#define UART_COM1_IRQ  4
#define UART_COM2_IRQ  3
#define UART_COM3_IRQ  4
#define UART_COM4_IRQ  3

/* Modem status input lines, in their MSR bit positions. */
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI  0x40
#define UART_MSR_DCD 0x80

#define UART_FIFO_SIZE 16

/* The host side: called when a character has left the transmitter. */
struct uart_backend {
    void (*write)(void *opaque, uint8_t byte);
    void *opaque;
};

/* A byte queue; the FIFOs and, with FIFOs off, the one-byte RBR and THR. */
struct uart_fifo {
    uint8_t data[UART_FIFO_SIZE];
    int head, count;
};

/* Fields are private to uart.c; exposed only so machines can embed. */
struct uart {
    struct clock *clock;
    struct irq_line irq;
    bool irq_level;
    struct uart_backend backend;
    struct uart_fifo rx, tx;
    uint8_t rbr_last; /* RBR keeps the last byte once the receiver is empty */
    uint8_t tsr;
    bool tsr_busy;
    uint64_t tx_end; /* ns at which the character in the TSR is out */
    uint8_t ier, lcr, mcr, fcr, scr;
    uint8_t lsr_err; /* OE, PE, FE, BI: cleared by reading LSR */
    uint8_t msr;     /* lines in bits 7-4, deltas in bits 3-0 */
    uint8_t ext_lines; /* the modem inputs from the host (used outside loopback) */
    uint16_t divisor;
    bool thre_pending, timeout_pending;
    bool paced; /* transmission takes a character time (configuration, not state) */
    struct clock_timer tx_timer, timeout_timer;
};

/* Reset the UART (registers as the datasheet's reset table, divisor 12 =
 * 9600 baud as a BIOS would leave it, modem inputs CTS, DSR and DCD
 * asserted), claim ports base..base+7 on 'b', drive 'irq', and hand
 * transmitted bytes to 'backend' (its write may be NULL). False when a port
 * is taken. */
KILN_MUST_CHECK bool uart_init(struct uart *u, struct bus *b, struct clock *c, uint16_t base,
                               struct irq_line irq, struct uart_backend backend);

/* Paced (the datasheet's timing): a written byte spends one character time
 * at the programmed rate in the shift register before it reaches the
 * backend, and THRE/TEMT follow. Unpaced (the default after uart_init, as
 * QEMU's 16550 behaves): a byte written while the transmitter is idle
 * reaches the backend at once and THR reads as empty again; guests that
 * poll LSR or wait for the THRE interrupt see a very fast line. */
void uart_set_paced(struct uart *u, bool paced);

/* True when a received byte would be stored: the receiver has room and is
 * not in loopback. The machine paces host input with it. */
bool uart_can_receive(const struct uart *u);

/* A byte arrives on the serial input. With no room it is an overrun (LSR OE),
 * as on the wire; in loopback the input is disconnected and it is dropped. */
void uart_receive(struct uart *u, uint8_t byte);

/* Set the modem inputs (UART_MSR_* bits); changes set MSR's delta bits. */
void uart_set_modem_inputs(struct uart *u, uint8_t lines);

#endif
