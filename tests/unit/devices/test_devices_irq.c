/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the wired-OR IRQ combiner: the output is high while any
 * input is high, and it changes only on the first rise and the last fall.
 */
#include <check.h>

#include "check_main.h"
#include "devices/irq.h"

static int level, changes;

static void sink(void *opaque, int n, bool l)
{
    (void)opaque;
    (void)n;
    level = l;
    changes++;
}

START_TEST(test_wired_or)
{
    struct irq_or o = {.out = {sink, NULL, 4}};
    struct irq_line a = irq_or_input(&o, 0), b = irq_or_input(&o, 1);
    level = changes = 0;
    irq_set(&a, true);
    ck_assert_int_eq(level, 1);
    irq_set(&b, true);
    irq_set(&a, false);
    ck_assert_int_eq(level, 1); /* B still holds the line */
    ck_assert_int_eq(changes, 1);
    irq_set(&b, false);
    ck_assert_int_eq(level, 0);
    ck_assert_int_eq(changes, 2);
    irq_set(&b, false); /* lowering a low input changes nothing */
    ck_assert_int_eq(changes, 2);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_irq");
    TCase *tc = tcase_create("irq");
    tcase_add_test(tc, test_wired_or);
    suite_add_tcase(s, tc);
    return check_run(s);
}
