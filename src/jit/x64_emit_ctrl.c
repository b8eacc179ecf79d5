/* SPDX-License-Identifier: MIT */
/*
 * x86-64 control transfer: Jcc/JMP/CALL (rel8, rel32, to absolute host
 * addresses, through r/m), RET, labels with fixups and patching of emitted
 * displacements, the recommended multi-byte NOPs, INT3 and UD2. Owns the
 * label and fixup tables of struct x64_buf; touches no executable memory
 * protections (codebuf.h). Intel SDM Vol. 2: Jcc, JMP, CALL, RET, NOP (table
 * 4-12, the recommended multi-byte sequences), INT3, UD2.
 */
#include "jit/x64_enc.h"

#include <string.h>

/* Append opcode bytes 'op' then a 'width'-byte displacement; return the
 * buffer offset of the displacement, SIZE_MAX when nothing was written. */
static size_t emit_rel(struct x64_buf *b, const uint8_t *op, int nop, int width, int32_t disp)
{
    uint8_t out[8];
    memcpy(out, op, (size_t)nop);
    for (int i = 0; i < width; i++)
        out[nop + i] = (uint8_t)((uint32_t)disp >> (8 * i));
    enum x64_error before = b->err;
    x64_bytes(b, out, (size_t)(nop + width));
    if (before || b->err) return SIZE_MAX;
    return b->pos - (size_t)width;
}

/* Bytes of opcode before a Jcc displacement: 70+cc (rel8), 0F 80+cc (rel32). */
static int jcc_opcode(struct x64_buf *b, enum x64_cond cc, int width, uint8_t op[2])
{
    if ((unsigned)cc > 15) {
        x64_fail(b, X64_ERR_OPERAND);
        return 0;
    }
    if (width == 1) {
        op[0] = (uint8_t)(0x70 + cc);
        return 1;
    }
    op[0] = 0x0f;
    op[1] = (uint8_t)(0x80 + cc);
    return 2;
}

void x64_jcc_rel8(struct x64_buf *b, enum x64_cond cc, int8_t disp)
{
    uint8_t op[2];
    int n = jcc_opcode(b, cc, 1, op);
    if (n) emit_rel(b, op, n, 1, disp);
}

size_t x64_jcc_rel32(struct x64_buf *b, enum x64_cond cc, int32_t disp)
{
    uint8_t op[2];
    int n = jcc_opcode(b, cc, 4, op);
    return n ? emit_rel(b, op, n, 4, disp) : SIZE_MAX;
}

void x64_jmp_rel8(struct x64_buf *b, int8_t disp)
{
    emit_rel(b, (const uint8_t[]){0xeb}, 1, 1, disp);
}

size_t x64_jmp_rel32(struct x64_buf *b, int32_t disp)
{
    return emit_rel(b, (const uint8_t[]){0xe9}, 1, 4, disp);
}

size_t x64_call_rel32(struct x64_buf *b, int32_t disp)
{
    return emit_rel(b, (const uint8_t[]){0xe8}, 1, 4, disp);
}

/* The rel32 from the end of an instruction of 'len' bytes emitted next to
 * 'target'; false when it does not fit. */
static bool rel32_to(const struct x64_buf *b, int len, uint64_t target, int32_t *disp)
{
    int64_t d = (int64_t)(target - (x64_here(b) + (uint64_t)len));
    if (!x64_fits32(d)) return false;
    *disp = (int32_t)d;
    return true;
}

void x64_jcc_abs(struct x64_buf *b, enum x64_cond cc, uint64_t target)
{
    int32_t disp;
    if (!rel32_to(b, 6, target, &disp)) {
        x64_fail(b, X64_ERR_RANGE);
        return;
    }
    x64_jcc_rel32(b, cc, disp);
}

/* FF /digit with a 64-bit r/m operand (the default size: no REX.W). */
static void ff_group(struct x64_buf *b, int digit, bool mem, enum x64_reg r, struct x64_mem m)
{
    struct x64_enc e;
    if (!x64_enc_start(b, &e, 4, X64_S32)) return;
    x64_enc_op1(&e, 0xff);
    x64_enc_digit(&e, digit);
    if (mem)
        x64_enc_rm_mem(&e, m);
    else
        x64_enc_rm_reg(&e, r, false);
    x64_enc_emit(b, &e);
}

/* JMP (FF /4) or CALL (FF /2) to 'target': rel32 when in reach, else
 * MOV scratch, imm; FF /digit scratch, assembled aside so that a full
 * buffer gets neither half. */
static void branch_abs(struct x64_buf *b, uint8_t rel_op, int digit, uint64_t target,
                       enum x64_reg scratch)
{
    int32_t disp;
    if (rel32_to(b, 5, target, &disp)) {
        emit_rel(b, &rel_op, 1, 4, disp);
        return;
    }
    uint8_t tmp[2 * X64_MAX_INSN];
    struct x64_buf far;
    x64_buf_init(&far, tmp, sizeof(tmp), x64_here(b));
    x64_mov_ri(&far, 8, scratch, (int64_t)target);
    ff_group(&far, digit, false, scratch, x64_mem_abs(0));
    if (far.err)
        x64_fail(b, far.err);
    else
        x64_bytes(b, tmp, far.pos);
}

void x64_jmp_abs(struct x64_buf *b, uint64_t target, enum x64_reg scratch)
{
    branch_abs(b, 0xe9, 4, target, scratch);
}

void x64_call_abs(struct x64_buf *b, uint64_t target, enum x64_reg scratch)
{
    branch_abs(b, 0xe8, 2, target, scratch);
}

void x64_jmp_r(struct x64_buf *b, enum x64_reg r)
{
    ff_group(b, 4, false, r, x64_mem_abs(0));
}

void x64_jmp_m(struct x64_buf *b, struct x64_mem m)
{
    ff_group(b, 4, true, X64_RAX, m);
}

void x64_call_r(struct x64_buf *b, enum x64_reg r)
{
    ff_group(b, 2, false, r, x64_mem_abs(0));
}

void x64_call_m(struct x64_buf *b, struct x64_mem m)
{
    ff_group(b, 2, true, X64_RAX, m);
}

void x64_ret(struct x64_buf *b)
{
    x64_bytes(b, (const uint8_t[]){0xc3}, 1);
}

void x64_ret_imm(struct x64_buf *b, uint16_t bytes)
{
    x64_bytes(b, (const uint8_t[]){0xc2, (uint8_t)bytes, (uint8_t)(bytes >> 8)}, 3);
}

void x64_int3(struct x64_buf *b)
{
    x64_bytes(b, (const uint8_t[]){0xcc}, 1);
}

void x64_ud2(struct x64_buf *b)
{
    x64_bytes(b, (const uint8_t[]){0x0f, 0x0b}, 2);
}

void x64_nop(struct x64_buf *b, int len)
{
    /* SDM Vol. 2B, NOP, table 4-12: 90, 66 90, then NOP r/m (0F 1F /0)
     * with growing ModRM/SIB/displacement. */
    static const uint8_t nops[9][9] = {
        {0x90},
        {0x66, 0x90},
        {0x0f, 0x1f, 0x00},
        {0x0f, 0x1f, 0x40, 0x00},
        {0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
        {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00},
        {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
        {0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    };
    if (len < 1 || len > 9) {
        x64_fail(b, X64_ERR_OPERAND);
        return;
    }
    x64_bytes(b, nops[len - 1], (size_t)len);
}

void x64_align(struct x64_buf *b, size_t align)
{
    if (align == 0 || (align & (align - 1))) {
        x64_fail(b, X64_ERR_OPERAND);
        return;
    }
    size_t pad = (size_t)(-x64_here(b) & (align - 1));
    while (pad && !b->err) {
        int n = pad > 9 ? 9 : (int)pad;
        x64_nop(b, n);
        pad -= (size_t)n;
    }
}

struct x64_label x64_label_new(struct x64_buf *b)
{
    if (b->nlabels >= X64_MAX_LABELS) {
        x64_fail(b, X64_ERR_LABELS);
        return (struct x64_label){-1};
    }
    b->label_pos[b->nlabels] = -1;
    return (struct x64_label){b->nlabels++};
}

/* Is 'l' a label of 'b'? Records X64_ERR_LABELS when not. */
static bool label_valid(struct x64_buf *b, struct x64_label l)
{
    if (l.id < 0 || l.id >= b->nlabels) {
        x64_fail(b, X64_ERR_LABELS);
        return false;
    }
    return true;
}

void x64_patch_rel(struct x64_buf *b, size_t field, enum x64_rel width, size_t target)
{
    if (b->err) return;
    if ((width != X64_REL8 && width != X64_REL32) || field > b->pos ||
        b->pos - field < (size_t)width || target > b->pos) {
        x64_fail(b, X64_ERR_OPERAND);
        return;
    }
    int64_t disp = (int64_t)target - (int64_t)(field + (size_t)width);
    if (width == X64_REL8 ? !x64_fits8(disp) : !x64_fits32(disp)) {
        x64_fail(b, X64_ERR_RANGE);
        return;
    }
    for (int i = 0; i < (int)width; i++)
        b->code[field + (size_t)i] = (uint8_t)((uint64_t)disp >> (8 * i));
}

bool x64_patch_rel32(void *field, uint64_t field_run, uint64_t target)
{
    int64_t disp = (int64_t)(target - (field_run + 4));
    if (!x64_fits32(disp)) return false;
    uint8_t *p = field;
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)((uint64_t)disp >> (8 * i));
    return true;
}

void x64_label_bind(struct x64_buf *b, struct x64_label l)
{
    if (b->err || !label_valid(b, l)) return;
    if (b->label_pos[l.id] >= 0 || b->pos > INT32_MAX) {
        x64_fail(b, X64_ERR_LABELS); /* bound twice */
        return;
    }
    b->label_pos[l.id] = (int32_t)b->pos;
    for (int i = 0; i < b->nfixups;) {
        struct x64_fixup f = b->fixups[i];
        if (f.label != l.id) {
            i++;
            continue;
        }
        x64_patch_rel(b, f.field, (enum x64_rel)f.width, b->pos);
        b->fixups[i] = b->fixups[--b->nfixups];
    }
}

/* A branch to label 'l': 'op8'/'op32' are the opcode bytes of the rel8 and
 * rel32 forms. Bound labels are resolved now, unbound ones get a fixup. */
static void branch_label(struct x64_buf *b, const uint8_t *op8, int n8, const uint8_t *op32,
                         int n32, struct x64_label l, enum x64_rel rel)
{
    if (b->err || !label_valid(b, l)) return;
    if (rel != X64_REL_AUTO && rel != X64_REL8 && rel != X64_REL32) {
        x64_fail(b, X64_ERR_OPERAND);
        return;
    }
    int32_t at = b->label_pos[l.id];
    if (at >= 0) {
        int64_t d8 = (int64_t)at - (int64_t)(b->pos + (size_t)n8 + 1);
        int64_t d32 = (int64_t)at - (int64_t)(b->pos + (size_t)n32 + 4);
        if (rel != X64_REL32 && x64_fits8(d8))
            emit_rel(b, op8, n8, 1, (int32_t)d8);
        else if (rel == X64_REL8 || !x64_fits32(d32))
            x64_fail(b, X64_ERR_RANGE);
        else
            emit_rel(b, op32, n32, 4, (int32_t)d32);
        return;
    }
    if (b->nfixups >= X64_MAX_FIXUPS) {
        x64_fail(b, X64_ERR_LABELS);
        return;
    }
    int width = rel == X64_REL8 ? 1 : 4;
    size_t field = width == 1 ? emit_rel(b, op8, n8, 1, 0) : emit_rel(b, op32, n32, 4, 0);
    if (field != SIZE_MAX)
        b->fixups[b->nfixups++] =
            (struct x64_fixup){(uint32_t)field, (uint8_t)width, (uint8_t)l.id};
}

void x64_jcc_label(struct x64_buf *b, enum x64_cond cc, struct x64_label l, enum x64_rel rel)
{
    uint8_t op8[2], op32[2];
    if (!jcc_opcode(b, cc, 1, op8) || !jcc_opcode(b, cc, 4, op32)) return;
    branch_label(b, op8, 1, op32, 2, l, rel);
}

void x64_jmp_label(struct x64_buf *b, struct x64_label l, enum x64_rel rel)
{
    branch_label(b, (const uint8_t[]){0xeb}, 1, (const uint8_t[]){0xe9}, 1, l, rel);
}
