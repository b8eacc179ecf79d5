/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the PS/2 mouse behind the 8042 (commands through D4h, data
 * from port 60h with the AUX status bit) on a real bus and virtual clock:
 * reset, ID and the IntelliMouse knock, status request, stream packets with
 * sign and overflow bits, 2:1 scaling, sample-rate pacing, the wheel byte,
 * remote and wrap modes, parameter errors and resend. Expected bytes come
 * from the IBM PS/2 Mouse Technical Reference and Microsoft's IntelliMouse
 * protocol note.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "devices/kbc.h"
#include "devices/ps2mouse.h"

#define MS 1000000u

struct fx {
    struct bus *bus;
    struct clock clk;
    struct kbc kbc;
    struct ps2mouse mouse;
    bool irq12;
    int irq12_rises;
};

static void irq_cb(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    if (n == 1) {
        if (level && !f->irq12)
            f->irq12_rises++;
        f->irq12 = level;
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

/* Read mouse bytes until the controller has been idle for 1.2 ms; every byte
 * must carry the AUX status bit. */
static int drain(struct fx *f, uint8_t *out, int max)
{
    int n = 0;
    for (int idle = 0; idle < 12 && n < max;) {
        step(f, 100000);
        uint8_t st = inb(f, KBC_STATUS_PORT);
        if (!(st & KBC_STAT_OBF)) {
            idle++;
            continue;
        }
        ck_assert_msg(st & KBC_STAT_AUX, "byte %d without the AUX bit", n);
        out[n++] = inb(f, KBC_DATA_PORT);
        idle = 0;
    }
    return n;
}

static void expect_seq(struct fx *f, const uint8_t *exp, int n)
{
    uint8_t got[64];
    int m = drain(f, got, 64);
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

static void fx_init(struct fx *f)
{
    *f = (struct fx){0};
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    ck_assert(kbc_init(&f->kbc, f->bus, &f->clk, (struct irq_line){irq_cb, f, 0},
                       (struct irq_line){irq_cb, f, 1}, NULL));
    ps2mouse_init(&f->mouse, &f->clk, kbc_ready_line(&f->kbc, KBC_PORT_AUX));
    kbc_attach(&f->kbc, KBC_PORT_AUX,
               (struct kbc_device){ps2mouse_write, ps2mouse_read, &f->mouse});
    outb(f, KBC_STATUS_PORT, 0x60);
    outb(f, KBC_DATA_PORT, KBC_CB_AUX_INT);
}

/* Send bytes to the mouse, each through D4h. */
static void send(struct fx *f, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        outb(f, KBC_STATUS_PORT, 0xd4);
        outb(f, KBC_DATA_PORT, b[i]);
    }
}

#define SEND(f, ...)                                                                               \
    send((f), (const uint8_t[]){__VA_ARGS__}, (int)sizeof((const uint8_t[]){__VA_ARGS__}))

/* Stream mode on, and the sample clock past its next slot. */
static void enable(struct fx *f)
{
    SEND(f, 0xf4);
    EXPECT(f, 0xfa);
    step(f, 20 * MS);
}

START_TEST(test_reset_and_id)
{
    struct fx f;
    fx_init(&f);
    SEND(&f, 0xff);
    EXPECT(&f, 0xfa, 0xaa, 0x00);
    ck_assert(f.irq12_rises >= 3);
    SEND(&f, 0xf2);
    EXPECT(&f, 0xfa, 0x00);
    /* Rates in the wrong order do not unlock the wheel. */
    SEND(&f, 0xf3, 200, 0xf3, 80, 0xf3, 100, 0xf2);
    EXPECT(&f, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0x00);
    SEND(&f, 0xf3, 200, 0xf3, 100, 0xf3, 80, 0xf2);
    EXPECT(&f, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0x03);
    /* Reset returns to the plain mouse. */
    SEND(&f, 0xff, 0xf2);
    EXPECT(&f, 0xfa, 0xaa, 0x00, 0xfa, 0x00);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_status_request)
{
    struct fx f;
    fx_init(&f);
    SEND(&f, 0xe9);
    EXPECT(&f, 0xfa, 0x00, 0x02, 100);
    SEND(&f, 0xf4, 0xe7, 0xe8, 0x03, 0xf3, 40);
    EXPECT(&f, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa);
    ps2mouse_buttons(&f.mouse, PS2MOUSE_BTN_LEFT | PS2MOUSE_BTN_RIGHT);
    SEND(&f, 0xe9); /* aborts the pending button packet */
    EXPECT(&f, 0xfa, 0x35, 0x03, 40);
    SEND(&f, 0xf0, 0xe9);
    EXPECT(&f, 0xfa, 0xfa, 0x75, 0x03, 40);
    /* Resend repeats the last data reply. */
    SEND(&f, 0xfe);
    EXPECT(&f, 0x75, 0x03, 40);
    /* Defaults: 100/s, 4 counts/mm, 1:1, stream, disabled; buttons stay. */
    SEND(&f, 0xf6, 0xe9);
    EXPECT(&f, 0xfa, 0xfa, 0x05, 0x02, 100);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_stream_packets)
{
    struct fx f;
    fx_init(&f);
    /* Disabled: motion is not reported. */
    ps2mouse_move(&f.mouse, 5, 5, 0);
    EXPECT_NONE(&f);
    enable(&f);
    ps2mouse_move(&f.mouse, 10, -5, 0); /* right 10, up 5 */
    EXPECT(&f, 0x08, 0x0a, 0x05);
    ck_assert(!f.irq12);
    step(&f, 20 * MS);
    ps2mouse_move(&f.mouse, -3, 4, 0); /* left 3, down 4: both sign bits */
    EXPECT(&f, 0x38, 0xfd, 0xfc);
    step(&f, 20 * MS);
    /* More than a packet holds: 255 now, the other 45 one sample period
     * (10 ms at 100/s) later, no overflow bit, nothing lost. */
    ps2mouse_move(&f.mouse, 300, 0, 0);
    EXPECT(&f, 0x08, 0xff, 0x00);
    step(&f, 5 * MS);
    EXPECT_NONE(&f);
    step(&f, 6 * MS);
    EXPECT(&f, 0x08, 0x2d, 0x00);
    step(&f, 20 * MS);
    ps2mouse_move(&f.mouse, 0, 400, 0); /* down 400: -256, then -144 (70h with the sign) */
    EXPECT(&f, 0x28, 0x00, 0x00);
    step(&f, 11 * MS);
    EXPECT(&f, 0x28, 0x00, 0x70);
    step(&f, 20 * MS);
    EXPECT_NONE(&f);
    ps2mouse_buttons(&f.mouse, PS2MOUSE_BTN_MIDDLE);
    EXPECT(&f, 0x0c, 0x00, 0x00);
    SEND(&f, 0xf5);
    EXPECT(&f, 0xfa);
    ps2mouse_move(&f.mouse, 1, 1, 0);
    EXPECT_NONE(&f);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_sample_rate_pacing)
{
    struct fx f;
    fx_init(&f);
    SEND(&f, 0xf3, 10);
    EXPECT(&f, 0xfa, 0xfa);
    enable(&f);
    step(&f, 100 * MS);
    ps2mouse_move(&f.mouse, 1, 0, 0);
    EXPECT(&f, 0x08, 0x01, 0x00);
    uint64_t t0 = clock_now(&f.clk);
    ps2mouse_move(&f.mouse, 2, 0, 0);
    ps2mouse_move(&f.mouse, 3, 0, 0);
    EXPECT_NONE(&f); /* 10/s: nothing before 100 ms have passed */
    clock_advance(&f.clk, t0 + 90 * MS);
    EXPECT_NONE(&f);
    clock_advance(&f.clk, t0 + 100 * MS);
    EXPECT(&f, 0x08, 0x05, 0x00); /* the two moves, accumulated */
    bus_free(f.bus);
}
END_TEST

START_TEST(test_short_click_survives)
{
    struct fx f;
    fx_init(&f);
    enable(&f);
    ps2mouse_move(&f.mouse, 1, 0, 0);
    ps2mouse_buttons(&f.mouse, PS2MOUSE_BTN_LEFT);
    ps2mouse_buttons(&f.mouse, 0);
    /* The move's packet is still queued when the press comes: the press's
     * packet follows it at once; the release's waits for the next sample. */
    uint8_t b[16];
    ck_assert_int_eq(drain(&f, b, 16), 6);
    step(&f, 20 * MS);
    ck_assert_int_eq(drain(&f, b + 6, 10), 3);
    ck_assert_uint_eq(b[0], 0x08);
    ck_assert_uint_eq(b[1], 0x01);
    ck_assert_uint_eq(b[3], 0x09);
    ck_assert_uint_eq(b[6], 0x08);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_scaling)
{
    struct fx f;
    fx_init(&f);
    SEND(&f, 0xe7);
    EXPECT(&f, 0xfa);
    enable(&f);
    static const int in[] = {1, 2, 3, 4, 5, 10, -4};
    static const uint8_t out[] = {1, 1, 3, 6, 9, 20, (uint8_t)-6};
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        ps2mouse_move(&f.mouse, in[i], 0, 0);
        uint8_t b[4];
        ck_assert_int_eq(drain(&f, b, 4), 3);
        ck_assert_uint_eq(b[1], out[i]);
        step(&f, 20 * MS);
    }
    /* 2:1 scaling of 200 counts is 400: more than 9 bits hold, so the
     * packet says overflow with the count at its limit. */
    ps2mouse_move(&f.mouse, 200, 0, 0);
    EXPECT(&f, 0x48, 0xff, 0x00);
    step(&f, 20 * MS);
    /* Remote-mode reads are not scaled. */
    SEND(&f, 0xf0);
    EXPECT(&f, 0xfa);
    ps2mouse_move(&f.mouse, 4, 0, 0);
    SEND(&f, 0xeb);
    EXPECT(&f, 0xfa, 0x08, 0x04, 0x00);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_wheel)
{
    struct fx f;
    fx_init(&f);
    SEND(&f, 0xf3, 200, 0xf3, 100, 0xf3, 80);
    EXPECT(&f, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa, 0xfa);
    enable(&f);
    ps2mouse_move(&f.mouse, 0, 0, 2);
    EXPECT(&f, 0x08, 0x00, 0x00, 0x02);
    step(&f, 20 * MS);
    ps2mouse_move(&f.mouse, 1, 0, -20); /* -8 now, the rest in later packets */
    EXPECT(&f, 0x08, 0x01, 0x00, 0xf8);
    step(&f, 20 * MS);
    EXPECT(&f, 0x08, 0x00, 0x00, 0xf8);
    step(&f, 20 * MS);
    EXPECT(&f, 0x08, 0x00, 0x00, 0xfc);
    step(&f, 20 * MS);
    EXPECT_NONE(&f);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_remote_mode)
{
    struct fx f;
    fx_init(&f);
    SEND(&f, 0xf0);
    EXPECT(&f, 0xfa);
    SEND(&f, 0xf4);
    EXPECT(&f, 0xfa);
    ps2mouse_move(&f.mouse, 5, 0, 0);
    ps2mouse_buttons(&f.mouse, PS2MOUSE_BTN_RIGHT);
    step(&f, 50 * MS);
    EXPECT_NONE(&f);
    SEND(&f, 0xeb);
    EXPECT(&f, 0xfa, 0x0a, 0x05, 0x00);
    SEND(&f, 0xeb);
    EXPECT(&f, 0xfa, 0x0a, 0x00, 0x00);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_wrap_mode)
{
    struct fx f;
    fx_init(&f);
    SEND(&f, 0xee);
    EXPECT(&f, 0xfa);
    SEND(&f, 0x12, 0xf4, 0xe9);
    EXPECT(&f, 0x12, 0xf4, 0xe9);
    SEND(&f, 0xec);
    EXPECT(&f, 0xfa);
    SEND(&f, 0x12); /* no longer wrapped: not a command */
    EXPECT(&f, 0xfe);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_bad_parameters)
{
    struct fx f;
    fx_init(&f);
    SEND(&f, 0xe8, 0x07, 0x09);
    EXPECT(&f, 0xfa, 0xfe, 0xfc);
    SEND(&f, 0xf3, 33, 20);
    EXPECT(&f, 0xfa, 0xfe, 0xfa);
    SEND(&f, 0xe9);
    EXPECT(&f, 0xfa, 0x00, 0x02, 20);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_hostile_writes)
{
    struct fx f;
    fx_init(&f);
    uint32_t seed = 7;
    for (int i = 0; i < 4000; i++) {
        seed = seed * 1103515245u + 12345u;
        uint8_t b = (uint8_t)(seed >> 16);
        send(&f, &b, 1);
        if (i % 5 == 0)
            ps2mouse_move(&f.mouse, (int)(seed % 2001) - 1000, (int)((seed >> 4) % 2001) - 1000,
                          (int)(seed >> 28) - 8);
        if (i % 9 == 0)
            ps2mouse_buttons(&f.mouse, (uint8_t)(seed >> 24));
        step(&f, 30000);
        (void)inb(&f, KBC_DATA_PORT);
    }
    ps2mouse_move(&f.mouse, 2000000000, -2000000000, 2000000000);
    ps2mouse_move(&f.mouse, 2000000000, -2000000000, 2000000000);
    uint8_t junk[64];
    SEND(&f, 0xf5);
    drain(&f, junk, 64);
    SEND(&f, 0xff);
    EXPECT(&f, 0xfa, 0xaa, 0x00);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_ps2mouse");
    TCase *tc = tcase_create("ps2mouse");
    tcase_add_test(tc, test_reset_and_id);
    tcase_add_test(tc, test_status_request);
    tcase_add_test(tc, test_stream_packets);
    tcase_add_test(tc, test_sample_rate_pacing);
    tcase_add_test(tc, test_short_click_survives);
    tcase_add_test(tc, test_scaling);
    tcase_add_test(tc, test_wheel);
    tcase_add_test(tc, test_remote_mode);
    tcase_add_test(tc, test_wrap_mode);
    tcase_add_test(tc, test_bad_parameters);
    tcase_add_test(tc, test_hostile_writes);
    suite_add_tcase(s, tc);
    return check_run(s);
}
