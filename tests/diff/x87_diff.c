/* SPDX-License-Identifier: MIT */
/*
 * test_x87_diff: Kiln's x87/MMX unit against the host CPU. Each random case
 * (x87_gen.c) is FRSTOR of a state, one or two instructions with memory at
 * [eSI], then FNSAVE - run natively (x87_native.c) and through Kiln's
 * decoder and interpreter in flat 32-bit protected mode. FNSAVE images,
 * memory, EAX, ECX, arithmetic flags and faults must agree bit for bit;
 * FIP/FDP/FOP are not compared (the host's are its own, or deprecated).
 * Usage: test_x87_diff [cases] [seed]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "cpu/flags.h"
#include "cpu/interp.h"
#include "x87_gen.h"
#include "x87_native.h"

enum {
    RAM_SIZE = 1u << 20,
    GDT = 0x500,
    IDT = 0x800,
    CODE = 0x1000,
    IMG_IN = 0x2000,
    IMG_OUT = 0x2100,
    MEM = 0x3000,
    STACK = 0x8000,
    HANDLERS = 0x9000, /* vector v's handler at HANDLERS + 16 v */
    MAX_REPORTS = 40,
};

static uint8_t ram[RAM_SIZE];
static struct cpu cpu;

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

/* A flat protected-mode machine: GDT with code 08h and data 10h, an IDT
 * whose 32 interrupt gates lead to distinct addresses, so that a delivered
 * exception is recognised by where EIP lands. */
static void machine_init(void)
{
    struct cpu_bus bus = {.ram = ram, .ram_size = RAM_SIZE};
    cpu_init(&cpu, cpu_model_find("pentium2"), &bus);
    put32(ram + GDT + 8, 0x0000ffff);
    put32(ram + GDT + 12, 0x00cf9b00);
    put32(ram + GDT + 16, 0x0000ffff);
    put32(ram + GDT + 20, 0x00cf9300);
    for (uint32_t v = 0; v < 32; v++) {
        uint32_t h = HANDLERS + 16 * v;
        put32(ram + IDT + 8 * v, 0x00080000 | (h & 0xffff));
        put32(ram + IDT + 8 * v + 4, (h & 0xffff0000) | 0x8e00);
    }
}

static void machine_reset(void)
{
    cpu.gdtr = (struct dtr){GDT, 23};
    cpu.idtr = (struct dtr){IDT, 32 * 8 - 1};
    cpu.cr[0] = CR0_PE | CR0_ET | CR0_NE;
    cpu.cpl = 0;
    cpu.halted = 0;
    for (int s = 0; s < SEG_COUNT; s++)
        cpu.seg[s] = (struct seg_cache){0x10, 0xcf93, 0, 0xffffffff};
    cpu.seg[SEG_CS] = (struct seg_cache){0x08, 0xcf9b, 0, 0xffffffff};
    memset(&cpu.fpu, 0, sizeof(cpu.fpu));
    cpu.fpu.cw = 0x037f;
    cpu.fpu.tw = 0xffff;
}

/* Run one step; returns -1 when the instruction completed, or the vector
 * of the exception it raised. */
static int step(void)
{
    uint32_t eip = cpu.eip;
    if (interp_step(&cpu) != STEP_OK)
        return 99;
    if (cpu.eip >= HANDLERS && cpu.eip < HANDLERS + 16 * 32 && eip < HANDLERS)
        return (int)(cpu.eip - HANDLERS) / 16;
    return -1;
}

static int signal_vector(int sig)
{
    switch (sig) {
    case 0: return -1;
    case SIGFPE: return 16;
    case SIGILL: return 6;
    case SIGSEGV: case SIGBUS: return 13;
    default: return 98;
    }
}

struct result {
    int fault;
    uint8_t img[108];
    uint8_t mem[CASE_MEM_SIZE + 16];
    uint32_t eax, ecx, flags;
    struct fpu before, after; /* Kiln only: state around a faulting instruction */
};

static void run_kiln(const struct x87_case *c, struct result *r)
{
    machine_reset();
    memcpy(ram + IMG_IN, c->img, 108);
    memset(ram + IMG_OUT, 0, 108);
    memcpy(ram + MEM, c->mem, sizeof(c->mem));
    uint8_t *code = ram + CODE;
    code[0] = 0xdd; /* frstor [ebx] */
    code[1] = 0x23;
    memcpy(code + 2, c->insn, (size_t)c->len);
    code[2 + c->len] = 0xdd; /* fnsave [edi] */
    code[3 + c->len] = 0x37;
    memset(cpu.r, 0, sizeof(cpu.r));
    cpu.r[R_EAX] = c->eax;
    cpu.r[R_ECX] = c->ecx;
    cpu.r[R_EBX] = IMG_IN;
    cpu.r[R_ESI] = MEM + (uint32_t)c->mem_off;
    cpu.r[R_EDI] = IMG_OUT;
    cpu.r[R_ESP] = STACK;
    cpu.eflags = c->eflags;
    cpu.lf_op = LF_NONE;
    cpu.eip = CODE;
    r->fault = step();
    if (r->fault >= 0) {
        r->fault = 96; /* FRSTOR itself failed */
    } else {
        for (int n = 0; n < c->count && r->fault < 0; n++) {
            r->before = cpu.fpu;
            r->fault = step();
            r->after = cpu.fpu;
        }
        if (r->fault < 0)
            r->fault = step() < 0 ? -1 : 97;
    }
    memcpy(r->img, ram + IMG_OUT, 108);
    memcpy(r->mem, ram + MEM, sizeof(r->mem));
    r->eax = cpu.r[R_EAX];
    r->ecx = cpu.r[R_ECX];
    r->flags = flags_get(&cpu) & 0x8d5;
}

static void run_host(const struct x87_case *c, struct result *r)
{
    static struct native_frame fr;
    memset(&fr, 0, sizeof(fr));
    memcpy(fr.in, c->img, 108);
    fr.eax_in = c->eax;
    fr.ecx_in = c->ecx;
    fr.flags_in = c->eflags;
    memcpy(r->mem, c->mem, sizeof(r->mem));
    r->fault = signal_vector(native_run(&fr, c->insn, c->len, r->mem + c->mem_off));
    memcpy(r->img, fr.out, 108);
    r->eax = fr.eax_out;
    r->ecx = fr.ecx_out;
    r->flags = (uint32_t)fr.flags_out & 0x8d5;
}

/* Bytes of the memory operand not to compare: pointer fields of a stored
 * environment, and what FXSAVE writes on a host with SSE (MXCSR, XMM). */
static void mask_insn(const uint8_t *insn, int len, int off, uint8_t *host, uint8_t *kiln)
{
    int p = insn[0] == 0x66;
    uint8_t op = insn[p], modrm = len > p + 1 ? insn[p + 1] : 0;
    int reg = (modrm >> 3) & 7;
    bool mem = (modrm & 0xc0) != 0xc0;
    int lo = 0, hi = 0;
    if (mem && (op == 0xd9 || op == 0xdd) && reg == 6)
        lo = p ? 6 : 12, hi = p ? 14 : 28;
    if (op == 0x0f && insn[1] == 0xae && insn[2] == 0x06) {
        lo = 6, hi = 32;
        memcpy(kiln + off + 160, host + off + 160, 352);
        for (int i = 0; i < 8; i++) /* the six bytes after each register are reserved */
            memcpy(kiln + off + 42 + 16 * i, host + off + 42 + 16 * i, 6);
    }
    if (hi)
        memcpy(kiln + off + lo, host + off + lo, (size_t)(hi - lo));
}

static void mask_mem(const struct x87_case *c, uint8_t *host, uint8_t *kiln)
{
    mask_insn(c->insn, c->len1, c->mem_off, host, kiln);
    if (c->count > 1)
        mask_insn(c->insn + c->len1, c->len - c->len1, c->mem_off, host, kiln);
}

static void print_img(const char *who, const uint8_t *img)
{
    printf("    %s: cw %02x%02x sw %02x%02x tw %02x%02x |", who, img[1], img[0], img[5], img[4],
           img[9], img[8]);
    for (int i = 0; i < 8; i++)
        printf(" %02x%02x:%02x%02x%02x%02x%02x%02x%02x%02x", img[37 + 10 * i], img[36 + 10 * i],
               img[35 + 10 * i], img[34 + 10 * i], img[33 + 10 * i], img[32 + 10 * i],
               img[31 + 10 * i], img[30 + 10 * i], img[29 + 10 * i], img[28 + 10 * i]);
    printf("\n");
}

/* The mnemonic of the case's last instruction (the first when it faulted
 * on Kiln's side), for the failure summary. */
static const char *mnemonic(const struct x87_case *c, int which)
{
    static struct insn in;
    int at = which ? c->len1 : 0, n = which ? c->len - c->len1 : c->len1;
    if (decode_buffer(CPU_PENTIUM2, 4, c->insn + at, (size_t)n, &in) != DEC_OK)
        return "(#UD)";
    return insn_mnemonic(&in);
}

static void report(const struct x87_case *c, const struct result *h, const struct result *k,
                   const char *what)
{
    printf("MISMATCH (%s) %s%s%s:", what, mnemonic(c, 0), c->count > 1 ? " + " : "",
           c->count > 1 ? mnemonic(c, 1) : "");
    for (int i = 0; i < c->len; i++)
        printf(" %02x", c->insn[i]);
    printf("  fault host %d kiln %d\n", h->fault, k->fault);
    print_img("in  ", c->img);
    print_img("host", h->img);
    print_img("kiln", k->img);
    printf("    mem in   ");
    for (int i = 0; i < 16; i++)
        printf("%02x", c->mem[c->mem_off + i]);
    printf("\n    mem host ");
    for (int i = 0; i < 16; i++)
        printf("%02x", h->mem[c->mem_off + i]);
    printf("\n    mem kiln ");
    for (int i = 0; i < 16; i++)
        printf("%02x", k->mem[c->mem_off + i]);
    printf("\n    eax %08x/%08x ecx %08x/%08x flags %03x/%03x (host/kiln)\n", h->eax, k->eax,
           h->ecx, k->ecx, h->flags, k->flags);
}

/* Compare one case; returns NULL when the two sides agree. */
static const char *compare(const struct x87_case *c, struct result *h, struct result *k)
{
    if (h->fault != k->fault)
        return "fault";
    if (k->fault >= 0) /* the faulting instruction must leave the FPU untouched */
        return memcmp(&k->before, &k->after, sizeof(k->before)) ? "state after fault" : NULL;
    if (memcmp(h->img, k->img, 12) || memcmp(h->img + 28, k->img + 28, 80))
        return "state";
    mask_mem(c, h->mem, k->mem);
    if (memcmp(h->mem, k->mem, sizeof(h->mem)))
        return "memory";
    if (h->eax != k->eax || h->ecx != k->ecx)
        return "registers";
    if (h->flags != k->flags)
        return "eflags";
    return NULL;
}

/* Failures by mnemonic, for the summary. */
struct tally {
    const char *name;
    long fails;
};

/* Count a failure of 'name'; returns the count so far. */
static long count_failure(struct tally *t, int *n, int cap, const char *name)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(t[i].name, name))
            return ++t[i].fails;
    if (*n < cap)
        t[(*n)++] = (struct tally){name, 1};
    return 1;
}

int main(int argc, char **argv)
{
    static struct tally tally[256], seen[256];
    int ntally = 0, nseen = 0;
    long cases = argc > 1 ? strtol(argv[1], NULL, 0) : 1000000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eed1234abcdull;
    if (!native_init())
        return 2;
    machine_init();
    static struct x87_case c;
    static struct result h, k;
    long failed = 0, faults = 0, insns = 0, by_vector[32] = {0};
    clock_t t0 = clock();
    uint64_t rng = seed;
    for (long i = 0; i < cases; i++) {
        gen_case(&rng, &c);
        insns += c.count;
        run_host(&c, &h);
        run_kiln(&c, &k);
        if (h.fault >= 0) {
            faults++;
            by_vector[h.fault & 31]++;
        }
        if (h.fault < 0)
            count_failure(seen, &nseen, 256, mnemonic(&c, 0));
        const char *why = compare(&c, &h, &k);
        if (!why)
            continue;
        /* Report the first few failures of each mnemonic. */
        long nth = count_failure(tally, &ntally, 256, mnemonic(&c, c.count - 1));
        if (nth <= 2 && failed < MAX_REPORTS) {
            printf("case %ld: ", i);
            report(&c, &h, &k, why);
        }
        failed++;
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    printf("x87/MMX differential test: %ld operations (%ld instructions; %ld cases end in a "
           "fault), seed %#llx, %.1f s\n",
           cases, insns, faults, (unsigned long long)seed, secs);
    printf("  coverage: %d mnemonics completed; rare ones:", nseen);
    for (int i = 0; i < nseen; i++)
        if (seen[i].fails < 500)
            printf(" %s (%ld)", seen[i].name, seen[i].fails);
    printf("\n");
    printf("  faults: #UD %ld, #GP %ld, #MF %ld\n", by_vector[6], by_vector[13], by_vector[16]);
    for (int i = 0; i < ntally; i++)
        printf("  %-10s %ld failed\n", tally[i].name, tally[i].fails);
    printf("%ld passed, %ld failed\n", cases - failed, failed);
    return failed ? 1 : 0;
}
