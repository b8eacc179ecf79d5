/* SPDX-License-Identifier: MIT */
/*
 * Host character devices behind the serial ports and the debug console:
 * stdio (the terminal in raw mode when it is one, restored at exit), a file,
 * or nothing. Input is polled without blocking; Ctrl-A x on a stdio
 * terminal quits, as in QEMU.
 */
#ifndef KILN_FRONTEND_CHARDEV_H
#define KILN_FRONTEND_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frontend/options.h"

struct chardev {
    enum chardev_kind kind;
    int in_fd, out_fd; /* -1 when absent */
    bool escape;       /* saw Ctrl-A */
    bool quit;         /* Ctrl-A x */
};

/* Open the backend 'spec'. Returns false with a message in err. */
bool chardev_open(struct chardev *d, const struct chardev_spec *spec, char *err, size_t errlen);
void chardev_close(struct chardev *d);

/* Write one byte (ignored for none/null). */
void chardev_write(struct chardev *d, uint8_t byte);

/* Read one byte if one is waiting: returns 1 with *byte, 0 when none, -1 at end of input. */
int chardev_read(struct chardev *d, uint8_t *byte);

/* Lend the terminal to a line-based reader (the monitor opened by a host
 * key): its own cooked mode with echo while lent, raw mode again when not.
 * Does nothing when no stdio backend made the terminal raw. */
void chardev_tty_lend(bool lend);

/* The file descriptor to wait on for input, or -1. */
int chardev_poll_fd(const struct chardev *d);

#endif
