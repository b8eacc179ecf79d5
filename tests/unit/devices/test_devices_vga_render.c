/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the VGA renderer: a text screen drawn with a glyph written
 * into plane 2 (9-dot cells, line-graphics column, cursor and attribute
 * blink on the virtual clock), the text snapshot, mode 13h, mode X, planar
 * 16-colour and CGA pixels through the attribute controller and the DAC,
 * the line compare split, DISPI pictures at 32/24/16/8 bpp, and the change
 * tracking. Modes are set from the IBM reference tables; DAC values 0, 21,
 * 42 and 63 are full-scale fractions 0, 1/3, 2/3 and 1, i.e. 00, 55, AA, FF.
 */
#include <check.h>

#include "check_main.h"
#include "vga_bios_modes.h"

/* An "A" in an 8x16 cell. */
static const uint8_t glyph_a[16] = {0x00, 0x00, 0x10, 0x38, 0x6c, 0xc6, 0xc6, 0xfe,
                                    0xc6, 0xc6, 0xc6, 0xc6, 0x00, 0x00, 0x00, 0x00};

static uint32_t px(const struct vga_frame *fr, int x, int y)
{
    ck_assert_int_lt(x, fr->width);
    ck_assert_int_lt(y, fr->height);
    return fr->pixels[(size_t)y * (size_t)fr->width + (size_t)x];
}

static struct vga_frame render(struct vga_fx *f)
{
    struct vga_frame fr;
    ck_assert(vga_render(&f->vga, &fr));
    return fr;
}

/* Mode 03h with glyphs for 'A' and the box-drawing line C4h loaded as the
 * BIOS loads fonts: plane 2 alone, sequential addressing, map at A0000. */
static void text_mode(struct vga_fx *f)
{
    vga_set_mode(f, &vga_mode_03);
    seq_set(f, 2, 0x04);
    seq_set(f, 4, 0x07);
    gc_set(f, 4, 0x02);
    gc_set(f, 5, 0x00);
    gc_set(f, 6, 0x04);
    for (uint32_t s = 0; s < 16; s++) {
        memb(f, 0xa0000 + 'A' * 32 + s, glyph_a[s]);
        memb(f, 0xa0000 + 0xc4 * 32 + s, s == 7 ? 0xff : 0x00);
    }
    seq_set(f, 2, 0x03);
    seq_set(f, 4, 0x02);
    gc_set(f, 4, 0x00);
    gc_set(f, 5, 0x10);
    gc_set(f, 6, 0x0e);
    dac_set(f, 0x00, 0, 0, 0);
    dac_set(f, 0x01, 0, 0, 42);
    dac_set(f, 0x07, 42, 42, 42);
    dac_set(f, 0x39, 21, 21, 63);
    dac_set(f, 0x3e, 63, 63, 21);
}

static void put_char(struct vga_fx *f, int row, int col, uint8_t ch, uint8_t attr)
{
    uint32_t a = 0xb8000 + (uint32_t)(row * 80 + col) * 2;
    memb(f, a, ch);
    memb(f, a + 1, attr);
}

static void set_cursor(struct vga_fx *f, uint16_t pos)
{
    crtc_set(f, 0x0e, (uint8_t)(pos >> 8));
    crtc_set(f, 0x0f, (uint8_t)pos);
}

/* Guest time of the start of text frame 'n': 900 dots at 28.322 MHz, 449 lines. */
static uint64_t text_frame_ns(uint64_t n)
{
    return n * 449 * (900ull * 1000000000ull / 28322000ull) + 1000;
}

static void assert_glyph_cell(const struct vga_frame *fr, int row, int col, uint32_t fg,
                              uint32_t bg, bool visible)
{
    for (int s = 0; s < 16; s++)
        for (int x = 0; x < 9; x++) {
            bool on = visible && x < 8 && (glyph_a[s] & (0x80 >> x));
            ck_assert_uint_eq(px(fr, col * 9 + x, row * 16 + s), on ? fg : bg);
        }
}

START_TEST(test_text_glyph_pixels)
{
    struct vga_fx f;
    vga_fx_init(&f);
    text_mode(&f);
    set_cursor(&f, 80 * 24 + 79);
    put_char(&f, 2, 5, 'A', 0x1e); /* yellow (palette 3Eh) on blue (palette 01h) */
    struct vga_frame fr = render(&f);
    ck_assert_int_eq(fr.width, 720);
    ck_assert_int_eq(fr.height, 400);
    assert_glyph_cell(&fr, 2, 5, 0xffff55, 0x0000aa, true);
    /* Its neighbours are attribute 00h spaces: black. */
    ck_assert_uint_eq(px(&fr, 5 * 9 - 1, 2 * 16 + 7), 0x000000);
    ck_assert_uint_eq(px(&fr, 6 * 9, 2 * 16 + 7), 0x000000);
    /* Line-graphics characters C0h-DFh repeat dot 8 in the ninth column. */
    put_char(&f, 0, 10, 0xc4, 0x07);
    fr = render(&f);
    for (int x = 0; x < 9; x++)
        ck_assert_uint_eq(px(&fr, 90 + x, 7), 0xaaaaaa);
    ck_assert_uint_eq(px(&fr, 90, 6), 0x000000);
    /* Without line graphics (mode control bit 2) the ninth dot is background. */
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x30);
    outb(&f, 0x3c0, 0x08);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 90 + 7, 7), 0xaaaaaa);
    ck_assert_uint_eq(px(&fr, 90 + 8, 7), 0x000000);
    /* 8-dot cells (clocking mode bit 0): 640 pixels across. */
    seq_set(&f, 1, 0x01);
    fr = render(&f);
    ck_assert_int_eq(fr.width, 640);
    ck_assert_uint_eq(px(&fr, 5 * 8 + 3, 2 * 16 + 3), 0xffff55);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_text_cursor_and_blink)
{
    struct vga_fx f;
    vga_fx_init(&f);
    text_mode(&f);
    put_char(&f, 0, 0, ' ', 0x07);
    put_char(&f, 3, 0, 'A', 0x9e); /* blinking yellow on blue */
    set_cursor(&f, 0);
    /* Frame 0: the cursor (scan lines 0Dh-0Eh) and blinking characters are on. */
    clock_advance(&f.clk, text_frame_ns(0));
    struct vga_frame fr = render(&f);
    for (int x = 0; x < 8; x++) {
        ck_assert_uint_eq(px(&fr, x, 12), 0x000000);
        ck_assert_uint_eq(px(&fr, x, 13), 0xaaaaaa);
        ck_assert_uint_eq(px(&fr, x, 14), 0xaaaaaa);
        ck_assert_uint_eq(px(&fr, x, 15), 0x000000);
    }
    assert_glyph_cell(&fr, 3, 0, 0xffff55, 0x0000aa, true);
    /* Frames 8-15: the cursor is off (it blinks every 16 frames), characters on. */
    clock_advance(&f.clk, text_frame_ns(12));
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 13), 0x000000);
    assert_glyph_cell(&fr, 3, 0, 0xffff55, 0x0000aa, true);
    /* Frames 16-31: characters are off (they blink every 32 frames). */
    clock_advance(&f.clk, text_frame_ns(20));
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 13), 0xaaaaaa);
    assert_glyph_cell(&fr, 3, 0, 0xffff55, 0x0000aa, false);
    /* Blink disabled: bit 7 is background intensity, bright blue (palette 39h). */
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x30);
    outb(&f, 0x3c0, 0x04);
    fr = render(&f);
    assert_glyph_cell(&fr, 3, 0, 0xffff55, 0x5555ff, true);
    /* Cursor start bit 5 turns the cursor off. */
    crtc_set(&f, 0x0a, 0x2d);
    clock_advance(&f.clk, text_frame_ns(32));
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 13), 0x000000);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_text_snapshot)
{
    struct vga_fx f;
    vga_fx_init(&f);
    text_mode(&f);
    put_char(&f, 2, 5, 'A', 0x1e);
    put_char(&f, 24, 79, 'z', 0x70);
    set_cursor(&f, 80 * 3 + 7);
    struct vga_text *t = malloc(sizeof(*t));
    ck_assert_ptr_nonnull(t);
    ck_assert(vga_text_snapshot(&f.vga, t));
    ck_assert_int_eq(t->cols, 80);
    ck_assert_int_eq(t->rows, 25);
    ck_assert_uint_eq(t->cells[2][5], 'A' | 0x1e << 8);
    ck_assert_uint_eq(t->cells[24][79], 'z' | 0x70 << 8);
    ck_assert_uint_eq(t->cells[0][0], 0);
    ck_assert_int_eq(t->cursor_row, 3);
    ck_assert_int_eq(t->cursor_col, 7);
    /* The start address scrolls the view by whole rows. */
    crtc_set(&f, 0x0c, 0x00);
    crtc_set(&f, 0x0d, 80);
    ck_assert(vga_text_snapshot(&f.vga, t));
    ck_assert_uint_eq(t->cells[1][5], 'A' | 0x1e << 8);
    ck_assert_int_eq(t->cursor_row, 2);
    /* Graphics modes have no text. */
    vga_set_mode(&f, &vga_mode_13);
    ck_assert(!vga_text_snapshot(&f.vga, t));
    ck_assert_int_eq(t->rows, 0);
    free(t);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_mode13_pixels_through_dac)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_13);
    dac_set(&f, 0x20, 63, 0, 0);
    dac_set(&f, 0x21, 0, 63, 0);
    dac_set(&f, 0x22, 0, 0, 63);
    dac_set(&f, 0x23, 42, 21, 63);
    dac_set(&f, 0x03, 21, 21, 21);
    memb(&f, 0xa0000, 0x20);
    memb(&f, 0xa0000 + 319, 0x21);
    memb(&f, 0xa0000 + 199 * 320, 0x22);
    memb(&f, 0xa0000 + 100 * 320 + 161, 0x23);
    struct vga_frame fr = render(&f);
    ck_assert_int_eq(fr.width, 320);
    ck_assert_int_eq(fr.height, 200);
    ck_assert_uint_eq(px(&fr, 0, 0), 0xff0000);
    ck_assert_uint_eq(px(&fr, 319, 0), 0x00ff00);
    ck_assert_uint_eq(px(&fr, 0, 199), 0x0000ff);
    ck_assert_uint_eq(px(&fr, 161, 100), 0xaa55ff);
    ck_assert_uint_eq(px(&fr, 160, 100), 0x000000);
    ck_assert_uint_eq(px(&fr, 1, 0), 0x000000);
    /* The pel mask applies before the DAC: 23h & 0Fh = 03h. */
    outb(&f, 0x3c6, 0x0f);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 161, 100), 0x555555);
    /* Pel panning counts half pixels in 256-colour modes: 2 moves the picture one pixel left. */
    outb(&f, 0x3c6, 0xff);
    memb(&f, 0xa0001, 0x22);
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x33);
    outb(&f, 0x3c0, 0x02);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 0), 0x0000ff);
    ck_assert_uint_eq(px(&fr, 318, 0), 0x00ff00);
    ck_assert_uint_eq(px(&fr, 160, 100), 0xaa55ff);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_mode_x_pixels)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_x);
    dac_set(&f, 0x40, 63, 63, 63);
    /* Pixel (x, y) is plane x & 3 at offset y * 80 + x / 4. */
    seq_set(&f, 2, 1u << (13 & 3));
    memb(&f, 0xa0000 + 239 * 80 + 13 / 4, 0x40);
    struct vga_frame fr = render(&f);
    ck_assert_int_eq(fr.width, 320);
    ck_assert_int_eq(fr.height, 240);
    ck_assert_uint_eq(px(&fr, 13, 239), 0xffffff);
    ck_assert_uint_eq(px(&fr, 12, 239), 0x000000);
    ck_assert_uint_eq(px(&fr, 14, 239), 0x000000);
    /* Page flipping: the start address counts in bytes of each plane. */
    crtc_set(&f, 0x0c, 0x00);
    crtc_set(&f, 0x0d, 80);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 13, 238), 0xffffff);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_planar_and_split)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_12);
    dac_set(&f, 0x3c, 63, 21, 21); /* palette register 0Ch holds 3Ch */
    /* Write mode 2, colour 0Ch, pixel (10, 5): byte 5 * 80 + 1, bit 5. */
    gc_set(&f, 5, 0x02);
    gc_set(&f, 8, 0x80 >> 2);
    (void)rdmemb(&f, 0xa0000 + 5 * 80 + 1);
    memb(&f, 0xa0000 + 5 * 80 + 1, 0x0c);
    struct vga_frame fr = render(&f);
    ck_assert_int_eq(fr.width, 640);
    ck_assert_int_eq(fr.height, 480);
    ck_assert_uint_eq(px(&fr, 10, 5), 0xff5555);
    ck_assert_uint_eq(px(&fr, 9, 5), 0x000000);
    ck_assert_uint_eq(px(&fr, 11, 5), 0x000000);
    /* Colour plane enable masks the pixel's bits: 0Ch & 07h = 04h (palette 04h). */
    dac_set(&f, 0x04, 42, 0, 0);
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x32);
    outb(&f, 0x3c0, 0x07);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 10, 5), 0xaa0000);
    outb(&f, 0x3c0, 0x32);
    outb(&f, 0x3c0, 0x0f);
    /* Pel panning by 3 pixels. */
    outb(&f, 0x3c0, 0x33);
    outb(&f, 0x3c0, 0x03);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 7, 5), 0xff5555);
    ck_assert_uint_eq(px(&fr, 10, 5), 0x000000);
    outb(&f, 0x3c0, 0x33);
    outb(&f, 0x3c0, 0x00);
    /* Split screen: start at row 100; after line compare 239 the display restarts at 0. */
    crtc_set(&f, 0x0c, (100 * 80) >> 8);
    crtc_set(&f, 0x0d, (100 * 80) & 0xff);
    crtc_set(&f, 0x18, 239);
    crtc_set(&f, 0x07, 0x3e & ~0x10); /* line compare bit 8 (writable despite 11h bit 7) */
    crtc_set(&f, 0x09, 0x40 & ~0x40); /* line compare bit 9 */
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 10, 245), 0xff5555); /* memory row 5 */
    ck_assert_uint_eq(px(&fr, 10, 5), 0x000000);   /* memory row 105 */
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_cga_pixels)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_04);
    dac_set(&f, 0x13, 0, 42, 42);  /* palette 1 -> 13h: cyan */
    dac_set(&f, 0x15, 42, 0, 42);  /* palette 2 -> 15h: magenta */
    dac_set(&f, 0x17, 42, 42, 42); /* palette 3 -> 17h: white */
    memb(&f, 0xb8000, 0x40);       /* line 0, pixel 0 = 1 */
    memb(&f, 0xb8001, 0x80);       /* line 0, pixel 4 = 2 */
    memb(&f, 0xba000, 0x03);       /* line 1, pixel 3 = 3 */
    memb(&f, 0xb8000 + 80, 0xc0);  /* line 2, pixel 0 = 3 */
    struct vga_frame fr = render(&f);
    ck_assert_int_eq(fr.width, 320);
    ck_assert_int_eq(fr.height, 200);
    ck_assert_uint_eq(px(&fr, 0, 0), 0x00aaaa);
    ck_assert_uint_eq(px(&fr, 1, 0), 0x000000);
    ck_assert_uint_eq(px(&fr, 4, 0), 0xaa00aa);
    ck_assert_uint_eq(px(&fr, 3, 1), 0xaaaaaa);
    ck_assert_uint_eq(px(&fr, 0, 1), 0x000000);
    ck_assert_uint_eq(px(&fr, 0, 2), 0xaaaaaa);
    vga_fx_free(&f);
}
END_TEST

static void dispi_mode(struct vga_fx *f, uint16_t x, uint16_t y, uint16_t bpp)
{
    dispi_set(f, VBE_DISPI_INDEX_ENABLE, 0);
    dispi_set(f, VBE_DISPI_INDEX_XRES, x);
    dispi_set(f, VBE_DISPI_INDEX_YRES, y);
    dispi_set(f, VBE_DISPI_INDEX_BPP, bpp);
    dispi_set(f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
}

START_TEST(test_vbe_32bpp_lfb)
{
    struct vga_fx f;
    vga_fx_init(&f);
    dispi_mode(&f, 800, 600, 32);
    uint32_t lfb = VGA_LFB_DEFAULT;
    bus_mem_write(f.bus, lfb, 4, 0x00123456);
    bus_mem_write(f.bus, lfb + (599 * 800 + 799) * 4, 4, 0x00fedcba);
    bus_mem_write(f.bus, lfb + (300 * 800 + 400) * 4, 4, 0xff00ff00); /* X byte ignored */
    struct vga_frame fr = render(&f);
    ck_assert_int_eq(fr.width, 800);
    ck_assert_int_eq(fr.height, 600);
    ck_assert_uint_eq(px(&fr, 0, 0), 0x123456);
    ck_assert_uint_eq(px(&fr, 799, 599), 0xfedcba);
    ck_assert_uint_eq(px(&fr, 400, 300), 0x00ff00);
    ck_assert_uint_eq(px(&fr, 1, 0), 0x000000);
    /* Y offset pans the view: line 1 of memory at the top. */
    bus_mem_write(f.bus, lfb + 800 * 4, 4, 0x00abcdef);
    dispi_set(&f, VBE_DISPI_INDEX_Y_OFFSET, 1);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 0), 0xabcdef);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_vbe_other_depths)
{
    struct vga_fx f;
    vga_fx_init(&f);
    uint32_t lfb = VGA_LFB_DEFAULT;
    dispi_mode(&f, 640, 480, 16);
    bus_mem_write(f.bus, lfb, 2, 0xf800);
    bus_mem_write(f.bus, lfb + 2, 2, 0x07e0);
    bus_mem_write(f.bus, lfb + 4, 2, 0x001f);
    bus_mem_write(f.bus, lfb + 6, 2, 0xffff);
    struct vga_frame fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 0), 0xff0000);
    ck_assert_uint_eq(px(&fr, 1, 0), 0x00ff00);
    ck_assert_uint_eq(px(&fr, 2, 0), 0x0000ff);
    ck_assert_uint_eq(px(&fr, 3, 0), 0xffffff);
    dispi_mode(&f, 640, 480, 15);
    bus_mem_write(f.bus, lfb, 2, 0x7c00);
    bus_mem_write(f.bus, lfb + 2, 2, 0x03e0);
    bus_mem_write(f.bus, lfb + 4, 2, 0x001f);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 0), 0xff0000);
    ck_assert_uint_eq(px(&fr, 1, 0), 0x00ff00);
    ck_assert_uint_eq(px(&fr, 2, 0), 0x0000ff);
    dispi_mode(&f, 1024, 768, 24);
    bus_mem_write(f.bus, lfb + 3 * 1024 + 3, 1, 0x11); /* blue, green, red */
    bus_mem_write(f.bus, lfb + 3 * 1024 + 4, 1, 0x22);
    bus_mem_write(f.bus, lfb + 3 * 1024 + 5, 1, 0x33);
    fr = render(&f);
    ck_assert_int_eq(fr.width, 1024);
    ck_assert_uint_eq(px(&fr, 1, 1), 0x332211);
    dispi_mode(&f, 320, 200, 8);
    dac_set(&f, 0x80, 63, 42, 21);
    bus_mem_write(f.bus, lfb + 5, 1, 0x80);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 5, 0), 0xffaa55);
    /* Disabling DISPI returns to the VGA picture. */
    vga_set_mode(&f, &vga_mode_13);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, 0);
    fr = render(&f);
    ck_assert_int_eq(fr.width, 320);
    ck_assert_int_eq(fr.height, 200);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_change_tracking)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_13);
    dac_set(&f, 0x01, 63, 63, 63);
    struct vga_frame a = render(&f), b = render(&f);
    ck_assert_uint_eq(a.generation, b.generation);
    ck_assert_int_eq(b.dirty_bottom - b.dirty_top, 0);
    memb(&f, 0xa0000 + 50 * 320 + 7, 0x01);
    struct vga_frame c = render(&f);
    ck_assert_uint_ne(c.generation, b.generation);
    ck_assert_int_eq(c.dirty_top, 50);
    ck_assert_int_eq(c.dirty_bottom, 51);
    /* Writing the value already there changes nothing visible. */
    memb(&f, 0xa0000 + 50 * 320 + 7, 0x01);
    struct vga_frame d = render(&f);
    ck_assert_uint_eq(d.generation, c.generation);
    /* A DAC change repaints. */
    dac_set(&f, 0x01, 0, 0, 0);
    struct vga_frame e = render(&f);
    ck_assert_uint_ne(e.generation, d.generation);
    ck_assert_uint_eq(px(&e, 7, 50), 0x000000);
    /* DISPI with the LFB mapped as RAM: writes the vga never sees still show. */
    dispi_mode(&f, 640, 480, 32);
    struct vga_frame g = render(&f);
    uint8_t *vram = vga_vram(&f.vga, NULL);
    vram[(10 * 640 + 3) * 4 + 2] = 0xff;
    struct vga_frame h = render(&f);
    ck_assert_uint_eq(h.generation, g.generation); /* not reported: nothing changes */
    vga_set_lfb_direct(&f.vga, true);
    h = render(&f);
    ck_assert_uint_ne(h.generation, g.generation);
    ck_assert_uint_eq(px(&h, 3, 10), 0xff0000);
    /* Or the machine reports the write. */
    vga_set_lfb_direct(&f.vga, false);
    (void)render(&f);
    vram[(20 * 640 + 3) * 4 + 1] = 0xff;
    vga_mark_dirty(&f.vga, (20 * 640 + 3) * 4 + 1, 1);
    struct vga_frame i = render(&f);
    ck_assert_int_eq(i.dirty_top, 20);
    ck_assert_uint_eq(px(&i, 3, 20), 0x00ff00);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_blanking)
{
    struct vga_fx f;
    vga_fx_init(&f);
    /* Power-on: the sequencer is in reset, the screen is black. */
    struct vga_frame fr = render(&f);
    ck_assert_int_gt(fr.width, 0);
    ck_assert_uint_eq(px(&fr, 0, 0), 0x000000);
    vga_set_mode(&f, &vga_mode_13);
    dac_set(&f, 0x09, 63, 63, 63);
    memb(&f, 0xa0000, 0x09);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 0), 0xffffff);
    /* Palette address source clear: the attribute controller blanks the screen. */
    (void)inb(&f, 0x3da);
    outb(&f, 0x3c0, 0x00);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 0), 0x000000);
    outb(&f, 0x3c0, 0x00);
    outb(&f, 0x3c0, 0x20);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 0), 0xffffff);
    /* Screen off (clocking mode bit 5). */
    seq_set(&f, 1, 0x21);
    fr = render(&f);
    ck_assert_uint_eq(px(&fr, 0, 0), 0x000000);
    vga_fx_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_vga_render");
    TCase *tc = tcase_create("vga_render");
    tcase_add_test(tc, test_text_glyph_pixels);
    tcase_add_test(tc, test_text_cursor_and_blink);
    tcase_add_test(tc, test_text_snapshot);
    tcase_add_test(tc, test_mode13_pixels_through_dac);
    tcase_add_test(tc, test_mode_x_pixels);
    tcase_add_test(tc, test_planar_and_split);
    tcase_add_test(tc, test_cga_pixels);
    tcase_add_test(tc, test_vbe_32bpp_lfb);
    tcase_add_test(tc, test_vbe_other_depths);
    tcase_add_test(tc, test_change_tracking);
    tcase_add_test(tc, test_blanking);
    suite_add_tcase(s, tc);
    return check_run(s);
}
