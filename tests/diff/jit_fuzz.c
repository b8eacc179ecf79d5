/* SPDX-License-Identifier: MIT */
/* * kiln-jitfuzz: the differential fuzzer of the translator (issue 5,
 * deliverable 8). Each iteration draws a guest mode (flat 32-bit protected
 * mode, real mode, paging, 16-bit protected mode, CPL 3 with paging), an
 * initial state and a random instruction stream (jit_fuzz_gen.c and the
 * templates of jit_fuzz_table.c), runs it on the interpreter and on the
 * translator (jit_fuzz_machine.c), optionally with external interrupts, and
 * compares everything; a difference is printed with its seed and then shrunk
 * to the shortest stream, budget and simplest state that still show it, with
 * a Capstone disassembly and a command line that replays it. Owns the
 * command line, the loop and the reports.
 * --cpu 8086 or 286 fuzzes those models in real mode, with their own units.
 * Usage: kiln-jitfuzz [--seed N] [--iterations K | --insns N] [--mode M] ...
 */
#include <capstone/capstone.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jit_fuzz.h"

/* Translator block-size settings the iterations cycle through: the default
 * (long blocks: flag elimination, registers kept in host registers,
 * chaining), one instruction (exact budgets) and short blocks. */
static const int block_configs[] = {0, 1, 4};
enum { BLOCK_CONFIGS = 3, SHRINK_RUNS = 4000, WATCHDOG_SECONDS = 30 };

static const char *const reg_names[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
static const char *const mode_names[FZ_MODES] = {"pmode", "real", "paging", "pmode16", "user"};

struct options {
    uint64_t seed;
    uint64_t iterations; /* 0: until 'insns' */
    uint64_t insns;
    int mode;        /* -1: random */
    const struct cpu_model_info *cpu; /* NULL: the default model */
    int block;       /* -1: random */
    uint64_t budget; /* 0: random */
    int units;       /* 0: random */
    int max_failures;
    bool shrink;
    bool verbose;
    bool show;          /* print every case */
    bool self_test;     /* inject a difference into every case: it must be found */
    bool zero_ram;      /* replay: RAM outside the stream is zero */
    bool trace;         /* each step and block, to stdout */
    const char *set;    /* replay: "eax=1,...,eflags=2" */
    const char *stream; /* replay: the units' bytes in hex, comma-separated */
};

/* One test case, everything needed to run it again. */
struct fz_case {
    uint64_t seed;
    struct fz_state st;
    struct fz_stream s;
    uint64_t budget;
    int block_cfg;
};

static void draw_case(const struct options *o, uint64_t seed, struct fz_case *k)
{
    struct fz_rng r;
    fz_rng_seed(&r, seed);
    k->seed = seed;
    uint32_t m = fz_rnd(&r, 10);
    static const int modes[10] = {FZ_PMODE,  FZ_PMODE,   FZ_REAL, FZ_REAL, FZ_PAGING,
                                  FZ_PAGING, FZ_PMODE16, FZ_USER, FZ_USER, FZ_REAL};
    int mode = modes[m];
    uint32_t b = fz_rnd(&r, 10);
    k->block_cfg = b < 6 ? 0 : b < 8 ? 1 : 2;
    if (o->mode >= 0) mode = o->mode;
    if (o->cpu && o->cpu->gen < CPU_386) mode = FZ_REAL; /* parse() refuses another --mode */
    if (o->block >= 0) k->block_cfg = o->block;
    fz_gen_state(&r, (enum fz_mode)mode, &k->st);
    k->st.model = o->cpu;
    int units = o->units ? o->units : 8 + (int)fz_rnd(&r, 57);
    fz_gen_stream(&r, &k->st, units, &k->s);
    k->budget = o->budget ? o->budget : 1000 + fz_rnd(&r, 3000);
    k->st.zero_ram |= o->zero_ram;
    for (const char *p = o->set; p && *p;) {
        char name[8];
        unsigned long v;
        int used = 0;
        if (sscanf(p, "%7[a-z]=%lx%n", name, &v, &used) != 2) break;
        for (int i = 0; i < 8; i++)
            if (!strcmp(name, reg_names[i])) k->st.r[i] = (uint32_t)v;
        if (!strcmp(name, "eflags")) k->st.eflags = (uint32_t)v;
        /* where the stream runs: cs (real mode only) and eip */
        if (!strcmp(name, "cs") && k->st.mode == FZ_REAL) {
            k->st.seg[SEG_CS].sel = (uint16_t)v;
            k->st.seg[SEG_CS].base = (uint32_t)(v & 0xffff) << 4;
        }
        if (!strcmp(name, "eip")) k->st.code_eip = (uint32_t)v;
        k->st.code_lin = k->st.seg[SEG_CS].base + k->st.code_eip;
        p += used;
        p += *p == ',';
    }
    if (o->stream) {
        k->s.n = 0;
        struct fz_unit *u = &k->s.u[0];
        memset(u, 0, sizeof(*u));
        u->form = (uint16_t)(fz_form_count - 1); /* "given" */
        for (const char *p = o->stream; *p && k->s.n < FZ_MAX_UNITS; p++) {
            if (*p == ',') {
                k->s.n += u->len > 0;
                u = &k->s.u[k->s.n];
                memset(u, 0, sizeof(*u));
                u->form = (uint16_t)(fz_form_count - 1);
            } else if (p[1] && strchr("0123456789abcdefABCDEF", *p) && u->len < FZ_UNIT_MAX) {
                u->bytes[u->len++] = (uint8_t)strtoul((char[3]){p[0], p[1], 0}, NULL, 16);
                p++;
            }
        }
        k->s.n += u->len > 0;
    }
}

/* The command line that replays case 'k' exactly. */
static void print_replay(const struct options *o, const struct fz_case *k)
{
    uint8_t code[FZ_CODE_MAX];
    int starts[FZ_MAX_UNITS + 1], laid = 0;
    fz_assemble(&k->s, &k->st, code, starts, &laid);
    printf("  replay: kiln-jitfuzz%s%s --seed %llu --iterations 1 --mode %s --block %d --budget %llu%s",
           o->cpu ? " --cpu " : "", o->cpu ? o->cpu->name : "", (unsigned long long)k->seed,
           mode_names[k->st.mode],
           o->block >= 0 ? o->block : k->block_cfg, (unsigned long long)k->budget,
           k->st.zero_ram ? " --zero-ram" : "");
    printf(" --set ");
    for (int i = 0; i < 8; i++)
        printf("%s=%x,", reg_names[i], k->st.r[i]);
    printf("eflags=%x,", k->st.eflags);
    if (k->st.mode == FZ_REAL) printf("cs=%x,", k->st.seg[SEG_CS].sel);
    printf("eip=%x --stream ", k->st.code_eip);
    for (int u = 0; u < laid; u++) {
        for (int i = starts[u]; i < starts[u + 1]; i++)
            printf("%02x", code[i]);
        printf("%s", u + 1 < laid ? "," : "\n");
    }
    if (!laid) printf("\"\"\n");
}

/* ---- reporting ---- */

static void print_state(const struct fz_state *st)
{
    const char *const *regs = reg_names;
    static const char *const segs[SEG_COUNT] = {"es", "cs", "ss", "ds", "fs", "gs"};
    printf("  mode %s, cpl %d, cr0 |= %08x, cr3 %08x, eflags %08x\n ", mode_names[st->mode],
           st->cpl, st->cr0, st->cr3, st->eflags);
    for (int i = 0; i < 8; i++)
        printf(" %s=%08x", regs[i], st->r[i]);
    printf("\n ");
    for (int s = 0; s < SEG_COUNT; s++)
        printf(" %s=%04x/%08x/%08x/%04x", segs[s], st->seg[s].sel, st->seg[s].base,
               st->seg[s].limit, st->seg[s].attr);
    printf("  (sel/base/limit/attr)\n");
    if (st->mode != FZ_REAL) {
        printf("  GDT (sel/base/limit/attr):");
        for (int i = 1; i < FZ_GDT_ENTRIES; i++)
            printf(" %02x/%08x/%08x/%04x", st->gdt[i].sel, st->gdt[i].base, st->gdt[i].limit,
                   st->gdt[i].attr);
        printf("\n");
    }
    if (st->zero_ram)
        printf("  RAM outside the stream: zero");
    else
        printf("  RAM outside the stream: random (ram_seed %016llx)",
               (unsigned long long)st->ram_seed);
    if (st->a20_off) printf(", A20 off");
    if (st->irq_period)
        printf(", interrupt %d every %u instructions", FZ_IRQ_VECTOR, st->irq_period);
    if (st->cr3) printf(", page tables from pt_seed %016llx", (unsigned long long)st->pt_seed);
    printf("\n");
}

static void print_stream(const struct fz_state *st, const struct fz_stream *s)
{
    uint8_t code[FZ_CODE_MAX];
    int starts[FZ_MAX_UNITS + 1], laid = 0;
    int len = fz_assemble(s, st, code, starts, &laid);
    printf("  bytes at %04x:%08x (linear %05x; %d bytes, tail included):", st->seg[SEG_CS].sel,
           st->code_eip, st->code_lin, len);
    for (int i = 0; i < len; i++)
        printf("%s%02x", i % 32 ? " " : "\n    ", code[i]);
    printf("\n");
    csh h;
    cs_mode cm = fz_mode_code_size(st->mode) == 2 ? CS_MODE_16 : CS_MODE_32;
    if (cs_open(CS_ARCH_X86, cm, &h) != CS_ERR_OK) {
        printf("  (Capstone unavailable)\n");
        return;
    }
    for (int u = 0; u <= laid; u++) {
        int from = starts[u], to = u < laid ? starts[u + 1] : len;
        const char *form = u < laid ? fz_forms[s->u[u].form].name : "tail";
        cs_insn *in = NULL;
        size_t n =
            cs_disasm(h, code + from, (size_t)(to - from), st->code_eip + (uint64_t)from, 0, &in);
        size_t done = 0;
        for (size_t i = 0; i < n; i++) {
            char hex[48] = "";
            for (int b = 0; b < in[i].size && b < 15; b++)
                snprintf(hex + 3 * b, sizeof(hex) - 3 * (size_t)b, "%02x ", in[i].bytes[b]);
            printf("    %05llx: %-36s %s %s%s%s\n", (unsigned long long)in[i].address, hex,
                   in[i].mnemonic, in[i].op_str, i ? "" : "    ; ", i ? "" : form);
            done += in[i].size;
        }
        if (done < (size_t)(to - from))
            printf("    %05x: (%d bytes Capstone does not decode)    ; %s\n",
                   st->code_eip + (uint32_t)from + (uint32_t)done, to - from - (int)done, form);
        cs_free(in, n);
    }
    cs_close(&h);
}

/* ---- shrinking ---- */

struct shrinker {
    struct fz_machine *m;
    int runs;
    char field[64]; /* what differs ("EAX", "RAM[...]" as "RAM", ...): kept while shrinking */
};

/* The differing field of a difference sentence: the text before ':' or '['. */
static void field_of(const char *what, char *out, size_t n)
{
    size_t len = strcspn(what, ":[");
    snprintf(out, n, "%.*s", (int)len, what);
}

static bool still_differs(struct shrinker *sh, const struct fz_case *k, struct fz_result *res)
{
    if (sh->runs >= SHRINK_RUNS) return false;
    sh->runs++;
    /* A candidate can hang an engine too (docs/findings/vectors.md, V1). */
    alarm(WATCHDOG_SECONDS);
    fz_machine_run(sh->m, &k->st, &k->s, k->budget, res);
    alarm(0);
    if (!res->differs) return false;
    char f[64];
    field_of(res->what, f, sizeof(f));
    return !sh->field[0] || !strcmp(f, sh->field);
}

/* Make 'k' (which shows a difference) as small as possible: drop units one
 * at a time, then lower the budget, then simplify the state. */
static void shrink(struct shrinker *sh, struct fz_case *k)
{
    struct fz_result res;
    struct fz_case t;
    bool progress = true;
    while (progress) {
        progress = false;
        for (int i = k->s.n - 1; i >= 0; i--) {
            t = *k;
            memmove(&t.s.u[i], &t.s.u[i + 1], sizeof(t.s.u[0]) * (size_t)(t.s.n - i - 1));
            t.s.n--;
            if (still_differs(sh, &t, &res)) {
                *k = t;
                progress = true;
            }
        }
    }
    uint64_t lo = 1, hi = k->budget;
    while (lo < hi) {
        t = *k;
        t.budget = lo + (hi - lo) / 2;
        if (still_differs(sh, &t, &res))
            hi = t.budget;
        else
            lo = t.budget + 1;
    }
    k->budget = hi;
    t = *k;
    t.st.zero_ram = true;
    if (still_differs(sh, &t, &res)) *k = t;
    for (int r = 0; r < 8; r++) {
        if (r == R_ESP || !k->st.r[r]) continue;
        t = *k;
        t.st.r[r] = 0;
        if (still_differs(sh, &t, &res)) *k = t;
    }
    t = *k;
    t.st.eflags = 0x2;
    if (still_differs(sh, &t, &res)) *k = t;
}

static void report(const struct options *o, struct fz_machine *m, struct fz_case *k,
                   const struct fz_result *res)
{
    printf("kiln-jitfuzz: DIFFERENCE at seed %llu (mode %s, block insns %d, budget %llu)\n",
           (unsigned long long)k->seed, mode_names[k->st.mode], fz_machine_block_insns(m),
           (unsigned long long)k->budget);
    printf("  first difference: %s\n", res->what);
    printf("  reproduce: kiln-jitfuzz --seed %llu --iterations 1", (unsigned long long)k->seed);
    if (o->cpu) printf(" --cpu %s", o->cpu->name);
    if (o->mode >= 0) printf(" --mode %s", mode_names[o->mode]);
    if (o->block >= 0) printf(" --block %d", o->block);
    if (o->budget) printf(" --budget %llu", (unsigned long long)o->budget);
    if (o->units) printf(" --units %d", o->units);
    printf("\n");
    print_state(&k->st);
    print_stream(&k->st, &k->s);
    if (!o->shrink) return;
    struct shrinker sh = {.m = m};
    field_of(res->what, sh.field, sizeof(sh.field));
    struct fz_result again;
    if (!still_differs(&sh, k, &again)) {
        printf("  (not reproducible on a second run: it depends on earlier iterations)\n");
        return;
    }
    shrink(&sh, k);
    if (!still_differs(&sh, k, &again)) {
        printf("  (shrinking lost the difference)\n");
        return;
    }
    printf("shortest reproducing case (%d units, budget %llu, %d runs to shrink):\n", k->s.n,
           (unsigned long long)k->budget, sh.runs);
    printf("  first difference: %s\n", again.what);
    print_state(&k->st);
    print_stream(&k->st, &k->s);
    print_replay(o, k);
    fflush(stdout);
}

/* ---- the command line ---- */

static void usage(void)
{
    fprintf(stderr,
            "usage: kiln-jitfuzz [--seed N] [--iterations K | --insns N] [--cpu MODEL]\n"
            "                    [--mode pmode|real|paging|pmode16|user]\n"
            "                    [--block 0|1|2] [--budget N] [--units N] [--max-failures N]\n"
            "                    [--no-shrink] [--verbose] [--show] [--self-test]\n"
            "                    [--zero-ram] [--set reg=hex,...] [--stream hex,...] [--trace]\n"
            "  Runs random instruction streams on the interpreter and the translator and\n"
            "  compares them. Iteration i uses seed N + i; --block picks the translator's\n"
            "  block size (0: default, 1: one instruction, 2: four). Exit status 1 on any\n"
            "  difference. --verbose prints each iteration's seed, --show also its case.\n"
            "  --cpu picks both engines' CPU model (default pentium2); 8086 and 286 run\n"
            "  real mode only, with the instructions that exist on that model.\n"
            "  --self-test injects a difference into every case and checks that the\n"
            "  comparison finds it (and shows the shrinking on the first).\n"
            "  A shrunk difference prints a replay command: --zero-ram, --set reg=hex,...\n"
            "  (registers, eflags, eip, and cs in real mode; the stream must stay in\n"
            "  linear 1000h-2FFFh), and --stream hex,hex,... (one unit each) override the seed's "
            "case.\n"
            "  Default: --seed 1 --insns 10000000.\n");
}

static bool parse(int argc, char **argv, struct options *o)
{
    *o = (struct options){
        .seed = 1, .insns = 10000000, .mode = -1, .block = -1, .max_failures = 5, .shrink = true};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-shrink")) {
            o->shrink = false;
            continue;
        }
        if (!strcmp(a, "--verbose")) {
            o->verbose = true;
            continue;
        }
        if (!strcmp(a, "--trace")) {
            o->trace = o->verbose = true;
            continue;
        }
        if (!strcmp(a, "--zero-ram")) {
            o->zero_ram = true;
            continue;
        }
        if (!strcmp(a, "--self-test")) {
            o->self_test = true;
            continue;
        }
        if (!strcmp(a, "--show")) {
            o->verbose = o->show = true;
            continue;
        }
        if (!v) return false;
        i++;
        if (!strcmp(a, "--set")) {
            o->set = v;
        } else if (!strcmp(a, "--stream")) {
            o->stream = v;
        } else if (!strcmp(a, "--seed")) {
            o->seed = strtoull(v, NULL, 0);
        } else if (!strcmp(a, "--iterations")) {
            o->iterations = strtoull(v, NULL, 0);
        } else if (!strcmp(a, "--insns")) {
            o->insns = strtoull(v, NULL, 0);
        } else if (!strcmp(a, "--budget")) {
            o->budget = strtoull(v, NULL, 0);
        } else if (!strcmp(a, "--units")) {
            o->units = atoi(v);
            if (o->units < 1 || o->units > FZ_MAX_UNITS - 8) return false;
        } else if (!strcmp(a, "--max-failures")) {
            o->max_failures = atoi(v);
        } else if (!strcmp(a, "--block")) {
            o->block = atoi(v);
            if (o->block < 0 || o->block >= BLOCK_CONFIGS) return false;
        } else if (!strcmp(a, "--cpu")) {
            o->cpu = cpu_model_find(v);
            if (!o->cpu) return false;
        } else if (!strcmp(a, "--mode")) {
            o->mode = -1;
            for (int m = 0; m < FZ_MODES; m++)
                if (!strcmp(v, mode_names[m])) o->mode = m;
            if (o->mode < 0) return false;
        } else {
            return false;
        }
    }
    /* the 8086 and the 286 are fuzzed in real mode only */
    return !(o->cpu && o->cpu->gen < CPU_386 && o->mode >= 0 && o->mode != FZ_REAL);
}

static void watchdog(int sig)
{
    (void)sig;
    static const char msg[] = "kiln-jitfuzz: an iteration ran for too long (a hang in an engine); "
                              "--verbose prints each iteration's seed\n";
    ssize_t r = write(2, msg, sizeof(msg) - 1);
    (void)r;
    _exit(2);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    struct options o;
    if (!parse(argc, argv, &o)) {
        usage();
        return 2;
    }
    signal(SIGALRM, watchdog);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct fz_machine *machines[BLOCK_CONFIGS] = {NULL};
    struct fz_case *k = malloc(sizeof(*k));
    if (!k) return 2;
    uint64_t insns = 0, iters = 0, exc = 0, early = 0, per_mode[FZ_MODES] = {0};
    uint64_t by_vector[FZ_VECTORS] = {0}, units = 0, units_run = 0;
    int failures = 0, known = 0;
    double t0 = seconds();
    for (uint64_t i = 0; o.iterations ? i < o.iterations : insns < o.insns; i++) {
        draw_case(&o, o.seed + i, k);
        k->st.perturb = o.self_test;
        struct fz_machine **m = &machines[k->block_cfg];
        if (!*m && !(*m = fz_machine_new(block_configs[k->block_cfg], o.cpu))) {
            fprintf(stderr, "kiln-jitfuzz: cannot create the machines (no translator here?)\n");
            return 2;
        }
        if (o.trace) fz_machine_set_trace(*m, stdout);
        if (o.verbose)
            printf("seed %llu: mode %s, %d units, budget %llu, block insns %d\n",
                   (unsigned long long)k->seed, mode_names[k->st.mode], k->s.n,
                   (unsigned long long)k->budget, block_configs[k->block_cfg]);
        if (o.show) {
            print_state(&k->st);
            print_stream(&k->st, &k->s);
        }
        alarm(WATCHDOG_SECONDS);
        struct fz_result res;
        fz_machine_run(*m, &k->st, &k->s, k->budget, &res);
        alarm(0);
        iters++;
        insns += res.insns;
        exc += res.exceptions;
        for (int v = 0; v < FZ_VECTORS; v++)
            by_vector[v] += res.exc[v];
        early += res.stopped_early;
        units += (uint64_t)res.units;
        units_run += (uint64_t)res.units_run;
        per_mode[k->st.mode] += res.insns;
        if (res.differs && res.known && !o.stream) {
            /* wild code met a bug the generator avoids: noted, not a failure */
            known++;
            if (o.verbose)
                printf("seed %llu: a difference from open finding %d: %s\n",
                       (unsigned long long)k->seed, res.known, res.what);
        } else if (res.differs) {
            failures++;
            if (!o.self_test || failures == 1) report(&o, *m, k, &res);
            if (failures >= o.max_failures && !o.self_test) break;
        }
    }
    double t = seconds() - t0;
    printf("kiln-jitfuzz: %llu iterations from seed %llu, %llu instructions retired on each "
           "engine (",
           (unsigned long long)iters, (unsigned long long)o.seed, (unsigned long long)insns);
    for (int md = 0; md < FZ_MODES; md++)
        printf("%s%s %llu", md ? ", " : "", mode_names[md], (unsigned long long)per_mode[md]);
    printf("), %llu exceptions, %llu runs ended by HLT or shutdown, %.1f s: %d difference%s",
           (unsigned long long)exc, (unsigned long long)early, t, failures,
           failures == 1 ? "" : "s");
    if (known) printf(" (and %d from open findings the generator avoids)", known);
    printf("\n");
    if (o.verbose) {
        printf("units run: %llu of %llu (%.1f %%)\n", (unsigned long long)units_run,
               (unsigned long long)units, units ? 100.0 * (double)units_run / (double)units : 0.0);
        printf("exceptions by vector:");
        for (int v = 0; v < FZ_VECTORS; v++)
            if (by_vector[v]) printf(" #%d: %llu", v, (unsigned long long)by_vector[v]);
        printf("\n");
    }
    for (int b = 0; b < BLOCK_CONFIGS; b++) {
        if (machines[b] && o.verbose) {
            printf("translator with block insns %d:\n", block_configs[b]);
            fz_machine_print_stats(machines[b], stdout);
        }
        fz_machine_free(machines[b]);
    }
    free(k);
    if (o.self_test) {
        /* The injected difference can be overwritten the same way on both
         * sides by a stream, but hardly ever. */
        bool ok = (uint64_t)failures * 10 >= iters * 9;
        printf("kiln-jitfuzz: self-test: the injected difference was found in %d of %llu "
               "iterations: %s\n",
               failures, (unsigned long long)iters, ok ? "ok" : "FAILED");
        return ok ? 0 : 1;
    }
    return failures ? 1 : 0;
}
