/* SPDX-License-Identifier: MIT */
/* Placeholder while the rtc tests are written. */
#include <check.h>

#include "check_main.h"

START_TEST(test_placeholder)
{
    ck_assert_int_eq(0, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_rtc");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_placeholder);
    suite_add_tcase(s, tc);
    return check_run(s);
}
