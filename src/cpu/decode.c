/* SPDX-License-Identifier: MIT */
/*
 * The x86 decoder: prefixes, opcode maps, ModRM/SIB, displacements and
 * immediates, for 16- and 32-bit code of every generation from the 8086 to
 * the Pentium II. Driven entirely by the tables that decode_table.c builds
 * from opcodes.def. Touches no CPU state: bytes come from a callback.
 * Spec: Intel SDM Vol. 2A 2.1-2.2 (format, prefixes), tables 2-1/2-2/2-3.
 */
#include "cpu/decode.h"

#include <string.h>

#include "common/bits.h"
#include "cpu/cpu.h"
#include "cpu/decode_table.h"
#include "cpu/opcodes.h"

struct fetcher {
    const uint8_t *win; /* bytes readable without the callback */
    unsigned avail;     /* how many: never more than max_len */
    unsigned idx;
    unsigned max_len;
    decode_fetch_fn fn;
    void *ctx;
    int rc;
    enum decode_status status;
};

/* Longest prefix run Kiln follows on the 8086, which has no length limit:
 * a guest cannot make the decoder loop forever. */
#define DECODE_8086_MAX_LEN 64

static bool next_byte_slow(struct fetcher *f, uint8_t *out)
{
    if (f->idx >= f->max_len) {
        f->status = DEC_TOO_LONG;
        return false;
    }
    int rc = f->fn(f->ctx, f->idx, out);
    if (rc) {
        f->rc = rc;
        f->status = DEC_FETCH_FAULT;
        return false;
    }
    f->idx++;
    return true;
}

static inline bool next_byte(struct fetcher *f, uint8_t *out)
{
    if (KILN_LIKELY(f->idx < f->avail)) {
        *out = f->win[f->idx++];
        return true;
    }
    return next_byte_slow(f, out);
}

/* Read an n-byte little-endian value (n = 1, 2 or 4). */
static bool next_le(struct fetcher *f, int n, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++) {
        uint8_t b;
        if (!next_byte(f, &b))
            return false;
        v |= (uint32_t)b << (8 * i);
    }
    *out = v;
    return true;
}

/* 16-bit addressing forms (SDM table 2-1): base, index by rm. */
static const uint8_t ea16_base[8] = {R_EBX, R_EBX, R_EBP, R_EBP, INSN_NOREG, INSN_NOREG, R_EBP,
                                     R_EBX};
static const uint8_t ea16_index[8] = {R_ESI, R_EDI, R_ESI, R_EDI, R_ESI, R_EDI, INSN_NOREG,
                                      INSN_NOREG};

static bool decode_ea16(struct fetcher *f, struct insn *in)
{
    in->base = ea16_base[in->rm];
    in->index = ea16_index[in->rm];
    in->scale = 0;
    if (in->mod == 0 && in->rm == 6) {
        in->base = INSN_NOREG;
        uint32_t d;
        if (!next_le(f, 2, &d))
            return false;
        in->disp = sext(d, 2);
    } else if (in->mod == 1 || in->mod == 2) {
        uint32_t d;
        if (!next_le(f, in->mod == 1 ? 1 : 2, &d))
            return false;
        in->disp = sext(d, in->mod == 1 ? 1 : 2);
    }
    return true;
}

static bool decode_ea32(struct fetcher *f, struct insn *in)
{
    in->base = in->rm;
    in->index = INSN_NOREG;
    in->scale = 0;
    bool disp32 = in->mod == 2;
    if (in->rm == 4) {
        uint8_t sib;
        if (!next_byte(f, &sib))
            return false;
        in->scale = sib >> 6;
        in->index = (sib >> 3) & 7;
        if (in->index == R_ESP)
            in->index = INSN_NOREG;
        in->base = sib & 7;
        if (in->base == R_EBP && in->mod == 0) {
            in->base = INSN_NOREG;
            disp32 = true;
        }
    } else if (in->rm == 5 && in->mod == 0) {
        in->base = INSN_NOREG;
        disp32 = true;
    }
    uint32_t d;
    if (disp32) {
        if (!next_le(f, 4, &d))
            return false;
        in->disp = d;
    } else if (in->mod == 1) {
        if (!next_le(f, 1, &d))
            return false;
        in->disp = sext(d, 1);
    }
    return true;
}

static bool decode_imm(struct fetcher *f, struct insn *in, enum opc_imm kind)
{
    uint32_t v;
    switch (kind) {
    case IM_NONE: return true;
    case IM_B: return next_le(f, 1, &in->imm);
    case IM_W: return next_le(f, 2, &in->imm);
    case IM_Z: return next_le(f, in->opsize, &in->imm);
    case IM_JB:
        if (!next_le(f, 1, &v))
            return false;
        in->imm = sext(v, 1);
        return true;
    case IM_JZ:
        if (!next_le(f, in->opsize, &v))
            return false;
        in->imm = sext(v, in->opsize);
        return true;
    case IM_AP:
        return next_le(f, in->opsize, &in->imm) && next_le(f, 2, &in->imm2);
    case IM_O: return next_le(f, in->addrsize, &in->imm);
    case IM_WB: return next_le(f, 2, &in->imm) && next_le(f, 1, &in->imm2);
    }
    return true;
}

/* Apply one prefix byte; returns false when 'b' is not a prefix on 'gen'. */
static bool apply_prefix(enum cpu_gen gen, uint8_t b, struct insn *in, bool *p66, bool *p67)
{
    switch (b) {
    case 0x26: in->seg_ovr = SEG_ES; return true;
    case 0x2e: in->seg_ovr = SEG_CS; return true;
    case 0x36: in->seg_ovr = SEG_SS; return true;
    case 0x3e: in->seg_ovr = SEG_DS; return true;
    case 0xf0: in->lock = 1; return true;
    case 0xf2: in->rep = REP_NE; return true;
    case 0xf3: in->rep = REP_E; return true;
    case 0xf1: /* the 8086 and 286 treat F1 as another LOCK; the 386 made it INT1 */
        if (gen >= CPU_386)
            return false;
        in->lock = 1;
        return true;
    case 0x64:
    case 0x65:
        if (gen < CPU_386)
            return false;
        in->seg_ovr = b == 0x64 ? SEG_FS : SEG_GS;
        return true;
    case 0x66:
    case 0x67:
        if (gen < CPU_386)
            return false;
        *(b == 0x66 ? p66 : p67) = true;
        return true;
    }
    return false;
}

enum decode_status decode_insn(enum cpu_gen gen, int code_size, decode_fetch_fn fetch, void *ctx,
                               struct insn *out, int *fetch_rc)
{
    return decode_insn_window(gen, code_size, NULL, 0, fetch, ctx, out, fetch_rc);
}

enum decode_status decode_insn_window(enum cpu_gen gen, int code_size, const uint8_t *win,
                                      unsigned winlen, decode_fetch_fn fetch, void *ctx,
                                      struct insn *out, int *fetch_rc)
{
    const struct decode_table *t = decode_table_for(gen);
    const struct cpu_model_info *mi = cpu_model_get(gen);
    struct fetcher f = {.fn = fetch, .ctx = ctx, .max_len = mi->max_insn_len, .win = win};
    if (!f.max_len)
        f.max_len = DECODE_8086_MAX_LEN;
    f.avail = winlen < f.max_len ? winlen : f.max_len;
    struct insn *in = out;
    memset(in, 0, sizeof(*in));
    in->seg_ovr = SEG_NONE;
    in->base = in->index = INSN_NOREG;

    bool p66 = false, p67 = false;
    uint8_t b;
    for (;;) {
        if (!next_byte(&f, &b))
            goto stop;
        if (!apply_prefix(gen, b, in, &p66, &p67))
            break;
    }
    in->prefix_len = (uint8_t)(f.idx - 1);
    in->opsize_pfx = p66;
    in->opsize = (uint8_t)(p66 ? 6 - code_size : code_size);
    in->addrsize = (uint8_t)(p67 ? 6 - code_size : code_size);
    in->map = 0;
    if (b == 0x0f && t->escape_0f) {
        in->map = 1;
        if (!next_byte(&f, &b))
            goto stop;
    }
    in->opcode = b;

    uint16_t op = t->direct[in->map][b];
    if (t->has_modrm[in->map][b]) {
        uint8_t m;
        if (!next_byte(&f, &m))
            goto stop;
        in->has_modrm = 1;
        in->modrm = m;
        in->mod = m >> 6;
        in->reg = (m >> 3) & 7;
        in->rm = m & 7;
        op = t->cell[in->map][b][in->mod == 3][in->reg][in->rm];
        bool modreg = op && (opc_rows[op].flags & F_MODREG);
        if (in->mod != 3 && !modreg) {
            in->is_mem = 1;
            if (!(in->addrsize == 2 ? decode_ea16(&f, in) : decode_ea32(&f, in)))
                goto stop;
        }
    }
    in->op = op;
    if (in->is_mem) {
        bool ss_based = in->base == R_EBP || in->base == R_ESP;
        in->seg = in->seg_ovr != SEG_NONE ? in->seg_ovr : ss_based ? SEG_SS : SEG_DS;
    } else {
        in->seg = in->seg_ovr != SEG_NONE ? in->seg_ovr : SEG_DS;
    }
    if (op == OP_INVALID) {
        in->len = (uint8_t)f.idx;
        return mi->has_ud ? DEC_UD : DEC_OK;
    }
    if (!decode_imm(&f, in, opc_rows[op].imm))
        goto stop;
    in->len = (uint8_t)f.idx;
    /* 386 and later: LOCK only with a lockable instruction writing memory (SDM Vol. 2A, LOCK). */
    if (in->lock && gen >= CPU_386 && (!(opc_rows[op].flags & F_LOCK) || !in->is_mem))
        return DEC_UD;
    return DEC_OK;

stop:
    in->len = (uint8_t)f.idx;
    if (f.status == DEC_FETCH_FAULT && fetch_rc)
        *fetch_rc = f.rc;
    return f.status;
}

struct buffer_ctx {
    const uint8_t *buf;
    size_t len;
};

static int buffer_fetch(void *ctx, unsigned index, uint8_t *out)
{
    const struct buffer_ctx *b = ctx;
    if (index >= b->len)
        return CPU_FAULT;
    *out = b->buf[index];
    return 0;
}

enum decode_status decode_buffer(enum cpu_gen gen, int code_size, const uint8_t *buf, size_t len,
                                 struct insn *out)
{
    /* The buffer is the window; the callback only reports running past its end. */
    struct buffer_ctx b = {buf, len};
    int rc = 0;
    unsigned win = len > 16 ? 16 : (unsigned)len;
    return decode_insn_window(gen, code_size, buf, win, buffer_fetch, &b, out, &rc);
}

const char *insn_mnemonic(const struct insn *in)
{
    const struct opc_row *row = &opc_rows[in->op];
    int size = row->flags & F_MN_ASIZE ? in->addrsize : in->opsize;
    return decode_table_mnemonic(in->op, size == 4);
}
