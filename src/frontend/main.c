/* SPDX-License-Identifier: MIT */
/*
 * The kiln command: parse options, build the machine, run it. Every host
 * error is one line on stderr and exit status 2.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "frontend/machine.h"
#include "frontend/options.h"
#include "frontend/screenshot.h"

/* The machine a termination signal stops: one per process. */
static struct machine *running;

static void on_signal(int sig)
{
    if (running)
        machine_request_stop(running, 128 + sig);
}

int main(int argc, char **argv)
{
    struct kiln_config cfg;
    char err[512] = "";
    if (options_parse(argc, argv, &cfg, err, sizeof(err))) {
        fprintf(stderr, "kiln: %s\n", err);
        return 2;
    }
    if (cfg.help) {
        fputs(options_usage(), stdout);
        return 0;
    }
    if (cfg.log_items && !strcmp(cfg.log_items, "help")) {
        fputs("Log items for -d (comma-separated):\n"
              "  exec      every guest instruction (the interpreter runs everything)\n"
              "  in_asm    new code: each translated block's guest instructions\n"
              "  ir        each block's IR before and after the passes\n"
              "  out_asm   each block's host code\n"
              "  int       interrupts and exceptions with vector and error code\n"
              "  cpu       registers before each traced instruction\n"
              "  mmu       paging changes and page walks\n"
              "  io        port reads and writes\n"
              "  jitstats  execution statistics at exit\n"
              "  guest_errors, unimp  messages about odd guest behaviour and stubs\n",
              stdout);
        return 0;
    }
    if (cfg.log_items) {
        unsigned kinds = 0;
        if (strstr(cfg.log_items, "guest_errors"))
            kinds |= LOG_GUEST;
        if (strstr(cfg.log_items, "unimp"))
            kinds |= LOG_STUB;
        log_enable(kinds);
    }
    struct machine *m = machine_new(&cfg, err, sizeof(err));
    if (!m) {
        fprintf(stderr, "kiln: %s\n", err);
        return 2;
    }
    running = m;
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int status = machine_run(m);
    if (cfg.screenshot_at_exit &&
        !screenshot_write(&machine_pc(m)->vga, cfg.screenshot_at_exit, err, sizeof(err))) {
        fprintf(stderr, "kiln: -screenshot-at-exit: %s\n", err);
        status = 2;
    }
    if (cfg.log_items && strstr(cfg.log_items, "jitstats"))
        machine_print_stats(m, stderr);
    running = NULL;
    machine_free(m);
    return status;
}
