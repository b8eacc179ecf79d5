/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of -display curses input: terminal bytes and escape sequences
 * become the PS/2 keyboard's scan code set 2 bytes (IBM PS/2 Technical
 * Reference, keyboard scan codes; set 2 as the keyboard sends it).
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "devices/clock.h"
#include "frontend/display_curses.h"

static struct clock clk;
static struct ps2kbd kbd;
static struct display_curses d;

static void setup(void)
{
    clock_init(&clk);
    ps2kbd_init(&kbd, &clk, (struct irq_line){0});
    memset(&d, 0, sizeof(d));
    d.keys = keysink_direct(&kbd);
}

/* Feed 's' and collect what the keyboard sends. */
static int typed(const char *s, uint64_t now, uint8_t *out, int max)
{
    for (const char *p = s; *p; p++)
        display_curses_input(&d, (uint8_t)*p, now);
    display_curses_idle(&d, now + 100000000u);
    int n = 0;
    for (int spin = 0; spin < 1000 && n < max; spin++) {
        clock_advance(&clk, clk.now + 1000000);
        uint8_t b;
        while (n < max && ps2kbd_read(&kbd, &b))
            out[n++] = b;
    }
    return n;
}

static void expect(const char *s, const uint8_t *want, int n)
{
    uint8_t got[32];
    int len = typed(s, 1000, got, 32);
    ck_assert_int_eq(len, n);
    for (int i = 0; i < n; i++)
        ck_assert_msg(got[i] == want[i], "'%s': byte %d is %02x, want %02x", s, i, got[i], want[i]);
}

START_TEST(test_letters_and_shift)
{
    const uint8_t a[] = {0x1c, 0xf0, 0x1c};
    expect("a", a, 3);
    const uint8_t shift_a[] = {0x12, 0x1c, 0xf0, 0x1c, 0xf0, 0x12};
    expect("A", shift_a, 6);
}
END_TEST

START_TEST(test_control_keys)
{
    const uint8_t enter[] = {0x5a, 0xf0, 0x5a};
    expect("\r", enter, 3);
    const uint8_t bs[] = {0x66, 0xf0, 0x66};
    expect("\x7f", bs, 3);
    const uint8_t ctrl_c[] = {0x14, 0x21, 0xf0, 0x21, 0xf0, 0x14};
    expect("\x03", ctrl_c, 6);
}
END_TEST

START_TEST(test_escape_sequences)
{
    const uint8_t up[] = {0xe0, 0x75, 0xe0, 0xf0, 0x75};
    expect("\x1b[A", up, 5);
    const uint8_t del[] = {0xe0, 0x71, 0xe0, 0xf0, 0x71};
    expect("\x1b[3~", del, 5);
    const uint8_t f5[] = {0x03, 0xf0, 0x03};
    expect("\x1b[15~", f5, 3);
    const uint8_t f1[] = {0x05, 0xf0, 0x05};
    expect("\x1bOP", f1, 3);
}
END_TEST

/* xterm's modifier parameter: 3 is Alt, 5 is Ctrl (1 + the modifier bits). */
START_TEST(test_modified_keys)
{
    const uint8_t alt_f10[] = {0x11, 0x09, 0xf0, 0x09, 0xf0, 0x11};
    expect("\x1b[21;3~", alt_f10, 6);
    const uint8_t ctrl_left[] = {0x14, 0xe0, 0x6b, 0xe0, 0xf0, 0x6b, 0xf0, 0x14};
    expect("\x1b[1;5D", ctrl_left, 8);
    const uint8_t ctrl_alt_f1[] = {0x11, 0x14, 0x05, 0xf0, 0x05, 0xf0, 0x14, 0xf0, 0x11};
    expect("\x1b[1;7P", ctrl_alt_f1, 9);
}
END_TEST

START_TEST(test_lone_escape_and_alt)
{
    const uint8_t esc[] = {0x76, 0xf0, 0x76};
    expect("\x1b", esc, 3);
    const uint8_t alt_x[] = {0x11, 0x22, 0xf0, 0x22, 0xf0, 0x11};
    expect("\x1bx", alt_x, 6);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frontend_curses_keys");
    TCase *tc = tcase_create("keys");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_letters_and_shift);
    tcase_add_test(tc, test_control_keys);
    tcase_add_test(tc, test_escape_sequences);
    tcase_add_test(tc, test_modified_keys);
    tcase_add_test(tc, test_lone_escape_and_alt);
    suite_add_tcase(s, tc);
    return check_run(s);
}
