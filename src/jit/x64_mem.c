/* SPDX-License-Identifier: MIT */
/*
 * Lowering of guest memory accesses (the IR's LIN, LOAD and STORE): the
 * segment-limit check of a linear address, the inline lookup of the shadow
 * page table (tlb.h) on every load and store, and the miss paths placed
 * after the block's body that call jit_slow_load/jit_slow_store. Part of
 * the backend (x64_lower.h); knows nothing of exits or flags.
 */
#include "jit/x64_lower.h"

#include <stddef.h>

#include "jit/helpers.h"

_Static_assert(sizeof(struct tlb_entry) == 32, "the inline TLB lookup scales by 32");

/* Leaves the TLB entry's addend in RDX and the linear address, zero-
 * extended, in RCX (the access is then at [RDX + RCX]), or branches (a
 * rel32 field in slow_field) to the miss path. The tag is compared with
 * the page of the access's last byte: an access that crosses a page can
 * never match the entry of its first byte's page, so one compare checks
 * both. An entry without a host page carries TLB_MMIO in its tags and a
 * page holding translated code TLB_CODE in its write tag: both miss. */
static void tlb_fast_path(struct lower *l, int lin, int size, bool write, size_t *slow_field)
{
    struct x64_buf *b = l->b;
    bool user = l->blk->key.mode & KEY_USER;
    int32_t tlb = CPU_OFF(tlb.e) + (user ? (int32_t)sizeof(((struct tlb *)0)->e[0]) : 0);
    int32_t tag = write ? (int32_t)offsetof(struct tlb_entry, tag_write)
                        : (int32_t)offsetof(struct tlb_entry, tag_read);
    int32_t addend = (int32_t)offsetof(struct tlb_entry, addend);
    if (size > 1)
        x64_lea(b, X64_S32, X64_RAX, x64_mem_base(R(lin), size - 1));
    else
        x64_mov_rr(b, X64_S32, X64_RAX, R(lin));
    x64_alu_ri(b, X64_AND, X64_S32, X64_RAX, (int32_t)0xfffff000u);
    /* RCX = the entry's offset in the table: index * 32 */
    x64_mov_rr(b, X64_S32, X64_RCX, R(lin));
    x64_shift_ri(b, X64_SHR, X64_S32, X64_RCX, 12 - 5);
    x64_alu_ri(b, X64_AND, X64_S32, X64_RCX, (TLB_ENTRIES - 1) << 5);
    x64_alu_rm(b, X64_CMP, X64_S32, X64_RAX, x64_mem_sib(X64_RBP, X64_RCX, 1, tlb + tag));
    *slow_field = x64_jcc_rel32(b, X64_CC_NE, 0);
    x64_mov_rm(b, X64_S64, X64_RDX, x64_mem_sib(X64_RBP, X64_RCX, 1, tlb + addend));
    x64_mov_rr(b, X64_S32, X64_RCX, R(lin));
}

/* Note the miss path of the access just emitted; x64_slow_paths places it. */
static void defer_slow(struct lower *l, const struct ir_op *o, size_t field)
{
    if (l->nslow >= MAX_SLOW) {
        l->b->err = X64_ERR_LABELS;
        return;
    }
    struct slow_path *s = &l->slow[l->nslow++];
    s->field = field;
    s->op = o;
    s->back = l->b->pos;
    s->insn = l->cur;
}

/* The call of jit_slow_load/jit_slow_store for a miss: a fault bails. */
static void slow_call(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    bool store = o->op == IR_STORE;
    x64_mov_rr(b, X64_S64, X64_RDI, X64_RBP);
    x64_mov_rr(b, X64_S32, X64_RSI, R(o->a));
    x64_mov_ri(b, X64_S32, X64_RDX, o->size);
    if (store) {
        x64_mov_rr(b, X64_S32, X64_RCX, R(o->b));
        call(l, (const void *)jit_slow_store);
        x64_test_rr(b, X64_S32, X64_RAX, X64_RAX);
        bail_if(l, X64_CC_NE);
    } else {
        call(l, (const void *)jit_slow_load);
        x64_test_rr(b, X64_S64, X64_RAX, X64_RAX);
        bail_if(l, X64_CC_S);
        mov_to_temp(l, o->d, X64_RAX);
    }
}

void x64_lower_load(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    size_t slow;
    tlb_fast_path(l, o->a, o->size, false, &slow);
    struct x64_mem m = x64_mem_sib(X64_RDX, X64_RCX, 1, 0);
    if (o->size == 4)
        x64_mov_rm(b, X64_S32, R(o->d), m);
    else
        x64_movzx_rm(b, X64_S32, R(o->d), (enum x64_size)o->size, m);
    defer_slow(l, o, slow);
}

void x64_lower_store(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    if (jit_verify_stores) { /* every store through the helper, which logs it */
        slow_call(l, o);
        return;
    }
    size_t slow;
    tlb_fast_path(l, o->a, o->size, true, &slow);
    x64_mov_mr(b, (enum x64_size)o->size, x64_mem_sib(X64_RDX, X64_RCX, 1, 0), R(o->b));
    defer_slow(l, o, slow);
}

/* After the body: each access's miss path, jumping back behind its fast path. */
void x64_slow_paths(struct lower *l)
{
    struct x64_buf *b = l->b;
    for (int i = 0; i < l->nslow; i++) {
        const struct slow_path *s = &l->slow[i];
        patch_here(l, s->field);
        l->cur = s->insn;
        slow_call(l, s->op);
        size_t back = x64_jmp_rel32(b, 0);
        x64_patch_rel(b, back, X64_REL32, s->back);
    }
}

void x64_lower_lin(struct lower *l, const struct ir_op *o)
{
    struct x64_buf *b = l->b;
    x64_mov_rr(b, X64_S32, X64_RAX, R(o->a));
    x64_alu_ri(b, X64_ADD, X64_S64, X64_RAX, (int32_t)o->imm2 - 1);
    x64_mov_rm(b, X64_S32, X64_RCX, cpu_mem(SEG_OFF(o->aux, limit)));
    x64_alu_rr(b, X64_CMP, X64_S64, X64_RAX, X64_RCX);
    bail_if(l, X64_CC_A);
    x64_mov_rr(b, X64_S32, X64_RAX, R(o->a));
    x64_alu_rm(b, X64_ADD, X64_S32, X64_RAX, cpu_mem(SEG_OFF(o->aux, base)));
    mov_to_temp(l, o->d, X64_RAX);
}
