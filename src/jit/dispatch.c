/* SPDX-License-Identifier: MIT */
/*
 * The translator's run loop (see dispatch.h).
 */
#include "jit/dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "cpu/interp.h"
#include "cpu/opcodes.h"
#include "jit/helpers.h"
#include "jit/translate.h"
#include "jit/verify.h"

#define CODE_BYTES (64u << 20)

#define JC_CONTEXTS 8

struct jit {
    struct cpu *cpu;
    struct jit_cache *cache;
    jit_enter_fn enter;
    int max_block_insns;
    bool verify;
    bool exact_budget; /* jit_set_exact_budget */
    uint32_t mode; /* jit_mode_of(cpu), recomputed when c->jit.mode_dirty */
    /* The context the jump cache's current generation belongs to, and the
     * generations of recent contexts (valid while jc_epoch is current). */
    struct jc_context {
        uint32_t mode, cs_base, cs_limit, tlb_gen, gen;
    } jc_now, jc_recent[JC_CONTEXTS];
    unsigned jc_recent_next;
    uint32_t jc_epoch;
    struct jit_jc_entry *jc;
    uint64_t dispatches, lookups_hit, lookups_missed, bails, interp_steps;
};

struct jit *jit_new(struct cpu *c, int max_block_insns)
{
    if (!c->bus.ram)
        return NULL;
    struct jit *j = calloc(1, sizeof(*j));
    if (!j)
        return NULL;
    j->cpu = c;
    j->verify = jit_verify_enabled();
    j->exact_budget = true;
    j->cache = jit_cache_new(c, CODE_BYTES);
    if (!j->cache) {
        free(j);
        return NULL;
    }
    j->enter = jit_cache_enter(j->cache);
    j->jc = jit_cache_jump_cache(j->cache);
    jit_jc_drop_all(c); /* the empty entries carry generation 0 */
#if defined(__x86_64__)
    __asm__ volatile("fnstcw %0" : "=m"(c->jit.host_fcw));
#endif
    j->jc_epoch = c->jit.jc_epoch;
    c->jit.engine = j;
    j->max_block_insns = max_block_insns > 0 ? max_block_insns : JIT_MAX_INSNS;
    return j;
}

void jit_free(struct jit *j)
{
    if (!j)
        return;
    if (j->cpu->jit.engine == j)
        j->cpu->jit.engine = NULL;
    jit_cache_free(j->cache);
    free(j);
}

void jit_notify_ram_write(struct jit *j, uint32_t phys, uint32_t len)
{
    /* A device's write may come while a block runs (DMA that a port write
     * starts, or a timer's that the port access brought due): smc_hit then
     * makes the helper leave. Outside blocks a stale flag costs one early
     * exit. */
    jit_cache_code_write(j->cache, phys, len);
}

void jit_set_exact_budget(struct jit *j, bool exact)
{
    j->exact_budget = exact;
}

void jit_set_log(struct jit *j, FILE *f, unsigned what)
{
    jit_cache_set_log(j->cache, f, what);
}

void jit_set_perfmap(struct jit *j, FILE *f)
{
    jit_cache_set_perfmap(j->cache, f);
}

/* Can translated code run the next instruction exactly as the interpreter would? */
static bool usable(const struct cpu *c)
{
    /* RF is cleared by the next instruction to complete: the interpreter's job. */
    if (c->irq_shadow || (c->eflags & (FL_TF | FL_RF)) || c->dbg.exec_armed || c->dbg.data_armed)
        return false;
    /* Alignment checks are not inlined. */
    if (c->cpl == 3 && (c->cr[0] & CR0_AM) && (c->eflags & FL_AC))
        return false;
    return true;
}

/* The block for the current CS:EIP, translated if need be; NULL when the
 * interpreter must run this instruction. */
static struct jit_block *block_here(struct jit *j, struct cpu *c)
{
    uint32_t lin = c->seg[SEG_CS].base + c->eip;
    struct tlb_entry *e = &c->tlb.e[c->cpl == 3 ? TLB_USER : TLB_SUPERVISOR][tlb_index(lin)];
    if (e->tag_read != (lin & ~0xfffu)) /* (a TLB_MMIO entry has no host page) */
        return NULL;
    uint32_t phys = e->phys | (lin & 0xfff);
    if (phys >= c->bus.ram_size)
        return NULL;
    if (c->jit.mode_dirty) {
        j->mode = jit_mode_of(c);
        c->jit.mode_dirty = 0;
    }
    struct jit_key key = jit_key_of(c, phys, j->mode);
    struct jit_block *b = jit_cache_find(j->cache, &key);
    if (b) {
        j->lookups_hit++;
        return b;
    }
    j->lookups_missed++;
    return jit_cache_translate(j->cache, c, &key, lin, e->host + (lin & 0xfff),
                               0x1000 - (lin & 0xfff), j->max_block_insns);
}

/* Chain exit 'e' to the block now at CS:EIP when both sit on the same
 * linear page (then no mapping change can separate them). */
static void try_chain(struct jit *j, struct cpu *c, struct jit_exit *e)
{
    struct jit_block *from = e->from;
    if (!from->valid || e->to || !usable(c) || j->verify)
        return;
    struct jit_block *to = block_here(j, c);
    if (to && (to->lin >> 12) == (from->lin >> 12) && to->key.mode == from->key.mode &&
        to->key.cs_base == from->key.cs_base)
        jit_cache_chain(j->cache, e, to);
}

static bool same_context(const struct jc_context *a, const struct jc_context *b)
{
    return a->mode == b->mode && a->cs_base == b->cs_base && a->cs_limit == b->cs_limit &&
           a->tlb_gen == b->tlb_gen;
}

/* Make c->jit.jc_gen the generation of the context 'b' runs under: the one
 * it had when it was last current (unless translated code was dropped
 * since), else a new one. */
static void switch_context(struct jit *j, struct cpu *c, const struct jit_block *b)
{
    struct jc_context now = {b->key.mode, b->key.cs_base, b->key.cs_limit, c->tlb.generation, 0};
    if (j->jc_epoch != c->jit.jc_epoch) {
        memset(j->jc_recent, 0, sizeof(j->jc_recent));
        j->jc_epoch = c->jit.jc_epoch;
        now.gen = c->jit.jc_gen; /* fresh: jit_jc_drop_all made it */
        j->jc_recent[0] = now;
        j->jc_recent_next = 1;
    } else {
        for (int k = 0; k < JC_CONTEXTS; k++)
            if (j->jc_recent[k].gen && same_context(&j->jc_recent[k], &now))
                now.gen = j->jc_recent[k].gen;
        if (!now.gen) {
            now.gen = jit_jc_new_gen(c);
            j->jc_recent[j->jc_recent_next++ % JC_CONTEXTS] = now;
        }
    }
    j->jc_now = now;
    c->jit.jc_gen = now.gen;
}

/* Put 'b' in the jump cache under the generation of its context. */
static void remember(struct jit *j, struct cpu *c, struct jit_block *b)
{
    struct jc_context now = {b->key.mode, b->key.cs_base, b->key.cs_limit, c->tlb.generation, 0};
    if (j->jc_epoch != c->jit.jc_epoch || !same_context(&j->jc_now, &now))
        switch_context(j, c, b);
    j->jc[jit_jc_index(b->key.eip)] = (struct jit_jc_entry){b->key.eip, c->jit.jc_gen, b->code};
}

/* One instruction on the interpreter; it may change anything the key holds. */
static enum step_result interp_one(struct jit *j, struct cpu *c)
{
    j->interp_steps++;
    enum step_result r = interp_step(c);
    c->jit.mode_dirty = 1;
    return r;
}

static const int no_interrupt;

enum exec_stop jit_run(struct jit *j, uint64_t max_insns, const volatile int *stop_flag,
                       const volatile int *intr_line)
{
    struct cpu *c = j->cpu;
    /* The budget counts retired instructions plus exceptions delivered (a
     * step that retires nothing), as the interpreter's loop counts steps: a
     * guest faulting for ever still returns. */
    uint64_t start = c->icount, exc_start = c->exceptions;
    c->jit.intr_line = intr_line ? intr_line : &no_interrupt;
    c->jit.mode_dirty = 1; /* interrupts and resets happen between runs */
    struct jit_block *b = NULL;
    for (;;) {
        uint64_t faults = c->exceptions - exc_start;
        if (c->icount - start + faults >= max_insns)
            return EXEC_BUDGET;
        /* Without exact budgets the limit leaves room for one more block. */
        c->jit.budget_end = start + max_insns - faults + (j->exact_budget ? 0 : JIT_MAX_INSNS - 1);
        if (stop_flag && *stop_flag)
            return EXEC_STOPPED;
        if (intr_line && *intr_line && interp_interruptible(c))
            return EXEC_INTR;
        if (c->halted)
            return EXEC_HALTED;
        b = usable(c) ? block_here(j, c) : NULL;
        /* A block longer than what is left of the budget would overshoot it. */
        if (b && c->icount + b->ninsn > c->jit.budget_end)
            b = NULL;
        enum step_result r = STEP_OK;
        if (!b) {
            r = interp_one(j, c);
        } else {
            j->dispatches++;
            if (!j->verify)
                remember(j, c, b);
            uintptr_t ret = j->verify ? jit_verify_block(c, j->enter, b) : j->enter(c, b->code);
            if (c->jit.shutdown) {
                c->jit.shutdown = 0;
                return EXEC_SHUTDOWN;
            }
            if (ret == JIT_RET_BAIL) {
                j->bails++;
                r = interp_one(j, c);
            } else if (ret != JIT_RET_CONTINUE) {
                try_chain(j, c, (struct jit_exit *)ret);
            }
        }
        c->jit.smc_hit = 0;
        if (r == STEP_SHUTDOWN)
            return EXEC_SHUTDOWN;
    }
}

void jit_print_stats(const struct jit *j, FILE *f)
{
    const struct jit_cache_stats *s = jit_cache_stats(j->cache);
    fprintf(f,
            "kiln: jit: %llu blocks translated (%llu instructions, %llu through helpers), "
            "%llu chained jumps, %llu SMC invalidations, %llu cache flushes\n",
            (unsigned long long)s->translated, (unsigned long long)s->insns_translated,
            (unsigned long long)s->helper_insns, (unsigned long long)s->chained,
            (unsigned long long)s->invalidated, (unsigned long long)s->flushes);
    fprintf(f,
            "kiln: jit: %llu block entries from the dispatcher, lookups %llu hit / %llu missed, "
            "%llu bails, %llu instructions interpreted\n",
            (unsigned long long)j->dispatches, (unsigned long long)j->lookups_hit,
            (unsigned long long)j->lookups_missed, (unsigned long long)j->bails,
            (unsigned long long)j->interp_steps);
    /* The five instruction forms most often run through helpers. */
    bool shown[OP_COUNT] = {false};
    fprintf(f, "kiln: jit: most frequent helper instructions:");
    for (int k = 0; k < 5; k++) {
        int best = -1;
        for (int op = 0; op < OP_COUNT; op++)
            if (!shown[op] && jit_helper_counts[op] &&
                (best < 0 || jit_helper_counts[op] > jit_helper_counts[best]))
                best = op;
        if (best < 0)
            break;
        shown[best] = true;
        fprintf(f, " %s %llu", opc_rows[best].mnem, (unsigned long long)jit_helper_counts[best]);
    }
    fputc('\n', f);
}
