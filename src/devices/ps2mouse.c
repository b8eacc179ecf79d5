/* SPDX-License-Identifier: MIT */
/*
 * The PS/2 mouse (see ps2mouse.h): command decoding with parameter checks,
 * status and ID replies, movement accumulation, packet building with sign,
 * overflow and 2:1 scaling, and stream reports paced by the sample rate on
 * the virtual clock. Owns only struct ps2mouse. Follows the IBM PS/2 Mouse
 * Technical Reference (commands, status bytes, scaling table) and Microsoft's
 * IntelliMouse note for the wheel ID and fourth byte.
 */
#include "devices/ps2mouse.h"

#include <string.h>

#define ACK    0xfa
#define RESEND 0xfe
#define ERR    0xfc

/* Bounds for the accumulated motion, far beyond what a packet holds, so that
 * no host input can overflow an int. */
#define ACC_LIMIT (1 << 20)

static void update_ready(struct ps2mouse *m)
{
    bool lvl = m->q_count > 0;
    if (lvl != m->ready_level) {
        m->ready_level = lvl;
        irq_set(&m->ready, lvl);
    }
}

static void push_byte(struct ps2mouse *m, uint8_t v, bool stream)
{
    if (m->q_count < PS2MOUSE_QUEUE) {
        int i = (m->q_head + m->q_count++) % PS2MOUSE_QUEUE;
        m->q[i] = v;
        m->q_stream[i] = stream;
    }
    update_ready(m);
}

static void push(struct ps2mouse *m, uint8_t v)
{
    push_byte(m, v, false);
}

/* Queue a data reply or packet and remember it for Resend. */
static void push_unit(struct ps2mouse *m, const uint8_t *b, int n, bool stream)
{
    for (int i = 0; i < n; i++)
        push_byte(m, b[i], stream);
    memcpy(m->last, b, (size_t)n);
    m->last_len = n;
}

/* A command from the system aborts the stream packets not sent yet, so that
 * its reply is not buried behind motion; replies to earlier commands stay. */
static void drop_stream_bytes(struct ps2mouse *m)
{
    int n = 0;
    for (int i = 0; i < m->q_count; i++) {
        int from = (m->q_head + i) % PS2MOUSE_QUEUE;
        if (m->q_stream[from])
            continue;
        int to = (m->q_head + n++) % PS2MOUSE_QUEUE;
        m->q[to] = m->q[from];
        m->q_stream[to] = false;
    }
    m->q_count = n;
    update_ready(m);
}

static void clear_output(struct ps2mouse *m)
{
    m->q_head = m->q_count = 0;
    update_ready(m);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* IBM's 2:1 scaling: 1->1, 2->1, 3->3, 4->6, 5->9, then twice the count. */
static int scale21(int v)
{
    static const int small[6] = {0, 1, 1, 3, 6, 9};
    int a = v < 0 ? -v : v;
    int r = a < 6 ? small[a] : 2 * a;
    return v < 0 ? -r : r;
}

static void reset_motion(struct ps2mouse *m)
{
    m->dx = m->dy = m->dz = 0;
    m->dirty = false;
    m->reported_buttons = m->buttons;
}

/* Build the packet for the motion so far and take it from the counters.
 * A packet holds at most -256..255 counts per axis: motion beyond that
 * stays counted and goes out in the next packets, as a mouse moved that far
 * reports it over several sample periods; nothing the host moved is lost,
 * so a guest's pointer travels as far as the host's. 'stream' applies the
 * 2:1 scaling, which IBM limits to stream-mode reports; only a scaled count
 * that no longer fits sets the overflow bit. */
static int build_packet(struct ps2mouse *m, uint8_t *p, bool stream)
{
    int x = clamp(m->dx, -256, 255), y = clamp(m->dy, -256, 255);
    int x_left = m->dx - x, y_left = m->dy - y;
    if (stream && m->scale21) {
        x = scale21(x);
        y = scale21(y);
    }
    bool xo = x < -256 || x > 255, yo = y < -256 || y > 255;
    x = clamp(x, -256, 255);
    y = clamp(y, -256, 255);
    p[0] = (uint8_t)(0x08 | (m->buttons & 7) | (x < 0 ? 0x10 : 0) | (y < 0 ? 0x20 : 0) |
                     (xo ? 0x40 : 0) | (yo ? 0x80 : 0));
    p[1] = (uint8_t)x;
    p[2] = (uint8_t)y;
    int n = 3;
    int z_left = 0;
    if (m->id == 3) {
        int z = clamp(m->dz, -8, 7);
        p[3] = (uint8_t)(int8_t)z;
        z_left = m->dz - z;
        n = 4;
    }
    reset_motion(m);
    m->dx = x_left;
    m->dy = y_left;
    m->dz = z_left;
    m->dirty = x_left || y_left || z_left;
    return n;
}

static void emit_packet(struct ps2mouse *m)
{
    uint8_t p[4];
    int n = build_packet(m, p, true);
    push_unit(m, p, n, true);
    m->next_sample = clock_now(m->clock) + 1000000000u / m->rate;
}

/* Stream mode: send what changed, one packet in flight at a time and no more
 * often than the sample rate allows; else wait for the next sample time. */
static void report(struct ps2mouse *m)
{
    if (!m->enabled || m->remote || m->wrap || !m->dirty || m->q_count)
        return;
    if (clock_now(m->clock) < m->next_sample) {
        if (m->sample.deadline == CLOCK_NEVER)
            clock_timer_arm(m->clock, &m->sample, m->next_sample);
        return;
    }
    emit_packet(m);
}

static void sample_fire(void *opaque)
{
    report(opaque);
}

static void set_defaults(struct ps2mouse *m)
{
    m->rate = 100;
    m->resolution = 2;
    m->scale21 = false;
    m->remote = false;
    m->enabled = false;
    m->pending = 0;
    m->bad_params = 0;
    reset_motion(m);
    clock_timer_cancel(m->clock, &m->sample);
}

static bool valid_rate(uint8_t v)
{
    static const uint8_t rates[] = {10, 20, 40, 60, 80, 100, 200};
    for (size_t i = 0; i < sizeof(rates); i++)
        if (v == rates[i])
            return true;
    return false;
}

/* The parameter of E8h or F3h. An invalid one gets Resend; a second in a row
 * gets Error and the command is dropped. */
static void parameter(struct ps2mouse *m, uint8_t cmd, uint8_t v)
{
    bool ok = cmd == 0xe8 ? v <= 3 : valid_rate(v);
    if (!ok) {
        if (++m->bad_params >= 2) {
            push(m, ERR);
            m->bad_params = 0;
        } else {
            push(m, RESEND);
            m->pending = cmd;
        }
        return;
    }
    m->bad_params = 0;
    push(m, ACK);
    if (cmd == 0xe8) {
        m->resolution = v;
        return;
    }
    m->rate = v;
    /* The IntelliMouse unlock: rates 200, 100, 80 in a row make the ID 03h. */
    m->rate_hist[0] = m->rate_hist[1];
    m->rate_hist[1] = m->rate_hist[2];
    m->rate_hist[2] = v;
    if (m->rate_hist[0] == 200 && m->rate_hist[1] == 100 && m->rate_hist[2] == 80)
        m->id = 3;
}

static void command(struct ps2mouse *m, uint8_t cmd)
{
    uint8_t r[4];
    switch (cmd) {
    case 0xe6:
    case 0xe7:
        push(m, ACK);
        m->scale21 = cmd == 0xe7;
        break;
    case 0xe8:
    case 0xf3:
        push(m, ACK);
        m->pending = cmd;
        break;
    case 0xe9: /* status: mode/enable/scaling/buttons (left, middle, right), resolution, rate */
        push(m, ACK);
        r[0] = (uint8_t)((m->remote ? 0x40 : 0) | (m->enabled ? 0x20 : 0) |
                         (m->scale21 ? 0x10 : 0) | (m->buttons & PS2MOUSE_BTN_LEFT ? 0x04 : 0) |
                         (m->buttons & PS2MOUSE_BTN_MIDDLE ? 0x02 : 0) |
                         (m->buttons & PS2MOUSE_BTN_RIGHT ? 0x01 : 0));
        r[1] = m->resolution;
        r[2] = m->rate;
        push_unit(m, r, 3, false);
        break;
    case 0xea:
    case 0xf0:
        push(m, ACK);
        m->remote = cmd == 0xf0;
        reset_motion(m);
        break;
    case 0xeb: /* read data: a packet on request, in either mode */
        push(m, ACK);
        push_unit(m, r, build_packet(m, r, false), false);
        break;
    case 0xec: /* reset wrap mode (outside wrap mode: nothing to reset) */
        push(m, ACK);
        break;
    case 0xee:
        push(m, ACK);
        m->wrap = true;
        reset_motion(m);
        break;
    case 0xf2:
        push(m, ACK);
        push_unit(m, &m->id, 1, false);
        break;
    case 0xf4:
    case 0xf5:
        push(m, ACK);
        m->enabled = cmd == 0xf4;
        reset_motion(m);
        break;
    case 0xf6:
        push(m, ACK);
        set_defaults(m);
        break;
    case 0xfe:
        if (m->last_len)
            push_unit(m, m->last, m->last_len, false);
        else
            push(m, ACK);
        break;
    case 0xff: /* reset: everything unsent is lost; ACK, self test passed (AAh), ID 00h */
        clear_output(m);
        push(m, ACK);
        set_defaults(m);
        m->wrap = false;
        m->id = 0;
        memset(m->rate_hist, 0, sizeof(m->rate_hist));
        r[0] = 0xaa;
        r[1] = 0x00;
        push_unit(m, r, 2, false);
        break;
    default:
        push(m, RESEND);
        break;
    }
}

void ps2mouse_write(void *mouse, uint8_t byte)
{
    struct ps2mouse *m = mouse;
    if (m->wrap && byte != 0xec && byte != 0xff) {
        push(m, byte); /* wrap mode echoes everything but its two exits */
        return;
    }
    if (m->wrap && byte == 0xec) {
        m->wrap = false;
        push(m, ACK);
        return;
    }
    drop_stream_bytes(m);
    if (m->pending && byte < 0xe6) {
        uint8_t cmd = m->pending;
        m->pending = 0;
        parameter(m, cmd, byte);
        return;
    }
    m->pending = 0;
    m->bad_params = 0;
    command(m, byte);
    report(m);
}

bool ps2mouse_read(void *mouse, uint8_t *byte)
{
    struct ps2mouse *m = mouse;
    if (!m->q_count)
        return false;
    *byte = m->q[m->q_head];
    m->q_head = (m->q_head + 1) % PS2MOUSE_QUEUE;
    m->q_count--;
    if (!m->q_count)
        report(m);
    update_ready(m);
    return true;
}

void ps2mouse_move(struct ps2mouse *m, int dx, int dy, int dz)
{
    if (!dx && !dy && !dz)
        return;
    m->dx = clamp(m->dx + clamp(dx, -ACC_LIMIT, ACC_LIMIT), -ACC_LIMIT, ACC_LIMIT);
    m->dy = clamp(m->dy - clamp(dy, -ACC_LIMIT, ACC_LIMIT), -ACC_LIMIT, ACC_LIMIT);
    if (m->id == 3)
        m->dz = clamp(m->dz + clamp(dz, -ACC_LIMIT, ACC_LIMIT), -ACC_LIMIT, ACC_LIMIT);
    m->dirty = true;
    report(m);
}

void ps2mouse_buttons(struct ps2mouse *m, uint8_t mask)
{
    mask &= 7;
    if (mask == m->buttons)
        return;
    /* A click shorter than a sample period must not vanish: when a button
     * change is still unreported, its packet goes out now, off the sample
     * clock, before the buttons change again. */
    bool streaming = m->enabled && !m->remote && !m->wrap;
    if (streaming && m->buttons != m->reported_buttons && m->q_count + 4 <= PS2MOUSE_QUEUE / 2)
        emit_packet(m);
    m->buttons = mask;
    m->dirty = true;
    report(m);
}

void ps2mouse_init(struct ps2mouse *m, struct clock *c, struct irq_line ready)
{
    *m = (struct ps2mouse){0};
    m->clock = c;
    m->ready = ready;
    clock_timer_init(&m->sample, sample_fire, m);
    set_defaults(m);
}
