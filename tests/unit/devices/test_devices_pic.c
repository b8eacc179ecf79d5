/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the 8259A pair through its ports on a real bus: the AT
 * initialisation sequence, priority and nesting, cascade, rotation, AEOI,
 * special mask, special fully nested, poll, edge/level (ELCR) and spurious
 * IR7/IR15. Expected vectors and register bits come from the Intel 8259A
 * datasheet's command descriptions.
 */
#include <check.h>

#include "check_main.h"
#include "devices/pic.h"

struct fx {
    struct bus *bus;
    struct clock clk;
    struct pic pic;
    bool intr;
    int intr_changes;
};

static void intr_set(void *opaque, int n, bool level)
{
    struct fx *f = opaque;
    (void)n;
    f->intr = level;
    f->intr_changes++;
}

static void outb(struct fx *f, uint16_t port, uint8_t v)
{
    bus_io_write(f->bus, port, 1, v);
}

static uint8_t inb(struct fx *f, uint16_t port)
{
    return (uint8_t)bus_io_read(f->bus, port, 1);
}

/* The AT BIOS sequence: edge, cascade, ICW4; vectors 08h and 70h; slave on IR2. */
static void at_init(struct fx *f, uint8_t icw4_master, uint8_t icw4_slave)
{
    outb(f, 0x20, 0x11);
    outb(f, 0x21, 0x08);
    outb(f, 0x21, 0x04);
    outb(f, 0x21, icw4_master);
    outb(f, 0xa0, 0x11);
    outb(f, 0xa1, 0x70);
    outb(f, 0xa1, 0x02);
    outb(f, 0xa1, icw4_slave);
}

static void fx_init(struct fx *f)
{
    *f = (struct fx){0};
    f->bus = bus_new(4096);
    ck_assert_ptr_nonnull(f->bus);
    clock_init(&f->clk);
    ck_assert(pic_init(&f->pic, f->bus, &f->clk, (struct irq_line){intr_set, f, 0}));
    at_init(f, 0x01, 0x01);
}

static void irq(struct fx *f, int n, bool level)
{
    struct irq_line l = pic_irq(&f->pic, n);
    irq_set(&l, level);
}

static uint8_t read_isr(struct fx *f, uint16_t port)
{
    outb(f, port, 0x0b);
    return inb(f, port);
}

static uint8_t read_irr(struct fx *f, uint16_t port)
{
    outb(f, port, 0x0a);
    return inb(f, port);
}

START_TEST(test_init_and_eoi)
{
    struct fx f;
    fx_init(&f);
    ck_assert_uint_eq(inb(&f, 0x21), 0x00); /* ICW1 cleared IMR */
    ck_assert(!pic_intr_pending(&f.pic));
    irq(&f, 0, true);
    ck_assert(pic_intr_pending(&f.pic));
    ck_assert(f.intr);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x01);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x08);
    ck_assert(!f.intr);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x01);
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x00); /* edge latch consumed by INTA */
    outb(&f, 0x20, 0x20);                        /* non-specific EOI */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    ck_assert(!pic_intr_pending(&f.pic)); /* line still high: no new edge */
    /* OCW1 masks; a 16-bit read of 20h gives IRR then IMR. */
    outb(&f, 0x21, 0x01);
    irq(&f, 0, false);
    irq(&f, 0, true);
    outb(&f, 0x20, 0x0a);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x20, 2), 0x0101);
    ck_assert(!pic_intr_pending(&f.pic));
    outb(&f, 0x21, 0x00);
    ck_assert(pic_intr_pending(&f.pic));
    bus_free(f.bus);
}
END_TEST

START_TEST(test_priority_and_nesting)
{
    struct fx f;
    fx_init(&f);
    irq(&f, 5, true);
    irq(&f, 3, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0b); /* IR3 outranks IR5 */
    ck_assert(!pic_intr_pending(&f.pic));             /* IR5 waits behind IR3 in service */
    irq(&f, 1, true);
    ck_assert(pic_intr_pending(&f.pic)); /* IR1 nests above IR3 */
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x09);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x0a);
    outb(&f, 0x20, 0x20); /* clears IR1, the highest in service */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x08);
    ck_assert(!pic_intr_pending(&f.pic));
    outb(&f, 0x20, 0x63); /* specific EOI for IR3 */
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0d);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_cascade)
{
    struct fx f;
    fx_init(&f);
    irq(&f, 10, true);
    ck_assert(pic_intr_pending(&f.pic));
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x72);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x04);
    ck_assert_uint_eq(read_isr(&f, 0xa0), 0x04);
    /* A second slave request waits: the master's IR2 is in service. */
    irq(&f, 9, true);
    ck_assert(!pic_intr_pending(&f.pic));
    outb(&f, 0xa0, 0x20);
    ck_assert(!pic_intr_pending(&f.pic));
    outb(&f, 0x20, 0x20);
    ck_assert(pic_intr_pending(&f.pic));
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x71);
    /* The line handed out for IRQ 2 is IRQ 9, as on the AT. */
    outb(&f, 0xa0, 0x20);
    outb(&f, 0x20, 0x20);
    irq(&f, 9, false);
    irq(&f, 2, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x71);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_special_fully_nested)
{
    struct fx f;
    fx_init(&f);
    irq(&f, 12, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x74);
    irq(&f, 9, true); /* outranks IRQ 12 on the slave, but master IR2 is in service */
    ck_assert(!pic_intr_pending(&f.pic));
    irq(&f, 9, false);
    irq(&f, 12, false);
    outb(&f, 0xa0, 0x20);
    outb(&f, 0x20, 0x20);

    at_init(&f, 0x11, 0x01); /* master in special fully nested mode */
    irq(&f, 12, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x74);
    irq(&f, 9, true);
    ck_assert(pic_intr_pending(&f.pic));
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x71);
    ck_assert_uint_eq(read_isr(&f, 0xa0), 0x12);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_rotation)
{
    struct fx f;
    fx_init(&f);
    /* Rotate on non-specific EOI: the served level becomes the lowest. */
    irq(&f, 1, true);
    irq(&f, 3, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x09);
    outb(&f, 0x20, 0xa0);
    irq(&f, 0, true);
    /* Priority is now 2,3,4,5,6,7,0,1: IR3 before IR0. */
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0b);
    outb(&f, 0x20, 0x20);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x08);
    outb(&f, 0x20, 0x20);

    /* Set priority: IR4 lowest, so IR5 is highest; IR6 beats IR3. */
    outb(&f, 0x20, 0xc4);
    irq(&f, 3, false);
    irq(&f, 3, true);
    irq(&f, 6, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0e);
    /* Rotate on specific EOI for IR6: IR7 becomes the highest; IR3 is next. */
    outb(&f, 0x20, 0xe6);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    irq(&f, 7, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0f);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x80);
    /* IR7 in service now outranks IR0: no nesting until its EOI. */
    irq(&f, 0, false);
    irq(&f, 0, true);
    ck_assert(!pic_intr_pending(&f.pic));
    outb(&f, 0x20, 0x20);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x08);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_auto_eoi)
{
    struct fx f;
    fx_init(&f);
    at_init(&f, 0x03, 0x01);
    irq(&f, 4, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0c);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    ck_assert(!pic_intr_pending(&f.pic));
    irq(&f, 6, true); /* nothing in service: a lower level gets through at once */
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0e);
    /* Rotate in AEOI mode: each served level goes to the bottom. */
    outb(&f, 0x20, 0x80);
    irq(&f, 1, true);
    irq(&f, 5, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x09);
    irq(&f, 0, true); /* IR0 now ranks below IR5 */
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0d);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x08);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_special_mask)
{
    struct fx f;
    fx_init(&f);
    irq(&f, 3, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0b);
    irq(&f, 5, true);
    ck_assert(!pic_intr_pending(&f.pic));
    outb(&f, 0x21, 0x08); /* mask IR3 alone: not enough */
    ck_assert(!pic_intr_pending(&f.pic));
    outb(&f, 0x20, 0x68); /* set special mask mode */
    ck_assert(pic_intr_pending(&f.pic));
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0d);
    outb(&f, 0x20, 0x65);
    outb(&f, 0x20, 0x48); /* reset special mask mode */
    irq(&f, 5, false);
    irq(&f, 5, true);
    ck_assert(!pic_intr_pending(&f.pic));
    bus_free(f.bus);
}
END_TEST

START_TEST(test_poll)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x20, 0x0c);
    ck_assert_uint_eq(inb(&f, 0x20), 0x00); /* no request: I bit clear */
    irq(&f, 6, true);
    outb(&f, 0x20, 0x0c);
    ck_assert_uint_eq(inb(&f, 0x20), 0x86);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x40);
    ck_assert_uint_eq(inb(&f, 0x20), 0x40); /* poll lasts one read; RIS still selects ISR */
    bus_free(f.bus);
}
END_TEST

START_TEST(test_level_and_elcr)
{
    struct fx f;
    fx_init(&f);
    bus_io_write(f.bus, 0x4d0, 2, 0xffff);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x4d0, 2), 0xdef8); /* IRQ 0-2, 8, 13 edge-only */
    bus_io_write(f.bus, 0x4d0, 2, 0x0820);                    /* IRQ 5 and IRQ 11 level */
    irq(&f, 5, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0d);
    outb(&f, 0x20, 0x20);
    ck_assert(pic_intr_pending(&f.pic)); /* still asserted: level mode asks again */
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0d);
    outb(&f, 0x20, 0x20);
    irq(&f, 5, false);
    ck_assert(!pic_intr_pending(&f.pic));
    ck_assert_uint_eq(read_irr(&f, 0x20), 0x00);
    /* ICW1's LTIM makes every line level-triggered. */
    outb(&f, 0x20, 0x19);
    outb(&f, 0x21, 0x08);
    outb(&f, 0x21, 0x04);
    outb(&f, 0x21, 0x01);
    irq(&f, 4, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0c);
    outb(&f, 0x20, 0x20);
    ck_assert(pic_intr_pending(&f.pic));
    bus_free(f.bus);
}
END_TEST

START_TEST(test_spurious)
{
    struct fx f;
    fx_init(&f);
    /* A level request that goes away before INTA: IR7's vector, nothing in service. */
    outb(&f, 0x4d0, 0x20);
    irq(&f, 5, true);
    ck_assert(pic_intr_pending(&f.pic));
    irq(&f, 5, false);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0f);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x00);
    /* An edge request held for some guest time, then dropped: gone too. */
    irq(&f, 3, true);
    clock_advance(&f.clk, 1000);
    irq(&f, 3, false);
    ck_assert(!pic_intr_pending(&f.pic));
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0f);
    /* A zero-width pulse (irq_pulse) is held until INTA. */
    struct irq_line l3 = pic_irq(&f.pic, 3);
    irq_pulse(&l3);
    ck_assert(pic_intr_pending(&f.pic));
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0b);
    outb(&f, 0x20, 0x20);
    ck_assert(!pic_intr_pending(&f.pic));
    /* Slave: the request masked away in the same instant the master saw it. The
     * master serves IR2, the slave has nothing: IR15's vector, master ISR2 set. */
    irq(&f, 9, true);
    outb(&f, 0xa1, 0x02);
    ck_assert(pic_intr_pending(&f.pic));
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x77);
    ck_assert_uint_eq(read_isr(&f, 0xa0), 0x00);
    ck_assert_uint_eq(read_isr(&f, 0x20), 0x04);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_icw1_resets)
{
    struct fx f;
    fx_init(&f);
    irq(&f, 4, true);
    outb(&f, 0x21, 0x55);
    outb(&f, 0x20, 0xc2); /* IR2 lowest */
    at_init(&f, 0x01, 0x01);
    ck_assert_uint_eq(inb(&f, 0x21), 0x00);
    ck_assert(!pic_intr_pending(&f.pic)); /* edge sense reset: IR4 needs a new edge */
    irq(&f, 4, false);
    irq(&f, 4, true);
    irq(&f, 7, true);
    irq(&f, 3, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x0b); /* priority back to IR0 highest */
    /* Single mode: no ICW3, ICW4 follows ICW2 directly. */
    outb(&f, 0x20, 0x13);
    outb(&f, 0x21, 0x40);
    outb(&f, 0x21, 0x01);
    ck_assert_uint_eq(inb(&f, 0x21), 0x00); /* the sequence is over: this is OCW1 again */
    outb(&f, 0x21, 0xfb);
    ck_assert_uint_eq(inb(&f, 0x21), 0xfb);
    bus_free(f.bus);
}
END_TEST

START_TEST(test_hostile_writes)
{
    struct fx f;
    fx_init(&f);
    static const uint16_t ports[] = {0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1};
    for (int round = 0; round < 3; round++) {
        for (unsigned v = 0; v < 256; v++) {
            for (unsigned i = 0; i < 6; i++) {
                outb(&f, ports[(i + round) % 6], (uint8_t)(v * 37 + i));
                (void)inb(&f, ports[(i + v) % 6]);
                irq(&f, (int)((v + i) & 15), (v >> i) & 1);
                if (pic_intr_pending(&f.pic))
                    (void)pic_acknowledge(&f.pic);
            }
        }
    }
    /* The chips still take a clean initialisation afterwards. */
    outb(&f, 0x4d0, 0);
    outb(&f, 0x4d1, 0);
    for (int n = 0; n < 16; n++)
        irq(&f, n, false);
    at_init(&f, 0x01, 0x01);
    for (uint8_t l = 0; l < 8; l++) {
        outb(&f, 0x20, 0x60 | l);
        outb(&f, 0xa0, 0x60 | l);
    }
    irq(&f, 1, true);
    ck_assert_uint_eq(pic_acknowledge(&f.pic), 0x09);
    bus_free(f.bus);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_pic");
    TCase *tc = tcase_create("pic");
    tcase_add_test(tc, test_init_and_eoi);
    tcase_add_test(tc, test_priority_and_nesting);
    tcase_add_test(tc, test_cascade);
    tcase_add_test(tc, test_special_fully_nested);
    tcase_add_test(tc, test_rotation);
    tcase_add_test(tc, test_auto_eoi);
    tcase_add_test(tc, test_special_mask);
    tcase_add_test(tc, test_poll);
    tcase_add_test(tc, test_level_and_elcr);
    tcase_add_test(tc, test_spurious);
    tcase_add_test(tc, test_icw1_resets);
    tcase_add_test(tc, test_hostile_writes);
    suite_add_tcase(s, tc);
    return check_run(s);
}
