/* SPDX-License-Identifier: MIT */
/*
 * kiln-jitfuzz generator internals shared by the generator core
 * (jit_fuzz_gen.c: memory operands, prefixes, streams, layout) and the * instruction templates
 * (jit_fuzz_forms*.c, jit_fuzz_table.c). Encodings follow Intel SDM Vol. 2 ch. 2 (prefixes, ModRM,
 * SIB) and appendix A (opcode maps).
 */
#ifndef KILN_TESTS_JIT_FUZZ_GEN_H
#define KILN_TESTS_JIT_FUZZ_GEN_H

#include "jit_fuzz.h"

/* fz_form.modes: the modes, plus flags. */
enum {
    FZ_M_PMODE = 1u << FZ_PMODE,
    FZ_M_REAL = 1u << FZ_REAL,
    FZ_M_PAGING = 1u << FZ_PAGING,
    FZ_M_PMODE16 = 1u << FZ_PMODE16,
    FZ_M_USER = 1u << FZ_USER,
    FZ_M_ALL = FZ_M_PMODE | FZ_M_REAL | FZ_M_PAGING | FZ_M_PMODE16 | FZ_M_USER,
    FZ_M_PROT = FZ_M_PMODE | FZ_M_PAGING | FZ_M_PMODE16 | FZ_M_USER,
    FZ_NOBODY = 1u << 8,   /* never inside a CALL body (stack, control flow) */
    FZ_IRQ_ONLY = 1u << 9, /* only when the case has external interrupts */
};

struct fz_gen {
    struct fz_rng *r;
    const struct fz_state *st;
    struct fz_stream *s;
    int code;             /* default operand and address size: 2 or 4 */
    struct fz_unit *body; /* non-NULL while a CALL body is generated into it */
    int form;             /* the template being drawn */
};

/* A ModRM memory operand, after its setup units were emitted. */
struct fz_mem {
    int asz;       /* address size: 2 or 4 */
    int seg;       /* segment override, or -1 */
    uint8_t modrm; /* mod and r/m; reg is ORed in */
    bool has_sib;
    uint8_t sib;
    int disp_len; /* 0, 1, 2 or 4 */
    uint32_t disp;
};

/* A ModRM r/m operand: a register or memory. */
struct fz_rm {
    bool mem;
    int reg;
    struct fz_mem m;
};

uint32_t fz_u(struct fz_gen *g, uint32_t n); /* uniform [0, n) */
bool fz_chance(struct fz_gen *g, int percent);
int fz_size(struct fz_gen *g);                 /* 1, 2 or 4 */
int fz_size_wd(struct fz_gen *g);              /* 2 or 4 */
int fz_wreg(struct fz_gen *g, int size);       /* a destination register, rarely ESP */
uint32_t fz_value(struct fz_gen *g, int size); /* an interesting immediate */

void fz_b(struct fz_unit *u, uint32_t byte);
void fz_bn(struct fz_unit *u, uint32_t v, int n);

/* Append a finished unit (to the CALL body being built, if any). */
void fz_push(struct fz_gen *g, const struct fz_unit *u);

/* Emit a setup unit "mov reg, imm" of 'size' (a separate unit, so the shrinker can drop it). */
void fz_setup_mov(struct fz_gen *g, int reg, int size, uint32_t v);

/* A memory operand for an access of 'size' bytes, emitting setup units that
 * point it at an interesting place most of the time. */
void fz_gen_mem(struct fz_gen *g, struct fz_mem *m, int size);

/* A register or (60 %) memory r/m operand; 'dst' avoids ESP as a register. */
void fz_gen_rm(struct fz_gen *g, struct fz_rm *rm, int size, bool dst);

/* Prefixes for an instruction of operand size 'size' with r/m 'rm' (may be NULL). */
void fz_prefixes(struct fz_gen *g, struct fz_unit *u, int size, const struct fz_rm *rm);
void fz_opsize(struct fz_gen *g, struct fz_unit *u, int size);

/* ModRM (with 'reg' in bits 5:3), SIB and displacement. */
void fz_modrm(struct fz_unit *u, int reg, const struct fz_rm *rm);

/* An offset in segment 'seg' worth accessing with 'size' bytes. */
uint32_t fz_target(struct fz_gen *g, int seg, int size, int asz);

/* Operand helpers for the templates. */
int fz_cc(struct fz_gen *g); /* a condition code */
void fz_imm(struct fz_unit *u, uint32_t v, int size);
int fz_imm_len(int size); /* immediate bytes for an operand of 'size' */
/* "op r/m, reg" or "op reg, r/m": opcode 'op8' for bytes, op8 + 1 otherwise. */
void fz_rm_reg(struct fz_gen *g, struct fz_unit *u, int size, int op8, bool rm_dst, bool reg_dst);
/* Two-byte opcode 0F 'op' with ModRM: reg of 'size', r/m of 'src_size'. */
void fz_of_reg_rm(struct fz_gen *g, struct fz_unit *u, int size, int src_size, int op, bool reg_dst,
                  bool rm_dst);
/* Group opcode 'op' /digit on an r/m of 'size'. */
void fz_grp(struct fz_gen *g, struct fz_unit *u, int size, int op, int digit, bool dst);

/* Generate one unit of template 'form' (drawn with the stream's rules). */
void fz_gen_form(struct fz_gen *g, int form);

/* Draw a template allowed here (mode, body, exclusions). */
int fz_pick_form(struct fz_gen *g);

#endif
