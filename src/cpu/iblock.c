/* SPDX-License-Identifier: MIT */
/*
 * The interpreter's pre-decoded runs (see iblock.h).
 */
#include "cpu/iblock.h"

#include "cpu/decode.h"
#include "cpu/mem.h"

/* Bytes past the window are not fetched: the instruction ends the run. */
static int no_fetch(void *ctx, unsigned index, uint8_t *out)
{
    (void)ctx;
    (void)index;
    (void)out;
    return CPU_FAULT;
}

static unsigned slot(uint32_t lin)
{
    return (lin * 0x9e3779b1u) >> (32 - 12) & (IBLOCK_ENTRIES - 1);
}

_Static_assert(IBLOCK_ENTRIES <= 1u << 12, "slot() hashes to 12 bits");

/* Decode the run at 'lin' from 'code', of which 'avail' bytes lie in the
 * page and the CS limit, into 'b'. */
static void build(struct cpu *c, struct iblock *b, uint32_t lin, const uint8_t *code,
                  unsigned avail, int code_size, const uint8_t *op_class)
{
    b->lin = lin;
    b->epoch = c->icache_epoch;
    b->key = (uint8_t)code_size;
    b->n = 0;
    b->nbytes = 0;
    unsigned pos = 0;
    while (b->n < IBLOCK_INSNS && pos < avail) {
        unsigned win = avail - pos < 16 ? avail - pos : 16;
        struct insn in;
        int rc = 0;
        if (decode_insn_window(c->model->gen, code_size, code + pos, win, no_fetch, NULL, &in,
                               &rc) != DEC_OK ||
            pos + in.len > IBLOCK_BYTES)
            break;
        uint8_t cls = op_class[in.op];
        if (!(cls & IBLOCK_OP_FAST)) {
            if (b->n == 0) {
                /* Remembered as refused, so the next visit decodes nothing. */
                memcpy(b->bytes, code, in.len);
                b->nbytes = in.len;
            }
            break;
        }
        bool reg_only = (cls & IBLOCK_OP_REG_SAFE) && !in.is_mem;
        b->kind[b->n] = (uint8_t)((reg_only ? IBLOCK_NO_UNDO : 0) |
                                  (reg_only || (cls & IBLOCK_OP_NO_STORE) ? 0 : IBLOCK_STORES));
        b->insn[b->n++] = in;
        memcpy(b->bytes + pos, code + pos, in.len);
        pos += in.len;
        b->nbytes = (uint8_t)pos;
        /* A REP string instruction may run again from its start. */
        if ((cls & IBLOCK_OP_ENDS) || in.rep)
            break;
    }
    if (!b->nbytes)
        b->key = 0; /* nothing decodable here: no entry */
}

const struct iblock *iblock_at(struct cpu *c, const uint8_t *op_class, const uint8_t **host)
{
    unsigned win_len;
    const uint8_t *code = mem_fetch_window(c, c->eip, &win_len);
    if (!code)
        return NULL;
    const struct seg_cache *cs = &c->seg[SEG_CS];
    uint32_t lin = cs->base + c->eip;
    int code_size = cpu_code_size(c);
    /* Bytes from EIP within the page, the CS limit and (16-bit code) 64 KiB. */
    uint64_t in_seg = (uint64_t)cs->limit - c->eip + 1;
    if (code_size == 2 && 0x10000 - (uint64_t)c->eip < in_seg)
        in_seg = 0x10000 - (uint64_t)c->eip;
    uint32_t in_page = 0x1000 - (lin & 0xfff);
    unsigned avail = (unsigned)(in_seg < in_page ? in_seg : in_page);
    struct iblock *b = &c->iblock[slot(lin)];
    if (b->lin != lin || b->epoch != c->icache_epoch || b->key != code_size ||
        b->nbytes > avail || !iblock_intact(b, code, 0))
        build(c, b, lin, code, avail, code_size, op_class);
    *host = code;
    return b->n ? b : NULL;
}
