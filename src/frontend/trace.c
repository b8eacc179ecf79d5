/* SPDX-License-Identifier: MIT */
/*
 * The tracer (see trace.h). It runs between instructions on the exact
 * path, so everything is found by comparing state: an instruction that
 * retired without counting (icount unchanged, EIP moved) delivered an
 * exception, whose vector and error code the CPU leaves in exc_*; an
 * entry state that differs from the last exit's is an external interrupt,
 * whose vector is found by looking its handler up in the IVT or IDT.
 * Disassembly is Capstone's, of bytes read without side effects.
 * Spec: Intel SDM Vol. 3A 6.10-6.12 (IDT, gates), 20.1.4 (real-mode IVT).
 */
#include "frontend/trace_int.h"

#include <stdlib.h>
#include <string.h>

#include "cpu/flags.h"
#include "frontend/gdbstub_int.h"

static const struct {
    const char *name;
    unsigned mask;
} items[] = {
    {"exec", TRACE_EXEC}, {"in_asm", TRACE_IN_ASM}, {"int", TRACE_INT},
    {"cpu", TRACE_CPU},   {"mmu", TRACE_MMU},       {"io", TRACE_IO},
    /* handled elsewhere (main.c) or by the translator when it arrives */
    {"guest_errors", 0},  {"unimp", 0},             {"jitstats", 0},
    {"ir", 0},            {"out_asm", 0},
};

int trace_parse_items(const char *list, char *err, size_t errlen)
{
    unsigned mask = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
            if (strlen(items[i].name) == n && !strncmp(items[i].name, p, n)) {
                mask |= items[i].mask;
                found = true;
            }
        if (!found) {
            snprintf(err, errlen,
                     "-d: unknown item '%.*s' (exec, in_asm, int, cpu, mmu, io, guest_errors, "
                     "unimp, jitstats)",
                     (int)(n > 40 ? 40 : n), p);
            return -1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return (int)mask;
}

static bool parse_addr(const char *s, uint32_t *out, const char **end)
{
    char *e;
    unsigned long long v = strtoull(s, &e, 0);
    if (e == s || v > 0xffffffffull || *s == '-')
        return false;
    *out = (uint32_t)v;
    *end = e;
    return true;
}

static int parse_limits(struct trace *t, const struct kiln_config *cfg, char *err, size_t n)
{
    const char *end;
    t->lo = 0;
    t->hi = 0xffffffffu;
    if (cfg->trace_filter) {
        const char *s = cfg->trace_filter;
        if (!parse_addr(s, &t->lo, &end) || strncmp(end, "..", 2) ||
            !parse_addr(end + 2, &t->hi, &end) || *end || t->hi < t->lo) {
            snprintf(err, n, "-dfilter: expected LO..HI (linear addresses), got '%s'", s);
            return -1;
        }
    }
    t->started = !cfg->trace_start;
    if (cfg->trace_start && (!parse_addr(cfg->trace_start, &t->start, &end) || *end)) {
        snprintf(err, n, "-dstart: expected a linear address, got '%s'", cfg->trace_start);
        return -1;
    }
    t->has_stop = cfg->trace_stop != NULL;
    if (cfg->trace_stop && (!parse_addr(cfg->trace_stop, &t->stop_at, &end) || *end)) {
        snprintf(err, n, "-dstop: expected a linear address, got '%s'", cfg->trace_stop);
        return -1;
    }
    t->limit = UINT64_MAX;
    if (cfg->trace_limit) {
        char *e;
        unsigned long long v = strtoull(cfg->trace_limit, &e, 0);
        if (e == cfg->trace_limit || *e || cfg->trace_limit[0] == '-' || v == 0) {
            snprintf(err, n, "-dlimit: expected a positive instruction count, got '%s'",
                     cfg->trace_limit);
            return -1;
        }
        t->limit = v;
    }
    return 0;
}

struct trace *trace_new(const struct kiln_config *cfg, struct cpu *c, FILE *out, bool translator,
                        char *err, size_t errlen)
{
    err[0] = 0;
    int mask = cfg->log_items ? trace_parse_items(cfg->log_items, err, errlen) : 0;
    if (mask < 0)
        return NULL;
    /* in_asm alone (or with io) under the translator is its block log; with
     * per-instruction items the interpreter runs everything and the
     * tracer shows each new instruction instead. */
    bool cuts = cfg->trace_filter || cfg->trace_start || cfg->trace_stop || cfg->trace_limit;
    if (translator && !(mask & ~(TRACE_IN_ASM | TRACE_IO)) && !cuts)
        mask &= ~TRACE_IN_ASM;
    if (!mask) {
        if (cfg->trace_filter || cfg->trace_start || cfg->trace_stop || cfg->trace_limit)
            snprintf(err, errlen, "-dfilter/-dstart/-dstop/-dlimit need trace items in -d");
        return NULL;
    }
    struct trace *t = calloc(1, sizeof(*t));
    if (!t) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    t->c = c;
    t->mask = (unsigned)mask;
    t->out = out;
    if (parse_limits(t, cfg, err, errlen))
        goto fail;
    if (cs_open(CS_ARCH_X86, CS_MODE_32, &t->cs32) != CS_ERR_OK ||
        cs_open(CS_ARCH_X86, CS_MODE_16, &t->cs16) != CS_ERR_OK) {
        snprintf(err, errlen, "cannot start the Capstone disassembler");
        goto fail;
    }
    t->cs_open = true;
    if (t->mask & TRACE_IO)
        trace_io_attach(t);
    t->cr0 = c->cr[0];
    t->cr3 = c->cr[3];
    t->cr4 = c->cr[4];
    return t;
fail:
    trace_free(t);
    return NULL;
}

void trace_free(struct trace *t)
{
    if (!t)
        return;
    if (t->mask & TRACE_IO)
        trace_io_detach(t);
    if (t->cs_open) {
        cs_close(&t->cs32);
        cs_close(&t->cs16);
    }
    fflush(t->out);
    free(t);
}

bool trace_per_insn(const struct trace *t)
{
    return (t->mask & ~(unsigned)TRACE_IO) || !t->started || t->has_stop ||
           t->limit != UINT64_MAX;
}

static uint32_t pc_lin(const struct cpu *c)
{
    return c->seg[SEG_CS].base + c->eip;
}

/* Is tracing live for the instruction at the current EIP? */
static bool live(struct trace *t)
{
    if (t->done)
        return false;
    uint32_t pc = pc_lin(t->c);
    if (!t->started && pc == t->start)
        t->started = true;
    if (t->started && t->has_stop && pc == t->stop_at) {
        t->done = true;
        fprintf(t->out, "---- trace stopped at %08x (-dstop)\n", pc);
        return false;
    }
    return t->started && pc >= t->lo && pc <= t->hi;
}

bool trace_io_live(const struct trace *t)
{
    return t->started && !t->done;
}

/* Read up to 'want' (at most 15) code bytes at CS:EIP, one translation
 * per page; returns how many could be read. */
static size_t code_bytes(struct trace *t, uint8_t *bytes, size_t want)
{
    struct cpu *c = t->c;
    uint32_t lin = pc_lin(c), pa = 0;
    size_t len = 0;
    for (; len < want; len++) {
        uint32_t at = lin + (uint32_t)len;
        if ((len == 0 || (at & 0xfffu) == 0) && !gdb_lin_to_phys(c, at, &pa))
            break;
        bytes[len] = (uint8_t)phys_read(c, pa, 1);
        pa++;
    }
    return len;
}

/* A software interrupt (INT n, INT3, INTO, INT1) at the start of 'b':
 * its vector and length, or -1. Only legacy prefixes can precede it. */
static const uint8_t legacy_prefixes[] = {0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65,
                                          0x66, 0x67, 0xf0, 0xf2, 0xf3};

static bool is_prefix(uint8_t b)
{
    return memchr(legacy_prefixes, b, sizeof(legacy_prefixes)) != NULL;
}

static int soft_int_peek(const uint8_t *b, size_t n, size_t *len)
{
    size_t i = 0;
    while (i < n && is_prefix(b[i]))
        i++;
    if (i >= n)
        return -1;
    int v = b[i] == 0xcc ? 3 : b[i] == 0xce ? 4 : b[i] == 0xf1 ? 1 : -1;
    *len = i + 1;
    if (b[i] == 0xcd && i + 1 < n) {
        v = b[i + 1];
        *len = i + 2;
    }
    return v;
}

/* Disassemble 'len' code bytes into 'text'; returns the instruction's
 * length (0 when it cannot be decoded). */
static size_t disasm(struct trace *t, const uint8_t *bytes, size_t len, char *text, size_t n)
{
    struct cpu *c = t->c;
    cs_insn *insn = NULL;
    csh h = cpu_code_size(c) == 4 ? t->cs32 : t->cs16;
    size_t count = len ? cs_disasm(h, bytes, len, c->eip, 1, &insn) : 0;
    if (!count) {
        snprintf(text, n, "(undecodable)");
        return 0;
    }
    snprintf(text, n, "%s%s%s", insn->mnemonic, insn->op_str[0] ? " " : "", insn->op_str);
    size_t size = insn->size;
    cs_free(insn, count);
    return size;
}

static void dump_cpu(struct trace *t)
{
    struct cpu *c = t->c;
    fprintf(t->out,
            "EAX=%08x EBX=%08x ECX=%08x EDX=%08x ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n"
            "EIP=%08x EFL=%08x CPL=%u CS=%04x SS=%04x DS=%04x ES=%04x FS=%04x GS=%04x "
            "CR0=%08x CR3=%08x\n",
            c->r[R_EAX], c->r[R_EBX], c->r[R_ECX], c->r[R_EDX], c->r[R_ESI], c->r[R_EDI],
            c->r[R_EBP], c->r[R_ESP], c->eip, flags_get(c), c->cpl, c->seg[SEG_CS].sel,
            c->seg[SEG_SS].sel, c->seg[SEG_DS].sel, c->seg[SEG_ES].sel, c->seg[SEG_FS].sel,
            c->seg[SEG_GS].sel, c->cr[0], c->cr[3]);
}

/* in_asm: print each address once; a small direct-mapped table of seen
 * addresses (a collision just prints the instruction again). */
static bool first_time(struct trace *t, uint32_t lin)
{
    uint32_t i = (lin * 2654435761u) >> (32 - TRACE_SEEN_BITS);
    if (t->seen[i] == lin + 1)
        return false;
    t->seen[i] = lin + 1;
    return true;
}

void trace_before(struct trace *t)
{
    struct cpu *c = t->c;
    t->traced = live(t);
    t->pc_before = pc_lin(c);
    t->cs_before = c->seg[SEG_CS].sel;
    t->eip_before = c->eip;
    t->len_before = 0;
    if (!t->traced)
        return;
    if (t->count >= t->limit) {
        if (!t->done)
            fprintf(t->out, "---- trace limit of %llu instructions reached (-dlimit)\n",
                    (unsigned long long)t->limit);
        t->done = true;
        t->traced = false;
        return;
    }
    t->count++;
    /* Capstone and whole instructions only for the lines that show them:
     * they are the slow part of a trace. */
    bool show = (t->mask & TRACE_EXEC) || ((t->mask & TRACE_IN_ASM) && first_time(t, t->pc_before));
    uint8_t bytes[16];
    size_t n = 0;
    if (show || (t->mask & TRACE_INT)) {
        n = code_bytes(t, bytes, show ? 15 : 2);
        if (!show && n && is_prefix(bytes[0]))
            n = code_bytes(t, bytes, 15);
    }
    t->soft_vector = -1;
    if (t->mask & TRACE_INT)
        t->soft_vector = soft_int_peek(bytes, n, &t->len_before);
    if (t->mask & TRACE_CPU)
        dump_cpu(t);
    if (show) {
        char text[256], hex[48] = "";
        size_t len = disasm(t, bytes, n, text, sizeof(text));
        for (size_t i = 0; i < len && i < 15; i++)
            snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
        if (t->mask & TRACE_EXEC)
            fprintf(t->out, "%llu %04x:%08x [%08x] %-20s %s\n", (unsigned long long)c->icount,
                    t->cs_before, t->eip_before, t->pc_before, hex, text);
        else
            fprintf(t->out, "IN: %04x:%08x [%08x] %-20s %s\n", t->cs_before, t->eip_before,
                    t->pc_before, hex, text);
    }
    t->tlb_misses = c->tlb.misses;
}

void trace_after(struct trace *t, uint64_t icount_before, enum exec_stop r)
{
    struct cpu *c = t->c;
    if (!t->traced || r == EXEC_INTR)
        return;
    bool moved = c->seg[SEG_CS].sel != t->cs_before || c->eip != t->eip_before;
    if ((t->mask & TRACE_INT) && c->icount == icount_before && moved && r != EXEC_SHUTDOWN) {
        fprintf(t->out, "INT: exception %u", c->exc_vector);
        if (c->exc_has_error)
            fprintf(t->out, " error %04x", c->exc_error);
        if (c->exc_vector == EXC_PF)
            fprintf(t->out, " cr2 %08x", c->cr[2]);
        fprintf(t->out, " at %04x:%08x -> %04x:%08x\n", t->cs_before, t->eip_before,
                c->seg[SEG_CS].sel, c->eip);
    } else if ((t->mask & TRACE_INT) && t->soft_vector >= 0 &&
               c->icount != icount_before && pc_lin(c) != t->pc_before + t->len_before) {
        fprintf(t->out, "INT: software interrupt 0x%02x at %04x:%08x -> %04x:%08x\n",
                t->soft_vector, t->cs_before, t->eip_before, c->seg[SEG_CS].sel, c->eip);
    }
    if (r == EXEC_SHUTDOWN)
        fprintf(t->out, "INT: triple fault at %04x:%08x (last exception %u): shutdown\n",
                t->cs_before, t->eip_before, c->exc_vector);
    if (t->mask & TRACE_MMU)
        trace_mmu_after(t);
}

void trace_exit(struct trace *t)
{
    struct cpu *c = t->c;
    t->exit_cs = c->seg[SEG_CS].sel;
    t->exit_eip = c->eip;
    t->exit_esp = c->r[R_ESP];
    t->exit_icount = c->icount;
    t->exit_valid = true;
}

void trace_entry(struct trace *t)
{
    struct cpu *c = t->c;
    if (!(t->mask & TRACE_INT) || !t->exit_valid || t->done || !t->started)
        return;
    if (c->icount != t->exit_icount ||
        (c->seg[SEG_CS].sel == t->exit_cs && c->eip == t->exit_eip && c->r[R_ESP] == t->exit_esp))
        return;
    int v = trace_find_vector(t);
    if (v >= 0)
        fprintf(t->out, "INT: external interrupt vector %d (0x%02x) at %04x:%08x -> %04x:%08x\n",
                v, v, t->exit_cs, t->exit_eip, c->seg[SEG_CS].sel, c->eip);
    else
        fprintf(t->out, "INT: external interrupt or reset at %04x:%08x -> %04x:%08x\n",
                t->exit_cs, t->exit_eip, c->seg[SEG_CS].sel, c->eip);
}
