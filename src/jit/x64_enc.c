/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 encoding core: the code buffer's state and errors, and the one
 * function that lays out an instruction as [66] [REX] opcode [ModRM [SIB]
 * [disp]] [imm]. Owns the REX, ModRM, SIB and displacement rules; opcode
 * choice belongs to the x64_emit_*.c files. Follows Intel SDM Vol. 2, 2.1
 * (instruction format, tables 2-2 and 2-3) and 2.2.1 (REX, RIP-relative
 * addressing, the SPL-DIL / AH-BH rule), and AMD64 APM Vol. 3, 1.2-1.8.
 */
#include "jit/x64_enc.h"

#include <string.h>

void x64_buf_init(struct x64_buf *b, void *code, size_t cap, uint64_t run_base)
{
    b->code = code;
    b->cap = code ? cap : 0;
    b->pos = 0;
    b->run_base = run_base;
    b->err = X64_OK;
    b->nlabels = 0;
    b->nfixups = 0;
}

enum x64_error x64_buf_error(const struct x64_buf *b)
{
    return b->err;
}

enum x64_error x64_buf_finish(struct x64_buf *b)
{
    /* Bound labels remove their fixups, so any left aim at unbound labels. */
    if (b->nfixups) x64_fail(b, X64_ERR_LABELS);
    return b->err;
}

uint64_t x64_here(const struct x64_buf *b)
{
    return b->run_base + b->pos;
}

const char *x64_error_name(enum x64_error err)
{
    switch (err) {
    case X64_OK: return "ok";
    case X64_ERR_FULL: return "code buffer full";
    case X64_ERR_OPERAND: return "no such encoding";
    case X64_ERR_RANGE: return "target out of reach";
    case X64_ERR_LABELS: return "label error";
    }
    return "unknown error";
}

void x64_fail(struct x64_buf *b, enum x64_error err)
{
    if (b->err == X64_OK) b->err = err;
}

void x64_bytes(struct x64_buf *b, const void *bytes, size_t n)
{
    if (b->err) return;
    if (b->cap - b->pos < n) {
        x64_fail(b, X64_ERR_FULL);
        return;
    }
    memcpy(b->code + b->pos, bytes, n);
    b->pos += n;
}

bool x64_enc_start(struct x64_buf *b, struct x64_enc *e, enum x64_size size, unsigned sizes)
{
    *e = (struct x64_enc){0};
    if (b->err) return false;
    if ((size != 1 && size != 2 && size != 4 && size != 8) || !((unsigned)size & sizes)) {
        x64_fail(b, X64_ERR_OPERAND);
        return false;
    }
    e->p66 = size == 2;
    e->rexw = size == 8;
    return true;
}

bool x64_imm_check(struct x64_buf *b, int64_t imm, enum x64_size size)
{
    bool ok;
    switch (size) {
    case 1: ok = imm >= INT8_MIN && imm <= UINT8_MAX; break;
    case 2: ok = imm >= INT16_MIN && imm <= UINT16_MAX; break;
    case 4: ok = imm >= INT32_MIN && imm <= (int64_t)UINT32_MAX; break;
    default: ok = x64_fits32(imm); break;
    }
    if (!ok) x64_fail(b, X64_ERR_OPERAND);
    return ok;
}

/* REX bookkeeping for one instruction. */
struct rex_state {
    uint8_t bits;   /* W R X B */
    bool needed;    /* SPL, BPL, SIL or DIL is used */
    bool forbidden; /* AH, CH, DH or BH is used */
};

/* Account for register 'r' in a field whose REX extension is 'ext'; false
 * when 'r' is no register there. */
static bool use_reg(struct rex_state *rs, uint8_t r, bool byte, uint8_t ext)
{
    if (r < 16) {
        if (r >= 8) rs->bits |= ext;
        /* Without REX, byte registers 4-7 are AH-BH; with any REX they
         * are SPL-DIL (SDM Vol. 2, 2.2.1.2, table 3-1). */
        if (byte && r >= 4 && r < 8) rs->needed = true;
        return true;
    }
    if (byte && r >= X64_AH && r <= X64_BH) {
        rs->forbidden = true;
        return true;
    }
    return false;
}

static int scale_bits(int scale)
{
    switch (scale) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    }
    return -1;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Write ModRM, SIB and displacement of memory operand 'm' with ModRM.reg
 * 'reg' at out[*n]; return false when 'm' has no encoding. */
static bool put_mem(uint8_t *out, int *n, uint8_t reg, const struct x64_mem *m)
{
    uint8_t r = (uint8_t)((reg & 7) << 3);
    if (m->kind == X64_MEM_RIP || m->kind == X64_MEM_RIP_TO) {
        /* mod 00 r/m 101 is RIP-relative in 64-bit mode. */
        out[(*n)++] = r | 5;
        put32(out + *n, (uint32_t)m->disp);
        *n += 4;
        return true;
    }
    int ss = scale_bits(m->scale);
    bool has_index = m->index != X64_NOREG;
    if (m->kind != X64_MEM_SIB || ss < 0 || (has_index && (m->index >= 16 || m->index == X64_RSP)))
        return false;
    uint8_t idx = has_index ? (uint8_t)(m->index & 7) : 4; /* index 100: none */
    if (!has_index) ss = 0;
    if (m->base == X64_NOREG) {
        /* mod 00 with SIB base 101: no base, disp32. Plain [disp32] also
         * needs a SIB, since r/m 101 alone means RIP-relative. */
        out[(*n)++] = r | 4;
        out[(*n)++] = (uint8_t)(ss << 6 | idx << 3 | 5);
        put32(out + *n, (uint32_t)m->disp);
        *n += 4;
        return true;
    }
    if (m->base >= 16) return false;
    uint8_t base = m->base & 7;
    int mod;
    /* Base 101 (RBP, R13) with mod 00 means "no base", so it always
     * carries a displacement, if only a zero disp8. */
    if (m->disp == 0 && base != 5)
        mod = 0;
    else if (x64_fits8(m->disp))
        mod = 1;
    else
        mod = 2;
    if (has_index || base == 4) {
        /* r/m 100 (RSP, R12) means "a SIB follows". */
        out[(*n)++] = (uint8_t)(mod << 6 | r | 4);
        out[(*n)++] = (uint8_t)(ss << 6 | idx << 3 | base);
    } else {
        out[(*n)++] = (uint8_t)(mod << 6 | r | base);
    }
    if (mod == 1) {
        out[(*n)++] = (uint8_t)m->disp;
    } else if (mod == 2) {
        put32(out + *n, (uint32_t)m->disp);
        *n += 4;
    }
    return true;
}

/* Collect the REX bits and constraints of 'e'; false when an operand is invalid. */
static bool rex_of(const struct x64_enc *e, struct rex_state *rs)
{
    *rs = (struct rex_state){.bits = e->rexw ? 8 : 0};
    if (e->modrm && e->reg_is_reg && !use_reg(rs, e->reg, e->reg8, 4)) return false;
    if (e->modrm && !e->reg_is_reg && e->reg > 7) return false;
    if (e->plus_r || (e->modrm && !e->rm_mem)) return use_reg(rs, e->rm, e->rm8, 1);
    if (e->modrm && e->mem.kind == X64_MEM_SIB) {
        if (e->mem.base != X64_NOREG && e->mem.base >= 8 && e->mem.base < 16) rs->bits |= 1;
        if (e->mem.index != X64_NOREG && e->mem.index >= 8 && e->mem.index < 16) rs->bits |= 2;
    }
    return true;
}

void x64_enc_emit(struct x64_buf *b, const struct x64_enc *e)
{
    if (b->err) return;
    struct rex_state rs;
    if (!rex_of(e, &rs) || ((rs.bits || rs.needed) && rs.forbidden)) {
        x64_fail(b, X64_ERR_OPERAND);
        return;
    }
    uint8_t out[X64_MAX_INSN + 8];
    int n = 0, disp_at = -1;
    if (e->p66) out[n++] = 0x66;
    if (rs.bits || rs.needed) out[n++] = (uint8_t)(0x40 | rs.bits);
    for (int i = 0; i < e->nopc; i++)
        out[n++] = e->opc[i];
    if (e->plus_r) out[n - 1] = (uint8_t)(out[n - 1] + (e->rm & 7));
    if (e->modrm && e->rm_mem) {
        if (e->mem.kind == X64_MEM_RIP_TO) disp_at = n + 1;
        if (!put_mem(out, &n, e->reg, &e->mem)) {
            x64_fail(b, X64_ERR_OPERAND);
            return;
        }
    } else if (e->modrm) {
        out[n++] = (uint8_t)(0xc0 | (e->reg & 7) << 3 | (e->rm & 7));
    }
    for (int i = 0; i < e->imm_len; i++)
        out[n++] = (uint8_t)(e->imm >> (8 * i));
    if (n > X64_MAX_INSN) {
        x64_fail(b, X64_ERR_OPERAND);
        return;
    }
    if (disp_at >= 0) {
        /* RIP-relative displacements count from the end of the instruction,
         * which is known only now that the immediate is placed. */
        uint64_t end = b->run_base + b->pos + (uint64_t)n;
        int64_t disp = (int64_t)(e->mem.target - end);
        if (!x64_fits32(disp)) {
            x64_fail(b, X64_ERR_RANGE);
            return;
        }
        put32(out + disp_at, (uint32_t)disp);
    }
    x64_bytes(b, out, (size_t)n);
}
