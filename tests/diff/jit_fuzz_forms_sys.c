/* SPDX-License-Identifier: MIT */
/* * kiln-jitfuzz instruction templates: stack, segment registers, control flow
 * (jumps within the stream, CALL/RET units, far transfers, interrupts,
 * IRET), strings, ports, flags and other helper-run instructions, stores
 * into the stream, paging control and descriptor instructions
 * (see jit_fuzz_table.c for the weights). Memory operands, prefixes and
 * setup units come from jit_fuzz_gen.c. Opcodes: Intel SDM Vol. 2 appendix A.
 */
#include "jit_fuzz_forms.h"

#include <string.h>

/* ---- stack ---- */

void fz_f_push_r(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, 0x50 + (int)fz_u(g, 8));
}

void fz_f_pop_r(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    fz_opsize(g, u, size);
    fz_b(u, 0x58 + fz_wreg(g, size));
}

void fz_f_push_imm(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size_wd(g);
    bool imm8 = fz_chance(g, 50);
    fz_opsize(g, u, size);
    fz_b(u, imm8 ? 0x6a : 0x68);
    fz_imm(u, fz_value(g, size), imm8 ? 1 : size);
}

void fz_f_push_rm(struct fz_gen *g, struct fz_unit *u)
{
    fz_grp(g, u, fz_size_wd(g), 0xff, 6, false);
}

void fz_f_pop_rm(struct fz_gen *g, struct fz_unit *u)
{
    fz_grp(g, u, fz_size_wd(g), 0x8f, 0, true);
}

void fz_f_pushf_popf(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, fz_chance(g, 50) ? 0x9c : 0x9d);
}

void fz_f_pusha_popa(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, fz_chance(g, 50) ? 0x60 : 0x61);
}

/* ---- segment registers ----
 * Never CS (far transfers below do that). The handlers address their
 * table through CS and their frame through SS, so DS, ES, FS and GS take
 * any selector; SS only valid stack ones in protected mode (or a delivery
 * would mostly end in a triple fault), and any value in real mode. */

static const uint16_t pm_selectors[] = {0,    0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38, 0x40, 0x48,
                                        0x13, 0x50, 0x10, 0x48, 0x53, 0x5b, 0x5b, 0x58, 0x60, 0x68};

/* May SS take a random value (real mode; see finding 2 in jit_fuzz_table.c)? */
static bool real_ss(const struct fz_gen *g)
{
    return g->st->mode == FZ_REAL && !fz_avoid_ss_base;
}

static uint32_t selector(struct fz_gen *g, int seg)
{
    if (g->st->mode == FZ_REAL) {
        uint32_t sel = fz_chance(g, 70) ? fz_u(g, 0xe00) : fz_u(g, 0x10000);
        return seg == SEG_SS && fz_avoid_ss_base ? 0 : sel;
    }
    if (seg == SEG_SS && !fz_chance(g, 10))
        return g->st->cpl ? FZ_SEL_UDATA : fz_chance(g, 50) ? FZ_SEL_DATA : FZ_SEL_DATA16;
    return pm_selectors[fz_u(g, sizeof(pm_selectors) / sizeof(pm_selectors[0]))];
}

void fz_f_push_sreg(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t op[6][2] = {{0x06}, {0x0e}, {0x16}, {0x1e}, {0x0f, 0xa0}, {0x0f, 0xa8}};
    int s = (int)fz_u(g, 6);
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, op[s][0]);
    if (op[s][1]) fz_b(u, op[s][1]);
}

/* POP ES, DS, FS, GS, and SS in real mode only (a random stack word is no
 * stack selector). */
void fz_f_pop_sreg(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t op[5][2] = {{0x07}, {0x1f}, {0x0f, 0xa1}, {0x0f, 0xa9}, {0x17}};
    int s = (int)fz_u(g, real_ss(g) ? 5 : 4);
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, op[s][0]);
    if (op[s][1]) fz_b(u, op[s][1]);
}

void fz_f_mov_sreg_rm(struct fz_gen *g, struct fz_unit *u)
{
    static const int sregs[5] = {SEG_ES, SEG_DS, SEG_FS, SEG_GS, SEG_SS};
    int seg = sregs[fz_u(g, fz_chance(g, 15) ? 5 : 4)];
    struct fz_rm rm;
    fz_gen_rm(g, &rm, 2, true);
    if (!rm.mem && fz_chance(g, 80))
        fz_setup_mov(g, rm.reg, 2, selector(g, seg));
    else if (seg == SEG_SS && !real_ss(g))
        seg = SEG_ES;
    fz_prefixes(g, u, 2, &rm);
    fz_b(u, 0x8e);
    fz_modrm(u, seg, &rm);
}

void fz_f_mov_rm_sreg(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm;
    int size = fz_size_wd(g);
    fz_gen_rm(g, &rm, 2, true);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x8c);
    fz_modrm(u, (int)fz_u(g, 6), &rm);
}

/* ---- control flow: forward jumps inside the stream ---- */

static void jump(struct fz_gen *g, struct fz_unit *u, int rel_size)
{
    u->kind = FZ_JUMP;
    u->rel_size = (uint8_t)rel_size;
    u->skip = (uint8_t)fz_u(g, 6);
    fz_bn(u, 0, rel_size);
}

void fz_f_jcc8(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, 0x70 + fz_cc(g));
    jump(g, u, 1);
}

void fz_f_jmp8(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, 0xeb);
    jump(g, u, 1);
}

/* Near forms; a 66 prefix swaps the displacement size (and, with 16 bits,
 * truncates EIP: harmless, as the code lies below 64 KiB). */
static int near_rel(struct fz_gen *g, struct fz_unit *u)
{
    bool swap = fz_chance(g, 10);
    if (swap) fz_b(u, 0x66);
    return swap ? 6 - g->code : g->code;
}

void fz_f_jcc_near(struct fz_gen *g, struct fz_unit *u)
{
    int rel = near_rel(g, u);
    fz_b(u, 0x0f);
    fz_b(u, 0x80 + fz_cc(g));
    jump(g, u, rel);
}

void fz_f_jmp_near(struct fz_gen *g, struct fz_unit *u)
{
    int rel = near_rel(g, u);
    fz_b(u, 0xe9);
    jump(g, u, rel);
}

void fz_f_loop(struct fz_gen *g, struct fz_unit *u)
{
    bool swap = fz_chance(g, 20);
    int asz = swap ? 6 - g->code : g->code;
    if (fz_chance(g, 50)) fz_setup_mov(g, R_ECX, asz, fz_u(g, 4));
    if (swap) fz_b(u, 0x67);
    fz_b(u, 0xe0 + (int)fz_u(g, 4));
    jump(g, u, 1);
}

/* A CALL body: one to three instructions that leave the stack alone. */
static void body(struct fz_gen *g, struct fz_unit *u)
{
    g->body = u;
    int k = 1 + (int)fz_u(g, 3);
    for (int i = 0; i < k; i++)
        fz_gen_form(g, fz_pick_form(g));
    g->body = NULL;
}

/* "call L1; jmp short L2; L1: body; ret; L2:" with 'os' the operand size. */
static void call_tail(struct fz_gen *g, struct fz_unit *u, int os, bool ret_imm, bool far)
{
    fz_b(u, 0xeb);
    int hole = u->len;
    fz_b(u, 0);
    body(g, u);
    if (os != g->code) fz_b(u, 0x66);
    fz_b(u, (far ? 0xca : 0xc2) + !ret_imm);
    if (ret_imm) fz_bn(u, (uint32_t)os, 2);
    u->bytes[hole] = (uint8_t)(u->len - hole - 1);
}

static int call_os(struct fz_gen *g, struct fz_unit *u)
{
    int os = fz_chance(g, 10) ? 6 - g->code : g->code;
    if (os != g->code) fz_b(u, 0x66);
    return os;
}

void fz_f_call_rel(struct fz_gen *g, struct fz_unit *u)
{
    bool ret_imm = fz_chance(g, 30);
    int os = g->code;
    if (ret_imm) { /* an argument that RET imm16 drops */
        os = call_os(g, u);
        fz_b(u, 0x68);
        fz_bn(u, fz_value(g, os), os);
        if (os != g->code) fz_b(u, 0x66);
    } else {
        os = call_os(g, u);
    }
    fz_b(u, 0xe8);
    fz_bn(u, 2, os); /* over the JMP short */
    call_tail(g, u, os, ret_imm, false);
}

void fz_f_call_reg(struct fz_gen *g, struct fz_unit *u)
{
    int os = call_os(g, u);
    int r = (int)fz_u(g, 7);
    r += r >= R_ESP;
    fz_b(u, 0xb8 + r);
    u->abs_off = (uint8_t)u->len;
    u->abs_size = (uint8_t)os;
    fz_bn(u, 0, os);
    if (os != g->code) fz_b(u, 0x66);
    fz_b(u, 0xff);
    fz_b(u, 0xc0 | 2 << 3 | r);
    u->abs_add = (uint8_t)(u->len + 2); /* L1: past the JMP short */
    call_tail(g, u, os, false, false);
}

/* ---- far transfers (to a code segment of the same size), software
 * interrupts, ports, ENTER/LEAVE ---- */

static uint16_t code_selector(struct fz_gen *g)
{
    if (g->st->mode == FZ_REAL) return g->st->seg[SEG_CS].sel;
    if (g->st->cpl) return FZ_SEL_UCODE;
    if (g->code == 2) return FZ_SEL_CODE16;
    return fz_chance(g, 50) ? FZ_SEL_CODE32 : 0x30;
}

/* A far pointer to the unit's own address + abs_add (set by the caller). */
static void far_ptr(struct fz_gen *g, struct fz_unit *u, int os)
{
    u->abs_off = (uint8_t)u->len;
    u->abs_size = (uint8_t)os;
    fz_bn(u, 0, os);
    fz_bn(u, code_selector(g), 2);
}

void fz_f_jmp_far(struct fz_gen *g, struct fz_unit *u)
{
    int os = call_os(g, u);
    fz_b(u, 0xea);
    far_ptr(g, u, os);
    u->abs_add = u->len; /* the next unit */
}

/* "call far L1; jmp short L2; L1: body; retf; L2:" */
void fz_f_call_far(struct fz_gen *g, struct fz_unit *u)
{
    int os = call_os(g, u);
    fz_b(u, 0x9a);
    far_ptr(g, u, os);
    u->abs_add = (uint8_t)(u->len + 2);
    call_tail(g, u, os, fz_chance(g, 20), true);
}

void fz_f_int(struct fz_gen *g, struct fz_unit *u)
{
    uint32_t k = fz_u(g, 10);
    if (k < 3) {
        fz_b(u, 0xcc); /* INT3 */
    } else if (k < 5) {
        fz_b(u, 0xce); /* INTO */
    } else if (k < 6) {
        fz_b(u, 0xf1); /* INT1 (ICEBP) */
    } else {
        fz_b(u, 0xcd);
        fz_b(u, fz_u(g, FZ_VECTORS));
    }
}

/* A port with no device, clear of the handlers' ports even for a dword. */
static uint32_t port(struct fz_gen *g)
{
    uint32_t p = fz_chance(g, 80) ? fz_u(g, 0x100) : fz_u(g, 0x10000);
    return p >= FZ_EXC_PORT - 4 && p < FZ_EXC_PORT + FZ_VECTORS ? p + 0x40 : p;
}

void fz_f_in_out(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g);
    bool out = fz_chance(g, 50), dx = fz_chance(g, 50);
    if (fz_chance(g, 20)) { /* INS / OUTS, with or without REP */
        int asz = g->code;
        fz_setup_mov(g, R_EDX, 2, port(g));
        fz_setup_mov(g, out ? R_ESI : R_EDI, asz, fz_target(g, out ? SEG_DS : SEG_ES, size, asz));
        if (fz_chance(g, 50)) {
            fz_opsize(g, u, asz);
            fz_b(u, 0xb8 + R_ECX);
            fz_bn(u, fz_u(g, 20), asz);
            fz_b(u, 0xf3);
        }
        fz_opsize(g, u, size);
        fz_b(u, (out ? 0x6e : 0x6c) + (size > 1));
        return;
    }
    if (dx) fz_setup_mov(g, R_EDX, 2, port(g));
    fz_opsize(g, u, size);
    fz_b(u, (dx ? 0xec : 0xe4) + (out ? 2 : 0) + (size > 1));
    if (!dx) fz_b(u, port(g) & 0xff);
}

void fz_f_enter_leave(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    if (fz_chance(g, 50)) {
        fz_b(u, 0xc9); /* LEAVE */
        return;
    }
    fz_b(u, 0xc8);
    fz_bn(u, fz_u(g, 0x40), 2);
    fz_b(u, fz_chance(g, 60) ? 0 : fz_chance(g, 80) ? fz_u(g, 4) : fz_u(g, 32));
}

/* ---- strings ---- */

void fz_f_string(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[5] = {0xa4 /* MOVS */, 0xaa /* STOS */, 0xac /* LODS */,
                                   0xa6 /* CMPS */, 0xae /* SCAS */};
    int k = (int)fz_u(g, 5), size = fz_size(g);
    bool src = k == 0 || k == 2 || k == 3, dst = k != 2;
    int asz = fz_chance(g, g->code == 4 ? 10 : 25) ? 6 - g->code : g->code;
    int seg = src && fz_chance(g, 20) ? (int)fz_u(g, SEG_COUNT) : -1;
    int rep = 0;
    if (k >= 3)
        rep = fz_chance(g, 30) ? 0xf3 : fz_chance(g, 45) ? 0xf2 : 0;
    else
        rep = fz_chance(g, 50) ? 0xf3 : fz_chance(g, 5) ? 0xf2 : 0;
    /* A REP mostly gets a count, in the same unit so that no jump skips
     * it: a random one would run for long, as the interpreter counts up to
     * 4096 iterations as one instruction. Some counts cross that chunk
     * boundary, so the REP resumes mid-way. */
    uint32_t count = 0;
    bool set_count = rep || fz_chance(g, 30);
    if (set_count) {
        uint32_t pick = fz_u(g, 100);
        count = pick < 90 ? fz_u(g, 34) : pick < 92 ? 4090 + fz_u(g, 12) : 0;
    }
    if (src && fz_chance(g, 80))
        fz_setup_mov(g, R_ESI, asz, fz_target(g, seg >= 0 ? seg : SEG_DS, size, asz));
    if (dst && fz_chance(g, 80)) fz_setup_mov(g, R_EDI, asz, fz_target(g, SEG_ES, size, asz));
    if (set_count) {
        fz_opsize(g, u, asz);
        fz_b(u, 0xb8 + R_ECX);
        fz_bn(u, count, asz);
    }
    if (rep) fz_b(u, rep);
    struct fz_rm rm = {.mem = true, .m = {.asz = asz, .seg = seg}};
    fz_prefixes(g, u, size, &rm);
    fz_b(u, ops[k] + (size > 1));
}

/* ---- instructions the translator runs through helpers ---- */

void fz_f_cpuid(struct fz_gen *g, struct fz_unit *u)
{
    static const uint32_t leaves[] = {0, 1, 2, 3, 4, 0x80000000u, 0x80000001u, 0x12345678u};
    if (fz_chance(g, 70)) fz_setup_mov(g, R_EAX, 4, leaves[fz_u(g, 8)]);
    fz_b(u, 0x0f);
    fz_b(u, 0xa2);
}

void fz_f_flag_ops(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[] = {0xf8 /* CLC */,
                                  0xf9 /* STC */,
                                  0xf5 /* CMC */,
                                  0xfc /* CLD */,
                                  0xfd /* STD */,
                                  0xfa /* CLI */,
                                  0xfb /* STI: an interrupt shadow */};
    fz_b(u, ops[fz_u(g, 7)]);
}

void fz_f_lahf_sahf(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, fz_chance(g, 50) ? 0x9f : 0x9e);
}

void fz_f_cbw_cwd(struct fz_gen *g, struct fz_unit *u)
{
    fz_opsize(g, u, fz_size_wd(g));
    fz_b(u, fz_chance(g, 50) ? 0x98 : 0x99);
}

void fz_f_bcd(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[] = {0x27 /* DAA */, 0x2f /* DAS */, 0x37 /* AAA */, 0x3f /* AAS */};
    fz_b(u, ops[fz_u(g, 4)]);
}

void fz_f_aam_aad(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, fz_chance(g, 50) ? 0xd4 : 0xd5);
    fz_b(u, fz_chance(g, 60) ? 10 : fz_chance(g, 20) ? 0 : fz_u(g, 256));
}

void fz_f_xlat(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm = {.mem = true};
    rm.m.asz = fz_chance(g, 15) ? 6 - g->code : g->code;
    rm.m.seg = fz_chance(g, 20) ? (int)fz_u(g, SEG_COUNT) : -1;
    if (fz_chance(g, 70))
        fz_setup_mov(g, R_EBX, rm.m.asz,
                     fz_target(g, rm.m.seg >= 0 ? rm.m.seg : SEG_DS, 1, rm.m.asz) - fz_u(g, 256));
    fz_prefixes(g, u, 1, &rm);
    fz_b(u, 0xd7);
}

void fz_f_nop_salc(struct fz_gen *g, struct fz_unit *u)
{
    fz_b(u, fz_chance(g, 70) ? 0x90 : 0xd6);
}

/* ---- self-modification and paging control ---- */

/* A store into the next unit (its first four bytes): the translator must
 * drop the block that holds it, even when the store is in that block. */
void fz_f_smc_next(struct fz_gen *g, struct fz_unit *u)
{
    int size = fz_size(g), asz = g->code;
    bool cs = g->st->mode == FZ_REAL && fz_chance(g, 50); /* CS-relative: an EIP */
    if (cs) fz_b(u, 0x2e);
    fz_opsize(g, u, size);
    fz_b(u, size == 1 ? 0xc6 : 0xc7);
    fz_b(u, asz == 2 ? 0x06 : 0x05); /* [disp16] or [disp32] */
    u->abs_off = (uint8_t)u->len;
    u->abs_size = (uint8_t)asz;
    u->abs_lin = !cs;
    fz_bn(u, 0, asz);
    fz_bn(u, fz_value(g, size), size);
    u->abs_add = (uint8_t)(u->len + fz_u(g, 4));
}

/* Remap FZ_SLOT to another RAM page through the page-table window, then
 * INVLPG it: later accesses through the slot must see the new page. */
void fz_f_remap(struct fz_gen *g, struct fz_unit *u)
{
    uint32_t page = fz_u(g, FZ_PAGEDIR >> 12);
    uint32_t pte = page << 12 | 1 | (fz_chance(g, 80) ? 2 : 0) | (fz_chance(g, 50) ? 4 : 0);
    if (fz_chance(g, 5)) pte = 0; /* not present */
    fz_b(u, 0xc7);
    fz_b(u, 0x05); /* mov dword [FZ_PTWIN + 4 * slot], pte */
    fz_bn(u, FZ_PTWIN + 4 * (FZ_SLOT >> 12), 4);
    fz_bn(u, pte, 4);
    fz_b(u, 0x0f);
    fz_b(u, 0x01);
    fz_b(u, 0x3d); /* invlpg [FZ_SLOT + k] */
    fz_bn(u, FZ_SLOT + fz_u(g, 0x1000), 4);
}

/* CR3 reloaded (TLB flush), CR0.WP toggled, or INVLPG of any page. */
void fz_f_cr_ops(struct fz_gen *g, struct fz_unit *u)
{
    uint32_t k = fz_u(g, 3);
    if (k == 0) {
        static const uint8_t reload[] = {0x0f, 0x20, 0xd8, 0x0f, 0x22, 0xd8}; /* eax <-> cr3 */
        for (size_t i = 0; i < sizeof(reload); i++)
            fz_b(u, reload[i]);
    } else if (k == 1) {
        static const uint8_t wp[] = {
            0x0f, 0x20, 0xc0, 0x35, 0x00, 0x00,
            0x01, 0x00, 0x0f, 0x22, 0xc0}; /* mov eax, cr0; xor eax, CR0_WP; mov cr0, eax */
        for (size_t i = 0; i < sizeof(wp); i++)
            fz_b(u, wp[i]);
    } else {
        struct fz_rm rm = {.mem = true};
        fz_gen_mem(g, &rm.m, 1);
        fz_prefixes(g, u, g->code, &rm);
        fz_b(u, 0x0f);
        fz_b(u, 0x01);
        fz_modrm(u, 7, &rm); /* invlpg */
    }
}

/* ---- returns to the next unit, far pointer loads, descriptor queries ---- */

/* "pushf; push cs; push next; iret" or "push cs; push next; retf": the
 * trapped returns, landing on the next unit. */
void fz_f_iret_retf(struct fz_gen *g, struct fz_unit *u)
{
    bool iret = fz_chance(g, 60);
    if (iret) fz_b(u, 0x9c);
    fz_b(u, 0x0e);
    fz_b(u, 0x68);
    u->abs_off = (uint8_t)u->len;
    u->abs_size = (uint8_t)g->code;
    fz_bn(u, 0, g->code);
    fz_b(u, iret ? 0xcf : 0xcb);
    u->abs_add = (uint8_t)u->len;
}

/* LDS, LES, LFS, LGS (and LSS in real mode) from a random far pointer. */
void fz_f_load_far(struct fz_gen *g, struct fz_unit *u)
{
    static const uint8_t ops[5][2] = {{0xc5}, {0xc4}, {0x0f, 0xb4}, {0x0f, 0xb5}, {0x0f, 0xb2}};
    int k = (int)fz_u(g, real_ss(g) ? 5 : 4), size = fz_size_wd(g);
    struct fz_rm rm = {.mem = true};
    fz_gen_mem(g, &rm.m, size + 2);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, ops[k][0]);
    if (ops[k][1]) fz_b(u, ops[k][1]);
    fz_modrm(u, fz_wreg(g, size), &rm);
}

/* LAR, LSL, VERR, VERW on the GDT's selectors (protected mode), and the
 * stores SGDT, SIDT, SLDT, STR, SMSW (any mode). */
void fz_f_desc(struct fz_gen *g, struct fz_unit *u)
{
    struct fz_rm rm;
    uint32_t k = fz_u(g, g->st->mode == FZ_REAL ? 2 : 4);
    if (k < 2) {
        static const uint8_t stores[5][2] = {{0x01, 0}, {0x01, 1}, {0x00, 0}, {0x00, 1}, {0x01, 4}};
        int s = (int)fz_u(g, 5);
        bool mem = stores[s][0] == 0x01 && stores[s][1] < 2;
        if (mem) {
            rm = (struct fz_rm){.mem = true};
            fz_gen_mem(g, &rm.m, 6);
        } else {
            fz_gen_rm(g, &rm, 2, true);
        }
        fz_prefixes(g, u, mem ? g->code : fz_size_wd(g), &rm);
        fz_b(u, 0x0f);
        fz_b(u, stores[s][0]);
        fz_modrm(u, stores[s][1], &rm);
        return;
    }
    fz_gen_rm(g, &rm, 2, false);
    if (!rm.mem && fz_chance(g, 80))
        fz_setup_mov(g, rm.reg, 2, 8 * fz_u(g, FZ_GDT_ENTRIES + 2) | fz_u(g, 4));
    if (k == 2) { /* LAR / LSL */
        int size = fz_size_wd(g);
        fz_prefixes(g, u, size, &rm);
        fz_b(u, 0x0f);
        fz_b(u, fz_chance(g, 50) ? 0x02 : 0x03);
        fz_modrm(u, fz_wreg(g, size), &rm);
    } else { /* VERR / VERW */
        fz_prefixes(g, u, g->code, &rm);
        fz_b(u, 0x0f);
        fz_b(u, 0x00);
        fz_modrm(u, 4 + (int)fz_u(g, 2), &rm);
    }
}

/* STI; HLT: the next interrupt wakes the CPU (drawn only with interrupts). */
void fz_f_sti_hlt(struct fz_gen *g, struct fz_unit *u)
{
    (void)g;
    fz_b(u, 0xfb);
    fz_b(u, 0xf4);
}
