/* SPDX-License-Identifier: MIT */
/*
 * x87 state images: FLDENV/FNSTENV (14 or 28 bytes), FRSTOR/FNSAVE (94 or
 * 108 bytes) in their real-mode and protected-mode layouts chosen by the
 * mode and the operand size, and FXSAVE/FXRSTOR (512 bytes). Every read is
 * done, and every store probed, before the FPU changes.
 * Spec: Intel SDM Vol. 1 8.1.10 and figures 8-9 to 8-12 (environment
 * layouts), figure 8-13 (FSAVE), 10.5.1 and Vol. 2A FXSAVE table 3-53.
 */
#include "cpu/fpu.h"

#include <string.h>

#include "cpu/ops.h"

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static uint32_t get16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | get16(p + 2) << 16;
}

/* Real mode and V86 mode store 20/32-bit linear pointers and the opcode;
 * protected mode stores selector:offset pairs. */
static bool real_layout(const struct cpu *c)
{
    return !(c->cr[0] & CR0_PE) || (c->eflags & FL_VM);
}

/* The 14- or 28-byte environment for the current mode and operand size. */
static void env_image(const struct cpu *c, int opsize, uint8_t *out)
{
    const struct fpu *f = &c->fpu;
    uint16_t tw = fpu_tag_word(f);
    uint32_t fop = f->fop & 0x7ff;
    if (real_layout(c)) {
        uint32_t ip = ((uint32_t)f->fcs << 4) + f->fip;
        uint32_t dp = ((uint32_t)f->fds << 4) + f->fdp;
        if (opsize == 2) {
            put16(out + 0, f->cw);
            put16(out + 2, f->sw);
            put16(out + 4, tw);
            put16(out + 6, ip);
            put16(out + 8, ((ip >> 16) & 0xf) << 12 | fop);
            put16(out + 10, dp);
            put16(out + 12, ((dp >> 16) & 0xf) << 12);
        } else {
            put32(out + 0, 0xffff0000u | f->cw);
            put32(out + 4, 0xffff0000u | f->sw);
            put32(out + 8, 0xffff0000u | tw);
            put32(out + 12, ip & 0xffff);
            put32(out + 16, (ip >> 16) << 12 | fop);
            put32(out + 20, dp & 0xffff);
            put32(out + 24, (dp >> 16) << 12);
        }
        return;
    }
    if (opsize == 2) {
        put16(out + 0, f->cw);
        put16(out + 2, f->sw);
        put16(out + 4, tw);
        put16(out + 6, f->fip);
        put16(out + 8, f->fcs);
        put16(out + 10, f->fdp);
        put16(out + 12, f->fds);
    } else {
        /* Reserved upper halves read back as ones on Intel parts. */
        put32(out + 0, 0xffff0000u | f->cw);
        put32(out + 4, 0xffff0000u | f->sw);
        put32(out + 8, 0xffff0000u | tw);
        put32(out + 12, f->fip);
        put32(out + 16, f->fcs | fop << 16);
        put32(out + 20, f->fdp);
        put32(out + 24, 0xffff0000u | f->fds);
    }
}

/* Control and status words as FLDCW and the state loads take them. */
static void load_cw_sw(struct fpu *f, uint32_t cw, uint32_t sw)
{
    f->cw = (uint16_t)((cw & FPU_CW_WRITABLE) | FPU_CW_ONES);
    f->sw = (uint16_t)sw;
}

/* Load an environment image (FLDENV, the first part of FRSTOR). */
static void env_load(struct cpu *c, int opsize, const uint8_t *img)
{
    struct fpu *f = &c->fpu;
    uint32_t tw;
    if (opsize == 2) {
        load_cw_sw(f, get16(img), get16(img + 2));
        tw = get16(img + 4);
        if (real_layout(c)) {
            f->fip = get16(img + 6) | (get16(img + 8) >> 12) << 16;
            f->fop = (uint16_t)(get16(img + 8) & 0x7ff);
            f->fdp = get16(img + 10) | (get16(img + 12) >> 12) << 16;
            f->fcs = f->fds = 0;
        } else {
            f->fip = get16(img + 6);
            f->fcs = (uint16_t)get16(img + 8);
            f->fdp = get16(img + 10);
            f->fds = (uint16_t)get16(img + 12);
        }
    } else {
        load_cw_sw(f, get32(img), get32(img + 4));
        tw = get16(img + 8);
        if (real_layout(c)) {
            f->fip = get16(img + 12) | (get32(img + 16) >> 12 & 0xffff) << 16;
            f->fop = (uint16_t)(get16(img + 16) & 0x7ff);
            f->fdp = get16(img + 20) | (get32(img + 24) >> 12 & 0xffff) << 16;
            f->fcs = f->fds = 0;
        } else {
            f->fip = get32(img + 12);
            f->fcs = (uint16_t)get16(img + 16);
            f->fop = (uint16_t)(get16(img + 18) & 0x7ff);
            f->fdp = get32(img + 20);
            f->fds = (uint16_t)get16(img + 24);
        }
    }
    fpu_load_tag_word(f, (uint16_t)tw);
    fpu_update_es(f);
}

/* FLDENV (D9 /4), FNSTENV (D9 /6), FRSTOR (DD /4), FNSAVE (DD /6). */
int x87_env(struct cpu *c, const struct insn *in)
{
    struct fpu *f = &c->fpu;
    int env = in->opsize == 2 ? 14 : 28;
    bool save = in->opcode == 0xdd;
    int n = env + (save ? 80 : 0);
    uint8_t img[108];
    if (in->reg == 4) {
        TRY(fpu_mem_read(c, in, 0, n, img));
        if (save) {
            /* The registers are in stack order from the image's own TOP. */
            int top = (int)(get16(img + (env == 14 ? 2 : 4)) >> 11) & 7;
            for (int i = 0; i < 8; i++)
                f->reg[(top + i) & 7] = fpu_reg_from_bytes(img + env + 10 * i);
        }
        env_load(c, in->opsize, img);
        return 0;
    }
    env_image(c, in->opsize, img);
    if (save)
        for (int i = 0; i < 8; i++)
            fpu_reg_to_bytes(*fpu_st(f, i), img + env + 10 * i);
    TRY(fpu_mem_write(c, in, 0, n, img));
    if (save) {
        fpu_init_state(f);
    } else {
        /* FNSTENV masks every exception once the image is out. */
        f->cw |= FPU_SW_EXC;
        fpu_update_es(f);
    }
    return 0;
}

/* FXSAVE image: abridged tag (one bit per physical register, 1 = full).
 * A Pentium II has no SSE state: MXCSR and MXCSR_MASK are stored as 0 and
 * the XMM and reserved areas (bytes 160-511) are not written. */
static void fxsave_image(const struct fpu *f, uint8_t *img)
{
    memset(img, 0, 160);
    put16(img + 0, f->cw);
    put16(img + 2, f->sw);
    uint8_t ftw = 0;
    for (int p = 0; p < 8; p++)
        if (fpu_tag(f, p) != FPU_TAG_EMPTY)
            ftw |= (uint8_t)(1u << p);
    img[4] = ftw;
    put16(img + 6, f->fop & 0x7ff);
    put32(img + 8, f->fip);
    put16(img + 12, f->fcs);
    put32(img + 16, f->fdp);
    put16(img + 20, f->fds);
    for (int i = 0; i < 8; i++)
        fpu_reg_to_bytes(f->reg[(fpu_top(f) + i) & 7], img + 32 + 16 * i);
}

static void fxrstor_image(struct fpu *f, const uint8_t *img)
{
    load_cw_sw(f, get16(img + 0), get16(img + 2));
    f->fop = (uint16_t)(get16(img + 6) & 0x7ff);
    f->fip = get32(img + 8);
    f->fcs = (uint16_t)get16(img + 12);
    f->fdp = get32(img + 16);
    f->fds = (uint16_t)get16(img + 20);
    for (int i = 0; i < 8; i++)
        f->reg[(fpu_top(f) + i) & 7] = fpu_reg_from_bytes(img + 32 + 16 * i);
    uint16_t tw = 0;
    for (int p = 0; p < 8; p++)
        if (!(img[4] & (1u << p)))
            tw |= (uint16_t)(FPU_TAG_EMPTY << (2 * p));
    fpu_load_tag_word(f, tw);
    fpu_update_es(f);
}

/* FXSAVE/FXRSTOR (0F AE /0, /1). Neither waits for a pending x87
 * exception, and FXRSTOR does not raise one either: the next waiting
 * instruction does. The operand must be 16-byte aligned (#GP(0)). */
int x87_fxsave(struct cpu *c, const struct insn *in)
{
    uint32_t lin = c->seg[in->seg].base + ea_offset(c, in);
    if (lin & 15)
        return cpu_fault_err(c, EXC_GP, 0);
    uint8_t img[512];
    if (in->op == OP_FXRSTOR) {
        TRY(fpu_mem_read(c, in, 0, 512, img));
        fxrstor_image(&c->fpu, img);
        return 0;
    }
    TRY(fpu_mem_probe(c, in, 0, 512));
    fxsave_image(&c->fpu, img);
    return fpu_mem_write(c, in, 0, 160, img);
}
