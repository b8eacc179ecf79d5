/* SPDX-License-Identifier: MIT */
/*
 * IR builder and printer (see ir.h).
 */
#include "jit/ir.h"

static const char *const names[IR_OPCODE_COUNT] = {
#define IR_OP(name, contract) [IR_##name] = #name,
#include "jit/ir_ops.def"
#undef IR_OP
};

static const char *const contracts[IR_OPCODE_COUNT] = {
#define IR_OP(name, contract) [IR_##name] = contract,
#include "jit/ir_ops.def"
#undef IR_OP
};

int ir_emit(struct ir_block *b, enum ir_opcode op, int size, int d, int a, int bb, int aux,
            uint32_t imm, uint32_t imm2)
{
    if (b->n >= IR_MAX_OPS) {
        b->overflow = 1;
        return IR_MAX_OPS - 1;
    }
    b->op[b->n] = (struct ir_op){
        .op = (uint8_t)op,
        .size = (uint8_t)size,
        .d = (uint8_t)d,
        .a = (uint8_t)a,
        .b = (uint8_t)bb,
        .aux = (uint8_t)aux,
        .imm = imm,
        .imm2 = imm2,
    };
    return b->n++;
}

const char *ir_name(enum ir_opcode op)
{
    return op < IR_OPCODE_COUNT ? names[op] : "?";
}

const char *ir_contract(enum ir_opcode op)
{
    return op < IR_OPCODE_COUNT ? contracts[op] : "?";
}

static void print_temp(FILE *f, const char *sep, int t)
{
    if (t != IR_NONE)
        fprintf(f, "%st%d", sep, t);
}

void ir_print(const struct ir_block *b, FILE *f)
{
    for (int i = 0; i < b->n; i++) {
        const struct ir_op *o = &b->op[i];
        if (o->dead)
            continue;
        if (o->op == IR_INSN) {
            fprintf(f, "  ---- %08x%s\n", o->imm, o->aux ? " (helper)" : "");
            continue;
        }
        fprintf(f, "  %-7s", ir_name(o->op));
        if (o->size)
            fprintf(f, ".%d", o->size);
        print_temp(f, " ", o->d);
        print_temp(f, o->d != IR_NONE ? ", " : " ", o->a);
        print_temp(f, ", ", o->b);
        fprintf(f, "  aux=%u imm=%#x imm2=%#x\n", o->aux, o->imm, o->imm2);
    }
}
