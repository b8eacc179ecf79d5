/* SPDX-License-Identifier: MIT */
/*
 * MMX (Pentium II): every 0F 6x/7x/Dx/Ex/Fx form in opcodes_mmx.def. The
 * eight 64-bit registers are the significands of the physical x87
 * registers R0-R7; every MMX instruction but EMMS sets TOP to 0 and marks
 * all registers full, a write also sets the register's sign and exponent
 * to all ones, and EMMS empties the whole stack. Integer only: no host
 * kernel is needed. Memory is read, or its store probed, before any state
 * changes. Spec: Intel SDM Vol. 1 ch. 9 (9.5, table 9-2), Vol. 2 (each
 * instruction), Vol. 3A table 12-8 (EM/TS).
 */
#include "cpu/fpu.h"

#include "cpu/ops.h"

enum lane_op { L_ADD, L_SUB, L_ADDS, L_SUBS, L_ADDUS, L_SUBUS, L_CMPEQ, L_CMPGT, L_MULLO, L_MULHI };

static int64_t sign_extend(uint64_t v, int bits)
{
    return bits == 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static int64_t saturate_signed(int64_t v, int bits)
{
    int64_t max = (int64_t)((1ull << (bits - 1)) - 1), min = -max - 1;
    return v > max ? max : v < min ? min : v;
}

/* Apply 'op' to each 'bits'-wide lane of a and b. */
static uint64_t lanewise(enum lane_op op, int bits, uint64_t a, uint64_t b)
{
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1, r = 0;
    for (int sh = 0; sh < 64; sh += bits) {
        uint64_t x = (a >> sh) & mask, y = (b >> sh) & mask;
        int64_t sx = sign_extend(x, bits), sy = sign_extend(y, bits);
        uint64_t v;
        switch (op) {
        case L_ADD: v = x + y; break;
        case L_SUB: v = x - y; break;
        case L_ADDS: v = (uint64_t)saturate_signed(sx + sy, bits); break;
        case L_SUBS: v = (uint64_t)saturate_signed(sx - sy, bits); break;
        case L_ADDUS: v = x + y > mask ? mask : x + y; break;
        case L_SUBUS: v = x > y ? x - y : 0; break;
        case L_CMPEQ: v = x == y ? mask : 0; break;
        case L_CMPGT: v = sx > sy ? mask : 0; break;
        case L_MULLO: v = (uint64_t)(sx * sy); break;
        default: v = (uint64_t)((sx * sy) >> 16); break; /* L_MULHI, words only */
        }
        r |= (v & mask) << sh;
    }
    return r;
}

/* Lane operations by 0F opcode: kind and lane width (0: not a lane op). */
struct lane_form {
    uint8_t opcode, op, bits;
};

static const struct lane_form lane_forms[] = {
    {0x64, L_CMPGT, 8},  {0x65, L_CMPGT, 16}, {0x66, L_CMPGT, 32}, {0x74, L_CMPEQ, 8},
    {0x75, L_CMPEQ, 16}, {0x76, L_CMPEQ, 32}, {0xd5, L_MULLO, 16}, {0xd8, L_SUBUS, 8},
    {0xd9, L_SUBUS, 16}, {0xdc, L_ADDUS, 8},  {0xdd, L_ADDUS, 16}, {0xe5, L_MULHI, 16},
    {0xe8, L_SUBS, 8},   {0xe9, L_SUBS, 16},  {0xec, L_ADDS, 8},   {0xed, L_ADDS, 16},
    {0xf8, L_SUB, 8},    {0xf9, L_SUB, 16},   {0xfa, L_SUB, 32},   {0xfc, L_ADD, 8},
    {0xfd, L_ADD, 16},   {0xfe, L_ADD, 32},
};

/* Shifts: logical right, arithmetic right, left. Counts beyond the lane
 * width clear the lane (or fill it with the sign for arithmetic shifts). */
enum shift_kind { SH_RL, SH_RA, SH_LL };

static uint64_t shift(enum shift_kind k, int bits, uint64_t a, uint64_t count)
{
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1, r = 0;
    if (count >= (uint64_t)bits && k != SH_RA)
        return 0;
    int n = count >= (uint64_t)bits ? bits - 1 : (int)count;
    for (int sh = 0; sh < 64; sh += bits) {
        uint64_t x = (a >> sh) & mask, v;
        if (k == SH_RL)
            v = x >> n;
        else if (k == SH_LL)
            v = x << n;
        else
            v = (uint64_t)(sign_extend(x, bits) >> n);
        r |= (v & mask) << sh;
    }
    return r;
}

/* PACKSSWB, PACKSSDW, PACKUSWB: a's lanes narrow into the low half, b's
 * into the high half, with signed or unsigned saturation. */
static uint64_t pack(uint64_t a, uint64_t b, int bits, bool to_unsigned)
{
    int out = bits / 2, n = 64 / bits;
    uint64_t r = 0;
    for (int i = 0; i < 2 * n; i++) {
        int64_t v = sign_extend(((i < n ? a : b) >> (bits * (i % n))), bits);
        if (to_unsigned)
            v = v < 0 ? 0 : v > 255 ? 255 : v;
        else
            v = saturate_signed(v, out);
        r |= ((uint64_t)v & ((1ull << out) - 1)) << (out * i);
    }
    return r;
}

/* PUNPCKLxx, PUNPCKHxx: interleave the low (or high) halves of a and b. */
static uint64_t unpack(uint64_t a, uint64_t b, int bits, bool high)
{
    uint64_t mask = (1ull << bits) - 1, r = 0;
    int base = high ? 32 : 0;
    for (int i = 0; i < 32 / bits; i++) {
        uint64_t x = (a >> (base + bits * i)) & mask, y = (b >> (base + bits * i)) & mask;
        r |= x << (2 * bits * i) | y << (2 * bits * i + bits);
    }
    return r;
}

static uint64_t pmaddwd(uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    for (int i = 0; i < 2; i++) {
        int64_t s = sign_extend(a >> (32 * i), 16) * sign_extend(b >> (32 * i), 16) +
                    sign_extend(a >> (32 * i + 16), 16) * sign_extend(b >> (32 * i + 16), 16);
        r |= ((uint64_t)s & 0xffffffffu) << (32 * i);
    }
    return r;
}

/* The x87 side of an MMX instruction (SDM Vol. 1 table 9-2). */
static void mmx_touch(struct fpu *f, int written)
{
    if (written >= 0) {
        f->reg[written].sexp = 0xffff;
    }
    fpu_set_top(f, 0);
    for (int p = 0; p < 8; p++)
        fpu_set_tag(f, p, fpu_tag_of(f->reg[p]));
}

/* The Qq operand: a register's 64 bits, or 'n' (4 or 8) bytes of memory. */
static int read_q(struct cpu *c, const struct insn *in, int n, uint64_t *v)
{
    if (!in->is_mem) {
        *v = c->fpu.reg[in->rm].mant;
        return 0;
    }
    uint8_t b[8] = {0};
    TRY(fpu_mem_read(c, in, 0, n, b));
    *v = 0;
    for (int i = 0; i < n; i++)
        *v |= (uint64_t)b[i] << (8 * i);
    return 0;
}

static int write_mem(struct cpu *c, const struct insn *in, int n, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    return fpu_mem_write(c, in, 0, n, b);
}

/* Moves: MOVD Pq,Ed; MOVQ Pq,Qq; MOVD Ed,Pq; MOVQ Qq,Pq. Returns the
 * MMX register written, or -1. */
static int mmx_move(struct cpu *c, const struct insn *in, int *written)
{
    struct fpu *f = &c->fpu;
    uint64_t v;
    *written = -1;
    switch (in->opcode) {
    case 0x6e:
        if (in->is_mem)
            TRY(read_q(c, in, 4, &v));
        else
            v = c->r[in->rm];
        f->reg[in->reg].mant = v & 0xffffffffu;
        *written = in->reg;
        return 0;
    case 0x6f:
        TRY(read_q(c, in, 8, &v));
        f->reg[in->reg].mant = v;
        *written = in->reg;
        return 0;
    case 0x7e:
        v = f->reg[in->reg].mant;
        if (in->is_mem)
            return write_mem(c, in, 4, v);
        c->r[in->rm] = (uint32_t)v;
        return 0;
    default: /* 0x7f */
        v = f->reg[in->reg].mant;
        if (in->is_mem)
            return write_mem(c, in, 8, v);
        f->reg[in->rm].mant = v;
        *written = in->rm;
        return 0;
    }
}

/* Everything that computes Pq = Pq op Qq. */
static int mmx_compute(struct cpu *c, const struct insn *in)
{
    uint8_t op = in->opcode;
    uint64_t b, a = c->fpu.reg[in->reg].mant, r;
    bool low_unpack = op >= 0x60 && op <= 0x62;
    TRY(read_q(c, in, low_unpack ? 4 : 8, &b));
    switch (op) {
    case 0x60: case 0x61: case 0x62: r = unpack(a, b, 8 << (op - 0x60), false); break;
    case 0x68: case 0x69: case 0x6a: r = unpack(a, b, 8 << (op - 0x68), true); break;
    case 0x63: r = pack(a, b, 16, false); break;
    case 0x6b: r = pack(a, b, 32, false); break;
    case 0x67: r = pack(a, b, 16, true); break;
    case 0xdb: r = a & b; break;
    case 0xdf: r = ~a & b; break;
    case 0xeb: r = a | b; break;
    case 0xef: r = a ^ b; break;
    case 0xf5: r = pmaddwd(a, b); break;
    case 0xd1: case 0xd2: case 0xd3: r = shift(SH_RL, 8 << (op - 0xd0), a, b); break;
    case 0xe1: case 0xe2: r = shift(SH_RA, 8 << (op - 0xe0), a, b); break;
    case 0xf1: case 0xf2: case 0xf3: r = shift(SH_LL, 8 << (op - 0xf0), a, b); break;
    default:
        r = a;
        for (unsigned k = 0; k < KILN_ARRAY_SIZE(lane_forms); k++)
            if (lane_forms[k].opcode == op)
                r = lanewise((enum lane_op)lane_forms[k].op, lane_forms[k].bits, a, b);
        break;
    }
    c->fpu.reg[in->reg].mant = r;
    return 0;
}

/* 0F 71/72/73 /2 /4 /6 ib: shift the register named by rm by imm8. */
static void mmx_shift_imm(struct cpu *c, const struct insn *in)
{
    static const int8_t kind[8] = {-1, -1, SH_RL, -1, SH_RA, -1, SH_LL, -1};
    int bits = 16 << (in->opcode - 0x71);
    uint64_t *r = &c->fpu.reg[in->rm].mant;
    *r = shift((enum shift_kind)kind[in->reg], bits, *r, in->imm & 0xff);
}

int op_mmx(struct cpu *c, const struct insn *in)
{
    if (c->cr[0] & CR0_EM)
        return cpu_fault(c, EXC_UD);
    if (c->cr[0] & CR0_TS)
        return cpu_fault(c, EXC_NM);
    int rc = fpu_check_pending(c);
    if (rc == FPU_STALLED)
        return 0;
    TRY(rc);
    struct fpu *f = &c->fpu;
    int written = in->reg;
    switch (in->opcode) {
    case 0x77: /* EMMS */
        fpu_set_top(f, 0);
        f->tw = 0xffff;
        return 0;
    case 0x6e: case 0x6f: case 0x7e: case 0x7f: TRY(mmx_move(c, in, &written)); break;
    case 0x71: case 0x72: case 0x73:
        mmx_shift_imm(c, in);
        written = in->rm;
        break;
    default: TRY(mmx_compute(c, in)); break;
    }
    mmx_touch(f, written);
    return 0;
}
