/* SPDX-License-Identifier: MIT */
/*
 * Capstone disassembly of guest and host code for the translator's logs
 * (see disasm_log.h).
 */
#include "jit/disasm_log.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <string.h>

static uint8_t guest_bytes[4096];
static unsigned guest_len;

void disasm_log_guest_bytes(const uint8_t *bytes, unsigned len)
{
    guest_len = len > sizeof(guest_bytes) ? (unsigned)sizeof(guest_bytes) : len;
    memcpy(guest_bytes, bytes, guest_len);
}

static void dump(FILE *f, cs_mode mode, const uint8_t *code, size_t len, uint64_t addr)
{
    csh h;
    if (cs_open(CS_ARCH_X86, mode, &h) != CS_ERR_OK) {
        fprintf(f, "  (capstone unavailable)\n");
        return;
    }
    cs_insn *insn;
    size_t n = cs_disasm(h, code, len, addr, 0, &insn);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %08" PRIx64 ":  %-7s %s\n", insn[i].address, insn[i].mnemonic, insn[i].op_str);
    if (n)
        cs_free(insn, n);
    cs_close(&h);
}

void disasm_log_guest(FILE *f, const struct jit_block *blk)
{
    fprintf(f, "IN: block at %04x:%08x (physical %08x), %u instructions, %u bytes\n",
            (unsigned)(blk->key.cs_base >> 4), blk->key.eip, blk->key.phys, blk->ninsn,
            blk->nbytes);
    unsigned len = blk->nbytes < guest_len ? blk->nbytes : guest_len;
    dump(f, (blk->key.mode & KEY_CODE32) ? CS_MODE_32 : CS_MODE_16, guest_bytes, len, blk->key.eip);
}

void disasm_log_host(FILE *f, const uint8_t *code, uint32_t len)
{
    fprintf(f, "OUT: %u bytes of host code\n", len);
    dump(f, CS_MODE_64, code, len, (uint64_t)(uintptr_t)code);
}
