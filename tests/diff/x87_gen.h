/* SPDX-License-Identifier: MIT */
/*
 * Random cases for the x87/MMX differential test: an FPU state image, one
 * instruction and its memory operand, biased towards the encodings where
 * x87s are subtle - signed zeros, denormals, pseudo-denormals, unnormals,
 * pseudo-NaNs and pseudo-infinities, QNaNs and SNaNs, infinities, values
 * at the edges of every format, empty registers on both ends of the stack,
 * all rounding and precision controls, masked and unmasked exceptions.
 * Deterministic for a given seed.
 */
#ifndef KILN_TESTS_DIFF_X87_GEN_H
#define KILN_TESTS_DIFF_X87_GEN_H

#include <stdbool.h>
#include <stdint.h>

enum { CASE_MEM_SIZE = 512 };

struct x87_case {
    uint8_t img[108];  /* FRSTOR image, 32-bit protected-mode layout */
    uint8_t insn[16];  /* one or two instructions back to back */
    int len;           /* bytes in all */
    int count;         /* instructions */
    int len1;          /* bytes of the first */
    int mem_off;       /* the memory operand starts this far into 'mem' */
    _Alignas(16) uint8_t mem[CASE_MEM_SIZE + 16];
    uint32_t eax, ecx, eflags;
    bool pending;      /* the state has an unmasked exception pending */
};

/* xorshift64* */
static inline uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

/* Fill 'c' with the next random case. */
void gen_case(uint64_t *rng, struct x87_case *c);

#endif
