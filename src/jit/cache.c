/* SPDX-License-Identifier: MIT */
/*
 * The code cache (see cache.h).
 */
#include "jit/cache.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "jit/codebuf.h"
#include "jit/disasm_log.h"
#include "jit/opt.h"
#include "jit/translate.h"

#define HASH_BITS   15
#define HASH_SIZE   (1u << HASH_BITS)
#define MAX_BLOCKS  32768
#define INSN_POOL   (MAX_BLOCKS * 8)
#define MAX_CODE_PER_BLOCK 32768

struct jit_cache {
    struct cpu *cpu;
    struct codebuf *cb;
    size_t glue_end, used;
    uint64_t enter, epilogue;
    struct jit_block *blocks;
    int nblocks;
    struct insn *insns;
    int ninsns;
    struct jit_block *hash[HASH_SIZE];
    uint32_t npages;
    struct jit_block **page_head;
    uint8_t *code_pages;
    struct ir_block ir;
    struct jit_cache_stats stats;
    FILE *log;
    unsigned log_what;
    FILE *perfmap;
    struct jit_jc_entry jump_cache[JIT_JC_SIZE];
};

static unsigned hash_key(const struct jit_key *k)
{
    uint32_t h = k->phys * 0x9e3779b1u ^ k->mode * 0x85ebca6bu ^ k->cs_base;
    return (h >> (32 - HASH_BITS)) & (HASH_SIZE - 1);
}

static bool key_equal(const struct jit_key *a, const struct jit_key *b)
{
    return a->phys == b->phys && a->eip == b->eip && a->cs_base == b->cs_base &&
           a->cs_limit == b->cs_limit && a->mode == b->mode;
}

static void code_write_cb(void *opaque, uint32_t phys, uint32_t size)
{
    jit_cache_code_write(opaque, phys, size);
}

struct jit_cache *jit_cache_new(struct cpu *c, size_t code_bytes)
{
    struct jit_cache *jc = calloc(1, sizeof(*jc));
    if (!jc)
        return NULL;
    jc->cpu = c;
    jc->npages = (c->bus.ram_size + 0xfffu) >> 12;
    jc->blocks = calloc(MAX_BLOCKS, sizeof(*jc->blocks));
    jc->insns = calloc(INSN_POOL, sizeof(*jc->insns));
    jc->page_head = calloc(jc->npages ? jc->npages : 1, sizeof(*jc->page_head));
    jc->code_pages = calloc(jc->npages ? jc->npages : 1, 1);
    jc->cb = codebuf_new(code_bytes, (const void *)jit_cache_new);
    if (!jc->blocks || !jc->insns || !jc->page_head || !jc->code_pages || !jc->cb) {
        jit_cache_free(jc);
        return NULL;
    }
    uint8_t *w = codebuf_open(jc->cb, 0, 256);
    struct x64_buf b;
    x64_buf_init(&b, w, 256, (uint64_t)(uintptr_t)codebuf_base(jc->cb));
    bool ok = w && x64_backend_emit_glue(&b, &jc->enter, &jc->epilogue);
    if (codebuf_seal(jc->cb) || !ok) {
        log_msg(LOG_HOST, "jit", "cannot emit the entry trampoline");
        jit_cache_free(jc);
        return NULL;
    }
    jc->glue_end = jc->used = (b.pos + 63) & ~(size_t)63;
    c->jit.code_pages = jc->code_pages;
    c->jit.code_write = code_write_cb;
    c->jit.opaque = jc;
    return jc;
}

void jit_cache_free(struct jit_cache *jc)
{
    if (!jc)
        return;
    if (jc->cpu && jc->cpu->jit.opaque == jc) {
        jc->cpu->jit.code_pages = NULL;
        jc->cpu->jit.code_write = NULL;
        jc->cpu->jit.opaque = NULL;
        tlb_clear_code(&jc->cpu->tlb);
    }
    codebuf_free(jc->cb);
    free(jc->blocks);
    free(jc->insns);
    free(jc->page_head);
    free(jc->code_pages);
    free(jc);
}

struct jit_jc_entry *jit_cache_jump_cache(struct jit_cache *jc)
{
    return jc->jump_cache;
}

jit_enter_fn jit_cache_enter(const struct jit_cache *jc)
{
    return (jit_enter_fn)(uintptr_t)jc->enter;
}

const struct jit_cache_stats *jit_cache_stats(const struct jit_cache *jc)
{
    return &jc->stats;
}

void jit_cache_set_log(struct jit_cache *jc, FILE *f, unsigned what)
{
    jc->log = f;
    jc->log_what = what;
}

void jit_cache_set_perfmap(struct jit_cache *jc, FILE *f)
{
    jc->perfmap = f;
}

struct jit_block *jit_cache_find(struct jit_cache *jc, const struct jit_key *key)
{
    for (struct jit_block *b = jc->hash[hash_key(key)]; b; b = b->hash_next)
        if (key_equal(&b->key, key))
            return b;
    return NULL;
}

void jit_cache_flush(struct jit_cache *jc)
{
    memset(jc->hash, 0, sizeof(jc->hash));
    memset(jc->page_head, 0, jc->npages * sizeof(*jc->page_head));
    memset(jc->code_pages, 0, jc->npages);
    tlb_clear_code(&jc->cpu->tlb);
    jc->nblocks = 0;
    jc->ninsns = 0;
    jc->used = jc->glue_end;
    jc->stats.flushes++;
    jit_jc_drop_all(jc->cpu);
}

/* Rewrite the rel32 of a sealed JMP to reach 'target'. */
static void patch_jump(struct jit_cache *jc, uint8_t *field, const uint8_t *target)
{
    size_t off = (size_t)(field - codebuf_base(jc->cb));
    uint8_t *w = codebuf_open(jc->cb, off, 4);
    if (w)
        x64_patch_rel32(w, (uint64_t)(uintptr_t)field, (uint64_t)(uintptr_t)target);
    codebuf_seal(jc->cb);
}

void jit_cache_chain(struct jit_cache *jc, struct jit_exit *e, struct jit_block *to)
{
    if (e->to || !to->valid || !e->from->valid)
        return;
    patch_jump(jc, e->jmp_field, to->code);
    e->to = to;
    e->next_in = to->incoming;
    to->incoming = e;
    jc->stats.chained++;
}

static void unlink_hash(struct jit_cache *jc, struct jit_block *blk)
{
    struct jit_block **p = &jc->hash[hash_key(&blk->key)];
    while (*p && *p != blk)
        p = &(*p)->hash_next;
    if (*p)
        *p = blk->hash_next;
}

static void invalidate(struct jit_cache *jc, struct jit_block *blk)
{
    blk->valid = false;
    unlink_hash(jc, blk);
    /* Chains into the block go back to their stubs. */
    for (struct jit_exit *e = blk->incoming; e; e = e->next_in) {
        patch_jump(jc, e->jmp_field, e->stub);
        e->to = NULL;
    }
    blk->incoming = NULL;
    /* Chains out of it leave their targets' lists. */
    for (int i = 0; i < 2; i++) {
        struct jit_exit *e = &blk->exit[i];
        if (!e->to)
            continue;
        struct jit_exit **p = &e->to->incoming;
        while (*p && *p != e)
            p = &(*p)->next_in;
        if (*p)
            *p = e->next_in;
        e->to = NULL;
    }
    jc->stats.invalidated++;
    jc->cpu->jit.smc_hit = 1;
    jit_jc_drop_all(jc->cpu);
}

void jit_cache_code_write(struct jit_cache *jc, uint32_t phys, uint32_t len)
{
    if (!len)
        return;
    uint32_t end = phys + len - 1;
    if (end < phys)
        end = 0xffffffffu;
    for (uint64_t page = phys >> 12; page <= end >> 12 && page < jc->npages; page++) {
        if (!jc->code_pages[page])
            continue;
        struct jit_block **p = &jc->page_head[page];
        while (*p) {
            struct jit_block *b = *p;
            uint32_t last = b->key.phys + b->nbytes - 1;
            if (b->key.phys <= end && last >= phys) {
                invalidate(jc, b);
                *p = b->page_next;
            } else {
                p = &b->page_next;
            }
        }
        if (!jc->page_head[page]) {
            jc->code_pages[page] = 0;
            tlb_mark_code(&jc->cpu->tlb, (uint32_t)page << 12, false);
        }
    }
}

static void log_block(struct jit_cache *jc, const struct jit_block *blk, bool after_opt)
{
    if (!jc->log)
        return;
    if (!after_opt && (jc->log_what & JIT_LOG_IN_ASM))
        disasm_log_guest(jc->log, blk);
    if (jc->log_what & JIT_LOG_IR) {
        fprintf(jc->log, "IR %s passes:\n", after_opt ? "after" : "before");
        ir_print(&jc->ir, jc->log);
    }
}

struct jit_block *jit_cache_translate(struct jit_cache *jc, struct cpu *c,
                                      const struct jit_key *key, uint32_t lin,
                                      const uint8_t *code, unsigned avail, int max_insns)
{
    if (jc->nblocks >= MAX_BLOCKS || jc->ninsns + JIT_MAX_INSNS > INSN_POOL ||
        jc->used + MAX_CODE_PER_BLOCK > codebuf_size(jc->cb))
        jit_cache_flush(jc);
    struct jit_block *blk = &jc->blocks[jc->nblocks];
    *blk = (struct jit_block){.key = *key, .lin = lin, .insn = &jc->insns[jc->ninsns]};
    int n = translate_block(c, blk, code, avail, max_insns, &jc->ir);
    if (n == 0)
        return NULL;
    if (jc->log)
        disasm_log_guest_bytes(code, blk->nbytes);
    log_block(jc, blk, false);
    opt_run(&jc->ir);
    log_block(jc, blk, true);

    uint8_t *w = codebuf_open(jc->cb, jc->used, MAX_CODE_PER_BLOCK);
    if (!w)
        return NULL;
    struct x64_buf xb;
    x64_buf_init(&xb, w, MAX_CODE_PER_BLOCK, (uint64_t)(uintptr_t)w);
    bool ok = x64_backend_lower(&xb, &jc->ir, blk, jc->epilogue, jc->jump_cache);
    codebuf_seal(jc->cb);
    if (!ok) {
        log_msg(LOG_HOST, "jit", "block at %08x: %s", key->eip, x64_error_name(xb.err));
        return NULL;
    }
    blk->code = w;
    blk->code_len = (uint32_t)xb.pos;
    for (int i = 0; i < 2; i++) {
        struct jit_exit *e = &blk->exit[i];
        if (!e->from)
            continue;
        e->jmp_field = w + (uintptr_t)e->jmp_field;
        e->stub = w + (uintptr_t)e->stub;
    }
    if (jc->log && (jc->log_what & JIT_LOG_OUT_ASM))
        disasm_log_host(jc->log, blk->code, blk->code_len);
    if (jc->perfmap)
        fprintf(jc->perfmap, "%" PRIxPTR " %" PRIx32 " guest-%08" PRIx32 "\n", (uintptr_t)blk->code,
                blk->code_len, key->cs_base + key->eip);
    jc->used = (jc->used + xb.pos + 15) & ~(size_t)15;
    jc->nblocks++;
    jc->ninsns += n;
    blk->valid = true;
    unsigned h = hash_key(key);
    blk->hash_next = jc->hash[h];
    jc->hash[h] = blk;
    uint32_t page = key->phys >> 12;
    blk->page_next = jc->page_head[page];
    jc->page_head[page] = blk;
    if (!jc->code_pages[page]) {
        jc->code_pages[page] = 1;
        tlb_mark_code(&c->tlb, key->phys, true);
    }
    jc->stats.translated++;
    jc->stats.insns_translated += (uint64_t)n;
    for (int i = 0; i < jc->ir.n; i++)
        if (jc->ir.op[i].op == IR_HELPER)
            blk->nhelpers++;
    jc->stats.helper_insns += blk->nhelpers;
    return blk;
}
