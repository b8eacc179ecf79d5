/* SPDX-License-Identifier: MIT */
/*
 * Compares Kiln's decoding of one byte string with Capstone's: validity,
 * length, mnemonic, then the ModRM memory operand (base, index, scale,
 * displacement, segment override, address size) and the immediates, each
 * brought to the width the encoding gives it. Reads Kiln's tables
 * (opc_rows) only to know which immediates a form carries. No state.
 * Spec: Intel SDM Vol. 2A 2.1 (format), 2.1.5 (ModRM/SIB), LOCK prefix page.
 */
#include "diff_check.h"

#include <stdio.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/opcodes.h"

static const char *const class_names[DIFF_CLASS_COUNT] = {
    [DIFF_NONE] = "agree",        [DIFF_LATER_EXT] = "later-ext", [DIFF_CS_INVALID] = "cs-invalid",
    [DIFF_KILN_UD] = "kiln-ud",   [DIFF_LOCK_UD] = "lock-ud",     [DIFF_LENGTH] = "length",
    [DIFF_MNEMONIC] = "mnemonic", [DIFF_OPERAND] = "operand",     [DIFF_TARGET16] = "target16",
};

const char *diff_class_name(enum diff_class c)
{
    return c < DIFF_CLASS_COUNT ? class_names[c] : "?";
}

enum diff_class diff_class_from_name(const char *name)
{
    for (int c = 0; c < DIFF_CLASS_COUNT; c++)
        if (!strcmp(class_names[c], name)) return (enum diff_class)c;
    return DIFF_CLASS_COUNT;
}

void diff_kiln_decode(int code_size, const uint8_t *buf, size_t len, struct diff_kiln *out)
{
    out->status = decode_buffer(CPU_PENTIUM2, code_size, buf, len, &out->insn);
    switch (out->status) {
    case DEC_OK: out->mnem = insn_mnemonic(&out->insn); break;
    case DEC_TOO_LONG: out->mnem = "#GP-too-long"; break;
    case DEC_FETCH_FAULT: out->mnem = "#fetch"; break;
    default: out->mnem = "#UD"; break;
    }
}

static bool is_prefix(uint8_t b)
{
    return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 ||
           b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3;
}

static uint32_t mask_bytes(uint32_t v, unsigned bytes)
{
    return bytes >= 4 ? v : v & ((1u << (8 * bytes)) - 1);
}

/* Kiln's immediates in Intel operand order, each with its encoded width. */
static unsigned kiln_imms(int code_size, const struct insn *in, uint32_t val[2], unsigned width[2])
{
    switch ((enum opc_imm)opc_rows[in->op].imm) {
    case IM_B:
        val[0] = in->imm;
        width[0] = 1;
        return 1;
    case IM_W:
        val[0] = in->imm;
        width[0] = 2;
        return 1;
    case IM_Z:
        val[0] = in->imm;
        width[0] = in->opsize;
        return 1;
    case IM_JB:
    case IM_JZ:
        /* Capstone shows the target of a branch placed at address 0, cut to
         * 16 bits when either the mode or the operand size is 16-bit. */
        val[0] = in->len + in->imm;
        width[0] = in->opsize == 2 || code_size == 2 ? 2 : 4;
        return 1;
    case IM_AP: /* Intel order: selector, then offset */
        val[0] = in->imm2;
        width[0] = 2;
        val[1] = in->imm;
        width[1] = in->opsize;
        return 2;
    case IM_WB:
        val[0] = in->imm;
        width[0] = 2;
        val[1] = in->imm2;
        width[1] = 1;
        return 2;
    case IM_O:
    case IM_NONE: return 0;
    }
    return 0;
}

static bool check_mem(const struct insn *in, const struct ref_insn *r, char *d, size_t n)
{
    const struct ref_mem *m = &r->mem;
    if (!m->present) {
        snprintf(d, n, "Kiln has a memory operand, Capstone none");
        return false;
    }
    if (r->addr_size != in->addrsize) {
        snprintf(d, n, "address size %u vs %u", in->addrsize, r->addr_size);
        return false;
    }
    if (m->odd_reg || (m->reg_size && m->reg_size != in->addrsize)) {
        snprintf(d, n, "Capstone address register not of address size %u", in->addrsize);
        return false;
    }
    uint8_t kbase = in->base, kindex = in->index, rbase = m->base, rindex = m->index;
    /* 16-bit [si]/[di] (SDM table 2-1): Kiln files SI/DI as index, Capstone as
     * base. A lone register is compared as the base on both sides. */
    if (in->addrsize == 2 && kbase == INSN_NOREG) {
        kbase = kindex;
        kindex = INSN_NOREG;
    }
    if (in->addrsize == 2 && rbase == REF_NOREG) {
        rbase = rindex;
        rindex = REF_NOREG;
    }
    bool scaled = in->addrsize == 4 && kindex != INSN_NOREG;
    uint32_t kdisp = mask_bytes(in->disp, in->addrsize), rdisp = mask_bytes(m->disp, in->addrsize);
    if (kbase != rbase || kindex != rindex || (scaled && in->scale != m->scale) || kdisp != rdisp) {
        snprintf(d, n, "memory base/index/scale/disp %02x/%02x/%u/%#x vs %02x/%02x/%u/%#x", kbase,
                 kindex, in->scale, kdisp, rbase, rindex, m->scale, rdisp);
        return false;
    }
    if (in->seg_ovr != m->seg) {
        snprintf(d, n, "segment override %u vs %u", in->seg_ovr, m->seg);
        return false;
    }
    return true;
}

/* The moffs forms (A0-A3) carry their address as an immediate in Kiln. */
static bool check_moffs(const struct insn *in, const struct ref_insn *r, char *d, size_t n)
{
    if (!r->mem.present || r->mem.base != REF_NOREG || r->mem.index != REF_NOREG ||
        mask_bytes(r->mem.disp, in->addrsize) != in->imm || r->mem.seg != in->seg_ovr) {
        snprintf(d, n, "moffs %#x seg %u vs Capstone disp %#x seg %u", in->imm, in->seg_ovr,
                 r->mem.disp, r->mem.seg);
        return false;
    }
    return true;
}

/* The immediates agree; or (DIFF_TARGET16) a 32-bit branch target agrees
 * with Capstone's in its low 16 bits only. */
static enum diff_class check_imms(int code_size, const struct insn *in, const struct ref_insn *r,
                                  char *d, size_t n)
{
    uint32_t val[2];
    unsigned width[2];
    unsigned cnt = kiln_imms(code_size, in, val, width);
    if (!cnt) return DIFF_NONE; /* Capstone's implicit ones (shift by 1) have no encoding */
    if (r->n_imm != cnt) {
        snprintf(d, n, "%u immediates vs %u", cnt, r->n_imm);
        return DIFF_OPERAND;
    }
    for (unsigned i = 0; i < cnt; i++) {
        uint32_t kv = mask_bytes(val[i], width[i]), rv = mask_bytes(r->imm[i], width[i]);
        if (kv == rv) continue;
        snprintf(d, n, "immediate %u: %#x vs %#x", i, kv, rv);
        enum opc_imm kind = (enum opc_imm)opc_rows[in->op].imm;
        bool branch = kind == IM_JB || kind == IM_JZ;
        return branch && (uint16_t)kv == (uint16_t)rv ? DIFF_TARGET16 : DIFF_OPERAND;
    }
    return DIFF_NONE;
}

/* The instructions the LOCK prefix may precede (SDM Vol. 2A, LOCK). */
static const char *const lockable[] = {"add",     "adc",       "and", "btc", "btr",  "bts",
                                       "cmpxchg", "cmpxchg8b", "dec", "inc", "neg",  "not",
                                       "or",      "sbb",       "sub", "xor", "xadd", "xchg"};

/*
 * Kiln raised #UD on bytes that carry LOCK. The SDM (Vol. 2A, LOCK) makes
 * that #UD unless the instruction is one of 'lockable' and its destination
 * is memory; this is judged from Capstone's decoding alone.
 */
static bool lock_makes_ud(const uint8_t *buf, size_t len, const struct ref_insn *r)
{
    bool lock = false;
    for (size_t i = 0; i < len && is_prefix(buf[i]); i++)
        lock |= buf[i] == 0xf0;
    if (!lock) return false;
    if (!r->mem_dest) return true;
    for (size_t i = 0; i < sizeof(lockable) / sizeof(lockable[0]); i++)
        if (!strcmp(lockable[i], r->mnem)) return false;
    return true;
}

enum diff_class diff_compare(int code_size, const uint8_t *buf, size_t len,
                             const struct diff_kiln *k, const struct ref_insn *r, char *detail,
                             size_t detail_size)
{
    detail[0] = 0;
    bool kiln_ok = k->status == DEC_OK;
    if (!r->valid) return kiln_ok ? DIFF_CS_INVALID : DIFF_NONE;
    if (r->ext) {
        if (!kiln_ok) return DIFF_NONE;
        snprintf(detail, detail_size, "Capstone files it under %s", r->ext);
        return DIFF_LATER_EXT;
    }
    if (!kiln_ok) return lock_makes_ud(buf, len, r) ? DIFF_LOCK_UD : DIFF_KILN_UD;
    const struct insn *in = &k->insn;
    if (in->len != r->len) {
        snprintf(detail, detail_size, "length %u vs %u", in->len, r->len);
        return DIFF_LENGTH;
    }
    if (strcmp(k->mnem, r->mnem)) return DIFF_MNEMONIC;
    if (in->is_mem && !check_mem(in, r, detail, detail_size)) return DIFF_OPERAND;
    if (opc_rows[in->op].imm == IM_O && !check_moffs(in, r, detail, detail_size))
        return DIFF_OPERAND;
    return check_imms(code_size, in, r, detail, detail_size);
}
