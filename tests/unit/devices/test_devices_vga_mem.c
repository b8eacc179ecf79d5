/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the VGA's memory paths through the A0000-BFFFF window on a
 * real bus: write modes 0-3 (set/reset, bit mask, rotate, logical functions,
 * latches), read modes 0-1, chain-4, odd/even and unchained addressing, text
 * placement in planes 0/1, memory map select, RAM enable, DISPI banks and
 * the LFB. Expected values follow the IBM VGA Technical Reference. Plane p
 * of offset o is read from video memory at 4 * o + p, as vga.h documents.
 */
#include <check.h>

#include "check_main.h"
#include "vga_bios_modes.h"

static uint8_t plane(struct vga_fx *f, int p, uint32_t off)
{
    return vga_vram(&f->vga, NULL)[4 * off + (uint32_t)p];
}

/* Store four plane bytes at 'off' in mode 12h through the map mask. */
static void put_planes(struct vga_fx *f, uint32_t off, uint8_t p0, uint8_t p1, uint8_t p2,
                       uint8_t p3)
{
    const uint8_t v[4] = {p0, p1, p2, p3};
    for (int p = 0; p < 4; p++) {
        seq_set(f, 2, (uint8_t)(1u << p));
        memb(f, 0xa0000 + off, v[p]);
    }
    seq_set(f, 2, 0x0f);
}

static void assert_planes(struct vga_fx *f, uint32_t off, uint8_t p0, uint8_t p1, uint8_t p2,
                          uint8_t p3)
{
    ck_assert_uint_eq(plane(f, 0, off), p0);
    ck_assert_uint_eq(plane(f, 1, off), p1);
    ck_assert_uint_eq(plane(f, 2, off), p2);
    ck_assert_uint_eq(plane(f, 3, off), p3);
}

START_TEST(test_write_mode0_set_reset)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_12);
    /* All planes from set/reset: colour 5 = planes 0 and 2. */
    gc_set(&f, 1, 0x0f);
    gc_set(&f, 0, 0x05);
    memb(&f, 0xa0000, 0x00);
    assert_planes(&f, 0, 0xff, 0x00, 0xff, 0x00);
    /* Planes 0 and 1 from set/reset, 2 and 3 from the CPU byte. */
    gc_set(&f, 1, 0x03);
    gc_set(&f, 0, 0x01);
    memb(&f, 0xa0001, 0xa5);
    assert_planes(&f, 1, 0xff, 0x00, 0xa5, 0xa5);
    gc_set(&f, 1, 0x00);
    /* Map mask: only plane 1 is written. */
    seq_set(&f, 2, 0x02);
    memb(&f, 0xa0002, 0x3c);
    assert_planes(&f, 2, 0x00, 0x3c, 0x00, 0x00);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_write_mode0_bitmask_rotate_function)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_12);
    /* Bit mask keeps the latched bits where it is 0. */
    put_planes(&f, 1, 0x11, 0x22, 0x33, 0x44);
    (void)rdmemb(&f, 0xa0001);
    gc_set(&f, 8, 0x0f);
    memb(&f, 0xa0001, 0xff);
    assert_planes(&f, 1, 0x1f, 0x2f, 0x3f, 0x4f);
    gc_set(&f, 8, 0xff);
    /* Rotate right by 1: 01h arrives as 80h. */
    gc_set(&f, 3, 0x01);
    memb(&f, 0xa0002, 0x01);
    assert_planes(&f, 2, 0x80, 0x80, 0x80, 0x80);
    /* Rotate right by 4 of 12h is 21h. */
    gc_set(&f, 3, 0x04);
    memb(&f, 0xa0002, 0x12);
    assert_planes(&f, 2, 0x21, 0x21, 0x21, 0x21);
    /* Logical functions with the latches. */
    gc_set(&f, 3, 0x00);
    put_planes(&f, 3, 0xf0, 0xf0, 0x0f, 0x00);
    (void)rdmemb(&f, 0xa0003);
    gc_set(&f, 3, 0x08); /* AND */
    memb(&f, 0xa0004, 0x3c);
    assert_planes(&f, 4, 0x30, 0x30, 0x0c, 0x00);
    gc_set(&f, 3, 0x10); /* OR */
    memb(&f, 0xa0004, 0x3c);
    assert_planes(&f, 4, 0xfc, 0xfc, 0x3f, 0x3c);
    gc_set(&f, 3, 0x18); /* XOR */
    memb(&f, 0xa0004, 0x3c);
    assert_planes(&f, 4, 0xcc, 0xcc, 0x33, 0x3c);
    /* The latches hold until the next read: a write does not reload them. */
    gc_set(&f, 3, 0x00);
    gc_set(&f, 8, 0x00);
    memb(&f, 0xa0005, 0xff);
    assert_planes(&f, 5, 0xf0, 0xf0, 0x0f, 0x00);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_write_modes_1_2_3)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_12);
    /* Mode 1 copies the latches to another offset, whatever the CPU byte. */
    put_planes(&f, 10, 0x01, 0x02, 0x03, 0x04);
    (void)rdmemb(&f, 0xa000a);
    gc_set(&f, 5, 0x01);
    gc_set(&f, 8, 0x00); /* the bit mask does not apply in mode 1 */
    memb(&f, 0xa0014, 0x99);
    assert_planes(&f, 20, 0x01, 0x02, 0x03, 0x04);
    /* Mode 2: CPU bits 3-0 are the colour, the bit mask selects pixels. */
    gc_set(&f, 5, 0x00);
    gc_set(&f, 8, 0xff);
    put_planes(&f, 30, 0x00, 0x00, 0x00, 0x00);
    (void)rdmemb(&f, 0xa001e);
    gc_set(&f, 5, 0x02);
    gc_set(&f, 8, 0xf0);
    memb(&f, 0xa001e, 0x0a);
    assert_planes(&f, 30, 0x00, 0xf0, 0x00, 0xf0);
    /* Mode 3: set/reset is the colour; rotated CPU byte AND bit mask selects. */
    gc_set(&f, 5, 0x03);
    gc_set(&f, 0, 0x0c);
    gc_set(&f, 8, 0xff);
    (void)rdmemb(&f, 0xa0028);
    memb(&f, 0xa0028, 0x0f);
    assert_planes(&f, 40, 0x00, 0x00, 0x0f, 0x0f);
    gc_set(&f, 8, 0x3c);
    gc_set(&f, 0, 0x01);
    (void)rdmemb(&f, 0xa0028);
    memb(&f, 0xa0028, 0xff);
    assert_planes(&f, 40, 0x3c, 0x00, 0x03, 0x03);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_read_modes)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_12);
    put_planes(&f, 7, 0xf0, 0xcc, 0xaa, 0x00);
    /* Read mode 0: the plane the read map select names. */
    static const uint8_t want[4] = {0xf0, 0xcc, 0xaa, 0x00};
    for (uint8_t p = 0; p < 4; p++) {
        gc_set(&f, 4, p);
        ck_assert_uint_eq(rdmemb(&f, 0xa0007), want[p]);
    }
    /* Read mode 1: 1 where the pixel's colour equals the colour compare. */
    gc_set(&f, 5, 0x08);
    gc_set(&f, 2, 0x03);
    gc_set(&f, 7, 0x0f);
    ck_assert_uint_eq(rdmemb(&f, 0xa0007), 0x40);
    /* Colour don't care: planes 2 and 3 ignored. */
    gc_set(&f, 7, 0x03);
    ck_assert_uint_eq(rdmemb(&f, 0xa0007), 0xc0);
    /* Nothing cared about: every pixel matches. */
    gc_set(&f, 7, 0x00);
    ck_assert_uint_eq(rdmemb(&f, 0xa0007), 0xff);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_chain4_addressing)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_13);
    for (uint32_t i = 0; i < 8; i++)
        memb(&f, 0xa0000 + i, (uint8_t)(0x10 + i));
    /* A1:A0 pick the plane; the offset keeps the address with them clear. */
    assert_planes(&f, 0, 0x10, 0x11, 0x12, 0x13);
    assert_planes(&f, 4, 0x14, 0x15, 0x16, 0x17);
    assert_planes(&f, 1, 0x00, 0x00, 0x00, 0x00);
    ck_assert_uint_eq(rdmemb(&f, 0xa0005), 0x15);
    /* The last pixel of the screen, 320 * 200 - 1. */
    memb(&f, 0xa0000 + 63999, 0x77);
    ck_assert_uint_eq(plane(&f, 3, 63996), 0x77);
    /* Wide accesses are bytes in address order. */
    bus_mem_write(f.bus, 0xa0100, 4, 0x44332211);
    assert_planes(&f, 0x100, 0x11, 0x22, 0x33, 0x44);
    ck_assert_uint_eq(bus_mem_read(f.bus, 0xa0100, 4), 0x44332211);
    /* The map mask still gates chain-4 writes. */
    seq_set(&f, 2, 0x0e);
    memb(&f, 0xa0200, 0x55);
    memb(&f, 0xa0201, 0x66);
    ck_assert_uint_eq(plane(&f, 0, 0x200), 0x00);
    ck_assert_uint_eq(plane(&f, 1, 0x200), 0x66);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_unchained_mode_x)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_x);
    seq_set(&f, 2, 0x04);
    memb(&f, 0xa000a, 0x77);
    assert_planes(&f, 10, 0x00, 0x00, 0x77, 0x00);
    seq_set(&f, 2, 0x0f);
    memb(&f, 0xa000b, 0x5a);
    assert_planes(&f, 11, 0x5a, 0x5a, 0x5a, 0x5a);
    /* Latched copy of all four planes (write mode 1), the mode X blit. */
    (void)rdmemb(&f, 0xa000a);
    gc_set(&f, 5, 0x41);
    memb(&f, 0xa8000, 0x00);
    assert_planes(&f, 0x8000, 0x00, 0x00, 0x77, 0x00);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_text_placement_odd_even)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_03);
    memb(&f, 0xb8000, 'A');
    memb(&f, 0xb8001, 0x1f);
    memb(&f, 0xb8002, 'B');
    memb(&f, 0xb8003, 0x2e);
    /* Even addresses reach plane 0, odd plane 1, at the even offset. */
    ck_assert_uint_eq(plane(&f, 0, 0), 'A');
    ck_assert_uint_eq(plane(&f, 1, 0), 0x1f);
    ck_assert_uint_eq(plane(&f, 0, 2), 'B');
    ck_assert_uint_eq(plane(&f, 1, 2), 0x2e);
    ck_assert_uint_eq(plane(&f, 0, 1), 0);
    ck_assert_uint_eq(plane(&f, 2, 0), 0); /* the font plane is untouched */
    /* Row 1 (160 bytes per row in 80x25) with a word store. */
    bus_mem_write(f.bus, 0xb8000 + 160, 2, 0x4e58);
    ck_assert_uint_eq(plane(&f, 0, 160), 'X');
    ck_assert_uint_eq(plane(&f, 1, 160), 0x4e);
    ck_assert_uint_eq(bus_mem_read(f.bus, 0xb8000, 2), 0x1f41);
    ck_assert_uint_eq(bus_mem_read(f.bus, 0xb8002, 2), 0x2e42);
    /* Memory map 3 is B8000-BFFFF only: A0000 and B0000 do not answer. */
    ck_assert_uint_eq(rdmemb(&f, 0xa0000), 0xff);
    ck_assert_uint_eq(rdmemb(&f, 0xb0000), 0xff);
    memb(&f, 0xa0000, 0x12);
    memb(&f, 0xb0000, 0x34);
    ck_assert_uint_eq(plane(&f, 0, 0), 'A');
    /* Font loading as a BIOS does: plane 2 alone, sequential, at A0000. */
    seq_set(&f, 2, 0x04);
    seq_set(&f, 4, 0x07);
    gc_set(&f, 4, 0x02);
    gc_set(&f, 5, 0x00);
    gc_set(&f, 6, 0x04);
    memb(&f, 0xa0000 + 'A' * 32 + 3, 0x7e);
    ck_assert_uint_eq(plane(&f, 2, 'A' * 32 + 3), 0x7e);
    ck_assert_uint_eq(rdmemb(&f, 0xa0000 + 'A' * 32 + 3), 0x7e);
    ck_assert_uint_eq(plane(&f, 0, 0), 'A');
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_cga_banks)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_04);
    memb(&f, 0xb8000, 0xe4);
    memb(&f, 0xb8001, 0x1b);
    memb(&f, 0xba000, 0x55); /* the odd scan line bank */
    ck_assert_uint_eq(plane(&f, 0, 0), 0xe4);
    ck_assert_uint_eq(plane(&f, 1, 0), 0x1b);
    ck_assert_uint_eq(plane(&f, 0, 0x2000), 0x55);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_ram_enable)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_13);
    outb(&f, 0x3c2, 0x61); /* misc bit 1 clear: CPU access disabled */
    memb(&f, 0xa0000, 0x42);
    ck_assert_uint_eq(plane(&f, 0, 0), 0x00);
    ck_assert_uint_eq(rdmemb(&f, 0xa0000), 0xff);
    outb(&f, 0x3c2, 0x63);
    memb(&f, 0xa0000, 0x42);
    ck_assert_uint_eq(rdmemb(&f, 0xa0000), 0x42);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_dispi_bank_and_lfb)
{
    struct vga_fx f;
    vga_fx_init(&f);
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 800);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 600);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 8);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
    uint8_t *vram = vga_vram(&f.vga, NULL);
    /* Bank 2 shows video memory from 128 KiB at A0000. */
    dispi_set(&f, VBE_DISPI_INDEX_BANK, 2);
    memb(&f, 0xa0010, 0x9c);
    ck_assert_uint_eq(vram[0x20010], 0x9c);
    ck_assert_uint_eq(bus_mem_read(f.bus, VGA_LFB_DEFAULT + 0x20010, 1), 0x9c);
    /* The LFB is video memory as little-endian bytes. */
    bus_mem_write(f.bus, VGA_LFB_DEFAULT + 0x100, 4, 0x04030201);
    ck_assert_uint_eq(vram[0x100], 0x01);
    ck_assert_uint_eq(vram[0x103], 0x04);
    dispi_set(&f, VBE_DISPI_INDEX_BANK, 0);
    ck_assert_uint_eq(rdmemb(&f, 0xa0101), 0x02);
    /* B0000-BFFFF is not part of the banked window. */
    ck_assert_uint_eq(rdmemb(&f, 0xb0000), 0xff);
    /* A bank beyond video memory reads all-ones and drops writes. */
    dispi_set(&f, VBE_DISPI_INDEX_BANK, 0x4000);
    memb(&f, 0xa0000, 0x11);
    ck_assert_uint_eq(rdmemb(&f, 0xa0000), 0xff);
    /* The end of the LFB region: in range works, beyond reads all-ones. */
    bus_mem_write(f.bus, VGA_LFB_DEFAULT + VGA_VRAM_DEFAULT - 4, 4, 0xdeadbeef);
    ck_assert_uint_eq(bus_mem_read(f.bus, VGA_LFB_DEFAULT + VGA_VRAM_DEFAULT - 4, 4), 0xdeadbeef);
    ck_assert_uint_eq(bus_mem_read(f.bus, VGA_LFB_DEFAULT + VGA_VRAM_DEFAULT - 2, 4) >> 16, 0xffff);
    /* Enabling without NOCLEARMEM clears video memory; with it, keeps it. */
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, 0);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_NOCLEARMEM);
    ck_assert_uint_eq(vram[0x100], 0x01);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, 0);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED);
    ck_assert_uint_eq(vram[0x100], 0x00);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_dispi_4bpp_banked_planar)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_12);
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 1024);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 768);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 4);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED);
    /* 4 bpp goes through the graphics controller, at plane offsets above 64 KiB. */
    dispi_set(&f, VBE_DISPI_INDEX_BANK, 1);
    gc_set(&f, 1, 0x0f);
    gc_set(&f, 0, 0x09);
    memb(&f, 0xa0004, 0x00);
    assert_planes(&f, 0x10004, 0xff, 0x00, 0x00, 0xff);
    vga_fx_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_vga_mem");
    TCase *tc = tcase_create("vga_mem");
    tcase_add_test(tc, test_write_mode0_set_reset);
    tcase_add_test(tc, test_write_mode0_bitmask_rotate_function);
    tcase_add_test(tc, test_write_modes_1_2_3);
    tcase_add_test(tc, test_read_modes);
    tcase_add_test(tc, test_chain4_addressing);
    tcase_add_test(tc, test_unchained_mode_x);
    tcase_add_test(tc, test_text_placement_odd_even);
    tcase_add_test(tc, test_cga_banks);
    tcase_add_test(tc, test_ram_enable);
    tcase_add_test(tc, test_dispi_bank_and_lfb);
    tcase_add_test(tc, test_dispi_4bpp_banked_planar);
    suite_add_tcase(s, tc);
    return check_run(s);
}
