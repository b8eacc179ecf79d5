/* SPDX-License-Identifier: MIT */
/*
 * Disassembly for -d in_asm and -d out_asm (Capstone): a block's guest
 * instructions and its host code. Reads only.
 */
#ifndef KILN_JIT_DISASM_LOG_H
#define KILN_JIT_DISASM_LOG_H

#include <stdint.h>
#include <stdio.h>

#include "jit/block.h"

/* The guest instructions of 'blk' (its bytes are read from blk->insn lengths
 * and the host view passed at translation: see disasm_log_guest_bytes). */
void disasm_log_guest(FILE *f, const struct jit_block *blk);

/* Host x86-64 code [code, code + len). */
void disasm_log_host(FILE *f, const uint8_t *code, uint32_t len);

/* Remember the guest bytes of the block being translated (for in_asm). */
void disasm_log_guest_bytes(const uint8_t *bytes, unsigned len);

#endif
