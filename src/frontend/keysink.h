/* SPDX-License-Identifier: MIT */
/*
 * Where host input goes - key presses, typed text, mouse motion and
 * buttons: the PS/2 devices directly, or through the record/replay layer,
 * which logs them (or, in a replay, drops them). The SDL window, the curses
 * display and the monitor's sendkey go through this; they never call the
 * keyboard or the mouse themselves. Owns no state.
 */
#ifndef KILN_FRONTEND_KEYSINK_H
#define KILN_FRONTEND_KEYSINK_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/ps2kbd.h"

struct keysink {
    void *opaque;
    /* Press (down) or release one key. */
    void (*key)(void *opaque, enum kiln_key key, bool down);
    /* Type one printable ASCII character (or newline, tab), with Shift as it needs. */
    void (*type)(void *opaque, char ch);
    /* Mouse motion as ps2mouse_move takes it, and the buttons held
     * (PS2MOUSE_BTN_*); NULL in a sink without a mouse. */
    void (*move)(void *opaque, int dx, int dy, int dz);
    void (*buttons)(void *opaque, uint8_t mask);
};

static inline void keysink_key(const struct keysink *s, enum kiln_key key, bool down)
{
    s->key(s->opaque, key, down);
}

static inline void keysink_type(const struct keysink *s, char ch)
{
    s->type(s->opaque, ch);
}

static inline void keysink_move(const struct keysink *s, int dx, int dy, int dz)
{
    if (s->move)
        s->move(s->opaque, dx, dy, dz);
}

static inline void keysink_buttons(const struct keysink *s, uint8_t mask)
{
    if (s->buttons)
        s->buttons(s->opaque, mask);
}

static inline void keysink_direct_key(void *kbd, enum kiln_key key, bool down)
{
    ps2kbd_key(kbd, key, down);
}

static inline void keysink_direct_type(void *kbd, char ch)
{
    char s[2] = {ch, 0};
    ps2kbd_type(kbd, s);
}

/* A sink that hands keys straight to the keyboard 'k' (and has no mouse). */
static inline struct keysink keysink_direct(struct ps2kbd *k)
{
    return (struct keysink){k, keysink_direct_key, keysink_direct_type, NULL, NULL};
}

#endif
