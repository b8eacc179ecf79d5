/* SPDX-License-Identifier: MIT */
/*
 * The tracer's state, shared by trace.c (instructions, interrupts) and
 * trace_sys.c (port I/O, paging, vector lookup). Internal to the frontend.
 */
#ifndef KILN_FRONTEND_TRACE_INT_H
#define KILN_FRONTEND_TRACE_INT_H

#include <capstone/capstone.h>
#include <stdio.h>

#include "cpu/mem.h"
#include "frontend/trace.h"

#define TRACE_SEEN_BITS 16

struct trace {
    struct cpu *c;
    unsigned mask;
    FILE *out; /* the machine's */
    csh cs16, cs32;
    bool cs_open;
    /* -dfilter, -dstart, -dstop, -dlimit */
    uint32_t lo, hi, start, stop_at;
    bool started, has_stop, done;
    uint64_t limit, count;
    /* the instruction being traced */
    bool traced;
    uint32_t pc_before, eip_before;
    uint16_t cs_before;
    size_t len_before;  /* of a software interrupt instruction */
    int soft_vector;    /* of INT n, INT3, INTO, INT1; -1 for other instructions */
    uint64_t tlb_misses;
    uint32_t cr0, cr3, cr4;
    /* state when dbgloop_run last returned */
    bool exit_valid;
    uint16_t exit_cs;
    uint32_t exit_eip, exit_esp;
    uint64_t exit_icount;
    /* TRACE_IO: the port callbacks the CPU had before the tracer wrapped them */
    struct cpu_bus inner;
    uint32_t seen[1u << TRACE_SEEN_BITS];
};

/* Is port I/O being logged now (inside -dstart/-dstop and -dlimit)? */
bool trace_io_live(const struct trace *t);
void trace_io_attach(struct trace *t);
void trace_io_detach(struct trace *t);
/* After an instruction: paging register changes and page walks. */
void trace_mmu_after(struct trace *t);
/* The vector whose IVT/IDT entry points at CS:EIP, or -1. */
int trace_find_vector(struct trace *t);

#endif
