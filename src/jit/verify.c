/* SPDX-License-Identifier: MIT */
/*
 * Translated code against the interpreter, block by block (see verify.h).
 */
#include "jit/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bits.h"
#include "cpu/flags.h"
#include "cpu/interp.h"
#include "jit/disasm_log.h"
#include "jit/helpers.h"

#define CPU_STATE_BYTES offsetof(struct cpu, jit)

bool jit_verify_enabled(void)
{
    static int on = -1;
    if (on < 0) {
        const char *v = getenv("KILN_JIT_VERIFY");
        on = v && *v == '1';
        jit_verify_stores = on;
    }
    return on;
}

static int compare(struct cpu *jit, struct cpu *ref)
{
    int bad = 0;
    for (int i = 0; i < 8; i++)
        if (jit->r[i] != ref->r[i]) {
            fprintf(stderr, "  r%d: jit %08x interp %08x\n", i, jit->r[i], ref->r[i]);
            bad++;
        }
    if (jit->eip != ref->eip) {
        fprintf(stderr, "  eip: jit %08x interp %08x\n", jit->eip, ref->eip);
        bad++;
    }
    uint32_t fj = flags_get(jit), fr = flags_get(ref);
    if (fj != fr) {
        fprintf(stderr, "  eflags: jit %08x interp %08x\n", fj, fr);
        bad++;
    }
    for (int s = 0; s < SEG_COUNT; s++)
        if (memcmp(&jit->seg[s], &ref->seg[s], sizeof(jit->seg[s]))) {
            fprintf(stderr, "  seg %d differs\n", s);
            bad++;
        }
    if (jit->icount != ref->icount) {
        fprintf(stderr, "  icount: jit %llu interp %llu\n", (unsigned long long)jit->icount,
                (unsigned long long)ref->icount);
        bad++;
    }
    return bad;
}

uintptr_t jit_verify_block(struct cpu *c, jit_enter_fn enter, struct jit_block *b)
{
    static struct cpu pre, post;
    if (b->nhelpers)
        return enter(c, b->code);
    memcpy(&pre, c, CPU_STATE_BYTES);
    jit_store_count = 0;
    uintptr_t ret = enter(c, b->code);
    memcpy(&post, c, CPU_STATE_BYTES);
    int n = jit_store_count;
    for (int i = n - 1; i >= 0; i--)
        store_le(jit_store_log[i].host, jit_store_log[i].size, jit_store_log[i].old);
    memcpy(c, &pre, CPU_STATE_BYTES);
    uint64_t steps = 0;
    while (c->icount < post.icount && steps++ < 1000)
        if (interp_step(c) != STEP_OK)
            break;
    /* A bail stops the block before the instruction the interpreter runs next. */
    int bad = compare(&post, c);
    for (int i = 0; i < n; i++) {
        const struct jit_store_record *r = &jit_store_log[i];
        uint32_t now = load_le(r->host, r->size);
        bool last = true;
        for (int k = i + 1; k < n; k++)
            if (jit_store_log[k].host < r->host + r->size &&
                r->host < jit_store_log[k].host + jit_store_log[k].size)
                last = false; /* a later store overlaps: compare that one */
        if (last && now != r->new_val) {
            fprintf(stderr, "  store %d (%d bytes): jit %08x interp %08x\n", i, r->size,
                    r->new_val, now);
            bad++;
        }
    }
    if (bad) {
        fprintf(stderr, "kiln: jit verify: block %04x:%08x (phys %08x, %u insns) differs "
                        "from the interpreter after %llu instructions\n",
                b->key.cs_base >> 4, b->key.eip, b->key.phys, b->ninsn,
                (unsigned long long)(post.icount - pre.icount));
        disasm_log_guest_bytes(c->bus.ram + b->key.phys, b->nbytes);
        disasm_log_guest(stderr, b);
        abort();
    }
    return ret;
}
