/* SPDX-License-Identifier: MIT */
/*
 * Logging to stderr with a fault-owner tag. The enabled mask is the only
 * process-wide setting in Kiln: it is configuration, never emulated state.
 */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>

static unsigned log_enabled_kinds = LOG_HOST;

void log_enable(unsigned kinds)
{
    log_enabled_kinds = kinds | LOG_HOST;
}

void log_msg(enum log_kind kind, const char *who, const char *fmt, ...)
{
    static const char *const tags[] = {[LOG_GUEST] = "guest", [LOG_STUB] = "unimplemented",
                                       [LOG_HOST] = "error"};
    if (!(log_enabled_kinds & kind))
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "kiln: %s: %s: ", tags[kind], who);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
