/* SPDX-License-Identifier: MIT */
/*
 * Verification mode (KILN_JIT_VERIFY=1 in the environment): every block
 * without helper calls is run twice, translated and then, from the same
 * state with its stores undone, on the interpreter; any difference in
 * registers, flags, EIP, segments or stored bytes is printed and stops
 * Kiln. A debugging aid for the translator; slow.
 */
#ifndef KILN_JIT_VERIFY_H
#define KILN_JIT_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "jit/block.h"
#include "jit/x64_backend.h"

/* Is verification on (read once from the environment)? */
bool jit_verify_enabled(void);

/* Run 'b' translated and check it against the interpreter; returns what the
 * translated run returned (the interpreter's state is kept either way). */
uintptr_t jit_verify_block(struct cpu *c, jit_enter_fn enter, struct jit_block *b);

#endif
