/* SPDX-License-Identifier: MIT */
/*
 * Specialised handlers for the interpreter's commonest instruction forms
 * (forms.def): chosen once, when a run of the fast loop is built
 * (iblock.c), so the handler need not test the operand size, the operand's
 * shape or the ALU operation on every run. They are the generic
 * handlers' own inline semantics compiled for constant arguments (FORMS32
 * in ops.h), never separate semantics. Owns only the choice.
 */
#ifndef KILN_CPU_FORMS_H
#define KILN_CPU_FORMS_H

#include "cpu/insn.h"

/* The specialised handler for 'in', or NULL when the generic one must run. */
op_handler_fn form_handler(const struct insn *in);

#endif
