/* SPDX-License-Identifier: MIT */
/*
 * Helpers called from translated code (see helpers.h).
 */
#include "jit/helpers.h"

#include "common/bits.h"
#include "cpu/flags.h"
#include "cpu/interp.h"
#include "cpu/mem.h"

uint64_t jit_helper_counts[OP_COUNT];

int jit_helper_insn(struct cpu *c, const struct insn *in, uint32_t next, int ends_block)
{
    jit_helper_counts[in->op]++;
    uint64_t exceptions = c->exceptions;
    enum step_result r = interp_execute(c, in);
    if (ends_block || c->exceptions != exceptions)
        c->jit.mode_dirty = 1;
    if (r == STEP_SHUTDOWN)
        c->jit.shutdown = 1;
    /* An exception may land on a handler whose EIP happens to be 'next'. */
    if (r != STEP_OK || c->eip != next || c->jit.smc_hit || c->exceptions != exceptions) {
        c->jit.smc_hit = 0;
        return 1;
    }
    return 0;
}

int jit_x87_insn(struct cpu *c, const struct insn *in, uint32_t eip)
{
    if (!x87_direct(c, in, eip))
        return JIT_X87_BAIL;
    if (c->jit.smc_hit) { /* it stored over translated code */
        c->jit.smc_hit = 0;
        return JIT_X87_LEAVE;
    }
    return JIT_X87_DONE;
}

void jit_rotate_flags(struct cpu *c, uint32_t res, uint32_t right_size)
{
    int size = (int)(right_size >> 8);
    bool right = right_size & 1;
    uint32_t cf = right ? (res & size_sign(size)) != 0 : res & 1;
    flags_rotated(c, !right, size, res, cf);
}

/* The TLB entry for a plain-RAM access of 'size' bytes at 'lin', or NULL. */
static struct tlb_entry *ram_entry(struct cpu *c, uint32_t lin, int size, enum mem_access acc)
{
    struct tlb_entry *e;
    if ((lin & 0xfff) + (uint32_t)size > 0x1000)
        return NULL;
    if (mem_tlb_lookup(c, lin, acc, c->cpl == 3, &e))
        return NULL; /* the interpreter will raise the fault itself */
    if (!e->host || (acc == ACC_WRITE && (e->tag_write & TLB_CODE)))
        return NULL;
    return e;
}

uint64_t jit_slow_load(struct cpu *c, uint32_t lin, int size)
{
    struct tlb_entry *e = ram_entry(c, lin, size, ACC_READ);
    if (!e)
        return JIT_SLOW_BAIL;
    return load_le(e->host + (lin & 0xfff), size);
}

bool jit_verify_stores;
struct jit_store_record jit_store_log[JIT_STORE_LOG];
int jit_store_count;

int jit_slow_store(struct cpu *c, uint32_t lin, int size, uint32_t val)
{
    struct tlb_entry *e = ram_entry(c, lin, size, ACC_WRITE);
    if (!e)
        return 1;
    uint8_t *p = e->host + (lin & 0xfff);
    if (jit_verify_stores) {
        if (jit_store_count >= JIT_STORE_LOG)
            return 1;
        uint32_t old = load_le(p, size);
        jit_store_log[jit_store_count++] =
            (struct jit_store_record){p, old, val & (uint32_t)size_mask(size), (uint8_t)size};
    }
    store_le(p, size, val);
    return 0;
}
