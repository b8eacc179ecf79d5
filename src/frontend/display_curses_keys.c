/* SPDX-License-Identifier: MIT */
/*
 * Terminal input for -display curses: bytes and VT100/xterm escape
 * sequences (arrows, editing keys, F1-F12, with xterm's Shift/Alt/Ctrl
 * modifier parameter; Alt+letter as ESC letter) turned into PS/2 key
 * presses. Printable ASCII is typed (keysink_type), which adds Shift.
 * Spec: ECMA-48 and the xterm control-sequence list for the key encodings.
 */
#include <string.h>

#include "frontend/display_curses.h"

#define ESC_TIMEOUT_NS 50000000u /* 50 ms: a lone ESC is the Esc key */

static void tap(const struct keysink *k, enum kiln_key key)
{
    keysink_key(k, key, true);
    keysink_key(k, key, false);
}

static void with_modifier(const struct keysink *k, enum kiln_key mod, enum kiln_key key)
{
    keysink_key(k, mod, true);
    tap(k, key);
    keysink_key(k, mod, false);
}

/* "ESC [ n ~" codes: editing keys and F5-F12. */
static enum kiln_key tilde_key(int n)
{
    switch (n) {
    case 1: case 7: return KILN_KEY_HOME;
    case 2: return KILN_KEY_INSERT;
    case 3: return KILN_KEY_DELETE;
    case 4: case 8: return KILN_KEY_END;
    case 5: return KILN_KEY_PAGEUP;
    case 6: return KILN_KEY_PAGEDOWN;
    case 11: return KILN_KEY_F1;
    case 12: return KILN_KEY_F2;
    case 13: return KILN_KEY_F3;
    case 14: return KILN_KEY_F4;
    case 15: return KILN_KEY_F5;
    case 17: return KILN_KEY_F6;
    case 18: return KILN_KEY_F7;
    case 19: return KILN_KEY_F8;
    case 20: return KILN_KEY_F9;
    case 21: return KILN_KEY_F10;
    case 23: return KILN_KEY_F11;
    case 24: return KILN_KEY_F12;
    default: return KILN_KEY_NONE;
    }
}

/* The final byte of "ESC [ x" / "ESC O x" sequences. */
static enum kiln_key letter_key(uint8_t c)
{
    switch (c) {
    case 'A': return KILN_KEY_UP;
    case 'B': return KILN_KEY_DOWN;
    case 'C': return KILN_KEY_RIGHT;
    case 'D': return KILN_KEY_LEFT;
    case 'H': return KILN_KEY_HOME;
    case 'F': return KILN_KEY_END;
    case 'P': return KILN_KEY_F1;
    case 'Q': return KILN_KEY_F2;
    case 'R': return KILN_KEY_F3;
    case 'S': return KILN_KEY_F4;
    default: return KILN_KEY_NONE;
    }
}

/* A byte outside any escape sequence. */
static void plain_byte(const struct keysink *k, uint8_t c)
{
    if (c == '\r' || c == '\n')
        tap(k, KILN_KEY_ENTER);
    else if (c == 0x7f || c == 0x08)
        tap(k, KILN_KEY_BACKSPACE);
    else if (c == '\t')
        tap(k, KILN_KEY_TAB);
    else if (c >= 1 && c <= 26)
        with_modifier(k, KILN_KEY_LCTRL, (enum kiln_key)(KILN_KEY_A + c - 1));
    else if (c >= 0x20 && c < 0x7f) {
        keysink_type(k, (char)c);
    }
}

/* Try to finish the escape sequence in d->esc; true when it was consumed. */
static bool finish_escape(struct display_curses *d)
{
    const uint8_t *e = d->esc;
    int n = d->esc_len;
    if (n < 2)
        return false;
    if (e[1] != '[' && e[1] != 'O') {
        /* ESC + key: Alt+key, as terminals send Meta. */
        if (e[1] >= 'a' && e[1] <= 'z')
            with_modifier(&d->keys, KILN_KEY_LALT, (enum kiln_key)(KILN_KEY_A + e[1] - 'a'));
        else
            plain_byte(&d->keys, e[1]);
        return true;
    }
    if (n < 3)
        return false;
    uint8_t last = e[n - 1];
    if (((last >= '0' && last <= '9') || last == ';') && n < (int)sizeof(d->esc))
        return false; /* a parameter is still coming */
    /* Up to two parameters: the key number and xterm's modifier code, 1 +
     * (1 Shift, 2 Alt, 4 Ctrl), as in "ESC [ 21 ; 3 ~" for Alt+F10. */
    int param[2] = {0, 0}, np = 0;
    for (int i = 2; i < n - 1 && np < 2; i++) {
        if (e[i] == ';')
            np++;
        else if (e[i] >= '0' && e[i] <= '9' && param[np] < 1000)
            param[np] = param[np] * 10 + (e[i] - '0');
    }
    enum kiln_key key = last == '~' ? tilde_key(param[0]) : letter_key(last);
    if (key == KILN_KEY_NONE)
        return true; /* unknown sequences are dropped whole */
    static const struct {
        int bit;
        enum kiln_key key;
    } mods[] = {{1, KILN_KEY_LSHIFT}, {2, KILN_KEY_LALT}, {4, KILN_KEY_LCTRL}};
    int m = param[1] > 1 ? param[1] - 1 : 0;
    for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
        if (m & mods[i].bit)
            keysink_key(&d->keys, mods[i].key, true);
    tap(&d->keys, key);
    for (size_t i = sizeof(mods) / sizeof(mods[0]); i-- > 0;)
        if (m & mods[i].bit)
            keysink_key(&d->keys, mods[i].key, false);
    return true;
}

void display_curses_input(struct display_curses *d, uint8_t byte, uint64_t now_ns)
{
    if (d->esc_len) {
        d->esc[d->esc_len++] = byte;
        if (finish_escape(d) || d->esc_len == (int)sizeof(d->esc))
            d->esc_len = 0;
        return;
    }
    if (byte == 0x1b) {
        d->esc[0] = byte;
        d->esc_len = 1;
        d->esc_ns = now_ns;
        return;
    }
    plain_byte(&d->keys, byte);
}

void display_curses_idle(struct display_curses *d, uint64_t now_ns)
{
    if (d->esc_len == 1 && now_ns - d->esc_ns > ESC_TIMEOUT_NS) {
        tap(&d->keys, KILN_KEY_ESC);
        d->esc_len = 0;
    }
}
