/* SPDX-License-Identifier: MIT */
/*
 * The fast path of REP MOVS/STOS (string_fast.c), used by ops_string.c.
 */
#ifndef KILN_CPU_STRING_FAST_H
#define KILN_CPU_STRING_FAST_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/insn.h"

/* Run up to 'max' (not 0, at most ECX) iterations of a REP MOVS ('movs') or
 * REP STOS with 32-bit addressing, elements of 'size' bytes, direction
 * 'step' (+size or -size), when they can be done in host memory without a
 * fault or a page walk; updates ESI/EDI/ECX as the iterations would.
 * Returns the number done: 0 means run the next iteration the ordinary way.
 * The caller has excluded single-step, data breakpoints and #AC checks. */
uint32_t string_fast_run(struct cpu *c, const struct insn *in, bool movs, int size, int32_t step,
                         uint32_t max);

#endif
