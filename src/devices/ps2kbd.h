/* SPDX-License-Identifier: MIT */
/*
 * A PS/2 (MF II) keyboard on the 8042's keyboard port: the keyboard command
 * set, a 16-byte output buffer, typematic repeat on the virtual clock, and
 * scan code sets 1, 2 and 3. The host side (frontends, tests) presses and
 * releases keys named by enum kiln_key. Owns only struct ps2kbd; reaches the
 * controller only through its ready line and the two entry points below.
 * Follows the IBM PS/2 Technical Reference ("Keyboards (101- and 102-Key)")
 * and Microsoft's Keyboard Scan Code Specification for the E0/E1 sequences.
 */
#ifndef KILN_DEVICES_PS2KBD_H
#define KILN_DEVICES_PS2KBD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/clock.h"
#include "devices/irq.h"

/* A key by its position on a US 101/102-key keyboard, whatever the layout. */
enum kiln_key {
    KILN_KEY_NONE,
    KILN_KEY_A, KILN_KEY_B, KILN_KEY_C, KILN_KEY_D, KILN_KEY_E, KILN_KEY_F, KILN_KEY_G,
    KILN_KEY_H, KILN_KEY_I, KILN_KEY_J, KILN_KEY_K, KILN_KEY_L, KILN_KEY_M, KILN_KEY_N,
    KILN_KEY_O, KILN_KEY_P, KILN_KEY_Q, KILN_KEY_R, KILN_KEY_S, KILN_KEY_T, KILN_KEY_U,
    KILN_KEY_V, KILN_KEY_W, KILN_KEY_X, KILN_KEY_Y, KILN_KEY_Z,
    KILN_KEY_1, KILN_KEY_2, KILN_KEY_3, KILN_KEY_4, KILN_KEY_5,
    KILN_KEY_6, KILN_KEY_7, KILN_KEY_8, KILN_KEY_9, KILN_KEY_0,
    KILN_KEY_GRAVE,      /* ` ~ */
    KILN_KEY_MINUS,      /* - _ */
    KILN_KEY_EQUAL,      /* = + */
    KILN_KEY_LBRACKET,   /* [ { */
    KILN_KEY_RBRACKET,   /* ] } */
    KILN_KEY_BACKSLASH,  /* \ | */
    KILN_KEY_SEMICOLON,  /* ; : */
    KILN_KEY_APOSTROPHE, /* ' " */
    KILN_KEY_COMMA,      /* , < */
    KILN_KEY_PERIOD,     /* . > */
    KILN_KEY_SLASH,      /* / ? */
    KILN_KEY_102ND,      /* the extra key left of Z on 102-key (ISO) keyboards */
    KILN_KEY_ESC, KILN_KEY_BACKSPACE, KILN_KEY_TAB, KILN_KEY_ENTER, KILN_KEY_SPACE,
    KILN_KEY_CAPSLOCK,
    KILN_KEY_LSHIFT, KILN_KEY_RSHIFT, KILN_KEY_LCTRL, KILN_KEY_RCTRL, KILN_KEY_LALT,
    KILN_KEY_RALT, KILN_KEY_LWIN, KILN_KEY_RWIN, KILN_KEY_MENU,
    KILN_KEY_F1, KILN_KEY_F2, KILN_KEY_F3, KILN_KEY_F4, KILN_KEY_F5, KILN_KEY_F6,
    KILN_KEY_F7, KILN_KEY_F8, KILN_KEY_F9, KILN_KEY_F10, KILN_KEY_F11, KILN_KEY_F12,
    KILN_KEY_PRINTSCREEN, KILN_KEY_SCROLLLOCK, KILN_KEY_PAUSE,
    KILN_KEY_INSERT, KILN_KEY_DELETE, KILN_KEY_HOME, KILN_KEY_END, KILN_KEY_PAGEUP,
    KILN_KEY_PAGEDOWN, KILN_KEY_UP, KILN_KEY_DOWN, KILN_KEY_LEFT, KILN_KEY_RIGHT,
    KILN_KEY_NUMLOCK, KILN_KEY_KP_DIVIDE, KILN_KEY_KP_MULTIPLY, KILN_KEY_KP_MINUS,
    KILN_KEY_KP_PLUS, KILN_KEY_KP_ENTER, KILN_KEY_KP_PERIOD,
    KILN_KEY_KP_0, KILN_KEY_KP_1, KILN_KEY_KP_2, KILN_KEY_KP_3, KILN_KEY_KP_4,
    KILN_KEY_KP_5, KILN_KEY_KP_6, KILN_KEY_KP_7, KILN_KEY_KP_8, KILN_KEY_KP_9,
    KILN_KEY_COUNT
};

/* LED bits of the ED command, as ps2kbd_leds() returns them. */
#define PS2KBD_LED_SCROLL 0x01
#define PS2KBD_LED_NUM    0x02
#define PS2KBD_LED_CAPS   0x04

#define PS2KBD_BUFFER   16  /* scan code bytes the keyboard holds */
#define PS2KBD_QUEUE    32  /* room for the buffer, its overrun code and replies */
#define PS2KBD_PASTE    512 /* key events waiting to be typed */

/* Fields are private to ps2kbd.c; exposed only so machines can embed. */
struct ps2kbd {
    struct clock *clock;
    struct irq_line ready;
    bool ready_level;
    struct clock_timer repeat;
    uint64_t repeat_due; /* when the pending typematic repeat is due */

    uint8_t q[PS2KBD_QUEUE];
    int q_head, q_count;
    bool overrun;   /* the overrun code is queued; more keys are lost until one fits */
    uint8_t last_sent;

    uint8_t pending;     /* the command whose parameter is awaited; 0 if none */
    uint8_t list_cmd;    /* FB/FC/FD while taking a list of set 3 keys */
    bool scanning;
    uint8_t set;         /* scan code set 1, 2 or 3 */
    uint8_t leds;
    uint8_t typematic;   /* the F3 byte: delay in bits 6-5, rate in bits 4-0 */
    uint8_t set3_mode[256]; /* per set 3 code: may it repeat, does it send a break */

    bool down[KILN_KEY_COUNT];
    enum kiln_key repeat_key;

    uint16_t paste[PS2KBD_PASTE]; /* key | 0x100 for a press */
    int paste_head, paste_count;
};

/* Power-on state (set 2, scanning, 10.9 cps after 500 ms, LEDs off) with an
 * empty buffer. 'ready' is driven high while the keyboard has bytes to send
 * (wire it to kbc_ready_line()). */
void ps2kbd_init(struct ps2kbd *k, struct clock *c, struct irq_line ready);

/* Controller entry points (struct kbc_device); 'kbd' is a struct ps2kbd *. */
void ps2kbd_write(void *kbd, uint8_t byte);
bool ps2kbd_read(void *kbd, uint8_t *byte);

/* Host: the key went down (down = true) or up. Repeated downs of a held key
 * are ignored: the keyboard makes its own typematic repeats. While typed text
 * (ps2kbd_type) still waits, or the buffer has no room, the event waits in
 * the paste queue; only when that is full too does the overrun code replace
 * what does not fit. Keys are dropped while scanning is disabled. */
void ps2kbd_key(struct ps2kbd *k, enum kiln_key key, bool down);

/* Host: type 's' on a US layout, with Shift where needed; '\n' is Enter, '\t'
 * Tab, '\b' Backspace, 0x1b Esc. Events wait in a paste queue and enter the
 * buffer as it drains. Characters with no key are skipped. Returns how many
 * characters of 's' were taken (fewer than its length when the queue is full). */
size_t ps2kbd_type(struct ps2kbd *k, const char *s);

/* Host: the LED state last set by the guest (PS2KBD_LED_*). */
uint8_t ps2kbd_leds(const struct ps2kbd *k);

/* The scan code set in use (1, 2 or 3). */
int ps2kbd_scan_set(const struct ps2kbd *k);

#endif
