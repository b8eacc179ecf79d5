/* SPDX-License-Identifier: MIT */
/*
 * Random case generation for the x87/MMX differential test (x87_gen.h).
 * Values are drawn by class (zero, denormal, pseudo-denormal, normal, short
 * significand, integer-valued, extreme exponent, infinity and pseudo-
 * infinity, QNaN, SNaN, pseudo-NaN, unnormal, indefinite, raw bits) so that
 * every special encoding is met often; instructions cover every x87 escape
 * (defined and undefined cells), every MMX form and the state images.
 */
#include "x87_gen.h"

#include <string.h>

static unsigned below(uint64_t *s, unsigned n)
{
    return (unsigned)(rng_next(s) % n);
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A double-extended value of a random class, as its 10-byte image. */
static void gen_ext(uint64_t *s, uint8_t out[10])
{
    uint16_t sign = below(s, 2) ? 0x8000 : 0;
    uint64_t r = rng_next(s), m;
    const uint64_t J = 1ull << 63;
    unsigned e;
    switch (below(s, 20)) {
    case 0: m = 0; e = 0; break;                                        /* signed zero */
    case 1: m = (r >> (1 + below(s, 63))) | 1; e = 0; break;            /* denormal */
    case 2: m = r | J; e = 0; break;                                    /* pseudo-denormal */
    case 3: case 4: case 5: m = r | J; e = 1 + below(s, 0x7ffe); break; /* normal */
    case 6: case 7: {                                                   /* short significand */
        int k = 1 + (int)below(s, 16);
        m = (r | J) & ~((1ull << (64 - k)) - 1);
        e = 0x3fff - 10 + below(s, 24);
        break;
    }
    case 8: m = J; e = 0x7fff; break;                                   /* infinity */
    case 9: m = 0; e = 0x7fff; break;                                   /* pseudo-infinity */
    case 10: m = J | (1ull << 62) | (r >> 2 >> below(s, 62)); e = 0x7fff; break; /* QNaN */
    case 11: m = J | ((r >> 2 >> below(s, 62)) | 1); e = 0x7fff; break;         /* SNaN */
    case 12: m = (r & ~J) | 1; e = 0x7fff; break;                                /* pseudo-NaN */
    case 13: m = r & ~J; e = 1 + below(s, 0x7ffe); break;                        /* unnormal */
    case 14: m = 0xc000000000000000ull; e = 0x7fff; sign = 0x8000; break;        /* indefinite */
    case 15: m = r | J; e = below(s, 2) ? 1 + below(s, 80) : 0x7ffe - below(s, 80); break;
    case 16: case 17: {                                 /* integer-valued, halves, edges */
        int k = 1 + (int)below(s, 66);
        m = (r | J) & ~((1ull << (64 - (k < 64 ? k : 64))) - 1);
        if (below(s, 4) == 0)
            m = J;
        e = 0x3fff + (unsigned)k - 1 - below(s, 2);
        break;
    }
    case 18: m = r; e = 0x7fff; sign = 0x8000; break; /* what MMX leaves behind */
    default: m = r; e = (unsigned)(rng_next(s) & 0x7fff); break;
    }
    put_le(out, m, 8);
    put16(out + 8, sign | e);
}

static uint32_t gen_f32(uint64_t *s)
{
    uint32_t sign = below(s, 2) ? 0x80000000u : 0, f = (uint32_t)rng_next(s) & 0x7fffff;
    switch (below(s, 9)) {
    case 0: return sign;
    case 1: return sign | (f ? f : 1);
    case 2: return sign | 0x7f800000u;
    case 3: return sign | 0x7fc00000u | f;
    case 4: return sign | 0x7f800000u | ((f & 0x3fffff) ? f & 0x3fffff : 1);
    case 5: case 6: return sign | (1 + below(s, 254)) << 23 | f;
    case 7: return sign | (123 + below(s, 12)) << 23 | (f & 0x7f0000);
    default: return (uint32_t)rng_next(s);
    }
}

static uint64_t gen_f64(uint64_t *s)
{
    uint64_t sign = below(s, 2) ? 1ull << 63 : 0, f = rng_next(s) & ((1ull << 52) - 1);
    const uint64_t inf = 0x7ffull << 52;
    switch (below(s, 9)) {
    case 0: return sign;
    case 1: return sign | (f ? f : 1);
    case 2: return sign | inf;
    case 3: return sign | inf | 1ull << 51 | f;
    case 4: return sign | inf | ((f & ((1ull << 51) - 1)) ? f & ((1ull << 51) - 1) : 1);
    case 5: case 6: return sign | (uint64_t)(1 + below(s, 2046)) << 52 | f;
    case 7: return sign | (uint64_t)(1019 + below(s, 12)) << 52 | (f & (0xffull << 44));
    default: return rng_next(s);
    }
}

static uint64_t gen_int(uint64_t *s, int bits)
{
    uint64_t min = 1ull << (bits - 1);
    static const int64_t edges[] = {0, 1, -1, 2, -2, 10, -10};
    switch (below(s, 4)) {
    case 0: return (uint64_t)((int64_t)below(s, 201) - 100);
    case 1:
        switch (below(s, 5)) {
        case 0: return min;
        case 1: return min - 1;
        case 2: return min + 1;
        default: return (uint64_t)edges[below(s, 7)];
        }
    case 2: {
        uint64_t v = rng_next(s) >> (64 - 1 - below(s, (unsigned)bits));
        return below(s, 2) ? 0 - v : v;
    }
    default: return rng_next(s);
    }
}

static void gen_bcd(uint64_t *s, uint8_t out[10])
{
    int digits = (int)below(s, 19);
    memset(out, 0, 10);
    for (int d = 0; d < digits; d++)
        out[d / 2] |= (uint8_t)(below(s, 10) << (4 * (d & 1)));
    if (below(s, 10) == 0)
        out[below(s, 9)] |= (uint8_t)((10 + below(s, 6)) << (4 * below(s, 2))); /* invalid */
    out[9] = below(s, 2) ? 0x80 : 0;
    if (below(s, 10) == 0)
        out[9] |= (uint8_t)(rng_next(s) & 0x7f); /* bits the SDM leaves undefined */
}

static uint16_t gen_cw(uint64_t *s)
{
    uint16_t masks = below(s, 10) < 6 ? 0x3f : (uint16_t)(rng_next(s) & 0x3f);
    uint16_t cw = (uint16_t)(masks | (rng_next(s) & 0xf00) | 0x40);
    if (below(s, 20) == 0)
        cw |= (uint16_t)(rng_next(s) & 0xf080); /* reserved bits and X */
    return cw;
}

/* A complete FRSTOR image (32-bit protected-mode layout). 'pending' leaves
 * an unmasked exception flag set, so the next waiting instruction traps. */
static void gen_state(uint64_t *s, uint8_t img[108], bool pending)
{
    uint16_t cw = gen_cw(s);
    uint16_t exc = below(s, 2) ? (uint16_t)(rng_next(s) & cw & 0x3f) : 0;
    if (pending) {
        uint16_t bit = (uint16_t)(1u << below(s, 6));
        cw &= (uint16_t)~bit;
        exc |= bit;
    }
    uint16_t sw = (uint16_t)(exc | (rng_next(s) & 0xc7c0) | below(s, 8) << 11);
    if (!pending)
        sw &= (uint16_t)~0x8080; /* ES and B are recomputed anyway */
    uint16_t tw = 0;
    unsigned pattern = below(s, 10);
    for (int p = 0; p < 8; p++) {
        bool empty = pattern == 0 ? false : pattern == 1 ? true : below(s, 4) == 0;
        tw |= (uint16_t)((empty ? 3 : below(s, 3)) << (2 * p));
    }
    for (int i = 0; i < 108; i++)
        img[i] = (uint8_t)rng_next(s);
    put16(img + 0, cw);
    put16(img + 4, sw);
    put16(img + 8, tw);
    for (int i = 0; i < 8; i++)
        gen_ext(s, img + 28 + 10 * i);
}

/* The 14-byte (16-bit) layout of a 28-byte image, registers moved up. */
static void shrink_image(uint8_t img[108])
{
    uint8_t t[108];
    memcpy(t, img, 108);
    put16(img + 0, t[0] | t[1] << 8);
    put16(img + 2, t[4] | t[5] << 8);
    put16(img + 4, t[8] | t[9] << 8);
    memcpy(img + 6, t + 12, 8); /* pointers: any bits */
    memcpy(img + 14, t + 28, 80);
}

/* FXRSTOR image: abridged tags, a valid MXCSR for the host. */
static void fx_image(uint64_t *s, uint8_t *mem)
{
    uint8_t img[108];
    gen_state(s, img, false);
    memcpy(mem, img, 2);
    memcpy(mem + 2, img + 4, 2);
    uint8_t ftw = 0;
    for (int p = 0; p < 8; p++)
        if (((img[8] | img[9] << 8) >> (2 * p) & 3) != 3)
            ftw |= (uint8_t)(1u << p);
    mem[4] = ftw;
    put16(mem + 6, (uint32_t)rng_next(s) & 0x7ff);
    put_le(mem + 24, 0x1f80, 4);
    for (int i = 0; i < 8; i++)
        memcpy(mem + 32 + 16 * i, img + 28 + 10 * i, 10);
}

static void gen_x87_mem(uint64_t *s, struct x87_case *c, uint8_t op, int reg, bool p16)
{
    uint8_t *m = c->mem;
    uint8_t img[108];
    switch (op) {
    case 0xd8: put_le(m, gen_f32(s), 4); break;
    case 0xda: put_le(m, gen_int(s, 32), 4); break;
    case 0xdc: put_le(m, gen_f64(s), 8); break;
    case 0xde: put_le(m, gen_int(s, 16), 2); break;
    case 0xd9:
        if (reg == 0)
            put_le(m, gen_f32(s), 4);
        else if (reg == 5)
            put16(m, below(s, 4) ? gen_cw(s) : (uint16_t)rng_next(s));
        else if (reg == 4) {
            gen_state(s, img, false);
            if (p16)
                shrink_image(img);
            memcpy(m, img, 28);
        }
        break;
    case 0xdb:
        if (reg == 0)
            put_le(m, gen_int(s, 32), 4);
        else if (reg == 5)
            gen_ext(s, m);
        break;
    case 0xdd:
        if (reg == 0)
            put_le(m, gen_f64(s), 8);
        else if (reg == 4) {
            gen_state(s, img, false);
            if (p16)
                shrink_image(img);
            memcpy(m, img, 108);
        }
        break;
    default: /* 0xdf */
        if (reg == 0)
            put_le(m, gen_int(s, 16), 2);
        else if (reg == 4)
            gen_bcd(s, m);
        else if (reg == 5)
            put_le(m, gen_int(s, 64), 8);
        break;
    }
}

static const uint8_t mmx_ops[] = {
    0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6e, 0x6f,
    0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x7e, 0x7f, 0xd1, 0xd2, 0xd3, 0xd5, 0xd8,
    0xd9, 0xdb, 0xdc, 0xdd, 0xdf, 0xe1, 0xe2, 0xe5, 0xe8, 0xe9, 0xeb, 0xec, 0xed, 0xef,
    0xf1, 0xf2, 0xf3, 0xf5, 0xf8, 0xf9, 0xfa, 0xfc, 0xfd, 0xfe,
};

static int gen_mmx(uint64_t *s, struct x87_case *c, uint8_t *ins, bool first)
{
    uint8_t op = mmx_ops[below(s, sizeof(mmx_ops))];
    int reg = (int)below(s, 8);
    ins[0] = 0x0f;
    ins[1] = op;
    if (op == 0x77)
        return 2;
    if (op >= 0x71 && op <= 0x73) {
        static const uint8_t sh[] = {2, 4, 6, 2, 4, 6, 0, 3, 7};
        ins[2] = (uint8_t)(0xc0 | sh[below(s, 9)] << 3 | below(s, 8));
        ins[3] = (uint8_t)(below(s, 3) ? below(s, 70) : rng_next(s));
        return 4;
    }
    bool gpr = op == 0x6e || op == 0x7e;
    if (below(s, 10) < 6)
        ins[2] = (uint8_t)(0xc0 | reg << 3 | (gpr ? below(s, 2) : below(s, 8)));
    else
        ins[2] = (uint8_t)(reg << 3 | 6);
    /* Shift counts from memory or registers: small ones matter most. */
    if (first && (op & 0x0f) >= 1 && (op & 0x0f) <= 3 && op >= 0xd1 && below(s, 2))
        put_le(c->mem, below(s, 80), 8);
    return 3;
}

/* One instruction into 'ins'; returns its length. The first instruction of
 * a case also chooses the memory operand's contents. */
static int gen_insn(uint64_t *s, struct x87_case *c, uint8_t *ins, bool first)
{
    unsigned k = below(s, 100);
    if (k < 28) {
        ins[0] = (uint8_t)(0xd8 + below(s, 8));
        ins[1] = (uint8_t)(0xc0 + below(s, 64));
        return 2;
    }
    if (k < 40) {
        /* The one-encoding forms would be rare in a uniform draw: D9 E0-FF
         * (sign, FTST, FXAM, constants, transcendentals), FCOMPP, FUCOMPP,
         * FNSTSW AX, FNCLEX, FNINIT. */
        static const uint8_t single[][2] = {{0xde, 0xd9}, {0xda, 0xe9}, {0xdf, 0xe0},
                                            {0xdb, 0xe2}, {0xdb, 0xe3}};
        unsigned n = below(s, 32 + 5);
        if (n < 32) {
            ins[0] = 0xd9;
            ins[1] = (uint8_t)(0xe0 + n);
        } else {
            ins[0] = single[n - 32][0];
            ins[1] = single[n - 32][1];
        }
        return 2;
    }
    if (k < 74) {
        uint8_t op = (uint8_t)(0xd8 + below(s, 8));
        int reg;
        do /* FISTTP (DB/DD/DF /1) is SSE3: the host has it, a Pentium II does not */
            reg = (int)below(s, 8);
        while (reg == 1 && (op == 0xdb || op == 0xdd || op == 0xdf));
        int n = 0;
        bool env = (op == 0xd9 || op == 0xdd) && (reg == 4 || reg == 6);
        if (env && below(s, 2))
            ins[n++] = 0x66;
        ins[n++] = op;
        ins[n++] = (uint8_t)(reg << 3 | 6);
        if (first)
            gen_x87_mem(s, c, op, reg, n == 3);
        return n;
    }
    if (k < 94)
        return gen_mmx(s, c, ins, first);
    if (k < 95) {
        ins[0] = 0x9b; /* WAIT */
        return 1;
    }
    /* FXRSTOR only first: a host with SSE faults on a reserved MXCSR bit,
     * and only the generated image is sure to have none. */
    bool rstor = first && below(s, 2);
    ins[0] = 0x0f;
    ins[1] = 0xae;
    ins[2] = rstor ? 0x0e : 0x06;
    if (first && below(s, 10) == 0)
        c->mem_off = 8; /* misaligned: #GP */
    if (first && rstor)
        fx_image(s, c->mem + c->mem_off);
    return 3;
}

void gen_case(uint64_t *rng, struct x87_case *c)
{
    uint64_t *s = rng;
    memset(c, 0, sizeof(*c));
    for (int i = 0; i < CASE_MEM_SIZE + 16; i++)
        c->mem[i] = (uint8_t)rng_next(s);
    c->pending = below(s, 40) == 0;
    gen_state(s, c->img, c->pending);
    c->eax = (uint32_t)rng_next(s);
    c->ecx = (uint32_t)rng_next(s);
    c->eflags = 0x202 | ((uint32_t)rng_next(s) & 0x8d5);
    c->len1 = gen_insn(s, c, c->insn, true);
    c->len = c->len1;
    c->count = 1;
    /* A second instruction sees the first's results: exceptions it left
     * pending (#MF), its stack, its condition codes. Not after a state
     * store: the pointers in it are the host's own, not comparable. */
    const uint8_t *f = c->insn + (c->insn[0] == 0x66);
    bool env_store = ((f[0] == 0xd9 || f[0] == 0xdd) && f[1] == 0x36) ||
                     (f[0] == 0x0f && f[1] == 0xae && f[2] == 0x06);
    if (!env_store && below(s, 4) == 0) {
        c->len += gen_insn(s, c, c->insn + c->len1, false);
        c->count = 2;
    }
}
