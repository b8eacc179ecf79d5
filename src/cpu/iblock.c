/* SPDX-License-Identifier: MIT */
/*
 * The interpreter's pre-decoded runs (see iblock.h).
 */
#include "cpu/iblock.h"

#include <string.h>

#include "cpu/decode.h"

bool iblock_intact(const struct iblock *b, const uint8_t *host, unsigned from)
{
    return iblock_intact_inline(b, host, from);
}

/* Bytes past the window are not fetched: the instruction ends the run. */
static int no_fetch(void *ctx, unsigned index, uint8_t *out)
{
    (void)ctx;
    (void)index;
    (void)out;
    return CPU_FAULT;
}

const struct iblock *iblock_build(struct cpu *c, uint32_t lin, const uint8_t *code,
                                  unsigned room, int code_size, const uint8_t *op_class,
                                  op_handler_fn (*pick)(const struct insn *in))
{
    struct iblock *b = iblock_slot(c, lin);
    b->lin = lin;
    b->epoch = c->icache_epoch;
    b->key = (uint8_t)code_size;
    b->n = 0;
    b->nbytes = 0;
    unsigned pos = 0;
    while (b->n < IBLOCK_INSNS && pos < room) {
        unsigned win = room - pos < 16 ? room - pos : 16;
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
        bool safe = reg_only || (cls & IBLOCK_OP_MEM_SAFE);
        b->kind[b->n] = safe ? IBLOCK_NO_UNDO : 0;
        b->fn[b->n] = pick(&in);
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
    return b->n ? b : NULL;
}
