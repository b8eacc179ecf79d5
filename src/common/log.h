/* SPDX-License-Identifier: MIT */
/*
 * Logging. Every message says who is at fault: the guest did something odd
 * (GUEST), Kiln lacks a feature (STUB), or the host failed (HOST). Messages
 * go to stderr; a category is silent unless enabled. No other state.
 */
#ifndef KILN_COMMON_LOG_H
#define KILN_COMMON_LOG_H

#include "common/compiler.h"

enum log_kind {
    LOG_GUEST = 1 << 0, /* the guest did something unusual; Kiln behaves as hardware does */
    LOG_STUB = 1 << 1,  /* the guest used something Kiln does not model yet */
    LOG_HOST = 1 << 2,  /* a host error: file, memory, option */
};

/* Enable the given kinds (a mask of enum log_kind). HOST is always on. */
void log_enable(unsigned kinds);

/* Print one message of 'kind' from module 'who' when that kind is enabled. */
void log_msg(enum log_kind kind, const char *who, const char *fmt, ...) KILN_PRINTF(3, 4);

#endif
