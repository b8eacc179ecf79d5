/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the options for the display, the monitor, screenshots and
 * snapshots: -display sdl and its parameters, -full-screen, -monitor (and
 * its refusal to share the terminal), -screenshot-at-exit, -loadvm; bad
 * values give one line naming the option.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "frontend/options.h"

static struct kiln_config cfg;
static char err[256];

#define PARSE(argv) parse((int)(sizeof(argv) / sizeof((argv)[0])), argv)

static int parse(int argc, const char *const *argv)
{
    err[0] = 0;
    return options_parse(argc, (char **)argv, &cfg, err, sizeof(err));
}

START_TEST(test_display_sdl_params)
{
    const char *a[] = {"kiln", "-display", "sdl,integer-scale=on,full-screen=on"};
    ck_assert_int_eq(PARSE(a), 0);
    ck_assert_int_eq(cfg.display, DISPLAY_SDL);
    ck_assert(cfg.integer_scale && cfg.full_screen);
    const char *b[] = {"kiln", "-display", "sdl", "-full-screen"};
    ck_assert_int_eq(PARSE(b), 0);
    ck_assert(!cfg.integer_scale && cfg.full_screen);
    const char *c[] = {"kiln", "-display", "sdl,zoom=2"};
    ck_assert_int_eq(PARSE(c), -1);
    ck_assert(strstr(err, "-display sdl: unknown parameter 'zoom=2'") != NULL);
    const char *d[] = {"kiln", "-display", "gtk"};
    ck_assert_int_eq(PARSE(d), -1);
    ck_assert(strstr(err, "-display") != NULL);
    const char *e[] = {"kiln"};
    ck_assert_int_eq(PARSE(e), 0);
    ck_assert_int_eq(cfg.display, DISPLAY_DEFAULT);
    ck_assert(!cfg.full_screen && !cfg.integer_scale);
}
END_TEST

START_TEST(test_monitor)
{
    const char *a[] = {"kiln", "-monitor", "stdio", "-serial", "file:/tmp/com1"};
    ck_assert_int_eq(PARSE(a), 0);
    ck_assert_int_eq(cfg.monitor.kind, CHR_STDIO);
    const char *b[] = {"kiln", "-monitor", "stdio", "-nographic"};
    ck_assert_int_eq(PARSE(b), -1);
    ck_assert(strstr(err, "-monitor stdio: the terminal is already taken") != NULL);
    const char *c[] = {"kiln", "-monitor", "stdio", "-display", "curses"};
    ck_assert_int_eq(PARSE(c), -1);
    const char *d[] = {"kiln", "-monitor", "tcp::4444"};
    ck_assert_int_eq(PARSE(d), -1);
    ck_assert(strstr(err, "-monitor: unsupported backend 'tcp::4444'") != NULL);
    const char *e[] = {"kiln", "-monitor"};
    ck_assert_int_eq(PARSE(e), -1);
    const char *f[] = {"kiln", "-monitor", "none", "-nographic"};
    ck_assert_int_eq(PARSE(f), 0);
    ck_assert_int_eq(cfg.monitor.kind, CHR_NONE);
}
END_TEST

START_TEST(test_screenshot_and_loadvm)
{
    const char *a[] = {"kiln", "-screenshot-at-exit", "s.png", "-loadvm", "m.snap"};
    ck_assert_int_eq(PARSE(a), 0);
    ck_assert_str_eq(cfg.screenshot_at_exit, "s.png");
    ck_assert_str_eq(cfg.loadvm, "m.snap");
    const char *b[] = {"kiln", "-screenshot-at-exit", ""};
    ck_assert_int_eq(PARSE(b), -1);
    ck_assert(strstr(err, "-screenshot-at-exit: empty file name") != NULL);
    const char *c[] = {"kiln", "-loadvm"};
    ck_assert_int_eq(PARSE(c), -1);
    ck_assert(strstr(err, "-loadvm") != NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frontend_options_display");
    TCase *tc = tcase_create("options_display");
    tcase_add_test(tc, test_display_sdl_params);
    tcase_add_test(tc, test_monitor);
    tcase_add_test(tc, test_screenshot_and_loadvm);
    suite_add_tcase(s, tc);
    return check_run(s);
}
