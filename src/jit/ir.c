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

static const char *const reg_names[3][8] = {
    {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"},
    {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"},
    {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"},
};
static const char *const seg_names[8] = {"es", "cs", "ss", "ds", "fs", "gs", "?", "?"};
static const char *const cc_names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g"};
static const char *const lf_names[] = {"none", "add", "adc", "sub", "sbb", "logic", "inc",
                                       "dec",  "shl", "shr", "sar", "mul"};

static const char *reg_name(int size, int reg)
{
    return reg_names[size == 1 ? 0 : size == 2 ? 1 : 2][reg & 7];
}

static const char *lf_name(unsigned op)
{
    return op < sizeof(lf_names) / sizeof(lf_names[0]) ? lf_names[op] : "?";
}

/* One op in the form "t2 = ADD.4 t1, t0". */
static void print_op(const struct ir_op *o, FILE *f)
{
    const char *n = ir_name((enum ir_opcode)o->op);
    switch ((enum ir_opcode)o->op) {
    case IR_CONST: fprintf(f, "t%d = CONST 0x%x", o->d, o->imm); break;
    case IR_GETR: fprintf(f, "t%d = GETR %s", o->d, reg_name(o->size, o->aux)); break;
    case IR_SETR: fprintf(f, "SETR %s, t%d", reg_name(o->size, o->aux), o->a); break;
    case IR_MASK: fprintf(f, "t%d = MASK.%d t%d", o->d, o->size, o->a); break;
    case IR_SEXT: fprintf(f, "t%d = SEXT.%d t%d from %d", o->d, o->size, o->a, o->aux); break;
    case IR_ADDR:
        fprintf(f, "t%d = ADDR.%d ", o->d, o->size);
        if (o->a != IR_NONE)
            fprintf(f, "t%d + ", o->a);
        if (o->b != IR_NONE)
            fprintf(f, "t%d*%d + ", o->b, 1 << o->aux);
        fprintf(f, "0x%x", o->imm);
        break;
    case IR_LIN: fprintf(f, "t%d = LIN %s:t%d (%u bytes)", o->d, seg_names[o->aux & 7], o->a, o->imm2); break;
    case IR_LOAD: fprintf(f, "t%d = LOAD.%d [t%d]", o->d, o->size, o->a); break;
    case IR_STORE: fprintf(f, "STORE.%d [t%d], t%d", o->size, o->a, o->b); break;
    case IR_LAZY:
    case IR_LAZYNZ:
        fprintf(f, "%s.%d %s dst=t%d src=t%d res=t%d", n, o->size, lf_name(o->aux), o->a, o->b, o->d);
        break;
    case IR_COND:
        fprintf(f, "t%d = COND %s", o->d, cc_names[o->aux & 15]);
        if (o->imm)
            fprintf(f, " (after %s.%u)", lf_name(o->imm >> 8), o->imm & 0xff);
        break;
    case IR_SELECT: fprintf(f, "t%d = SELECT t%d ? t%d : t%d", o->d, o->a, o->b, o->d); break;
    case IR_SETCF: fprintf(f, "SETCF t%d", o->a); break;
    case IR_MULU: fprintf(f, "MULU edx:eax = eax * t%d", o->a); break;
    case IR_DIVU: fprintf(f, "DIVU eax, edx = edx:eax / t%d", o->a); break;
    case IR_DIVS: fprintf(f, "DIVS eax, edx = edx:eax / t%d", o->a); break;
    case IR_CHKCS: fprintf(f, "CHKCS t%d", o->a); break;
    case IR_HELPER: fprintf(f, "HELPER insn %u (then EIP 0x%x)", o->imm2, o->imm); break;
    case IR_EXIT: fprintf(f, "EXIT 0x%x", o->imm); break;
    case IR_EXITC: fprintf(f, "EXITC t%d ? 0x%x : 0x%x", o->a, o->imm, o->imm2); break;
    case IR_EXITI:
        if (o->a != IR_NONE)
            fprintf(f, "EXITI t%d", o->a);
        else
            fprintf(f, "EXITI (EIP from the helper)");
        break;
    default:
        /* Two-operand arithmetic: ADD SUB AND OR XOR SHL SHR SAR IMUL. */
        fprintf(f, "t%d = %s.%d t%d, t%d", o->d, n, o->size, o->a, o->b);
        break;
    }
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
        fputs("    ", f);
        print_op(o, f);
        fputc('\n', f);
    }
}
