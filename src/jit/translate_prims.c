/* SPDX-License-Identifier: MIT */
/*
 * The translator's IR building blocks (see translate_internal.h):
 * temporaries, guest registers, effective and linear addresses, loads and
 * stores, lazy flags and conditions, pushes and pops. Each emits IR for the
 * instruction being translated and sets t->failed when the form cannot be
 * inline; none decides which instructions are inline (translate_insn.c).
 */
#include "jit/translate_internal.h"

#include "common/bits.h"

int tr_temp(struct tr *t)
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
void tr_release(struct tr *t, int x)
{
    if (x != IR_NONE)
        t->used &= ~(1u << x);
}

int tr_emit(struct tr *t, enum ir_opcode op, int size, int d, int a, int b, int aux,
                uint32_t imm, uint32_t imm2)
{
    return ir_emit(t->ir, op, size, d, a, b, aux, imm, imm2);
}

int tr_konst(struct tr *t, uint32_t v)
{
    int d = tr_temp(t);
    tr_emit(t, IR_CONST, 4, d, IR_NONE, IR_NONE, 0, v, 0);
    return d;
}

int tr_getr(struct tr *t, int reg, int size)
{
    int d = tr_temp(t);
    tr_emit(t, IR_GETR, size, d, IR_NONE, IR_NONE, reg, 0, 0);
    return d;
}

void tr_setr(struct tr *t, int reg, int size, int a)
{
    tr_emit(t, IR_SETR, size, IR_NONE, a, IR_NONE, reg, 0, 0);
}

bool tr_seg_ok(const struct tr *t, int seg, bool write)
{
    return t->key->mode & (1u << ((write ? KEY_WRITE_SHIFT : KEY_READ_SHIFT) + seg));
}

/* Linear address of offset temp 'off' in segment 'seg' for a 'size'-byte access. */
int tr_linear(struct tr *t, int seg, int off, int size, bool write)
{
    if (!tr_seg_ok(t, seg, write)) {
        t->failed = 1;
        return off;
    }
    if (t->key->mode & (1u << (KEY_FLAT_SHIFT + seg)))
        return off;
    int d = tr_temp(t);
    tr_emit(t, IR_LIN, 4, d, off, IR_NONE, seg, 0, (uint32_t)size);
    return d;
}

/* Offset of the ModRM memory operand. */
int tr_ea(struct tr *t)
{
    const struct insn *in = t->in;
    int base = IR_NONE, index = IR_NONE;
    if (in->base != INSN_NOREG)
        base = tr_getr(t, in->base, in->addrsize);
    if (in->index != INSN_NOREG)
        index = tr_getr(t, in->index, in->addrsize);
    tr_release(t, base);
    tr_release(t, index);
    int d = tr_temp(t);
    tr_emit(t, IR_ADDR, in->addrsize, d, base, index, in->scale, in->disp, 0);
    return d;
}

/* Linear address of the ModRM memory operand (its offset temp released). */
int tr_mem_lin(struct tr *t, int size, bool write)
{
    int off = tr_ea(t);
    int lin = tr_linear(t, t->in->seg, off, size, write);
    if (lin != off)
        tr_release(t, off);
    return lin;
}

int tr_load(struct tr *t, int lin, int size)
{
    int d = tr_temp(t);
    tr_emit(t, IR_LOAD, size, d, lin, IR_NONE, 0, 0, 0);
    return d;
}

void tr_store(struct tr *t, int lin, int size, int val)
{
    tr_emit(t, IR_STORE, size, IR_NONE, lin, val, 0, 0, 0);
}

/* The r/m operand: a register, or the linear address of memory in *lin. */
int tr_rm_read(struct tr *t, int size, int *lin, bool will_write)
{
    if (!t->in->is_mem) {
        *lin = IR_NONE;
        return tr_getr(t, t->in->rm, size);
    }
    *lin = tr_mem_lin(t, size, will_write);
    if (will_write && !t->failed && !tr_seg_ok(t, t->in->seg, false))
        t->failed = 1;
    return tr_load(t, *lin, size);
}

void tr_rm_write(struct tr *t, int size, int lin, int val)
{
    if (lin == IR_NONE)
        tr_setr(t, t->in->rm, size, val);
    else
        tr_store(t, lin, size, val);
}

/* TEST: flags of v & s, nothing written. */
void tr_test(struct tr *t, int size, int v, int s)
{
    int r = tr_temp(t);
    tr_emit(t, IR_AND, size, r, v, s, 0, 0, 0);
    tr_lazy(t, LF_LOGIC, size, v, s, r);
}

/* r/m = val, without reading r/m first (MOV, SETcc). */
void tr_rm_store(struct tr *t, int size, int val)
{
    if (t->in->is_mem)
        tr_store(t, tr_mem_lin(t, size, true), size, val);
    else
        tr_setr(t, t->in->rm, size, val);
}

int tr_stack_size(const struct tr *t)
{
    return (t->key->mode & KEY_STACK32) ? 4 : 2;
}

/* ---- instruction groups ---- */

void tr_lazy(struct tr *t, enum lf_op op, int size, int dst, int src, int res)
{
    tr_emit(t, IR_LAZY, size, res, dst, src, op, 0, 0);
    t->known_flags = (uint32_t)op << 8 | (uint32_t)size;
}

/* kind: the ALU row (0 ADD, 1 OR, 2 ADC, 3 SBB, 4 AND, 5 SUB, 6 XOR, 7 CMP).
 * ADC and SBB add the carry read from the flags before them. Operands are
 * zero-extended, so results need masking only where the size matters. */
void tr_alu(struct tr *t, int kind, int size, int dst, int src, int *res)
{
    static const enum ir_opcode ops[8] = {IR_ADD, IR_OR, IR_ADD, IR_SUB,
                                          IR_AND, IR_SUB, IR_XOR, IR_SUB};
    int cf = IR_NONE;
    if (kind == 2 || kind == 3)
        tr_cond(t, 2 /* B: CF */, &cf);
    int d = tr_temp(t);
    tr_emit(t, ops[kind], size, d, dst, src, 0, 0, 0);
    if (cf != IR_NONE) {
        tr_emit(t, ops[kind], size, d, d, cf, 0, 0, 0);
        tr_release(t, cf);
    }
    *res = d;
}

void tr_alu_flags(struct tr *t, int kind, int size, int dst, int src, int res)
{
    static const enum lf_op lf[8] = {LF_ADD, LF_LOGIC, LF_ADC, LF_SBB,
                                     LF_LOGIC, LF_SUB, LF_LOGIC, LF_SUB};
    tr_lazy(t, lf[kind], size, dst, src, res);
}

/* INC or DEC of r/m (reg >= 0: that register instead): CF is kept. */
void tr_incdec(struct tr *t, bool dec, int size, int reg)
{
    int lin = IR_NONE, v, cf, r;
    v = reg >= 0 ? tr_getr(t, reg, size) : tr_rm_read(t, size, &lin, true);
    tr_cond(t, 2 /* B: CF */, &cf);
    int one = tr_konst(t, 1);
    r = tr_temp(t);
    tr_emit(t, dec ? IR_SUB : IR_ADD, size, r, v, one, 0, 0, 0);
    if (size < 4)
        tr_emit(t, IR_MASK, size, r, r, IR_NONE, 0, 0, 0);
    if (reg >= 0)
        tr_setr(t, reg, size, r);
    else
        tr_rm_write(t, size, lin, r);
    tr_emit(t, IR_SETCF, 4, IR_NONE, cf, IR_NONE, 0, 0, 0);
    tr_lazy(t, dec ? LF_DEC : LF_INC, size, v, one, r);
}

/* op r/m, src (kind from the ALU row). */
void tr_alu_rm(struct tr *t, int kind, int size, int src_temp)
{
    int lin, dst = tr_rm_read(t, size, &lin, kind != 7);
    int res = 0;
    tr_alu(t, kind, size, dst, src_temp, &res);
    if (t->failed)
        return;
    if (kind != 7)
        tr_rm_write(t, size, lin, res);
    tr_alu_flags(t, kind, size, dst, src_temp, res);
}

void tr_alu_reg(struct tr *t, int kind, int size, int reg, int src_temp)
{
    int dst = tr_getr(t, reg, size), res = 0;
    tr_alu(t, kind, size, dst, src_temp, &res);
    if (t->failed)
        return;
    if (kind != 7)
        tr_setr(t, reg, size, res);
    tr_alu_flags(t, kind, size, dst, src_temp, res);
}

/* SHL/SAL, SHR, SAR of r/m by 'count' (a constant, or CL when count < 0). */
void tr_shift(struct tr *t, int size, int count)
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
    int lin, v = tr_rm_read(t, size, &lin, true);
    int n;
    if (count > 0) {
        n = tr_konst(t, (uint32_t)count);
    } else {
        int cl = tr_getr(t, R_ECX, 1);
        int k = tr_konst(t, 31);
        tr_release(t, cl);
        tr_release(t, k);
        n = tr_temp(t);
        tr_emit(t, IR_AND, 4, n, cl, k, 0, 0, 0);
    }
    int r = tr_temp(t);
    tr_emit(t, ops[kind - 4], size, r, v, n, 0, 0, 0);
    tr_rm_write(t, size, lin, r);
    tr_emit(t, count > 0 ? IR_LAZY : IR_LAZYNZ, size, r, v, n, lf[kind - 4], 0, 0);
    t->known_flags = count > 0 ? (uint32_t)lf[kind - 4] << 8 | (uint32_t)size : 0;
}

/* IMUL reg, r/m, src (src: a temp). */
void tr_imul(struct tr *t, int size, int v, int src)
{
    int r = tr_temp(t);
    tr_emit(t, IR_IMUL, size, r, v, src, 0, 0, 0);
    tr_setr(t, t->in->reg, size, r);
    t->known_flags = (uint32_t)LF_MUL << 8 | (uint32_t)size;
}

void tr_push(struct tr *t, int size, int val)
{
    int ss = tr_stack_size(t);
    int sp = tr_getr(t, R_ESP, ss);
    int k = tr_konst(t, (uint32_t)size);
    int nsp = tr_temp(t);
    tr_emit(t, IR_SUB, 4, nsp, sp, k, 0, 0, 0);
    if (ss < 4)
        tr_emit(t, IR_MASK, ss, nsp, nsp, IR_NONE, 0, 0, 0);
    int lin = tr_linear(t, SEG_SS, nsp, size, true);
    tr_store(t, lin, size, val);
    tr_setr(t, R_ESP, ss, nsp);
}

/* Pop into a temp; ESP is written by the caller's pop_commit after any
 * other check that may bail. */
int tr_pop_load(struct tr *t, int size, int *nsp)
{
    int ss = tr_stack_size(t);
    int sp = tr_getr(t, R_ESP, ss);
    int lin = tr_linear(t, SEG_SS, sp, size, false);
    int v = tr_load(t, lin, size);
    int k = tr_konst(t, (uint32_t)size);
    *nsp = tr_temp(t);
    tr_emit(t, IR_ADD, 4, *nsp, sp, k, 0, 0, 0);
    if (ss < 4)
        tr_emit(t, IR_MASK, ss, *nsp, *nsp, IR_NONE, 0, 0, 0);
    return v;
}

uint32_t tr_jump_target(const struct tr *t)
{
    uint32_t target = t->next_eip + t->in->imm;
    return t->in->opsize == 2 ? target & 0xffff : target;
}

/* A static target beyond the CS limit faults: the helper delivers it. */
bool tr_target_ok(const struct tr *t, uint32_t target)
{
    return target <= t->key->cs_limit;
}

void tr_cond(struct tr *t, int cc, int *d)
{
    *d = tr_temp(t);
    tr_emit(t, IR_COND, 4, *d, IR_NONE, IR_NONE, cc, t->known_flags, 0);
}

/* Translate one instruction inline; t->failed when it cannot be. */
