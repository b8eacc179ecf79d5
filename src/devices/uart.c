/* SPDX-License-Identifier: MIT */
/*
 * The 16550 (see uart.h): divisor latch, FIFOs and trigger levels, the four
 * interrupt sources in their priority order, character timeout, THRE on IER
 * writes, loopback, OUT2 gating. Transmission takes one character time
 * (start, data, parity and stop bits at divisor x 16 of 1.8432 MHz) on the
 * guest clock when the UART is paced; an unpaced UART (the PC's default, as
 * in QEMU) hands each byte to its backend as it is written, so a guest that
 * polls LSR for THRE is not held to 9600 baud. Owns only struct uart. Follows the PC16550D datasheet,
 * Table II (registers) and Table IV (interrupt control functions).
 */
#include "devices/uart.h"

#include "common/log.h"

#define UART_XTAL_HZ 1843200u

#define IER_RDA  0x01
#define IER_THRE 0x02
#define IER_RLS  0x04
#define IER_MS   0x08

#define IIR_NONE    0x01
#define IIR_MS      0x00
#define IIR_THRE    0x02
#define IIR_RDA     0x04
#define IIR_RLS     0x06
#define IIR_TIMEOUT 0x0c
#define IIR_FIFO    0xc0

#define FCR_ENABLE 0x01
#define LCR_BREAK  0x40
#define LCR_DLAB   0x80
#define MCR_OUT2   0x08
#define MCR_LOOP   0x10

#define LSR_DR   0x01
#define LSR_OE   0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

static bool fifo_push(struct uart_fifo *f, uint8_t b)
{
    if (f->count == UART_FIFO_SIZE)
        return false;
    f->data[(f->head + f->count++) % UART_FIFO_SIZE] = b;
    return true;
}

static uint8_t fifo_pop(struct uart_fifo *f)
{
    uint8_t b = f->data[f->head];
    f->head = (f->head + 1) % UART_FIFO_SIZE;
    f->count--;
    return b;
}

static bool uart_fifo_on(const struct uart *u)
{
    return u->fcr & FCR_ENABLE;
}

/* One character's time on the wire, in ns: start bit, 5-8 data bits, parity,
 * and 1, 1.5 (5-bit words) or 2 stop bits, each 16 clocks of the divided
 * 1.8432 MHz crystal. Divisor 0 is taken as 65536, the slowest rate. */
static uint64_t uart_char_ns(const struct uart *u)
{
    uint64_t bits = 5 + (u->lcr & 3);
    uint64_t half_bits = 2 * (1 + bits + ((u->lcr >> 3) & 1));
    half_bits += !(u->lcr & 0x04) ? 2 : bits == 5 ? 3 : 4;
    uint64_t div = u->divisor ? u->divisor : 65536;
    uint64_t num = half_bits * div * 16 * 1000000000u, den = 2u * UART_XTAL_HZ;
    return (num + den - 1) / den;
}

static int uart_rx_trigger(const struct uart *u)
{
    static const int levels[4] = {1, 4, 8, 14};
    return levels[u->fcr >> 6];
}

/* The highest-priority pending interrupt's IIR code (Table IV), or IIR_NONE. */
static uint8_t uart_iir_id(const struct uart *u)
{
    if ((u->ier & IER_RLS) && u->lsr_err)
        return IIR_RLS;
    if (u->ier & IER_RDA) {
        if (u->rx.count >= (uart_fifo_on(u) ? uart_rx_trigger(u) : 1))
            return IIR_RDA;
        if (u->timeout_pending)
            return IIR_TIMEOUT;
    }
    if ((u->ier & IER_THRE) && u->thre_pending)
        return IIR_THRE;
    if ((u->ier & IER_MS) && (u->msr & 0x0f))
        return IIR_MS;
    return IIR_NONE;
}

/* On PC boards INTR reaches the bus through a buffer enabled by OUT2; in
 * loopback OUT2's pin is forced inactive, so the IRQ is cut off there too. */
static void uart_update_irq(struct uart *u)
{
    bool level = uart_iir_id(u) != IIR_NONE && (u->mcr & (MCR_OUT2 | MCR_LOOP)) == MCR_OUT2;
    if (level != u->irq_level) {
        u->irq_level = level;
        irq_set(&u->irq, level);
    }
}

/* Restart the 4-character timeout: it runs while the RX FIFO holds data. */
static void uart_arm_timeout(struct uart *u)
{
    if (uart_fifo_on(u) && u->rx.count)
        clock_timer_arm(u->clock, &u->timeout_timer, clock_now(u->clock) + 4 * uart_char_ns(u));
    else
        clock_timer_cancel(u->clock, &u->timeout_timer);
}

static void uart_timeout_cb(void *opaque)
{
    struct uart *u = opaque;
    u->timeout_pending = u->rx.count != 0;
    uart_update_irq(u);
}

/* A character has been assembled by the receiver. */
static void uart_rx_char(struct uart *u, uint8_t b)
{
    if (!uart_fifo_on(u) && u->rx.count) {
        /* 16450 mode: the unread RBR is overwritten. */
        u->lsr_err |= LSR_OE;
        u->rx.data[u->rx.head] = b;
    } else if (!fifo_push(&u->rx, b)) {
        u->lsr_err |= LSR_OE; /* FIFO full: the shift register's character is lost */
    }
    u->timeout_pending = false;
    uart_arm_timeout(u);
    uart_update_irq(u);
}

/* Move the next byte from THR/FIFO into the shift register, starting at 'start' ns. */
static void uart_tx_start(struct uart *u, uint64_t start)
{
    u->tsr = fifo_pop(&u->tx);
    u->tsr_busy = true;
    u->tx_end = start + uart_char_ns(u);
    if (!u->tx.count)
        u->thre_pending = true;
    clock_timer_arm(u->clock, &u->tx_timer, u->tx_end);
}

/* The byte in the TSR reaches the far end: the receiver itself in loopback. */
static void uart_tx_out(struct uart *u)
{
    if (u->mcr & MCR_LOOP)
        uart_rx_char(u, u->tsr);
    else if (u->backend.write)
        u->backend.write(u->backend.opaque, u->tsr);
}

static void uart_tx_cb(void *opaque)
{
    struct uart *u = opaque;
    u->tsr_busy = false;
    uart_tx_out(u);
    if (u->tx.count)
        uart_tx_start(u, u->tx_end);
    uart_update_irq(u);
}

static void uart_write_thr(struct uart *u, uint8_t v)
{
    if (!u->paced && !u->tsr_busy) { /* the line takes no time: THR is empty again at once */
        u->tsr = v;
        uart_tx_out(u);
        u->thre_pending = true;
        uart_update_irq(u);
        return;
    }
    if (!uart_fifo_on(u) && u->tx.count) {
        u->tx.data[u->tx.head] = v; /* THR overwritten before it moved on */
    } else if (!fifo_push(&u->tx, v)) {
        log_msg(LOG_GUEST, "uart", "THR write with the TX FIFO full: byte lost");
    }
    u->thre_pending = false;
    if (!u->tsr_busy)
        uart_tx_start(u, clock_now(u->clock));
    uart_update_irq(u);
}

static uint8_t uart_read_rbr(struct uart *u)
{
    if (u->rx.count)
        u->rbr_last = fifo_pop(&u->rx);
    u->timeout_pending = false;
    uart_arm_timeout(u);
    uart_update_irq(u);
    return u->rbr_last;
}

/* Modem status lines now in bits 7-4 of 'lines'; a change sets the delta bits. */
static void uart_set_lines(struct uart *u, uint8_t lines)
{
    uint8_t old = u->msr & 0xf0, diff = old ^ lines;
    uint8_t delta = (uint8_t)((diff & (UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD)) >> 4);
    if ((old & UART_MSR_RI) && !(lines & UART_MSR_RI))
        delta |= 0x04; /* TERI: the ring signal's trailing edge only */
    u->msr = (uint8_t)((u->msr & 0x0f) | delta | (lines & 0xf0));
}

/* In loopback RTS, DTR, OUT1 and OUT2 drive CTS, DSR, RI and DCD. */
static void uart_refresh_lines(struct uart *u)
{
    uint8_t m = u->mcr;
    if (m & MCR_LOOP)
        uart_set_lines(u, (uint8_t)((m & 0x02) << 3 | (m & 0x01) << 5 | (m & 0x0c) << 4));
    else
        uart_set_lines(u, u->ext_lines);
}

static void uart_write_fcr(struct uart *u, uint8_t v)
{
    /* Bits 7-1 are written only together with bit 0; changing bit 0 clears both FIFOs. */
    bool on = v & FCR_ENABLE, change = on != uart_fifo_on(u);
    u->fcr = on ? (uint8_t)(v & 0xc9) : 0;
    if (change || (on && (v & 0x02))) {
        u->rx.count = 0;
        u->timeout_pending = false;
        uart_arm_timeout(u);
    }
    if ((change || (on && (v & 0x04))) && u->tx.count) {
        u->tx.count = 0;
        u->thre_pending = true;
    }
    uart_update_irq(u);
}

static uint8_t uart_read_reg(struct uart *u, uint32_t reg)
{
    uint8_t v;
    switch (reg) {
    case 0: return (u->lcr & LCR_DLAB) ? (uint8_t)u->divisor : uart_read_rbr(u);
    case 1: return (u->lcr & LCR_DLAB) ? (uint8_t)(u->divisor >> 8) : u->ier;
    case 2:
        v = uart_iir_id(u);
        if (v == IIR_THRE) { /* reading IIR clears a THRE interrupt it reports */
            u->thre_pending = false;
            uart_update_irq(u);
        }
        return (uint8_t)(v | (uart_fifo_on(u) ? IIR_FIFO : 0));
    case 3: return u->lcr;
    case 4: return u->mcr;
    case 5:
        v = (uint8_t)(u->lsr_err | (u->rx.count ? LSR_DR : 0));
        if (!u->tx.count)
            v |= u->tsr_busy ? LSR_THRE : LSR_THRE | LSR_TEMT;
        u->lsr_err = 0;
        uart_update_irq(u);
        return v;
    case 6:
        v = u->msr;
        u->msr &= 0xf0;
        uart_update_irq(u);
        return v;
    default: return u->scr;
    }
}

static void uart_write_reg(struct uart *u, uint32_t reg, uint8_t v)
{
    switch (reg) {
    case 0:
        if (u->lcr & LCR_DLAB)
            u->divisor = (uint16_t)((u->divisor & 0xff00) | v);
        else
            uart_write_thr(u, v);
        break;
    case 1:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0x00ff) | v << 8);
            break;
        }
        u->ier = v & 0x0f;
        /* Enabling ETBEI with THR empty raises THRE at once. */
        if ((u->ier & IER_THRE) && !u->tx.count)
            u->thre_pending = true;
        uart_update_irq(u);
        break;
    case 2: uart_write_fcr(u, v); break;
    case 3:
        if ((v & LCR_BREAK) && !(u->lcr & LCR_BREAK))
            log_msg(LOG_STUB, "uart", "break condition is not passed to the host");
        u->lcr = v;
        break;
    case 4:
        u->mcr = v & 0x1f;
        uart_refresh_lines(u);
        uart_update_irq(u);
        break;
    case 5:
    case 6: log_msg(LOG_GUEST, "uart", "write %#x to read-only register %u ignored", v, reg); break;
    default: u->scr = v; break;
    }
}

static uint32_t uart_io_read(void *opaque, uint32_t addr, int size)
{
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)uart_read_reg(opaque, addr + (uint32_t)i) << (8 * i);
    return v;
}

static void uart_io_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    for (int i = 0; i < size; i++)
        uart_write_reg(opaque, addr + (uint32_t)i, (uint8_t)(val >> (8 * i)));
}

static const struct io_ops uart_ops = {uart_io_read, uart_io_write};

bool uart_can_receive(const struct uart *u)
{
    return !(u->mcr & MCR_LOOP) && u->rx.count < (uart_fifo_on(u) ? UART_FIFO_SIZE : 1);
}

void uart_receive(struct uart *u, uint8_t byte)
{
    if (!(u->mcr & MCR_LOOP))
        uart_rx_char(u, byte);
}

void uart_set_modem_inputs(struct uart *u, uint8_t lines)
{
    u->ext_lines = lines & 0xf0;
    uart_refresh_lines(u);
    uart_update_irq(u);
}

bool uart_init(struct uart *u, struct bus *b, struct clock *c, uint16_t base, struct irq_line irq,
               struct uart_backend backend)
{
    *u = (struct uart){.clock = c, .irq = irq, .backend = backend, .divisor = 12};
    clock_timer_init(&u->tx_timer, uart_tx_cb, u);
    clock_timer_init(&u->timeout_timer, uart_timeout_cb, u);
    u->ext_lines = UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD;
    u->msr = u->ext_lines; /* reset clears the deltas; the lines are what they are */
    return bus_map_io(b, base, 8, &uart_ops, u);
}

void uart_set_paced(struct uart *u, bool paced)
{
    u->paced = paced;
}
