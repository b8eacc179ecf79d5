/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the 16550 UART through its ports on a real bus, on a virtual
 * clock: reset values, divisor latch, character timing (bits x 16 /
 * 1.8432 MHz / divisor), IIR codes and their priority, FIFO trigger levels,
 * character timeout, loopback and OUT2 gating. Expected values come from the
 * PC16550D datasheet (Tables II and IV, "FIFO interrupt mode operation").
 */
#include <check.h>

#include "check_main.h"
#include "devices/uart.h"

#define COM1 UART_COM1_BASE

struct fx {
    struct bus *bus;
    struct clock clk;
    struct uart uart;
    bool irq;
    uint8_t out[64];
    int n_out;
};

static void irq_rec(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    (void)n;
    f->irq = level;
}

static void be_write(void *opaque, uint8_t b)
{
    struct fx *f = opaque;
    if (f->n_out < (int)sizeof(f->out))
        f->out[f->n_out] = b;
    f->n_out++;
}

static void fx_init(struct fx *f)
{
    *f = (struct fx){0};
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    ck_assert(uart_init(&f->uart, f->bus, &f->clk, COM1, (struct irq_line){irq_rec, f, 4},
                        (struct uart_backend){be_write, f}));
    uart_set_paced(&f->uart, true); /* the datasheet's timing, which most tests check */
}

static void outb(struct fx *f, int reg, uint8_t v)
{
    bus_io_write(f->bus, (uint16_t)(COM1 + reg), 1, v);
}

static uint8_t inb(struct fx *f, int reg)
{
    return (uint8_t)bus_io_read(f->bus, (uint16_t)(COM1 + reg), 1);
}

/* Character time in ns, rounded up: 'half_bits' / 2 bits at 1843200 / (16 x divisor) baud. */
static uint64_t char_ns(unsigned half_bits, unsigned divisor)
{
    uint64_t num = (uint64_t)half_bits * 16 * divisor * 1000000000u, den = 2 * 1843200u;
    return (num + den - 1) / den;
}

static void set_115200_8n1(struct fx *f)
{
    outb(f, 3, 0x80);
    outb(f, 0, 0x01);
    outb(f, 1, 0x00);
    outb(f, 3, 0x03);
}

START_TEST(test_reset_values)
{
    struct fx f;
    fx_init(&f);
    ck_assert_uint_eq(inb(&f, 1), 0x00);
    ck_assert_uint_eq(inb(&f, 2), 0x01);
    ck_assert_uint_eq(inb(&f, 3), 0x00);
    ck_assert_uint_eq(inb(&f, 4), 0x00);
    ck_assert_uint_eq(inb(&f, 5), 0x60);
    ck_assert_uint_eq(inb(&f, 6), 0xb0); /* CTS, DSR, DCD asserted; no deltas */
    outb(&f, 7, 0xa5);
    ck_assert_uint_eq(inb(&f, 7), 0xa5);
    ck_assert(!f.irq);
    bus_free(f.bus);
}
END_TEST

/* Unpaced (the PC's default): bytes reach the backend as they are written,
 * THR and the shifter read empty at once, and an enabled THRE interrupt is
 * raised by each write (PC16550D Table IV: THR empty). */
START_TEST(test_unpaced_transmit)
{
    struct fx f;
    fx_init(&f);
    uart_set_paced(&f.uart, false);
    set_115200_8n1(&f);
    outb(&f, 0, 'A');
    outb(&f, 0, 'B');
    outb(&f, 0, 'C');
    ck_assert_int_eq(f.n_out, 3);
    ck_assert_mem_eq(f.out, "ABC", 3);
    ck_assert_uint_eq(inb(&f, 5), 0x60);
    outb(&f, 4, 0x08); /* OUT2 gates the interrupt onto the ISA line */
    outb(&f, 1, 0x02); /* ETBEI with THR empty: THRE at once */
    ck_assert(f.irq);
    ck_assert_uint_eq(inb(&f, 2), 0x02);
    ck_assert(!f.irq); /* reading IIR cleared it */
    outb(&f, 0, 'D');
    ck_assert(f.irq);
    ck_assert_int_eq(f.n_out, 4);
    /* Loopback: the byte arrives in the receiver, not at the backend. */
    outb(&f, 1, 0x00);
    outb(&f, 4, 0x10);
    outb(&f, 0, 'E');
    ck_assert_int_eq(f.n_out, 4);
    ck_assert_uint_eq(inb(&f, 5) & 0x61, 0x61);
    ck_assert_uint_eq(inb(&f, 0), 'E');
    bus_free(f.bus);
}
END_TEST

START_TEST(test_divisor_latch)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 3, 0x83);
    outb(&f, 0, 0x34);
    outb(&f, 1, 0x12);
    ck_assert_uint_eq(inb(&f, 0), 0x34);
    ck_assert_uint_eq(inb(&f, 1), 0x12);
    outb(&f, 3, 0x03);
    ck_assert_uint_eq(inb(&f, 1), 0x00); /* IER again */
    ck_assert_int_eq(f.n_out, 0);          /* the DLL write did not transmit */
    outb(&f, 3, 0x80);
    ck_assert_uint_eq(bus_io_read(f.bus, COM1, 2), 0x1234);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_transmit_timing)
{
    struct fx f;
    fx_init(&f);
    set_115200_8n1(&f);
    uint64_t c = char_ns(20, 1); /* 10 bits: 86.8 us */
    outb(&f, 0, 'A');
    ck_assert_uint_eq(inb(&f, 5), 0x20); /* THR empty, shifter busy */
    clock_advance(&f.clk, c - 1);
    ck_assert_int_eq(f.n_out, 0);
    clock_advance(&f.clk, c);
    ck_assert_int_eq(f.n_out, 1);
    ck_assert_uint_eq(f.out[0], 'A');
    ck_assert_uint_eq(inb(&f, 5), 0x60);
    /* Without FIFOs: one byte in the shifter, one in THR. */
    outb(&f, 0, 'B');
    outb(&f, 0, 'C');
    ck_assert_uint_eq(inb(&f, 5), 0x00);
    clock_advance(&f.clk, 2 * c);
    ck_assert_uint_eq(inb(&f, 5), 0x20);
    clock_advance(&f.clk, 3 * c);
    ck_assert_int_eq(f.n_out, 3);
    ck_assert_uint_eq(f.out[2], 'C');
    ck_assert_uint_eq(inb(&f, 5), 0x60);
    /* 7 data bits, parity, 2 stop bits at 9600 baud: 11 bits. */
    outb(&f, 3, 0x80);
    outb(&f, 0, 12);
    outb(&f, 3, 0x0e);
    uint64_t t = 3 * c;
    outb(&f, 0, 'D');
    clock_advance(&f.clk, t + char_ns(22, 12) - 1);
    ck_assert_int_eq(f.n_out, 3);
    clock_advance(&f.clk, t + char_ns(22, 12));
    ck_assert_int_eq(f.n_out, 4);
    /* 5 data bits with "2" stop bits means 1.5: 7.5 bits. */
    t += char_ns(22, 12);
    outb(&f, 3, 0x04);
    outb(&f, 0, 'E');
    clock_advance(&f.clk, t + char_ns(15, 12) - 1);
    ck_assert_int_eq(f.n_out, 4);
    clock_advance(&f.clk, t + char_ns(15, 12));
    ck_assert_int_eq(f.n_out, 5);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_thre_interrupt)
{
    struct fx f;
    fx_init(&f);
    set_115200_8n1(&f);
    outb(&f, 1, 0x02);
    ck_assert_uint_eq(inb(&f, 2), 0x02); /* raised by the IER write with THR empty */
    ck_assert_uint_eq(inb(&f, 2), 0x01); /* cleared by reading IIR */
    outb(&f, 1, 0x02);
    ck_assert(!f.irq); /* pending, but OUT2 is off */
    outb(&f, 4, 0x08);
    ck_assert(f.irq);
    outb(&f, 0, 'x'); /* straight into the shifter: THR empty again */
    ck_assert(f.irq);
    ck_assert_uint_eq(inb(&f, 2), 0x02);
    ck_assert(!f.irq);
    outb(&f, 0, 'y'); /* waits in THR */
    ck_assert_uint_eq(inb(&f, 2), 0x01);
    clock_advance(&f.clk, char_ns(20, 1));
    ck_assert(f.irq); /* 'y' moved to the shifter */
    ck_assert_uint_eq(inb(&f, 2), 0x02);
    outb(&f, 4, 0x00);
    outb(&f, 1, 0x02);
    ck_assert(!f.irq);
    ck_assert_uint_eq(inb(&f, 2), 0x02);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_receive_and_trigger_levels)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 1, 0x01);
    outb(&f, 4, 0x08);
    uart_receive(&f.uart, 'a');
    ck_assert(f.irq);
    ck_assert_uint_eq(inb(&f, 2), 0x04);
    ck_assert_uint_eq(inb(&f, 5) & 0x01, 0x01);
    ck_assert_uint_eq(inb(&f, 0), 'a');
    ck_assert_uint_eq(inb(&f, 2), 0x01);
    ck_assert(!f.irq);
    static const struct {
        uint8_t fcr;
        int level;
    } trig[] = {{0x01, 1}, {0x41, 4}, {0x81, 8}, {0xc1, 14}};
    for (unsigned i = 0; i < 4; i++) {
        outb(&f, 2, trig[i].fcr);
        for (int n = 0; n < trig[i].level - 1; n++)
            uart_receive(&f.uart, (uint8_t)(0x30 + n));
        ck_assert_uint_eq(inb(&f, 2), 0xc1);
        uart_receive(&f.uart, (uint8_t)(0x30 + trig[i].level - 1));
        ck_assert_uint_eq(inb(&f, 2), 0xc4);
        ck_assert(f.irq);
        for (int n = 0; n < trig[i].level; n++)
            ck_assert_uint_eq(inb(&f, 0), 0x30 + n);
        ck_assert_uint_eq(inb(&f, 5) & 0x01, 0x00);
        ck_assert(!f.irq);
    }
    bus_free(f.bus);
}
END_TEST

START_TEST(test_character_timeout)
{
    struct fx f;
    fx_init(&f);
    set_115200_8n1(&f);
    outb(&f, 2, 0x81); /* FIFO, trigger 8 */
    outb(&f, 1, 0x01);
    outb(&f, 4, 0x08);
    uint64_t c4 = 4 * char_ns(20, 1);
    uart_receive(&f.uart, 1);
    uart_receive(&f.uart, 2);
    uart_receive(&f.uart, 3);
    clock_advance(&f.clk, c4 - 1);
    ck_assert_uint_eq(inb(&f, 2), 0xc1);
    clock_advance(&f.clk, c4);
    ck_assert_uint_eq(inb(&f, 2), 0xcc);
    ck_assert(f.irq);
    ck_assert_uint_eq(inb(&f, 0), 1); /* a read clears it and restarts the timer */
    ck_assert_uint_eq(inb(&f, 2), 0xc1);
    clock_advance(&f.clk, 2 * c4 - 1);
    ck_assert_uint_eq(inb(&f, 2), 0xc1);
    clock_advance(&f.clk, 2 * c4);
    ck_assert_uint_eq(inb(&f, 2), 0xcc);
    inb(&f, 0);
    inb(&f, 0);
    clock_advance(&f.clk, 4 * c4);
    ck_assert_uint_eq(inb(&f, 2), 0xc1); /* empty FIFO: no timeout */
    bus_free(f.bus);
}
END_TEST

START_TEST(test_interrupt_priority)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 4, 0x08);
    outb(&f, 1, 0x0f);
    uart_receive(&f.uart, 'p');
    uart_receive(&f.uart, 'q'); /* overrun: 'p' is lost */
    uart_set_modem_inputs(&f.uart, UART_MSR_DSR | UART_MSR_DCD);
    ck_assert_uint_eq(inb(&f, 2), 0x06); /* line status first */
    ck_assert_uint_eq(inb(&f, 5), 0x63);
    ck_assert_uint_eq(inb(&f, 2), 0x04); /* then received data */
    ck_assert_uint_eq(inb(&f, 0), 'q');
    ck_assert_uint_eq(inb(&f, 2), 0x02); /* then THR empty */
    ck_assert_uint_eq(inb(&f, 2), 0x00); /* then modem status */
    ck_assert(f.irq);
    ck_assert_uint_eq(inb(&f, 6), 0xa1); /* DSR, DCD; CTS dropped (DCTS) */
    ck_assert_uint_eq(inb(&f, 2), 0x01);
    ck_assert(!f.irq);
    /* Ring indicator: only the trailing edge sets TERI. */
    uart_set_modem_inputs(&f.uart, UART_MSR_RI);
    ck_assert_uint_eq(inb(&f, 6), 0x40 | 0x02 | 0x08);
    uart_set_modem_inputs(&f.uart, 0);
    ck_assert_uint_eq(inb(&f, 6), 0x04);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_loopback)
{
    struct fx f;
    fx_init(&f);
    set_115200_8n1(&f);
    outb(&f, 4, 0x1f);
    ck_assert_uint_eq(inb(&f, 6), 0xf0); /* RI rose: not an edge TERI reports */
    outb(&f, 4, 0x10);
    ck_assert_uint_eq(inb(&f, 6), 0x0f);
    ck_assert_uint_eq(inb(&f, 6), 0x00);
    outb(&f, 4, 0x12); /* RTS -> CTS */
    ck_assert_uint_eq(inb(&f, 6), 0x11);
    ck_assert(!uart_can_receive(&f.uart));
    uart_receive(&f.uart, 'h'); /* the serial input is disconnected */
    ck_assert_uint_eq(inb(&f, 5) & 0x01, 0);
    outb(&f, 1, 0x01);
    outb(&f, 4, 0x18); /* loopback with OUT2 */
    outb(&f, 0, 'Z');
    clock_advance(&f.clk, char_ns(20, 1));
    ck_assert_int_eq(f.n_out, 0);
    ck_assert_uint_eq(inb(&f, 2), 0x04);
    ck_assert(!f.irq); /* OUT2's pin is inactive in loopback */
    outb(&f, 4, 0x08);
    ck_assert(f.irq);
    ck_assert_uint_eq(inb(&f, 0), 'Z');
    ck_assert(uart_can_receive(&f.uart));
    bus_free(f.bus);
}
END_TEST

START_TEST(test_fifo_overrun_and_reset)
{
    struct fx f;
    fx_init(&f);
    set_115200_8n1(&f);
    outb(&f, 2, 0x07);
    for (int i = 0; i < 17; i++) {
        ck_assert(uart_can_receive(&f.uart) == (i < 16));
        uart_receive(&f.uart, (uint8_t)i);
    }
    ck_assert_uint_eq(inb(&f, 5) & 0x03, 0x03);
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(inb(&f, 0), i);
    ck_assert_uint_eq(inb(&f, 5) & 0x03, 0x00);
    uart_receive(&f.uart, 0x55);
    outb(&f, 2, 0x03); /* RX FIFO reset */
    ck_assert_uint_eq(inb(&f, 5) & 0x01, 0x00);
    /* TX: one byte to the shifter, 16 in the FIFO, the 18th lost. */
    for (int i = 0; i < 18; i++)
        outb(&f, 0, (uint8_t)(0x40 + i));
    clock_advance(&f.clk, 17 * char_ns(20, 1) - 1);
    ck_assert_int_eq(f.n_out, 16);
    clock_advance(&f.clk, 17 * char_ns(20, 1));
    ck_assert_int_eq(f.n_out, 17);
    for (int i = 0; i < 17; i++)
        ck_assert_uint_eq(f.out[i], 0x40 + i);
    clock_advance(&f.clk, 30 * char_ns(20, 1));
    ck_assert_int_eq(f.n_out, 17);
    ck_assert_uint_eq(inb(&f, 5), 0x60);
    /* Turning the FIFOs off empties them. */
    uart_receive(&f.uart, 1);
    outb(&f, 2, 0x00);
    ck_assert_uint_eq(inb(&f, 5) & 0x01, 0x00);
    ck_assert_uint_eq(inb(&f, 2), 0x01);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_hostile_writes)
{
    struct fx f;
    fx_init(&f);
    uint64_t t = 0;
    for (unsigned v = 0; v < 256; v++) {
        for (int reg = 0; reg < 8; reg++) {
            outb(&f, reg, (uint8_t)(v ^ (unsigned)reg * 0x35));
            (void)inb(&f, (reg + (int)v) & 7);
            if (v & 1)
                uart_receive(&f.uart, (uint8_t)v);
            uart_set_modem_inputs(&f.uart, (uint8_t)(v << reg));
        }
        bus_io_write(f.bus, COM1, 4, v * 0x01010101u);
        clock_advance(&f.clk, t += v * 1000);
    }
    /* A divisor of 0 must not hang the transmitter. */
    outb(&f, 3, 0x80);
    outb(&f, 0, 0);
    outb(&f, 1, 0);
    outb(&f, 3, 0x03);
    outb(&f, 4, 0x00);
    outb(&f, 2, 0x07);
    clock_advance(&f.clk, t += UINT64_C(1000000000000)); /* drain: 17 slow characters < 1000 s */
    int before = f.n_out;
    outb(&f, 0, 0x99);
    clock_advance(&f.clk, t + UINT64_C(10000000000)); /* 10 bits at divisor 65536: 5.7 s */
    ck_assert_int_eq(f.n_out, before + 1);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_uart");
    TCase *tc = tcase_create("uart");
    tcase_add_test(tc, test_reset_values);
    tcase_add_test(tc, test_divisor_latch);
    tcase_add_test(tc, test_transmit_timing);
    tcase_add_test(tc, test_thre_interrupt);
    tcase_add_test(tc, test_receive_and_trigger_levels);
    tcase_add_test(tc, test_character_timeout);
    tcase_add_test(tc, test_interrupt_priority);
    tcase_add_test(tc, test_loopback);
    tcase_add_test(tc, test_unpaced_transmit);
    tcase_add_test(tc, test_fifo_overrun_and_reset);
    tcase_add_test(tc, test_hostile_writes);
    suite_add_tcase(s, tc);
    return check_run(s);
}
