/* SPDX-License-Identifier: MIT */
/*
 * -display curses: the VGA text screen drawn in the terminal with ANSI
 * sequences (only cells that changed), and the terminal's keys typed into
 * the PS/2 keyboard, as QEMU's curses display does, so text-mode systems are
 * usable over SSH and testable under tmux. In graphics modes it shows one
 * line naming the mode and counting the picture's colours. Owns the terminal
 * screen; reads the VGA only through vga_text_snapshot(), vga_render() and
 * vga_mode_info().
 */
#ifndef KILN_FRONTEND_DISPLAY_CURSES_H
#define KILN_FRONTEND_DISPLAY_CURSES_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/ps2kbd.h"
#include "frontend/keysink.h"
#include "devices/vga.h"

struct outbuf;

struct display_curses {
    struct vga *vga;
    struct keysink keys;
    struct vga_text *shown; /* what the terminal shows now */
    struct vga_text *next;
    bool redraw_all;
    struct outbuf *out; /* pending terminal output */
    uint8_t esc[8];     /* a pending escape sequence from the terminal */
    int esc_len;
    uint64_t esc_ns;
    uint64_t gfx_generation; /* the graphics picture the status line describes */
    char gfx_status[160];    /* the status line shown in graphics modes */
};

/* Take over the terminal. False on host out-of-memory. */
bool display_curses_init(struct display_curses *d, struct vga *v, const struct keysink *keys);

/* Give the terminal back: normal attributes, cursor shown, below the picture. */
void display_curses_close(struct display_curses *d);

/* Draw what changed since the last call. */
void display_curses_refresh(struct display_curses *d);

/* One byte typed on the terminal at host time 'now_ns'. */
void display_curses_input(struct display_curses *d, uint8_t byte, uint64_t now_ns);

/* A lone ESC becomes the Esc key once no sequence follows it for a moment. */
void display_curses_idle(struct display_curses *d, uint64_t now_ns);

#endif
