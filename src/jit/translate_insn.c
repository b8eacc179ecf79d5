/* SPDX-License-Identifier: MIT */
/*
 * Which guest instructions the translator makes inline, and their IR (see
 * translate.c for the block loop). Inline forms: MOV, MOVZX, MOVSX, LEA,
 * ALU and CMP/TEST, INC/DEC, NOT/NEG, shifts, MUL/IMUL, DIV/IDIV (32-bit),
 * PUSH/POP (registers, immediates, r/m), LEAVE, Jcc, JMP, CALL and RET near
 * (direct and through r/m), SETcc, CMOVcc. Everything else is a HELPER op. An
 * inline instruction first reads (LIN, LOAD: may bail) and only then
 * writes guest state.
 */
#include "jit/translate_internal.h"

#include <string.h>

#include "common/bits.h"

#define handler_names jit_handler_names

void inline_insn(struct tr *t)
{
    const struct insn *in = t->in;
    int size = in->opsize, lin, v, r, nsp;
    if (!strcmp(handler_names[in->op], "nop") && !in->lock)
        return; /* NOP, PAUSE (REP NOP) and the hint NOPs touch nothing */
    if (in->lock || in->rep)
        goto no;
    switch (in->op) {
    /* ---- moves ---- */
    case OP_MOV_Eb_Gb:
    case OP_MOV_Ev_Gv:
        size = in->op == OP_MOV_Eb_Gb ? 1 : size;
        tr_rm_store(t, size, tr_getr(t, in->reg, size));
        return;
    case OP_MOV_Gb_Eb:
    case OP_MOV_Gv_Ev:
        size = in->op == OP_MOV_Gb_Eb ? 1 : size;
        v = tr_rm_read(t, size, &lin, false);
        tr_setr(t, in->reg, size, v);
        return;
    case OP_MOV_Eb_Ib:
    case OP_MOV_Ev_Iz:
        size = in->op == OP_MOV_Eb_Ib ? 1 : size;
        tr_rm_store(t, size, tr_konst(t, in->imm & size_mask(size)));
        return;
    case OP_MOV_AL_Ob:
    case OP_MOV_eAX_Ov:
        size = in->op == OP_MOV_AL_Ob ? 1 : size;
        lin = tr_linear(t, in->seg, tr_konst(t, in->imm), size, false);
        tr_setr(t, R_EAX, size, tr_load(t, lin, size));
        return;
    case OP_MOV_Ob_AL:
    case OP_MOV_Ov_eAX:
        size = in->op == OP_MOV_Ob_AL ? 1 : size;
        v = tr_getr(t, R_EAX, size);
        lin = tr_linear(t, in->seg, tr_konst(t, in->imm), size, true);
        tr_store(t, lin, size, v);
        return;
    case OP_MOV_Zb_Ib_0: case OP_MOV_Zb_Ib_1: case OP_MOV_Zb_Ib_2: case OP_MOV_Zb_Ib_3:
    case OP_MOV_Zb_Ib_4: case OP_MOV_Zb_Ib_5: case OP_MOV_Zb_Ib_6: case OP_MOV_Zb_Ib_7:
        tr_setr(t, in->opcode & 7, 1, tr_konst(t, in->imm & 0xff));
        return;
    case OP_MOV_Zv_Iz_0: case OP_MOV_Zv_Iz_1: case OP_MOV_Zv_Iz_2: case OP_MOV_Zv_Iz_3:
    case OP_MOV_Zv_Iz_4: case OP_MOV_Zv_Iz_5: case OP_MOV_Zv_Iz_6: case OP_MOV_Zv_Iz_7:
        tr_setr(t, in->opcode & 7, size, tr_konst(t, in->imm & size_mask(size)));
        return;
    case OP_MOVZX_Gv_Eb: case OP_MOVZX_Gv_Ew: case OP_MOVSX_Gv_Eb: case OP_MOVSX_Gv_Ew: {
        int ssize = (in->opcode & 1) ? 2 : 1;
        v = tr_rm_read(t, ssize, &lin, false);
        if (in->opcode >= 0xbe) {
            r = tr_temp(t);
            tr_emit(t, IR_SEXT, size, r, v, IR_NONE, ssize, 0, 0);
            v = r;
        } else if (size < ssize) {
            goto no;
        }
        tr_setr(t, in->reg, size, v);
        return;
    }
    case OP_LEA_Gv_M:
        v = tr_ea(t);
        if (size == 2 && in->addrsize == 4) {
            r = tr_temp(t);
            tr_emit(t, IR_MASK, 2, r, v, IR_NONE, 0, 0, 0);
            v = r;
        }
        tr_setr(t, in->reg, size, v);
        return;
    /* ---- ALU ---- */
#define ALU_CASES(ID, K)                                                                           \
    case OP_##ID##_Eb_Gb: tr_alu_rm(t, K, 1, tr_getr(t, in->reg, 1)); return;                            \
    case OP_##ID##_Ev_Gv: tr_alu_rm(t, K, size, tr_getr(t, in->reg, size)); return;                      \
    case OP_##ID##_Gb_Eb:                                                                          \
        if (in->is_mem) {                                                                          \
            v = tr_rm_read(t, 1, &lin, false);                                                        \
            tr_alu_reg(t, K, 1, in->reg, v);                                                          \
        } else {                                                                                   \
            tr_alu_reg(t, K, 1, in->reg, tr_getr(t, in->rm, 1));                                         \
        }                                                                                          \
        return;                                                                                    \
    case OP_##ID##_Gv_Ev:                                                                          \
        v = tr_rm_read(t, size, &lin, false);                                                         \
        tr_alu_reg(t, K, size, in->reg, v);                                                           \
        return;                                                                                    \
    case OP_##ID##_AL_Ib: tr_alu_reg(t, K, 1, R_EAX, tr_konst(t, in->imm & 0xff)); return;               \
    case OP_##ID##_eAX_Iz: tr_alu_reg(t, K, size, R_EAX, tr_konst(t, in->imm & size_mask(size))); return; \
    case OP_##ID##_Eb_Ib: case OP_##ID##_Eb_Ib82:                                                  \
        tr_alu_rm(t, K, 1, tr_konst(t, in->imm & 0xff)); return;                                         \
    case OP_##ID##_Ev_Iz: tr_alu_rm(t, K, size, tr_konst(t, in->imm & size_mask(size))); return;         \
    case OP_##ID##_Ev_Ib: tr_alu_rm(t, K, size, tr_konst(t, sext(in->imm, 1) & size_mask(size))); return;
    ALU_CASES(ADD, 0)
    ALU_CASES(OR, 1)
    ALU_CASES(ADC, 2)
    ALU_CASES(SBB, 3)
    ALU_CASES(AND, 4)
    ALU_CASES(SUB, 5)
    ALU_CASES(XOR, 6)
    ALU_CASES(CMP, 7)
#undef ALU_CASES
    case OP_TEST_Eb_Gb:
    case OP_TEST_Ev_Gv:
        size = in->op == OP_TEST_Eb_Gb ? 1 : size;
        v = tr_rm_read(t, size, &lin, false);
        tr_test(t, size, v, tr_getr(t, in->reg, size));
        return;
    case OP_TEST_AL_Ib:
    case OP_TEST_eAX_Iz:
        size = in->op == OP_TEST_AL_Ib ? 1 : size;
        v = tr_getr(t, R_EAX, size);
        tr_test(t, size, v, tr_konst(t, in->imm & size_mask(size)));
        return;
    case OP_INC_Zv_0: case OP_INC_Zv_1: case OP_INC_Zv_2: case OP_INC_Zv_3:
    case OP_INC_Zv_4: case OP_INC_Zv_5: case OP_INC_Zv_6: case OP_INC_Zv_7:
    case OP_DEC_Zv_0: case OP_DEC_Zv_1: case OP_DEC_Zv_2: case OP_DEC_Zv_3:
    case OP_DEC_Zv_4: case OP_DEC_Zv_5: case OP_DEC_Zv_6: case OP_DEC_Zv_7:
        tr_incdec(t, in->opcode >= 0x48, size, in->opcode & 7);
        return;
    case OP_INC_Eb: tr_incdec(t, false, 1, -1); return;
    case OP_DEC_Eb: tr_incdec(t, true, 1, -1); return;
    case OP_INC_Ev: tr_incdec(t, false, size, -1); return;
    case OP_DEC_Ev: tr_incdec(t, true, size, -1); return;
    /* ---- shifts and multiplies ---- */
    case OP_SHL_Eb_1: case OP_SHR_Eb_1: case OP_SAL_Eb_1: case OP_SAR_Eb_1:
        tr_shift(t, 1, 1);
        return;
    case OP_SHL_Ev_1: case OP_SHR_Ev_1: case OP_SAL_Ev_1: case OP_SAR_Ev_1:
        tr_shift(t, size, 1);
        return;
    case OP_SHL_Eb_Ib: case OP_SHR_Eb_Ib: case OP_SAL_Eb_Ib: case OP_SAR_Eb_Ib:
        tr_shift(t, 1, (int)(in->imm & 31));
        return;
    case OP_SHL_Ev_Ib: case OP_SHR_Ev_Ib: case OP_SAL_Ev_Ib: case OP_SAR_Ev_Ib:
        tr_shift(t, size, (int)(in->imm & 31));
        return;
    case OP_SHL_Eb_CL: case OP_SHR_Eb_CL: case OP_SAL_Eb_CL: case OP_SAR_Eb_CL:
        tr_shift(t, 1, -1);
        return;
    case OP_SHL_Ev_CL: case OP_SHR_Ev_CL: case OP_SAL_Ev_CL: case OP_SAR_Ev_CL:
        tr_shift(t, size, -1);
        return;
    case OP_TEST_Ib_Eb: case OP_TEST_Ib1_Eb: case OP_TEST_Ib_Ev: case OP_TEST_Ib1_Ev:
        size = (in->op == OP_TEST_Ib_Eb || in->op == OP_TEST_Ib1_Eb) ? 1 : size;
        v = tr_rm_read(t, size, &lin, false);
        tr_test(t, size, v, tr_konst(t, in->imm & size_mask(size)));
        return;
    case OP_NOT_Eb: case OP_NOT_Ev: {
        size = in->op == OP_NOT_Eb ? 1 : size;
        v = tr_rm_read(t, size, &lin, true);
        int m = tr_konst(t, size_mask(size));
        r = tr_temp(t);
        tr_emit(t, IR_XOR, size, r, v, m, 0, 0, 0);
        tr_rm_write(t, size, lin, r);
        return;
    }
    case OP_NEG_Eb: case OP_NEG_Ev: {
        size = in->op == OP_NEG_Eb ? 1 : size;
        v = tr_rm_read(t, size, &lin, true);
        int z = tr_konst(t, 0);
        r = tr_temp(t);
        tr_emit(t, IR_SUB, size, r, z, v, 0, 0, 0); /* unmasked, as the interpreter records it */
        tr_rm_write(t, size, lin, r);
        tr_lazy(t, LF_SUB, size, z, v, r);
        return;
    }
    case OP_MUL_Ev:
        if (size != 4)
            goto no;
        v = tr_rm_read(t, 4, &lin, false);
        tr_emit(t, IR_MULU, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        t->known_flags = (uint32_t)LF_MUL << 8 | 4u;
        return;
    case OP_DIV_Ev:
    case OP_IDIV_Ev:
        if (size != 4)
            goto no;
        v = tr_rm_read(t, 4, &lin, false);
        tr_emit(t, in->op == OP_DIV_Ev ? IR_DIVU : IR_DIVS, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        return;
    case OP_IMUL_Gv_Ev:
        v = tr_rm_read(t, size, &lin, false);
        tr_imul(t, size, v, tr_getr(t, in->reg, size));
        return;
    case OP_IMUL_Gv_Ev_Ib:
        v = tr_rm_read(t, size, &lin, false);
        tr_imul(t, size, v, tr_konst(t, sext(in->imm, 1) & size_mask(size)));
        return;
    case OP_IMUL_Gv_Ev_Iz:
        v = tr_rm_read(t, size, &lin, false);
        tr_imul(t, size, v, tr_konst(t, in->imm & size_mask(size)));
        return;
    /* ---- stack ---- */
    case OP_PUSH_Zv_0: case OP_PUSH_Zv_1: case OP_PUSH_Zv_2: case OP_PUSH_Zv_3:
    case OP_PUSH_Zv_4: case OP_PUSH_Zv_5: case OP_PUSH_Zv_6: case OP_PUSH_Zv_7:
        if ((in->opcode & 7) == R_ESP)
            goto no; /* the value pushed depends on the model */
        tr_push(t, size, tr_getr(t, in->opcode & 7, size));
        return;
    case OP_PUSH_Iz:
        tr_push(t, size, tr_konst(t, in->imm & size_mask(size)));
        return;
    case OP_PUSH_Ib:
        tr_push(t, size, tr_konst(t, sext(in->imm, 1) & size_mask(size)));
        return;
    case OP_PUSH_Ev:
        if (!in->is_mem && in->rm == R_ESP)
            goto no; /* the value pushed depends on the model */
        v = tr_rm_read(t, size, &lin, false);
        tr_release(t, lin);
        tr_push(t, size, v);
        return;
    case OP_LEAVE: {
        int ss = tr_stack_size(t);
        int bp = tr_getr(t, R_EBP, ss);
        lin = tr_linear(t, SEG_SS, bp, size, false);
        v = tr_load(t, lin, size);
        int k = tr_konst(t, (uint32_t)size);
        nsp = tr_temp(t);
        tr_emit(t, IR_ADD, 4, nsp, bp, k, 0, 0, 0);
        if (ss < 4)
            tr_emit(t, IR_MASK, ss, nsp, nsp, IR_NONE, 0, 0, 0);
        tr_setr(t, R_ESP, ss, nsp);
        tr_setr(t, R_EBP, size, v);
        return;
    }
    case OP_POP_Zv_0: case OP_POP_Zv_1: case OP_POP_Zv_2: case OP_POP_Zv_3:
    case OP_POP_Zv_4: case OP_POP_Zv_5: case OP_POP_Zv_6: case OP_POP_Zv_7:
        if ((in->opcode & 7) == R_ESP)
            goto no;
        v = tr_pop_load(t, size, &nsp);
        tr_setr(t, R_ESP, tr_stack_size(t), nsp);
        tr_setr(t, in->opcode & 7, size, v);
        return;
    /* ---- control ---- */
    case OP_JMP_Jz:
    case OP_JMP_Jb: {
        uint32_t target = tr_jump_target(t);
        if (!tr_target_ok(t, target))
            goto no;
        tr_emit(t, IR_EXIT, 4, IR_NONE, IR_NONE, IR_NONE, 0, target, 0);
        t->ends = true;
        return;
    }
    case OP_CALL_Jz: {
        uint32_t target = tr_jump_target(t);
        if (!tr_target_ok(t, target))
            goto no;
        tr_push(t, size, tr_konst(t, t->next_eip));
        tr_emit(t, IR_EXIT, 4, IR_NONE, IR_NONE, IR_NONE, 0, target, 0);
        t->ends = true;
        return;
    }
    case OP_CALL_Ev:
        v = tr_rm_read(t, size, &lin, false);
        tr_release(t, lin);
        tr_emit(t, IR_CHKCS, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        tr_push(t, size, tr_konst(t, t->next_eip));
        tr_emit(t, IR_EXITI, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        t->ends = true;
        return;
    case OP_RET:
        v = tr_pop_load(t, size, &nsp);
        tr_emit(t, IR_CHKCS, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        tr_setr(t, R_ESP, tr_stack_size(t), nsp);
        tr_emit(t, IR_EXITI, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        t->ends = true;
        return;
    case OP_JMP_Ev:
        v = tr_rm_read(t, size, &lin, false);
        tr_emit(t, IR_CHKCS, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        tr_emit(t, IR_EXITI, 4, IR_NONE, v, IR_NONE, 0, 0, 0);
        t->ends = true;
        return;
    default: break;
    }
    if (!strcmp(handler_names[in->op], "jcc"))
        goto jcc;
    if (in->map == 1 && in->opcode >= 0x90 && in->opcode <= 0x9f) { /* SETcc */
        tr_cond(t, in->opcode & 0xf, &v);
        tr_rm_store(t, 1, v);
        return;
    }
    if (in->map == 1 && in->opcode >= 0x40 && in->opcode <= 0x4f) { /* CMOVcc */
        v = tr_rm_read(t, size, &lin, false);
        int old = tr_getr(t, in->reg, size);
        tr_cond(t, in->opcode & 0xf, &r);
        tr_emit(t, IR_SELECT, size, old, r, v, 0, 0, 0);
        /* A 32-bit CMOV writes its destination even when the condition fails. */
        tr_setr(t, in->reg, size, old);
        return;
    }
no:
    t->failed = 1;
    return;
jcc: {
    uint32_t target = tr_jump_target(t);
    if (!tr_target_ok(t, target))
        goto no;
    tr_cond(t, in->opcode & 0xf, &v);
    tr_emit(t, IR_EXITC, 4, IR_NONE, v, IR_NONE, 0, target, t->next_eip);
    t->ends = true;
}
}

