/* SPDX-License-Identifier: MIT */
/*
 * The PS/2 keyboard (see ps2kbd.h): the key table for scan code sets 1-3,
 * make/break sequences with the E0 "fake shift" and E1 Pause forms, the
 * ED-FFh command set, typematic repeat on the virtual clock, the output
 * buffer with its overrun code, and the paste queue. Owns only struct
 * ps2kbd. Follows the IBM PS/2 Technical Reference (keyboard commands,
 * typematic formula, set 3 key types) and Microsoft's Keyboard Scan Code
 * Specification (Print Screen, Pause and the navigation-key sequences).
 */
#include "devices/ps2kbd.h"

#include <string.h>

#include "common/compiler.h"

/* Key table flags. */
#define KF_E0    0x01 /* E0-prefixed in sets 1 and 2 */
#define KF_NAV   0x02 /* cursor block: fake shifts for Num Lock and Shift */
#define KF_KPDIV 0x04 /* keypad '/': fake shifts for Shift only */
#define KF_PRTSC 0x08
#define KF_PAUSE 0x10
#define KF_E0NAV (KF_E0 | KF_NAV)

/* Set 3 key types (commands F7h-FDh). */
#define MODE_TYPEMATIC 0x01
#define MODE_BREAK     0x02

#define ACK    0xfa
#define RESEND 0xfe

/* Power-on typematic byte: 500 ms delay (01b), 10.9 characters/s (01011b). */
#define TYPEMATIC_DEFAULT 0x2b

struct key_codes {
    uint8_t s1, s2, s3, flags;
};

/* Make codes of each key in sets 1, 2 and 3 (IBM technical reference; the
 * set 1 column is the 8042's translation of the set 2 column). */
static const struct key_codes key_table[KILN_KEY_COUNT] = {
    [KILN_KEY_A] = {0x1e, 0x1c, 0x1c, 0},          [KILN_KEY_B] = {0x30, 0x32, 0x32, 0},
    [KILN_KEY_C] = {0x2e, 0x21, 0x21, 0},          [KILN_KEY_D] = {0x20, 0x23, 0x23, 0},
    [KILN_KEY_E] = {0x12, 0x24, 0x24, 0},          [KILN_KEY_F] = {0x21, 0x2b, 0x2b, 0},
    [KILN_KEY_G] = {0x22, 0x34, 0x34, 0},          [KILN_KEY_H] = {0x23, 0x33, 0x33, 0},
    [KILN_KEY_I] = {0x17, 0x43, 0x43, 0},          [KILN_KEY_J] = {0x24, 0x3b, 0x3b, 0},
    [KILN_KEY_K] = {0x25, 0x42, 0x42, 0},          [KILN_KEY_L] = {0x26, 0x4b, 0x4b, 0},
    [KILN_KEY_M] = {0x32, 0x3a, 0x3a, 0},          [KILN_KEY_N] = {0x31, 0x31, 0x31, 0},
    [KILN_KEY_O] = {0x18, 0x44, 0x44, 0},          [KILN_KEY_P] = {0x19, 0x4d, 0x4d, 0},
    [KILN_KEY_Q] = {0x10, 0x15, 0x15, 0},          [KILN_KEY_R] = {0x13, 0x2d, 0x2d, 0},
    [KILN_KEY_S] = {0x1f, 0x1b, 0x1b, 0},          [KILN_KEY_T] = {0x14, 0x2c, 0x2c, 0},
    [KILN_KEY_U] = {0x16, 0x3c, 0x3c, 0},          [KILN_KEY_V] = {0x2f, 0x2a, 0x2a, 0},
    [KILN_KEY_W] = {0x11, 0x1d, 0x1d, 0},          [KILN_KEY_X] = {0x2d, 0x22, 0x22, 0},
    [KILN_KEY_Y] = {0x15, 0x35, 0x35, 0},          [KILN_KEY_Z] = {0x2c, 0x1a, 0x1a, 0},
    [KILN_KEY_1] = {0x02, 0x16, 0x16, 0},          [KILN_KEY_2] = {0x03, 0x1e, 0x1e, 0},
    [KILN_KEY_3] = {0x04, 0x26, 0x26, 0},          [KILN_KEY_4] = {0x05, 0x25, 0x25, 0},
    [KILN_KEY_5] = {0x06, 0x2e, 0x2e, 0},          [KILN_KEY_6] = {0x07, 0x36, 0x36, 0},
    [KILN_KEY_7] = {0x08, 0x3d, 0x3d, 0},          [KILN_KEY_8] = {0x09, 0x3e, 0x3e, 0},
    [KILN_KEY_9] = {0x0a, 0x46, 0x46, 0},          [KILN_KEY_0] = {0x0b, 0x45, 0x45, 0},
    [KILN_KEY_GRAVE] = {0x29, 0x0e, 0x0e, 0},      [KILN_KEY_MINUS] = {0x0c, 0x4e, 0x4e, 0},
    [KILN_KEY_EQUAL] = {0x0d, 0x55, 0x55, 0},      [KILN_KEY_LBRACKET] = {0x1a, 0x54, 0x54, 0},
    [KILN_KEY_RBRACKET] = {0x1b, 0x5b, 0x5b, 0},   [KILN_KEY_BACKSLASH] = {0x2b, 0x5d, 0x5c, 0},
    [KILN_KEY_SEMICOLON] = {0x27, 0x4c, 0x4c, 0},  [KILN_KEY_APOSTROPHE] = {0x28, 0x52, 0x52, 0},
    [KILN_KEY_COMMA] = {0x33, 0x41, 0x41, 0},      [KILN_KEY_PERIOD] = {0x34, 0x49, 0x49, 0},
    [KILN_KEY_SLASH] = {0x35, 0x4a, 0x4a, 0},      [KILN_KEY_102ND] = {0x56, 0x61, 0x13, 0},
    [KILN_KEY_ESC] = {0x01, 0x76, 0x08, 0},        [KILN_KEY_BACKSPACE] = {0x0e, 0x66, 0x66, 0},
    [KILN_KEY_TAB] = {0x0f, 0x0d, 0x0d, 0},        [KILN_KEY_ENTER] = {0x1c, 0x5a, 0x5a, 0},
    [KILN_KEY_SPACE] = {0x39, 0x29, 0x29, 0},      [KILN_KEY_CAPSLOCK] = {0x3a, 0x58, 0x14, 0},
    [KILN_KEY_LSHIFT] = {0x2a, 0x12, 0x12, 0},     [KILN_KEY_RSHIFT] = {0x36, 0x59, 0x59, 0},
    [KILN_KEY_LCTRL] = {0x1d, 0x14, 0x11, 0},      [KILN_KEY_RCTRL] = {0x1d, 0x14, 0x58, KF_E0},
    [KILN_KEY_LALT] = {0x38, 0x11, 0x19, 0},       [KILN_KEY_RALT] = {0x38, 0x11, 0x39, KF_E0},
    [KILN_KEY_LWIN] = {0x5b, 0x1f, 0x8b, KF_E0},   [KILN_KEY_RWIN] = {0x5c, 0x27, 0x8c, KF_E0},
    [KILN_KEY_MENU] = {0x5d, 0x2f, 0x8d, KF_E0},   [KILN_KEY_F1] = {0x3b, 0x05, 0x07, 0},
    [KILN_KEY_F2] = {0x3c, 0x06, 0x0f, 0},         [KILN_KEY_F3] = {0x3d, 0x04, 0x17, 0},
    [KILN_KEY_F4] = {0x3e, 0x0c, 0x1f, 0},         [KILN_KEY_F5] = {0x3f, 0x03, 0x27, 0},
    [KILN_KEY_F6] = {0x40, 0x0b, 0x2f, 0},         [KILN_KEY_F7] = {0x41, 0x83, 0x37, 0},
    [KILN_KEY_F8] = {0x42, 0x0a, 0x3f, 0},         [KILN_KEY_F9] = {0x43, 0x01, 0x47, 0},
    [KILN_KEY_F10] = {0x44, 0x09, 0x4f, 0},        [KILN_KEY_F11] = {0x57, 0x78, 0x56, 0},
    [KILN_KEY_F12] = {0x58, 0x07, 0x5e, 0},
    [KILN_KEY_PRINTSCREEN] = {0x37, 0x7c, 0x57, KF_E0 | KF_PRTSC},
    [KILN_KEY_SCROLLLOCK] = {0x46, 0x7e, 0x5f, 0}, [KILN_KEY_PAUSE] = {0x45, 0x77, 0x62, KF_PAUSE},
    [KILN_KEY_INSERT] = {0x52, 0x70, 0x67, KF_E0NAV},
    [KILN_KEY_DELETE] = {0x53, 0x71, 0x64, KF_E0NAV},
    [KILN_KEY_HOME] = {0x47, 0x6c, 0x6e, KF_E0NAV},
    [KILN_KEY_END] = {0x4f, 0x69, 0x65, KF_E0NAV}, [KILN_KEY_PAGEUP] = {0x49, 0x7d, 0x6f, KF_E0NAV},
    [KILN_KEY_PAGEDOWN] = {0x51, 0x7a, 0x6d, KF_E0NAV},
    [KILN_KEY_UP] = {0x48, 0x75, 0x63, KF_E0NAV},  [KILN_KEY_DOWN] = {0x50, 0x72, 0x60, KF_E0NAV},
    [KILN_KEY_LEFT] = {0x4b, 0x6b, 0x61, KF_E0NAV},
    [KILN_KEY_RIGHT] = {0x4d, 0x74, 0x6a, KF_E0NAV},
    [KILN_KEY_NUMLOCK] = {0x45, 0x77, 0x76, 0},
    [KILN_KEY_KP_DIVIDE] = {0x35, 0x4a, 0x77, KF_E0 | KF_KPDIV},
    [KILN_KEY_KP_MULTIPLY] = {0x37, 0x7c, 0x7e, 0},
    [KILN_KEY_KP_MINUS] = {0x4a, 0x7b, 0x84, 0},   [KILN_KEY_KP_PLUS] = {0x4e, 0x79, 0x7c, 0},
    [KILN_KEY_KP_ENTER] = {0x1c, 0x5a, 0x79, KF_E0},
    [KILN_KEY_KP_PERIOD] = {0x53, 0x71, 0x71, 0},  [KILN_KEY_KP_0] = {0x52, 0x70, 0x70, 0},
    [KILN_KEY_KP_1] = {0x4f, 0x69, 0x69, 0},       [KILN_KEY_KP_2] = {0x50, 0x72, 0x72, 0},
    [KILN_KEY_KP_3] = {0x51, 0x7a, 0x7a, 0},       [KILN_KEY_KP_4] = {0x4b, 0x6b, 0x6b, 0},
    [KILN_KEY_KP_5] = {0x4c, 0x73, 0x73, 0},       [KILN_KEY_KP_6] = {0x4d, 0x74, 0x74, 0},
    [KILN_KEY_KP_7] = {0x47, 0x6c, 0x6c, 0},       [KILN_KEY_KP_8] = {0x48, 0x75, 0x75, 0},
    [KILN_KEY_KP_9] = {0x49, 0x7d, 0x7d, 0},
};

/* A sequence being built; the longest is Pause in set 2 (8 bytes). */
struct seq {
    uint8_t b[16];
    int n;
};

static void seq_put(struct seq *s, uint8_t v)
{
    if (s->n < (int)sizeof(s->b))
        s->b[s->n++] = v;
}

/* One code in set 1 or 2: set 1 breaks with bit 7, set 2 with an F0h prefix. */
static void seq_code(struct seq *s, int set, bool e0, uint8_t s1, uint8_t s2, bool brk)
{
    if (e0)
        seq_put(s, 0xe0);
    if (set == 1) {
        seq_put(s, brk ? (uint8_t)(s1 | 0x80) : s1);
    } else {
        if (brk)
            seq_put(s, 0xf0);
        seq_put(s, s2);
    }
}

/* Fake shifts are E0-prefixed Shift codes. Software that ignores E0 sees
 * them as Shift presses and releases, and so reads the cursor block as the
 * keypad's cursor keys whatever the state of Shift and Num Lock. */
static void fake_lshift(struct seq *s, int set, bool brk)
{
    seq_code(s, set, true, 0x2a, 0x12, brk);
}

static void fake_rshift(struct seq *s, int set, bool brk)
{
    seq_code(s, set, true, 0x36, 0x59, brk);
}

static void update_ready(struct ps2kbd *k)
{
    bool lvl = k->q_count > 0;
    if (lvl != k->ready_level) {
        k->ready_level = lvl;
        irq_set(&k->ready, lvl);
    }
}

static void push(struct ps2kbd *k, uint8_t v)
{
    if (k->q_count < PS2KBD_QUEUE)
        k->q[(k->q_head + k->q_count++) % PS2KBD_QUEUE] = v;
    update_ready(k);
}

static void clear_output(struct ps2kbd *k)
{
    k->q_head = k->q_count = 0;
    k->overrun = false;
    update_ready(k);
}

/* Queue a key's sequence whole, or the overrun code once when it does not fit
 * the 16-byte buffer (00h in sets 2 and 3, FFh in set 1). */
static void queue_seq(struct ps2kbd *k, const struct seq *s)
{
    if (k->q_count + s->n > PS2KBD_BUFFER) {
        if (!k->overrun) {
            k->overrun = true;
            push(k, k->set == 1 ? 0xff : 0x00);
        }
        return;
    }
    k->overrun = false;
    for (int i = 0; i < s->n; i++)
        push(k, s->b[i]);
}

static bool held(const struct ps2kbd *k, enum kiln_key a, enum kiln_key b)
{
    return k->down[a] || k->down[b];
}

/* Sets 1 and 2: the bytes a press (brk false) or release of 'key' sends. */
static void build_set12(const struct ps2kbd *k, enum kiln_key key, bool brk, struct seq *s)
{
    const struct key_codes *c = &key_table[key];
    int set = k->set;
    bool lsh = k->down[KILN_KEY_LSHIFT], rsh = k->down[KILN_KEY_RSHIFT];
    bool ctrl = held(k, KILN_KEY_LCTRL, KILN_KEY_RCTRL);
    bool alt = held(k, KILN_KEY_LALT, KILN_KEY_RALT);

    if (c->flags & KF_PAUSE) {
        /* Make only, no break and no repeat. With Ctrl it is Break. */
        if (brk)
            return;
        if (ctrl) {
            seq_code(s, set, true, 0x46, 0x7e, false);
            seq_code(s, set, true, 0x46, 0x7e, true);
            return;
        }
        seq_put(s, 0xe1);
        seq_code(s, set, false, 0x1d, 0x14, false);
        seq_code(s, set, false, 0x45, 0x77, false);
        seq_put(s, 0xe1);
        seq_code(s, set, false, 0x1d, 0x14, true);
        seq_code(s, set, false, 0x45, 0x77, true);
        return;
    }
    if (c->flags & KF_PRTSC) {
        /* Alt+Print Screen is SysRq, a plain code; with Shift or Ctrl the key
         * is already "shifted" and sends E0 37 alone; otherwise a fake Shift
         * surrounds it. */
        if (alt) {
            seq_code(s, set, false, 0x54, 0x84, brk);
        } else if (ctrl || lsh || rsh) {
            seq_code(s, set, true, c->s1, c->s2, brk);
        } else if (!brk) {
            fake_lshift(s, set, false);
            seq_code(s, set, true, c->s1, c->s2, false);
        } else {
            seq_code(s, set, true, c->s1, c->s2, true);
            fake_lshift(s, set, true);
        }
        return;
    }

    /* The cursor block undoes what Shift or Num Lock would do to the keypad
     * key it shares a code with: Num Lock alone gets a fake Shift press,
     * Shift alone gets fake releases of the held Shift keys. Keypad '/' only
     * undoes Shift. */
    bool shift = lsh || rsh;
    bool numlock = k->leds & PS2KBD_LED_NUM;
    bool fake_press = (c->flags & KF_NAV) && numlock && !shift;
    bool fake_release = ((c->flags & KF_NAV) && !numlock && shift) ||
                        ((c->flags & KF_KPDIV) && shift);
    if (!brk) {
        if (fake_press)
            fake_lshift(s, set, false);
        if (fake_release && lsh)
            fake_lshift(s, set, true);
        if (fake_release && rsh)
            fake_rshift(s, set, true);
    }
    seq_code(s, set, c->flags & KF_E0, c->s1, c->s2, brk);
    if (brk) {
        if (fake_press)
            fake_lshift(s, set, true);
        if (fake_release && lsh)
            fake_lshift(s, set, false);
        if (fake_release && rsh)
            fake_rshift(s, set, false);
    }
}

static void build_seq(const struct ps2kbd *k, enum kiln_key key, bool brk, struct seq *s)
{
    s->n = 0;
    if (k->set != 3) {
        build_set12(k, key, brk, s);
        return;
    }
    /* Set 3: one code per key; a break only for keys of a make/break type. */
    uint8_t code = key_table[key].s3;
    if (brk && !(k->set3_mode[code] & MODE_BREAK))
        return;
    if (brk)
        seq_put(s, 0xf0);
    seq_put(s, code);
}

static bool typematic_key(const struct ps2kbd *k, enum kiln_key key)
{
    if (k->set == 3)
        return k->set3_mode[key_table[key].s3] & MODE_TYPEMATIC;
    return !(key_table[key].flags & KF_PAUSE);
}

/* A typematic repeat resends the make code alone, without fake shifts. */
static void build_repeat(const struct ps2kbd *k, enum kiln_key key, struct seq *s)
{
    const struct key_codes *c = &key_table[key];
    s->n = 0;
    if (k->set == 3)
        seq_put(s, c->s3);
    else if ((c->flags & KF_PRTSC) && held(k, KILN_KEY_LALT, KILN_KEY_RALT))
        seq_code(s, k->set, false, 0x54, 0x84, false);
    else
        seq_code(s, k->set, c->flags & KF_E0, c->s1, c->s2, false);
}

/* IBM: delay = (1 + bits 6-5) x 250 ms; period = (8 + A) x 2^B x 4.17 ms with
 * A = bits 2-0 and B = bits 4-3 (30 to 2 characters per second). */
static uint64_t typematic_delay_ns(uint8_t t)
{
    return (uint64_t)(((t >> 5) & 3) + 1) * 250000000u;
}

static uint64_t typematic_period_ns(uint8_t t)
{
    return (uint64_t)((8u + (t & 7)) << ((t >> 3) & 3)) * 4170000u;
}

static void stop_repeat(struct ps2kbd *k)
{
    k->repeat_key = KILN_KEY_NONE;
    clock_timer_cancel(k->clock, &k->repeat);
}

static void repeat_fire(void *opaque)
{
    struct ps2kbd *k = opaque;
    enum kiln_key key = k->repeat_key;
    if (key == KILN_KEY_NONE || !k->down[key] || !k->scanning)
        return;
    struct seq s;
    build_repeat(k, key, &s);
    /* A repeat that finds the buffer full is skipped, not turned into overrun. */
    if (k->q_count + s.n <= PS2KBD_BUFFER)
        for (int i = 0; i < s.n; i++)
            push(k, s.b[i]);
    /* The next repeat is timed from when this one was due, not from when the
     * machine got round to running the timer; missed repeats are skipped. */
    uint64_t now = clock_now(k->clock);
    k->repeat_due += typematic_period_ns(k->typematic);
    if (k->repeat_due <= now)
        k->repeat_due = now + typematic_period_ns(k->typematic);
    clock_timer_arm(k->clock, &k->repeat, k->repeat_due);
}

static void key_event(struct ps2kbd *k, enum kiln_key key, bool down, const struct seq *s)
{
    k->down[key] = down;
    if (!k->scanning)
        return;
    queue_seq(k, s);
    if (down && typematic_key(k, key)) {
        k->repeat_key = key;
        k->repeat_due = clock_now(k->clock) + typematic_delay_ns(k->typematic);
        clock_timer_arm(k->clock, &k->repeat, k->repeat_due);
    } else if (down || key == k->repeat_key) {
        /* A new non-repeating key, or the release of the repeating one, ends it. */
        stop_repeat(k);
    }
}

static void pump(struct ps2kbd *k);
static void paste_add(struct ps2kbd *k, enum kiln_key key, bool down);

void ps2kbd_key(struct ps2kbd *k, enum kiln_key key, bool down)
{
    if (key <= KILN_KEY_NONE || key >= KILN_KEY_COUNT)
        return;
    bool paste_full = k->paste_count == PS2KBD_PASTE;
    if (!k->paste_count || paste_full) {
        if (k->down[key] == down)
            return;
        struct seq s;
        build_seq(k, key, !down, &s);
        if (!k->scanning || k->q_count + s.n <= PS2KBD_BUFFER || paste_full) {
            key_event(k, key, down, &s);
            return;
        }
    }
    /* Typed text is still waiting, or the buffer is full: the key waits
     * behind them, in order, as in a host's input queue. A burst from the
     * host (sendkey, a paste, events after a stall) outruns the wire's 1 ms
     * per byte; only a guest that leaves PS2KBD_PASTE events unread meets
     * the buffer's overrun code. */
    paste_add(k, key, down);
    pump(k);
}

/* Feed pasted key events while each one's whole sequence fits the buffer. */
static void pump(struct ps2kbd *k)
{
    while (k->paste_count && k->scanning) {
        uint16_t ev = k->paste[k->paste_head];
        enum kiln_key key = (enum kiln_key)(ev & 0xff);
        bool down = ev & 0x100;
        struct seq s;
        build_seq(k, key, !down, &s);
        if (k->q_count + s.n > PS2KBD_BUFFER)
            return;
        k->paste_head = (k->paste_head + 1) % PS2KBD_PASTE;
        k->paste_count--;
        if (k->down[key] != down)
            key_event(k, key, down, &s);
    }
}

static void paste_add(struct ps2kbd *k, enum kiln_key key, bool down)
{
    k->paste[(k->paste_head + k->paste_count++) % PS2KBD_PASTE] =
        (uint16_t)(key | (down ? 0x100 : 0));
}

/* US layout: the key for ASCII 'ch' and whether it needs Shift. */
static enum kiln_key ascii_key(char ch, bool *shift)
{
    static const char plain[] = "1234567890`-=[]\\;',./ \n\t\b\x1b";
    static const char shifted[] = "!@#$%^&*()~_+{}|:\"<>?";
    static const enum kiln_key keys[] = {
        KILN_KEY_1,         KILN_KEY_2,          KILN_KEY_3,        KILN_KEY_4,
        KILN_KEY_5,         KILN_KEY_6,          KILN_KEY_7,        KILN_KEY_8,
        KILN_KEY_9,         KILN_KEY_0,          KILN_KEY_GRAVE,    KILN_KEY_MINUS,
        KILN_KEY_EQUAL,     KILN_KEY_LBRACKET,   KILN_KEY_RBRACKET, KILN_KEY_BACKSLASH,
        KILN_KEY_SEMICOLON, KILN_KEY_APOSTROPHE, KILN_KEY_COMMA,    KILN_KEY_PERIOD,
        KILN_KEY_SLASH,     KILN_KEY_SPACE,      KILN_KEY_ENTER,    KILN_KEY_TAB,
        KILN_KEY_BACKSPACE, KILN_KEY_ESC,
    };
    _Static_assert(sizeof(keys) / sizeof(keys[0]) == sizeof(plain) - 1, "one key per character");
    *shift = ch >= 'A' && ch <= 'Z';
    if (*shift || (ch >= 'a' && ch <= 'z'))
        return (enum kiln_key)(KILN_KEY_A + ((ch | 0x20) - 'a'));
    const char *p = ch ? strchr(plain, ch) : NULL;
    if (p)
        return keys[p - plain];
    p = ch ? strchr(shifted, ch) : NULL;
    *shift = p != NULL;
    return p ? keys[p - shifted] : KILN_KEY_NONE;
}

size_t ps2kbd_type(struct ps2kbd *k, const char *s)
{
    size_t i = 0;
    for (; s[i]; i++) {
        bool shift;
        enum kiln_key key = ascii_key(s[i], &shift);
        if (key == KILN_KEY_NONE)
            continue;
        if (k->paste_count + (shift ? 4 : 2) > PS2KBD_PASTE)
            break;
        if (shift)
            paste_add(k, KILN_KEY_LSHIFT, true);
        paste_add(k, key, true);
        paste_add(k, key, false);
        if (shift)
            paste_add(k, KILN_KEY_LSHIFT, false);
    }
    pump(k);
    return i;
}

static void set3_all(struct ps2kbd *k, uint8_t mode)
{
    memset(k->set3_mode, mode, sizeof(k->set3_mode));
}

/* Set 3 power-on key types: typematic make-only, except the shift-like keys
 * and the Windows/menu keys, which are make/break. */
static void set3_defaults(struct ps2kbd *k)
{
    static const uint8_t make_break[] = {0x11, 0x12, 0x14, 0x19, 0x59, 0x8b, 0x8c, 0x8d};
    set3_all(k, MODE_TYPEMATIC);
    for (size_t i = 0; i < KILN_ARRAY_SIZE(make_break); i++)
        k->set3_mode[make_break[i]] = MODE_BREAK;
}

static void set_defaults(struct ps2kbd *k)
{
    k->typematic = TYPEMATIC_DEFAULT;
    set3_defaults(k);
    stop_repeat(k);
}

/* The parameter byte of ED, F0 or F3 (a byte below EDh). One out of range
 * gets Resend, and the keyboard keeps waiting for a good one. */
static void parameter(struct ps2kbd *k, uint8_t cmd, uint8_t v)
{
    if ((cmd == 0xf0 && v > 3) || (cmd == 0xf3 && (v & 0x80))) {
        push(k, RESEND);
        k->pending = cmd;
        return;
    }
    push(k, ACK);
    if (cmd == 0xed)
        k->leds = v & 7;
    else if (cmd == 0xf3)
        k->typematic = v;
    else if (v == 0)
        push(k, k->set); /* the 8042's translation turns 1, 2, 3 into 43h, 41h, 3Fh */
    else
        k->set = v;
}

static void command(struct ps2kbd *k, uint8_t cmd)
{
    switch (cmd) {
    case 0xed: /* set LEDs */
    case 0xf3: /* set typematic rate/delay */
        push(k, ACK);
        k->pending = cmd;
        break;
    case 0xee: /* echo: EEh back, no ACK */
        push(k, 0xee);
        break;
    case 0xf0: /* get/set scan code set */
        clear_output(k);
        stop_repeat(k);
        push(k, ACK);
        k->pending = cmd;
        break;
    case 0xf2: /* identify: an MF II keyboard */
        push(k, ACK);
        push(k, 0xab);
        push(k, 0x83);
        break;
    case 0xf4: /* enable */
    case 0xf5: /* default and disable */
    case 0xf6: /* default and enable */
        clear_output(k);
        if (cmd != 0xf4)
            set_defaults(k);
        push(k, ACK);
        k->scanning = cmd != 0xf5;
        pump(k);
        break;
    case 0xf7: /* set 3: all keys typematic / make-break / make / both */
    case 0xf8:
    case 0xf9:
    case 0xfa: {
        static const uint8_t all[] = {MODE_TYPEMATIC, MODE_BREAK, 0, MODE_TYPEMATIC | MODE_BREAK};
        clear_output(k);
        set3_all(k, all[cmd - 0xf7]);
        push(k, ACK);
        break;
    }
    case 0xfb: /* set 3: listed keys typematic / make-break / make */
    case 0xfc:
    case 0xfd:
        push(k, ACK);
        k->list_cmd = cmd;
        break;
    case 0xfe: /* resend: the last byte goes out again, ahead of the rest */
        if (k->q_count < PS2KBD_QUEUE) {
            k->q_head = (k->q_head + PS2KBD_QUEUE - 1) % PS2KBD_QUEUE;
            k->q[k->q_head] = k->last_sent;
            k->q_count++;
            update_ready(k);
        }
        break;
    case 0xff: /* reset: ACK, the self test, AAh */
        clear_output(k);
        set_defaults(k);
        k->set = 2;
        k->leds = 0;
        k->scanning = true;
        push(k, ACK);
        push(k, 0xaa);
        pump(k);
        break;
    default:
        push(k, RESEND);
        break;
    }
}

void ps2kbd_write(void *kbd, uint8_t byte)
{
    struct ps2kbd *k = kbd;
    /* A byte from EDh up is always a command, even where a parameter or a
     * set 3 key list was expected: it abandons them. */
    if (byte < 0xed && k->pending) {
        uint8_t cmd = k->pending;
        k->pending = 0;
        parameter(k, cmd, byte);
        return;
    }
    if (byte < 0xed && k->list_cmd) {
        static const uint8_t mode[] = {MODE_TYPEMATIC, MODE_BREAK, 0};
        k->set3_mode[byte] = mode[k->list_cmd - 0xfb];
        push(k, ACK);
        return;
    }
    k->pending = 0;
    k->list_cmd = 0;
    command(k, byte);
}

bool ps2kbd_read(void *kbd, uint8_t *byte)
{
    struct ps2kbd *k = kbd;
    if (!k->q_count)
        return false;
    *byte = k->q[k->q_head];
    k->q_head = (k->q_head + 1) % PS2KBD_QUEUE;
    k->q_count--;
    k->last_sent = *byte;
    pump(k);
    update_ready(k);
    return true;
}

void ps2kbd_init(struct ps2kbd *k, struct clock *c, struct irq_line ready)
{
    *k = (struct ps2kbd){0};
    k->clock = c;
    k->ready = ready;
    clock_timer_init(&k->repeat, repeat_fire, k);
    k->scanning = true;
    k->set = 2;
    k->last_sent = 0xaa;
    set_defaults(k);
}

uint8_t ps2kbd_leds(const struct ps2kbd *k)
{
    return k->leds;
}

int ps2kbd_scan_set(const struct ps2kbd *k)
{
    return k->set;
}
