/* SPDX-License-Identifier: MIT */
/*
 * opc_rows: the descriptor of every form in opcodes.def, indexed by op id.
 * Constant data expanded from the one table; nothing else lives here.
 */
#include "cpu/opcodes.h"

const struct opc_row opc_rows[OP_COUNT] = {
#define OP(id, mn, mp, opc, rg, r_m, md, im, g, fl, handler)                                       \
    [OP_##id] = {.mnem = mn,                                                                       \
                 .map = mp,                                                                        \
                 .opcode = (opc),                                                                  \
                 .reg_mask = (rg),                                                                 \
                 .rm_mask = (r_m),                                                                 \
                 .mod = md,                                                                        \
                 .imm = im,                                                                        \
                 .gen = g,                                                                         \
                 .flags = (fl)},
#include "cpu/opcodes.def"
#undef OP
};
