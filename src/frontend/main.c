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
