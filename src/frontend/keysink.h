/* SPDX-License-Identifier: MIT */
/*
 * Where host key presses go: the PS/2 keyboard directly, or through the
 * record/replay layer, which logs them (or, in a replay, drops them). The
 * curses display and the monitor's sendkey type through this; they never
 * call the keyboard themselves. Owns no state.
 */
#ifndef KILN_FRONTEND_KEYSINK_H
#define KILN_FRONTEND_KEYSINK_H

#include <stdbool.h>

#include "devices/ps2kbd.h"

struct keysink {
    void *opaque;
    /* Press (down) or release one key. */
    void (*key)(void *opaque, enum kiln_key key, bool down);
    /* Type one printable ASCII character, with Shift as it needs. */
    void (*type)(void *opaque, char ch);
};

static inline void keysink_key(const struct keysink *s, enum kiln_key key, bool down)
{
    s->key(s->opaque, key, down);
}

static inline void keysink_type(const struct keysink *s, char ch)
{
    s->type(s->opaque, ch);
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

/* A sink that hands everything straight to the keyboard 'k'. */
static inline struct keysink keysink_direct(struct ps2kbd *k)
{
    return (struct keysink){k, keysink_direct_key, keysink_direct_type};
}

#endif
