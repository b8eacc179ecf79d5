/* SPDX-License-Identifier: MIT */
/*
 * The choice of a specialised handler (see forms.h).
 */
#include "cpu/forms.h"

#include <stddef.h>

#include "cpu/ops.h"

struct form_set {
    op_handler_fn reg, b32, bi32; /* by enum ea_shape; NULL: none */
};

static const struct form_set forms[OP_COUNT] = {
#define FORM(id, stem) [OP_##id] = {form_##stem##_reg, form_##stem##_b32, form_##stem##_bi32},
#define FORM_MEM(id, stem) [OP_##id] = {NULL, form_##stem##_b32, form_##stem##_bi32},
#define FORM_REG(id, stem) [OP_##id] = {form_##stem##_reg, NULL, NULL},
#include "cpu/forms.def"
#undef FORM
#undef FORM_MEM
#undef FORM_REG
};

op_handler_fn form_handler(const struct insn *in)
{
    /* 32-bit operands only; a LOCK prefix is left to the generic handler. */
    if (in->opsize != 4 || in->lock)
        return NULL;
    const struct form_set *f = &forms[in->op];
    if (!in->is_mem)
        return f->reg;
    if (in->addrsize != 4 || in->base == INSN_NOREG)
        return NULL;
    return in->index == INSN_NOREG ? f->b32 : f->bi32;
}
