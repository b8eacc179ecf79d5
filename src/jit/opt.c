/* SPDX-License-Identifier: MIT */
/*
 * IR passes (see opt.h).
 */
#include "jit/opt.h"

#include <stdbool.h>

static bool fold(enum ir_opcode op, uint32_t a, uint32_t b, uint32_t *out)
{
    switch (op) {
    case IR_ADD: *out = a + b; return true;
    case IR_SUB: *out = a - b; return true;
    case IR_AND: *out = a & b; return true;
    case IR_OR: *out = a | b; return true;
    case IR_XOR: *out = a ^ b; return true;
    default: return false;
    }
}

void opt_fold_constants(struct ir_block *b)
{
    bool known[IR_TEMPS] = {false};
    uint32_t val[IR_TEMPS] = {0};
    for (int i = 0; i < b->n; i++) {
        struct ir_op *o = &b->op[i];
        if (o->dead)
            continue;
        if (o->op == IR_INSN) {
            for (int t = 0; t < IR_TEMPS; t++)
                known[t] = false;
            continue;
        }
        uint32_t r;
        if (o->a != IR_NONE && o->b != IR_NONE && o->a < IR_TEMPS && o->b < IR_TEMPS &&
            known[o->a] && known[o->b] && o->op != IR_LAZY && o->op != IR_LAZYNZ && o->op != IR_STORE &&
            fold((enum ir_opcode)o->op, val[o->a], val[o->b], &r)) {
            *o = (struct ir_op){.op = IR_CONST, .size = 4, .d = o->d, .a = IR_NONE,
                                .b = IR_NONE, .imm = r};
        }
        /* Only CONST defines a known value; any other definition forgets it. */
        if (o->d != IR_NONE && o->op != IR_LAZY && o->op != IR_LAZYNZ && o->op != IR_SELECT)
            known[o->d] = false;
        if (o->op == IR_SELECT)
            known[o->d] = false;
        if (o->op == IR_CONST) {
            known[o->d] = true;
            val[o->d] = o->imm;
        }
    }
}

/* Does 'o' read the lazy flags (or need them exact, as a bail point or exit)? */
static bool reads_flags(const struct ir_op *o)
{
    switch ((enum ir_opcode)o->op) {
    case IR_COND:
    case IR_LAZYNZ: /* keeps the earlier record when its count is 0 */
    case IR_HELPER:
    case IR_LIN:
    case IR_LOAD:
    case IR_STORE:
    case IR_CHKCS:
    case IR_X87: /* may bail; FCMOVcc reads the flags */
    case IR_DIVU: /* may bail: a #DE pushes the flags */
    case IR_DIVS:
    case IR_EXIT:
    case IR_EXITC:
    case IR_EXITI: return true;
    default: return false;
    }
}

void opt_dead_flags(struct ir_block *b)
{
    bool live = true;
    for (int i = b->n - 1; i >= 0; i--) {
        struct ir_op *o = &b->op[i];
        if (o->dead)
            continue;
        if (reads_flags(o)) {
            live = true;
        } else if (o->op == IR_LAZY) {
            if (!live)
                o->dead = 1;
            live = false;
        } else if (o->op == IR_ROTF) {
            /* Writes CF and OF only: dead when overwritten before any
             * reader; when it stays, it reads the earlier flags as well. */
            if (!live)
                o->dead = 1;
        } else if (o->op == IR_IMUL || o->op == IR_MULU) {
            live = false; /* records MUL flags itself */
        }
    }
}

static bool pure(enum ir_opcode op)
{
    switch (op) {
    case IR_CONST:
    case IR_GETR:
    case IR_ADD:
    case IR_SUB:
    case IR_AND:
    case IR_OR:
    case IR_XOR:
    case IR_SHL:
    case IR_SHR:
    case IR_SAR:
    case IR_ROL:
    case IR_ROR:
    case IR_MASK:
    case IR_SEXT:
    case IR_ADDR: return true;
    default: return false;
    }
}

/* The temporaries op 'o' reads, as a bit mask. */
static unsigned uses(const struct ir_op *o)
{
    unsigned m = 0;
    if (o->a < IR_TEMPS)
        m |= 1u << o->a;
    if (o->b < IR_TEMPS)
        m |= 1u << o->b;
    /* LAZY reads its 'd' (the result); SELECT reads its old 'd'. */
    if ((o->op == IR_LAZY || o->op == IR_LAZYNZ || o->op == IR_SELECT) && o->d < IR_TEMPS)
        m |= 1u << o->d;
    return m;
}

void opt_dead_temps(struct ir_block *b)
{
    unsigned live = 0; /* temporaries read later in the same instruction */
    for (int i = b->n - 1; i >= 0; i--) {
        struct ir_op *o = &b->op[i];
        if (o->dead)
            continue;
        if (o->op == IR_INSN) {
            live = 0;
            continue;
        }
        if (pure((enum ir_opcode)o->op) && o->d < IR_TEMPS && !(live & (1u << o->d))) {
            o->dead = 1;
            continue;
        }
        if (o->d < IR_TEMPS && o->op != IR_LAZY && o->op != IR_LAZYNZ && o->op != IR_SELECT)
            live &= ~(1u << o->d);
        live |= uses(o);
    }
}

void opt_run(struct ir_block *b)
{
    opt_fold_constants(b);
    opt_dead_flags(b);
    opt_dead_temps(b);
}
