/* SPDX-License-Identifier: MIT */
/*
 * x87 data movement: the memory forms of escapes D9, DB, DD and DF (FLD,
 * FILD, FBLD of every format; FST(P), FIST(P), FBSTP; FLDCW, FNSTCW,
 * FNSTSW m16) and the register moves FLD/FST/FSTP ST(i), FXCH, FFREE(P).
 * Loads convert in software (they are exact); stores that round go through
 * the host kernel. A store probes its whole destination before anything
 * changes, so a memory fault leaves the FPU and memory untouched.
 * Spec: Intel SDM Vol. 2A FLD, FILD, FBLD, FST, FIST, FBSTP, FXCH, FFREE,
 * FLDCW, FSTCW, FSTSW; Vol. 1 8.5.1 (invalid operation), 4.8.3.
 */
#include "cpu/fpu.h"

#include <string.h>

#include "cpu/ops.h"

enum ld_kind { LD_F32, LD_F64, LD_F80, LD_I16, LD_I32, LD_I64, LD_BCD };

static const uint8_t ld_size[] = {4, 8, 10, 2, 4, 8, 10};

static uint64_t le64(const uint8_t *b, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

/* Push a memory operand. Stack overflow comes first; an unmasked SNaN
 * (IE) stops the load, while a denormal operand (DE) is loaded even when
 * unmasked - the handler then finds it on the stack. */
static int load(struct cpu *c, const struct insn *in, enum ld_kind kind)
{
    struct fpu *f = &c->fpu;
    uint8_t b[10];
    TRY(fpu_mem_read(c, in, 0, ld_size[kind], b));
    struct fpu_reg v;
    unsigned exc = 0;
    switch (kind) {
    case LD_F32: v = fpu_from_f32((uint32_t)le64(b, 4), &exc); break;
    case LD_F64: v = fpu_from_f64(le64(b, 8), &exc); break;
    case LD_F80: v = fpu_reg_from_bytes(b); break;
    case LD_I16: v = fpu_from_int((int16_t)le64(b, 2)); break;
    case LD_I32: v = fpu_from_int((int32_t)le64(b, 4)); break;
    case LD_I64: v = fpu_from_int((int64_t)le64(b, 8)); break;
    case LD_BCD: v = fpu_from_bcd(b); break;
    }
    if (!fpu_empty(f, 7)) {
        if (fpu_overflow(f))
            fpu_push(f, fpu_indefinite());
        return 0;
    }
    f->sw &= (uint16_t)~FPU_SW_C1;
    if (fpu_raise(f, exc) & FPU_SW_IE)
        return 0;
    fpu_push(f, v);
    return 0;
}

/* What a masked invalid operation stores in each destination format. */
static void indefinite_bytes(enum fpu_host_op op, uint8_t out[10])
{
    memset(out, 0, 10);
    switch (op) {
    case FH_ST_M32: out[2] = 0xc0; out[3] = 0xff; break;             /* FFC00000 */
    case FH_ST_M64: out[6] = 0xf8; out[7] = 0xff; break;             /* FFF8000000000000 */
    case FH_IST_M16: out[1] = 0x80; break;                           /* 8000 */
    case FH_IST_M32: out[3] = 0x80; break;                           /* 80000000 */
    case FH_ISTP_M64: out[7] = 0x80; break;                          /* 8000000000000000 */
    default: out[7] = 0xc0; out[8] = 0xff; out[9] = 0xff; break;     /* BCD FFFFC000...0 */
    }
}

/* FST(P) m32/m64, FIST(P) m16/m32/m64, FBSTP: round through the kernel.
 * An unmasked invalid, overflow or underflow stores nothing and does not
 * pop (the handler sees the operand still in ST(0)); an unmasked precision
 * exception stores the rounded value. */
static int store(struct cpu *c, const struct insn *in, enum fpu_host_op op, int size, bool pop)
{
    struct fpu *f = &c->fpu;
    TRY(fpu_mem_probe(c, in, 0, size));
    struct fpu_host_job j = {0};
    if (fpu_empty(f, 0)) {
        if (!fpu_underflow(f))
            return 0;
        indefinite_bytes(op, j.mem);
    } else {
        j.a = *fpu_st(f, 0);
        if (fpu_compute(f, op, &j) & (FPU_SW_IE | FPU_SW_OE | FPU_SW_UE))
            return 0;
    }
    TRY(fpu_mem_write(c, in, 0, size, j.mem));
    if (pop)
        fpu_pop(f);
    return 0;
}

/* FSTP m80: a raw copy; only an empty ST(0) can go wrong. */
static int store_m80(struct cpu *c, const struct insn *in)
{
    struct fpu *f = &c->fpu;
    TRY(fpu_mem_probe(c, in, 0, 10));
    struct fpu_reg v = *fpu_st(f, 0);
    if (fpu_empty(f, 0)) {
        if (!fpu_underflow(f))
            return 0;
        v = fpu_indefinite();
    } else {
        f->sw &= (uint16_t)~FPU_SW_C1;
    }
    uint8_t b[10];
    fpu_reg_to_bytes(v, b);
    TRY(fpu_mem_write(c, in, 0, 10, b));
    fpu_pop(f);
    return 0;
}

static int store16(struct cpu *c, const struct insn *in, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    return fpu_mem_write(c, in, 0, 2, b);
}

/* FLDCW: reserved bits are dropped and bit 6 reads as 1. Unmasking a flag
 * that is already set makes its exception pending (fpu_update_es). */
static int fldcw(struct cpu *c, const struct insn *in)
{
    uint8_t b[2];
    TRY(fpu_mem_read(c, in, 0, 2, b));
    c->fpu.cw = (uint16_t)(((b[0] | b[1] << 8) & FPU_CW_WRITABLE) | FPU_CW_ONES);
    fpu_update_es(&c->fpu);
    return 0;
}

int x87_load_store(struct cpu *c, const struct insn *in)
{
    bool pop = in->reg == 3;
    switch (in->opcode) {
    case 0xd9:
        switch (in->reg) {
        case 0: return load(c, in, LD_F32);
        case 2: case 3: return store(c, in, FH_ST_M32, 4, pop);
        case 5: return fldcw(c, in);
        case 7: return store16(c, in, c->fpu.cw);
        default: return x87_env(c, in); /* 4 FLDENV, 6 FNSTENV */
        }
    case 0xdb:
        switch (in->reg) {
        case 0: return load(c, in, LD_I32);
        case 2: case 3: return store(c, in, FH_IST_M32, 4, pop);
        case 5: return load(c, in, LD_F80);
        default: return store_m80(c, in); /* 7 */
        }
    case 0xdd:
        switch (in->reg) {
        case 0: return load(c, in, LD_F64);
        case 2: case 3: return store(c, in, FH_ST_M64, 8, pop);
        case 7: return store16(c, in, c->fpu.sw);
        default: return x87_env(c, in); /* 4 FRSTOR, 6 FNSAVE */
        }
    default: /* 0xdf */
        switch (in->reg) {
        case 0: return load(c, in, LD_I16);
        case 2: case 3: return store(c, in, FH_IST_M16, 2, pop);
        case 4: return load(c, in, LD_BCD);
        case 5: return load(c, in, LD_I64);
        case 6: return store(c, in, FH_BSTP, 10, true);
        default: return store(c, in, FH_ISTP_M64, 8, true); /* 7 */
        }
    }
}

/* FLD ST(i): the source is read before the push moves TOP. An empty
 * source is a stack underflow (C1 = 0) even when ST(7) is full too; masked,
 * the indefinite is pushed over whatever ST(7) held. */
void x87_fld_sti(struct fpu *f, int i)
{
    if (fpu_empty(f, i)) {
        if (fpu_underflow(f))
            fpu_push(f, fpu_indefinite());
        return;
    }
    (void)fpu_push_checked(f, *fpu_st(f, i));
}

/* FST/FSTP ST(i) and the FSTP aliases DF D0+i, DF D8+i. D9 D8+i ('nocheck')
 * differs: with ST(0) empty it stores nothing, flags nothing and just pops -
 * observed on Intel hardware, where the SDM lists the encoding as reserved. */
void x87_fst_sti(struct fpu *f, int i, bool pop, bool nocheck)
{
    struct fpu_reg v = *fpu_st(f, 0);
    if (fpu_empty(f, 0)) {
        if (nocheck) {
            f->sw &= (uint16_t)~FPU_SW_C1;
            fpu_pop(f);
            return;
        }
        if (!fpu_underflow(f))
            return;
        v = fpu_indefinite();
    } else {
        f->sw &= (uint16_t)~FPU_SW_C1;
    }
    fpu_write(f, i, v);
    if (pop)
        fpu_pop(f);
}

/* FXCH ST(i) and its aliases (DD C8+i, DF C8+i): an empty side becomes the
 * indefinite before the exchange when the underflow is masked. */
void x87_fxch(struct fpu *f, int i)
{
    bool e0 = fpu_empty(f, 0), ei = fpu_empty(f, i);
    if (e0 || ei) {
        if (!fpu_underflow(f))
            return;
        if (e0)
            fpu_write(f, 0, fpu_indefinite());
        if (ei)
            fpu_write(f, i, fpu_indefinite());
    } else {
        f->sw &= (uint16_t)~FPU_SW_C1;
    }
    struct fpu_reg a = *fpu_st(f, 0), b = *fpu_st(f, i);
    fpu_write(f, 0, b);
    fpu_write(f, i, a);
}

/* FFREE ST(i) / FFREEP (DF C0+i): tag empty, contents and TOP kept. */
void x87_ffree(struct fpu *f, int i, bool pop)
{
    f->sw &= (uint16_t)~FPU_SW_C1;
    fpu_set_tag(f, fpu_phys(f, i), FPU_TAG_EMPTY);
    if (pop)
        fpu_pop(f);
}
