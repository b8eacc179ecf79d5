/* SPDX-License-Identifier: MIT */
/*
 * Execution traces (-d exec,in_asm,int,cpu,mmu,io with -D FILE): guest
 * instructions with Capstone disassembly, interrupts and exceptions with
 * vector and error code, register dumps, paging changes, port I/O; cut to
 * the interesting part by -dfilter LO..HI, -dstart/-dstop ADDR (linear)
 * and -dlimit N (instructions). Owns the trace file and its filters; reads
 * the CPU and never changes it. Called by dbgloop.c between instructions.
 */
#ifndef KILN_FRONTEND_TRACE_H
#define KILN_FRONTEND_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "frontend/options.h"
#include "jit/exec.h"

enum {
    TRACE_EXEC = 1u << 0,   /* every executed instruction */
    TRACE_IN_ASM = 1u << 1, /* each instruction address the first time it runs */
    TRACE_INT = 1u << 2,    /* exceptions, software and external interrupts */
    TRACE_CPU = 1u << 3,    /* registers before each instruction */
    TRACE_MMU = 1u << 4,    /* CR0/CR3/CR4 changes, page walks */
    TRACE_IO = 1u << 5,     /* port I/O */
};

struct trace;

/* Check the -d items in 'items' (comma-separated). Returns the trace mask,
 * or -1 with a message naming the valid items. */
int trace_parse_items(const char *items, char *err, size_t errlen);

/* The tracer for cfg, writing to 'out' (not owned), or NULL when no trace
 * item is asked for (err empty) or on failure (message in err). With
 * 'translator', in_asm alone is left to the translator's block log. Wraps c's
 * port callbacks for TRACE_IO. */
struct trace *trace_new(const struct kiln_config *cfg, struct cpu *c, FILE *out, bool translator,
                        char *err, size_t errlen);
void trace_free(struct trace *t);

/* True when the trace needs the per-instruction path. */
bool trace_per_insn(const struct trace *t);

/* At dbgloop_run's entry: an external interrupt delivered since the last exit. */
void trace_entry(struct trace *t);
/* Before one instruction. */
void trace_before(struct trace *t);
/* After it: icount_before is the count before, r what exec_run returned. */
void trace_after(struct trace *t, uint64_t icount_before, enum exec_stop r);
/* When dbgloop_run returns. */
void trace_exit(struct trace *t);

#endif
