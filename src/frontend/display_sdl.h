/* SPDX-License-Identifier: MIT */
/*
 * -display sdl: a window showing what vga_render() draws (every VGA and
 * VBE mode), scaled with the picture's aspect (4:3 for VGA-timed modes,
 * square pixels for larger VBE modes), re-sized when the guest changes
 * mode, updated only in the rows that changed; the host keyboard and mouse
 * fed to the PS/2 devices; Kiln's own commands on Ctrl+Alt+key. Owns the
 * window and SDL; reaches the machine only through the vga, ps2kbd and
 * ps2mouse interfaces and the status the loop passes in.
 */
#ifndef KILN_FRONTEND_DISPLAY_SDL_H
#define KILN_FRONTEND_DISPLAY_SDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/ps2kbd.h"
#include "devices/ps2mouse.h"
#include "devices/vga.h"
#include "frontend/keysink.h"

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Texture;

/* What the title bar shows about the machine. */
struct display_status {
    bool paused;
    const char *engine; /* "interpreter", later "jit" */
    double mips;        /* guest instructions per host second, recently */
};

struct display_sdl {
    struct SDL_Window *window;
    struct SDL_Renderer *renderer;
    struct SDL_Texture *texture;
    int tex_w, tex_h;
    uint64_t generation; /* of the frame in the texture */
    bool have_frame;
    struct vga *vga;
    struct keysink input; /* where keys and mouse events go */
    bool grabbed, fullscreen, quit;
    bool monitor_toggle;       /* Ctrl+Alt+M pressed: the loop takes it and clears it */
    bool monitor_open;         /* the loop says the terminal shows the monitor (title) */
    bool integer_scale;        /* scale by whole multiples only */
    uint8_t buttons;           /* PS2MOUSE_BTN_* held */
    bool down[KILN_KEY_COUNT]; /* keys this display has pressed in the guest */
    char title[256];
};

/* True when a window system is reachable ($DISPLAY or $WAYLAND_DISPLAY). */
bool display_sdl_available(void);

/* How the window starts. */
struct display_sdl_opts {
    bool integer_scale; /* whole multiples of the shown size only */
    bool full_screen;
};

/* Open the window. False with a message in err (no display, SDL failure). */
bool display_sdl_init(struct display_sdl *d, struct vga *v, const struct keysink *input,
                      const struct display_sdl_opts *opts, char *err, size_t errlen);

/* Close the window and release the grab. */
void display_sdl_close(struct display_sdl *d);

/* Handle pending window, keyboard and mouse events. False once the user
 * asked to quit (window closed, Ctrl+Alt+Q). Ctrl+Alt+M only sets
 * monitor_toggle: the machine loop owns the terminal and the monitor. */
bool display_sdl_poll(struct display_sdl *d);

/* Draw the guest's current picture and update the title. */
void display_sdl_refresh(struct display_sdl *d, const struct display_status *st);

/* The key at SDL scancode 'sc' (SDL_Scancode), or KILN_KEY_NONE. */
enum kiln_key display_sdl_key(int sc);

/* The size a w x h picture is shown at (before window scaling): 4:3 for
 * pictures that fit VGA timings (up to 720x480), else square pixels. */
void display_sdl_aspect(int w, int h, int *show_w, int *show_h);

#endif
