/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the kiln command line: QEMU-spelled options parse to the
 * configuration they name, and bad input is one error line, never a crash.
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

START_TEST(test_defaults)
{
    const char *argv[] = {"kiln"};
    ck_assert_int_eq(PARSE(argv), 0);
    ck_assert_uint_eq(cfg.ram_mib, 128);
    ck_assert_str_eq(cfg.cpu->name, "pentium2");
    ck_assert_int_eq(cfg.icount_shift, -1);
    ck_assert_int_eq(cfg.n_serial, 0);
}
END_TEST

START_TEST(test_linux_command_line)
{
    const char *argv[] = {"kiln", "-m", "256M", "-kernel", "bz", "-initrd", "rd", "-append",
                          "console=ttyS0", "-nographic", "-no-reboot"};
    ck_assert_int_eq(PARSE(argv), 0);
    ck_assert_uint_eq(cfg.ram_mib, 256);
    ck_assert_str_eq(cfg.kernel, "bz");
    ck_assert_str_eq(cfg.initrd, "rd");
    ck_assert_str_eq(cfg.append, "console=ttyS0");
    ck_assert(cfg.nographic && cfg.no_reboot);
    ck_assert_int_eq(cfg.display, DISPLAY_NONE);
    ck_assert_int_eq(cfg.n_serial, 1); /* -nographic puts COM1 on the terminal */
    ck_assert_int_eq(cfg.serial[0].kind, CHR_STDIO);
}
END_TEST

START_TEST(test_devices_and_boot)
{
    const char *argv[] = {"kiln",        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                          "-boot",       "order=dc", "-serial", "file:/tmp/x", "-cpu", "486",
                          "-icount",     "shift=2", "-m", "1G"};
    ck_assert_int_eq(PARSE(argv), 0);
    ck_assert(cfg.debug_exit);
    ck_assert_uint_eq(cfg.debug_exit_iobase, 0xf4);
    ck_assert_uint_eq(cfg.debug_exit_iosize, 4);
    ck_assert_str_eq(cfg.boot_order, "dc");
    ck_assert_int_eq(cfg.serial[0].kind, CHR_FILE);
    ck_assert_str_eq(cfg.serial[0].path, "/tmp/x");
    ck_assert_str_eq(cfg.cpu->name, "486");
    ck_assert_int_eq(cfg.icount_shift, 2);
    ck_assert_uint_eq(cfg.ram_mib, 1024);
}
END_TEST

START_TEST(test_debugger_and_traces)
{
    const char *s_only[] = {"kiln", "-s", "-S"};
    ck_assert_int_eq(PARSE(s_only), 0);
    ck_assert_str_eq(cfg.gdb, "tcp::1234");
    ck_assert(cfg.gdb_wait);
    const char *gdb[] = {"kiln", "-gdb", "tcp::4321", "-d", "exec,int", "-D", "t.log",
                         "-dstart", "0x7c00", "-dstop", "0x7c40", "-dlimit", "10",
                         "-dfilter", "0x7c00..0x7cff"};
    ck_assert_int_eq(PARSE(gdb), 0);
    ck_assert_str_eq(cfg.gdb, "tcp::4321");
    ck_assert(!cfg.gdb_wait);
    ck_assert_str_eq(cfg.log_items, "exec,int");
    ck_assert_str_eq(cfg.log_file, "t.log");
    ck_assert_str_eq(cfg.trace_start, "0x7c00");
    ck_assert_str_eq(cfg.trace_stop, "0x7c40");
    ck_assert_str_eq(cfg.trace_limit, "10");
    ck_assert_str_eq(cfg.trace_filter, "0x7c00..0x7cff");
    ck_assert(!cfg.perfmap);
    const char *perfmap[] = {"kiln", "-perfmap"};
    ck_assert_int_eq(PARSE(perfmap), 0);
    ck_assert(cfg.perfmap);
    const char *wait_alone[] = {"kiln", "-S"};
    ck_assert_int_eq(PARSE(wait_alone), -1);
    ck_assert_ptr_nonnull(strstr(err, "-S"));
    const char *no_arg[] = {"kiln", "-gdb"};
    ck_assert_int_eq(PARSE(no_arg), -1);
}
END_TEST

START_TEST(test_errors)
{
    const char *bad_mem[] = {"kiln", "-m", "lots"};
    ck_assert_int_eq(PARSE(bad_mem), -1);
    ck_assert_ptr_nonnull(strstr(err, "-m"));
    const char *bad_cpu[] = {"kiln", "-cpu", "z80"};
    ck_assert_int_eq(PARSE(bad_cpu), -1);
    ck_assert_ptr_nonnull(strstr(err, "pentium2"));
    const char *unknown[] = {"kiln", "-frobnicate", "x"};
    ck_assert_int_eq(PARSE(unknown), -1);
    const char *missing[] = {"kiln", "-hda"};
    ck_assert_int_eq(PARSE(missing), -1);
    const char *initrd_alone[] = {"kiln", "-initrd", "rd"};
    ck_assert_int_eq(PARSE(initrd_alone), -1);
    const char *bad_boot[] = {"kiln", "-boot", "xyz"};
    ck_assert_int_eq(PARSE(bad_boot), -1);
    const char *bad_dev[] = {"kiln", "-device", "e1000"};
    ck_assert_int_eq(PARSE(bad_dev), -1);
    const char *bad_serial[] = {"kiln", "-serial", "tcp::4444"};
    ck_assert_int_eq(PARSE(bad_serial), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frontend_options");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_linux_command_line);
    tcase_add_test(tc, test_devices_and_boot);
    tcase_add_test(tc, test_errors);
    tcase_add_test(tc, test_debugger_and_traces);
    suite_add_tcase(s, tc);
    return check_run(s);
}
