/* SPDX-License-Identifier: MIT */
/*
 * Character device backends (see chardev.h).
 */
#include "frontend/chardev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* The terminal state to restore: one terminal per process, so one copy. */
static struct termios saved_tty, raw_tty;
static bool tty_raw;
static bool tty_lent; /* raw mode set aside while the monitor has the terminal */

static void tty_restore(void)
{
    if (tty_raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
        tty_raw = false;
    }
}

static void tty_make_raw(void)
{
    if (tty_raw || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty))
        return;
    struct termios t = saved_tty;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
    t.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR | IGNCR);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    if (!tcsetattr(STDIN_FILENO, TCSANOW, &t)) {
        raw_tty = t;
        tty_raw = true;
        atexit(tty_restore);
    }
}

void chardev_tty_lend(bool lend)
{
    if (!tty_raw || lend == tty_lent)
        return;
    tcsetattr(STDIN_FILENO, TCSANOW, lend ? &saved_tty : &raw_tty);
    tty_lent = lend;
}

bool chardev_open(struct chardev *d, const struct chardev_spec *spec, char *err, size_t errlen)
{
    memset(d, 0, sizeof(*d));
    d->kind = spec->kind;
    d->in_fd = d->out_fd = -1;
    switch (spec->kind) {
    case CHR_NONE:
    case CHR_NULL: return true;
    case CHR_STDIO:
        d->in_fd = STDIN_FILENO;
        d->out_fd = STDOUT_FILENO;
        fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
        tty_make_raw();
        return true;
    case CHR_FILE:
        d->out_fd = open(spec->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (d->out_fd < 0) {
            snprintf(err, errlen, "cannot open '%s': %s", spec->path, strerror(errno));
            return false;
        }
        return true;
    }
    return true;
}

void chardev_close(struct chardev *d)
{
    if (d->kind == CHR_FILE && d->out_fd >= 0)
        close(d->out_fd);
    if (d->kind == CHR_STDIO)
        tty_restore();
    d->in_fd = d->out_fd = -1;
}

void chardev_write(struct chardev *d, uint8_t byte)
{
    if (d->out_fd < 0)
        return;
    while (write(d->out_fd, &byte, 1) < 0 && errno == EINTR)
        ;
}

int chardev_read(struct chardev *d, uint8_t *byte)
{
    if (d->in_fd < 0)
        return 0;
    for (;;) {
        ssize_t n = read(d->in_fd, byte, 1);
        if (n == 0)
            return -1;
        if (n < 0)
            return errno == EINTR ? 0 : (errno == EAGAIN ? 0 : -1);
        if (tty_raw && d->escape) {
            d->escape = false;
            if (*byte == 'x') {
                d->quit = true;
                return 0;
            }
            if (*byte != 1)
                return 1; /* Ctrl-A then anything else: deliver that key */
            return 1;     /* Ctrl-A Ctrl-A sends one Ctrl-A */
        }
        if (tty_raw && *byte == 1) {
            d->escape = true;
            continue;
        }
        return 1;
    }
}

int chardev_poll_fd(const struct chardev *d)
{
    return d->in_fd;
}
