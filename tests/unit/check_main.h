/* SPDX-License-Identifier: MIT */
/*
 * The shared main() body of Kiln's Check executables: run one suite with
 * CK_FORK (the default) and turn its failures into the exit status.
 */
#ifndef KILN_TESTS_CHECK_MAIN_H
#define KILN_TESTS_CHECK_MAIN_H

#include <check.h>

/* Run every test of 's' and return 0 when all passed, 1 otherwise. */
static inline int check_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}

#endif
