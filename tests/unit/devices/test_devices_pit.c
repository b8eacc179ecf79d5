/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the 8254 and port 61h through the ports on a real bus, with
 * a virtual clock moved to exact CLK ticks (tick k happens k / 1.193182 MHz
 * after time 0). Expected counts and OUT edges follow the Intel 8254
 * datasheet's mode descriptions: a written count loads on the next CLK
 * pulse, mode 0 OUT rises N+1 pulses after the write, mode 2 OUT is low for
 * the one pulse at count 1, mode 3 odd counts are high one pulse longer.
 */
#include <check.h>

#include "check_main.h"
#include "devices/pit.h"

struct fx {
    struct bus *bus;
    struct clock clk;
    struct pit pit;
    bool out0;
    int rises, falls;
};

static void out0_set(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    (void)n;
    if (level != f->out0)
        *(level ? &f->rises : &f->falls) += 1;
    f->out0 = level;
}

static void fx_init(struct fx *f)
{
    *f = (struct fx){0};
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    ck_assert(pit_init(&f->pit, f->bus, &f->clk, (struct irq_line){out0_set, f, 0}));
    ck_assert(f->out0);
    f->rises = f->falls = 0;
}

/* The first ns at which CLK pulse k has happened. */
static uint64_t tick_ns(uint64_t k)
{
    return (k * 1000000000u + PIT_HZ - 1) / PIT_HZ;
}

static void at(struct fx *f, uint64_t k)
{
    clock_advance(&f->clk, tick_ns(k));
}

static void outb(struct fx *f, uint16_t port, uint8_t v)
{
    bus_io_write(f->bus, port, 1, v);
}

static uint8_t inb(struct fx *f, uint16_t port)
{
    return (uint8_t)bus_io_read(f->bus, port, 1);
}

static void write16(struct fx *f, uint16_t port, uint16_t v)
{
    outb(f, port, (uint8_t)v);
    outb(f, port, (uint8_t)(v >> 8));
}

static uint16_t read16(struct fx *f, uint16_t port)
{
    uint8_t lo = inb(f, port);
    return (uint16_t)(lo | inb(f, port) << 8);
}

static bool out2(struct fx *f)
{
    return inb(f, 0x61) & 0x20;
}

START_TEST(test_mode2_rate_generator)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x43, 0x34);
    write16(&f, 0x40, 100);
    at(&f, 50);
    outb(&f, 0x43, 0x00); /* latch counter 0: loaded at pulse 1, 49 decrements since */
    ck_assert_uint_eq(read16(&f, 0x40), 51);
    clock_advance(&f.clk, tick_ns(100) - 1);
    ck_assert(f.out0);
    ck_assert_uint_eq(read16(&f, 0x40), 2);
    at(&f, 100);
    ck_assert(!f.out0); /* low for the pulse at count 1 */
    ck_assert_uint_eq(read16(&f, 0x40), 1);
    clock_advance(&f.clk, tick_ns(101) - 1);
    ck_assert(!f.out0);
    at(&f, 101);
    ck_assert(f.out0);
    ck_assert_uint_eq(read16(&f, 0x40), 100); /* reloaded */
    ck_assert_int_eq(f.rises, 1);
    at(&f, 201);
    ck_assert_int_eq(f.rises, 2);
    ck_assert_int_eq(f.falls, 2);
    /* One second in a single step: a rise every 100 pulses from 101, no drift. */
    clock_advance(&f.clk, 1000000000u);
    ck_assert_int_eq(f.rises, (PIT_HZ - 1) / 100);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_mode2_new_count_at_reload)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x43, 0x34);
    write16(&f, 0x40, 100);
    at(&f, 50);
    write16(&f, 0x40, 7); /* takes effect when the current period ends */
    outb(&f, 0x43, 0xe2); /* read-back: status of counter 0 */
    ck_assert_uint_eq(inb(&f, 0x40), 0xc0 | 0x34); /* OUT high, null count */
    at(&f, 99);
    ck_assert(f.out0);
    at(&f, 100);
    ck_assert(!f.out0); /* the old period still ends at count 1 */
    at(&f, 101);
    ck_assert(f.out0);
    at(&f, 106);
    ck_assert(f.out0);
    at(&f, 107); /* 7 pulses from the reload at 101 */
    ck_assert(!f.out0);
    at(&f, 108);
    ck_assert(f.out0);
    outb(&f, 0x43, 0xe2);
    ck_assert_uint_eq(inb(&f, 0x40), 0x80 | 0x34);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_mode0_and_read_back)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x43, 0x30);
    ck_assert(!f.out0); /* mode 0: the control word drops OUT */
    write16(&f, 0x40, 10);
    outb(&f, 0x43, 0xe2);
    ck_assert_uint_eq(inb(&f, 0x40), 0x70); /* OUT low, null count, RW=3, mode 0 */
    at(&f, 5);
    outb(&f, 0x43, 0xc2); /* latch count and status */
    ck_assert_uint_eq(inb(&f, 0x40), 0x30);
    ck_assert_uint_eq(read16(&f, 0x40), 6);
    at(&f, 10);
    ck_assert(!f.out0);
    at(&f, 11); /* N+1 pulses after the write */
    ck_assert(f.out0);
    ck_assert_int_eq(f.rises, 1);
    outb(&f, 0x43, 0xe2);
    ck_assert_uint_eq(inb(&f, 0x40), 0xb0);
    ck_assert_uint_eq(read16(&f, 0x40), 0);
    at(&f, 12);
    ck_assert_uint_eq(read16(&f, 0x40), 0xffff); /* counting goes on past zero */
    at(&f, 100000);
    ck_assert_int_eq(f.rises, 1); /* no second terminal count */
    /* Writing the first byte of a new count drops OUT at once. */
    outb(&f, 0x40, 5);
    ck_assert(!f.out0);
    outb(&f, 0x40, 0);
    at(&f, 100005);
    ck_assert(!f.out0);
    at(&f, 100006);
    ck_assert(f.out0);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_latch_command)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x43, 0x34);
    write16(&f, 0x40, 1000);
    at(&f, 10);
    outb(&f, 0x43, 0x00);
    at(&f, 20);
    outb(&f, 0x43, 0x00); /* ignored: the first latch has not been read */
    at(&f, 30);
    ck_assert_uint_eq(read16(&f, 0x40), 991);
    ck_assert_uint_eq(read16(&f, 0x40), 971); /* released: live again */
    /* Status and count latched together: status first, then the count. */
    outb(&f, 0x43, 0xc2);
    ck_assert_uint_eq(inb(&f, 0x40), 0x34 | 0x80);
    at(&f, 40);
    ck_assert_uint_eq(read16(&f, 0x40), 971);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_access_modes_and_bcd)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x43, 0x14); /* LSB only, mode 2 */
    outb(&f, 0x40, 0x20);
    at(&f, 3);
    ck_assert_uint_eq(inb(&f, 0x40), 30);
    ck_assert_uint_eq(inb(&f, 0x40), 30);
    outb(&f, 0x43, 0x24); /* MSB only, mode 2 */
    outb(&f, 0x40, 0x01);
    at(&f, 4);
    ck_assert_uint_eq(inb(&f, 0x40), 0x01); /* 256 */
    at(&f, 5);
    ck_assert_uint_eq(inb(&f, 0x40), 0x00); /* 255 */
    outb(&f, 0x43, 0x31);                   /* LSB then MSB, mode 0, BCD */
    write16(&f, 0x40, 0x0100);              /* 100 decimal */
    at(&f, 16);
    ck_assert_uint_eq(read16(&f, 0x40), 0x0090);
    outb(&f, 0x43, 0x31);
    write16(&f, 0x40, 0x0000); /* 10000 in BCD */
    at(&f, 18);
    ck_assert_uint_eq(read16(&f, 0x40), 0x9999);
    outb(&f, 0x43, 0xe2);
    ck_assert_uint_eq(inb(&f, 0x40) & 0x3f, 0x31);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_mode3_square_wave)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x61, 0x01); /* counter 2 gate on */
    outb(&f, 0x43, 0xb6);
    write16(&f, 0x42, 10);
    static const uint16_t even_counts[] = {10, 8, 6, 4, 2, 10, 8, 6, 4, 2, 10};
    for (int k = 1; k <= 11; k++) {
        at(&f, (uint64_t)k);
        ck_assert_uint_eq(read16(&f, 0x42), even_counts[k - 1]);
        ck_assert_int_eq(out2(&f), k <= 5 || k == 11);
    }
    /* Odd count 5: high for 3 pulses, low for 2; the count runs 4, 2, 0 then 4, 2. */
    outb(&f, 0x43, 0xb6);
    write16(&f, 0x42, 5);
    static const uint16_t odd_counts[] = {4, 2, 0, 4, 2, 4};
    for (int k = 1; k <= 6; k++) {
        at(&f, 11 + (uint64_t)k);
        ck_assert_uint_eq(read16(&f, 0x42), odd_counts[k - 1]);
        ck_assert_int_eq(out2(&f), k <= 3 || k == 6);
    }
    /* Counter 0 as the BIOS sets it: mode 3, count 0 = 65536, 18.2 Hz on IRQ0. */
    outb(&f, 0x43, 0x36);
    write16(&f, 0x40, 0);
    uint64_t t0 = 18; /* written at pulse 17, loaded at 18 */
    clock_advance(&f.clk, tick_ns(t0 + 65536) - 1);
    ck_assert_int_eq(f.rises, 0);
    ck_assert_int_eq(f.falls, 1);
    at(&f, t0 + 65536);
    ck_assert_int_eq(f.rises, 1);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_gate)
{
    struct fx f;
    fx_init(&f);
    /* Mode 0: GATE low holds the count; OUT is unaffected. */
    outb(&f, 0x43, 0xb0);
    write16(&f, 0x42, 5);
    at(&f, 10);
    ck_assert_uint_eq(read16(&f, 0x42), 5);
    outb(&f, 0x61, 0x01);
    at(&f, 12);
    ck_assert_uint_eq(read16(&f, 0x42), 3);
    at(&f, 13);
    outb(&f, 0x61, 0x00);
    at(&f, 20);
    ck_assert_uint_eq(read16(&f, 0x42), 2);
    ck_assert(!out2(&f));
    outb(&f, 0x61, 0x01);
    at(&f, 21);
    ck_assert(!out2(&f));
    at(&f, 22);
    ck_assert(out2(&f));
    /* Mode 2: GATE low forces OUT high at once; the rising edge reloads. */
    outb(&f, 0x43, 0xb4);
    write16(&f, 0x42, 4);
    at(&f, 26);
    ck_assert(!out2(&f)); /* loaded at 23, count 1 at 26 */
    outb(&f, 0x61, 0x00);
    ck_assert(out2(&f));
    at(&f, 30);
    outb(&f, 0x61, 0x01);
    at(&f, 33);
    ck_assert(out2(&f));
    at(&f, 34);
    ck_assert(!out2(&f));
    bus_free(f.bus);
}
END_TEST

START_TEST(test_one_shots_and_strobes)
{
    struct fx f;
    fx_init(&f);
    /* Mode 1: nothing until a GATE trigger; OUT low for N pulses from the next pulse. */
    outb(&f, 0x43, 0xb2);
    write16(&f, 0x42, 5);
    outb(&f, 0x43, 0xe8);
    ck_assert_uint_eq(inb(&f, 0x42), 0xc0 | 0x32); /* OUT high, null count until triggered */
    at(&f, 10);
    outb(&f, 0x61, 0x01);
    ck_assert(out2(&f));
    at(&f, 11);
    ck_assert(!out2(&f));
    outb(&f, 0x43, 0xe8);
    ck_assert_uint_eq(inb(&f, 0x42), 0x32);
    at(&f, 12);
    outb(&f, 0x61, 0x00);
    at(&f, 13);
    outb(&f, 0x61, 0x01); /* retrigger: reload at 14, OUT high at 19 */
    at(&f, 18);
    ck_assert(!out2(&f));
    at(&f, 19);
    ck_assert(out2(&f));
    /* Mode 4: a strobe of one pulse N+1 pulses after the write. */
    outb(&f, 0x43, 0xb8);
    write16(&f, 0x42, 3);
    at(&f, 22);
    ck_assert(out2(&f));
    at(&f, 23);
    ck_assert(!out2(&f));
    at(&f, 24);
    ck_assert(out2(&f));
    at(&f, 23 + 65536);
    ck_assert(out2(&f)); /* only once */
    /* Mode 5: the strobe follows a GATE trigger. */
    uint64_t t = 23 + 65536;
    outb(&f, 0x43, 0xba);
    write16(&f, 0x42, 3);
    at(&f, t + 10);
    ck_assert(out2(&f));
    outb(&f, 0x61, 0x00);
    outb(&f, 0x61, 0x01);
    at(&f, t + 13);
    ck_assert(out2(&f));
    at(&f, t + 14);
    ck_assert(!out2(&f));
    at(&f, t + 15);
    ck_assert(out2(&f));
    bus_free(f.bus);
}
END_TEST

START_TEST(test_port61)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x61, 0xff);
    ck_assert_uint_eq(inb(&f, 0x61) & 0xcf, 0x0f); /* bits 7 and 6: no NMI sources */
    ck_assert_uint_eq(inb(&f, 0x61) & 0x10, 0x00);
    at(&f, 17);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x10, 0x00);
    at(&f, 18); /* refresh toggles every 15.085 us */
    ck_assert_uint_eq(inb(&f, 0x61) & 0x10, 0x10);
    at(&f, 36);
    ck_assert_uint_eq(inb(&f, 0x61) & 0x10, 0x00);
    ck_assert_uint_eq(inb(&f, 0x43), 0xff); /* the control register is write-only */
    bus_free(f.bus);
}
END_TEST

START_TEST(test_hostile_writes)
{
    struct fx f;
    fx_init(&f);
    uint64_t k = 0;
    for (unsigned v = 0; v < 256; v++) {
        for (uint16_t port = 0x40; port <= 0x43; port++) {
            outb(&f, port, (uint8_t)v);
            outb(&f, port, (uint8_t)(v * 7));
            (void)inb(&f, (uint16_t)(0x40 + (v + port) % 4));
            outb(&f, 0x61, (uint8_t)(v >> (port & 3)));
            at(&f, k += v % 5);
        }
    }
    at(&f, k + 200000);
    /* Still a working timer afterwards. */
    outb(&f, 0x43, 0x34);
    int rises = f.rises;
    write16(&f, 0x40, 3);
    at(&f, k + 200000 + 4);
    ck_assert_int_eq(f.rises, rises + 1);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_pit");
    TCase *tc = tcase_create("pit");
    tcase_add_test(tc, test_mode2_rate_generator);
    tcase_add_test(tc, test_mode2_new_count_at_reload);
    tcase_add_test(tc, test_mode0_and_read_back);
    tcase_add_test(tc, test_latch_command);
    tcase_add_test(tc, test_access_modes_and_bcd);
    tcase_add_test(tc, test_mode3_square_wave);
    tcase_add_test(tc, test_gate);
    tcase_add_test(tc, test_one_shots_and_strobes);
    tcase_add_test(tc, test_port61);
    tcase_add_test(tc, test_hostile_writes);
    suite_add_tcase(s, tc);
    return check_run(s);
}
