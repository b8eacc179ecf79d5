/* SPDX-License-Identifier: MIT */
/*
 * Command-line option values shared by Kiln's programs: today the -cpu
 * model. Turns user text into configuration or a one-line error; never
 * touches machine state.
 */
#ifndef KILN_FRONTEND_OPTIONS_H
#define KILN_FRONTEND_OPTIONS_H

#include <stddef.h>

#include "cpu/models.h"

/* The model named 'arg' ("8086" ... "pentium2"). On failure returns NULL and
 * writes a one-line message naming the valid models into err. */
const struct cpu_model_info *options_cpu_model(const char *arg, char *err, size_t errlen);

#endif
