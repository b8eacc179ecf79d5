/* SPDX-License-Identifier: MIT */
/*
 * Host keys for -display sdl: SDL scancodes (USB HID usage IDs, i.e. key
 * positions, whatever the host layout) to Kiln's key positions, which the
 * PS/2 keyboard turns into set 1/2/3 codes, extended (E0) prefixes and the
 * Pause and Print Screen sequences. Knows nothing of windows or the VGA.
 * Spec: USB HID Usage Tables 1.12, chapter 10 (Keyboard/Keypad page).
 */
#include "frontend/display_sdl.h"

#include <SDL.h>

enum kiln_key display_sdl_key(int sc)
{
    if (sc >= SDL_SCANCODE_A && sc <= SDL_SCANCODE_Z)
        return (enum kiln_key)(KILN_KEY_A + (sc - SDL_SCANCODE_A));
    if (sc >= SDL_SCANCODE_1 && sc <= SDL_SCANCODE_0) /* HID orders 1..9 then 0, as Kiln does */
        return (enum kiln_key)(KILN_KEY_1 + (sc - SDL_SCANCODE_1));
    if (sc >= SDL_SCANCODE_F1 && sc <= SDL_SCANCODE_F12)
        return (enum kiln_key)(KILN_KEY_F1 + (sc - SDL_SCANCODE_F1));
    if (sc >= SDL_SCANCODE_KP_1 && sc <= SDL_SCANCODE_KP_9)
        return (enum kiln_key)(KILN_KEY_KP_1 + (sc - SDL_SCANCODE_KP_1));
    switch (sc) {
    case SDL_SCANCODE_RETURN: return KILN_KEY_ENTER;
    case SDL_SCANCODE_ESCAPE: return KILN_KEY_ESC;
    case SDL_SCANCODE_BACKSPACE: return KILN_KEY_BACKSPACE;
    case SDL_SCANCODE_TAB: return KILN_KEY_TAB;
    case SDL_SCANCODE_SPACE: return KILN_KEY_SPACE;
    case SDL_SCANCODE_MINUS: return KILN_KEY_MINUS;
    case SDL_SCANCODE_EQUALS: return KILN_KEY_EQUAL;
    case SDL_SCANCODE_LEFTBRACKET: return KILN_KEY_LBRACKET;
    case SDL_SCANCODE_RIGHTBRACKET: return KILN_KEY_RBRACKET;
    case SDL_SCANCODE_BACKSLASH: return KILN_KEY_BACKSLASH;
    case SDL_SCANCODE_NONUSHASH: return KILN_KEY_BACKSLASH; /* same position on ISO boards */
    case SDL_SCANCODE_SEMICOLON: return KILN_KEY_SEMICOLON;
    case SDL_SCANCODE_APOSTROPHE: return KILN_KEY_APOSTROPHE;
    case SDL_SCANCODE_GRAVE: return KILN_KEY_GRAVE;
    case SDL_SCANCODE_COMMA: return KILN_KEY_COMMA;
    case SDL_SCANCODE_PERIOD: return KILN_KEY_PERIOD;
    case SDL_SCANCODE_SLASH: return KILN_KEY_SLASH;
    case SDL_SCANCODE_NONUSBACKSLASH: return KILN_KEY_102ND;
    case SDL_SCANCODE_CAPSLOCK: return KILN_KEY_CAPSLOCK;
    case SDL_SCANCODE_PRINTSCREEN: return KILN_KEY_PRINTSCREEN;
    case SDL_SCANCODE_SYSREQ: return KILN_KEY_PRINTSCREEN;
    case SDL_SCANCODE_SCROLLLOCK: return KILN_KEY_SCROLLLOCK;
    case SDL_SCANCODE_PAUSE: return KILN_KEY_PAUSE;
    case SDL_SCANCODE_INSERT: return KILN_KEY_INSERT;
    case SDL_SCANCODE_HOME: return KILN_KEY_HOME;
    case SDL_SCANCODE_PAGEUP: return KILN_KEY_PAGEUP;
    case SDL_SCANCODE_DELETE: return KILN_KEY_DELETE;
    case SDL_SCANCODE_END: return KILN_KEY_END;
    case SDL_SCANCODE_PAGEDOWN: return KILN_KEY_PAGEDOWN;
    case SDL_SCANCODE_RIGHT: return KILN_KEY_RIGHT;
    case SDL_SCANCODE_LEFT: return KILN_KEY_LEFT;
    case SDL_SCANCODE_DOWN: return KILN_KEY_DOWN;
    case SDL_SCANCODE_UP: return KILN_KEY_UP;
    case SDL_SCANCODE_NUMLOCKCLEAR: return KILN_KEY_NUMLOCK;
    case SDL_SCANCODE_KP_DIVIDE: return KILN_KEY_KP_DIVIDE;
    case SDL_SCANCODE_KP_MULTIPLY: return KILN_KEY_KP_MULTIPLY;
    case SDL_SCANCODE_KP_MINUS: return KILN_KEY_KP_MINUS;
    case SDL_SCANCODE_KP_PLUS: return KILN_KEY_KP_PLUS;
    case SDL_SCANCODE_KP_ENTER: return KILN_KEY_KP_ENTER;
    case SDL_SCANCODE_KP_0: return KILN_KEY_KP_0;
    case SDL_SCANCODE_KP_PERIOD: return KILN_KEY_KP_PERIOD;
    case SDL_SCANCODE_APPLICATION: return KILN_KEY_MENU;
    case SDL_SCANCODE_LCTRL: return KILN_KEY_LCTRL;
    case SDL_SCANCODE_LSHIFT: return KILN_KEY_LSHIFT;
    case SDL_SCANCODE_LALT: return KILN_KEY_LALT;
    case SDL_SCANCODE_LGUI: return KILN_KEY_LWIN;
    case SDL_SCANCODE_RCTRL: return KILN_KEY_RCTRL;
    case SDL_SCANCODE_RSHIFT: return KILN_KEY_RSHIFT;
    case SDL_SCANCODE_RALT: return KILN_KEY_RALT;
    case SDL_SCANCODE_RGUI: return KILN_KEY_RWIN;
    default: return KILN_KEY_NONE;
    }
}
