/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the 8042 keyboard controller through ports 60h/64h on a real
 * bus, with the PS/2 keyboard and mouse attached: status bits, the command
 * byte, self and interface tests, IRQ 1/12, the output port's A20 and reset
 * lines, D2/D3/D4, disabling the interfaces, and the set 2 -> set 1
 * translation. Expected values come from the IBM PS/2 Technical Reference's
 * controller chapter and its scan code tables.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "devices/kbc.h"
#include "devices/ps2kbd.h"
#include "devices/ps2mouse.h"

/* A device's byte reaches the output buffer about 1 ms after it is free. */
#define FRAME 1100000u

struct fx {
    struct bus *bus;
    struct clock clk;
    struct kbc kbc;
    struct ps2kbd kbd;
    struct ps2mouse mouse;
    bool irq[2];
    int irq_rises[2];
    bool a20;
    int a20_calls, resets;
};

static void irq_cb(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    if (level && !f->irq[n])
        f->irq_rises[n]++;
    f->irq[n] = level;
}

static void a20_cb(void *opaque, bool on)
{
    struct fx *f = opaque;
    f->a20 = on;
    f->a20_calls++;
}

static void reset_cb(void *opaque)
{
    struct fx *f = opaque;
    f->resets++;
}

static void fx_init(struct fx *f, bool with_kbd, bool with_mouse)
{
    *f = (struct fx){0};
    f->a20 = true; /* the output port comes up with A20 enabled */
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    struct kbc_host host = {a20_cb, reset_cb, f};
    ck_assert(kbc_init(&f->kbc, f->bus, &f->clk, (struct irq_line){irq_cb, f, 0},
                       (struct irq_line){irq_cb, f, 1}, &host));
    if (with_kbd) {
        ps2kbd_init(&f->kbd, &f->clk, kbc_ready_line(&f->kbc, KBC_PORT_KBD));
        kbc_attach(&f->kbc, KBC_PORT_KBD, (struct kbc_device){ps2kbd_write, ps2kbd_read, &f->kbd});
    }
    if (with_mouse) {
        ps2mouse_init(&f->mouse, &f->clk, kbc_ready_line(&f->kbc, KBC_PORT_AUX));
        kbc_attach(&f->kbc, KBC_PORT_AUX,
                   (struct kbc_device){ps2mouse_write, ps2mouse_read, &f->mouse});
    }
}

static void outb(struct fx *f, uint16_t port, uint8_t v)
{
    bus_io_write(f->bus, port, 1, v);
}

static uint8_t inb(struct fx *f, uint16_t port)
{
    return (uint8_t)bus_io_read(f->bus, port, 1);
}

static void step(struct fx *f, uint64_t ns)
{
    clock_advance(&f->clk, clock_now(&f->clk) + ns);
}

/* Read what the controller delivers until it has been idle for 1.2 ms (a
 * device's byte takes 1 ms on the wire). */
static int drain(struct fx *f, uint8_t *out, bool *aux, int max)
{
    int n = 0;
    for (int idle = 0; idle < 12 && n < max;) {
        step(f, 100000);
        uint8_t st = inb(f, KBC_STATUS_PORT);
        if (!(st & KBC_STAT_OBF)) {
            idle++;
            continue;
        }
        if (aux)
            aux[n] = st & KBC_STAT_AUX;
        out[n++] = inb(f, KBC_DATA_PORT);
        idle = 0;
    }
    return n;
}

static void expect_seq(struct fx *f, const uint8_t *exp, int n)
{
    uint8_t got[64];
    int m = drain(f, got, NULL, 64);
    char g[200] = "", e[200] = "";
    for (int i = 0; i < m && i < 40; i++)
        snprintf(g + strlen(g), sizeof(g) - strlen(g), "%02x ", got[i]);
    for (int i = 0; i < n && i < 40; i++)
        snprintf(e + strlen(e), sizeof(e) - strlen(e), "%02x ", exp[i]);
    bool same = m == n && (n == 0 || !memcmp(got, exp, (size_t)n));
    ck_assert_msg(same, "expected [%s] got [%s]", e, g);
}

#define EXPECT(f, ...)                                                                             \
    expect_seq((f), (const uint8_t[]){__VA_ARGS__}, (int)sizeof((const uint8_t[]){__VA_ARGS__}))
#define EXPECT_NONE(f) expect_seq((f), NULL, 0)

static void write_cb(struct fx *f, uint8_t v)
{
    outb(f, KBC_STATUS_PORT, 0x60);
    outb(f, KBC_DATA_PORT, v);
}

START_TEST(test_self_test_and_status)
{
    struct fx f;
    fx_init(&f, true, true);
    uint8_t st = inb(&f, KBC_STATUS_PORT);
    ck_assert_uint_eq(st & (KBC_STAT_OBF | KBC_STAT_SYS | KBC_STAT_IBF), 0);
    ck_assert(st & KBC_STAT_UNLOCK);
    outb(&f, KBC_STATUS_PORT, 0xaa);
    st = inb(&f, KBC_STATUS_PORT);
    /* The reply is there at once, the system flag is set, and bit 3 says the
     * last write went to 64h. */
    ck_assert_uint_eq(st & (KBC_STAT_OBF | KBC_STAT_SYS | KBC_STAT_CMD | KBC_STAT_AUX),
                      KBC_STAT_OBF | KBC_STAT_SYS | KBC_STAT_CMD);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0x55);
    ck_assert_uint_eq(inb(&f, KBC_STATUS_PORT) & KBC_STAT_OBF, 0);
    /* The output buffer keeps its value once read. */
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0x55);
    outb(&f, KBC_STATUS_PORT, 0xab);
    EXPECT(&f, 0x00);
    outb(&f, KBC_STATUS_PORT, 0xa9);
    EXPECT(&f, 0x00);
    outb(&f, KBC_DATA_PORT, 0xee); /* echo, to the keyboard */
    ck_assert_uint_eq(inb(&f, KBC_STATUS_PORT) & KBC_STAT_CMD, 0);
    EXPECT(&f, 0xee);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_command_byte_and_ram)
{
    struct fx f;
    fx_init(&f, true, true);
    write_cb(&f, 0x47);
    outb(&f, KBC_STATUS_PORT, 0x20);
    EXPECT(&f, 0x47);
    ck_assert(inb(&f, KBC_STATUS_PORT) & KBC_STAT_SYS);
    write_cb(&f, 0x00);
    ck_assert_uint_eq(inb(&f, KBC_STATUS_PORT) & KBC_STAT_SYS, 0);
    outb(&f, KBC_STATUS_PORT, 0x65);
    outb(&f, KBC_DATA_PORT, 0x5a);
    outb(&f, KBC_STATUS_PORT, 0x25);
    EXPECT(&f, 0x5a);
    /* AD/AE and A7/A8 flip bits 4 and 5 of the command byte. */
    outb(&f, KBC_STATUS_PORT, 0xad);
    outb(&f, KBC_STATUS_PORT, 0xa7);
    outb(&f, KBC_STATUS_PORT, 0x20);
    EXPECT(&f, 0x30);
    outb(&f, KBC_STATUS_PORT, 0xae);
    outb(&f, KBC_STATUS_PORT, 0x20);
    EXPECT(&f, 0x20);
    outb(&f, KBC_STATUS_PORT, 0xa8);
    outb(&f, KBC_STATUS_PORT, 0x20);
    EXPECT(&f, 0x00);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_irq1_follows_obf)
{
    struct fx f;
    fx_init(&f, true, true);
    write_cb(&f, KBC_CB_KBD_INT | KBC_CB_SYS); /* no translation */
    ck_assert(!f.irq[0]);
    outb(&f, KBC_DATA_PORT, 0xf2);
    ck_assert(!f.irq[0]); /* the keyboard's reply takes wire time */
    step(&f, FRAME);
    ck_assert(inb(&f, KBC_STATUS_PORT) & KBC_STAT_OBF);
    ck_assert(f.irq[0]);
    ck_assert(!f.irq[1]);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0xfa);
    ck_assert(!f.irq[0]);
    step(&f, FRAME);
    ck_assert(f.irq[0]);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0xab);
    step(&f, FRAME);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0x83);
    ck_assert_int_eq(f.irq_rises[0], 3);
    /* With interrupts off the buffer still fills, but IRQ 1 stays low. */
    write_cb(&f, 0x00);
    outb(&f, KBC_DATA_PORT, 0xee);
    step(&f, FRAME);
    ck_assert(inb(&f, KBC_STATUS_PORT) & KBC_STAT_OBF);
    ck_assert(!f.irq[0]);
    /* Enabling the interrupt with the buffer full raises the line. */
    write_cb(&f, KBC_CB_KBD_INT);
    ck_assert(f.irq[0]);
    bus_free(f.bus);
}
END_TEST

/* A device byte follows the previous one's read by a PS/2 frame: a second read
 * of 60h still gets the first byte; a polling loop gets the next one after
 * about as many status reads as the frame has ISA read times (1 us each). */
START_TEST(test_device_byte_timing)
{
    struct fx f;
    fx_init(&f, true, true);
    write_cb(&f, KBC_CB_KBD_INT | KBC_CB_SYS);
    outb(&f, KBC_DATA_PORT, 0xf2);
    step(&f, FRAME);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0xfa);
    step(&f, 100000);
    ck_assert(!(inb(&f, KBC_STATUS_PORT) & KBC_STAT_OBF));
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0xfa); /* the buffer keeps its byte */
    int reads = 0;
    while (!(inb(&f, KBC_STATUS_PORT) & KBC_STAT_OBF) && reads < 5000)
        reads++;
    ck_assert_int_ge(reads, 800); /* 100 us passed and 1 us per read: about 900 */
    ck_assert_int_le(reads, 1000);
    ck_assert(f.irq[0]);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0xab);
    /* Left alone, the last byte arrives after the frame time. */
    step(&f, 900000);
    ck_assert(!f.irq[0]);
    step(&f, 200000);
    ck_assert(f.irq[0]);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0x83);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_irq12_and_aux)
{
    struct fx f;
    fx_init(&f, true, true);
    write_cb(&f, KBC_CB_KBD_INT | KBC_CB_AUX_INT);
    outb(&f, KBC_STATUS_PORT, 0xd4);
    outb(&f, KBC_DATA_PORT, 0xf2);
    step(&f, FRAME);
    uint8_t st = inb(&f, KBC_STATUS_PORT);
    ck_assert_uint_eq(st & (KBC_STAT_OBF | KBC_STAT_AUX), KBC_STAT_OBF | KBC_STAT_AUX);
    ck_assert(f.irq[1]);
    ck_assert(!f.irq[0]);
    uint8_t b[8];
    bool aux[8];
    ck_assert_int_eq(drain(&f, b, aux, 8), 2);
    ck_assert_uint_eq(b[0], 0xfa);
    ck_assert_uint_eq(b[1], 0x00);
    ck_assert(aux[0] && aux[1]);
    ck_assert(!f.irq[1]);
    /* D3 puts a byte in the buffer as if from the mouse, D2 as if from the keyboard. */
    outb(&f, KBC_STATUS_PORT, 0xd3);
    outb(&f, KBC_DATA_PORT, 0x5a);
    ck_assert(f.irq[1]);
    ck_assert(inb(&f, KBC_STATUS_PORT) & KBC_STAT_AUX);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0x5a);
    outb(&f, KBC_STATUS_PORT, 0xd2);
    outb(&f, KBC_DATA_PORT, 0xa5);
    ck_assert(f.irq[0]);
    ck_assert_uint_eq(inb(&f, KBC_STATUS_PORT) & KBC_STAT_AUX, 0);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0xa5);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_a20_through_output_port)
{
    struct fx f;
    fx_init(&f, true, true);
    outb(&f, KBC_STATUS_PORT, 0xd0);
    uint8_t out = 0;
    ck_assert_int_eq(drain(&f, &out, NULL, 1), 1);
    ck_assert_uint_eq(out & (KBC_OUT_A20 | KBC_OUT_RESET), KBC_OUT_A20 | KBC_OUT_RESET);
    /* The classic "D1h, DDh" turns A20 off and "D1h, DFh" on. */
    outb(&f, KBC_STATUS_PORT, 0xd1);
    outb(&f, KBC_DATA_PORT, 0xdd);
    ck_assert(!f.a20);
    ck_assert_int_eq(f.a20_calls, 1);
    outb(&f, KBC_STATUS_PORT, 0xd0);
    EXPECT(&f, 0xcd); /* bits 5-4 read the IRQ lines, both low here */
    outb(&f, KBC_STATUS_PORT, 0xd1);
    outb(&f, KBC_DATA_PORT, 0xdf);
    ck_assert(f.a20);
    ck_assert_int_eq(f.a20_calls, 2);
    outb(&f, KBC_STATUS_PORT, 0xd1); /* unchanged: no callback */
    outb(&f, KBC_DATA_PORT, 0xdf);
    ck_assert_int_eq(f.a20_calls, 2);
    outb(&f, KBC_STATUS_PORT, 0xdd);
    ck_assert(!f.a20);
    outb(&f, KBC_STATUS_PORT, 0xdf);
    ck_assert(f.a20);
    ck_assert_int_eq(f.resets, 0);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_reset_lines)
{
    struct fx f;
    fx_init(&f, true, true);
    outb(&f, KBC_STATUS_PORT, 0xfe);
    ck_assert_int_eq(f.resets, 1);
    outb(&f, KBC_STATUS_PORT, 0xff); /* pulses nothing */
    outb(&f, KBC_STATUS_PORT, 0xfd); /* pulses A20 only */
    ck_assert_int_eq(f.resets, 1);
    outb(&f, KBC_STATUS_PORT, 0xf0); /* pulses all four, reset among them */
    ck_assert_int_eq(f.resets, 2);
    outb(&f, KBC_STATUS_PORT, 0xd1);
    outb(&f, KBC_DATA_PORT, 0xcc); /* bit 0 low resets; bit 1 low gates A20 off first */
    ck_assert_int_eq(f.resets, 3);
    ck_assert(!f.a20);
    ck_assert_int_eq(f.a20_calls, 1);
    outb(&f, KBC_STATUS_PORT, 0xd0);
    uint8_t out = 0;
    ck_assert_int_eq(drain(&f, &out, NULL, 1), 1);
    ck_assert_uint_eq(out & KBC_OUT_RESET, KBC_OUT_RESET); /* a pulse, not a held reset */
    bus_free(f.bus);
}
END_TEST

START_TEST(test_disable_interfaces)
{
    struct fx f;
    fx_init(&f, true, true);
    write_cb(&f, 0x00);
    outb(&f, KBC_STATUS_PORT, 0xad);
    ps2kbd_key(&f.kbd, KILN_KEY_A, true);
    EXPECT_NONE(&f);
    outb(&f, KBC_STATUS_PORT, 0xae);
    EXPECT(&f, 0x1c);
    /* A byte for the keyboard enables its interface again. */
    outb(&f, KBC_STATUS_PORT, 0xad);
    outb(&f, KBC_DATA_PORT, 0xee);
    EXPECT(&f, 0xee);
    outb(&f, KBC_STATUS_PORT, 0x20);
    EXPECT(&f, 0x00);
    /* A7 holds the mouse's reply back until A8. */
    outb(&f, KBC_STATUS_PORT, 0xa7);
    outb(&f, KBC_STATUS_PORT, 0xd4);
    outb(&f, KBC_DATA_PORT, 0xf2);
    EXPECT_NONE(&f);
    outb(&f, KBC_STATUS_PORT, 0xa8);
    EXPECT(&f, 0xfa, 0x00);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_translation)
{
    struct fx f;
    fx_init(&f, true, true);
    write_cb(&f, KBC_CB_XLATE);
    ps2kbd_key(&f.kbd, KILN_KEY_A, true);
    ps2kbd_key(&f.kbd, KILN_KEY_A, false);
    EXPECT(&f, 0x1e, 0x9e);
    ps2kbd_key(&f.kbd, KILN_KEY_ESC, true);
    ps2kbd_key(&f.kbd, KILN_KEY_ESC, false);
    EXPECT(&f, 0x01, 0x81);
    ps2kbd_key(&f.kbd, KILN_KEY_RCTRL, true);
    ps2kbd_key(&f.kbd, KILN_KEY_RCTRL, false);
    EXPECT(&f, 0xe0, 0x1d, 0xe0, 0x9d);
    ps2kbd_key(&f.kbd, KILN_KEY_PAUSE, true);
    ps2kbd_key(&f.kbd, KILN_KEY_PAUSE, false);
    EXPECT(&f, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);
    /* Replies go through the table too: the MF II ID AB 83 reads AB 41. */
    outb(&f, KBC_DATA_PORT, 0xf2);
    EXPECT(&f, 0xfa, 0xab, 0x41);
    /* Without translation the same key is set 2. */
    write_cb(&f, 0x00);
    ps2kbd_key(&f.kbd, KILN_KEY_A, true);
    ps2kbd_key(&f.kbd, KILN_KEY_A, false);
    EXPECT(&f, 0x1c, 0xf0, 0x1c);
    /* Mouse bytes are never translated. */
    write_cb(&f, KBC_CB_XLATE);
    outb(&f, KBC_STATUS_PORT, 0xd4);
    outb(&f, KBC_DATA_PORT, 0xe9);
    EXPECT(&f, 0xfa, 0x00, 0x02, 0x64);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_translate_table)
{
    /* The table maps 01h-7Fh one to one onto 01h-7Fh. */
    bool seen[128] = {false};
    for (int i = 1; i < 0x80; i++) {
        uint8_t t = kbc_translate((uint8_t)i);
        ck_assert_msg(t >= 1 && t < 0x80 && !seen[t], "entry %02x -> %02x", i, t);
        seen[t] = true;
    }
    ck_assert_uint_eq(kbc_translate(0x00), 0xff);
    ck_assert_uint_eq(kbc_translate(0x1c), 0x1e); /* A */
    ck_assert_uint_eq(kbc_translate(0x5a), 0x1c); /* Enter */
    ck_assert_uint_eq(kbc_translate(0x76), 0x01); /* Esc */
    ck_assert_uint_eq(kbc_translate(0x83), 0x41); /* F7 */
    ck_assert_uint_eq(kbc_translate(0xaa), 0xaa); /* BAT passes */
    ck_assert_uint_eq(kbc_translate(0xfa), 0xfa); /* ACK passes */
}
END_TEST

START_TEST(test_reply_waits_for_buffer)
{
    struct fx f;
    fx_init(&f, true, true);
    write_cb(&f, 0x00);
    outb(&f, KBC_STATUS_PORT, 0xd2);
    outb(&f, KBC_DATA_PORT, 0x11);
    outb(&f, KBC_STATUS_PORT, 0x20); /* its reply must wait behind 11h */
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0x11);
    EXPECT(&f, 0x00);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_ports_and_test_inputs)
{
    struct fx f;
    fx_init(&f, true, true);
    outb(&f, KBC_STATUS_PORT, 0xc0);
    uint8_t in = 0;
    ck_assert_int_eq(drain(&f, &in, NULL, 1), 1);
    ck_assert(in & 0x80); /* keyboard not locked */
    outb(&f, KBC_STATUS_PORT, 0xe0);
    EXPECT(&f, 0x03);
    outb(&f, KBC_STATUS_PORT, 0xad);
    outb(&f, KBC_STATUS_PORT, 0xe0);
    EXPECT(&f, 0x02);
    outb(&f, KBC_STATUS_PORT, 0xa4); /* no password installed */
    EXPECT(&f, 0xf1);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_missing_devices)
{
    struct fx f;
    fx_init(&f, false, false);
    outb(&f, KBC_DATA_PORT, 0xff);
    uint8_t st = inb(&f, KBC_STATUS_PORT);
    ck_assert_uint_eq(st & (KBC_STAT_OBF | KBC_STAT_TIMEOUT), KBC_STAT_OBF | KBC_STAT_TIMEOUT);
    ck_assert_uint_eq(inb(&f, KBC_DATA_PORT), 0xfe);
    outb(&f, KBC_STATUS_PORT, 0xd4);
    outb(&f, KBC_DATA_PORT, 0xff);
    uint8_t b;
    bool aux;
    ck_assert_int_eq(drain(&f, &b, &aux, 1), 1);
    ck_assert_uint_eq(b, 0xfe);
    ck_assert(aux);
    outb(&f, KBC_STATUS_PORT, 0xa9);
    EXPECT(&f, 0xff);
    outb(&f, KBC_STATUS_PORT, 0xaa);
    EXPECT(&f, 0x55);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_hostile_writes)
{
    struct fx f;
    fx_init(&f, true, true);
    uint32_t seed = 12345;
    for (int c = 0; c < 256; c++) {
        outb(&f, KBC_STATUS_PORT, (uint8_t)c);
        seed = seed * 1103515245u + 12345u;
        outb(&f, KBC_DATA_PORT, (uint8_t)(seed >> 16));
        step(&f, 10000);
        (void)inb(&f, KBC_DATA_PORT);
        bus_io_write(f.bus, KBC_DATA_PORT, 4, seed);
        (void)bus_io_read(f.bus, KBC_STATUS_PORT, 2);
    }
    /* Whatever happened, the controller still answers. */
    uint8_t junk[64];
    outb(&f, KBC_STATUS_PORT, 0xa7);
    outb(&f, KBC_STATUS_PORT, 0xad);
    while (drain(&f, junk, NULL, 64) == 64)
        ;
    outb(&f, KBC_STATUS_PORT, 0xaa);
    EXPECT(&f, 0x55);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_kbc");
    TCase *tc = tcase_create("kbc");
    tcase_add_test(tc, test_self_test_and_status);
    tcase_add_test(tc, test_command_byte_and_ram);
    tcase_add_test(tc, test_irq1_follows_obf);
    tcase_add_test(tc, test_device_byte_timing);
    tcase_add_test(tc, test_irq12_and_aux);
    tcase_add_test(tc, test_a20_through_output_port);
    tcase_add_test(tc, test_reset_lines);
    tcase_add_test(tc, test_disable_interfaces);
    tcase_add_test(tc, test_translation);
    tcase_add_test(tc, test_translate_table);
    tcase_add_test(tc, test_reply_waits_for_buffer);
    tcase_add_test(tc, test_ports_and_test_inputs);
    tcase_add_test(tc, test_missing_devices);
    tcase_add_test(tc, test_hostile_writes);
    suite_add_tcase(s, tc);
    return check_run(s);
}
