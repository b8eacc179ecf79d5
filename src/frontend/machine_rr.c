/* SPDX-License-Identifier: MIT */
/*
 * The machine's side of record/replay (rr.h): the stamp of the loop's
 * current point, host input routed through the log, logged input handed
 * back at its stamp, slices cut at the next event, and the end of the run.
 * Host input is delivered only at the top of the machine loop, so a stamp
 * names one point of the run under both engines. Touches the devices only
 * to deliver input; the run loop itself stays machine.c's.
 */
#include "frontend/machine_int.h"

#include <stdio.h>

struct rr_stamp machine_stamp(const struct machine *m)
{
    return (struct rr_stamp){m->cpu.icount + m->cpu.exceptions + m->irqs, m->idle_ns};
}

/* Record an input the host delivers now (a no-op without -record). */
static void record(struct machine *m, uint8_t kind, uint8_t dev, uint16_t arg)
{
    if (!m->rr)
        return;
    struct rr_event e = {machine_stamp(m), m->cpu.icount, kind, dev, arg};
    rr_log(m->rr, &e);
}

static void sink_key(void *opaque, enum kiln_key key, bool down)
{
    struct machine *m = opaque;
    if (!rr_host_input(m->rr))
        return; /* a replay takes its keys from the log */
    record(m, RR_KEY, down, (uint16_t)key);
    ps2kbd_key(&m->pc->kbd, key, down);
}

static void sink_type(void *opaque, char ch)
{
    struct machine *m = opaque;
    if (!rr_host_input(m->rr) || !rr_typable((unsigned char)ch))
        return;
    record(m, RR_TYPE, 0, (uint16_t)ch);
    char s[2] = {ch, 0};
    ps2kbd_type(&m->pc->kbd, s);
}

static int clamp_step(int v)
{
    return v > RR_MOUSE_STEP ? RR_MOUSE_STEP : v < -RR_MOUSE_STEP ? -RR_MOUSE_STEP : v;
}

/* Motion goes to the mouse; while recording, in steps an event can carry,
 * so that the mouse makes the same packets from them in a replay. */
static void sink_move(void *opaque, int dx, int dy, int dz)
{
    struct machine *m = opaque;
    if (!rr_host_input(m->rr))
        return;
    if (!m->rr) {
        ps2mouse_move(&m->pc->mouse, dx, dy, dz);
        return;
    }
    do {
        int sx = clamp_step(dx), sy = clamp_step(dy), sz = clamp_step(dz);
        record(m, RR_MOUSE, (uint8_t)(int8_t)sz, (uint16_t)((uint8_t)(int8_t)sx | (uint8_t)(int8_t)sy << 8));
        ps2mouse_move(&m->pc->mouse, sx, sy, sz);
        dx -= sx;
        dy -= sy;
        dz -= sz;
    } while (dx || dy || dz);
}

static void sink_buttons(void *opaque, uint8_t mask)
{
    struct machine *m = opaque;
    if (!rr_host_input(m->rr))
        return;
    record(m, RR_BUTTONS, 0, mask);
    ps2mouse_buttons(&m->pc->mouse, mask);
}

struct keysink machine_keysink(struct machine *m)
{
    return (struct keysink){m, sink_key, sink_type, sink_move, sink_buttons};
}

void machine_serial_input(struct machine *m, int i)
{
    struct chardev *d = &m->serial[i];
    uint8_t b;
    if (!rr_host_input(m->rr))
        return; /* the host's bytes wait (a record re-running its past) or are ignored (replay) */
    while (uart_can_receive(&m->pc->uart[i]) && chardev_read(d, &b) == 1) {
        record(m, RR_SERIAL, (uint8_t)i, b);
        uart_receive(&m->pc->uart[i], b);
    }
}

int machine_rr_deliver(struct machine *m)
{
    if (!m->rr)
        return 0;
    struct rr_stamp at = machine_stamp(m);
    struct rr_event e;
    char err[256];
    int got;
    while ((got = rr_next(m->rr, at, &e, err, sizeof(err))) == 1) {
        if (e.kind == RR_SERIAL && e.dev >= m->n_serial) {
            fprintf(stderr, "kiln: the record types into COM%d, which this machine lacks\n",
                    e.dev + 1);
            return -1;
        }
        rr_apply(&e, m->pc);
    }
    if (got < 0) {
        fprintf(stderr, "kiln: %s\n", err);
        return -1;
    }
    return rr_at_end(m->rr, at) ? 1 : 0;
}

uint64_t machine_rr_slice(struct machine *m, uint64_t slice)
{
    uint64_t left = rr_steps_left(m->rr, machine_stamp(m));
    return left < slice ? left : slice;
}

int machine_rr_finish(struct machine *m, int status)
{
    if (!m->rr)
        return status;
    char err[256];
    if (!rr_finish(m->rr, machine_stamp(m), m->cpu.icount, m->user_stop, err, sizeof(err))) {
        fprintf(stderr, "kiln: %s\n", err);
        return 2;
    }
    return status;
}
