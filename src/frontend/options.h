/* SPDX-License-Identifier: MIT */
/*
 * The kiln command line: options in QEMU's spelling where the meaning is
 * the same, parsed into struct kiln_config. Bad input gives one clear line
 * and the caller exits 2. Owns configuration only; touches no machine state.
 */
#ifndef KILN_FRONTEND_OPTIONS_H
#define KILN_FRONTEND_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/models.h"

enum chardev_kind { CHR_NONE, CHR_NULL, CHR_STDIO, CHR_FILE };

struct chardev_spec {
    enum chardev_kind kind;
    const char *path; /* CHR_FILE */
};

enum display_kind { DISPLAY_DEFAULT, DISPLAY_NONE, DISPLAY_CURSES, DISPLAY_SDL };

struct kiln_config {
    const struct cpu_model_info *cpu;
    uint32_t ram_mib;
    const char *hd[4]; /* -hda .. -hdd */
    const char *fd[2]; /* -fda, -fdb */
    const char *cdrom;
    char boot_order[8]; /* letters a c d, first tried first */
    const char *bios;
    const char *kernel, *initrd, *append;
    bool nographic, no_reboot, snapshot;
    enum display_kind display;
    bool integer_scale; /* -display sdl,integer-scale=on: whole multiples of the picture only */
    bool full_screen;   /* -full-screen */
    bool perfmap;       /* -perfmap: name translated blocks in /tmp/perf-PID.map */
    struct chardev_spec serial[4]; /* COM1-COM4 in -serial order */
    int n_serial;
    struct chardev_spec debugcon;
    bool debug_exit;
    uint16_t debug_exit_iobase, debug_exit_iosize;
    bool interp;      /* -accel interp: no translator */
    int icount_shift; /* -1: real-time clock; N: deterministic, 2^N ns per instruction */
    const char *log_items, *log_file;
    /* trace cuts (trace.c parses them): -dfilter LO..HI, -dstart, -dstop, -dlimit */
    const char *trace_filter, *trace_start, *trace_stop, *trace_limit;
    const char *gdb; /* -gdb tcp::PORT (-s is tcp::1234) */
    bool gdb_wait;   /* -S: wait for the debugger before the first instruction */
    const char *screenshot_at_exit; /* PNG written when the machine stops, or NULL */
    struct chardev_spec monitor;    /* -monitor: CHR_NONE, or CHR_STDIO */
    const char *loadvm;             /* -loadvm: a snapshot to resume, or NULL */
    const char *record, *replay;    /* -record FILE, -replay FILE (rr.h), or NULL */
    bool help;
};

/* The model named 'arg' ("8086" ... "pentium2"). On failure returns NULL and
 * writes a one-line message naming the valid models into err. */
const struct cpu_model_info *options_cpu_model(const char *arg, char *err, size_t errlen);

/* Parse argv into cfg (defaults first). Returns 0, or -1 with one line in err. */
int options_parse(int argc, char **argv, struct kiln_config *cfg, char *err, size_t errlen);

/* The usage text for -h. */
const char *options_usage(void);

#endif
