/* SPDX-License-Identifier: MIT */
/*
 * Option parsing (see options.h): one table of options, each with whether
 * it takes an argument and a handler that validates the value.
 */
#include "frontend/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cpu_model_info *options_cpu_model(const char *arg, char *err, size_t errlen)
{
    const struct cpu_model_info *m = arg ? cpu_model_find(arg) : NULL;
    if (!m)
        snprintf(err, errlen, "unknown CPU model '%s' (choose one of: %s)", arg ? arg : "",
                 cpu_model_names());
    return m;
}

/* "64", "64M", "1G": a size in MiB; 1 MiB to 3 GiB (the PCI hole stays free). */
static int parse_mem(const char *v, struct kiln_config *cfg, char *err, size_t n)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (end == v || errno)
        goto bad;
    if (*end == 'G' || *end == 'g')
        x *= 1024, end++;
    else if (*end == 'M' || *end == 'm')
        end++;
    if (*end || x < 1 || x > 3072)
        goto bad;
    cfg->ram_mib = (uint32_t)x;
    return 0;
bad:
    snprintf(err, n, "-m: invalid memory size '%s' (1M to 3G)", v);
    return -1;
}

static int parse_chardev(const char *opt, const char *v, struct chardev_spec *out, char *err,
                         size_t n)
{
    if (!strcmp(v, "stdio"))
        *out = (struct chardev_spec){CHR_STDIO, NULL};
    else if (!strcmp(v, "null"))
        *out = (struct chardev_spec){CHR_NULL, NULL};
    else if (!strcmp(v, "none"))
        *out = (struct chardev_spec){CHR_NONE, NULL};
    else if (!strncmp(v, "file:", 5) && v[5])
        *out = (struct chardev_spec){CHR_FILE, v + 5};
    else {
        snprintf(err, n, "%s: unsupported backend '%s' (stdio, file:PATH, null, none)", opt, v);
        return -1;
    }
    return 0;
}

/* -boot c | order=cda[,menu=off] */
static int parse_boot(const char *v, struct kiln_config *cfg, char *err, size_t n)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", v);
    const char *order = NULL;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strncmp(tok, "order=", 6))
            order = v + (tok - buf) + 6;
        else if (!strncmp(tok, "once=", 5))
            order = v + (tok - buf) + 5;
        else if (!strncmp(tok, "menu=", 5) || !strncmp(tok, "strict=", 7))
            continue;
        else if (!strchr(tok, '='))
            order = v + (tok - buf);
        else {
            snprintf(err, n, "-boot: unknown parameter '%s'", tok);
            return -1;
        }
    }
    size_t len = 0;
    for (const char *p = order; p && *p && *p != ','; p++) {
        if (!strchr("acd", *p) || len >= sizeof(cfg->boot_order) - 1) {
            snprintf(err, n, "-boot: invalid boot order '%s' (letters a, c, d)", v);
            return -1;
        }
        cfg->boot_order[len++] = *p;
    }
    if (!len) {
        snprintf(err, n, "-boot: empty boot order");
        return -1;
    }
    cfg->boot_order[len] = 0;
    return 0;
}

static int parse_number(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(s, &end, 0);
    if (end == s || *end || errno || x > max)
        return -1;
    *out = x;
    return 0;
}

/* -device isa-debug-exit[,iobase=N][,iosize=N] */
static int parse_device(const char *v, struct kiln_config *cfg, char *err, size_t n)
{
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", v);
    char *tok = strtok(buf, ",");
    if (!tok || strcmp(tok, "isa-debug-exit")) {
        snprintf(err, n, "-device: unsupported device '%s' (supported: isa-debug-exit)", v);
        return -1;
    }
    cfg->debug_exit = true;
    while ((tok = strtok(NULL, ","))) {
        unsigned long x;
        if (!strncmp(tok, "iobase=", 7) && !parse_number(tok + 7, 0xffff, &x))
            cfg->debug_exit_iobase = (uint16_t)x;
        else if (!strncmp(tok, "iosize=", 7) && !parse_number(tok + 7, 4, &x) && x)
            cfg->debug_exit_iosize = (uint16_t)x;
        else {
            snprintf(err, n, "-device isa-debug-exit: bad parameter '%s'", tok);
            return -1;
        }
    }
    return 0;
}

/* -icount shift=N | N | auto: deterministic time, 2^N ns per instruction. */
static int parse_icount(const char *v, struct kiln_config *cfg, char *err, size_t n)
{
    const char *s = !strncmp(v, "shift=", 6) ? v + 6 : v;
    unsigned long x;
    if (!strcmp(s, "auto"))
        x = 3;
    else if (parse_number(s, 10, &x)) {
        snprintf(err, n, "-icount: expected shift=N with N from 0 to 10, got '%s'", v);
        return -1;
    }
    cfg->icount_shift = (int)x;
    return 0;
}

static int parse_display(const char *v, struct kiln_config *cfg, char *err, size_t n)
{
    if (!strcmp(v, "none"))
        cfg->display = DISPLAY_NONE;
    else if (!strcmp(v, "curses"))
        cfg->display = DISPLAY_CURSES;
    else if (!strcmp(v, "sdl"))
        cfg->display = DISPLAY_SDL;
    else if (!strncmp(v, "sdl,", 4)) {
        cfg->display = DISPLAY_SDL;
        char buf[128];
        snprintf(buf, sizeof(buf), "%s", v + 4);
        for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
            if (!strcmp(tok, "integer-scale=on"))
                cfg->integer_scale = true;
            else if (!strcmp(tok, "integer-scale=off"))
                cfg->integer_scale = false;
            else if (!strcmp(tok, "full-screen=on"))
                cfg->full_screen = true;
            else if (!strcmp(tok, "full-screen=off"))
                cfg->full_screen = false;
            else {
                snprintf(err, n, "-display sdl: unknown parameter '%s' (integer-scale=on|off, "
                         "full-screen=on|off)", tok);
                return -1;
            }
        }
    } else {
        snprintf(err, n, "-display: unsupported display '%s' (none, curses, sdl)", v);
        return -1;
    }
    return 0;
}

/* -monitor stdio|none: the monitor shares the terminal with nothing else. */
static int parse_monitor(const char *v, struct kiln_config *cfg, char *err, size_t n)
{
    if (!strcmp(v, "stdio"))
        cfg->monitor = (struct chardev_spec){CHR_STDIO, NULL};
    else if (!strcmp(v, "none"))
        cfg->monitor = (struct chardev_spec){CHR_NONE, NULL};
    else {
        snprintf(err, n, "-monitor: unsupported backend '%s' (stdio, none)", v);
        return -1;
    }
    return 0;
}

/* -record and -replay run on the deterministic clock (shift 3 unless
 * -icount says otherwise) and keep disk writes in memory (-snapshot), so
 * that the images a replay checks are the ones the record started from. */
static int record_replay_options(struct kiln_config *cfg, char *err, size_t n)
{
    if (!cfg->record && !cfg->replay)
        return 0;
    if (cfg->record && cfg->replay) {
        snprintf(err, n, "-record and -replay exclude each other");
        return -1;
    }
    if (!*(cfg->record ? cfg->record : cfg->replay)) {
        snprintf(err, n, "%s: empty file name", cfg->record ? "-record" : "-replay");
        return -1;
    }
    if (cfg->loadvm) {
        snprintf(err, n, "-loadvm cannot start a record or replay");
        return -1;
    }
    if (cfg->display == DISPLAY_DEFAULT)
        cfg->display = DISPLAY_NONE;
    if (cfg->icount_shift < 0)
        cfg->icount_shift = 3;
    cfg->snapshot = true;
    return 0;
}

int options_parse(int argc, char **argv, struct kiln_config *cfg, char *err, size_t n)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->cpu = cpu_model_default();
    cfg->ram_mib = 128;
    strcpy(cfg->boot_order, "cad");
    cfg->icount_shift = -1;
    cfg->debug_exit_iobase = 0x501;
    cfg->debug_exit_iosize = 2; /* QEMU's defaults: 0x501, 2 ports */
    bool serial_given = false;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (o[0] == '-' && o[1] == '-')
            o++; /* --opt is -opt, as in QEMU */
        if (!strcmp(o, "-h") || !strcmp(o, "-help")) {
            cfg->help = true;
            continue;
        }
        if (!strcmp(o, "-s")) {
            cfg->gdb = "tcp::1234";
            continue;
        }
        static const char *const flags[] = {"-nographic", "-no-reboot", "-snapshot", "-S",
                                            "-full-screen", "-perfmap"};
        bool *flag_vars[] = {&cfg->nographic, &cfg->no_reboot, &cfg->snapshot, &cfg->gdb_wait,
                             &cfg->full_screen, &cfg->perfmap};
        bool matched = false;
        for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
            if (!strcmp(o, flags[f]))
                *flag_vars[f] = matched = true;
        if (matched)
            continue;
        if (i + 1 >= argc) {
            snprintf(err, n, "%s: %s", o,
                     o[0] == '-' ? "unknown option or missing argument" : "unexpected argument");
            return -1;
        }
        const char *v = argv[++i];
        int rc = 0;
        if (!strcmp(o, "-m"))
            rc = parse_mem(v, cfg, err, n);
        else if (!strcmp(o, "-cpu")) {
            cfg->cpu = options_cpu_model(v, err, n);
            rc = cfg->cpu ? 0 : -1;
        } else if (!strcmp(o, "-hda") || !strcmp(o, "-hdb") || !strcmp(o, "-hdc") ||
                   !strcmp(o, "-hdd"))
            cfg->hd[o[3] - 'a'] = v;
        else if (!strcmp(o, "-fda") || !strcmp(o, "-fdb"))
            cfg->fd[o[3] - 'a'] = v;
        else if (!strcmp(o, "-cdrom"))
            cfg->cdrom = v;
        else if (!strcmp(o, "-boot"))
            rc = parse_boot(v, cfg, err, n);
        else if (!strcmp(o, "-bios"))
            cfg->bios = v;
        else if (!strcmp(o, "-kernel"))
            cfg->kernel = v;
        else if (!strcmp(o, "-initrd"))
            cfg->initrd = v;
        else if (!strcmp(o, "-append"))
            cfg->append = v;
        else if (!strcmp(o, "-serial")) {
            if (cfg->n_serial >= 4) {
                snprintf(err, n, "-serial: at most four serial ports");
                return -1;
            }
            rc = parse_chardev("-serial", v, &cfg->serial[cfg->n_serial++], err, n);
            serial_given = true;
        } else if (!strcmp(o, "-debugcon"))
            rc = parse_chardev("-debugcon", v, &cfg->debugcon, err, n);
        else if (!strcmp(o, "-display"))
            rc = parse_display(v, cfg, err, n);
        else if (!strcmp(o, "-device"))
            rc = parse_device(v, cfg, err, n);
        else if (!strcmp(o, "-accel")) {
            if (!strcmp(v, "interp")) {
                cfg->interp = true;
            } else if (!strcmp(v, "jit") || !strcmp(v, "tcg")) {
                cfg->interp = false;
            } else {
                snprintf(err, n, "-accel: unsupported accelerator '%s' (jit, interp)", v);
                return -1;
            }
        } else if (!strcmp(o, "-icount"))
            rc = parse_icount(v, cfg, err, n);
        else if (!strcmp(o, "-d"))
            cfg->log_items = v;
        else if (!strcmp(o, "-screenshot-at-exit")) {
            if (!*v) {
                snprintf(err, n, "-screenshot-at-exit: empty file name");
                return -1;
            }
            cfg->screenshot_at_exit = v;
        } else if (!strcmp(o, "-loadvm"))
            cfg->loadvm = v;
        else if (!strcmp(o, "-monitor"))
            rc = parse_monitor(v, cfg, err, n);
        else if (!strcmp(o, "-D"))
            cfg->log_file = v;
        else if (!strcmp(o, "-dfilter"))
            cfg->trace_filter = v;
        else if (!strcmp(o, "-dstart"))
            cfg->trace_start = v;
        else if (!strcmp(o, "-dstop"))
            cfg->trace_stop = v;
        else if (!strcmp(o, "-dlimit"))
            cfg->trace_limit = v;
        else if (!strcmp(o, "-gdb"))
            cfg->gdb = v;
        else if (!strcmp(o, "-record"))
            cfg->record = v;
        else if (!strcmp(o, "-replay"))
            cfg->replay = v;
        else {
            snprintf(err, n, "%s: unknown option (see -h)", o);
            return -1;
        }
        if (rc)
            return -1;
    }
    if (cfg->nographic) {
        if (cfg->display == DISPLAY_DEFAULT)
            cfg->display = DISPLAY_NONE;
        if (!serial_given)
            cfg->serial[cfg->n_serial++] = (struct chardev_spec){CHR_STDIO, NULL};
    }
    if (cfg->gdb_wait && !cfg->gdb) {
        snprintf(err, n, "-S needs a debugger: add -s or -gdb tcp::PORT");
        return -1;
    }
    if (cfg->monitor.kind == CHR_STDIO) {
        bool clash = cfg->display == DISPLAY_CURSES || cfg->debugcon.kind == CHR_STDIO;
        for (int i = 0; i < cfg->n_serial; i++)
            clash |= cfg->serial[i].kind == CHR_STDIO;
        if (clash) {
            snprintf(err, n,
                     "-monitor stdio: the terminal is already taken (by -serial stdio, "
                     "-nographic, -debugcon stdio or -display curses)");
            return -1;
        }
    }
    if ((cfg->initrd || cfg->append) && !cfg->kernel) {
        snprintf(err, n, "-initrd and -append need -kernel");
        return -1;
    }
    return record_replay_options(cfg, err, n);
}

const char *options_usage(void)
{
    return "usage: kiln [options]\n"
           "  -m SIZE            guest RAM in MiB (suffix M or G; default 128)\n"
           "  -cpu MODEL         8086 286 386 486 pentium pentium2 (default pentium2)\n"
           "  -hda/-hdb/-hdc/-hdd FILE   IDE hard disk images\n"
           "  -fda/-fdb FILE     floppy images\n"
           "  -cdrom FILE        ATAPI CD-ROM image\n"
           "  -boot ORDER        boot order from a (floppy), c (disk), d (CD)\n"
           "  -bios FILE         BIOS image instead of Kiln's own\n"
           "  -kernel FILE       boot a Linux bzImage or Multiboot kernel directly\n"
           "  -initrd FILE       initial ramdisk (Multiboot: module)\n"
           "  -append CMDLINE    kernel command line\n"
           "  -nographic         no display; serial port on the terminal\n"
           "  -display none|curses|sdl[,integer-scale=on][,full-screen=on]\n"
           "  -full-screen       start the SDL window full screen\n"
           "  -serial stdio|file:PATH|null|none   COM1..COM4, in order\n"
           "  -debugcon stdio|file:PATH|null      the 0xE9 debug port\n"
           "  -device isa-debug-exit[,iobase=N,iosize=N]  guest-requested exit\n"
           "  -no-reboot         exit with status 0 when the guest resets\n"
           "  -snapshot          keep disk writes in memory; images stay untouched\n"
           "  -accel jit|interp  execution engine: the translator (default) or the interpreter\n"
           "  -icount shift=N    deterministic clock: 2^N ns per instruction\n"
           "  -d ITEMS, -D FILE  log items and log file; traces: exec (every instruction),\n"
           "                     in_asm (new code: translated blocks with the translator),\n"
           "                     int, cpu (registers), mmu, io; translator: ir, out_asm;\n"
           "                     messages: guest_errors, unimp; jitstats at exit\n"
           "  -dfilter LO..HI    trace only instructions at linear addresses LO-HI\n"
           "  -dstart ADDR       start tracing when execution reaches linear ADDR\n"
           "  -dstop ADDR        stop tracing when execution reaches linear ADDR\n"
           "  -dlimit N          trace at most N instructions\n"
           "  -perfmap           name translated blocks in /tmp/perf-PID.map for perf\n"
           "  -gdb tcp::PORT     GDB remote stub (tcp:HOST:PORT; host default 127.0.0.1)\n"
           "  -s                 shorthand for -gdb tcp::1234\n"
           "  -S                 do not start the CPU until gdb says so\n"
           "  -monitor stdio|none  the monitor on the terminal (try 'help')\n"
           "  -screenshot-at-exit FILE.png  write the guest's screen when Kiln stops\n"
           "  -loadvm FILE       resume a snapshot written by the monitor's savevm\n"
           "  -record FILE       log the run's input for -replay (implies -icount, -snapshot)\n"
           "  -replay FILE       re-run a recorded run, input from FILE; gdb may step back\n"
           "  -h                 this help\n";
}
