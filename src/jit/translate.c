/* SPDX-License-Identifier: MIT */
/*
 * Guest instructions to IR (see translate.h). Inline forms: MOV, MOVZX,
 * MOVSX, LEA, ALU and CMP/TEST, INC/DEC, PUSH/POP of registers and
 * immediates, Jcc/JMP/CALL near, RET near, SETcc, CMOVcc. Every other
 * instruction runs through the interpreter's handler (a HELPER op), which
 * also keeps the block going when the instruction cannot change the mode,
 * the segment registers, IF or the control flow (helper_continues).
 * An inline instruction first reads (LIN, LOAD: may bail) and only then
 * writes guest state, so that leaving to the interpreter at any bail point
 * finds the state exactly as at the start of the instruction.
 */
#include "jit/translate.h"

#include <string.h>

#include "common/bits.h"
#include "cpu/decode.h"
#include "cpu/mem.h"

/* ---- which helper-run instructions may keep the block going ---- */

static const char *const handler_names[OP_COUNT] = {
#define OP(id, mnem, map, opc, reg, rm, mod, imm, gen, flags, handler) [OP_##id] = #handler,
#include "cpu/opcodes.def"
#undef OP
};

/* Handlers that change neither the mode, the segment registers, IF/TF nor
 * EIP other than by falling through (a fault or a REP that stops early is
 * noticed at run time: the helper then leaves the block). */
static const char *const continuing[] = {
    "alu_Eb_Gb", "alu_Ev_Gv", "alu_Gb_Eb", "alu_Gv_Ev", "alu_AL_Ib", "alu_eAX_Iz", "alu_Eb_Ib",
    "alu_Ev_Ib", "alu_Ev_Iz", "test_Eb_Gb", "test_Ev_Gv", "test_AL_Ib", "test_eAX_Iz", "test_E_I",
    "not_E", "neg_E", "mul_E", "imul_E", "div_E", "idiv_E", "imul_Gv_Ev", "imul_Gv_Ev_Ib",
    "imul_Gv_Ev_Iz", "shift_Eb_1", "shift_Ev_1", "shift_Eb_CL", "shift_Ev_CL", "shift_Eb_Ib",
    "shift_Ev_Ib", "inc_Zv", "dec_Zv", "inc_E", "dec_E", "mov_Eb_Gb", "mov_Ev_Gv", "mov_Gb_Eb",
    "mov_Gv_Ev", "mov_Eb_Ib", "mov_Ev_Iz", "mov_Zb_Ib", "mov_Zv_Iz", "mov_AL_Ob", "mov_eAX_Ov",
    "mov_Ob_AL", "mov_Ov_eAX", "mov_Ew_Sw", "mov_Rd_Cd", "mov_Rd_Dd", "xchg_Eb_Gb", "xchg_Ev_Gv",
    "xchg_Zv_eAX", "push_Zv", "pop_Zv", "push_Ev", "pop_Ev", "push_Ib", "push_Iz", "push_Sw", "lea",
    "movzx_movsx", "bt_Ev_Gv", "bt_Ev_Ib", "bsf_bsr", "bswap", "shld_shrd", "cbw", "cwd", "lahf",
    "sahf", "clc", "stc", "cmc", "cld", "std", "salc", "setcc", "cmovcc", "cmpxchg", "cmpxchg8b",
    "xadd", "xlat", "nop", "daa", "das", "aaa", "aas", "aam", "aad", "movs", "stos", "lods", "cmps",
    "scas", "pusha", "popa", "enter", "leave", "bound", "cpuid", "rdtsc", "x87", "esc", "mmx",
    "wait", "pushf",
};

static bool helper_continues(int op)
{
    static int8_t table[OP_COUNT]; /* 0 unknown, 1 yes, -1 no */
    if (!table[op]) {
        table[op] = -1;
        for (size_t i = 0; i < sizeof(continuing) / sizeof(continuing[0]); i++)
            if (handler_names[op] && !strcmp(handler_names[op], continuing[i]))
                table[op] = 1;
    }
    return table[op] > 0;
}

/* ---- the key ---- */

uint32_t jit_mode_of(const struct cpu *c)
{
    bool pmode = cpu_pmode(c);
    uint32_t mode = (cpu_code_size(c) == 4 ? KEY_CODE32 : 0) |
                    (cpu_stack_size(c) == 4 ? KEY_STACK32 : 0) | (c->cpl == 3 ? KEY_USER : 0) |
                    (pmode ? KEY_PMODE : 0) | ((c->eflags & FL_VM) ? KEY_VM86 : 0);
    for (int s = 0; s < SEG_COUNT; s++) {
        const struct seg_cache *sc = &c->seg[s];
        bool rd = true, wr = true;
        if (pmode) {
            unsigned type = sc->attr & 0x1f; /* S bit and type */
            if (!(sc->attr & SEG_ATTR_P) || !(type & 0x10)) {
                rd = wr = false;
            } else if (type & 0x08) { /* code: readable or not, never writable */
                rd = type & 0x02;
                wr = false;
            } else if (type & 0x04) { /* expand-down: the interpreter's business */
                rd = wr = false;
            } else {
                wr = type & 0x02;
            }
        }
        if (rd)
            mode |= 1u << (KEY_READ_SHIFT + s);
        if (wr)
            mode |= 1u << (KEY_WRITE_SHIFT + s);
        if (rd && wr && sc->base == 0 && sc->limit == 0xffffffffu)
            mode |= 1u << (KEY_FLAT_SHIFT + s);
    }
    return mode;
}

struct jit_key jit_key_of(const struct cpu *c, uint32_t phys, uint32_t mode)
{
    return (struct jit_key){
        .phys = phys,
        .eip = c->eip,
        .cs_base = c->seg[SEG_CS].base,
        .cs_limit = c->seg[SEG_CS].limit,
        .mode = mode,
    };
}

/* ---- per-instruction translation state ---- */

struct tr {
    struct ir_block *ir;
    const struct jit_key *key;
    const struct insn *in;
    uint32_t eip, next_eip;
    unsigned used;  /* temporaries in use in this instruction (bit mask) */
    int failed;     /* this instruction cannot be inline */
    uint32_t known_flags; /* (lazy op << 8 | size) last recorded in this block, or 0 */
    bool ends;      /* the instruction ends the block */
    unsigned model_shift_mask;
};

static int temp(struct tr *t)
{
    for (int i = 0; i < IR_TEMPS; i++)
        if (!(t->used & (1u << i))) {
            t->used |= 1u << i;
            return i;
        }
    t->failed = 1;
    return 0;
}

/* 'x' is read by no later op of this instruction. */
static void release(struct tr *t, int x)
{
    if (x != IR_NONE)
        t->used &= ~(1u << x);
}

static int emit(struct tr *t, enum ir_opcode op, int size, int d, int a, int b, int aux,
                uint32_t imm, uint32_t imm2)
{
    return ir_emit(t->ir, op, size, d, a, b, aux, imm, imm2);
}

static int konst(struct tr *t, uint32_t v)
{
    int d = temp(t);
    emit(t, IR_CONST, 4, d, IR_NONE, IR_NONE, 0, v, 0);
    return d;
}

static int getr(struct tr *t, int reg, int size)
{
    int d = temp(t);
    emit(t, IR_GETR, size, d, IR_NONE, IR_NONE, reg, 0, 0);
    return d;
}

static void setr(struct tr *t, int reg, int size, int a)
{
    emit(t, IR_SETR, size, IR_NONE, a, IR_NONE, reg, 0, 0);
}

static bool seg_ok(const struct tr *t, int seg, bool write)
{
    return t->key->mode & (1u << ((write ? KEY_WRITE_SHIFT : KEY_READ_SHIFT) + seg));
}

/* Linear address of offset temp 'off' in segment 'seg' for a 'size'-byte access. */
static int linear(struct tr *t, int seg, int off, int size, bool write)
{
    if (!seg_ok(t, seg, write)) {
        t->failed = 1;
        return off;
    }
    if (t->key->mode & (1u << (KEY_FLAT_SHIFT + seg)))
        return off;
    int d = temp(t);
    emit(t, IR_LIN, 4, d, off, IR_NONE, seg, 0, (uint32_t)size);
    return d;
}

/* Offset of the ModRM memory operand. */
static int ea(struct tr *t)
{
    const struct insn *in = t->in;
    int base = IR_NONE, index = IR_NONE;
    if (in->base != INSN_NOREG)
        base = getr(t, in->base, in->addrsize);
    if (in->index != INSN_NOREG)
        index = getr(t, in->index, in->addrsize);
    release(t, base);
    release(t, index);
    int d = temp(t);
    emit(t, IR_ADDR, in->addrsize, d, base, index, in->scale, in->disp, 0);
    return d;
}

/* Linear address of the ModRM memory operand (its offset temp released). */
static int mem_lin(struct tr *t, int size, bool write)
{
    int off = ea(t);
    int lin = linear(t, t->in->seg, off, size, write);
    if (lin != off)
        release(t, off);
    return lin;
}

static int load(struct tr *t, int lin, int size)
{
    int d = temp(t);
    emit(t, IR_LOAD, size, d, lin, IR_NONE, 0, 0, 0);
    return d;
}

static void store(struct tr *t, int lin, int size, int val)
{
    emit(t, IR_STORE, size, IR_NONE, lin, val, 0, 0, 0);
}

/* The r/m operand: a register, or the linear address of memory in *lin. */
static int rm_read(struct tr *t, int size, int *lin, bool will_write)
{
    if (!t->in->is_mem) {
        *lin = IR_NONE;
        return getr(t, t->in->rm, size);
    }
    *lin = mem_lin(t, size, will_write);
    if (will_write && !t->failed && !seg_ok(t, t->in->seg, false))
        t->failed = 1;
    return load(t, *lin, size);
}

static void rm_write(struct tr *t, int size, int lin, int val)
{
    if (lin == IR_NONE)
        setr(t, t->in->rm, size, val);
    else
        store(t, lin, size, val);
}

static void lazy(struct tr *t, enum lf_op op, int size, int dst, int src, int res);

/* TEST: flags of v & s, nothing written. */
static void test(struct tr *t, int size, int v, int s)
{
    int r = temp(t);
    emit(t, IR_AND, size, r, v, s, 0, 0, 0);
    lazy(t, LF_LOGIC, size, v, s, r);
}

/* r/m = val, without reading r/m first (MOV, SETcc). */
static void rm_store(struct tr *t, int size, int val)
{
    if (t->in->is_mem)
        store(t, mem_lin(t, size, true), size, val);
    else
        setr(t, t->in->rm, size, val);
}

static int stack_size(const struct tr *t)
{
    return (t->key->mode & KEY_STACK32) ? 4 : 2;
}

/* ---- instruction groups ---- */

static void lazy(struct tr *t, enum lf_op op, int size, int dst, int src, int res)
{
    emit(t, IR_LAZY, size, res, dst, src, op, 0, 0);
    t->known_flags = (uint32_t)op << 8 | (uint32_t)size;
}

static void cond(struct tr *t, int cc, int *d);

/* kind: the ALU row (0 ADD, 1 OR, 2 ADC, 3 SBB, 4 AND, 5 SUB, 6 XOR, 7 CMP).
 * ADC and SBB add the carry read from the flags before them. Operands are
 * zero-extended, so results need masking only where the size matters. */
static void alu(struct tr *t, int kind, int size, int dst, int src, int *res)
{
    static const enum ir_opcode ops[8] = {IR_ADD, IR_OR, IR_ADD, IR_SUB,
                                          IR_AND, IR_SUB, IR_XOR, IR_SUB};
    int cf = IR_NONE;
    if (kind == 2 || kind == 3)
        cond(t, 2 /* B: CF */, &cf);
    int d = temp(t);
    emit(t, ops[kind], size, d, dst, src, 0, 0, 0);
    if (cf != IR_NONE) {
        emit(t, ops[kind], size, d, d, cf, 0, 0, 0);
        release(t, cf);
    }
    *res = d;
}

static void alu_flags(struct tr *t, int kind, int size, int dst, int src, int res)
{
    static const enum lf_op lf[8] = {LF_ADD, LF_LOGIC, LF_ADC, LF_SBB,
                                     LF_LOGIC, LF_SUB, LF_LOGIC, LF_SUB};
    lazy(t, lf[kind], size, dst, src, res);
}

/* INC or DEC of r/m (reg >= 0: that register instead): CF is kept. */
static void incdec(struct tr *t, bool dec, int size, int reg)
{
    int lin = IR_NONE, v, cf, r;
    v = reg >= 0 ? getr(t, reg, size) : rm_read(t, size, &lin, true);
    cond(t, 2 /* B: CF */, &cf);
    int one = konst(t, 1);
    r = temp(t);
    emit(t, dec ? IR_SUB : IR_ADD, size, r, v, one, 0, 0, 0);
    if (size < 4)
        emit(t, IR_MASK, size, r, r, IR_NONE, 0, 0, 0);
    if (reg >= 0)
        setr(t, reg, size, r);
    else
        rm_write(t, size, lin, r);
    emit(t, IR_SETCF, 4, IR_NONE, cf, IR_NONE, 0, 0, 0);
    lazy(t, dec ? LF_DEC : LF_INC, size, v, one, r);
}

/* op r/m, src (kind from the ALU row). */
static void alu_rm(struct tr *t, int kind, int size, int src_temp)
{
    int lin, dst = rm_read(t, size, &lin, kind != 7);
    int res = 0;
    alu(t, kind, size, dst, src_temp, &res);
    if (t->failed)
        return;
    if (kind != 7)
        rm_write(t, size, lin, res);
    alu_flags(t, kind, size, dst, src_temp, res);
}

static void alu_reg(struct tr *t, int kind, int size, int reg, int src_temp)
{
    int dst = getr(t, reg, size), res = 0;
    alu(t, kind, size, dst, src_temp, &res);
    if (t->failed)
        return;
    if (kind != 7)
        setr(t, reg, size, res);
    alu_flags(t, kind, size, dst, src_temp, res);
}

/* SHL/SAL, SHR, SAR of r/m by 'count' (a constant, or CL when count < 0). */
static void shift(struct tr *t, int size, int count)
{
    static const enum ir_opcode ops[4] = {IR_SHL, IR_SHR, IR_SHL, IR_SAR};
    static const enum lf_op lf[4] = {LF_SHL, LF_SHR, LF_SHL, LF_SAR};
    int kind = t->in->reg;
    if (t->model_shift_mask != 31) {
        t->failed = 1; /* the 8086 shifts by the whole CL, and runs /6 as SETMO */
        return;
    }
    if (kind < 4 || count == 0 || (count < 0 && t->in->is_mem)) {
        /* Rotates, no-op shifts, and CL shifts of memory (a zero count
         * writes nothing, not even the dirty bit) are the helper's. */
        t->failed = 1;
        return;
    }
    int lin, v = rm_read(t, size, &lin, true);
    int n;
    if (count > 0) {
        n = konst(t, (uint32_t)count);
    } else {
        int cl = getr(t, R_ECX, 1);
        int k = konst(t, 31);
        release(t, cl);
        release(t, k);
        n = temp(t);
        emit(t, IR_AND, 4, n, cl, k, 0, 0, 0);
    }
    int r = temp(t);
    emit(t, ops[kind - 4], size, r, v, n, 0, 0, 0);
    rm_write(t, size, lin, r);
    emit(t, count > 0 ? IR_LAZY : IR_LAZYNZ, size, r, v, n, lf[kind - 4], 0, 0);
    t->known_flags = count > 0 ? (uint32_t)lf[kind - 4] << 8 | (uint32_t)size : 0;
}

/* IMUL reg, r/m, src (src: a temp). */
static void imul(struct tr *t, int size, int v, int src)
{
    int r = temp(t);
    emit(t, IR_IMUL, size, r, v, src, 0, 0, 0);
    setr(t, t->in->reg, size, r);
    t->known_flags = (uint32_t)LF_MUL << 8 | (uint32_t)size;
}

static void push(struct tr *t, int size, int val)
{
    int ss = stack_size(t);
    int sp = getr(t, R_ESP, ss);
    int k = konst(t, (uint32_t)size);
    int nsp = temp(t);
    emit(t, IR_SUB, 4, nsp, sp, k, 0, 0, 0);
    if (ss < 4)
        emit(t, IR_MASK, ss, nsp, nsp, IR_NONE, 0, 0, 0);
    int lin = linear(t, SEG_SS, nsp, size, true);
    store(t, lin, size, val);
    setr(t, R_ESP, ss, nsp);
}

/* Pop into a temp; ESP is written by the caller's pop_commit after any
 * other check that may bail. */
static int pop_load(struct tr *t, int size, int *nsp)
{
    int ss = stack_size(t);
    int sp = getr(t, R_ESP, ss);
    int lin = linear(t, SEG_SS, sp, size, false);
    int v = load(t, lin, size);
    int k = konst(t, (uint32_t)size);
    *nsp = temp(t);
    emit(t, IR_ADD, 4, *nsp, sp, k, 0, 0, 0);
    if (ss < 4)
        emit(t, IR_MASK, ss, *nsp, *nsp, IR_NONE, 0, 0, 0);
    return v;
}

static uint32_t jump_target(const struct tr *t)
{
    uint32_t target = t->next_eip + t->in->imm;
    return t->in->opsize == 2 ? target & 0xffff : target;
}

/* A static target beyond the CS limit faults: the helper delivers it. */
static bool target_ok(const struct tr *t, uint32_t target)
{
    return target <= t->key->cs_limit;
}

static void cond(struct tr *t, int cc, int *d)
{
    *d = temp(t);
    emit(t, IR_COND, 4, *d, IR_NONE, IR_NONE, cc, t->known_flags, 0);
}

/* Translate one instruction inline; t->failed when it cannot be. */
static void inline_insn(struct tr *t)
{
    const struct insn *in = t->in;
    int size = in->opsize, lin, v, r, nsp;
    if (!strcmp(handler_names[in->op], "nop") && !in->lock)
        return; /* NOP, PAUSE (REP NOP) and the hint NOPs touch nothing */
    if (in->lock || in->rep)
        goto no;
    switch (in->op) {
    /* ---- moves ---- */
    case OP_MOV_Eb_Gb:
    case OP_MOV_Ev_Gv:
        size = in->op == OP_MOV_Eb_Gb ? 1 : size;
        rm_store(t, size, getr(t, in->reg, size));
        return;
    case OP_MOV_Gb_Eb:
    case OP_MOV_Gv_Ev:
        size = in->op == OP_MOV_Gb_Eb ? 1 : size;
        v = rm_read(t, size, &lin, false);
        setr(t, in->reg, size, v);
        return;
    case OP_MOV_Eb_Ib:
    case OP_MOV_Ev_Iz:
        size = in->op == OP_MOV_Eb_Ib ? 1 : size;
        rm_store(t, size, konst(t, in->imm & size_mask(size)));
        return;
    case OP_MOV_AL_Ob:
    case OP_MOV_eAX_Ov:
        size = in->op == OP_MOV_AL_Ob ? 1 : size;
        lin = linear(t, in->seg, konst(t, in->imm), size, false);
        setr(t, R_EAX, size, load(t, lin, size));
        return;
    case OP_MOV_Ob_AL:
    case OP_MOV_Ov_eAX:
        size = in->op == OP_MOV_Ob_AL ? 1 : size;
        v = getr(t, R_EAX, size);
        lin = linear(t, in->seg, konst(t, in->imm), size, true);
        store(t, lin, size, v);
        return;
    case OP_MOV_Zb_Ib_0: case OP_MOV_Zb_Ib_1: case OP_MOV_Zb_Ib_2: case OP_MOV_Zb_Ib_3:
    case OP_MOV_Zb_Ib_4: case OP_MOV_Zb_Ib_5: case OP_MOV_Zb_Ib_6: case OP_MOV_Zb_Ib_7:
        setr(t, in->opcode & 7, 1, konst(t, in->imm & 0xff));
        return;
    case OP_MOV_Zv_Iz_0: case OP_MOV_Zv_Iz_1: case OP_MOV_Zv_Iz_2: case OP_MOV_Zv_Iz_3:
    case OP_MOV_Zv_Iz_4: case OP_MOV_Zv_Iz_5: case OP_MOV_Zv_Iz_6: case OP_MOV_Zv_Iz_7:
        setr(t, in->opcode & 7, size, konst(t, in->imm & size_mask(size)));
        return;
    case OP_MOVZX_Gv_Eb: case OP_MOVZX_Gv_Ew: case OP_MOVSX_Gv_Eb: case OP_MOVSX_Gv_Ew: {
        int ssize = (in->opcode & 1) ? 2 : 1;
        v = rm_read(t, ssize, &lin, false);
        if (in->opcode >= 0xbe) {
            r = temp(t);
            emit(t, IR_SEXT, size, r, v, IR_NONE, ssize, 0, 0);
            v = r;
        } else if (size < ssize) {
            goto no;
        }
        setr(t, in->reg, size, v);
        return;
    }
    case OP_LEA_Gv_M:
        v = ea(t);
        if (size == 2 && in->addrsize == 4) {
            r = temp(t);
            emit(t, IR_MASK, 2, r, v, IR_NONE, 0, 0, 0);
            v = r;
        }
        setr(t, in->reg, size, v);
        return;
    /* ---- ALU ---- */
#define ALU_CASES(ID, K)                                                                           \
    case OP_##ID##_Eb_Gb: alu_rm(t, K, 1, getr(t, in->reg, 1)); return;                            \
    case OP_##ID##_Ev_Gv: alu_rm(t, K, size, getr(t, in->reg, size)); return;                      \
    case OP_##ID##_Gb_Eb:                                                                          \
        if (in->is_mem) {                                                                          \
            v = rm_read(t, 1, &lin, false);                                                        \
            alu_reg(t, K, 1, in->reg, v);                                                          \
        } else {                                                                                   \
            alu_reg(t, K, 1, in->reg, getr(t, in->rm, 1));                                         \
        }                                                                                          \
        return;                                                                                    \
    case OP_##ID##_Gv_Ev:                                                                          \
        v = rm_read(t, size, &lin, false);                                                         \
        alu_reg(t, K, size, in->reg, v);                                                           \
        return;                                                                                    \
    case OP_##ID##_AL_Ib: alu_reg(t, K, 1, R_EAX, konst(t, in->imm & 0xff)); return;               \
    case OP_##ID##_eAX_Iz: alu_reg(t, K, size, R_EAX, konst(t, in->imm & size_mask(size))); return; \
    case OP_##ID##_Eb_Ib: case OP_##ID##_Eb_Ib82:                                                  \
        alu_rm(t, K, 1, konst(t, in->imm & 0xff)); return;                                         \
    case OP_##ID##_Ev_Iz: alu_rm(t, K, size, konst(t, in->imm & size_mask(size))); return;         \
    case OP_##ID##_Ev_Ib: alu_rm(t, K, size, konst(t, sext(in->imm, 1) & size_mask(size))); return;
    ALU_CASES(ADD, 0)
    ALU_CASES(OR, 1)
    ALU_CASES(ADC, 2)
    ALU_CASES(SBB, 3)
    ALU_CASES(AND, 4)
    ALU_CASES(SUB, 5)
    ALU_CASES(XOR, 6)
    ALU_CASES(CMP, 7)
#undef ALU_CASES
    case OP_TEST_Eb_Gb:
    case OP_TEST_Ev_Gv:
        size = in->op == OP_TEST_Eb_Gb ? 1 : size;
        v = rm_read(t, size, &lin, false);
        test(t, size, v, getr(t, in->reg, size));
        return;
    case OP_TEST_AL_Ib:
    case OP_TEST_eAX_Iz:
        size = in->op == OP_TEST_AL_Ib ? 1 : size;
        v = getr(t, R_EAX, size);
        test(t, size, v, konst(t, in->imm & size_mask(size)));
        return;
    case OP_INC_Zv_0: case OP_INC_Zv_1: case OP_INC_Zv_2: case OP_INC_Zv_3:
    case OP_INC_Zv_4: case OP_INC_Zv_5: case OP_INC_Zv_6: case OP_INC_Zv_7:
    case OP_DEC_Zv_0: case OP_DEC_Zv_1: case OP_DEC_Zv_2: case OP_DEC_Zv_3:
    case OP_DEC_Zv_4: case OP_DEC_Zv_5: case OP_DEC_Zv_6: case OP_DEC_Zv_7:
        incdec(t, in->opcode >= 0x48, size, in->opcode & 7);
        return;
    case OP_INC_Eb: incdec(t, false, 1, -1); return;
    case OP_DEC_Eb: incdec(t, true, 1, -1); return;
    case OP_INC_Ev: incdec(t, false, size, -1); return;
    case OP_DEC_Ev: incdec(t, true, size, -1); return;
    /* ---- shifts and multiplies ---- */
    case OP_SHL_Eb_1: case OP_SHR_Eb_1: case OP_SAL_Eb_1: case OP_SAR_Eb_1:
        shift(t, 1, 1);
        return;
    case OP_SHL_Ev_1: case OP_SHR_Ev_1: case OP_SAL_Ev_1: case OP_SAR_Ev_1:
        shift(t, size, 1);
        return;
    case OP_SHL_Eb_Ib: case OP_SHR_Eb_Ib: case OP_SAL_Eb_Ib: case OP_SAR_Eb_Ib:
        shift(t, 1, (int)(in->imm & 31));
        return;
    case OP_SHL_Ev_Ib: case OP_SHR_Ev_Ib: case OP_SAL_Ev_Ib: case OP_SAR_Ev_Ib:
        shift(t, size, (int)(in->imm & 31));
        return;
    case OP_SHL_Eb_CL: case OP_SHR_Eb_CL: case OP_SAL_Eb_CL: case OP_SAR_Eb_CL:
        shift(t, 1, -1);
        return;
    case OP_SHL_Ev_CL: case OP_SHR_Ev_CL: case OP_SAL_Ev_CL: case OP_SAR_Ev_CL:
        shift(t, size, -1);
        return;
    case OP_TEST_Ib_Eb: case OP_TEST_Ib1_Eb: case OP_TEST_Ib_Ev: case OP_TEST_Ib1_Ev:
        size = (in->op == OP_TEST_Ib_Eb || in->op == OP_TEST_Ib1_Eb) ? 1 : size;
        v = rm_read(t, size, &lin, false);
        test(t, size, v, konst(t, in->imm & size_mask(size)));
        return;
    case OP_NOT_Eb: case OP_NOT_Ev: {
        size = in->op == OP_NOT_Eb ? 1 : size;
        v = rm_read(t, size, &lin, true);
        int m = konst(t, size_mask(size));
        r = temp(t);
        emit(t, IR_XOR, size, r, v, m, 0, 0, 0);
        rm_write(t, size, lin, r);
        return;
    }
    case OP_NEG_Eb: case OP_NEG_Ev: {
        size = in->op == OP_NEG_Eb ? 1 : size;
        v = rm_read(t, size, &lin, true);
        int z = konst(t, 0);
        r = temp(t);
        emit(t, IR_SUB, size, r, z, v, 0, 0, 0); /* unmasked, as the interpreter records it */
        rm_write(t, size, lin, r);
        lazy(t, LF_SUB, size, z, v, r);
        return;
    }
    case OP_MUL_Ev:
        if (size != 4)
            goto no;
        v = rm_read(t, 4, &lin, false);
        emit(t, IR_MULU, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        t->known_flags = (uint32_t)LF_MUL << 8 | 4u;
        return;
    case OP_IMUL_Gv_Ev:
        v = rm_read(t, size, &lin, false);
        imul(t, size, v, getr(t, in->reg, size));
        return;
    case OP_IMUL_Gv_Ev_Ib:
        v = rm_read(t, size, &lin, false);
        imul(t, size, v, konst(t, sext(in->imm, 1) & size_mask(size)));
        return;
    case OP_IMUL_Gv_Ev_Iz:
        v = rm_read(t, size, &lin, false);
        imul(t, size, v, konst(t, in->imm & size_mask(size)));
        return;
    /* ---- stack ---- */
    case OP_PUSH_Zv_0: case OP_PUSH_Zv_1: case OP_PUSH_Zv_2: case OP_PUSH_Zv_3:
    case OP_PUSH_Zv_4: case OP_PUSH_Zv_5: case OP_PUSH_Zv_6: case OP_PUSH_Zv_7:
        if ((in->opcode & 7) == R_ESP)
            goto no; /* the value pushed depends on the model */
        push(t, size, getr(t, in->opcode & 7, size));
        return;
    case OP_PUSH_Iz:
        push(t, size, konst(t, in->imm & size_mask(size)));
        return;
    case OP_PUSH_Ib:
        push(t, size, konst(t, sext(in->imm, 1) & size_mask(size)));
        return;
    case OP_POP_Zv_0: case OP_POP_Zv_1: case OP_POP_Zv_2: case OP_POP_Zv_3:
    case OP_POP_Zv_4: case OP_POP_Zv_5: case OP_POP_Zv_6: case OP_POP_Zv_7:
        if ((in->opcode & 7) == R_ESP)
            goto no;
        v = pop_load(t, size, &nsp);
        setr(t, R_ESP, stack_size(t), nsp);
        setr(t, in->opcode & 7, size, v);
        return;
    /* ---- control ---- */
    case OP_JMP_Jz:
    case OP_JMP_Jb: {
        uint32_t target = jump_target(t);
        if (!target_ok(t, target))
            goto no;
        emit(t, IR_EXIT, 4, IR_NONE, IR_NONE, IR_NONE, 0, target, 0);
        t->ends = true;
        return;
    }
    case OP_CALL_Jz: {
        uint32_t target = jump_target(t);
        if (!target_ok(t, target))
            goto no;
        push(t, size, konst(t, t->next_eip));
        emit(t, IR_EXIT, 4, IR_NONE, IR_NONE, IR_NONE, 0, target, 0);
        t->ends = true;
        return;
    }
    case OP_RET:
        v = pop_load(t, size, &nsp);
        emit(t, IR_CHKCS, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        setr(t, R_ESP, stack_size(t), nsp);
        emit(t, IR_EXITI, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        t->ends = true;
        return;
    case OP_JMP_Ev:
        v = rm_read(t, size, &lin, false);
        emit(t, IR_CHKCS, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        emit(t, IR_EXITI, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        t->ends = true;
        return;
    default: break;
    }
    if (!strcmp(handler_names[in->op], "jcc"))
        goto jcc;
    if (in->map == 1 && in->opcode >= 0x90 && in->opcode <= 0x9f) { /* SETcc */
        cond(t, in->opcode & 0xf, &v);
        rm_store(t, 1, v);
        return;
    }
    if (in->map == 1 && in->opcode >= 0x40 && in->opcode <= 0x4f) { /* CMOVcc */
        v = rm_read(t, size, &lin, false);
        int old = getr(t, in->reg, size);
        cond(t, in->opcode & 0xf, &r);
        emit(t, IR_SELECT, size, old, r, v, 0, 0, 0);
        /* A 32-bit CMOV writes its destination even when the condition fails. */
        setr(t, in->reg, size, old);
        return;
    }
no:
    t->failed = 1;
    return;
jcc: {
    uint32_t target = jump_target(t);
    if (!target_ok(t, target))
        goto no;
    cond(t, in->opcode & 0xf, &v);
    emit(t, IR_EXITC, 4, IR_NONE, v, IR_NONE, 0, target, t->next_eip);
    t->ends = true;
}
}

int translate_block(const struct cpu *c, struct jit_block *blk, const uint8_t *code,
                    unsigned avail, int max_insns, struct ir_block *ir)
{
    struct tr t = {.ir = ir, .key = &blk->key, .model_shift_mask = c->model->shift_count_mask};
    int code_size = (blk->key.mode & KEY_CODE32) ? 4 : 2;
    uint32_t eip = blk->key.eip;
    unsigned off = 0;
    int n = 0;
    ir->n = 0;
    ir->overflow = 0;
    if (max_insns > JIT_MAX_INSNS)
        max_insns = JIT_MAX_INSNS;
    while (n < max_insns && off < avail) {
        struct insn *in = &blk->insn[n];
        /* Only whole instructions inside the window: a fetch past it (page
         * end, CS limit) is the interpreter's. */
        unsigned win = avail - off;
        if (eip > blk->key.cs_limit)
            break;
        if ((uint64_t)(blk->key.cs_limit - eip) + 1 < win)
            win = blk->key.cs_limit - eip + 1;
        enum decode_status ds = decode_buffer(c->model->gen, code_size, code + off, win, in);
        if (ds != DEC_OK || in->len > win)
            break;
        t.in = in;
        t.eip = eip;
        t.next_eip = eip + in->len;
        if (code_size == 2)
            t.next_eip &= 0xffff;
        t.used = 0;
        t.failed = 0;
        t.ends = false;
        int start = ir->n;
        uint32_t known_before = t.known_flags;
        emit(&t, IR_INSN, 0, IR_NONE, IR_NONE, IR_NONE, 0, eip, (uint32_t)n);
        inline_insn(&t);
        if (t.failed) {
            ir->n = start;
            t.known_flags = known_before;
            emit(&t, IR_INSN, 0, IR_NONE, IR_NONE, IR_NONE, 1, eip, (uint32_t)n);
            t.ends = !helper_continues(in->op);
            emit(&t, IR_HELPER, 0, IR_NONE, IR_NONE, IR_NONE, t.ends, t.next_eip, (uint32_t)n);
            t.known_flags = 0;
        }
        if (ir->overflow) {
            ir->n = start;
            ir->overflow = 0;
            break;
        }
        n++;
        off += in->len;
        eip = t.next_eip;
        if (t.ends)
            break;
        if (code_size == 2 && eip < blk->key.eip)
            break; /* wrapped around the 64 KiB segment */
    }
    if (n == 0)
        return 0;
    const struct ir_op *last = &ir->op[ir->n - 1];
    bool helper_end = last->op == IR_HELPER;
    if (last->op != IR_EXIT && last->op != IR_EXITC && last->op != IR_EXITI)
        emit(&t, helper_end ? IR_EXITI : IR_EXIT, 4, IR_NONE, IR_NONE, IR_NONE, 0, eip, 0);
    blk->ninsn = (uint16_t)n;
    blk->nbytes = (uint16_t)off;
    return n;
}
