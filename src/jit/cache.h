/* SPDX-License-Identifier: MIT */
/*
 * The code cache: translated blocks keyed by physical address, EIP, CS and
 * the mode bits (block.h); host code in one W^X buffer (codebuf.h); a list
 * of blocks per physical page so that a write to a page holding code drops
 * exactly the blocks whose bytes it touches; direct chaining between blocks
 * and its undoing. When the buffer or the block pool fills, everything is
 * dropped at once. Owns blocks and host code; runs nothing.
 */
#ifndef KILN_JIT_CACHE_H
#define KILN_JIT_CACHE_H

#include <stdint.h>

#include "cpu/cpu.h"
#include "jit/block.h"
#include "jit/ir.h"
#include "jit/x64_backend.h"

struct jit_cache_stats {
    uint64_t translated, insns_translated, helper_insns, chained, invalidated, flushes;
};

struct jit_cache;

/* A cache for 'c' (RAM of c->bus.ram_size bytes) with 'code_bytes' of host
 * code; NULL (logged) when the host cannot run translated code. Installs
 * itself in c->jit. */
struct jit_cache *jit_cache_new(struct cpu *c, size_t code_bytes);
void jit_cache_free(struct jit_cache *jc);

/* The valid block with this key, or NULL. */
struct jit_block *jit_cache_find(struct jit_cache *jc, const struct jit_key *key);

/* Translate the block for 'key' from host bytes 'code' ('avail' of them up
 * to the page end), at most 'max_insns' instructions; NULL when not even the
 * first instruction can be translated. May flush the whole cache first. */
struct jit_block *jit_cache_translate(struct jit_cache *jc, struct cpu *c,
                                      const struct jit_key *key, uint32_t lin,
                                      const uint8_t *code, unsigned avail, int max_insns);

/* Make exit 'e' jump straight to block 'to'. */
void jit_cache_chain(struct jit_cache *jc, struct jit_exit *e, struct jit_block *to);

/* Guest physical bytes [phys, phys + len) are about to change (a CPU store
 * or DMA): drop the blocks that hold any of them. */
void jit_cache_code_write(struct jit_cache *jc, uint32_t phys, uint32_t len);

/* Drop every block. */
void jit_cache_flush(struct jit_cache *jc);

/* The jump cache that translated code probes (x64_backend.h). */
struct jit_jc_entry *jit_cache_jump_cache(struct jit_cache *jc);

/* The entry trampoline. */
jit_enter_fn jit_cache_enter(const struct jit_cache *jc);

const struct jit_cache_stats *jit_cache_stats(const struct jit_cache *jc);

/* Print the IR before and after the passes and the host code of every new
 * block to 'f' (NULL: stop); 'what' is a mask of JIT_LOG_*. */
enum { JIT_LOG_IN_ASM = 1, JIT_LOG_IR = 2, JIT_LOG_OUT_ASM = 4 };
void jit_cache_set_log(struct jit_cache *jc, FILE *f, unsigned what);

/* Name every new block's host code in 'f' (NULL: stop), one line each in
 * the format perf reads from /tmp/perf-PID.map: "ADDR SIZE guest-EIP". */
void jit_cache_set_perfmap(struct jit_cache *jc, FILE *f);

#endif
