/* SPDX-License-Identifier: MIT */
/*
 * Guest instructions to IR (see translate.h): the block key, which
 * helper-run instructions may keep a block going, and the block loop that
 * decodes instructions and hands each to inline_insn() (translate_insn.c),
 * falling back to a HELPER op that runs the interpreter's own handler. An
 * inline instruction first reads (LIN, LOAD: may bail) and only then
 * writes guest state, so that leaving to the interpreter at any bail point
 * finds the state exactly as at the start of the instruction.
 */
#include "jit/translate.h"
#include "jit/translate_internal.h"

#include <string.h>

#include "common/bits.h"
#include "cpu/decode.h"
#include "cpu/mem.h"

/* ---- which helper-run instructions may keep the block going ---- */

const char *const jit_handler_names[OP_COUNT] = {
#define OP(id, mnem, map, opc, reg, rm, mod, imm, gen, flags, handler) [OP_##id] = #handler,
#include "cpu/opcodes.def"
#undef OP
};

/* Handlers that change neither the mode, the segment registers, IF/TF nor
 * EIP other than by falling through (a fault or a REP that stops early is
 * noticed at run time: the helper then leaves the block). */
static const char *const continuing[] = {
    "alu_Eb_Gb", "alu_Ev_Gv", "alu_Gb_Eb", "alu_Gv_Ev", "alu_AL_Ib", "alu_eAX_Iz", "alu_Eb_Ib",
    "alu_Ev_Ib", "alu_Ev_Iz", "test_Eb_Gb", "test_Ev_Gv", "test_AL_Ib", "test_eAX_Iz", "test_E_I",
    "not_E", "neg_E", "mul_E", "imul_E", "div_E", "idiv_E", "imul_Gv_Ev", "imul_Gv_Ev_Ib",
    "imul_Gv_Ev_Iz", "shift_Eb_1", "shift_Ev_1", "shift_Eb_CL", "shift_Ev_CL", "shift_Eb_Ib",
    "shift_Ev_Ib", "inc_Zv", "dec_Zv", "inc_E", "dec_E", "mov_Eb_Gb", "mov_Ev_Gv", "mov_Gb_Eb",
    "mov_Gv_Ev", "mov_Eb_Ib", "mov_Ev_Iz", "mov_Zb_Ib", "mov_Zv_Iz", "mov_AL_Ob", "mov_eAX_Ov",
    "mov_Ob_AL", "mov_Ov_eAX", "mov_Ew_Sw", "mov_Rd_Cd", "mov_Rd_Dd", "xchg_Eb_Gb", "xchg_Ev_Gv",
    "xchg_Zv_eAX", "push_Zv", "pop_Zv", "push_Ev", "pop_Ev", "push_Ib", "push_Iz", "push_Sw", "lea",
    "movzx_movsx", "bt_Ev_Gv", "bt_Ev_Ib", "bsf_bsr", "bswap", "shld_shrd", "cbw", "cwd", "lahf",
    "sahf", "clc", "stc", "cmc", "cld", "std", "salc", "setcc", "cmovcc", "cmpxchg", "cmpxchg8b",
    "xadd", "xlat", "nop", "daa", "das", "aaa", "aas", "aam", "aad", "movs", "stos", "lods", "cmps",
    "scas", "pusha", "popa", "enter", "leave", "bound", "cpuid", "rdtsc", "x87", "esc", "mmx",
    "wait", "pushf",
};

static bool helper_continues(int op)
{
    static int8_t table[OP_COUNT]; /* 0 unknown, 1 yes, -1 no */
    if (!table[op]) {
        table[op] = -1;
        for (size_t i = 0; i < sizeof(continuing) / sizeof(continuing[0]); i++)
            if (jit_handler_names[op] && !strcmp(jit_handler_names[op], continuing[i]))
                table[op] = 1;
    }
    return table[op] > 0;
}

/* ---- the key ---- */

uint32_t jit_mode_of(const struct cpu *c)
{
    bool pmode = cpu_pmode(c);
    uint32_t mode = (cpu_code_size(c) == 4 ? KEY_CODE32 : 0) |
                    (cpu_stack_size(c) == 4 ? KEY_STACK32 : 0) | (c->cpl == 3 ? KEY_USER : 0) |
                    (pmode ? KEY_PMODE : 0) | ((c->eflags & FL_VM) ? KEY_VM86 : 0);
    for (int s = 0; s < SEG_COUNT; s++) {
        const struct seg_cache *sc = &c->seg[s];
        bool rd = true, wr = true;
        if (pmode) {
            unsigned type = sc->attr & 0x1f; /* S bit and type */
            if (!(sc->attr & SEG_ATTR_P) || !(type & 0x10)) {
                rd = wr = false;
            } else if (type & 0x08) { /* code: readable or not, never writable */
                rd = type & 0x02;
                wr = false;
            } else if (type & 0x04) { /* expand-down: the interpreter's business */
                rd = wr = false;
            } else {
                wr = type & 0x02;
            }
        }
        if (rd)
            mode |= 1u << (KEY_READ_SHIFT + s);
        if (wr)
            mode |= 1u << (KEY_WRITE_SHIFT + s);
        if (rd && wr && sc->base == 0 && sc->limit == 0xffffffffu)
            mode |= 1u << (KEY_FLAT_SHIFT + s);
    }
    return mode;
}

struct jit_key jit_key_of(const struct cpu *c, uint32_t phys, uint32_t mode)
{
    return (struct jit_key){
        .phys = phys,
        .eip = c->eip,
        .cs_base = c->seg[SEG_CS].base,
        .cs_limit = c->seg[SEG_CS].limit,
        .mode = mode,
    };
}

int translate_block(const struct cpu *c, struct jit_block *blk, const uint8_t *code,
                    unsigned avail, int max_insns, struct ir_block *ir)
{
    struct tr t = {.ir = ir, .key = &blk->key, .model_shift_mask = c->model->shift_count_mask};
    int code_size = (blk->key.mode & KEY_CODE32) ? 4 : 2;
    uint32_t eip = blk->key.eip;
    unsigned off = 0;
    int n = 0;
    ir->n = 0;
    ir->overflow = 0;
    if (max_insns > JIT_MAX_INSNS)
        max_insns = JIT_MAX_INSNS;
    while (n < max_insns && off < avail) {
        struct insn *in = &blk->insn[n];
        /* Only whole instructions inside the window: a fetch past it (page
         * end, CS limit) is the interpreter's. */
        unsigned win = avail - off;
        if (eip > blk->key.cs_limit)
            break;
        if ((uint64_t)(blk->key.cs_limit - eip) + 1 < win)
            win = blk->key.cs_limit - eip + 1;
        enum decode_status ds = decode_buffer(c->model->gen, code_size, code + off, win, in);
        if (ds != DEC_OK || in->len > win)
            break;
        t.in = in;
        t.eip = eip;
        t.next_eip = eip + in->len;
        if (code_size == 2)
            t.next_eip &= 0xffff;
        t.used = 0;
        t.failed = 0;
        t.ends = false;
        int start = ir->n;
        uint32_t known_before = t.known_flags;
        tr_emit(&t, IR_INSN, 0, IR_NONE, IR_NONE, IR_NONE, 0, eip, (uint32_t)n);
        inline_insn(&t);
        if (t.failed) {
            ir->n = start;
            t.known_flags = known_before;
            tr_emit(&t, IR_INSN, 0, IR_NONE, IR_NONE, IR_NONE, 1, eip, (uint32_t)n);
            t.ends = !helper_continues(in->op);
            tr_emit(&t, IR_HELPER, 0, IR_NONE, IR_NONE, IR_NONE, t.ends, t.next_eip, (uint32_t)n);
            t.known_flags = 0;
        }
        if (ir->overflow) {
            ir->n = start;
            ir->overflow = 0;
            break;
        }
        n++;
        off += in->len;
        eip = t.next_eip;
        if (t.ends)
            break;
        if (code_size == 2 && eip < blk->key.eip)
            break; /* wrapped around the 64 KiB segment */
    }
    if (n == 0)
        return 0;
    const struct ir_op *last = &ir->op[ir->n - 1];
    bool helper_end = last->op == IR_HELPER;
    if (last->op != IR_EXIT && last->op != IR_EXITC && last->op != IR_EXITI)
        tr_emit(&t, helper_end ? IR_EXITI : IR_EXIT, 4, IR_NONE, IR_NONE, IR_NONE, 0, eip, 0);
    blk->ninsn = (uint16_t)n;
    blk->nbytes = (uint16_t)off;
    return n;
}
