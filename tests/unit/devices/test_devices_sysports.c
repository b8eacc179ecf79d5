/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the small system ports through a real bus: System Control
 * Port A (92h) A20 and fast reset, the POST latch at 80h, the E9h debug
 * console and isa-debug-exit at its default and a custom iobase/iosize.
 * Expected values follow the IBM PS/2 Technical Reference's port 92h bits,
 * Bochs's documented E9h read value and QEMU's documented exit status
 * (value << 1) | 1.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "devices/sysports.h"

struct fx {
    struct bus *bus;
    struct sysports sp;
    bool a20;
    int a20_calls, resets, posts, exits;
    uint8_t last_post;
    uint32_t exit_status;
    char con[64];
    int con_len;
};

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

static void post_cb(void *opaque, uint8_t code)
{
    struct fx *f = opaque;
    f->last_post = code;
    f->posts++;
}

static void con_cb(void *opaque, uint8_t byte)
{
    struct fx *f = opaque;
    if (f->con_len < (int)sizeof(f->con) - 1)
        f->con[f->con_len++] = (char)byte;
}

static void exit_cb(void *opaque, uint32_t status)
{
    struct fx *f = opaque;
    f->exit_status = status;
    f->exits++;
}

/* Everything configured; the debug-exit device at 'base'/'size'. */
static void fx_init(struct fx *f, uint16_t base, uint16_t size)
{
    *f = (struct fx){0};
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    struct sysports_config cfg = {a20_cb, reset_cb, post_cb, con_cb, exit_cb, f, base, size};
    ck_assert(sysports_init(&f->sp, f->bus, &cfg));
}

static void out(struct fx *f, uint16_t port, int size, uint32_t v)
{
    bus_io_write(f->bus, port, size, v);
}

static uint32_t in(struct fx *f, uint16_t port, int size)
{
    return bus_io_read(f->bus, port, size);
}

START_TEST(test_port_a_a20)
{
    struct fx f;
    fx_init(&f, SYSPORTS_DEBUG_EXIT_BASE, SYSPORTS_DEBUG_EXIT_SIZE);
    ck_assert_uint_eq(in(&f, 0x92, 1), 0x00);
    out(&f, 0x92, 1, 0x02);
    ck_assert(f.a20);
    ck_assert(sysports_a20(&f.sp));
    ck_assert_int_eq(f.a20_calls, 1);
    ck_assert_uint_eq(in(&f, 0x92, 1), 0x02);
    out(&f, 0x92, 1, 0x02); /* no change, no callback */
    ck_assert_int_eq(f.a20_calls, 1);
    /* The usual read-modify-write to clear it. */
    out(&f, 0x92, 1, in(&f, 0x92, 1) & ~0x02u);
    ck_assert(!f.a20);
    ck_assert_int_eq(f.a20_calls, 2);
    ck_assert_int_eq(f.resets, 0);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_port_a_reset_and_lock)
{
    struct fx f;
    fx_init(&f, SYSPORTS_DEBUG_EXIT_BASE, SYSPORTS_DEBUG_EXIT_SIZE);
    out(&f, 0x92, 1, 0x01);
    ck_assert_int_eq(f.resets, 1);
    ck_assert_uint_eq(in(&f, 0x92, 1) & 0x01, 0);
    /* "in al,92h; or al,1; out 92h,al" works a second time too. */
    out(&f, 0x92, 1, in(&f, 0x92, 1) | 0x03);
    ck_assert_int_eq(f.resets, 2);
    ck_assert(f.a20);
    /* The security lock bit cannot be cleared once set. */
    out(&f, 0x92, 1, 0x0a);
    out(&f, 0x92, 1, 0x02);
    ck_assert_uint_eq(in(&f, 0x92, 1), 0x0a);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_post_code)
{
    struct fx f;
    fx_init(&f, SYSPORTS_DEBUG_EXIT_BASE, SYSPORTS_DEBUG_EXIT_SIZE);
    out(&f, 0x80, 1, 0x55);
    ck_assert_uint_eq(sysports_post_code(&f.sp), 0x55);
    ck_assert_uint_eq(in(&f, 0x80, 1), 0x55);
    ck_assert_uint_eq(f.last_post, 0x55);
    out(&f, 0x80, 1, 0xaa);
    ck_assert_uint_eq(sysports_post_code(&f.sp), 0xaa);
    ck_assert_int_eq(f.posts, 2);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_debugcon)
{
    struct fx f;
    fx_init(&f, SYSPORTS_DEBUG_EXIT_BASE, SYSPORTS_DEBUG_EXIT_SIZE);
    ck_assert_uint_eq(in(&f, 0xe9, 1), 0xe9);
    static const char msg[] = "Hi\n";
    for (size_t i = 0; i < strlen(msg); i++)
        out(&f, 0xe9, 1, (uint8_t)msg[i]);
    ck_assert_int_eq(f.con_len, 3);
    ck_assert(!memcmp(f.con, msg, 3));
    bus_free(f.bus);

    /* Without a console callback the port is not claimed: it floats. */
    struct bus *b = bus_new(4096);
    struct sysports sp;
    struct sysports_config cfg = {0};
    ck_assert(sysports_init(&sp, b, &cfg));
    ck_assert_uint_eq(bus_io_read(b, 0xe9, 1), 0xff);
    bus_io_write(b, 0xe9, 1, 'x');
    bus_io_write(b, 0xf4, 1, 1); /* no debug-exit device either */
    ck_assert_uint_eq(bus_io_read(b, 0x92, 1), 0x00);
    bus_free(b);
}
END_TEST

START_TEST(test_debug_exit_default)
{
    struct fx f;
    fx_init(&f, SYSPORTS_DEBUG_EXIT_BASE, SYSPORTS_DEBUG_EXIT_SIZE);
    out(&f, 0xf4, 1, 0x10);
    ck_assert_int_eq(f.exits, 1);
    ck_assert_uint_eq(f.exit_status, 0x21);
    out(&f, 0xf4, 1, 0x00);
    ck_assert_uint_eq(f.exit_status, 0x01);
    out(&f, 0xf4, 2, 0x0102);
    ck_assert_uint_eq(f.exit_status, 0x0205);
    out(&f, 0xf4, 4, 0x00012345);
    ck_assert_uint_eq(f.exit_status, 0x0002468b);
    out(&f, 0xf7, 1, 0x03); /* anywhere in the range */
    ck_assert_uint_eq(f.exit_status, 0x07);
    ck_assert_int_eq(f.exits, 5);
    ck_assert_uint_eq(in(&f, 0xf4, 1), 0xff); /* reads are unclaimed */
    out(&f, 0xf8, 1, 0x03);                   /* just past the range */
    ck_assert_int_eq(f.exits, 5);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_debug_exit_custom)
{
    struct fx f;
    fx_init(&f, 0x501, 2);
    out(&f, 0xf4, 1, 0x10);
    ck_assert_int_eq(f.exits, 0);
    out(&f, 0x502, 1, 0x2a);
    ck_assert_int_eq(f.exits, 1);
    ck_assert_uint_eq(f.exit_status, 0x55);
    out(&f, 0x503, 1, 0x2a);
    ck_assert_int_eq(f.exits, 1);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_port_conflict)
{
    /* An iobase over port 92h cannot be claimed: init reports it. */
    struct bus *b = bus_new(4096);
    struct sysports sp;
    struct sysports_config cfg = {.debug_exit = exit_cb, .debug_exit_base = 0x90,
                                  .debug_exit_size = 4};
    ck_assert(!sysports_init(&sp, b, &cfg));
    bus_free(b);
}
END_TEST

START_TEST(test_hostile_writes)
{
    struct fx f;
    fx_init(&f, SYSPORTS_DEBUG_EXIT_BASE, SYSPORTS_DEBUG_EXIT_SIZE);
    for (uint32_t v = 0; v < 512; v++) {
        out(&f, 0x92, 1 << (v % 3), v * 0x01010101u);
        out(&f, 0x80, 1 << (v % 3), v);
        out(&f, 0xe8, 4, v * 0x9e3779b9u);
        (void)in(&f, 0x91, 4);
    }
    ck_assert_int_eq(f.resets, 256); /* every odd value hit bit 0 */
    ck_assert_uint_eq(in(&f, 0x92, 1) & 0x08, 0x08);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_sysports");
    TCase *tc = tcase_create("sysports");
    tcase_add_test(tc, test_port_a_a20);
    tcase_add_test(tc, test_port_a_reset_and_lock);
    tcase_add_test(tc, test_post_code);
    tcase_add_test(tc, test_debugcon);
    tcase_add_test(tc, test_debug_exit_default);
    tcase_add_test(tc, test_debug_exit_custom);
    tcase_add_test(tc, test_port_conflict);
    tcase_add_test(tc, test_hostile_writes);
    suite_add_tcase(s, tc);
    return check_run(s);
}
