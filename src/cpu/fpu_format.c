/* SPDX-License-Identifier: MIT */
/*
 * x87 memory formats that convert without rounding: single and double real,
 * 16/32/64-bit integers and 18-digit packed BCD into double extended, the
 * raw 80-bit image, and wide memory operands (8, 10 and up to 108 bytes)
 * split into accesses the memory layer takes, probed before any store.
 * Conversions that round (stores to narrower formats) are fpu_host.c's.
 * Spec: Intel SDM Vol. 1 4.2.2 (real formats), 4.7-4.8 (special values),
 * 4.2.1.2/4.7 (integers, packed BCD), 8.2 (x87 data types).
 */
#include "cpu/fpu.h"

#include "cpu/ops.h"

/* Widen a binary32/binary64 whose fraction has 'fbits' bits and exponent
 * 'ebits' bits into double extended. Every such value is representable, so
 * the only events are an SNaN (IE; quieted) and a denormal operand (DE). */
static struct fpu_reg widen(uint64_t v, int fbits, int ebits, unsigned *exc)
{
    uint64_t frac = v & ((1ull << fbits) - 1);
    unsigned emax = (1u << ebits) - 1;
    unsigned exp = (unsigned)(v >> fbits) & emax;
    uint16_t sign = (v >> (fbits + ebits)) & 1 ? 0x8000 : 0;
    int bias = (int)(emax >> 1);
    struct fpu_reg r;
    *exc = 0;
    if (exp == emax) {
        r.sexp = sign | 0x7fff;
        r.mant = (1ull << 63) | (frac << (63 - fbits));
        if (frac && !(frac >> (fbits - 1))) {
            *exc = FPU_SW_IE;
            r.mant |= 1ull << 62; /* the masked response quiets it */
        }
        return r;
    }
    if (exp == 0) {
        if (frac == 0)
            return (struct fpu_reg){0, sign};
        *exc = FPU_SW_DE;
        int lz = __builtin_clzll(frac);
        r.mant = frac << lz;
        /* frac * 2^(1 - bias - fbits) = mant * 2^(1 - bias - fbits - lz). */
        r.sexp = (uint16_t)(sign | (unsigned)(16383 + 63 + 1 - bias - fbits - lz));
        return r;
    }
    r.sexp = (uint16_t)(sign | (unsigned)((int)exp - bias + 16383));
    r.mant = (1ull << 63) | (frac << (63 - fbits));
    return r;
}

struct fpu_reg fpu_from_f32(uint32_t v, unsigned *exc)
{
    return widen(v, 23, 8, exc);
}

struct fpu_reg fpu_from_f64(uint64_t v, unsigned *exc)
{
    return widen(v, 52, 11, exc);
}

static struct fpu_reg from_magnitude(uint64_t mag, bool neg)
{
    uint16_t sign = neg ? 0x8000 : 0;
    if (mag == 0)
        return (struct fpu_reg){0, sign};
    int lz = __builtin_clzll(mag);
    return (struct fpu_reg){mag << lz, (uint16_t)(sign | (16383 + 63 - lz))};
}

struct fpu_reg fpu_from_int(int64_t v)
{
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    return from_magnitude(mag, v < 0);
}

struct fpu_reg fpu_from_bcd(const uint8_t b[10])
{
    uint64_t v = 0;
    for (int i = 8; i >= 0; i--)
        v = v * 100 + (uint64_t)(b[i] >> 4) * 10 + (b[i] & 15);
    return from_magnitude(v, b[9] & 0x80);
}

void fpu_reg_to_bytes(struct fpu_reg r, uint8_t out[10])
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(r.mant >> (8 * i));
    out[8] = (uint8_t)r.sexp;
    out[9] = (uint8_t)(r.sexp >> 8);
}

struct fpu_reg fpu_reg_from_bytes(const uint8_t in[10])
{
    struct fpu_reg r = {0, (uint16_t)(in[8] | in[9] << 8)};
    for (int i = 0; i < 8; i++)
        r.mant |= (uint64_t)in[i] << (8 * i);
    return r;
}

/* Natural alignment of an x87/MMX memory operand of n bytes for #AC (SDM
 * Vol. 3A table 6-7): m16 2, m32 4, m64 and m80 8, the 16-bit environment
 * and save area 2, the 32-bit ones 4. */
static uint32_t operand_align(int n)
{
    switch (n) {
    case 2: case 14: case 94: return 2;
    case 4: case 28: case 108: return 4;
    case 8: case 10: return 8;
    default: return 16;
    }
}

/* #AC(0) for a misaligned operand at CPL 3 with CR0.AM and EFLAGS.AC set.
 * The parts are accessed at no more than the operand's alignment, so they
 * never fault on their own where the whole operand is aligned. */
static int align_check(struct cpu *c, const struct insn *in, uint32_t disp, int n)
{
    if (c->cpl != 3 || !(c->cr[0] & CR0_AM) || !(c->eflags & FL_AC))
        return 0;
    uint32_t lin = c->seg[in->seg].base + ea_offset(c, in) + disp;
    return (lin & (operand_align(n) - 1)) ? cpu_fault_err(c, EXC_AC, 0) : 0;
}

static int part_size(int n, int done)
{
    return operand_align(n) == 2 || n - done < 4 ? 2 : 4;
}

/* Offsets past the operand's start are not wrapped: a part beyond the
 * segment limit faults, as one access of the whole operand would. */
int fpu_mem_read(struct cpu *c, const struct insn *in, uint32_t disp, int n, uint8_t *buf)
{
    uint32_t off = ea_offset(c, in) + disp;
    for (int i = 0; i < n;) {
        int part = part_size(n, i);
        uint32_t v;
        TRY(mem_read(c, in->seg, off + (uint32_t)i, part, &v));
        for (int k = 0; k < part; k++)
            buf[i + k] = (uint8_t)(v >> (8 * k));
        i += part;
    }
    return align_check(c, in, disp, n);
}

int fpu_mem_probe(struct cpu *c, const struct insn *in, uint32_t disp, int n)
{
    uint32_t off = ea_offset(c, in) + disp;
    for (int i = 0; i < n;) {
        int part = part_size(n, i);
        TRY(mem_probe_write(c, in->seg, off + (uint32_t)i, part));
        i += part;
    }
    return align_check(c, in, disp, n);
}

int fpu_mem_write(struct cpu *c, const struct insn *in, uint32_t disp, int n, const uint8_t *buf)
{
    TRY(fpu_mem_probe(c, in, disp, n));
    uint32_t off = ea_offset(c, in) + disp;
    for (int i = 0; i < n;) {
        int part = part_size(n, i);
        uint32_t v = 0;
        for (int k = 0; k < part; k++)
            v |= (uint32_t)buf[i + k] << (8 * k);
        TRY(mem_write(c, in->seg, off + (uint32_t)i, part, v));
        i += part;
    }
    return 0;
}
