/* SPDX-License-Identifier: MIT */
/*
 * The flat test machine: a CPU, 16 MiB of RAM and two ports, for guest-level
 * assembly tests. A flat binary is loaded at physical 0x10000 and started in
 * real mode at 1000:0000 with SS:SP = 0000:FFF0. Port 0xE9 is a debug console
 * (bytes go to a host stream, as QEMU's -debugcon) and port 0xF4 an exit port
 * (a write stops the machine with that value, as QEMU's isa-debug-exit).
 * Owns only its own bus and CPU; no interrupt controller, no firmware.
 */
#ifndef KILN_TESTS_FLAT_MACHINE_H
#define KILN_TESTS_FLAT_MACHINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/compiler.h"
#include "cpu/cpu.h"
#include "cpu/models.h"

enum {
    FLAT_RAM_SIZE = 16u << 20,
    FLAT_LOAD_ADDR = 0x10000,
    FLAT_START_CS = 0x1000,
    FLAT_START_SP = 0xfff0,
    FLAT_PORT_CONSOLE = 0xe9,
    FLAT_PORT_EXIT = 0xf4,
    /* The reset ROM: the top 64 KiB of the 4 GiB space, where a 386 or later
     * fetches its first instruction (CS.base FFFF0000 + IP FFF0). */
    FLAT_ROM_BASE = 0xffff0000u,
    FLAT_ROM_SIZE = 0x10000,
};

/* Where the CPU starts after flat_machine_load. */
enum flat_start {
    FLAT_START_IMAGE, /* at 1000:0000 with SS:SP = 0000:FFF0 (the default) */
    FLAT_START_RESET, /* in the reset state (SDM Vol. 3A 9.1.4): F000:FFF0 */
};

/* Why flat_machine_run returned. */
enum flat_result {
    FLAT_EXITED,   /* the guest wrote the exit port; see flat_machine_exit_value */
    FLAT_HALTED,   /* HLT with nothing to wake the CPU */
    FLAT_SHUTDOWN, /* triple fault */
    FLAT_BUDGET,   /* the instruction budget ran out */
};

struct flat_machine;

/* A machine with the given CPU model whose console writes to 'console'
 * (not owned). NULL on host OOM. */
struct flat_machine *flat_machine_new(const struct cpu_model_info *model, FILE *console);
void flat_machine_free(struct flat_machine *m);

/* Choose the start state that later loads use. */
void flat_machine_set_start(struct flat_machine *m, enum flat_start start);

/* Run later loads on the translator (blocks of at most 'max_block_insns'
 * instructions; 0: the default) instead of the interpreter. A load fails
 * when this host has no translator. */
void flat_machine_use_jit(struct flat_machine *m, bool on, int max_block_insns);

/* Copy 'len' bytes to FLAT_LOAD_ADDR and reset the CPU to the start state.
 * Returns false when the image does not fit in RAM. */
KILN_MUST_CHECK bool flat_machine_load(struct flat_machine *m, const uint8_t *image, size_t len);

/* Read the file at 'path' and load it. On failure writes a one-line message to err. */
KILN_MUST_CHECK bool flat_machine_load_file(struct flat_machine *m, const char *path, char *err,
                                            size_t errlen);

/* Run until the guest exits, halts, shuts down or has run 'max_insns' steps. */
enum flat_result flat_machine_run(struct flat_machine *m, uint64_t max_insns);

/* The value the guest wrote to the exit port (valid after FLAT_EXITED). */
uint32_t flat_machine_exit_value(const struct flat_machine *m);

/* The CPU, for inspecting registers after a run. */
struct cpu *flat_machine_cpu(struct flat_machine *m);

#endif
