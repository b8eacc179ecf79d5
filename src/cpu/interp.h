/* SPDX-License-Identifier: MIT */
/*
 * The reference interpreter: decode one instruction, run its semantics,
 * deliver any exception precisely. Every other engine must match it.
 * Owns the fetch-decode-dispatch loop; semantics live in ops_*.c.
 */
#ifndef KILN_CPU_INTERP_H
#define KILN_CPU_INTERP_H

#include "cpu/cpu.h"

enum step_result {
    STEP_OK,       /* an instruction retired, or an exception was delivered */
    STEP_HALT,     /* the CPU is halted (HLT) and waits for an interrupt */
    STEP_SHUTDOWN, /* triple fault: the machine must reset */
};

/* Execute one instruction (or one bounded chunk of a REP string instruction). */
enum step_result interp_step(struct cpu *c);

/* Run up to 'budget' instructions while they are ones interp_step would
 * run with no trap, breakpoint or fault bookkeeping (see interp.c), from
 * pre-decoded runs (iblock.h); stops early when *stop_flag or *intr_line (either may
 * be NULL; the line only while IF is set) is set. Returns how many steps
 * it took, as interp_step counts them (a faulting instruction whose
 * exception was delivered is one); *res is STEP_OK unless that delivery
 * shut the CPU down. Callers go on with interp_step, which runs every
 * instruction. */
uint64_t interp_run_fast(struct cpu *c, uint64_t budget, const volatile int *stop_flag,
                         const volatile int *intr_line, enum step_result *res);

/* Execute 'insn', already decoded from the bytes at CS:EIP, exactly as
 * interp_step would after decoding it (the translator's helper path). */
struct insn;
enum step_result interp_execute(struct cpu *c, const struct insn *insn);

/* The translator's fast path for x87 instructions (ops_fpu.c): true when
 * 'insn' (an x87 escape, decoded at 'eip') may run through x87_direct -
 * not a control instruction, which the ordinary path keeps. */
bool x87_direct_form(const struct insn *insn);

/* Run such an instruction with none of the per-instruction bookkeeping of
 * interp_execute (the caller accounts EIP and the instruction count).
 * False, with nothing changed, when it must run the ordinary way instead:
 * CR0.EM/TS set, an exception pending, or the instruction faulted. */
bool x87_direct(struct cpu *c, const struct insn *insn, uint32_t eip);

/* Take external interrupt 'vector' (from the interrupt controller) at the
 * current instruction boundary: wakes a halted CPU, escalates a failed
 * delivery to #DF and shutdown like any other event. */
enum step_result interp_external_interrupt(struct cpu *c, int vector);

/* True when an external interrupt may be taken now: IF set and no
 * STI/MOV SS shadow on this boundary. */
static inline bool interp_interruptible(const struct cpu *c)
{
    return (c->eflags & FL_IF) && !c->irq_shadow;
}

/* Save the GPRs and flags as the state a fault returns to. */
void interp_commit(struct cpu *c);

#endif
