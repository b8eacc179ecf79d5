/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the VGA's registers through its ports on a real bus:
 * miscellaneous output and the 3Bx/3Dx address select, the index/data
 * pairs, the attribute flip-flop, the DAC's three-step sequences and state,
 * the CRTC write protect, input status timing on the virtual clock, and the
 * DISPI registers. Expected values come from the IBM VGA Technical
 * Reference and the public DISPI interface description.
 */
#include <check.h>

#include "check_main.h"
#include "vga_bios_modes.h"

START_TEST(test_misc_output_and_address_select)
{
    struct vga_fx f;
    vga_fx_init(&f);
    outb(&f, 0x3c2, 0x67);
    ck_assert_uint_eq(inb(&f, 0x3cc), 0x67);
    /* Colour addressing: CRTC at 3D4/3D5; 3B4/3B5 do not answer. */
    outb(&f, 0x3d4, 0x0e);
    outb(&f, 0x3d5, 0x12);
    ck_assert_uint_eq(inb(&f, 0x3d4), 0x0e);
    ck_assert_uint_eq(inb(&f, 0x3d5), 0x12);
    ck_assert_uint_eq(inb(&f, 0x3b5), 0xff);
    outb(&f, 0x3b4, 0x0e);
    outb(&f, 0x3b5, 0x99);
    ck_assert_uint_eq(inb(&f, 0x3d5), 0x12);
    /* Monochrome addressing: the same registers move to 3B4/3B5. */
    outb(&f, 0x3c2, 0x66);
    ck_assert_uint_eq(inb(&f, 0x3b5), 0x12);
    ck_assert_uint_eq(inb(&f, 0x3d5), 0xff);
    ck_assert_uint_eq(inb(&f, 0x3da), 0xff);
    /* Feature control: written at 3BA/3DA, read at 3CA. */
    outb(&f, 0x3ba, 0x02);
    ck_assert_uint_eq(inb(&f, 0x3ca), 0x02);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_index_data_pairs)
{
    struct vga_fx f;
    vga_fx_init(&f);
    outb(&f, 0x3c2, 0x67);
    for (uint8_t i = 0; i < 5; i++) {
        seq_set(&f, i, (uint8_t)(0x10 + i));
        ck_assert_uint_eq(inb(&f, 0x3c4), i);
    }
    for (uint8_t i = 0; i < 5; i++) {
        outb(&f, 0x3c4, i);
        ck_assert_uint_eq(inb(&f, 0x3c5), 0x10 + i);
    }
    for (uint8_t i = 0; i < 9; i++)
        gc_set(&f, i, (uint8_t)(0xa0 + i));
    for (uint8_t i = 0; i < 9; i++) {
        outb(&f, 0x3ce, i);
        ck_assert_uint_eq(inb(&f, 0x3cf), 0xa0 + i);
    }
    for (uint8_t i = 0x08; i <= 0x18; i++)
        crtc_set(&f, i, (uint8_t)(i * 3));
    for (uint8_t i = 0x08; i <= 0x18; i++) {
        outb(&f, 0x3d4, i);
        ck_assert_uint_eq(inb(&f, 0x3d5), (uint8_t)(i * 3));
    }
    /* OUT DX, AX on an index port writes the index (AL) then the data (AH). */
    outw(&f, 0x3c4, 0x0f02);
    ck_assert_uint_eq(inb(&f, 0x3c4), 0x02);
    ck_assert_uint_eq(inb(&f, 0x3c5), 0x0f);
    outw(&f, 0x3ce, 0x5508);
    outb(&f, 0x3ce, 0x08);
    ck_assert_uint_eq(inb(&f, 0x3cf), 0x55);
    outw(&f, 0x3d4, 0x340e);
    outb(&f, 0x3d4, 0x0e);
    ck_assert_uint_eq(inb(&f, 0x3d5), 0x34);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_crtc_write_protect)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_03); /* leaves 11h = 8Eh: registers 0-7 protected */
    for (uint8_t i = 0; i <= 6; i++) {
        crtc_set(&f, i, 0x00);
        outb(&f, 0x3d4, i);
        ck_assert_uint_eq(inb(&f, 0x3d5), vga_mode_03.crtc[i]);
    }
    /* Overflow: only bit 4 (line compare bit 8) stays writable. */
    crtc_set(&f, 0x07, 0x00);
    outb(&f, 0x3d4, 0x07);
    ck_assert_uint_eq(inb(&f, 0x3d5), 0x1f & ~0x10);
    crtc_set(&f, 0x07, 0xff);
    outb(&f, 0x3d4, 0x07);
    ck_assert_uint_eq(inb(&f, 0x3d5), 0x1f);
    /* 08h and up are not protected. */
    crtc_set(&f, 0x0c, 0x07);
    outb(&f, 0x3d4, 0x0c);
    ck_assert_uint_eq(inb(&f, 0x3d5), 0x07);
    /* Clearing bit 7 of 11h lifts the protection. */
    crtc_set(&f, 0x11, 0x0e);
    crtc_set(&f, 0x01, 0x27);
    outb(&f, 0x3d4, 0x01);
    ck_assert_uint_eq(inb(&f, 0x3d5), 0x27);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_attribute_flipflop)
{
    struct vga_fx f;
    vga_fx_init(&f);
    outb(&f, 0x3c2, 0x67);
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x01); /* index 1 */
    outb(&f, 0x3c0, 0x2a); /* data */
    outb(&f, 0x3c0, 0x33); /* index 13h, PAS set */
    ck_assert_uint_eq(inb(&f, 0x3c0), 0x33);
    outb(&f, 0x3c0, 0x05); /* pel panning = 5 */
    outb(&f, 0x3c0, 0x01);
    ck_assert_uint_eq(inb(&f, 0x3c1), 0x2a);
    outb(&f, 0x3c0, 0x13); /* the flip-flop is back at data: this is data for 01h */
    ck_assert_uint_eq(inb(&f, 0x3c1), 0x13);
    /* Reading input status 1 resets the flip-flop to index. */
    outb(&f, 0x3c0, 0x02);
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x13);
    ck_assert_uint_eq(inb(&f, 0x3c0), 0x13);
    ck_assert_uint_eq(inb(&f, 0x3c1), 0x05);
    /* Reading 3C0/3C1 does not toggle it: the next write is still data. */
    outb(&f, 0x3c0, 0x07);
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x13);
    (void)inb(&f, 0x3c0);
    (void)inb(&f, 0x3c1);
    outb(&f, 0x3c0, 0x03);
    ck_assert_uint_eq(inb(&f, 0x3c1), 0x03);
    /* Palette registers are 6 bits wide. */
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x04);
    outb(&f, 0x3c0, 0xff);
    outb(&f, 0x3c0, 0x04);
    ck_assert_uint_eq(inb(&f, 0x3c1), 0x3f);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_dac_sequences)
{
    struct vga_fx f;
    vga_fx_init(&f);
    outb(&f, 0x3c6, 0xff);
    ck_assert_uint_eq(inb(&f, 0x3c6), 0xff);
    /* Write mode: three writes per entry, then the index moves on. */
    outb(&f, 0x3c8, 0x10);
    ck_assert_uint_eq(inb(&f, 0x3c7) & 3, 0);
    static const uint8_t vals[6] = {0x01, 0x02, 0x03, 0x3f, 0x20, 0x00};
    for (int i = 0; i < 6; i++)
        outb(&f, 0x3c9, vals[i]);
    ck_assert_uint_eq(inb(&f, 0x3c8), 0x12);
    /* Read mode: same order, state 3 in 3C7. */
    outb(&f, 0x3c7, 0x10);
    ck_assert_uint_eq(inb(&f, 0x3c7) & 3, 3);
    for (int i = 0; i < 6; i++)
        ck_assert_uint_eq(inb(&f, 0x3c9), vals[i]);
    /* Six-bit DAC: the top two bits are not stored. */
    dac_set(&f, 0xff, 0xff, 0x80, 0x7f);
    outb(&f, 0x3c7, 0xff);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0x3f);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0x00);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0x3f);
    /* The write index wraps after entry 255. */
    ck_assert_uint_eq(inb(&f, 0x3c8), 0x00);
    /* A new index restarts the three-step sequence. */
    outb(&f, 0x3c8, 0x20);
    outb(&f, 0x3c9, 0x11);
    outb(&f, 0x3c8, 0x20);
    outb(&f, 0x3c9, 0x05);
    outb(&f, 0x3c9, 0x06);
    outb(&f, 0x3c9, 0x07);
    outb(&f, 0x3c7, 0x20);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0x05);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0x06);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0x07);
    vga_fx_free(&f);
}
END_TEST

/* Sample input status 1 over one second of guest time and count the
 * vertical retrace pulses. */
static int retraces_per_second(struct vga_fx *f, uint16_t port)
{
    int n = 0;
    bool was = false;
    for (uint64_t t = 0; t < 1000000000ull; t += 50000) {
        clock_advance(&f->clk, f->clk.now + 50000);
        bool vr = inb(f, port) & 0x08;
        n += vr && !was;
        was = vr;
    }
    return n;
}

START_TEST(test_status_retrace_timing)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_03);
    /* 400-line modes: 28.322 MHz, 900 dots per line, 449 lines: 70 Hz. */
    int hz = retraces_per_second(&f, 0x3da);
    ck_assert_int_ge(hz, 69);
    ck_assert_int_le(hz, 71);
    /* Line 100 of the frame is displayed; line 413 lies inside retrace
     * (start 19Ch, end at low bits Eh); line 405 is blanked, not retrace. */
    uint64_t line_ns = 900ull * 1000000000ull / 28322000ull, frame_ns = 449 * line_ns;
    uint64_t base = (f.clk.now / frame_ns + 1) * frame_ns;
    clock_advance(&f.clk, base + 100 * line_ns + line_ns / 4);
    ck_assert_uint_eq(inb(&f, 0x3da) & 0x09, 0x00);
    clock_advance(&f.clk, base + 100 * line_ns + line_ns * 95 / 100);
    ck_assert_uint_eq(inb(&f, 0x3da) & 0x09, 0x01); /* horizontal blanking */
    clock_advance(&f.clk, base + 405 * line_ns + line_ns / 4);
    ck_assert_uint_eq(inb(&f, 0x3da) & 0x09, 0x01);
    clock_advance(&f.clk, base + 413 * line_ns + line_ns / 2);
    ck_assert_uint_eq(inb(&f, 0x3da) & 0x09, 0x09);
    /* 480-line modes: 25.175 MHz, 800 dots, 525 lines: 60 Hz. */
    vga_set_mode(&f, &vga_mode_12);
    hz = retraces_per_second(&f, 0x3da);
    ck_assert_int_ge(hz, 59);
    ck_assert_int_le(hz, 61);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_vertical_interrupt_pending)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_03);
    /* 11h = 8Eh: bit 5 clear enables it, bit 4 clear holds it cleared. */
    ck_assert_uint_eq(inb(&f, 0x3c2) & 0x80, 0);
    crtc_set(&f, 0x11, 0x9e); /* release the clear */
    ck_assert_uint_eq(inb(&f, 0x3c2) & 0x80, 0);
    clock_advance(&f.clk, f.clk.now + 20000000); /* more than a frame */
    ck_assert_uint_eq(inb(&f, 0x3c2) & 0x80, 0x80);
    crtc_set(&f, 0x11, 0x8e); /* clear */
    ck_assert_uint_eq(inb(&f, 0x3c2) & 0x80, 0);
    crtc_set(&f, 0x11, 0xbe); /* released but disabled */
    clock_advance(&f.clk, f.clk.now + 20000000);
    ck_assert_uint_eq(inb(&f, 0x3c2) & 0x80, 0);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_dispi_registers)
{
    struct vga_fx f;
    vga_fx_init(&f);
    /* Interface detection: every id from B0C0 to B0C5 reads back. */
    for (uint16_t id = VBE_DISPI_ID0; id <= VBE_DISPI_ID5; id++) {
        dispi_set(&f, VBE_DISPI_INDEX_ID, id);
        ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_ID), id);
    }
    dispi_set(&f, VBE_DISPI_INDEX_ID, 0xb0c9);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_ID), VBE_DISPI_ID5);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_VIDEO_MEMORY_64K), 256); /* 16 MiB */
    /* GETCAPS: resolution and depth registers report the maxima. */
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_GETCAPS);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_XRES), VBE_DISPI_MAX_XRES);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_YRES), VBE_DISPI_MAX_YRES);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_BPP), 32);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, 0);
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 1024);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 768);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 16);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_XRES), 1024);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_ENABLE),
                      VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_VIRT_WIDTH), 1024);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_VIRT_HEIGHT), (16u << 20) / 2048);
    /* Resolution is fixed while enabled. */
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 640);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_XRES), 1024);
    /* A wider virtual screen has fewer lines. */
    dispi_set(&f, VBE_DISPI_INDEX_VIRT_WIDTH, 2048);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_VIRT_WIDTH), 2048);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_VIRT_HEIGHT), (16u << 20) / 4096);
    dispi_set(&f, VBE_DISPI_INDEX_Y_OFFSET, 100);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_Y_OFFSET), 100);
    dispi_set(&f, VBE_DISPI_INDEX_BANK, 3);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_BANK), 3);
    /* Modes beyond the maxima or with an unknown depth are refused. */
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, 0);
    dispi_set(&f, VBE_DISPI_INDEX_XRES, VBE_DISPI_MAX_XRES + 8);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 600);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 32);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_ENABLE) & VBE_DISPI_ENABLED, 0);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 7);
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 640);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 480);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_ENABLE) & VBE_DISPI_ENABLED, 0);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_dispi_memory_limit)
{
    struct vga_fx f;
    f.bus = bus_new(1u << 20);
    ck_assert_ptr_nonnull(f.bus);
    clock_init(&f.clk);
    ck_assert(vga_init(&f.vga, f.bus, &f.clk, 1u << 20, VGA_LFB_DEFAULT));
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_VIDEO_MEMORY_64K), 16);
    /* 1024x768x32 needs 3 MiB: refused. */
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 1024);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 768);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 32);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_ENABLE) & VBE_DISPI_ENABLED, 0);
    /* 640x480x16 needs 600 KiB: accepted, with 1 MiB / 1280 lines of virtual height. */
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 640);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 480);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 16);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_ENABLE) & VBE_DISPI_ENABLED, VBE_DISPI_ENABLED);
    ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_VIRT_HEIGHT), (1u << 20) / 1280);
    /* Video memory size must be a multiple of 64 KiB. */
    struct vga other;
    ck_assert(!vga_init(&other, f.bus, &f.clk, 100000, 0));
    vga_free(&other);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_dispi_8bit_dac)
{
    struct vga_fx f;
    vga_fx_init(&f);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_8BIT_DAC);
    dac_set(&f, 9, 0xff, 0x80, 0x41);
    outb(&f, 0x3c7, 9);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0xff);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0x80);
    ck_assert_uint_eq(inb(&f, 0x3c9), 0x41);
    vga_fx_free(&f);
}
END_TEST

/* Every register of every port, written with every kind of value, in
 * every mode the writes themselves select: nothing may crash. */
START_TEST(test_hostile_port_writes)
{
    struct vga_fx f;
    vga_fx_init(&f);
    uint32_t seed = 12345;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        uint16_t port = (uint16_t)(0x3b0 + (seed >> 16) % 0x30);
        if ((seed & 0xf) == 0) port = (uint16_t)(0x1ce + ((seed >> 8) & 1));
        uint8_t val = (uint8_t)(seed >> 24);
        if (seed & 0x100)
            outb(&f, port, val);
        else
            (void)inb(&f, port);
        if ((i & 63) == 0) {
            bus_mem_write(f.bus, 0xa0000 + (seed >> 8) % 0x20000, 4, seed);
            (void)bus_mem_read(f.bus, 0xa0000 + (seed >> 12) % 0x20000, 2);
            clock_advance(&f.clk, f.clk.now + 1000000);
        }
        if ((i & 4095) == 0) {
            struct vga_frame fr;
            ck_assert(vga_render(&f.vga, &fr));
            ck_assert_int_gt(fr.width, 0);
            ck_assert_int_gt(fr.height, 0);
        }
    }
    vga_fx_free(&f);
}
END_TEST

/* DISPI values at their extremes: panning, virtual sizes and banks far
 * beyond video memory must leave rendering and the window inside it. */
START_TEST(test_hostile_dispi_values)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_12);
    static const uint16_t bpps[] = {4, 8, 15, 16, 24, 32};
    for (unsigned i = 0; i < KILN_ARRAY_SIZE(bpps); i++) {
        dispi_set(&f, VBE_DISPI_INDEX_ENABLE, 0);
        dispi_set(&f, VBE_DISPI_INDEX_XRES, VBE_DISPI_MAX_XRES);
        dispi_set(&f, VBE_DISPI_INDEX_YRES, VBE_DISPI_MAX_YRES);
        dispi_set(&f, VBE_DISPI_INDEX_BPP, bpps[i]);
        dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_NOCLEARMEM);
        ck_assert_uint_eq(dispi_get(&f, VBE_DISPI_INDEX_ENABLE) & VBE_DISPI_ENABLED, 1);
        static const uint16_t vals[] = {0, 1, 7, 0x7fff, 0xfff8, 0xffff};
        for (unsigned a = 0; a < KILN_ARRAY_SIZE(vals); a++) {
            dispi_set(&f, VBE_DISPI_INDEX_VIRT_WIDTH, vals[a]);
            dispi_set(&f, VBE_DISPI_INDEX_VIRT_HEIGHT, vals[a]);
            dispi_set(&f, VBE_DISPI_INDEX_X_OFFSET, vals[a]);
            dispi_set(&f, VBE_DISPI_INDEX_Y_OFFSET, vals[(a + 3) % 6]);
            dispi_set(&f, VBE_DISPI_INDEX_BANK, vals[a]);
            bus_mem_write(f.bus, 0xaffff, 1, 0x5a);
            bus_mem_write(f.bus, 0xa0000, 4, 0x5a5a5a5a);
            (void)bus_mem_read(f.bus, 0xafffe, 2);
            struct vga_frame fr;
            ck_assert(vga_render(&f.vga, &fr));
            ck_assert_int_eq(fr.width, VBE_DISPI_MAX_XRES);
        }
    }
    vga_fx_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_vga_regs");
    TCase *tc = tcase_create("vga_regs");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_misc_output_and_address_select);
    tcase_add_test(tc, test_index_data_pairs);
    tcase_add_test(tc, test_crtc_write_protect);
    tcase_add_test(tc, test_attribute_flipflop);
    tcase_add_test(tc, test_dac_sequences);
    tcase_add_test(tc, test_status_retrace_timing);
    tcase_add_test(tc, test_vertical_interrupt_pending);
    tcase_add_test(tc, test_dispi_registers);
    tcase_add_test(tc, test_dispi_memory_limit);
    tcase_add_test(tc, test_dispi_8bit_dac);
    tcase_add_test(tc, test_hostile_port_writes);
    tcase_add_test(tc, test_hostile_dispi_values);
    suite_add_tcase(s, tc);
    return check_run(s);
}
