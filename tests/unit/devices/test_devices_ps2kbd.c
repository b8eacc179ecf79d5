/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the PS/2 keyboard behind the 8042, through ports 60h/64h on
 * a real bus and a virtual clock: the command set (reset, echo, identify,
 * LEDs, scan code sets, typematic, enable/disable, resend, set 3 key types),
 * set 1/2/3 make and break codes with the E0/E1 sequences, typematic timing,
 * the 16-byte buffer's overrun code and the paste queue. Expected bytes come
 * from the IBM keyboard technical reference's scan code tables and
 * Microsoft's Keyboard Scan Code Specification, never from Kiln's output.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "devices/kbc.h"
#include "devices/ps2kbd.h"

#define MS 1000000u

struct fx {
    struct bus *bus;
    struct clock clk;
    struct kbc kbc;
    struct ps2kbd kbd;
};

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

static void advance_to(struct fx *f, uint64_t t)
{
    clock_advance(&f->clk, t);
}

/* Read what the controller delivers until it has been idle for 1.2 ms (a
 * device's byte takes 1 ms on the wire). */
static int drain(struct fx *f, uint8_t *out, int max)
{
    int n = 0;
    for (int idle = 0; idle < 12 && n < max;) {
        step(f, 100000);
        if (!(inb(f, KBC_STATUS_PORT) & KBC_STAT_OBF)) {
            idle++;
            continue;
        }
        out[n++] = inb(f, KBC_DATA_PORT);
        idle = 0;
    }
    return n;
}

static void expect_seq(struct fx *f, const uint8_t *exp, int n)
{
    uint8_t got[128];
    int m = drain(f, got, 128);
    char g[300] = "", e[300] = "";
    for (int i = 0; i < m && i < 64; i++)
        snprintf(g + strlen(g), sizeof(g) - strlen(g), "%02x ", got[i]);
    for (int i = 0; i < n && i < 64; i++)
        snprintf(e + strlen(e), sizeof(e) - strlen(e), "%02x ", exp[i]);
    bool same = m == n && (n == 0 || !memcmp(got, exp, (size_t)n));
    ck_assert_msg(same, "expected [%s] got [%s]", e, g);
}

#define EXPECT(f, ...)                                                                             \
    expect_seq((f), (const uint8_t[]){__VA_ARGS__}, (int)sizeof((const uint8_t[]){__VA_ARGS__}))
#define EXPECT_NONE(f) expect_seq((f), NULL, 0)

/* A controller with the keyboard attached; 'xlate' sets command byte bit 6. */
static void fx_init(struct fx *f, bool xlate)
{
    *f = (struct fx){0};
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    ck_assert(kbc_init(&f->kbc, f->bus, &f->clk, (struct irq_line){0}, (struct irq_line){0}, NULL));
    ps2kbd_init(&f->kbd, &f->clk, kbc_ready_line(&f->kbc, KBC_PORT_KBD));
    kbc_attach(&f->kbc, KBC_PORT_KBD, (struct kbc_device){ps2kbd_write, ps2kbd_read, &f->kbd});
    outb(f, KBC_STATUS_PORT, 0x60);
    outb(f, KBC_DATA_PORT, xlate ? KBC_CB_XLATE : 0x00);
}

static void kbd_cmd(struct fx *f, uint8_t v)
{
    outb(f, KBC_DATA_PORT, v);
}

static void tap(struct fx *f, enum kiln_key k)
{
    ps2kbd_key(&f->kbd, k, true);
    ps2kbd_key(&f->kbd, k, false);
}

/* Put the keyboard in scan code set 'set' (untranslated fixtures only). */
static void select_set(struct fx *f, uint8_t set)
{
    kbd_cmd(f, 0xf0);
    kbd_cmd(f, set);
    EXPECT(f, 0xfa, 0xfa);
}

START_TEST(test_reset_echo_identify)
{
    struct fx f;
    fx_init(&f, false);
    kbd_cmd(&f, 0xff);
    EXPECT(&f, 0xfa, 0xaa);
    kbd_cmd(&f, 0xee);
    EXPECT(&f, 0xee);
    kbd_cmd(&f, 0xf2);
    EXPECT(&f, 0xfa, 0xab, 0x83);
    /* Resend repeats the last byte sent. */
    kbd_cmd(&f, 0xfe);
    EXPECT(&f, 0x83);
    /* An unknown command asks for a resend. */
    kbd_cmd(&f, 0x42);
    EXPECT(&f, 0xfe);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_leds_and_scan_sets)
{
    struct fx f;
    fx_init(&f, false);
    kbd_cmd(&f, 0xed);
    kbd_cmd(&f, PS2KBD_LED_NUM | PS2KBD_LED_CAPS);
    EXPECT(&f, 0xfa, 0xfa);
    ck_assert_uint_eq(ps2kbd_leds(&f.kbd), PS2KBD_LED_NUM | PS2KBD_LED_CAPS);
    kbd_cmd(&f, 0xf0);
    kbd_cmd(&f, 0x00);
    EXPECT(&f, 0xfa, 0xfa, 0x02); /* F0h and its parameter are each ACKed */
    select_set(&f, 1);
    ck_assert_int_eq(ps2kbd_scan_set(&f.kbd), 1);
    kbd_cmd(&f, 0xf0);
    kbd_cmd(&f, 0x00);
    EXPECT(&f, 0xfa, 0xfa, 0x01);
    /* An out-of-range set is refused; a command abandons the parameter. */
    kbd_cmd(&f, 0xf0);
    kbd_cmd(&f, 0x07);
    EXPECT(&f, 0xfa, 0xfe);
    kbd_cmd(&f, 0xee);
    EXPECT(&f, 0xee);
    ck_assert_int_eq(ps2kbd_scan_set(&f.kbd), 1);
    /* Reset: set 2 and LEDs off again. */
    kbd_cmd(&f, 0xff);
    EXPECT(&f, 0xfa, 0xaa);
    ck_assert_int_eq(ps2kbd_scan_set(&f.kbd), 2);
    ck_assert_uint_eq(ps2kbd_leds(&f.kbd), 0);
    bus_free(f.bus);

    /* Through the 8042's translation the set numbers read 43h, 41h, 3Fh. */
    fx_init(&f, true);
    kbd_cmd(&f, 0xf0);
    kbd_cmd(&f, 0x00);
    EXPECT(&f, 0xfa, 0xfa, 0x41);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_set2_codes)
{
    struct fx f;
    fx_init(&f, false);
    tap(&f, KILN_KEY_A);
    EXPECT(&f, 0x1c, 0xf0, 0x1c);
    tap(&f, KILN_KEY_F7);
    EXPECT(&f, 0x83, 0xf0, 0x83);
    tap(&f, KILN_KEY_RCTRL);
    EXPECT(&f, 0xe0, 0x14, 0xe0, 0xf0, 0x14);
    tap(&f, KILN_KEY_KP_ENTER);
    EXPECT(&f, 0xe0, 0x5a, 0xe0, 0xf0, 0x5a);
    tap(&f, KILN_KEY_LWIN);
    EXPECT(&f, 0xe0, 0x1f, 0xe0, 0xf0, 0x1f);
    tap(&f, KILN_KEY_INSERT);
    EXPECT(&f, 0xe0, 0x70, 0xe0, 0xf0, 0x70);
    tap(&f, KILN_KEY_PAUSE);
    EXPECT(&f, 0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77);
    tap(&f, KILN_KEY_PRINTSCREEN);
    EXPECT(&f, 0xe0, 0x12, 0xe0, 0x7c, 0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12);
    /* A held key's repeated host downs are not sent again. */
    ps2kbd_key(&f.kbd, KILN_KEY_B, true);
    ps2kbd_key(&f.kbd, KILN_KEY_B, true);
    ps2kbd_key(&f.kbd, KILN_KEY_B, false);
    ps2kbd_key(&f.kbd, KILN_KEY_B, false);
    EXPECT(&f, 0x32, 0xf0, 0x32);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_fake_shifts)
{
    struct fx f;
    fx_init(&f, false);
    /* Num Lock on: the cursor block adds a fake left Shift around itself. */
    kbd_cmd(&f, 0xed);
    kbd_cmd(&f, PS2KBD_LED_NUM);
    EXPECT(&f, 0xfa, 0xfa);
    tap(&f, KILN_KEY_HOME);
    EXPECT(&f, 0xe0, 0x12, 0xe0, 0x6c, 0xe0, 0xf0, 0x6c, 0xe0, 0xf0, 0x12);
    /* Num Lock and Shift cancel: the bare code. */
    ps2kbd_key(&f.kbd, KILN_KEY_LSHIFT, true);
    tap(&f, KILN_KEY_HOME);
    ps2kbd_key(&f.kbd, KILN_KEY_LSHIFT, false);
    EXPECT(&f, 0x12, 0xe0, 0x6c, 0xe0, 0xf0, 0x6c, 0xf0, 0x12);
    kbd_cmd(&f, 0xed);
    kbd_cmd(&f, 0x00);
    EXPECT(&f, 0xfa, 0xfa);
    /* Shift alone: fake releases of the held Shift keys, restored after. */
    ps2kbd_key(&f.kbd, KILN_KEY_RSHIFT, true);
    tap(&f, KILN_KEY_DELETE);
    ps2kbd_key(&f.kbd, KILN_KEY_RSHIFT, false);
    EXPECT(&f, 0x59, 0xe0, 0xf0, 0x59, 0xe0, 0x71, 0xe0, 0xf0, 0x71, 0xe0, 0x59, 0xf0, 0x59);
    /* Keypad '/' only undoes Shift. */
    ps2kbd_key(&f.kbd, KILN_KEY_LSHIFT, true);
    tap(&f, KILN_KEY_KP_DIVIDE);
    ps2kbd_key(&f.kbd, KILN_KEY_LSHIFT, false);
    EXPECT(&f, 0x12, 0xe0, 0xf0, 0x12, 0xe0, 0x4a, 0xe0, 0xf0, 0x4a, 0xe0, 0x12, 0xf0, 0x12);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_set1_specials)
{
    struct fx f;
    fx_init(&f, false);
    select_set(&f, 1);
    tap(&f, KILN_KEY_PAUSE);
    EXPECT(&f, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);
    tap(&f, KILN_KEY_PRINTSCREEN);
    EXPECT(&f, 0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa);
    /* Ctrl+Pause is Break; Alt+Print Screen is SysRq; Ctrl+Print Screen bare. */
    ps2kbd_key(&f.kbd, KILN_KEY_LCTRL, true);
    tap(&f, KILN_KEY_PAUSE);
    tap(&f, KILN_KEY_PRINTSCREEN);
    ps2kbd_key(&f.kbd, KILN_KEY_LCTRL, false);
    EXPECT(&f, 0x1d, 0xe0, 0x46, 0xe0, 0xc6, 0xe0, 0x37, 0xe0, 0xb7, 0x9d);
    ps2kbd_key(&f.kbd, KILN_KEY_LALT, true);
    tap(&f, KILN_KEY_PRINTSCREEN);
    ps2kbd_key(&f.kbd, KILN_KEY_LALT, false);
    EXPECT(&f, 0x38, 0x54, 0xd4, 0xb8);
    tap(&f, KILN_KEY_UP);
    EXPECT(&f, 0xe0, 0x48, 0xe0, 0xc8);
    bus_free(f.bus);
}
END_TEST

/* Every key: set 2 through the 8042's translation equals native set 1. */
START_TEST(test_set1_matches_translated_set2)
{
    for (int k = KILN_KEY_NONE + 1; k < KILN_KEY_COUNT; k++) {
        uint8_t a[32], b[32];
        struct fx f;
        fx_init(&f, true);
        tap(&f, (enum kiln_key)k);
        int na = drain(&f, a, 32);
        bus_free(f.bus);
        fx_init(&f, false);
        select_set(&f, 1);
        tap(&f, (enum kiln_key)k);
        int nb = drain(&f, b, 32);
        bus_free(f.bus);
        ck_assert_msg(na > 0 && na == nb && !memcmp(a, b, (size_t)na), "key %d differs", k);
    }
}
END_TEST

START_TEST(test_set3)
{
    struct fx f;
    fx_init(&f, false);
    select_set(&f, 3);
    /* Default key types: most keys make-only, Shift make/break. */
    tap(&f, KILN_KEY_A);
    tap(&f, KILN_KEY_LSHIFT);
    tap(&f, KILN_KEY_F1);
    tap(&f, KILN_KEY_PAUSE);
    EXPECT(&f, 0x1c, 0x12, 0xf0, 0x12, 0x07, 0x62);
    kbd_cmd(&f, 0xf8); /* all keys make/break */
    EXPECT(&f, 0xfa);
    tap(&f, KILN_KEY_UP);
    EXPECT(&f, 0x63, 0xf0, 0x63);
    kbd_cmd(&f, 0xfd); /* these keys make-only: A, Esc */
    kbd_cmd(&f, 0x1c);
    kbd_cmd(&f, 0x08);
    kbd_cmd(&f, 0xee); /* a command ends the list */
    EXPECT(&f, 0xfa, 0xfa, 0xfa, 0xee);
    tap(&f, KILN_KEY_A);
    tap(&f, KILN_KEY_ESC);
    tap(&f, KILN_KEY_B);
    EXPECT(&f, 0x1c, 0x08, 0x32, 0xf0, 0x32);
    bus_free(f.bus);
}
END_TEST

/* Count the make codes of 'code' (set 2, untranslated) read by time 't'. */
static int makes_by(struct fx *f, uint64_t t, uint8_t code)
{
    uint8_t b[64];
    advance_to(f, t);
    int n = drain(f, b, 64), c = 0;
    for (int i = 0; i < n; i++)
        c += b[i] == code;
    return c;
}

START_TEST(test_typematic)
{
    struct fx f;
    fx_init(&f, false);
    /* Default: 500 ms delay, then (8+3) x 2^1 x 4.17 ms = 91.74 ms apart. */
    uint64_t t0 = clock_now(&f.clk);
    ps2kbd_key(&f.kbd, KILN_KEY_A, true);
    ck_assert_int_eq(makes_by(&f, t0 + 499 * MS, 0x1c), 1);
    ck_assert_int_eq(makes_by(&f, t0 + 501 * MS, 0x1c), 1);
    ck_assert_int_eq(makes_by(&f, t0 + 590 * MS, 0x1c), 0);
    ck_assert_int_eq(makes_by(&f, t0 + 593 * MS, 0x1c), 1);
    ps2kbd_key(&f.kbd, KILN_KEY_A, false);
    EXPECT(&f, 0xf0, 0x1c);
    ck_assert_int_eq(makes_by(&f, t0 + 2000 * MS, 0x1c), 0);
    /* F3 00h: 250 ms delay, 30 per second (33.36 ms). */
    kbd_cmd(&f, 0xf3);
    kbd_cmd(&f, 0x00);
    EXPECT(&f, 0xfa, 0xfa);
    t0 = clock_now(&f.clk);
    ps2kbd_key(&f.kbd, KILN_KEY_Z, true);
    ck_assert_int_eq(makes_by(&f, t0 + 249 * MS, 0x1a), 1);
    ck_assert_int_eq(makes_by(&f, t0 + 251 * MS, 0x1a), 1);
    ck_assert_int_eq(makes_by(&f, t0 + 283 * MS, 0x1a), 0);
    ck_assert_int_eq(makes_by(&f, t0 + 285 * MS, 0x1a), 1);
    /* A second key takes over the repeat; the first stays down, silent. */
    ps2kbd_key(&f.kbd, KILN_KEY_X, true);
    uint64_t t1 = clock_now(&f.clk);
    ck_assert_int_eq(makes_by(&f, t1 + 400 * MS, 0x1a), 0);
    /* Pause never repeats. */
    ps2kbd_key(&f.kbd, KILN_KEY_X, false);
    ps2kbd_key(&f.kbd, KILN_KEY_Z, false);
    EXPECT(&f, 0xf0, 0x22, 0xf0, 0x1a);
    ps2kbd_key(&f.kbd, KILN_KEY_PAUSE, true);
    uint8_t b[64];
    ck_assert_int_eq(drain(&f, b, 64), 8);
    advance_to(&f, clock_now(&f.clk) + 1000 * MS);
    EXPECT_NONE(&f);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_enable_disable)
{
    struct fx f;
    fx_init(&f, false);
    kbd_cmd(&f, 0xf5);
    EXPECT(&f, 0xfa);
    tap(&f, KILN_KEY_A);
    EXPECT_NONE(&f);
    kbd_cmd(&f, 0xf4);
    EXPECT(&f, 0xfa);
    tap(&f, KILN_KEY_A);
    EXPECT(&f, 0x1c, 0xf0, 0x1c);
    kbd_cmd(&f, 0xf6);
    EXPECT(&f, 0xfa);
    tap(&f, KILN_KEY_S);
    EXPECT(&f, 0x1b, 0xf0, 0x1b);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_buffer_overrun)
{
    struct fx f;
    fx_init(&f, false);
    /* With the interface inhibited the keyboard's buffer holds 16 bytes: five
     * taps (3 bytes each) and one make. The host's later key events wait in
     * the paste queue and follow in order once the buffer drains. */
    outb(&f, KBC_STATUS_PORT, 0xad);
    static const enum kiln_key keys[] = {KILN_KEY_Q, KILN_KEY_W, KILN_KEY_E, KILN_KEY_R,
                                         KILN_KEY_T, KILN_KEY_Y, KILN_KEY_U};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        tap(&f, keys[i]);
    outb(&f, KBC_STATUS_PORT, 0xae);
    EXPECT(&f, 0x15, 0xf0, 0x15, 0x1d, 0xf0, 0x1d, 0x24, 0xf0, 0x24, 0x2d, 0xf0, 0x2d, 0x2c, 0xf0,
           0x2c, 0x35, 0xf0, 0x35, 0x3c, 0xf0, 0x3c);
    /* Only a guest that leaves the paste queue full too meets the overrun
     * code 00h, after the 16 bytes; later keys are lost. */
    outb(&f, KBC_STATUS_PORT, 0xad);
    for (int i = 0; i < PS2KBD_PASTE; i++)
        tap(&f, keys[i % 7]);
    outb(&f, KBC_STATUS_PORT, 0xae);
    static uint8_t got[4 * PS2KBD_PASTE];
    int n = drain(&f, got, (int)sizeof(got));
    ck_assert_uint_eq(got[15], 0x35); /* Y's make, the sixteenth byte */
    ck_assert_uint_eq(got[16], 0x00);
    ck_assert_int_lt(n, 3 * PS2KBD_PASTE);
    tap(&f, KILN_KEY_I);
    EXPECT(&f, 0x43, 0xf0, 0x43);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_type_string)
{
    struct fx f;
    fx_init(&f, false);
    ck_assert_uint_eq(ps2kbd_type(&f.kbd, "Hi!"), 3);
    EXPECT(&f, 0x12, 0x33, 0xf0, 0x33, 0xf0, 0x12, 0x43, 0xf0, 0x43, 0x12, 0x16, 0xf0, 0x16, 0xf0,
           0x12);
    /* Longer than the buffer: the paste queue feeds it as it drains. */
    static const char text[] = "hello world hello world\n";
    ck_assert_uint_eq(ps2kbd_type(&f.kbd, text), strlen(text));
    uint8_t got[128];
    int n = drain(&f, got, 128);
    static const uint8_t set2[] = {['h'] = 0x33, ['e'] = 0x24, ['l'] = 0x4b, ['o'] = 0x44,
                                   [' '] = 0x29, ['w'] = 0x1d, ['r'] = 0x2d, ['d'] = 0x23,
                                   ['\n'] = 0x5a};
    ck_assert_int_eq(n, 3 * (int)strlen(text));
    for (size_t i = 0; i < strlen(text); i++) {
        uint8_t c = set2[(unsigned char)text[i]];
        ck_assert_uint_eq(got[3 * i], c);
        ck_assert_uint_eq(got[3 * i + 1], 0xf0);
        ck_assert_uint_eq(got[3 * i + 2], c);
    }
    bus_free(f.bus);
}
END_TEST

/* A key pressed while typed text still waits comes after the text, whole:
 * the curses display types printable characters but presses Enter. */
START_TEST(test_key_after_typed_text)
{
    struct fx f;
    fx_init(&f, false);
    static const char text[] = "abcdefghijk";
    ck_assert_uint_eq(ps2kbd_type(&f.kbd, text), strlen(text));
    tap(&f, KILN_KEY_ENTER);
    uint8_t got[128];
    int n = drain(&f, got, 128);
    ck_assert_int_eq(n, 3 * ((int)strlen(text) + 1));
    static const uint8_t enter[] = {0x5a, 0xf0, 0x5a};
    ck_assert_mem_eq(got + n - 3, enter, 3);
    for (int i = 0; i < n; i++)
        ck_assert_uint_ne(got[i], 0x00); /* no overrun code */
    bus_free(f.bus);
}
END_TEST

START_TEST(test_hostile_writes)
{
    struct fx f;
    fx_init(&f, false);
    uint32_t seed = 99;
    for (int i = 0; i < 4000; i++) {
        seed = seed * 1103515245u + 12345u;
        kbd_cmd(&f, (uint8_t)(seed >> 16));
        if (i % 7 == 0)
            ps2kbd_key(&f.kbd, (enum kiln_key)((seed >> 8) % (KILN_KEY_COUNT + 3)), seed & 1);
        step(&f, 30000);
        (void)inb(&f, KBC_DATA_PORT);
    }
    for (int k = 0; k < KILN_KEY_COUNT; k++)
        ps2kbd_key(&f.kbd, (enum kiln_key)k, false);
    uint8_t junk[128];
    drain(&f, junk, 128);
    kbd_cmd(&f, 0xff);
    EXPECT(&f, 0xfa, 0xaa);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_ps2kbd");
    TCase *tc = tcase_create("ps2kbd");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_reset_echo_identify);
    tcase_add_test(tc, test_leds_and_scan_sets);
    tcase_add_test(tc, test_set2_codes);
    tcase_add_test(tc, test_fake_shifts);
    tcase_add_test(tc, test_set1_specials);
    tcase_add_test(tc, test_set1_matches_translated_set2);
    tcase_add_test(tc, test_set3);
    tcase_add_test(tc, test_typematic);
    tcase_add_test(tc, test_enable_disable);
    tcase_add_test(tc, test_buffer_overrun);
    tcase_add_test(tc, test_type_string);
    tcase_add_test(tc, test_key_after_typed_text);
    tcase_add_test(tc, test_hostile_writes);
    suite_add_tcase(s, tc);
    return check_run(s);
}
