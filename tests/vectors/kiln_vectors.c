/* SPDX-License-Identifier: MIT */
/*
 * kiln-vectors: runs the SingleStepTests hardware-captured CPU vectors (MOO
 * or JSON) on the reference interpreter or the translator (--accel) and
 * reports per opcode file. Owns the harness: options, exclusion lists, state
 * loading, stepping and comparison (test memory: vmem.c). Reaches the CPU
 * only through cpu.h, interp.h, flags.h and the jit's dispatch.h/exec.h;
 * never adjusts expected values beyond the suites' documented masks.
 * Spec: SingleStepTests 8086 and 80286 READMEs ("Using the Tests").
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/interp.h"
#include "cpu/mem.h"
#include "jit/dispatch.h"
#include "jit/exec.h"
#include "json.h"
#include "moo.h"
#include "not_modelled.h"
#include "vmem.h"

/* Failures shown in detail per file with -v; bound on steps of one REP instruction. */
enum { VERBOSE_FAILS = 5, STEP_LIMIT = 1000000, VEC_PATH_MAX = 4096 };

struct options {
    const char *cpu, *filter, *not_modelled;
    bool verbose, has_min_pass, has_max_fail, jit;
    double min_pass;
    unsigned long long max_fail;
    const char **paths;
    int npaths;
};

/* Metadata and revocation list of the directory whose files are running. */
struct dir_info {
    char dir[VEC_PATH_MAX];
    bool valid;
    struct json_meta meta;
    struct moo_revoked revoked;
};

struct runner {
    struct options opt;
    struct nm_list nm;
    struct dir_info dir;
    struct vmem mem;
    struct cpu cpu;
    struct cpu_bus bus;
    const struct cpu_model_info *model;
    bool hlt_after; /* the suite ends each test with HLT (286 and later) */
    struct moo_test test;
    uint8_t *buf;
    size_t buf_len, buf_cap;
    uint64_t passed, failed, excluded;
    bool io_error;
    /* --accel jit: the translator, the model it was made for, and the flag
     * the IVT callbacks raise when an exception is being delivered. */
    struct jit *jit;
    const struct cpu_model_info *jit_model;
    volatile int delivering;
};

/* What running one test produced, besides the CPU state. */
struct outcome {
    enum step_result last;
    bool runaway;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: kiln-vectors [--cpu MODEL] [--accel interp|jit] [-v] [--filter SUBSTR]\n"
               "                    [--not-modelled FILE] [--min-pass PERCENT] [--max-fail N]\n"
               "                    PATH...\n"
               "  PATH      a directory (every *.MOO.gz and *.json.gz in it) or a test file\n"
               "  --cpu     model to run (%s); default: the MOO header's CPU,\n"
               "            or the 'cpu' of metadata.json for JSON files\n"
               "  --accel   engine: interp (default) or jit (the translator, one\n"
               "            instruction per block, the test's RAM in a RAM buffer)\n"
               "  --filter  only files whose name contains SUBSTR\n"
               "  --not-modelled  list of 'SUITE FILE reason' lines; those files are excluded\n"
               "  --min-pass      exit 0 when at least PERCENT of the run tests pass\n"
               "  --max-fail      and (with or without --min-pass) at most N tests fail\n"
               "  -v        show the first %d failures of each file in detail\n"
               "            (and, with --accel jit, the translator's figures)\n",
            cpu_model_names(), VERBOSE_FAILS);
}

/* Parse argv into o; -1 on a usage error (message printed). */
static int parse_args(int argc, char **argv, struct options *o)
{
    memset(o, 0, sizeof(*o));
    o->paths = calloc((size_t)argc, sizeof(*o->paths));
    if (!o->paths) {
        fprintf(stderr, "kiln-vectors: out of memory\n");
        return -1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        const char *opts[] = {"--cpu",    "--filter", "--not-modelled",
                              "--min-pass", "--accel", "--max-fail"};
        int which = -1;
        for (int k = 0; k < 6; k++) {
            size_t n = strlen(opts[k]);
            if (!strncmp(a, opts[k], n) && (a[n] == 0 || a[n] == '=')) {
                which = k;
                if (a[n] == '=')
                    val = a + n + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else {
                    fprintf(stderr, "kiln-vectors: %s needs a value\n", opts[k]);
                    return -1;
                }
                break;
            }
        }
        if (which == 0) {
            o->cpu = val;
            if (!cpu_model_find(val)) {
                fprintf(stderr, "kiln-vectors: unknown CPU model '%s' (have: %s)\n", val,
                        cpu_model_names());
                return -1;
            }
        } else if (which == 1) {
            o->filter = val;
        } else if (which == 2) {
            o->not_modelled = val;
        } else if (which == 3) {
            char *end;
            o->min_pass = strtod(val, &end);
            if (*end || end == val || !(o->min_pass >= 0 && o->min_pass <= 100)) {
                fprintf(stderr, "kiln-vectors: --min-pass wants a percentage, got '%s'\n", val);
                return -1;
            }
            o->has_min_pass = true;
        } else if (which == 4) {
            if (strcmp(val, "interp") && strcmp(val, "jit")) {
                fprintf(stderr, "kiln-vectors: --accel wants interp or jit, got '%s'\n", val);
                return -1;
            }
            o->jit = !strcmp(val, "jit");
        } else if (which == 5) {
            char *end;
            o->max_fail = strtoull(val, &end, 10);
            if (*end || end == val || val[0] == '-') {
                fprintf(stderr, "kiln-vectors: --max-fail wants a count, got '%s'\n", val);
                return -1;
            }
            o->has_max_fail = true;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(0);
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "kiln-vectors: unknown option '%s'\n", a);
            return -1;
        } else {
            o->paths[o->npaths++] = a;
        }
    }
    if (!o->npaths) {
        usage(stderr);
        return -1;
    }
    return 0;
}

/* Ports are unclaimed: IN reads all-ones, as the suites specify; OUT is ignored. */
static uint32_t io_read(void *ctx, uint16_t port, int size)
{
    (void)ctx, (void)port;
    return size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffffu;
}

static void io_write(void *ctx, uint16_t port, int size, uint32_t val)
{
    (void)ctx, (void)port, (void)size, (void)val;
}

static void dir_free(struct dir_info *d)
{
    json_meta_free(&d->meta);
    moo_revoked_free(&d->revoked);
    d->valid = false;
}

/* Make r->dir describe 'dir': its metadata.json and its (or its parent's)
 * revocation list. */
static void dir_load(struct runner *r, const char *dir)
{
    struct dir_info *d = &r->dir;
    if (d->valid && !strcmp(d->dir, dir))
        return;
    dir_free(d);
    snprintf(d->dir, sizeof(d->dir), "%s", dir);
    d->valid = true;
    char path[VEC_PATH_MAX], err[400];
    int rc = json_meta_load(&d->meta, dir, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "kiln-vectors: %s\n", err);
        r->io_error = true;
    } else if (rc > 0) {
        fprintf(stderr, "kiln-vectors: warning: no metadata.json for %s; "
                        "undefined flags will be compared\n", dir);
    }
    const char *rev_at[] = {"%s/revocation_list.txt", "%s/../revocation_list.txt"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), rev_at[i], dir);
        rc = moo_revoked_load(&d->revoked, path, err, sizeof(err));
        if (rc < 0) {
            fprintf(stderr, "kiln-vectors: %s\n", err);
            r->io_error = true;
        }
        if (rc <= 0)
            break;
    }
}

/* MOO register index -> Kiln general register / segment register, or -1. */
static const int8_t gpr_of[MOO_REG_COUNT] = {
    R_EAX, R_EBX, R_ECX, R_EDX, -1, -1, -1, -1, R_ESP, R_EBP, R_ESI, R_EDI, -1, -1,
};
static const int8_t seg_of[MOO_REG_COUNT] = {
    -1, -1, -1, -1, SEG_CS, SEG_SS, SEG_DS, SEG_ES, -1, -1, -1, -1, -1, -1,
};

/* FLAGS as the model can hold them: the 286 real-mode tests start from
 * LOADALL images whose bits 12-15 a real-mode 286 cannot keep (80286 README). */
static uint16_t loadable_flags(const struct cpu_model_info *m, uint16_t f)
{
    return (uint16_t)((f & m->flags_supported & ~m->flags_real_ro0) | m->flags_fixed1);
}

static void load_test(struct runner *r, const struct moo_test *t)
{
    struct cpu *c = &r->cpu;
    const uint16_t *v = t->init.regs;
    vmem_load(&r->mem, &t->init);
    if (r->jit) {
        /* Bytes stored behind the CPU's back: drop translations of the old ones. */
        for (size_t i = 0; i < t->init.ram_count; i++)
            jit_notify_ram_write(r->jit, t->init.ram[i].addr & r->mem.mask, 1);
        /* cpu_init clears the whole CPU, the translator's links with it. */
        struct cpu_jit_link link = c->jit;
        cpu_init(c, r->model, &r->bus);
        c->jit = link;
    } else {
        cpu_init(c, r->model, &r->bus);
    }
    for (int i = 0; i < MOO_REG_COUNT; i++) {
        if (gpr_of[i] >= 0)
            c->r[gpr_of[i]] = v[i];
        else if (seg_of[i] >= 0)
            cpu_load_seg_real(c, seg_of[i], v[i]);
    }
    c->eip = v[MOO_IP];
    c->eflags = loadable_flags(r->model, v[MOO_FLAGS]);
    c->lf_op = LF_NONE;
}

/* One instruction; a REP string instruction may take several steps. */
static struct outcome run_test(struct runner *r)
{
    struct cpu *c = &r->cpu;
    struct outcome o = {.last = interp_step(c)};
    unsigned steps = 1;
    while (c->rep_active && o.last == STEP_OK && steps < STEP_LIMIT) {
        o.last = interp_step(c);
        steps++;
    }
    o.runaway = c->rep_active && steps >= STEP_LIMIT;
    return o;
}

/*
 * The same on the translator: exec_run(c, 1) per step. The engine counts
 * retired instructions only, so after a faulting instruction it would go on
 * into the handler; the IVT page is therefore reached through the bus
 * callbacks (jit_bus), whose reads raise r->delivering, which stops the run
 * at the next boundary: right after the delivery, as interp_step does.
 */
static struct outcome run_test_jit(struct runner *r)
{
    struct cpu *c = &r->cpu;
    struct outcome o = {.last = STEP_OK};
    unsigned steps = 0;
    /* The translator runs a block only where the TLB already maps the code
     * (a warm machine's case); cpu_init emptied it, so fetch the first byte
     * once, which maps the page as the interpreter's first fetch would. */
    uint8_t first;
    (void)!mem_fetch(c, c->eip, &first);
    do {
        r->delivering = 0;
        enum exec_stop s = exec_run(c, 1, &r->delivering);
        o.last = s == EXEC_SHUTDOWN ? STEP_SHUTDOWN : s == EXEC_HALTED ? STEP_HALT : STEP_OK;
        steps++;
    } while (c->rep_active && o.last == STEP_OK && steps < STEP_LIMIT);
    o.runaway = c->rep_active && steps >= STEP_LIMIT;
    /* The CPU wrote RAM directly: find its writes in the 64 KiB (+ a word's
     * wrap) of each segment it started with; nothing else can be written. */
    for (int i = 0; i < MOO_REG_COUNT; i++)
        if (seg_of[i] >= 0)
            vmem_find_writes(&r->mem, (uint32_t)r->test.init.regs[i] << 4, 0x10000 + 4);
    return o;
}

/* The IVT page's accesses: the test memory's, and a read there means an
 * interrupt or exception is being delivered (or data is read from page 0,
 * when stopping at the next boundary changes nothing either). */
enum { JIT_IVT_PAGE = 0x1000 };

static uint32_t jit_ivt_read(void *ctx, uint32_t addr, int size)
{
    struct runner *r = ctx;
    r->delivering = 1;
    return vmem_read(&r->mem, addr, size);
}

static void jit_ivt_write(void *ctx, uint32_t addr, int size, uint32_t val)
{
    struct runner *r = ctx;
    vmem_write(&r->mem, addr, size, val);
}

/* Attach a translator for 'model' over the test memory (once per model);
 * false (message printed) when this host cannot translate. */
static bool jit_ready(struct runner *r, const struct cpu_model_info *model)
{
    if (r->jit && r->jit_model == model)
        return true;
    jit_free(r->jit);
    r->bus = (struct cpu_bus){.ctx = r, .ram = r->mem.val, .ram_size = r->mem.mask + 1,
                              .hole_start = 0, .hole_end = JIT_IVT_PAGE,
                              .mem_read = jit_ivt_read, .mem_write = jit_ivt_write,
                              .io_read = io_read, .io_write = io_write};
    cpu_init(&r->cpu, model, &r->bus);
    r->jit = jit_new(&r->cpu, 1);
    r->jit_model = r->jit ? model : NULL;
    if (!r->jit)
        fprintf(stderr, "kiln-vectors: the translator cannot run the %s here\n", model->name);
    return r->jit != NULL;
}

static uint16_t expected_reg(const struct runner *r, const struct moo_test *t, int i)
{
    if (t->final.present >> i & 1)
        return t->final.regs[i];
    return i == MOO_FLAGS ? loadable_flags(r->model, t->init.regs[i]) : t->init.regs[i];
}

static uint16_t kiln_reg(struct runner *r, int i)
{
    struct cpu *c = &r->cpu;
    if (gpr_of[i] >= 0)
        return (uint16_t)c->r[gpr_of[i]];
    if (seg_of[i] >= 0)
        return c->seg[seg_of[i]].sel;
    if (i == MOO_IP) /* the 286 suite's final IP is past the HLT that ends the test */
        return (uint16_t)(c->eip + (r->hlt_after && !c->halted));
    return (uint16_t)flags_get(c);
}

static void print_flag_bits(FILE *out, uint16_t diff)
{
    static const char *const names[16] = {"CF", "b1", "PF", "b3", "AF", "b5", "ZF", "SF",
                                          "TF", "IF", "DF", "OF", "IOPL0", "IOPL1", "NT", "b15"};
    for (int b = 0; b < 16; b++)
        if (diff >> b & 1)
            fprintf(out, " %s", names[b]);
}

/*
 * Physical address of the FLAGS word an exception pushed, whose undefined
 * flags are masked like the register: SS:SP+4 of the final state, under the
 * pushed IP and CS. The 286 suite marks such tests (EXCP), but its address
 * is rounded down to even when SP is odd, so it only confirms ours. The 8086
 * suite has no EXCP: a test that ends at the INT 0 handler (IVT entry 0 from
 * the initial RAM) is taken as a divide error.
 */
static bool pushed_flags_addr(const struct runner *r, const struct moo_test *t, uint32_t *fa)
{
    const struct vmem *m = &r->mem;
    uint32_t ss = expected_reg(r, t, MOO_SS), sp = expected_reg(r, t, MOO_SP);
    *fa = ((ss << 4) + ((sp + 4) & 0xffff)) & m->mask;
    if (t->has_excp) {
        if ((*fa & ~1u) != (t->excp_flag_addr & m->mask & ~1u))
            *fa = t->excp_flag_addr & m->mask;
        return true;
    }
    if (r->hlt_after)
        return false;
    for (uint32_t a = 0; a < 4; a++)
        if (!(m->tag[a] & TAG_INIT))
            return false;
    uint16_t ivt_ip = (uint16_t)(m->init[0] | m->init[1] << 8);
    uint16_t ivt_cs = (uint16_t)(m->init[2] | m->init[3] << 8);
    return expected_reg(r, t, MOO_IP) == ivt_ip && expected_reg(r, t, MOO_CS) == ivt_cs;
}

/* Compare the CPU and memory with the final state; prints each difference
 * to 'out' when it is not NULL. Returns the number of differences. */
static unsigned check_test(struct runner *r, const struct moo_test *t, uint16_t fmask,
                           const struct outcome *o, FILE *out)
{
    unsigned bad = 0;
    if (o->runaway || o->last == STEP_SHUTDOWN) {
        bad++;
        if (out)
            fprintf(out, "    %s\n", o->runaway ? "REP instruction did not finish"
                                                : "shutdown (triple fault)");
    }
    for (int i = 0; i < MOO_REG_COUNT; i++) {
        uint16_t exp = expected_reg(r, t, i), got = kiln_reg(r, i);
        uint16_t cmp = i == MOO_FLAGS ? fmask : 0xffff;
        if (t->final.masked >> i & 1)
            cmp &= t->final.masks[i];
        if (!((exp ^ got) & cmp))
            continue;
        bad++;
        if (!out)
            continue;
        fprintf(out, "    %-5s expected %04x, got %04x", moo_reg_names[i], exp, got);
        if (i == MOO_FLAGS) {
            fprintf(out, " (compared bits %04x; differ:", cmp);
            print_flag_bits(out, (exp ^ got) & cmp);
            fprintf(out, ")");
        }
        fprintf(out, "\n");
    }
    struct vmem *m = &r->mem;
    uint32_t fa = 0;
    bool have_fa = pushed_flags_addr(r, t, &fa);
    for (size_t i = 0; i < t->final.ram_count; i++) {
        uint32_t a = t->final.ram[i].addr & m->mask;
        uint8_t exp = t->final.ram[i].val, cmp = 0xff;
        if (!m->tag[a])
            vmem_touch(m, a);
        m->tag[a] |= TAG_FINAL;
        if (have_fa && a == fa)
            cmp = (uint8_t)fmask;
        else if (have_fa && a == ((fa + 1) & m->mask))
            cmp = (uint8_t)(fmask >> 8);
        if (!((exp ^ m->val[a]) & cmp))
            continue;
        bad++;
        if (out)
            fprintf(out, "    mem[%06x] expected %02x, got %02x%s\n", a, exp, m->val[a],
                    cmp != 0xff ? " (pushed FLAGS, undefined bits masked)" : "");
    }
    for (size_t i = 0; i < m->nwritten; i++) {
        uint32_t a = m->written[i];
        if ((m->tag[a] & TAG_FINAL) || ((m->tag[a] & TAG_INIT) && m->val[a] == m->init[a]))
            continue;
        bad++;
        if (!out)
            continue;
        fprintf(out, "    mem[%06x] written with %02x, but the final state does not list it",
                a, m->val[a]);
        if (m->tag[a] & TAG_INIT)
            fprintf(out, " (initial %02x)", m->init[a]);
        fprintf(out, "\n");
    }
    if (bad && out && m->unlisted_reads)
        fprintf(out, "    note: %u read(s) of bytes absent from the initial RAM (first %06x)\n",
                m->unlisted_reads, m->first_unlisted);
    return bad;
}

static void print_failure(struct runner *r, const struct moo_test *t, uint64_t ordinal,
                          uint16_t fmask, const struct outcome *o)
{
    /* The position in the file: MOO 1.0 files store 0 as every test's index. */
    printf("  FAIL #%llu \"%s\" bytes", (unsigned long long)ordinal, t->name ? t->name : "");
    for (size_t i = 0; i < t->bytes_len; i++)
        printf(" %02x", t->bytes[i]);
    if (t->has_excp)
        printf(" (exception %u expected)", t->excp_vector);
    printf("\n");
    check_test(r, t, fmask, o, stdout);
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && !strcasecmp(s + n - m, suf);
}

/* Tests of one file, from either format. */
struct source {
    bool is_moo;
    struct moo_file moo;
    struct json_tests json;
};

static int source_next(struct source *s, struct moo_test *t, const char **err)
{
    int rc = s->is_moo ? moo_next(&s->moo, t) : json_tests_next(&s->json, t);
    *err = s->is_moo ? s->moo.err : s->json.err;
    return rc;
}

/* The model for a file: --cpu, else the MOO header, else metadata.json's "cpu". */
static const struct cpu_model_info *model_for(const struct runner *r, const struct source *s)
{
    if (r->opt.cpu)
        return cpu_model_find(r->opt.cpu);
    const char *id = NULL;
    char name[16];
    if (s->is_moo) {
        static const char *const map[][2] = {
            {"8086", "8086"}, {"8088", "8086"}, {"C286", "286"}, {"286", "286"}, {"386E", "386"},
        };
        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
            if (!strcmp(s->moo.cpu_id, map[i][0]))
                id = map[i][1];
    } else {
        const struct json_value *cpu = json_get(r->dir.meta.root, "cpu");
        if (cpu && cpu->type == JSON_STRING && cpu->str_len < sizeof(name)) {
            memcpy(name, cpu->str, cpu->str_len);
            name[cpu->str_len] = 0;
            id = name;
        }
    }
    return id ? cpu_model_find(id) : NULL;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Run (or, when excluded, count) every test of one file and print its line. */
static void run_file(struct runner *r, const char *path)
{
    const char *base = base_name(path), *err = NULL;
    if (r->opt.filter && !strstr(base, r->opt.filter))
        return;
    char dir[VEC_PATH_MAX], msg[300];
    if (base == path)
        snprintf(dir, sizeof(dir), ".");
    else if (base - path == 1)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(base - path - 1), path);
    dir_load(r, dir);
    if (moo_load_file(path, &r->buf, &r->buf_len, &r->buf_cap, msg, sizeof(msg))) {
        fprintf(stderr, "kiln-vectors: %s\n", msg);
        r->io_error = true;
        return;
    }
    struct source src;
    memset(&src, 0, sizeof(src));
    /* The name decides the format; other names are sniffed. */
    if (has_suffix(base, ".json.gz") || has_suffix(base, ".json"))
        src.is_moo = false;
    else if (has_suffix(base, ".moo.gz") || has_suffix(base, ".moo"))
        src.is_moo = true;
    else
        src.is_moo = r->buf_len >= 4 && !memcmp(r->buf, "MOO ", 4);
    int rc = src.is_moo ? moo_open(&src.moo, r->buf, r->buf_len)
                        : json_tests_open(&src.json, (const char *)r->buf, r->buf_len);
    const struct cpu_model_info *model = NULL;
    if (rc)
        err = src.is_moo ? src.moo.err : src.json.err;
    else if (!(model = model_for(r, &src)))
        err = "cannot tell the CPU model; pass --cpu";
    if (err) {
        fprintf(stderr, "kiln-vectors: %s: %s\n", path, err);
        r->io_error = true;
        if (!src.is_moo)
            json_tests_close(&src.json);
        return;
    }
    r->model = model;
    r->hlt_after = model->gen != CPU_8086;
    r->mem.mask = model->phys_mask & (VMEM_SIZE - 1);
    if (r->opt.jit && !jit_ready(r, model)) {
        r->io_error = true;
        if (!src.is_moo)
            json_tests_close(&src.json);
        return;
    }
    const struct nm_entry *nm = nm_find(&r->nm, model->name, base);
    struct json_flag_masks fm;
    json_meta_file_masks(&r->dir.meta, base, &fm);

    uint64_t pass = 0, fail = 0, excl = 0;
    struct moo_test *t = &r->test;
    while ((rc = source_next(&src, t, &err)) == 1) {
        if (nm || (t->has_hash && moo_revoked_has(&r->dir.revoked, t->hash))) {
            excl++;
            continue;
        }
        uint16_t fmask = json_flag_mask_of(&fm, t->bytes, t->bytes_len);
        load_test(r, t);
        struct outcome o = r->jit ? run_test_jit(r) : run_test(r);
        if (!check_test(r, t, fmask, &o, NULL)) {
            pass++;
        } else {
            if (r->opt.verbose && fail < VERBOSE_FAILS)
                print_failure(r, t, pass + fail + excl, fmask, &o);
            fail++;
        }
        if (r->jit)
            for (size_t i = 0; i < r->mem.ntouched; i++)
                jit_notify_ram_write(r->jit, r->mem.touched[i], 1);
        vmem_reset(&r->mem);
    }
    int64_t stray = r->jit ? vmem_first_stray(&r->mem) : -1;
    if (stray >= 0) {
        /* A write outside every window the runner looked at: a failure of its own. */
        printf("%s: RAM at %06llx changed outside the tests' segments\n", base,
               (unsigned long long)stray);
        memset(r->mem.val, 0, (size_t)r->mem.mask + 1);
        jit_notify_ram_write(r->jit, 0, r->mem.mask + 1);
        fail++;
    }
    if (rc < 0) {
        fprintf(stderr, "kiln-vectors: %s: %s\n", path, err);
        r->io_error = true;
    }
    if (!src.is_moo)
        json_tests_close(&src.json);
    printf("%s %llu passed, %llu failed", base, (unsigned long long)pass,
           (unsigned long long)fail);
    if (excl)
        printf(", %llu excluded", (unsigned long long)excl);
    printf("\n");
    if (nm && r->opt.verbose)
        printf("  not modelled: %s\n", nm->reason);
    fflush(stdout);
    r->passed += pass;
    r->failed += fail;
    r->excluded += excl;
}

static int is_test_file(const struct dirent *e)
{
    return has_suffix(e->d_name, ".MOO.gz") || has_suffix(e->d_name, ".json.gz");
}

/* Run every *.MOO.gz and *.json.gz of 'dir', in name order. */
static void run_dir(struct runner *r, const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, is_test_file, alphasort);
    if (n <= 0) {
        fprintf(stderr, "kiln-vectors: %s: %s\n", dir,
                n < 0 ? strerror(errno) : "no *.MOO.gz or *.json.gz files");
        r->io_error = true;
        return;
    }
    for (int i = 0; i < n; i++) {
        char path[VEC_PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) >= (int)sizeof(path)) {
            fprintf(stderr, "kiln-vectors: path too long: %s/%s\n", dir, names[i]->d_name);
            r->io_error = true;
        } else {
            run_file(r, path);
        }
        free(names[i]);
    }
    free(names);
}

/* Release everything; valid on a zeroed runner too. */
static void runner_free(struct runner *r)
{
    moo_test_free(&r->test);
    dir_free(&r->dir);
    nm_free(&r->nm);
    jit_free(r->jit);
    vmem_free(&r->mem);
    free(r->buf);
    free(r->opt.paths);
    free(r);
}

int main(int argc, char **argv)
{
    struct runner *r = calloc(1, sizeof(*r));
    if (!r || vmem_init(&r->mem)) {
        fprintf(stderr, "kiln-vectors: out of memory\n");
        if (r)
            runner_free(r);
        return 2;
    }
    if (parse_args(argc, argv, &r->opt) ||
        (r->opt.not_modelled && nm_load(&r->nm, r->opt.not_modelled))) {
        runner_free(r);
        return 2;
    }
    r->bus = (struct cpu_bus){.ctx = &r->mem, .mem_read = vmem_read, .mem_write = vmem_write,
                              .io_read = io_read, .io_write = io_write};

    for (int i = 0; i < r->opt.npaths; i++) {
        const char *p = r->opt.paths[i];
        DIR *d = opendir(p);
        if (d) {
            closedir(d);
            run_dir(r, p);
        } else if (errno == ENOTDIR) {
            run_file(r, p);
        } else {
            fprintf(stderr, "kiln-vectors: cannot open %s: %s\n", p, strerror(errno));
            r->io_error = true;
        }
    }

    if (r->jit && r->opt.verbose)
        jit_print_stats(r->jit, stdout);
    printf("%llu passed, %llu failed", (unsigned long long)r->passed,
           (unsigned long long)r->failed);
    if (r->excluded)
        printf(", %llu excluded", (unsigned long long)r->excluded);
    printf("\n");
    fflush(stdout);

    uint64_t run = r->passed + r->failed;
    double pct = run ? 100.0 * (double)r->passed / (double)run : 100.0;
    /* Failures are tolerated only within a threshold given; both when both are. */
    bool pct_ok = r->opt.has_min_pass && pct >= r->opt.min_pass;
    bool count_ok = r->opt.has_max_fail && r->failed <= r->opt.max_fail;
    bool ok = r->failed == 0 || (r->opt.has_min_pass && r->opt.has_max_fail ? pct_ok && count_ok
                                                                            : pct_ok || count_ok);
    int rc = ok ? 0 : 1;
    if (r->failed && r->opt.has_min_pass)
        fprintf(stderr, "kiln-vectors: %.3f%% passed (minimum %.3f%%)\n", pct, r->opt.min_pass);
    if (r->failed && r->opt.has_max_fail)
        fprintf(stderr, "kiln-vectors: %llu failed (at most %llu)\n",
                (unsigned long long)r->failed, r->opt.max_fail);
    if (r->io_error)
        rc = 2;
    runner_free(r);
    return rc;
}
