/* SPDX-License-Identifier: MIT */
/*
 * kiln-asmtest: runs one guest assembly test program (a tests/asm program,
 * assembled flat) on the flat test machine and exits with the value the
 * guest wrote to the exit port. A halt, a triple fault or an exhausted
 * instruction budget is a failure with its own message and status, so that
 * a hang or a crash never passes; a test that is meant to end in a triple
 * fault says so with --expect-shutdown, and then only the shutdown passes.
 * Owns option parsing and reporting only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "flat_machine.h"
#include "frontend/options.h"

/* Exit statuses for the ways a run can end without the guest's verdict. */
enum {
    ASMTEST_EXIT_USAGE = 2,
    ASMTEST_EXIT_EXITED = 123, /* exited with 0 where a triple fault was expected */
    ASMTEST_EXIT_BUDGET = 124,
    ASMTEST_EXIT_HOST = 125,
    ASMTEST_EXIT_HALTED = 126,
    ASMTEST_EXIT_SHUTDOWN = 127,
};

#define ASMTEST_DEFAULT_BUDGET 200000000ull

static void usage(FILE *to)
{
    fprintf(to, "usage: kiln-asmtest [--cpu MODEL] [--accel jit|interp] [--max-insns N] [--reset]\n"
                "                    [--expect-shutdown] "
                "[--trace N] FILE.bin\n"
                "  --cpu MODEL        CPU model (%s; default pentium2)\n"
                "  --accel ENGINE     jit (the translator) or interp (default)\n"
                "  --max-insns N      stop with an error after N steps (default %llu)\n"
                "  --reset            start from the CPU's reset state (F000:FFF0), whose\n"
                "                     reset vector jumps to the image at 1000:0000\n"
                "  --expect-shutdown  pass only when the guest ends in a triple fault\n"
                "  --trace N          print the last N CS:EIP executed when the run ends\n",
            cpu_model_names(), ASMTEST_DEFAULT_BUDGET);
}

/* One line of guest state, so that a failure report shows where the guest was. */
static void dump_state(struct cpu *c)
{
    fprintf(stderr,
            "kiln-asmtest: CS:EIP=%04x:%08x CR0=%08x EFLAGS=%08x\n"
            "  EAX=%08x EBX=%08x ECX=%08x EDX=%08x ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n"
            "  DS=%04x ES=%04x SS=%04x FS=%04x GS=%04x icount=%llu\n",
            c->seg[SEG_CS].sel, c->eip, c->cr[0], c->eflags, c->r[R_EAX], c->r[R_EBX],
            c->r[R_ECX], c->r[R_EDX], c->r[R_ESI], c->r[R_EDI], c->r[R_EBP], c->r[R_ESP],
            c->seg[SEG_DS].sel, c->seg[SEG_ES].sel, c->seg[SEG_SS].sel, c->seg[SEG_FS].sel,
            c->seg[SEG_GS].sel, (unsigned long long)c->icount);
}

/* Run one step at a time, keeping the last 'n' CS:EIP values, and print
 * them when the run ends: a debugging aid for a failing guest test. */
static enum flat_result run_traced(struct flat_machine *m, uint64_t budget, unsigned n)
{
    struct cpu *c = flat_machine_cpu(m);
    struct { uint16_t cs; uint8_t cpl; uint32_t eip; } *ring = calloc(n, sizeof(*ring));
    if (!ring)
        return flat_machine_run(m, budget);
    enum flat_result r = FLAT_BUDGET;
    uint64_t steps = 0;
    for (; steps < budget; steps++) {
        ring[steps % n].cs = c->seg[SEG_CS].sel;
        ring[steps % n].cpl = c->cpl;
        ring[steps % n].eip = c->eip;
        r = flat_machine_run(m, 1);
        if (r != FLAT_BUDGET)
            break;
    }
    uint64_t first = steps + 1 > n ? steps + 1 - n : 0;
    for (uint64_t i = first; i <= steps && i < budget; i++)
        fprintf(stderr, "trace: %04x:%08x cpl %u\n", ring[i % n].cs, ring[i % n].eip,
                ring[i % n].cpl);
    free(ring);
    return r;
}

static bool parse_budget(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v == 0)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    const struct cpu_model_info *model = cpu_model_default();
    uint64_t budget = ASMTEST_DEFAULT_BUDGET;
    const char *path = NULL;
    bool from_reset = false, expect_shutdown = false, use_jit = false;
    unsigned trace_len = 0;
    char err[256];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--cpu") && i + 1 < argc) {
            model = options_cpu_model(argv[++i], err, sizeof(err));
            if (!model) {
                fprintf(stderr, "kiln-asmtest: %s\n", err);
                return ASMTEST_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--max-insns") && i + 1 < argc) {
            if (!parse_budget(argv[++i], &budget)) {
                fprintf(stderr, "kiln-asmtest: bad --max-insns value '%s'\n", argv[i]);
                return ASMTEST_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--trace") && i + 1 < argc) {
            uint64_t v;
            if (!parse_budget(argv[++i], &v) || v > 100000) {
                fprintf(stderr, "kiln-asmtest: bad --trace value '%s'\n", argv[i]);
                return ASMTEST_EXIT_USAGE;
            }
            trace_len = (unsigned)v;
        } else if (!strcmp(a, "--accel") && i + 1 < argc) {
            const char *v = argv[++i];
            if (strcmp(v, "jit") && strcmp(v, "interp")) {
                fprintf(stderr, "kiln-asmtest: bad --accel value '%s' (jit, interp)\n", v);
                return ASMTEST_EXIT_USAGE;
            }
            use_jit = !strcmp(v, "jit");
        } else if (!strcmp(a, "--reset")) {
            from_reset = true;
        } else if (!strcmp(a, "--expect-shutdown")) {
            expect_shutdown = true;
        } else if (a[0] == '-' || path) {
            usage(stderr);
            return ASMTEST_EXIT_USAGE;
        } else {
            path = a;
        }
    }
    if (!path) {
        usage(stderr);
        return ASMTEST_EXIT_USAGE;
    }

    /* Guest oddities and missing features explain most failures: show them. */
    log_enable(LOG_GUEST | LOG_STUB);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct flat_machine *m = flat_machine_new(model, stdout);
    if (!m) {
        fprintf(stderr, "kiln-asmtest: out of memory\n");
        return ASMTEST_EXIT_HOST;
    }
    flat_machine_set_start(m, from_reset ? FLAT_START_RESET : FLAT_START_IMAGE);
    flat_machine_use_jit(m, use_jit, 0);
    if (!flat_machine_load_file(m, path, err, sizeof(err))) {
        fprintf(stderr, "kiln-asmtest: %s\n", err);
        flat_machine_free(m);
        return ASMTEST_EXIT_HOST;
    }

    int status;
    struct cpu *c = flat_machine_cpu(m);
    enum flat_result r = trace_len ? run_traced(m, budget, trace_len)
                                   : flat_machine_run(m, budget);
    fflush(stdout);
    switch (r) {
    case FLAT_EXITED: {
        uint32_t v = flat_machine_exit_value(m);
        status = v > 255 ? 255 : (int)v;
        if (v)
            fprintf(stderr, "kiln-asmtest: guest exited with %u (model %s)\n", v, model->name);
        if (expect_shutdown) {
            fprintf(stderr, "kiln-asmtest: FAIL: guest exited instead of the expected triple "
                            "fault\n");
            status = v ? status : ASMTEST_EXIT_EXITED;
        }
        break;
    }
    case FLAT_HALTED:
        fprintf(stderr, "kiln-asmtest: FAIL: guest halted (HLT with IF=%d) without writing the "
                        "exit port\n", (c->eflags & FL_IF) ? 1 : 0);
        dump_state(c);
        status = ASMTEST_EXIT_HALTED;
        break;
    case FLAT_SHUTDOWN:
        if (expect_shutdown) {
            fprintf(stderr, "kiln-asmtest: triple fault (shutdown), as expected\n");
            status = 0;
            break;
        }
        fprintf(stderr, "kiln-asmtest: FAIL: triple fault (shutdown)\n");
        dump_state(c);
        status = ASMTEST_EXIT_SHUTDOWN;
        break;
    case FLAT_BUDGET:
    default:
        fprintf(stderr, "kiln-asmtest: FAIL: instruction budget of %llu steps exhausted\n",
                (unsigned long long)budget);
        dump_state(c);
        status = ASMTEST_EXIT_BUDGET;
        break;
    }
    flat_machine_free(m);
    return status;
}
