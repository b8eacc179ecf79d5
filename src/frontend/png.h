/* SPDX-License-Identifier: MIT */
/*
 * A PNG writer for screenshots: 8-bit truecolour (colour type 2), no
 * interlace, one zlib stream in IDAT chunks, CRCs from zlib. Owns only the
 * encoding; knows nothing of the VGA or the machine. Follows the PNG
 * specification (ISO/IEC 15948, W3C PNG 2nd edition).
 */
#ifndef KILN_FRONTEND_PNG_H
#define KILN_FRONTEND_PNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/compiler.h"

/* Largest picture accepted, per side (PNG allows 2^31 - 1; this keeps the
 * row buffer small and rejects nonsense sizes). */
#define PNG_MAX_SIDE 16384

/* Encode 'width' x 'height' XRGB8888 pixels (0x00RRGGBB, rows packed) as a
 * PNG into a malloc'd buffer. False with a message in err on bad
 * dimensions or host out-of-memory; *out is then NULL. */
KILN_MUST_CHECK bool png_encode(const uint32_t *pixels, int width, int height, uint8_t **out,
                                size_t *out_len, char *err, size_t errlen);

/* Encode as png_encode() and write the file atomically (a temporary beside
 * it, then rename), so a failed write never leaves a half file under
 * 'path'. False with a message in err. */
KILN_MUST_CHECK bool png_write_file(const char *path, const uint32_t *pixels, int width, int height,
                                    char *err, size_t errlen);

#endif
