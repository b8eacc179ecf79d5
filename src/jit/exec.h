/* SPDX-License-Identifier: MIT */
/*
 * The execution dispatcher: connects a CPU to a bus and runs it. Today it
 * drives the reference interpreter; the translator plugs in here. Owns the
 * run loop and stop reasons; owns no guest state.
 */
#ifndef KILN_JIT_EXEC_H
#define KILN_JIT_EXEC_H

#include <stdint.h>

#include "cpu/cpu.h"
#include "devices/bus.h"

enum exec_stop {
    EXEC_BUDGET,   /* ran the requested number of instructions */
    EXEC_HALTED,   /* HLT with interrupts disabled, or nothing can wake the CPU */
    EXEC_SHUTDOWN, /* triple fault */
    EXEC_STOPPED,  /* a device asked to stop (e.g. an exit port) */
    EXEC_INTR,     /* the interrupt line is asserted and the CPU can take it */
};

/* Fill 'out' so that the CPU reaches RAM directly and everything else through 'b'. */
void exec_connect_bus(struct cpu_bus *out, struct bus *b);

/* Run up to 'max_insns' instructions, or until *stop_flag becomes non-zero. */
enum exec_stop exec_run(struct cpu *c, uint64_t max_insns, const volatile int *stop_flag);

/* As exec_run, and also stop with EXEC_INTR when *intr_line is asserted at a
 * boundary where the CPU may take an interrupt. */
enum exec_stop exec_run_intr(struct cpu *c, uint64_t max_insns, const volatile int *stop_flag,
                             const volatile int *intr_line);

#endif
