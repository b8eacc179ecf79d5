/* SPDX-License-Identifier: MIT */
/*
 * Option value parsing (see options.h).
 */
#include "frontend/options.h"

#include <stdio.h>

const struct cpu_model_info *options_cpu_model(const char *arg, char *err, size_t errlen)
{
    const struct cpu_model_info *m = arg ? cpu_model_find(arg) : NULL;
    if (!m)
        snprintf(err, errlen, "unknown CPU model '%s' (choose one of: %s)", arg ? arg : "",
                 cpu_model_names());
    return m;
}
