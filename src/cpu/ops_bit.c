/* SPDX-License-Identifier: MIT */
/*
 * Bit instructions: BT/BTS/BTR/BTC (register and immediate offsets, with the
 * signed bit-string addressing of memory operands), BSF/BSR, BSWAP, and the
 * condition-code users SETcc and CMOVcc.
 * Spec: Intel SDM Vol. 2 (BT, BTS, BTR, BTC, BSF, BSR, BSWAP, SETcc, CMOVcc).
 */
#include "cpu/ops.h"

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

static uint32_t bt_apply(struct cpu *c, int kind, uint32_t v, unsigned bit)
{
    uint32_t mask = 1u << bit;
    flags_set_arith(c, FL_CF, (v & mask) ? FL_CF : 0);
    switch (kind) {
    case BT_SET: return v | mask;
    case BT_RESET: return v & ~mask;
    case BT_COMPLEMENT: return v ^ mask;
    default: return v;
    }
}

/* kind from the opcode: A3 BT, AB BTS, B3 BTR, BB BTC; BA /4-/7 likewise. */
static int bt_op(struct cpu *c, const struct insn *in, int kind, uint32_t offset, bool reg_offset)
{
    int size = in->opsize, bits = size * 8;
    uint32_t v;
    if (!in->is_mem) {
        unsigned bit = offset & (unsigned)(bits - 1);
        v = reg_get(c, in->rm, size);
        uint32_t r = bt_apply(c, kind, v, bit);
        if (kind != BT_TEST)
            reg_set(c, in->rm, size, r);
        return 0;
    }
    /* A register bit offset is signed and may address outside the operand. */
    uint32_t off = ea_offset(c, in);
    if (reg_offset) {
        int32_t sbit = (int32_t)sext(offset, size);
        int32_t unit = sbit >> (size == 2 ? 4 : 5); /* arithmetic: floor division */
        off += (uint32_t)(unit * size);
        if (in->addrsize == 2)
            off &= 0xffff;
    }
    unsigned bit = offset & (unsigned)(bits - 1);
    TRY(mem_read(c, in->seg, off, size, &v));
    uint32_t r = bt_apply(c, kind, v, bit);
    return kind == BT_TEST ? 0 : mem_write(c, in->seg, off, size, r);
}

int op_bt_Ev_Gv(struct cpu *c, const struct insn *in)
{
    return bt_op(c, in, (in->opcode >> 3) & 3, reg_get(c, in->reg, in->opsize), true);
}

int op_bt_Ev_Ib(struct cpu *c, const struct insn *in)
{
    return bt_op(c, in, in->reg & 3, in->imm & 0xff, false);
}

int op_bsf_bsr(struct cpu *c, const struct insn *in)
{
    int size = in->opsize;
    uint32_t v;
    TRY(e_read(c, in, size, &v));
    v &= size_mask(size);
    if (!v) {
        /* Destination unchanged on P6-family processors (documented as undefined). */
        flags_set_arith(c, FL_ZF, FL_ZF);
        return 0;
    }
    uint32_t idx = in->opcode == 0xbc ? (uint32_t)__builtin_ctz(v) : 31u - (uint32_t)__builtin_clz(v);
    reg_set(c, in->reg, size, idx);
    flags_set_arith(c, FL_ZF, 0);
    return 0;
}

int op_bswap(struct cpu *c, const struct insn *in)
{
    int r = in->opcode & 7;
    if (in->opsize == 2) {
        /* BSWAP r16 is undefined; Intel processors clear the low word. */
        reg_set(c, r, 2, 0);
        return 0;
    }
    c->r[r] = __builtin_bswap32(c->r[r]);
    return 0;
}

static KILN_ALWAYS_INLINE int setcc(struct cpu *c, const struct insn *in, enum ea_shape sh, int cc)
{
    return e_write_as(c, in, sh, 1, flags_test(c, cc) ? 1 : 0);
}

static KILN_ALWAYS_INLINE int cmovcc(struct cpu *c, const struct insn *in, enum ea_shape sh,
                                     int cc, int size)
{
    uint32_t v;
    TRY(e_read_as(c, in, sh, size, &v)); /* the source is read (and may fault) either way */
    if (flags_test(c, cc))
        reg_set(c, in->reg, size, v);
    return 0;
}

int op_setcc(struct cpu *c, const struct insn *in)
{
    return setcc(c, in, EA_ANY, in->opcode & 0xf);
}

int op_cmovcc(struct cpu *c, const struct insn *in)
{
    return cmovcc(c, in, EA_ANY, in->opcode & 0xf, in->opsize);
}

/* forms.def: SETcc and CMOVcc, one handler per condition. */
#define CC_FORMS(id, stem, cc)                                                                     \
    FORMS32(set##stem, setcc(c, in, sh, cc))                                                    \
    FORMS32(cmov##stem, cmovcc(c, in, sh, cc, 4))
CONDITIONS(CC_FORMS)
#undef CC_FORMS
