/* SPDX-License-Identifier: MIT */
/*
 * Data movement: MOV in its register, memory, immediate and moffs forms,
 * LEA, XCHG, MOVZX/MOVSX, XLAT, NOP, and the atomic exchanges CMPXCHG,
 * CMPXCHG8B and XADD (atomic by construction in a single-threaded CPU).
 * Spec: Intel SDM Vol. 2 (MOV, LEA, XCHG, MOVZX, MOVSX, XLAT, CMPXCHG, XADD).
 */
#include "cpu/ops.h"

static KILN_ALWAYS_INLINE int mov_E_G(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                      int size)
{
    return e_write_as(c, in, sh, size, reg_get(c, in->reg, size));
}

static KILN_ALWAYS_INLINE int mov_G_E(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                      int size)
{
    uint32_t v;
    TRY(e_read_as(c, in, sh, size, &v));
    reg_set(c, in->reg, size, v);
    return 0;
}

int op_mov_Eb_Gb(struct cpu *c, const struct insn *in)
{
    return mov_E_G(c, in, EA_ANY, 1);
}

int op_mov_Ev_Gv(struct cpu *c, const struct insn *in)
{
    return mov_E_G(c, in, EA_ANY, in->opsize);
}

int op_mov_Gb_Eb(struct cpu *c, const struct insn *in)
{
    return mov_G_E(c, in, EA_ANY, 1);
}

int op_mov_Gv_Ev(struct cpu *c, const struct insn *in)
{
    return mov_G_E(c, in, EA_ANY, in->opsize);
}

FORMS32(mov_Ev_Gv, mov_E_G(c, in, sh, 4))
FORMS32(mov_Gv_Ev, mov_G_E(c, in, sh, 4))
FORMS32(mov_Eb_Gb, mov_E_G(c, in, sh, 1))
FORMS32(mov_Gb_Eb, mov_G_E(c, in, sh, 1))

int op_mov_Eb_Ib(struct cpu *c, const struct insn *in)
{
    return e_write(c, in, 1, in->imm);
}

int op_mov_Ev_Iz(struct cpu *c, const struct insn *in)
{
    return e_write(c, in, in->opsize, in->imm);
}

FORMS32(mov_Eb_Ib, e_write_as(c, in, sh, 1, in->imm))
FORMS32(mov_Ev_Iz, e_write_as(c, in, sh, 4, in->imm))

int op_mov_Zb_Ib(struct cpu *c, const struct insn *in)
{
    reg_set(c, in->opcode & 7, 1, in->imm);
    return 0;
}

int op_mov_Zv_Iz(struct cpu *c, const struct insn *in)
{
    reg_set(c, in->opcode & 7, in->opsize, in->imm);
    return 0;
}

static int moffs_read(struct cpu *c, const struct insn *in, int size)
{
    uint32_t v;
    TRY(mem_read(c, in->seg, in->imm, size, &v));
    reg_set(c, R_EAX, size, v);
    return 0;
}

int op_mov_AL_Ob(struct cpu *c, const struct insn *in)
{
    return moffs_read(c, in, 1);
}

int op_mov_eAX_Ov(struct cpu *c, const struct insn *in)
{
    return moffs_read(c, in, in->opsize);
}

int op_mov_Ob_AL(struct cpu *c, const struct insn *in)
{
    return mem_write(c, in->seg, in->imm, 1, reg_get(c, R_EAX, 1));
}

int op_mov_Ov_eAX(struct cpu *c, const struct insn *in)
{
    return mem_write(c, in->seg, in->imm, in->opsize, reg_get(c, R_EAX, in->opsize));
}

static KILN_ALWAYS_INLINE int lea(struct cpu *c, const struct insn *in, enum ea_shape sh, int size)
{
    reg_set(c, in->reg, size, ea_offset_as(c, in, sh));
    return 0;
}

int op_lea(struct cpu *c, const struct insn *in)
{
    return lea(c, in, EA_ANY, in->opsize);
}

FORMS32_MEM(lea, lea(c, in, sh, 4))

static int xchg_E(struct cpu *c, const struct insn *in, int size)
{
    uint32_t v;
    TRY(e_read(c, in, size, &v));
    TRY(e_write(c, in, size, reg_get(c, in->reg, size)));
    reg_set(c, in->reg, size, v);
    return 0;
}

int op_xchg_Eb_Gb(struct cpu *c, const struct insn *in)
{
    return xchg_E(c, in, 1);
}

int op_xchg_Ev_Gv(struct cpu *c, const struct insn *in)
{
    return xchg_E(c, in, in->opsize);
}

int op_xchg_Zv_eAX(struct cpu *c, const struct insn *in)
{
    int r = in->opcode & 7, size = in->opsize;
    uint32_t v = reg_get(c, r, size);
    reg_set(c, r, size, reg_get(c, R_EAX, size));
    reg_set(c, R_EAX, size, v);
    return 0;
}

int op_nop(struct cpu *c, const struct insn *in)
{
    (void)c;
    (void)in;
    return 0;
}

static KILN_ALWAYS_INLINE int movx(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                   int src_size, bool sign, int size)
{
    uint32_t v;
    TRY(e_read_as(c, in, sh, src_size, &v));
    if (sign)
        v = sext(v, src_size);
    reg_set(c, in->reg, size, v);
    return 0;
}

int op_movzx_movsx(struct cpu *c, const struct insn *in)
{
    return movx(c, in, EA_ANY, (in->opcode & 1) ? 2 : 1, in->opcode >= 0xbe, in->opsize);
}

FORMS32(movzx_Gv_Eb, movx(c, in, sh, 1, false, 4))
FORMS32(movzx_Gv_Ew, movx(c, in, sh, 2, false, 4))

int op_xlat(struct cpu *c, const struct insn *in)
{
    uint32_t off = addr_reg_get(c, R_EBX, in->addrsize) + reg_get(c, R_EAX, 1);
    if (in->addrsize == 2)
        off &= 0xffff;
    uint32_t v;
    TRY(mem_read(c, in->seg, off, 1, &v));
    reg_set(c, R_EAX, 1, v);
    return 0;
}

int op_cmpxchg(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t d;
    TRY(e_read(c, in, size, &d));
    uint32_t acc = reg_get(c, R_EAX, size), m = size_mask(size);
    flags_lazy(c, LF_SUB, size, acc, d, (acc - d) & m);
    if (acc == d)
        return e_write(c, in, size, reg_get(c, in->reg, size));
    /* The destination is written back with its own value (a locked cycle). */
    TRY(e_write(c, in, size, d));
    reg_set(c, R_EAX, size, d);
    return 0;
}

int op_xadd(struct cpu *c, const struct insn *in)
{
    int size = insn_width(in);
    uint32_t d;
    TRY(e_read(c, in, size, &d));
    uint32_t s = reg_get(c, in->reg, size);
    uint32_t sum = (d + s) & size_mask(size);
    TRY(e_write(c, in, size, sum));
    reg_set(c, in->reg, size, d);
    flags_lazy(c, LF_ADD, size, d, s, sum);
    return 0;
}

int op_cmpxchg8b(struct cpu *c, const struct insn *in)
{
    uint32_t off = ea_offset(c, in), lo, hi;
    uint32_t off_hi = in->addrsize == 2 ? (off + 4) & 0xffff : off + 4;
    TRY(mem_read(c, in->seg, off, 4, &lo));
    TRY(mem_read(c, in->seg, off_hi, 4, &hi));
    TRY(mem_probe_write(c, in->seg, off, 4));
    TRY(mem_probe_write(c, in->seg, off_hi, 4));
    bool equal = lo == c->r[R_EAX] && hi == c->r[R_EDX];
    uint32_t nlo = equal ? c->r[R_EBX] : lo, nhi = equal ? c->r[R_ECX] : hi;
    TRY(mem_write(c, in->seg, off, 4, nlo));
    TRY(mem_write(c, in->seg, off_hi, 4, nhi));
    if (!equal) {
        c->r[R_EAX] = lo;
        c->r[R_EDX] = hi;
    }
    flags_set_arith(c, FL_ZF, equal ? FL_ZF : 0);
    return 0;
}
