/* SPDX-License-Identifier: MIT */
/*
 * Screenshots: the picture the guest displays now, as the VGA renderer
 * (vga_render: text with the guest's own font from plane 2, planar,
 * chained and unchained 256-colour, VBE at every depth) draws it at the
 * mode's own size, written as a PNG. Shared by -screenshot-at-exit and
 * the monitor's screendump. Reads the VGA through vga.h only.
 */
#ifndef KILN_FRONTEND_SCREENSHOT_H
#define KILN_FRONTEND_SCREENSHOT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/compiler.h"
#include "devices/vga.h"

/* Render the current picture of 'v' and write it to 'path' as a PNG.
 * False with a message in err (host out-of-memory, unwritable path). */
KILN_MUST_CHECK bool screenshot_write(struct vga *v, const char *path, char *err, size_t errlen);

#endif
