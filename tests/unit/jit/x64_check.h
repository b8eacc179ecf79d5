/* SPDX-License-Identifier: MIT */
/*
 * Shared by the x64 emitter tests: emit one instruction into a scratch
 * buffer, disassemble it with Capstone (CS_MODE_64, detail on) and compare
 * mnemonic, operand count, every operand and the length with what the test
 * asked for. Expectations come from the SDM's definition of each form, never
 * from the emitter's output. Header-only (static inline): each test_*.c is
 * its own executable.
 */
#ifndef KILN_TESTS_JIT_X64_CHECK_H
#define KILN_TESTS_JIT_X64_CHECK_H

#include <capstone/capstone.h>
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "common/compiler.h"
#include "jit/x64_emit.h"

#define XC_BASE 0x7f1234560000ull /* the address the scratch buffer "runs" at */

/* ck_assert_msg without its per-call mark point: with CK_FORK every passing
 * ck_assert writes to a pipe, which would dominate a sweep of 10^5 checks. */
#define XC_REQUIRE(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                                    \
    } while (0)

struct xc {
    csh cs;
    unsigned long checked;
    uint8_t code[1024];
    struct x64_buf b;
};

enum { XO_REG = X86_OP_REG, XO_MEM = X86_OP_MEM, XO_IMM = X86_OP_IMM };

struct xop {
    int kind;
    int size; /* bytes; 0: not checked */
    int reg;  /* Capstone register id */
    int base, index, scale;
    int64_t disp;
    bool rip_to; /* RIP-relative: check the target, not the raw disp */
    uint64_t target;
    int64_t imm;
    int imm_mask; /* bytes of the immediate that carry meaning */
};

struct xexp {
    const char *mnem;
    int nops;
    struct xop op[4];
    int len; /* 0: not checked */
};

static inline void xc_open(struct xc *x)
{
    ck_assert_int_eq(cs_open(CS_ARCH_X86, CS_MODE_64, &x->cs), CS_ERR_OK);
    ck_assert_int_eq(cs_option(x->cs, CS_OPT_DETAIL, CS_OPT_ON), CS_ERR_OK);
    x->checked = 0;
}

static inline void xc_close(struct xc *x)
{
    printf("x64 emit: %lu encodings checked against Capstone\n", x->checked);
    cs_close(&x->cs);
}

/* An empty scratch buffer. */
static inline struct x64_buf *xc_buf(struct xc *x)
{
    x64_buf_init(&x->b, x->code, sizeof(x->code), XC_BASE);
    return &x->b;
}

/* Capstone's name for register 'r' at operand size 'size' (SDM Vol. 1, 3.7.2.1). */
static inline int xc_reg(enum x64_reg r, int size)
{
    static const int r64[16] = {X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
                                X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI,
                                X86_REG_R8,  X86_REG_R9,  X86_REG_R10, X86_REG_R11,
                                X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15};
    static const int r32[16] = {X86_REG_EAX,  X86_REG_ECX,  X86_REG_EDX,  X86_REG_EBX,
                                X86_REG_ESP,  X86_REG_EBP,  X86_REG_ESI,  X86_REG_EDI,
                                X86_REG_R8D,  X86_REG_R9D,  X86_REG_R10D, X86_REG_R11D,
                                X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D};
    static const int r16[16] = {X86_REG_AX,   X86_REG_CX,   X86_REG_DX,   X86_REG_BX,
                                X86_REG_SP,   X86_REG_BP,   X86_REG_SI,   X86_REG_DI,
                                X86_REG_R8W,  X86_REG_R9W,  X86_REG_R10W, X86_REG_R11W,
                                X86_REG_R12W, X86_REG_R13W, X86_REG_R14W, X86_REG_R15W};
    static const int r8[16] = {X86_REG_AL,   X86_REG_CL,   X86_REG_DL,   X86_REG_BL,
                               X86_REG_SPL,  X86_REG_BPL,  X86_REG_SIL,  X86_REG_DIL,
                               X86_REG_R8B,  X86_REG_R9B,  X86_REG_R10B, X86_REG_R11B,
                               X86_REG_R12B, X86_REG_R13B, X86_REG_R14B, X86_REG_R15B};
    static const int high[4] = {X86_REG_AH, X86_REG_CH, X86_REG_DH, X86_REG_BH};
    if (r >= X64_AH && r <= X64_BH) return size == 1 ? high[r - X64_AH] : X86_REG_INVALID;
    if ((unsigned)r >= 16) return X86_REG_INVALID;
    switch (size) {
    case 1: return r8[r];
    case 2: return r16[r];
    case 4: return r32[r];
    default: return r64[r];
    }
}

static inline struct xop xr(enum x64_reg r, int size)
{
    return (struct xop){.kind = XO_REG, .size = size, .reg = xc_reg(r, size)};
}

/* The memory operand 'm' as Capstone reports it, 'size' bytes wide (0: unchecked). */
static inline struct xop xm(struct x64_mem m, int size)
{
    struct xop o = {.kind = XO_MEM, .size = size, .scale = 1, .disp = m.disp};
    if (m.kind != X64_MEM_SIB) {
        o.base = X86_REG_RIP;
        o.index = X86_REG_INVALID;
        o.rip_to = m.kind == X64_MEM_RIP_TO;
        o.target = m.target;
        return o;
    }
    o.base = m.base == X64_NOREG ? X86_REG_INVALID : xc_reg((enum x64_reg)m.base, 8);
    o.index = m.index == X64_NOREG ? X86_REG_INVALID : xc_reg((enum x64_reg)m.index, 8);
    if (m.index != X64_NOREG) o.scale = m.scale;
    return o;
}

/* An immediate whose low 'bytes' bytes must equal those of 'v'. */
static inline struct xop xi(int64_t v, int bytes)
{
    return (struct xop){.kind = XO_IMM, .imm = v, .imm_mask = bytes};
}

static inline void xc_hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && o + 4 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%02x ", p[i]);
}

/* Compare instruction 'in' with 'e'; 'hex' names the bytes in messages. */
static inline void xc_compare(struct xc *x, const cs_insn *in, const struct xexp *e,
                              const char *hex)
{
    const char *got = in->mnemonic;
    XC_REQUIRE(!strcmp(got, e->mnem), "[%s] is %s %s, want %s", hex, got, in->op_str, e->mnem);
    XC_REQUIRE(!e->len || in->size == e->len, "[%s] %s %s: %u bytes, want %d", hex, got, in->op_str,
               in->size, e->len);
    const cs_x86 *d = &in->detail->x86;
    XC_REQUIRE(d->op_count == e->nops, "[%s] %s %s: %d operands, want %d", hex, got, in->op_str,
               d->op_count, e->nops);
    for (int i = 0; i < e->nops; i++) {
        const cs_x86_op *o = &d->operands[i];
        const struct xop *w = &e->op[i];
        XC_REQUIRE((int)o->type == w->kind, "[%s] %s %s: operand %d has type %d, want %d", hex, got,
                   in->op_str, i, o->type, w->kind);
        XC_REQUIRE(!w->size || o->size == w->size, "[%s] %s %s: operand %d is %d bytes, want %d",
                   hex, got, in->op_str, i, o->size, w->size);
        if (w->kind == XO_REG) {
            XC_REQUIRE((int)o->reg == w->reg, "[%s] %s %s: operand %d is %s, want %s", hex, got,
                       in->op_str, i, cs_reg_name(x->cs, o->reg),
                       cs_reg_name(x->cs, (unsigned)w->reg));
        } else if (w->kind == XO_IMM) {
            uint64_t mask = w->imm_mask >= 8 ? ~0ull : (1ull << (8 * w->imm_mask)) - 1;
            XC_REQUIRE((((uint64_t)o->imm ^ (uint64_t)w->imm) & mask) == 0,
                       "[%s] %s %s: immediate %lld, want %lld", hex, got, in->op_str,
                       (long long)o->imm, (long long)w->imm);
        } else {
            const x86_op_mem *m = &o->mem;
            bool disp_ok = w->rip_to ? in->address + in->size + (uint64_t)m->disp == w->target
                                     : m->disp == w->disp;
            XC_REQUIRE((int)m->base == w->base && (int)m->index == w->index &&
                           m->scale == w->scale && disp_ok,
                       "[%s] %s %s: memory operand %d is [%s + %s*%d + %lld]", hex, got, in->op_str,
                       i, cs_reg_name(x->cs, m->base), cs_reg_name(x->cs, m->index), m->scale,
                       (long long)m->disp);
        }
    }
    x->checked++;
}

/* Check that the scratch buffer holds exactly the 'n' instructions of 'e'. */
static inline void xc_check_seq(struct xc *x, const struct xexp *e, int n)
{
    char hex[200];
    xc_hex(x->code, x->b.pos, hex, sizeof(hex));
    XC_REQUIRE(x->b.err == X64_OK, "%s: emit failed: %s", e->mnem, x64_error_name(x->b.err));
    cs_insn *in;
    size_t got = cs_disasm(x->cs, x->code, x->b.pos, XC_BASE, 0, &in);
    size_t total = 0;
    for (size_t i = 0; i < got; i++)
        total += in[i].size;
    XC_REQUIRE(got == (size_t)n && total == x->b.pos,
               "%s: [%s] is %zu instructions in %zu of %zu bytes, want %d", e->mnem, hex, got,
               total, x->b.pos, n);
    for (int i = 0; i < n; i++)
        xc_compare(x, &in[i], &e[i], hex);
    cs_free(in, got);
}

/* Check that the scratch buffer holds exactly the one instruction 'e'. */
static inline void xc_check(struct xc *x, const struct xexp *e)
{
    xc_check_seq(x, e, 1);
}

/* Check that the last emit recorded 'err' and wrote nothing. */
static inline void xc_check_error(struct xc *x, enum x64_error err, const char *what)
{
    XC_REQUIRE(x->b.err == err, "%s: error %s, want %s", what, x64_error_name(x->b.err),
               x64_error_name(err));
    XC_REQUIRE(x->b.pos == 0, "%s: %zu bytes written despite the error", what, x->b.pos);
}

/* ---- expected lengths, from the SDM's encoding rules (Vol. 2, 2.1-2.2) ---- */

/* Does register 'r' as an operand of 'size' bytes need a REX prefix? */
static inline bool xc_rex_reg(enum x64_reg r, int size)
{
    return (r >= 8 && r < 16) || (size == 1 && r >= 4 && r < 8);
}

static inline bool xc_rex_mem(struct x64_mem m)
{
    return m.kind == X64_MEM_SIB &&
           ((m.base >= 8 && m.base < 16) || (m.index >= 8 && m.index < 16));
}

/* Bytes of ModRM, SIB and displacement for 'm'. */
static inline int xc_mem_len(struct x64_mem m)
{
    if (m.kind != X64_MEM_SIB) return 1 + 4;
    if (m.base == X64_NOREG) return 1 + 1 + 4;
    bool sib = m.index != X64_NOREG || (m.base & 7) == 4;
    int disp = (m.disp == 0 && (m.base & 7) != 5) ? 0 : (m.disp >= -128 && m.disp <= 127) ? 1 : 4;
    return 1 + sib + disp;
}

/* Length of [66] [REX] opcode ModRM... imm. */
static inline int xc_len(bool p66, bool rex, int opc, int modrm_len, int imm)
{
    return p66 + rex + opc + modrm_len + imm;
}

/* ---- operand sweeps ---- */

static const int xc_sizes[4] = {1, 2, 4, 8};

/* Fill 'out' with the memory operand sweep: every base with displacement
 * boundaries, every base x index x scale, index without base, absolute,
 * RIP-relative; returns the count. */
static inline int xc_mems(struct x64_mem *out, int cap)
{
    static const int32_t disps[] = {0, 1, -1, 127, -128, 128, -129, INT32_MAX, INT32_MIN};
    static const int32_t few[] = {0, 127, -129, 0x12345678};
    static const int scales[] = {1, 2, 4, 8};
    int n = 0;
    for (int b = 0; b < 16; b++)
        for (size_t d = 0; d < sizeof(disps) / sizeof(disps[0]); d++)
            if (n < cap) out[n++] = x64_mem_base((enum x64_reg)b, disps[d]);
    for (int b = 0; b < 16; b++)
        for (int i = 0; i < 16; i++)
            for (int s = 0; s < 4; s++)
                if (i != X64_RSP && n < cap)
                    out[n++] =
                        x64_mem_sib((enum x64_reg)b, (enum x64_reg)i, scales[s], few[(i + s) % 4]);
    for (int i = 0; i < 16; i++)
        for (int s = 0; s < 4; s++)
            if (i != X64_RSP && n < cap)
                out[n++] = x64_mem_index((enum x64_reg)i, scales[s], few[(i + s) % 4]);
    for (size_t d = 0; d < sizeof(disps) / sizeof(disps[0]); d++) {
        if (n + 3 > cap) break;
        out[n++] = x64_mem_abs(disps[d]);
        out[n++] = x64_mem_rip(disps[d]);
        /* Targets around the buffer, up to the edge of rel32 reach. */
        out[n++] = x64_mem_rip_to(XC_BASE + (uint64_t)((int64_t)disps[d] / 2));
    }
    return n;
}

#define XC_MAX_MEMS 1200

/* Immediate boundary values, for every operand size. */
static const int64_t xc_imms[] = {0,
                                  1,
                                  -1,
                                  127,
                                  128,
                                  -128,
                                  -129,
                                  255,
                                  256,
                                  0x7fff,
                                  0x8000,
                                  -0x8000,
                                  -0x8001,
                                  0xffff,
                                  0x10000,
                                  0x7fffffff,
                                  -0x7fffffffll - 1,
                                  0x80000000ll,
                                  -0x80000001ll,
                                  0xffffffffll,
                                  0x100000000ll,
                                  0x123456789abcdefll,
                                  INT64_MIN,
                                  INT64_MAX};

/* Does 'imm' belong to the values a 'size'-byte immediate accepts (x64_emit.h)? */
static inline bool xc_imm_fits(int64_t imm, int size)
{
    switch (size) {
    case 1: return imm >= -128 && imm <= 255;
    case 2: return imm >= -32768 && imm <= 65535;
    case 4: return imm >= INT32_MIN && imm <= (int64_t)UINT32_MAX;
    default: return imm >= INT32_MIN && imm <= INT32_MAX;
    }
}

/* 'v' truncated to 'size' bytes, sign-extended. */
static inline int64_t xc_sext(int64_t v, int size)
{
    return size == 1 ? (int8_t)v : size == 2 ? (int16_t)v : size == 4 ? (int32_t)v : v;
}

#endif
