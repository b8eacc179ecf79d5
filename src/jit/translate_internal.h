/* SPDX-License-Identifier: MIT */
/*
 * The translator's internal interface, shared by translate.c (the block
 * loop and the key), translate_prims.c (IR building blocks: temporaries,
 * registers, addresses, memory, flags, the stack) and translate_insn.c
 * (which instructions are inline, and how). Nothing outside those files
 * includes it.
 */
#ifndef KILN_JIT_TRANSLATE_INTERNAL_H
#define KILN_JIT_TRANSLATE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "cpu/insn.h"
#include "jit/block.h"
#include "jit/ir.h"

/* Per-instruction translation state. */
struct tr {
    struct ir_block *ir;
    const struct jit_key *key;
    const struct insn *in;
    uint32_t eip, next_eip;
    unsigned used;  /* temporaries in use in this instruction (bit mask) */
    int failed;     /* this instruction cannot be inline */
    uint32_t known_flags; /* (lazy op << 8 | size) last recorded in this block, or 0 */
    bool ends;      /* the instruction ends the block */
    unsigned model_shift_mask;
};

/* The name of each op's interpreter handler ("alu_Ev_Gv", "jcc", ...). */
extern const char *const jit_handler_names[OP_COUNT];

/* Translate one instruction inline; t->failed when it cannot be. */
void inline_insn(struct tr *t);

/* ---- translate_prims.c ---- */
int tr_temp(struct tr *t);
void tr_release(struct tr *t, int x);
int tr_emit(struct tr *t, enum ir_opcode op, int size, int d, int a, int b, int aux,
                uint32_t imm, uint32_t imm2);
int tr_konst(struct tr *t, uint32_t v);
int tr_getr(struct tr *t, int reg, int size);
void tr_setr(struct tr *t, int reg, int size, int a);
bool tr_seg_ok(const struct tr *t, int seg, bool write);
int tr_linear(struct tr *t, int seg, int off, int size, bool write);
int tr_ea(struct tr *t);
int tr_mem_lin(struct tr *t, int size, bool write);
int tr_load(struct tr *t, int lin, int size);
void tr_store(struct tr *t, int lin, int size, int val);
int tr_rm_read(struct tr *t, int size, int *lin, bool will_write);
void tr_rm_write(struct tr *t, int size, int lin, int val);
void tr_test(struct tr *t, int size, int v, int s);
void tr_rm_store(struct tr *t, int size, int val);
int tr_stack_size(const struct tr *t);
void tr_lazy(struct tr *t, enum lf_op op, int size, int dst, int src, int res);
void tr_alu(struct tr *t, int kind, int size, int dst, int src, int *res);
void tr_alu_flags(struct tr *t, int kind, int size, int dst, int src, int res);
void tr_incdec(struct tr *t, bool dec, int size, int reg);
void tr_alu_rm(struct tr *t, int kind, int size, int src_temp);
void tr_alu_reg(struct tr *t, int kind, int size, int reg, int src_temp);
void tr_shift(struct tr *t, int size, int count);
void tr_imul(struct tr *t, int size, int v, int src);
void tr_push(struct tr *t, int size, int val);
int tr_pop_load(struct tr *t, int size, int *nsp);
uint32_t tr_jump_target(const struct tr *t);
bool tr_target_ok(const struct tr *t, uint32_t target);
void tr_cond(struct tr *t, int cc, int *d);

#endif
