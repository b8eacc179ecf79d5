/* SPDX-License-Identifier: MIT */
/*
 * Direct kernel loading for -kernel/-initrd/-append: the Linux 32-bit boot
 * protocol (bzImage) and Multiboot v1 (ELF or a.out-kludge images). Writes
 * guest RAM and leaves the CPU at the kernel's entry in flat 32-bit
 * protected mode, as a boot loader would. Host errors come back as one line.
 */
#ifndef KILN_FRONTEND_LOADER_H
#define KILN_FRONTEND_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"

struct loader_args {
    const char *kernel;  /* path */
    const char *initrd;  /* path or NULL */
    const char *cmdline; /* or NULL */
    uint8_t *ram;
    uint32_t ram_size;
    const uint8_t *rng_seed; /* 32 bytes for the kernel's RNG, or NULL */
};

/* Load a Linux bzImage or a Multiboot kernel, whichever 'kernel' is, and set
 * up 'c' to enter it. Returns 0, or -1 with a message in err. */
int loader_load_kernel(struct cpu *c, const struct loader_args *a, char *err, size_t errlen);

/* Read a whole file (at most 'max' bytes) into a new buffer. NULL on error,
 * with a message in err. */
uint8_t *loader_read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/* Write a flat GDT at 'gdt' (null, null, code 0x10, data 0x18) and put 'c'
 * in 32-bit protected mode with those segments, interrupts off, at 'eip'. */
void loader_enter_flat32(struct cpu *c, uint8_t *ram, uint32_t gdt, uint32_t eip);

/* Internal: the two formats. Return 1 when the image is not of their kind. */
int loader_linux(struct cpu *c, const struct loader_args *a, const uint8_t *img, size_t len,
                 char *err, size_t errlen);
int loader_multiboot(struct cpu *c, const struct loader_args *a, const uint8_t *img, size_t len,
                     char *err, size_t errlen);

#endif
