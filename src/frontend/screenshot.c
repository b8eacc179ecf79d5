/* SPDX-License-Identifier: MIT */
/*
 * Screenshots (see screenshot.h). The renderer keeps its own frame buffer
 * and change tracking; a screenshot is one more render, so a display that
 * renders at its refresh rate sees a moved generation and simply uploads
 * the whole frame.
 */
#include "frontend/screenshot.h"

#include <stdio.h>

#include "frontend/png.h"

bool screenshot_write(struct vga *v, const char *path, char *err, size_t errlen)
{
    struct vga_frame fr;
    if (!vga_render(v, &fr)) {
        snprintf(err, errlen, "out of memory rendering the screen");
        return false;
    }
    return png_write_file(path, fr.pixels, fr.width, fr.height, err, errlen);
}
