/* SPDX-License-Identifier: MIT */
/*
 * kiln-jitfuzz generator core: the random initial state (registers, flags,
 * segment caches and the GDT they come from), memory operands aimed at
 * interesting places (data, stack, the code itself, segment limits, outside
 * RAM, the 64 KiB and 4 GiB edges), prefixes, and the layout of a stream in
 * guest memory. Owns no Kiln state. Encodings: Intel SDM Vol. 2 ch. 2;
 * descriptors: Vol. 3A 3.4.5.
 */
#include "jit_fuzz_gen.h"

#include <string.h>

#include "cpu/decode.h"
#include "cpu/opcodes.h"

/* ---- random numbers ---- */

void fz_rng_seed(struct fz_rng *r, uint64_t seed)
{
    /* splitmix64 scrambles nearby seeds into unrelated states */
    uint64_t z = seed + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    r->s = (z ^ (z >> 31)) | 1;
}

uint64_t fz_rng_next(struct fz_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

uint32_t fz_rnd(struct fz_rng *r, uint32_t n)
{
    return (uint32_t)((fz_rng_next(r) >> 32) % n);
}

uint32_t fz_u(struct fz_gen *g, uint32_t n)
{
    return fz_rnd(g->r, n);
}

bool fz_chance(struct fz_gen *g, int percent)
{
    return (int)fz_u(g, 100) < percent;
}

bool fz_old_model(const struct fz_state *st)
{
    return st->model && st->model->gen < CPU_386;
}

/* An 8086 or 286 has no 32-bit operands: those sizes become 16-bit. */
int fz_size(struct fz_gen *g)
{
    uint32_t k = fz_u(g, 20);
    return k < 6 ? 1 : k < 11 || fz_old_model(g->st) ? 2 : 4;
}

int fz_size_wd(struct fz_gen *g)
{
    return fz_chance(g, 40) || fz_old_model(g->st) ? 2 : 4;
}

/*
 * Does every instruction of unit 'u' exist on the case's model? Kiln's own
 * decoder for that generation says so: not #UD (286), and no row that
 * exists only as an 8086 alias (66 and 0F as Jcc and POP CS, C0 as C2...)
 * or as the FPU-less models' ESC no-op. The 8086 decodes an undefined
 * encoding as OP_INVALID. A unit whose bytes do not decode to its end (data
 * that a template stores inline) is not kept either.
 */
static bool unit_fits_model(const struct fz_state *st, const struct fz_unit *u)
{
    if (!fz_old_model(st))
        return true;
    for (size_t off = 0; off < u->len;) {
        struct insn in;
        if (decode_buffer(st->model->gen, 2, u->bytes + off, u->len - off, &in) != DEC_OK)
            return false;
        if (in.op == OP_INVALID || (opc_rows[in.op].flags & (F_ONLY86 | F_NOFPU)))
            return false;
        off += in.len;
    }
    return true;
}

int fz_wreg(struct fz_gen *g, int size)
{
    int r = (int)fz_u(g, 8);
    if (size > 1 && r == R_ESP && !fz_chance(g, 3)) r = fz_chance(g, 50) ? R_EBP : R_EAX;
    return r;
}

static uint32_t mask_of(int size)
{
    return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static uint32_t value32(struct fz_rng *r)
{
    static const uint32_t special[] = {0,          1,          2,          0x7f,       0x80,
                                       0xff,       0x7fff,     0x8000,     0xffff,     0x10000,
                                       0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x1f,
                                       0x20,       0x21,       0x3f,       0x40,       0x0f0f0f0f};
    uint32_t k = fz_rnd(r, 10);
    if (k < 3) return special[fz_rnd(r, sizeof(special) / sizeof(special[0]))];
    if (k < 5) return fz_rnd(r, 0x40) - (fz_rnd(r, 2) ? 0x20 : 0);
    return (uint32_t)fz_rng_next(r);
}

uint32_t fz_value(struct fz_gen *g, int size)
{
    return value32(g->r) & mask_of(size);
}

/* ---- units ---- */

void fz_b(struct fz_unit *u, uint32_t byte)
{
    if (u->len < FZ_UNIT_MAX) u->bytes[u->len++] = (uint8_t)byte;
}

void fz_bn(struct fz_unit *u, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        fz_b(u, v >> (8 * i));
}

void fz_push(struct fz_gen *g, const struct fz_unit *u)
{
    if (!unit_fits_model(g->st, u))
        return;
    if (g->body) {
        /* Inside a CALL body: plain bytes only; drop what does not fit. */
        if (u->kind == FZ_PLAIN && !u->abs_off && g->body->len + u->len <= FZ_UNIT_MAX - 8) {
            memcpy(g->body->bytes + g->body->len, u->bytes, u->len);
            g->body->len += u->len;
        }
        return;
    }
    if (g->s->n < FZ_MAX_UNITS) g->s->u[g->s->n++] = *u;
}

void fz_opsize(struct fz_gen *g, struct fz_unit *u, int size)
{
    if (size != 1 && size != g->code) fz_b(u, 0x66);
}

void fz_setup_mov(struct fz_gen *g, int reg, int size, uint32_t v)
{
    struct fz_unit u = {.form = 0}; /* form 0 is the setup template */
    fz_opsize(g, &u, size);
    fz_b(&u, (size == 1 ? 0xb0 : 0xb8) + reg);
    fz_bn(&u, v, size);
    fz_push(g, &u);
}

/* ---- operand helpers for the templates ---- */

int fz_cc(struct fz_gen *g)
{
    return (int)fz_u(g, 16);
}

void fz_imm(struct fz_unit *u, uint32_t v, int size)
{
    fz_bn(u, v, size);
}

/* "op r/m, reg" or "op reg, r/m" with opcode 'op8' for bytes and op8 + 1 otherwise. */
void fz_rm_reg(struct fz_gen *g, struct fz_unit *u, int size, int op8, bool rm_dst, bool reg_dst)
{
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, rm_dst);
    int reg = reg_dst ? fz_wreg(g, size) : (int)fz_u(g, 8);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, op8 + (size > 1));
    fz_modrm(u, reg, &rm);
}

/* Two-byte opcode 0F 'op' with a ModRM: reg destination, r/m source of 'src_size'. */
void fz_of_reg_rm(struct fz_gen *g, struct fz_unit *u, int size, int src_size, int op, bool reg_dst,
                  bool rm_dst)
{
    struct fz_rm rm;
    fz_gen_rm(g, &rm, src_size, rm_dst);
    int reg = reg_dst ? fz_wreg(g, size) : (int)fz_u(g, 8);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, 0x0f);
    fz_b(u, op);
    fz_modrm(u, reg, &rm);
}

/* Group opcode with /digit on an r/m of 'size'. */
void fz_grp(struct fz_gen *g, struct fz_unit *u, int size, int op, int digit, bool dst)
{
    struct fz_rm rm;
    fz_gen_rm(g, &rm, size, dst);
    fz_prefixes(g, u, size, &rm);
    fz_b(u, op);
    fz_modrm(u, digit, &rm);
}

int fz_imm_len(int size)
{
    return size == 1 ? 1 : size;
}

/* ---- memory operands ---- */

static bool prot(const struct fz_gen *g)
{
    return g->st->mode != FZ_REAL;
}

uint32_t fz_target(struct fz_gen *g, int seg, int size, int asz)
{
    const struct seg_cache *sc = &g->st->seg[seg];
    bool expand_down = prot(g) && (sc->attr & 0x1c) == 0x14;
    uint32_t lin, off;
    uint32_t k = fz_u(g, 100);
    bool paging = g->st->mode == FZ_PAGING || g->st->mode == FZ_USER;
    if (k < 40)
        lin = 0x2000 + fz_u(g, 0xc000); /* data */
    else if (k < 50)
        lin = FZ_STACK_TOP - 0x100 + fz_u(g, 0x200); /* around the stack */
    else if (k < 60)
        lin = g->st->code_lin + fz_u(g, 0x300); /* the stream itself: self-modifying stores */
    else if (k < 64)
        lin = (g->st->code_lin & ~0xfffu) + fz_u(g, 0x1000); /* the page holding the code */
    else if (k < 72)                                         /* across a page boundary */
        lin = 0x1000 * (1 + fz_u(g, 15)) - 1 - fz_u(g, size > 1 ? (uint32_t)size - 1 : 1);
    else {
        if (k < 81) /* the segment limit, from either side */
            off = (expand_down ? sc->limit + 1 : sc->limit - (uint32_t)size + 1) + fz_u(g, 7) - 3;
        else if (k < 85)
            off = 0xffff - fz_u(g, 6); /* the 64 KiB edge */
        else if (k < 95 && paging && fz_chance(g, 50)) {
            /* the mapped linear 8 MiB: holes, aliases, the page remapped by
             * the stream; never the page-table window (see build_paging) */
            lin = fz_chance(g, 20) ? FZ_SLOT + fz_u(g, 0x1000) : fz_u(g, 0x800000);
            if ((lin & ~0xfffu) == FZ_PTWIN) lin -= 0x2000;
            off = lin - sc->base;
        } else if (k < 95)
            off = (uint32_t)fz_rng_next(g->r); /* anywhere: mostly outside RAM */
        else
            off = 0xffffffffu - fz_u(g, 8); /* the 4 GiB edge */
        return asz == 2 ? off & 0xffff : off;
    }
    off = lin - sc->base;
    return asz == 2 ? off & 0xffff : off;
}

static uint32_t sext8(uint32_t v)
{
    return (uint32_t)(int32_t)(int8_t)(uint8_t)v;
}

static uint32_t rand_disp(struct fz_gen *g, int len)
{
    switch (len) {
    case 1: return fz_u(g, 256);
    case 2: return fz_chance(g, 50) ? (fz_u(g, 0x200) - 0x100) & 0xffff : fz_u(g, 0x10000);
    case 4: return fz_chance(g, 50) ? fz_u(g, 0x2000) - 0x1000 : (uint32_t)fz_rng_next(g->r);
    }
    return 0;
}

static uint32_t disp_value(const struct fz_mem *m)
{
    return m->disp_len == 1 ? sext8(m->disp) : m->disp;
}

static const int seg_pick[] = {SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_FS, SEG_GS, SEG_GS};

static void gen_mem16(struct fz_gen *g, struct fz_mem *m, int size, bool setup)
{
    /* r/m: BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP (disp16 with mod 0), BX */
    static const int base_of[8] = {R_EBX, R_EBX, R_EBP, R_EBP, R_ESI, R_EDI, R_EBP, R_EBX};
    static const int index_of[8] = {R_ESI, R_EDI, R_ESI, R_EDI, -1, -1, -1, -1};
    int rm = (int)fz_u(g, 8), mod = (int)fz_u(g, 3);
    bool direct = mod == 0 && rm == 6;
    m->modrm = (uint8_t)(mod << 6 | rm);
    m->disp_len = direct ? 2 : mod;
    m->disp = rand_disp(g, m->disp_len);
    int seg = m->seg >= 0 ? m->seg : (!direct && (rm == 2 || rm == 3 || rm == 6)) ? SEG_SS : SEG_DS;
    uint32_t t = fz_target(g, seg, size, 2);
    if (direct) {
        m->disp = t;
        return;
    }
    if (!setup) return;
    uint32_t idx = 0;
    if (index_of[rm] >= 0) {
        idx = fz_u(g, 0x100);
        fz_setup_mov(g, index_of[rm], 2, idx);
    }
    fz_setup_mov(g, base_of[rm], 2, (t - disp_value(m) - idx) & 0xffff);
}

static void gen_mem32(struct fz_gen *g, struct fz_mem *m, int size, bool setup)
{
    static const int gp[7] = {R_EAX, R_ECX, R_EDX, R_EBX, R_EBP, R_ESI, R_EDI};
    uint32_t f = fz_u(g, 10);
    int mod, base = -1, index = -1, scale = 0;
    if (f == 0) { /* [disp32] */
        m->modrm = 0x05;
        m->disp_len = 4;
        m->disp = fz_target(g, m->seg >= 0 ? m->seg : SEG_DS, size, 4);
        return;
    }
    if (f < 6) {
        base = gp[fz_u(g, 7)];
        mod = base == R_EBP ? 1 + (int)fz_u(g, 2) : (int)fz_u(g, 3);
        m->modrm = (uint8_t)(mod << 6 | base);
    } else {
        mod = (int)fz_u(g, 3);
        base = (int)fz_u(g, 8);
        index = fz_chance(g, 10) ? R_ESP : gp[fz_u(g, 7)]; /* index 100b: none */
        if (index == base) index = base == R_EAX ? R_ECX : R_EAX;
        scale = (int)fz_u(g, 4);
        m->modrm = (uint8_t)(mod << 6 | 4);
        m->has_sib = true;
        m->sib = (uint8_t)(scale << 6 | index << 3 | base);
        if (base == R_EBP && mod == 0) base = -1; /* no base, disp32 */
        if (index == R_ESP) index = -1;
    }
    m->disp_len = base < 0 ? 4 : mod == 1 ? 1 : mod == 2 ? 4 : 0;
    m->disp = rand_disp(g, m->disp_len);
    int seg = m->seg >= 0 ? m->seg : (base == R_ESP || base == R_EBP) ? SEG_SS : SEG_DS;
    uint32_t t = fz_target(g, seg, size, 4);
    if (!setup) return;
    uint32_t idx = 0;
    if (index >= 0) {
        idx = fz_u(g, 0x100) - (fz_chance(g, 20) ? 0x80 : 0);
        fz_setup_mov(g, index, 4, idx);
    }
    if (base < 0)
        m->disp = t - (idx << scale);
    else if (base != R_ESP)
        fz_setup_mov(g, base, 4, t - disp_value(m) - (idx << scale));
}

void fz_gen_mem(struct fz_gen *g, struct fz_mem *m, int size)
{
    memset(m, 0, sizeof(*m));
    m->asz = g->code;
    if (fz_chance(g, g->code == 4 ? 10 : 25) && !fz_old_model(g->st)) m->asz = 6 - g->code;
    m->seg = fz_chance(g, 25) ? seg_pick[fz_u(g, 8)] : -1;
    if (fz_old_model(g->st) && (m->seg == SEG_FS || m->seg == SEG_GS)) m->seg = -1;
    bool setup = fz_chance(g, 85);
    if (m->asz == 2)
        gen_mem16(g, m, size, setup);
    else
        gen_mem32(g, m, size, setup);
}

void fz_gen_rm(struct fz_gen *g, struct fz_rm *rm, int size, bool dst)
{
    memset(rm, 0, sizeof(*rm));
    rm->mem = fz_chance(g, 60);
    if (rm->mem)
        fz_gen_mem(g, &rm->m, size);
    else
        rm->reg = dst ? fz_wreg(g, size) : (int)fz_u(g, 8);
}

void fz_prefixes(struct fz_gen *g, struct fz_unit *u, int size, const struct fz_rm *rm)
{
    static const uint8_t seg_prefix[SEG_COUNT] = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65};
    bool opsize_first = fz_chance(g, 15);
    if (fz_chance(g, 2)) fz_b(u, 0xf0); /* LOCK: valid on read-modify-write memory forms only */
    if (opsize_first) fz_opsize(g, u, size);
    if (rm && rm->mem && rm->m.seg >= 0) fz_b(u, seg_prefix[rm->m.seg]);
    if (rm && rm->mem && rm->m.asz != g->code) fz_b(u, 0x67);
    if (!opsize_first) fz_opsize(g, u, size);
}

void fz_modrm(struct fz_unit *u, int reg, const struct fz_rm *rm)
{
    if (!rm->mem) {
        fz_b(u, 0xc0 | (reg & 7) << 3 | rm->reg);
        return;
    }
    fz_b(u, rm->m.modrm | (reg & 7) << 3);
    if (rm->m.has_sib) fz_b(u, rm->m.sib);
    fz_bn(u, rm->m.disp, rm->m.disp_len);
}

/* ---- the initial state ---- */

/* A segment cache as the CPU would load it from a descriptor with these
 * fields ('type' is the access byte, 'flags' the G/DB nibble). */
static struct seg_cache mkseg(uint16_t sel, uint32_t base, uint32_t raw_limit, unsigned type,
                              unsigned flags)
{
    uint32_t limit = flags & 8 ? raw_limit << 12 | 0xfff : raw_limit;
    uint16_t attr = (uint16_t)(type | ((raw_limit >> 16) & 0xf) << 8 | flags << 12);
    return (struct seg_cache){sel, attr, base, limit};
}

static void gen_gdt(struct fz_rng *r, struct fz_state *st)
{
    memset(st->gdt, 0, sizeof(st->gdt));
    st->gdt[1] = mkseg(0x08, 0, 0xfffff, 0x9b, 0xc);
    st->gdt[2] = mkseg(0x10, 0, 0xfffff, 0x93, 0xc);
    /* a small data segment inside the window, byte- or page-granular */
    uint32_t base = fz_rnd(r, 0xe000);
    if (fz_rnd(r, 4))
        st->gdt[3] = mkseg(0x18, base, fz_rnd(r, 2) ? fz_rnd(r, 0x10000) : fz_rnd(r, 0x200), 0x93,
                           fz_rnd(r, 2) ? 4 : 0);
    else
        st->gdt[3] = mkseg(0x18, base, fz_rnd(r, 0x20), 0x93, 0xc);
    /* expand-down: valid offsets lie above the limit */
    st->gdt[4] = mkseg(0x20, fz_rnd(r, 0xe000), fz_rnd(r, 0x10000), 0x97, fz_rnd(r, 2) ? 4 : 0);
    st->gdt[5] = mkseg(0x28, fz_rnd(r, 2) ? 0 : fz_rnd(r, 0xe000), 0xffff, 0x91, 4); /* read-only */
    st->gdt[6] = mkseg(0x30, 0, 0xfffff, 0x9b, 0xc); /* code: readable, never writable */
    st->gdt[7] = mkseg(0x38, 0, 0xfffff, 0x13, 0xc); /* not present */
    st->gdt[8] = mkseg(FZ_SEL_CODE16, 0, 0xffff, 0x9b, 0);
    st->gdt[9] = mkseg(FZ_SEL_DATA16, 0, 0xffff, 0x93, 0);
    st->gdt[10] = mkseg(FZ_SEL_UCODE, 0, 0xfffff, 0xfb, 0xc);
    st->gdt[11] = mkseg(FZ_SEL_UDATA, 0, 0xfffff, 0xf3, 0xc);
    st->gdt[12] = mkseg(FZ_SEL_TSS, FZ_TSS, 0x67, 0x8b, 0);
}

/* How many paragraphs below the stream a 16-bit code segment starts: the
 * stream's EIPs then lie between 0 and 4 KiB + 3 KiB. While finding 1 is
 * open they stay above the handlers' offsets (see jit_fuzz_table.c). */
static uint32_t cs_below(struct fz_rng *r)
{
    uint32_t low = fz_avoid_handler_eips ? (FZ_HANDLERS - FZ_ROM + 16 * FZ_VECTORS) >> 4 : 0;
    return low + fz_rnd(r, 0x100 - low);
}

void fz_gen_state(struct fz_rng *r, enum fz_mode mode, struct fz_state *st)
{
    memset(st, 0, sizeof(*st));
    st->mode = mode;
    for (int i = 0; i < 8; i++) {
        uint32_t k = fz_rnd(r, 4);
        st->r[i] = k == 0 ? 0x2000 + fz_rnd(r, 0xc000) : value32(r);
    }
    st->r[R_ESP] = FZ_STACK_TOP;
    st->eflags = 0x2 | ((uint32_t)fz_rng_next(r) & (FL_ARITH | FL_DF | FL_IF));
    st->ram_seed = fz_rng_next(r);
    st->pt_seed = fz_rng_next(r);
    st->irq_period = fz_rnd(r, 2) ? 0 : 20 + fz_rnd(r, 400);
    /* the stream, sometimes crossing a page boundary */
    st->code_lin = st->code_eip = FZ_CODE + (fz_rnd(r, 3) ? fz_rnd(r, 0x1000) : 0);
    gen_gdt(r, st);
    if (mode == FZ_REAL) {
        for (int s = 0; s < SEG_COUNT; s++)
            st->seg[s] = (struct seg_cache){0, 0x93, 0, 0xffff};
        st->seg[SEG_CS].attr = 0x9b;
        for (int s = SEG_FS; s <= SEG_GS; s++) {
            uint32_t k = fz_rnd(r, 10);
            uint16_t sel = (uint16_t)(k < 7   ? fz_rnd(r, 0xe00)
                                      : k < 9 ? fz_rnd(r, 0x10000)
                                              : 0xffff);
            st->seg[s].sel = sel;
            st->seg[s].base = (uint32_t)sel << 4;
        }
        st->a20_off = fz_rnd(r, 10) < 3;
        /* CS based below the stream (not 0), so the translator sees a CS base */ uint16_t cs =
            (uint16_t)((st->code_lin >> 4) - cs_below(r));
        st->seg[SEG_CS].sel = cs;
        st->seg[SEG_CS].base = (uint32_t)cs << 4;
        st->code_eip = st->code_lin - st->seg[SEG_CS].base;
        return;
    }
    st->cr0 = CR0_PE;
    if (mode == FZ_PAGING || mode == FZ_USER) {
        st->cr0 |= CR0_PG | (fz_rnd(r, 2) ? CR0_WP : 0);
        st->cr3 = FZ_PAGEDIR;
    }
    if (mode == FZ_USER) {
        /* Alignment checking is live at CPL 3 with CR0.AM and EFLAGS.AC. */
        st->cpl = 3;
        st->cr0 |= fz_rnd(r, 2) ? CR0_AM : 0;
        st->eflags |= fz_rnd(r, 2) ? FL_AC : 0;
        st->seg[SEG_CS] = st->gdt[10];
        for (int s = 0; s < SEG_COUNT; s++)
            if (s != SEG_CS) st->seg[s] = st->gdt[11];
        for (int s = SEG_FS; s <= SEG_GS; s++)
            if (fz_rnd(r, 4) == 0) st->seg[s] = st->gdt[0];
        return;
    }
    st->seg[SEG_CS] = st->gdt[mode == FZ_PMODE16 ? 8 : 1];
    if (mode == FZ_PMODE16) { /* a code segment based below the stream */
        st->gdt[8].base = (st->code_lin & ~0xfu) - 16 * cs_below(r);
        st->seg[SEG_CS] = st->gdt[8];
        st->code_eip = st->code_lin - st->gdt[8].base;
    }
    st->seg[SEG_DS] = st->seg[SEG_ES] = st->seg[SEG_SS] = st->gdt[2];
    if (fz_rnd(r, 100) < (mode == FZ_PMODE16 ? 50u : 15u))
        st->seg[SEG_SS] = st->gdt[9]; /* a 16-bit stack */
    static const int fs_pick[] = {0, 2, 3, 3, 4, 4, 5, 6};
    for (int s = SEG_FS; s <= SEG_GS; s++)
        st->seg[s] = st->gdt[fs_pick[fz_rnd(r, 8)]];
}

int fz_mode_code_size(enum fz_mode mode)
{
    return mode == FZ_REAL || mode == FZ_PMODE16 ? 2 : 4;
}

/* ---- streams ---- */

void fz_gen_stream(struct fz_rng *r, const struct fz_state *st, int units, struct fz_stream *s)
{
    struct fz_gen g = {.r = r, .st = st, .s = s, .code = fz_mode_code_size(st->mode)};
    s->n = 0;
    while (s->n < units && s->n < FZ_MAX_UNITS - 8)
        fz_gen_form(&g, fz_pick_form(&g));
}

/* The tail: reset ESP (SP before the 386) and jump back to the start, so the stream loops. */
static int tail(const struct fz_state *st, uint8_t *p, int at)
{
    enum fz_mode mode = st->mode;
    int n = 0, sp_len = fz_old_model(st) ? 2 : 4;
    if (fz_mode_code_size(mode) == 2 && sp_len == 4) p[n++] = 0x66;
    p[n++] = 0xb8 + R_ESP;
    memcpy(p + n, &(uint32_t){FZ_STACK_TOP}, (size_t)sp_len); /* little-endian host */
    n += sp_len;
    p[n++] = 0xe9;
    int rel_len = fz_mode_code_size(mode);
    uint32_t rel = (uint32_t)(0 - (at + n + rel_len));
    memcpy(p + n, &rel, (size_t)rel_len); /* little-endian host */
    return n + rel_len;
}

enum { FZ_TAIL_MAX = 12 };

int fz_assemble(const struct fz_stream *s, const struct fz_state *st, uint8_t *out, int *starts_out,
                int *laid)
{
    int starts[FZ_MAX_UNITS + 1];
    int n = 0, pos = 0;
    while (n < s->n && pos + s->u[n].len <= FZ_CODE_MAX - FZ_TAIL_MAX) {
        starts[n] = pos;
        memcpy(out + pos, s->u[n].bytes, s->u[n].len);
        pos += s->u[n].len;
        n++;
    }
    starts[n] = pos;
    for (int i = 0; i < n; i++) {
        const struct fz_unit *u = &s->u[i];
        int end = starts[i] + u->len;
        if (u->kind == FZ_JUMP) {
            int t = i + 1 + u->skip < n ? i + 1 + u->skip : n;
            while (u->rel_size == 1 && starts[t] - end > 127)
                t--;
            uint32_t rel = (uint32_t)(starts[t] - end);
            memcpy(out + end - u->rel_size, &rel, u->rel_size);
        } else if (u->abs_off) {
            uint32_t a =
                (u->abs_lin ? st->code_lin : st->code_eip) + (uint32_t)starts[i] + u->abs_add;
            memcpy(out + starts[i] + u->abs_off, &a, u->abs_size);
        }
    }
    pos += tail(st, out + pos, pos);
    if (starts_out) memcpy(starts_out, starts, sizeof(int) * (size_t)(n + 1));
    if (laid) *laid = n;
    return pos;
}
