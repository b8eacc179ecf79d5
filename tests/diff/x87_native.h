/* SPDX-License-Identifier: MIT */
/*
 * The reference side of the x87/MMX differential test: run instructions
 * natively on the host CPU between an FRSTOR of a given state and an
 * FNSAVE of the result, with EAX, ECX and EFLAGS passed in and out and the
 * memory operand at [rSI]. The code is written into an executable page at
 * run time, so any encoding (prefixes, ModRM, imm8) can be tested. Faults
 * come back as the signal the host raised. x86-64 Linux hosts only.
 */
#ifndef KILN_TESTS_DIFF_X87_NATIVE_H
#define KILN_TESTS_DIFF_X87_NATIVE_H

#include <stdbool.h>
#include <stdint.h>

/* Field offsets are baked into the generated code: keep the layout. */
struct native_frame {
    uint8_t in[108];  /* FRSTOR image, 32-bit protected-mode layout */
    uint8_t out[108]; /* FNSAVE image after the instruction */
    uint32_t host_cw;
    uint32_t eax_in, ecx_in;
    uint32_t eax_out, ecx_out;
    uint32_t pad;
    uint64_t flags_in, flags_out;
};

/* Map the code page; false (with a message on stderr) when that fails. */
bool native_init(void);

/* Run 'insn' (len bytes) on 'fr' with the memory operand at 'mem'.
 * Returns 0, or the signal number (SIGFPE, SIGILL, SIGSEGV, SIGBUS) the
 * instruction raised (then fr->out is not valid), or -1 when the code page
 * could not be made executable. */
int native_run(struct native_frame *fr, const uint8_t *insn, int len, void *mem);

#endif
