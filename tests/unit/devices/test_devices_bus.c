/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the bus: RAM, unclaimed addresses reading all-ones, MMIO and
 * port ranges, splitting accesses no handler takes whole, overlap refusal,
 * and unmapping an MMIO range.
 */
#include <check.h>

#include "check_main.h"
#include "devices/bus.h"

static uint32_t last_addr;
static int last_size;

static uint32_t dev_read(void *opaque, uint32_t addr, int size)
{
    (void)opaque;
    last_addr = addr;
    last_size = size;
    return 0x11223344u & (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
}

static void dev_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    (void)opaque;
    (void)val;
    last_addr = addr;
    last_size = size;
}

static const struct io_ops dev = {dev_read, dev_write};

START_TEST(test_ram_and_unclaimed)
{
    struct bus *b = bus_new(0x10000);
    ck_assert_ptr_nonnull(b);
    bus_mem_write(b, 0x100, 4, 0xdeadbeef);
    ck_assert_uint_eq(bus_mem_read(b, 0x100, 4), 0xdeadbeef);
    ck_assert_uint_eq(bus_mem_read(b, 0x102, 1), 0xad);
    ck_assert_uint_eq(bus_mem_read(b, 0x20000, 4), 0xffffffffu); /* beyond RAM */
    ck_assert_uint_eq(bus_io_read(b, 0x1234, 2), 0xffff);        /* no device */
    bus_free(b);
}
END_TEST

START_TEST(test_ranges_and_splitting)
{
    struct bus *b = bus_new(0x10000);
    ck_assert(bus_map_io(b, 0x60, 1, &dev, NULL));
    ck_assert(!bus_map_io(b, 0x60, 2, &dev, NULL)); /* overlaps */
    ck_assert_uint_eq(bus_io_read(b, 0x60, 1), 0x44);
    /* A word read at 60h: the device takes its byte, port 61h is unclaimed. */
    ck_assert_uint_eq(bus_io_read(b, 0x60, 2), 0xff44);
    ck_assert(bus_map_mmio(b, 0xa0000, 0x1000, &dev, NULL));
    ck_assert_uint_eq(bus_mem_read(b, 0xa0010, 4), 0x11223344u);
    ck_assert_uint_eq(last_addr, 0x10);
    ck_assert_int_eq(last_size, 4);
    bus_free(b);
}
END_TEST

START_TEST(test_unmap)
{
    struct bus *b = bus_new(0x1000);
    ck_assert(bus_map_mmio(b, 0xfe000000u, 0x800, &dev, NULL));
    ck_assert_uint_eq(bus_mem_read(b, 0xfe000000u, 1), 0x44);
    ck_assert(bus_unmap_mmio(b, 0xfe000000u));
    ck_assert_uint_eq(bus_mem_read(b, 0xfe000000u, 1), 0xff);
    ck_assert(!bus_unmap_mmio(b, 0xfe000000u));
    ck_assert(bus_map_mmio(b, 0xfe000000u, 0x800, &dev, NULL)); /* the range is free again */
    bus_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_bus");
    TCase *tc = tcase_create("bus");
    tcase_add_test(tc, test_ram_and_unclaimed);
    tcase_add_test(tc, test_ranges_and_splitting);
    tcase_add_test(tc, test_unmap);
    suite_add_tcase(s, tc);
    return check_run(s);
}
