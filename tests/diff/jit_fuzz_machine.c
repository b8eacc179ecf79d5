/* SPDX-License-Identifier: MIT */
/*
 * kiln-jitfuzz machine: two CPUs, each on its own bus with its own RAM, the
 * first run by the interpreter and the second by the translator. Builds the
 * guest memory for a test case (random RAM, the stream, page tables; the
 * ROM with the descriptor tables and exception handlers), sets the CPU
 * state directly, runs both engines to the same retired-instruction count
 * and compares all architectural state. Touches struct cpu only to set up
 * and read back. Gates: Intel SDM Vol. 3A 6.11-6.12; IVT: 20.1.4; paging:
 * 4.3 (32-bit paging).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/flags.h"
#include "cpu/mmu.h"
#include "cpu/interp.h"
#include "devices/bus.h"
#include "jit/dispatch.h"
#include "jit/exec.h"
#include "jit_fuzz.h"

struct fz_engine {
    struct bus *bus;
    struct cpu_bus cpu_bus;
    uint32_t exc[FZ_VECTORS]; /* exceptions delivered, by vector (the handlers' port writes) */
    FILE *trace;
    const char *name;
    struct cpu cpu;
};

struct fz_machine {
    int block_insns;
    struct jit *jit;
    uint8_t rom[FZ_ROM_SIZE];
    uint8_t image[FZ_RAM_SIZE];
    int starts[FZ_MAX_UNITS + 1], laid; /* the stream's layout */
    uint32_t code_eip;
    uint8_t hit[FZ_CODE_MAX]; /* stream offsets where the interpreter began an instruction */
    bool ss_base_seen;        /* SS had a base other than 0 at some step (finding 2) */
    /* the interpreter before a tentative extra step (sync_differ) */
    struct cpu save_cpu;
    uint8_t save_ram[FZ_RAM_SIZE];
    uint32_t save_exc[FZ_VECTORS];
    FILE *trace;           /* --trace: the interpreter's steps and the translator's blocks */
    struct fz_engine e[2]; /* 0: interpreter, 1: translator */
};

enum { INTERP, JIT };

static uint32_t rom_read(void *opaque, uint32_t addr, int size)
{
    const uint8_t *rom = opaque;
    uint32_t v = 0;
    for (int i = size - 1; i >= 0; i--)
        v = v << 8 | (addr + (uint32_t)i < FZ_ROM_SIZE ? rom[addr + (uint32_t)i] : 0xff);
    return v;
}

static const struct io_ops rom_ops = {rom_read, NULL};

static uint32_t exc_read(void *opaque, uint32_t addr, int size)
{
    (void)opaque;
    (void)addr;
    (void)size;
    return 0xffffffffu;
}

static void exc_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct fz_engine *e = opaque;
    (void)size;
    (void)val;
    if (addr < FZ_VECTORS) e->exc[addr]++;
    if (e->trace)
        fprintf(e->trace, "%s: handler of vector %u at icount %llu\n", e->name, addr,
                (unsigned long long)e->cpu.icount);
}

static const struct io_ops exc_ops = {exc_read, exc_write};

struct fz_machine *fz_machine_new(int block_insns, const struct cpu_model_info *model)
{
    struct fz_machine *m = calloc(1, sizeof(*m));
    if (!m) return NULL;
    m->block_insns = block_insns;
    for (int k = 0; k < 2; k++) {
        struct fz_engine *e = &m->e[k];
        e->bus = bus_new(FZ_RAM_SIZE);
        if (!e->bus || !bus_map_io(e->bus, FZ_EXC_PORT, FZ_VECTORS, &exc_ops, e) ||
            !bus_map_mmio(e->bus, FZ_ROM, FZ_ROM_SIZE, &rom_ops, m->rom)) {
            fz_machine_free(m);
            return NULL;
        }
        exec_connect_bus(&e->cpu_bus, e->bus);
        e->name = k == JIT ? "translator" : "interpreter";
        cpu_init(&e->cpu, model ? model : cpu_model_default(), &e->cpu_bus);
    }
    m->jit = jit_new(&m->e[JIT].cpu, block_insns);
    if (!m->jit) {
        fz_machine_free(m);
        return NULL;
    }
    return m;
}

void fz_machine_free(struct fz_machine *m)
{
    if (!m) return;
    jit_free(m->jit);
    for (int k = 0; k < 2; k++)
        bus_free(m->e[k].bus);
    free(m);
}

void fz_machine_set_trace(struct fz_machine *m, FILE *f)
{
    m->trace = m->e[0].trace = m->e[1].trace = f;
    jit_set_log(m->jit, f, f ? JIT_LOG_IN_ASM | JIT_LOG_IR : 0);
}

void fz_machine_print_stats(const struct fz_machine *m, FILE *f)
{
    jit_print_stats(m->jit, f);
}

int fz_machine_block_insns(const struct fz_machine *m)
{
    return m->block_insns;
}

/* ---- guest memory ---- */

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

/* A little assembler for the ROM code. */
struct asm_buf {
    uint8_t *p;
    uint32_t at; /* guest address of p[0] */
    int n;
};

static void o8(struct asm_buf *a, uint32_t v)
{
    a->p[a->n++] = (uint8_t)v;
}

static void o16(struct asm_buf *a, uint32_t v)
{
    put16(a->p + a->n, v);
    a->n += 2;
}

static void o32(struct asm_buf *a, uint32_t v)
{
    put32(a->p + a->n, v);
    a->n += 4;
}

static void bytes(struct asm_buf *a, const char *hex)
{
    for (const char *h = hex; *h; h += h[2] ? 3 : 2)
        o8(a, (uint32_t)strtoul((char[3]){h[0], h[1], 0}, NULL, 16));
}

/* The exceptions that push an error code (SDM Vol. 3A table 6-1). */
static bool has_error_code(uint32_t v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

/* The handlers' common part, 32-bit: look the return EIP up in the
 * next-unit table and IRET there, or restart the stream in its code
 * segment 'code_sel'. Registers and flags are as at the fault (IRET
 * restores EFLAGS). */
static void resume32(struct asm_buf *a, uint16_t code_sel, uint32_t code_eip)
{
    bytes(a, "50 8b 44 24 04"); /* push eax; mov eax, [esp+4] */
    o8(a, 0x2d);                /* sub eax, code_eip */
    o32(a, code_eip);
    o8(a, 0x3d); /* cmp eax, FZ_CODE_MAX */
    o32(a, FZ_CODE_MAX);
    bytes(a, "73 00"); /* jae restart */
    int jae = a->n - 1;
    bytes(a, "2e 0f b7 04 45"); /* movzx eax, word cs:[eax*2 + FZ_NEXT] */
    o32(a, FZ_NEXT);
    bytes(a, "89 44 24 04 58 cf"); /* mov [esp+4], eax; pop eax; iret */
    a->p[jae] = (uint8_t)(a->n - jae - 1);
    bytes(a, "58"); /* restart: pop eax */
    if (code_sel & 3) {
        /* back to ring 3 through an IRET frame on a fresh ring-0 stack */
        o8(a, 0xb8 + R_ESP);
        o32(a, FZ_KSTACK);
        o8(a, 0x68);
        o32(a, FZ_SEL_UDATA);
        o8(a, 0x68);
        o32(a, FZ_STACK_TOP);
        bytes(a, "9c 68"); /* pushfd; push code_sel */
        o32(a, code_sel);
        o8(a, 0x68);
        o32(a, code_eip);
        o8(a, 0xcf);
        return;
    }
    o8(a, 0xb8 + R_ESP);
    o32(a, FZ_STACK_TOP);
    o8(a, 0xea); /* JMP FAR to the stream's code segment */
    o32(a, code_eip);
    o16(a, code_sel);
}

/* The same in real mode, where the frame is IP, CS, FLAGS and only BX, BP,
 * SI and DI address memory. */
static void resume16(struct asm_buf *a, uint16_t code_sel, uint32_t code_eip, bool old)
{
    bytes(a, "55 89 e5 50 8b 46 02 81 7e 04"); /* push bp; mov bp, sp; push ax; mov ax, [bp+2] */
    o16(a, code_sel);                          /* cmp word [bp+4], code_sel */
    bytes(a, "75 00");                         /* jne restart */
    int jne = a->n - 1;
    o8(a, 0x2d); /* sub ax, code_eip */
    o16(a, code_eip);
    o8(a, 0x3d); /* cmp ax, FZ_CODE_MAX */
    o16(a, FZ_CODE_MAX);
    bytes(a, "73 00 53 89 c3 01 db"); /* jae restart; push bx; mov bx, ax; add bx, bx */
    int jae = a->n - 6;
    bytes(a, "2e 8b 87"); /* mov ax, cs:[bx + FZ_NEXT] */
    o16(a, FZ_NEXT - FZ_ROM);
    bytes(a, "5b 89 46 02 58 5d cf"); /* pop bx; mov [bp+2], ax; pop ax; pop bp; iret */
    a->p[jne] = (uint8_t)(a->n - jne - 1);
    a->p[jae] = (uint8_t)(a->n - jae - 1);
    bytes(a, "58 5d"); /* restart: pop ax; pop bp; mov esp (8086, 286: sp), FZ_STACK_TOP */
    if (!old) o8(a, 0x66);
    o8(a, 0xb8 + R_ESP);
    if (old)
        o16(a, FZ_STACK_TOP);
    else
        o32(a, FZ_STACK_TOP);
    o8(a, 0xea); /* jmp code_sel:code_eip */
    o16(a, code_eip);
    o16(a, code_sel);
}

/* The ROM: IDT or IVT, GDT, handler entries, their common part and the
 * next-unit table of the stream laid out with unit offsets 'starts'. */
static void build_rom(uint8_t *rom, const struct fz_state *st, const int *starts, int laid)
{
    memset(rom, 0, FZ_ROM_SIZE);
    for (int i = 1; i < FZ_GDT_ENTRIES; i++) {
        const struct seg_cache *d = &st->gdt[i];
        uint32_t raw = d->attr & SEG_ATTR_G ? d->limit >> 12 : d->limit;
        uint8_t *p = rom + (FZ_GDT - FZ_ROM) + 8 * i;
        put32(p, (d->base & 0xffff) << 16 | (raw & 0xffff));
        put32(p + 4, ((d->base >> 16) & 0xff) | (uint32_t)(d->attr & 0xf0ff) << 8 |
                         ((raw >> 16) & 0xf) << 16 | (d->base & 0xff000000u));
    }
    bool real = st->mode == FZ_REAL;
    for (uint32_t v = 0; v < FZ_VECTORS; v++) {
        uint32_t h = FZ_HANDLERS + 16 * v;
        struct asm_buf a = {rom + (h - FZ_ROM), h, 0};
        /* OUT first: it cannot fault at CPL 0, so a handler always retires
         * an instruction and no fault loop can run without end. */
        o8(&a, 0xe6);
        o8(&a, FZ_EXC_PORT + v);
        if (real) {
            put16(rom + 4 * v, h - FZ_ROM);
            put16(rom + 4 * v + 2, FZ_ROM >> 4);
            o8(&a, 0xe9);
            o16(&a, FZ_RESUME - (h + (uint32_t)a.n + 2));
        } else {
            put32(rom + 8 * v, 0x08u << 16 | (h & 0xffff));
            put32(rom + 8 * v + 4, (h & 0xffff0000u) | 0x8e00); /* 32-bit interrupt gate */
            if (has_error_code(v)) bytes(&a, "83 c4 04");       /* add esp, 4 */
            o8(&a, 0xe9);
            o32(&a, FZ_RESUME - (h + (uint32_t)a.n + 4));
        }
    }
    /* the TSS: ESP0 and SS0 for exceptions at CPL 3; the I/O map base lies
     * past the limit, so every port is denied there (SDM Vol. 3A 7.2.1) */
    put32(rom + (FZ_TSS - FZ_ROM) + 4, FZ_KSTACK);
    put32(rom + (FZ_TSS - FZ_ROM) + 8, FZ_SEL_DATA);
    put16(rom + (FZ_TSS - FZ_ROM) + 0x66, 0x68);
    struct asm_buf a = {rom + (FZ_RESUME - FZ_ROM), FZ_RESUME, 0};
    if (real)
        resume16(&a, st->seg[SEG_CS].sel, st->code_eip, fz_old_model(st));
    else
        resume32(&a, st->seg[SEG_CS].sel, st->code_eip);
    int u = 0;
    for (int off = 0; off < FZ_CODE_MAX; off++) {
        while (u < laid && starts[u] <= off)
            u++;
        put16(rom + (FZ_NEXT - FZ_ROM) + 2 * off, st->code_eip + (uint32_t)starts[u]);
    }
}

/* Page tables for linear 0-8 MiB: RAM identity-mapped with random
 * permissions and accessed/dirty bits, holes, aliases of RAM pages higher * up, the ROM
 * identity-mapped. The paging structures are mapped only at FZ_PTWIN, which only the "remap"
 * template writes, always followed by an INVLPG: a stray store could leave a cached translation
 * stale, and the TLB is not architecturally coherent with such stores (engines may differ). */
static void build_paging(uint8_t *ram, const struct fz_state *st)
{
    struct fz_rng r;
    fz_rng_seed(&r, st->pt_seed);
    memset(ram + FZ_PAGEDIR, 0, 0x3000);
    put32(ram + FZ_PAGEDIR, FZ_PAGETAB | 7);
    put32(ram + FZ_PAGEDIR + 4, (FZ_PAGETAB + 0x1000) | 7);
    for (uint32_t i = 0; i < 2048; i++) {
        uint32_t page = i, pte = 0;
        uint32_t flags = 1 | (fz_rnd(&r, 100) < 80 ? 2 : 0) | (fz_rnd(&r, 2) ? 4 : 0) |
                         (fz_rnd(&r, 2) ? 0x20 : 0) | (fz_rnd(&r, 2) ? 0x40 : 0);
        if (i < FZ_RAM_SIZE >> 12) {
            bool keep =
                i == st->code_lin >> 12 || i == (FZ_STACK_TOP >> 12) - 1 || i == FZ_STACK_TOP >> 12;
            if (keep) flags |= 7; /* user too, for the user mode */
            if (keep || fz_rnd(&r, 100) < 92) pte = page << 12 | flags;
            if (i == FZ_KSTACK >> 12) pte = page << 12 | 3; /* supervisor only */
        } else if (i >= FZ_ROM >> 12 && i < (FZ_ROM + FZ_ROM_SIZE) >> 12) {
            pte = page << 12 | 3;
        } else if (fz_rnd(&r, 100) < 30) {
            page = fz_rnd(&r, FZ_RAM_SIZE >> 12); /* an alias */
            pte = page << 12 | flags;
        }
        if (page >= FZ_PAGEDIR >> 12 && page < (FZ_PAGETAB >> 12) + 2) pte = 0;
        if (i == FZ_SLOT >> 12) /* the slot the stream remaps: some RAM page */
            pte = fz_rnd(&r, FZ_PAGEDIR >> 12) << 12 | 3;
        if (i == FZ_PTWIN >> 12) /* the page table itself, for the remapping stores */
            pte = FZ_PAGETAB | 3;
        put32(ram + FZ_PAGETAB + 4 * i, pte);
    }
}

static void build_image(struct fz_machine *m, const struct fz_state *st, const struct fz_stream *s)
{
    if (st->zero_ram) {
        memset(m->image, 0, FZ_RAM_SIZE);
    } else {
        struct fz_rng r;
        fz_rng_seed(&r, st->ram_seed);
        for (uint32_t a = 0; a < FZ_RAM_SIZE; a += 8) {
            uint64_t v = fz_rng_next(&r);
            memcpy(m->image + a, &v, 8);
        }
    }
    fz_assemble(s, st, m->image + st->code_lin, m->starts, &m->laid);
    m->code_eip = st->code_eip;
    memset(m->hit, 0, sizeof(m->hit));
    m->ss_base_seen = false;
    if (st->cr3) build_paging(m->image, st);
    build_rom(m->rom, st, m->starts, m->laid);
}

static void load(struct fz_engine *e, const uint8_t *image, const struct fz_state *st)
{
    struct cpu *c = &e->cpu;
    memcpy(bus_ram(e->bus), image, FZ_RAM_SIZE);
    memset(e->exc, 0, sizeof(e->exc));
    cpu_reset(c);
    c->icount = 0;
    memcpy(c->r, st->r, sizeof(c->r));
    c->eflags = st->eflags;
    if (fz_old_model(st)) {
        /* 16-bit registers, and FLAGS as the model can hold them in real mode */
        const struct cpu_model_info *md = c->model;
        for (int i = 0; i < 8; i++)
            c->r[i] &= 0xffff;
        c->eflags = (c->eflags & md->flags_supported & ~md->flags_real_ro0) | md->flags_fixed1;
    }
    c->lf_op = LF_NONE;
    c->eip = st->code_eip;
    memcpy(c->seg, st->seg, sizeof(c->seg));
    c->cr[0] |= st->cr0;
    c->cr[3] = st->cr3;
    c->gdtr = (struct dtr){FZ_GDT, 8 * FZ_GDT_ENTRIES - 1};
    c->idtr = (struct dtr){FZ_ROM, st->mode == FZ_REAL ? 4 * FZ_VECTORS - 1 : 8 * FZ_VECTORS - 1};
    cpu_set_a20(c, !st->a20_off);
    c->cpl = st->cpl;
    c->tr = st->gdt[FZ_SEL_TSS >> 3];
    /* the x87 as FNINIT leaves it: exceptions masked, so none is pending */
    c->fpu.cw = 0x037f;
    c->fpu.sw = 0;
    c->fpu.tw = 0xffff;
    mmu_flush(c);
}

/* ---- comparison ---- */

static const char *const reg_names[8] = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
static const char *const seg_names[SEG_COUNT] = {"ES", "CS", "SS", "DS", "FS", "GS"};

/* Write the difference into 'what'; returns true. */
static bool say(char *what, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool say(char *what, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, n, fmt, ap);
    va_end(ap);
    return true;
}

/* The first difference between the two engines, as a sentence in 'what'. */
static bool differ(struct fz_machine *m, bool shut_i, bool shut_j, bool full, char *what, size_t n)
{
    struct cpu *a = &m->e[INTERP].cpu, *b = &m->e[JIT].cpu;
    if (shut_i != shut_j)
        return say(what, n, "shutdown (triple fault): interp %d jit %d", shut_i, shut_j);
    if (a->eip != b->eip) return say(what, n, "EIP: interp %08x jit %08x", a->eip, b->eip);
    for (int i = 0; i < 8; i++)
        if (a->r[i] != b->r[i])
            return say(what, n, "%s: interp %08x jit %08x", reg_names[i], a->r[i], b->r[i]);
    uint32_t fa = flags_get(a), fb = flags_get(b);
    if (fa != fb)
        return say(what, n, "EFLAGS: interp %08x jit %08x (bits %08x differ)", fa, fb, fa ^ fb);
    for (int s = 0; s < SEG_COUNT; s++) {
        const struct seg_cache *x = &a->seg[s], *y = &b->seg[s];
        if (memcmp(x, y, sizeof(*x)))
            return say(what, n, "%s: interp %04x/%08x/%08x/%04x jit %04x/%08x/%08x/%04x",
                       seg_names[s], x->sel, x->base, x->limit, x->attr, y->sel, y->base, y->limit,
                       y->attr);
    }
    if (a->cpl != b->cpl) return say(what, n, "CPL: interp %d jit %d", a->cpl, b->cpl);
    if (a->halted != b->halted)
        return say(what, n, "halted: interp %d jit %d", a->halted, b->halted);
    for (int i = 0; i < 5; i++)
        if (a->cr[i] != b->cr[i])
            return say(what, n, "CR%d: interp %08x jit %08x", i, a->cr[i], b->cr[i]);
    if (a->icount != b->icount)
        return say(what, n, "instructions retired: interp %llu jit %llu",
                   (unsigned long long)a->icount, (unsigned long long)b->icount);
    for (int v = 0; v < FZ_VECTORS; v++)
        if (m->e[INTERP].exc[v] != m->e[JIT].exc[v])
            return say(what, n, "exceptions delivered with vector %d: interp %u jit %u", v,
                       m->e[INTERP].exc[v], m->e[JIT].exc[v]);
    const uint8_t *ra = bus_ram(m->e[INTERP].bus), *rb = bus_ram(m->e[JIT].bus);
    if (full && memcmp(ra, rb, FZ_RAM_SIZE)) {
        uint32_t first = 0, count = 0;
        for (uint32_t i = FZ_RAM_SIZE; i-- > 0;)
            if (ra[i] != rb[i]) {
                first = i;
                count++;
            }
        return say(what, n, "RAM[%05x]: interp %02x jit %02x (%u bytes differ)", first, ra[first],
                   rb[first], count);
    }
    if (memcmp(&a->fpu, &b->fpu, sizeof(a->fpu))) return say(what, n, "x87 state differs");
    return false;
}

static uint32_t exceptions(const struct fz_engine *e)
{
    uint32_t n = 0;
    for (int v = 0; v < FZ_VECTORS; v++)
        n += e->exc[v];
    return n;
}

/* Bring the interpreter to the translator's step count and
 * compare (RAM too when 'full'); true when they differ. The translator
 * stops at a block boundary, so the interpreter runs one step at a time; * a step that delivers an
 * exception retires nothing, and the guard only bounds a broken run (every handler retires its
 * first instruction, unless wild code left the mode the handlers were built for). */
static bool sync_differ(struct fz_machine *m, enum exec_stop js, enum exec_stop *is, bool full,
                        struct fz_result *res)
{
    struct cpu *ic = &m->e[INTERP].cpu,
               *jc = &m->e[JIT]
                          .cpu; /* (a guest can spin delivering faults that retire nothing until its
                                 * pushes overwrite the faulting code: the guard allows for that) */
    /* Both engines count a step as a retired instruction or a delivered
     * exception (struct cpu's icount and exceptions). */
    uint64_t target = jc->icount + jc->exceptions, guard = 3 * (jc->icount - ic->icount) + 1000000;
    while (ic->icount + ic->exceptions < target && *is == EXEC_BUDGET && guard--) {
        uint32_t off = ic->eip - m->code_eip;
        if (off < FZ_CODE_MAX) m->hit[off] = 1;
        m->ss_base_seen |= ic->seg[SEG_SS].base != 0;
        if (m->trace)
            fprintf(m->trace, "interp %llu: %04x:%08x  ss %04x/%08x esp %08x\n",
                    (unsigned long long)ic->icount, ic->seg[SEG_CS].sel, ic->eip,
                    ic->seg[SEG_SS].sel, ic->seg[SEG_SS].base, ic->r[R_ESP]);
        *is = exec_run(ic, 1, NULL);
    }
    bool shut_j = js == EXEC_SHUTDOWN;
    bool d = differ(
        m, *is == EXEC_SHUTDOWN, shut_j, full, res->what,
        sizeof(res->what)); /* The translator's last step may have been an exception delivered right
                             * after its last block (it retires nothing). Let the interpreter take
                             * the same extra steps: any step that retires nothing, and only such
                             * steps (a step that retires an instruction is undone). */
    uint8_t *ram = bus_ram(m->e[INTERP].bus);
    for (int extra = 0; d && extra < 3 && *is == EXEC_BUDGET && !ic->halted; extra++) {
        m->save_cpu = *ic;
        memcpy(m->save_ram, ram, FZ_RAM_SIZE);
        memcpy(m->save_exc, m->e[INTERP].exc, sizeof(m->save_exc));
        uint64_t before = ic->icount;
        enum exec_stop s = exec_run(ic, 1, NULL);
        if (ic->icount != before) {
            *ic = m->save_cpu;
            memcpy(ram, m->save_ram, FZ_RAM_SIZE);
            memcpy(m->e[INTERP].exc, m->save_exc, sizeof(m->save_exc));
            break;
        }
        *is = s;
        d = differ(m, *is == EXEC_SHUTDOWN, shut_j, full, res->what, sizeof(res->what));
    }
    return d;
}

void fz_machine_run(struct fz_machine *m, const struct fz_state *st, const struct fz_stream *s,
                    uint64_t budget, struct fz_result *res)
{
    memset(res, 0, sizeof(*res));
    build_image(m, st, s);
    for (int k = 0; k < 2; k++)
        load(&m->e[k], m->image, st);
    if (st->perturb) {
        m->e[JIT].cpu.r[R_EAX] ^= 1;
        bus_ram(m->e[JIT].bus)[FZ_PERTURB_BYTE] ^= 1;
    }
    jit_notify_ram_write(m->jit, 0, FZ_RAM_SIZE);

    struct cpu *ic = &m->e[INTERP].cpu, *jc = &m->e[JIT].cpu;
    enum exec_stop js = EXEC_BUDGET, is = EXEC_BUDGET;
    static const int low = 0, high = 1;
    /* With an interrupt period, the interrupt line rises after every quiet
     * stretch and stays up until the translator stops where the CPU can
     * take it; the interpreter must agree that it can, and both take it. */
    while (jc->icount < budget && js == EXEC_BUDGET && !res->differs) {
        uint64_t left = budget - jc->icount;
        if (!st->irq_period) {
            js = exec_run_intr(jc, left, NULL, &low);
            break;
        }
        js = exec_run_intr(jc, st->irq_period < left ? st->irq_period : left, NULL,
                           &low); /* (a CPU halted in the quiet stretch waits for the line) */
        if ((js != EXEC_BUDGET && js != EXEC_HALTED) || jc->icount >= budget) break;
        js = exec_run_intr(jc, budget - jc->icount, NULL, &high);
        if (js != EXEC_INTR) break;
        js = EXEC_BUDGET;
        if (sync_differ(m, js, &is, false, res)) {
            res->differs = true;
            break;
        }
        if (!interp_interruptible(ic)) {
            snprintf(res->what, sizeof(res->what),
                     "the translator stopped for an interrupt where the interpreter cannot take "
                     "one (IF %d, interrupt shadow %d)",
                     !!(ic->eflags & FL_IF), ic->irq_shadow);
            res->differs = true;
            break;
        } /* (the interrupt also wakes a CPU halted by HLT) */
        enum step_result ri = interp_external_interrupt(ic, FZ_IRQ_VECTOR);
        enum step_result rj = interp_external_interrupt(jc, FZ_IRQ_VECTOR);
        is = ri == STEP_SHUTDOWN ? EXEC_SHUTDOWN : EXEC_BUDGET;
        js = rj == STEP_SHUTDOWN ? EXEC_SHUTDOWN : EXEC_BUDGET;
    }
    if (!res->differs) res->differs = sync_differ(m, js, &is, true, res);
    if (m->trace) {
        for (int k = 0; k < 2; k++) {
            fprintf(m->trace, "%s: %04x:%08x, exceptions", k ? "translator" : "interpreter",
                    m->e[k].cpu.seg[SEG_CS].sel, m->e[k].cpu.eip);
            for (int v = 0; v < FZ_VECTORS; v++)
                if (m->e[k].exc[v]) fprintf(m->trace, " #%d: %u", v, m->e[k].exc[v]);
            fprintf(m->trace, "\n");
        }
    } /* Wild code (a stream that rewrote itself, a return to garbage) can
       * still reach a known bug that the generator steers clear of. */
    if (res->differs && fz_avoid_ss_base && m->ss_base_seen) res->known = 2;
    res->insns = jc->icount;
    res->exceptions = exceptions(&m->e[JIT]);
    memcpy(res->exc, m->e[JIT].exc, sizeof(res->exc));
    res->stopped_early = js != EXEC_BUDGET;
    res->units = m->laid;
    for (int u = 0; u < m->laid; u++)
        res->units_run += m->hit[m->starts[u]];
}
