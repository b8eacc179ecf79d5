/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the SDL display's host-side tables, without a window: SDL
 * scancodes (USB HID usage IDs) reach every Kiln key, and selected keys
 * come out of the PS/2 keyboard as the scan code set 2 bytes that the IBM
 * PS/2 keyboard reference lists (A = 1C, Right Ctrl = E0 14, keypad 0 =
 * 70, Print Screen = E0 12 E0 7C, Pause = E1 14 77 E1 F0 14 F0 77); the
 * shown size keeps 4:3 for VGA-timed pictures and square pixels above.
 */
#include <SDL.h>
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "frontend/display_sdl.h"

START_TEST(test_every_key_reachable)
{
    bool seen[KILN_KEY_COUNT] = {false};
    for (int sc = 0; sc < SDL_NUM_SCANCODES; sc++) {
        enum kiln_key k = display_sdl_key(sc);
        ck_assert_int_ge(k, KILN_KEY_NONE);
        ck_assert_int_lt(k, KILN_KEY_COUNT);
        seen[k] = true;
    }
    for (int k = KILN_KEY_NONE + 1; k < KILN_KEY_COUNT; k++)
        ck_assert_msg(seen[k], "kiln key %d has no SDL scancode", k);
    /* HID usage IDs fixed by the USB HID Usage Tables, chapter 10. */
    ck_assert_int_eq(display_sdl_key(4), KILN_KEY_A);
    ck_assert_int_eq(display_sdl_key(29), KILN_KEY_Z);
    ck_assert_int_eq(display_sdl_key(30), KILN_KEY_1);
    ck_assert_int_eq(display_sdl_key(39), KILN_KEY_0);
    ck_assert_int_eq(display_sdl_key(40), KILN_KEY_ENTER);
    ck_assert_int_eq(display_sdl_key(98), KILN_KEY_KP_0);
    ck_assert_int_eq(display_sdl_key(89), KILN_KEY_KP_1);
    ck_assert_int_eq(display_sdl_key(100), KILN_KEY_102ND);
    ck_assert_int_eq(display_sdl_key(0), KILN_KEY_NONE);
    ck_assert_int_eq(display_sdl_key(-1), KILN_KEY_NONE);
    ck_assert_int_eq(display_sdl_key(100000), KILN_KEY_NONE);
}
END_TEST

/* Press and release the key at HID usage 'sc' and collect the bytes. */
static int bytes_of(int sc, uint8_t *out, int max)
{
    struct clock clk;
    clock_init(&clk);
    struct ps2kbd k;
    ps2kbd_init(&k, &clk, (struct irq_line){0});
    enum kiln_key key = display_sdl_key(sc);
    ck_assert_int_ne(key, KILN_KEY_NONE);
    ps2kbd_key(&k, key, true);
    ps2kbd_key(&k, key, false);
    int n = 0;
    while (n < max && ps2kbd_read(&k, &out[n]))
        n++;
    return n;
}

static void assert_bytes(int sc, const uint8_t *want, int n)
{
    uint8_t got[32];
    int len = bytes_of(sc, got, 32);
    ck_assert_int_eq(len, n);
    for (int i = 0; i < n; i++)
        ck_assert_msg(got[i] == want[i], "HID %d byte %d: %02x, want %02x", sc, i, got[i],
                      want[i]);
}

START_TEST(test_set2_sequences)
{
    assert_bytes(4, (const uint8_t[]){0x1c, 0xf0, 0x1c}, 3);                      /* A */
    assert_bytes(228, (const uint8_t[]){0xe0, 0x14, 0xe0, 0xf0, 0x14}, 5);        /* R Ctrl */
    assert_bytes(98, (const uint8_t[]){0x70, 0xf0, 0x70}, 3);                     /* keypad 0 */
    assert_bytes(72, (const uint8_t[]){0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77}, 8);
    assert_bytes(70, (const uint8_t[]){0xe0, 0x12, 0xe0, 0x7c, 0xe0, 0xf0, 0x7c, 0xe0, 0xf0,
                                       0x12}, 10);                                /* PrtSc */
}
END_TEST

START_TEST(test_shown_aspect)
{
    int w, h;
    display_sdl_aspect(720, 400, &w, &h); /* 80x25 text */
    ck_assert_int_eq(w, 720);
    ck_assert_int_eq(h, 540);
    display_sdl_aspect(320, 200, &w, &h); /* mode 13h */
    ck_assert_int_eq(w, 320);
    ck_assert_int_eq(h, 240);
    display_sdl_aspect(640, 480, &w, &h);
    ck_assert_int_eq(h, 480);
    display_sdl_aspect(1024, 768, &w, &h); /* VBE: square pixels */
    ck_assert_int_eq(w, 1024);
    ck_assert_int_eq(h, 768);
    display_sdl_aspect(1280, 1024, &w, &h);
    ck_assert_int_eq(h, 1024);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frontend_sdl_keys");
    TCase *tc = tcase_create("sdl_keys");
    tcase_add_test(tc, test_every_key_reachable);
    tcase_add_test(tc, test_set2_sequences);
    tcase_add_test(tc, test_shown_aspect);
    suite_add_tcase(s, tc);
    return check_run(s);
}
