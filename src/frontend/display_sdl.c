/* SPDX-License-Identifier: MIT */
/*
 * The SDL window (see display_sdl.h). The texture holds the renderer's
 * frame at the mode's own size; SDL's logical size scales it to the shown
 * aspect with letterboxing. Rows are uploaded only when the frame's
 * generation moved by one since the last upload (otherwise someone else,
 * e.g. a screendump, rendered in between and the whole frame is sent).
 * Host keys: Ctrl+Alt+G releases the mouse, Ctrl+Alt+F toggles full
 * screen, Ctrl+Alt+Q quits, Ctrl+Alt+V types the clipboard's text,
 * Ctrl+Alt+M asks the loop to switch the terminal to the monitor and back.
 */
#include "frontend/display_sdl.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool display_sdl_available(void)
{
    const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w);
}

void display_sdl_aspect(int w, int h, int *show_w, int *show_h)
{
    *show_w = w;
    *show_h = (w <= 720 && h <= 480) ? (w * 3 + 2) / 4 : h;
}

bool display_sdl_init(struct display_sdl *d, struct vga *v, const struct keysink *input,
                      const struct display_sdl_opts *opts, char *err, size_t errlen)
{
    memset(d, 0, sizeof(*d));
    d->vga = v;
    d->input = *input;
    if (!display_sdl_available()) {
        snprintf(err, errlen,
                 "-display sdl: no window system ($DISPLAY and $WAYLAND_DISPLAY unset)");
        return false;
    }
    /* Kiln makes its own typematic repeats; keep the host's screensaver. */
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "nearest");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO)) {
        snprintf(err, errlen, "-display sdl: %s", SDL_GetError());
        return false;
    }
    d->window = SDL_CreateWindow("Kiln", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 720, 540,
                                 SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (d->window) d->renderer = SDL_CreateRenderer(d->window, -1, 0);
    if (!d->renderer) {
        snprintf(err, errlen, "-display sdl: %s", SDL_GetError());
        display_sdl_close(d);
        return false;
    }
    d->integer_scale = opts->integer_scale;
    SDL_RenderSetIntegerScale(d->renderer, opts->integer_scale ? SDL_TRUE : SDL_FALSE);
    if (opts->full_screen) {
        d->fullscreen = true;
        SDL_SetWindowFullscreen(d->window, SDL_WINDOW_FULLSCREEN_DESKTOP);
    }
    return true;
}

static void release_all(struct display_sdl *d)
{
    for (int i = 0; i < KILN_KEY_COUNT; i++)
        if (d->down[i]) {
            keysink_key(&d->input, (enum kiln_key)i, false);
            d->down[i] = false;
        }
    if (d->buttons) {
        d->buttons = 0;
        keysink_buttons(&d->input, 0);
    }
}

static void set_grab(struct display_sdl *d, bool on)
{
    d->grabbed = on;
    SDL_SetRelativeMouseMode(on ? SDL_TRUE : SDL_FALSE);
    SDL_SetWindowGrab(d->window, on ? SDL_TRUE : SDL_FALSE);
}

void display_sdl_close(struct display_sdl *d)
{
    if (d->grabbed) set_grab(d, false);
    if (d->texture) SDL_DestroyTexture(d->texture);
    if (d->renderer) SDL_DestroyRenderer(d->renderer);
    if (d->window) SDL_DestroyWindow(d->window);
    /* SDL_Quit, not just the video subsystem: it also closes SDL's D-Bus
     * connection, which would otherwise be left allocated at exit. */
    if (d->window || d->renderer) SDL_Quit();
    d->texture = NULL;
    d->renderer = NULL;
    d->window = NULL;
}

/* Ctrl+Alt+key: Kiln's commands. True when the key was one of them. */
static bool host_command(struct display_sdl *d, SDL_Scancode sc)
{
    switch (sc) {
    case SDL_SCANCODE_G:
        if (d->grabbed) set_grab(d, false);
        return true;
    case SDL_SCANCODE_F:
        d->fullscreen = !d->fullscreen;
        SDL_SetWindowFullscreen(d->window, d->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
        return true;
    case SDL_SCANCODE_Q: d->quit = true; return true;
    case SDL_SCANCODE_M:
        /* Keys held for the combination must not stay down in the guest
         * while the user types at the terminal. */
        release_all(d);
        d->monitor_toggle = true;
        return true;
    case SDL_SCANCODE_V: {
        char *text = SDL_GetClipboardText();
        if (text) {
            /* The guest must not see Ctrl and Alt held while the text is typed. */
            release_all(d);
            for (const char *p = text; *p; p++)
                keysink_type(&d->input, *p);
            SDL_free(text);
        }
        return true;
    }
    default: return false;
    }
}

static void key_event(struct display_sdl *d, const SDL_KeyboardEvent *e)
{
    bool down = e->type == SDL_KEYDOWN;
    SDL_Scancode sc = e->keysym.scancode;
    SDL_Keymod mod = (SDL_Keymod)e->keysym.mod; /* at the event, not after the whole batch */
    if (down && (mod & KMOD_CTRL) && (mod & KMOD_ALT) && host_command(d, sc)) return;
    enum kiln_key key = display_sdl_key((int)sc);
    if (key == KILN_KEY_NONE || (down && e->repeat))
        return; /* the PS/2 keyboard makes its own typematic repeats */
    if (!down && !d->down[key]) return;
    d->down[key] = down;
    keysink_key(&d->input, key, down);
}

static uint8_t button_bit(uint8_t sdl_button)
{
    switch (sdl_button) {
    case SDL_BUTTON_LEFT: return PS2MOUSE_BTN_LEFT;
    case SDL_BUTTON_RIGHT: return PS2MOUSE_BTN_RIGHT;
    case SDL_BUTTON_MIDDLE: return PS2MOUSE_BTN_MIDDLE;
    default: return 0;
    }
}

static void mouse_event(struct display_sdl *d, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_MOUSEMOTION:
        if (d->grabbed) keysink_move(&d->input, e->motion.xrel, e->motion.yrel, 0);
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP: {
        if (!d->grabbed) {
            /* The first click grabs the mouse; the guest does not see it. */
            if (e->type == SDL_MOUSEBUTTONDOWN && e->button.button == SDL_BUTTON_LEFT)
                set_grab(d, true);
            break;
        }
        uint8_t bit = button_bit(e->button.button);
        uint8_t next = e->type == SDL_MOUSEBUTTONDOWN ? d->buttons | bit : d->buttons & ~bit;
        if (next != d->buttons) {
            d->buttons = next;
            keysink_buttons(&d->input, next);
        }
        break;
    }
    case SDL_MOUSEWHEEL:
        /* SDL: y > 0 away from the user; PS/2 (ps2mouse.h): dz > 0 towards. */
        if (d->grabbed)
            keysink_move(&d->input, 0, 0,
                          e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? e->wheel.y : -e->wheel.y);
        break;
    default: break;
    }
}

bool display_sdl_poll(struct display_sdl *d)
{
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        switch (e.type) {
        case SDL_QUIT: d->quit = true; break;
        case SDL_KEYDOWN:
        case SDL_KEYUP: key_event(d, &e.key); break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
                release_all(d);
                if (d->grabbed) set_grab(d, false);
            } else if (e.window.event == SDL_WINDOWEVENT_EXPOSED) {
                d->have_frame = false; /* draw again */
            }
            break;
        default: mouse_event(d, &e); break;
        }
    }
    return !d->quit;
}

/* A new mode: a texture of the new size and a window that shows it at
 * least 640 pixels wide. */
static bool resize(struct display_sdl *d, int w, int h)
{
    if (d->texture) SDL_DestroyTexture(d->texture);
    d->texture =
        SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_STREAMING, w, h);
    if (!d->texture) return false;
    d->tex_w = w;
    d->tex_h = h;
    int sw, sh;
    display_sdl_aspect(w, h, &sw, &sh);
    SDL_RenderSetLogicalSize(d->renderer, sw, sh);
    if (!d->fullscreen) {
        int scale = sw < 640 ? (640 + sw - 1) / sw : 1;
        SDL_SetWindowSize(d->window, sw * scale, sh * scale);
    }
    return true;
}

static void update_title(struct display_sdl *d, const struct display_status *st)
{
    char t[256];
    snprintf(t, sizeof(t),
             "Kiln - %s - %s %.1f MIPS - %s, Ctrl+Alt+F full screen, Ctrl+Alt+M %s, "
             "Ctrl+Alt+Q quit",
             st->paused ? "paused" : "running", st->engine, st->mips,
             d->grabbed ? "Ctrl+Alt+G releases the mouse" : "click to grab the mouse",
             d->monitor_open ? "closes the monitor" : "monitor on the terminal");
    if (strcmp(t, d->title)) {
        snprintf(d->title, sizeof(d->title), "%s", t);
        SDL_SetWindowTitle(d->window, t);
    }
}

void display_sdl_refresh(struct display_sdl *d, const struct display_status *st)
{
    update_title(d, st);
    struct vga_frame fr;
    if (!vga_render(d->vga, &fr)) return;
    bool full = !d->have_frame || fr.generation != d->generation + 1;
    if (d->have_frame && fr.generation == d->generation && fr.width == d->tex_w &&
        fr.height == d->tex_h)
        return;
    if (fr.width != d->tex_w || fr.height != d->tex_h || !d->texture) {
        if (!resize(d, fr.width, fr.height)) return;
        full = true;
    }
    int top = full ? 0 : fr.dirty_top, bottom = full ? fr.height : fr.dirty_bottom;
    if (bottom > top) {
        SDL_Rect r = {0, top, fr.width, bottom - top};
        SDL_UpdateTexture(d->texture, &r, fr.pixels + (size_t)top * (size_t)fr.width, fr.width * 4);
    }
    d->generation = fr.generation;
    d->have_frame = true;
    SDL_SetRenderDrawColor(d->renderer, 0, 0, 0, 255);
    SDL_RenderClear(d->renderer);
    SDL_RenderCopy(d->renderer, d->texture, NULL, NULL);
    SDL_RenderPresent(d->renderer);
}
