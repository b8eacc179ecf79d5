/* SPDX-License-Identifier: MIT */
/*
 * Lazy flags: arithmetic records its operands and result; CF PF AF ZF SF OF
 * are computed only when something reads them. Owns the lf_* fields and the
 * arithmetic bits of eflags; nothing else writes those directly.
 * Spec: Intel SDM Vol. 1 3.4.3 and appendix A (EFLAGS cross-reference).
 */
#ifndef KILN_CPU_FLAGS_H
#define KILN_CPU_FLAGS_H

#include <stdbool.h>

#include "common/bits.h"
#include "common/compiler.h"
#include "cpu/cpu.h"

/* The flags as they stand: EFLAGS and the lazy record. A read-modify-write
 * computes its flags before its store, the last thing that may fault, and
 * puts these back when it does (precise exceptions without an undo record). */
struct flags_saved {
    uint32_t eflags, res, dst, src;
    uint8_t op, size;
};

static inline struct flags_saved flags_save(const struct cpu *c)
{
    return (struct flags_saved){c->eflags, c->lf_res, c->lf_dst, c->lf_src, c->lf_op, c->lf_size};
}

static inline void flags_restore(struct cpu *c, const struct flags_saved *s)
{
    c->eflags = s->eflags;
    c->lf_res = s->res;
    c->lf_dst = s->dst;
    c->lf_src = s->src;
    c->lf_op = s->op;
    c->lf_size = s->size;
}

/* Record an arithmetic result; flags follow from (op, size, dst, src, res). */
static inline void flags_lazy(struct cpu *c, enum lf_op op, int size, uint32_t dst, uint32_t src,
                              uint32_t res)
{
    c->lf_op = (uint8_t)op;
    c->lf_size = (uint8_t)size;
    c->lf_dst = dst;
    c->lf_src = src;
    c->lf_res = res;
}

/* Compute the arithmetic flags from the lazy record (no side effects). */
uint32_t flags_compute_arith(const struct cpu *c);

/* The full EFLAGS value, with the arithmetic bits brought up to date. */
static inline uint32_t flags_get(struct cpu *c)
{
    if (c->lf_op != LF_NONE) {
        c->eflags = (c->eflags & ~(uint32_t)FL_ARITH) | flags_compute_arith(c);
        c->lf_op = LF_NONE;
    }
    return c->eflags;
}

/* CF alone (FL_CF or 0): straight from an ADD, SUB or logic record (the
 * carry an ADC, SBB, INC or DEC takes over), else from all the flags. */
static inline uint32_t flags_cf(struct cpu *c)
{
    switch (c->lf_op) {
    case LF_ADD: {
        uint32_t m = size_mask(c->lf_size);
        return (c->lf_res & m) < (c->lf_dst & m) ? FL_CF : 0;
    }
    case LF_SUB: {
        uint32_t m = size_mask(c->lf_size);
        return (c->lf_dst & m) < (c->lf_src & m) ? FL_CF : 0;
    }
    case LF_LOGIC: return 0;
    default: return flags_get(c) & FL_CF;
    }
}

/* Set the arithmetic flags in 'mask' to the bits in 'val' (others kept). */
static inline void flags_set_arith(struct cpu *c, uint32_t mask, uint32_t val)
{
    uint32_t f = flags_get(c);
    c->eflags = (f & ~mask) | (val & mask);
}

/* Record INC/DEC: like ADD/SUB of 1, but CF keeps its current value. */
static inline void flags_lazy_incdec(struct cpu *c, bool dec, int size, uint32_t dst,
                                     uint32_t res)
{
    /* The record computes every flag but CF, which comes from eflags. */
    uint32_t cf = flags_cf(c);
    c->eflags = (c->eflags & ~(uint32_t)FL_CF) | cf;
    flags_lazy(c, dec ? LF_DEC : LF_INC, size, dst, 1, res);
}

/* The condition straight from a SUB/CMP or logic record (or for CF, ZF
 * and SF from an ADD, and ZF and SF from an INC or DEC), without computing
 * every flag; -1 for the other records and conditions, and for parity. */
static KILN_ALWAYS_INLINE int flags_lazy_cond(const struct cpu *c, unsigned kind)
{
    if (c->lf_op == LF_NONE)
        return -1; /* lf_size means nothing then */
    int size = c->lf_size;
    uint32_t m = size_mask(size), sign = size_sign(size), res = c->lf_res & m;
    if (c->lf_op == LF_ADD || c->lf_op == LF_INC || c->lf_op == LF_DEC) {
        switch (kind) {
        case 1: return c->lf_op == LF_ADD ? res < (c->lf_dst & m) : -1; /* B */
        case 2: return res == 0;                                        /* Z */
        case 4: return (res & sign) != 0;                               /* S */
        default: return -1;
        }
    }
    if (c->lf_op != LF_SUB && c->lf_op != LF_LOGIC)
        return -1;
    if (c->lf_op == LF_SUB) {
        uint32_t dst = c->lf_dst & m, src = c->lf_src & m;
        int32_t sdst = (int32_t)sext(dst, size), ssrc = (int32_t)sext(src, size);
        switch (kind) {
        case 0: return ((dst ^ src) & (dst ^ res) & sign) != 0; /* O */
        case 1: return dst < src;                              /* B */
        case 2: return res == 0;                               /* Z */
        case 3: return dst <= src;                             /* BE */
        case 4: return (res & sign) != 0;                      /* S */
        case 6: return sdst < ssrc;                            /* L: SF != OF */
        case 7: return sdst <= ssrc;                           /* LE */
        default: return -1;
        }
    }
    switch (kind) { /* LF_LOGIC: CF = OF = 0 */
    case 0: case 1: return 0;
    case 2: case 3: return res == 0;
    case 4: case 6: return (res & sign) != 0;
    case 7: return res == 0 || (res & sign) != 0;
    default: return -1;
    }
}

/* flags_cond inline, for handlers specialised for one condition (forms.def). */
static KILN_ALWAYS_INLINE bool flags_test(struct cpu *c, int cc)
{
    int fast = flags_lazy_cond(c, (unsigned)(cc >> 1) & 7);
    if (fast >= 0)
        return (cc & 1) ? !fast : fast;
    uint32_t f = flags_get(c);
    bool r;
    switch ((cc >> 1) & 7) {
    case 0: r = f & FL_OF; break;
    case 1: r = f & FL_CF; break;
    case 2: r = f & FL_ZF; break;
    case 3: r = f & (FL_CF | FL_ZF); break;
    case 4: r = f & FL_SF; break;
    case 5: r = f & FL_PF; break;
    case 6: r = !(f & FL_SF) != !(f & FL_OF); break;
    default: r = (f & FL_ZF) || (!(f & FL_SF) != !(f & FL_OF)); break;
    }
    return (cc & 1) ? !r : r;
}

/* Condition code cc (the low nibble of Jcc/SETcc/CMOVcc) against the flags. */
bool flags_cond(struct cpu *c, int cc);

/* After a rotate left (ROL, RCL) or right (ROR, RCR) of 'size' bytes whose
 * result is 'v': CF = 'cf' (0 or 1), OF from the result; the other flags
 * are kept. */
void flags_rotated(struct cpu *c, bool left, int size, uint32_t v, uint32_t cf);

/* SF, ZF and PF of 'res' as flag bits, for eagerly computed results. */
uint32_t flags_szp(uint32_t res, int size);

#endif
