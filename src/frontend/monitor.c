/* SPDX-License-Identifier: MIT */
/*
 * The monitor's input and dispatch (see monitor.h): lines are read without
 * blocking, split into a command word and its arguments, and run from one
 * table that also prints 'help'. Unknown commands, bad arguments and
 * overlong lines get one line of error; nothing a user types can stop the
 * machine other than stop and quit.
 */
#include "frontend/monitor.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend/monitor_priv.h"
#include "frontend/screenshot.h"

#define MONITOR_PROMPT "(kiln) "

bool monitor_parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-' || *s == '+') return false;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end || errno || v > 0xffffffffull) return false;
    *out = (uint32_t)v;
    return true;
}

static void cmd_info(struct monitor *mon, const char *args);
static void cmd_help(struct monitor *mon, const char *args);

static void cmd_stop(struct monitor *mon, const char *args)
{
    (void)args;
    if (!mon->paused && mon->host.set_paused) mon->host.set_paused(mon->host.opaque, true);
    mon->paused = true;
}

static void cmd_cont(struct monitor *mon, const char *args)
{
    (void)args;
    if (mon->paused && mon->host.set_paused) mon->host.set_paused(mon->host.opaque, false);
    mon->paused = false;
}

static void cmd_system_reset(struct monitor *mon, const char *args)
{
    (void)args;
    if (mon->host.reset) mon->host.reset(mon->host.opaque);
}

static void cmd_quit(struct monitor *mon, const char *args)
{
    (void)args;
    if (mon->host.quit) mon->host.quit(mon->host.opaque);
}

static void cmd_screendump(struct monitor *mon, const char *args)
{
    char err[512];
    if (!*args) {
        fprintf(mon->out, "screendump: missing file name (screendump FILE.png)\n");
        return;
    }
    if (!screenshot_write(&mon->pc->vga, args, err, sizeof(err)))
        fprintf(mon->out, "screendump: %s\n", err);
}

/* savevm FILE / loadvm FILE: Kiln's snapshots are files, not names inside
 * a disk image as in QEMU. */
static void snapshot_cmd(struct monitor *mon, const char *args, bool save)
{
    const char *name = save ? "savevm" : "loadvm";
    bool (*fn)(void *, const char *, char *, size_t) = save ? mon->host.savevm : mon->host.loadvm;
    char err[512];
    if (!*args)
        fprintf(mon->out, "%s: missing file name (%s FILE)\n", name, name);
    else if (!fn)
        fprintf(mon->out, "%s: not available\n", name);
    else if (!fn(mon->host.opaque, args, err, sizeof(err)))
        fprintf(mon->out, "%s: %s\n", name, err);
}

static void cmd_savevm(struct monitor *mon, const char *args)
{
    snapshot_cmd(mon, args, true);
}

static void cmd_loadvm(struct monitor *mon, const char *args)
{
    snapshot_cmd(mon, args, false);
}

static void cmd_x(struct monitor *mon, const char *args)
{
    monitor_cmd_x(mon, args, true);
}

static void cmd_xp(struct monitor *mon, const char *args)
{
    monitor_cmd_x(mon, args, false);
}

struct monitor_cmd {
    const char *name, *alias, *args, *help;
    void (*run)(struct monitor *mon, const char *args);
};

static const struct monitor_cmd commands[] = {
    {"help", "?", "[cmd]", "show the commands, or one command", cmd_help},
    {"info", NULL, "[subcommand]", "show machine state (info alone lists what)", cmd_info},
    {"x", NULL, "/fmt addr", "virtual memory dump starting at addr", cmd_x},
    {"xp", NULL, "/fmt addr", "physical memory dump starting at addr", cmd_xp},
    {"stop", "s", "", "stop emulation", cmd_stop},
    {"cont", "c", "", "resume emulation", cmd_cont},
    {"system_reset", NULL, "", "reset the machine", cmd_system_reset},
    {"sendkey", NULL, "keys", "send keys to the guest, e.g. ctrl-alt-delete", monitor_cmd_sendkey},
    {"screendump", NULL, "filename", "save the screen as a PNG image", cmd_screendump},
    {"savevm", NULL, "filename", "save the whole machine to a snapshot file", cmd_savevm},
    {"loadvm", NULL, "filename", "restore the machine from a snapshot file", cmd_loadvm},
    {"quit", "q", "", "quit Kiln", cmd_quit},
};

static const struct monitor_cmd info_commands[] = {
    {"registers", NULL, "", "show the CPU registers", NULL},
    {"mem", NULL, "", "show the active virtual memory mappings", NULL},
    {"tlb", NULL, "", "show the virtual to physical page mappings", NULL},
    {"pic", NULL, "", "show the 8259 interrupt controllers", NULL},
    {"pci", NULL, "", "show the PCI functions", NULL},
};

static void cmd_info(struct monitor *mon, const char *args)
{
    if (!strcmp(args, "registers"))
        monitor_info_registers(mon);
    else if (!strcmp(args, "mem"))
        monitor_info_mem(mon);
    else if (!strcmp(args, "tlb"))
        monitor_info_tlb(mon);
    else if (!strcmp(args, "pic"))
        monitor_info_pic(mon);
    else if (!strcmp(args, "pci"))
        monitor_info_pci(mon);
    else {
        if (*args) fprintf(mon->out, "info: unknown subcommand '%s'\n", args);
        for (size_t i = 0; i < KILN_ARRAY_SIZE(info_commands); i++)
            fprintf(mon->out, "info %-10s -- %s\n", info_commands[i].name, info_commands[i].help);
    }
}

static void cmd_help(struct monitor *mon, const char *args)
{
    for (size_t i = 0; i < KILN_ARRAY_SIZE(commands); i++) {
        const struct monitor_cmd *c = &commands[i];
        if (*args && strcmp(args, c->name) && !(c->alias && !strcmp(args, c->alias))) continue;
        char head[64];
        snprintf(head, sizeof(head), "%s%s%s %s", c->name, c->alias ? "|" : "",
                 c->alias ? c->alias : "", c->args);
        fprintf(mon->out, "%-28s -- %s\n", head, c->help);
        if (!strcmp(c->name, "info")) cmd_info(mon, "");
    }
}

void monitor_command(struct monitor *mon, const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strcspn(line, " \t");
    if (n == 0) return;
    const char *args = line + n;
    while (*args == ' ' || *args == '\t')
        args++;
    char rest[MONITOR_LINE_MAX];
    snprintf(rest, sizeof(rest), "%s", args);
    size_t rl = strlen(rest);
    while (rl && (rest[rl - 1] == ' ' || rest[rl - 1] == '\t' || rest[rl - 1] == '\r'))
        rest[--rl] = 0;
    for (size_t i = 0; i < KILN_ARRAY_SIZE(commands); i++) {
        const struct monitor_cmd *c = &commands[i];
        if ((strlen(c->name) == n && !strncmp(line, c->name, n)) ||
            (c->alias && strlen(c->alias) == n && !strncmp(line, c->alias, n))) {
            c->run(mon, rest);
            fflush(mon->out);
            return;
        }
    }
    fprintf(mon->out, "unknown command: '%.*s' (try 'help')\n", (int)n, line);
    fflush(mon->out);
}

void monitor_init(struct monitor *mon, struct cpu *cpu, struct pc *pc,
                  const struct monitor_host *host, int in_fd, FILE *out)
{
    memset(mon, 0, sizeof(*mon));
    mon->cpu = cpu;
    mon->pc = pc;
    mon->host = *host;
    mon->in_fd = in_fd;
    mon->out = out;
    fprintf(out, "Kiln monitor - type 'help' for more information\n" MONITOR_PROMPT);
    fflush(out);
}

static void end_line(struct monitor *mon)
{
    mon->line[mon->len] = 0;
    if (mon->overlong)
        fprintf(mon->out, "command line too long (at most %d characters)\n", MONITOR_LINE_MAX - 1);
    else
        monitor_command(mon, mon->line);
    mon->len = 0;
    mon->overlong = false;
    fputs(MONITOR_PROMPT, mon->out);
    fflush(mon->out);
}

void monitor_poll(struct monitor *mon)
{
    /* A bounded amount per call, so that a flood of input cannot keep the
     * machine loop from running the guest. */
    for (int reads = 0; reads < 8 && mon->in_fd >= 0 && !mon->eof; reads++) {
        struct pollfd p = {.fd = mon->in_fd, .events = POLLIN};
        if (poll(&p, 1, 0) <= 0) return;
        char buf[512];
        ssize_t got = read(mon->in_fd, buf, sizeof(buf));
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) return;
        if (got <= 0) {
            mon->eof = true; /* the machine runs on without a monitor */
            if (mon->len) end_line(mon);
            return;
        }
        for (ssize_t i = 0; i < got; i++) {
            if (buf[i] == '\n') {
                end_line(mon);
            } else if (mon->len < MONITOR_LINE_MAX - 1) {
                mon->line[mon->len++] = buf[i];
            } else {
                mon->overlong = true;
            }
        }
    }
}

int monitor_poll_fd(const struct monitor *mon)
{
    return mon->eof ? -1 : mon->in_fd;
}
