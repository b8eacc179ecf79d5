/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the PNG writer and of screenshots. The PNG files are read
 * back by an independent decoder (png_decode.h); the expected screen pixels
 * are computed here from the bytes the test puts into the VGA (a glyph in
 * plane 2 and DAC values; a DISPI framebuffer at 16 and 32 bpp), not taken
 * from the renderer. DAC values 0, 21, 42, 63 are 00, 55, AA, FF.
 */
#include <check.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_main.h"
#include "devices/vga_bios_modes.h"
#include "frontend/png.h"
#include "frontend/screenshot.h"
#include "png_decode.h"

START_TEST(test_png_roundtrip)
{
    /* An odd size and pseudo-random colours exercise every filter byte path. */
    enum { W = 37, H = 23 };
    static uint32_t img[W * H];
    uint32_t s = 12345;
    for (int i = 0; i < W * H; i++) {
        s = s * 1103515245u + 12345u;
        img[i] = (i % 5 == 0) ? 0x00ff8000u : (s >> 8) & 0xffffffu;
    }
    uint8_t *png;
    size_t len;
    char err[128];
    ck_assert(png_encode(img, W, H, &png, &len, err, sizeof(err)));
    ck_assert_uint_gt(len, 8 + 25 + 12 + 12);
    uint32_t *out;
    int w, h;
    ck_assert(png_decode(png, len, &out, &w, &h));
    ck_assert_int_eq(w, W);
    ck_assert_int_eq(h, H);
    for (int i = 0; i < W * H; i++)
        ck_assert_uint_eq(out[i], img[i]);
    free(out);
    /* One flipped byte inside IDAT breaks its CRC: the reader must notice,
     * which shows that the writer's CRCs are what the reader checks. */
    png[len - 12 - 6] ^= 0x40;
    ck_assert(!png_decode(png, len, &out, &w, &h));
    free(png);
}
END_TEST

START_TEST(test_png_rejects_bad_sizes)
{
    uint32_t one = 0;
    uint8_t *png = (uint8_t *)&one;
    size_t len = 99;
    char err[128] = "";
    ck_assert(!png_encode(&one, 0, 1, &png, &len, err, sizeof(err)));
    ck_assert_ptr_null(png);
    ck_assert_uint_eq(len, 0);
    ck_assert(strstr(err, "0x1") != NULL);
    ck_assert(!png_encode(&one, 1, -5, &png, &len, err, sizeof(err)));
    ck_assert(!png_encode(&one, PNG_MAX_SIDE + 1, 1, &png, &len, err, sizeof(err)));
    ck_assert(!png_encode(NULL, 1, 1, &png, &len, err, sizeof(err)));
}
END_TEST

START_TEST(test_png_write_file_errors)
{
    uint32_t px[4] = {0xff0000, 0x00ff00, 0x0000ff, 0xffffff};
    char err[256] = "";
    ck_assert(!png_write_file("/nonexistent-dir/x.png", px, 2, 2, err, sizeof(err)));
    ck_assert(strstr(err, "/nonexistent-dir/x.png") != NULL);
    char dir[] = "/tmp/kiln-png-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof(path), "%s/ok.png", dir);
    ck_assert(png_write_file(path, px, 2, 2, err, sizeof(err)));
    uint32_t *out;
    int w, h;
    ck_assert(png_decode_file(path, &out, &w, &h));
    ck_assert_int_eq(w, 2);
    ck_assert_int_eq(h, 2);
    ck_assert_uint_eq(out[0], 0xff0000);
    ck_assert_uint_eq(out[3], 0xffffff);
    free(out);
    /* A directory in the way: the error names it and no temporary is left. */
    char sub[64];
    snprintf(sub, sizeof(sub), "%s/taken.png", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    ck_assert(!png_write_file(sub, px, 2, 2, err, sizeof(err)));
    ck_assert(strstr(err, "taken.png") != NULL);
    char tmp[96];
    snprintf(tmp, sizeof(tmp), "%s.tmp%ld", sub, (long)getpid());
    ck_assert_int_ne(access(tmp, F_OK), 0);
    rmdir(sub);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* A hand-made 8x16 glyph: a diagonal and a frame, so every column differs. */
static uint8_t glyph_row(int s)
{
    static const uint8_t g[16] = {0xff, 0x81, 0xc1, 0xa1, 0x91, 0x89, 0x85, 0x83,
                                  0x81, 0x81, 0x99, 0x99, 0x81, 0x81, 0xff, 0x00};
    return g[s];
}

static void load_font_glyph(struct vga_fx *f, uint8_t ch)
{
    seq_set(f, 2, 0x04); /* plane 2 only, sequential, as a BIOS loads fonts */
    seq_set(f, 4, 0x07);
    gc_set(f, 4, 0x02);
    gc_set(f, 5, 0x00);
    gc_set(f, 6, 0x04);
    for (int s = 0; s < 16; s++)
        memb(f, 0xa0000 + ch * 32u + (uint32_t)s, glyph_row(s));
    seq_set(f, 2, 0x03);
    seq_set(f, 4, 0x02);
    gc_set(f, 4, 0x00);
    gc_set(f, 5, 0x10);
    gc_set(f, 6, 0x0e);
}

static char *tmp_png(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/kiln-shot-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    size_t len = strlen(dir) + 16;
    char *p = malloc(len);
    snprintf(p, len, "%s/s.png", dir);
    return p;
}

START_TEST(test_screenshot_text_mode_font)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_03);
    load_font_glyph(&f, 0x80);
    dac_set(&f, 0x00, 0, 0, 0);
    dac_set(&f, 0x04, 42, 0, 0);   /* attribute palette 4 -> DAC 04h: red */
    dac_set(&f, 0x3a, 21, 63, 21); /* palette 0Ah -> DAC 3Ah: light green */
    /* Cursor off, so no cell is overdrawn. */
    crtc_set(&f, 0x0a, 0x20);
    /* Character 80h, light green on red, at row 3 column 7. */
    uint32_t cell = 0xb8000 + (3 * 80 + 7) * 2;
    memb(&f, cell, 0x80);
    memb(&f, cell + 1, 0x4a);
    char dir[32], err[256];
    char *path = tmp_png(dir, sizeof(dir));
    ck_assert(screenshot_write(&f.vga, path, err, sizeof(err)));
    uint32_t *px;
    int w, h;
    ck_assert(png_decode_file(path, &px, &w, &h));
    ck_assert_int_eq(w, 720); /* 80 columns of 9 dots */
    ck_assert_int_eq(h, 400); /* 25 rows of 16 lines */
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 720; x++) {
            uint32_t want = 0x000000; /* everything else: character 0, attribute 0 */
            if (y / 16 == 3 && x / 9 == 7) {
                int dx = x % 9;
                /* 80h is outside C0h-DFh: the ninth dot is background. */
                bool on = dx < 8 && (glyph_row(y % 16) & (0x80 >> dx));
                want = on ? 0x55ff55 : 0xaa0000;
            }
            ck_assert_msg(px[y * 720 + x] == want, "pixel %d,%d is %06x, want %06x", x, y,
                          px[y * 720 + x], want);
        }
    free(px);
    /* 8-dot cells: 640 pixels across, the glyph's eight columns only. */
    seq_set(&f, 1, 0x01);
    ck_assert(screenshot_write(&f.vga, path, err, sizeof(err)));
    ck_assert(png_decode_file(path, &px, &w, &h));
    ck_assert_int_eq(w, 640);
    for (int dx = 0; dx < 8; dx++)
        ck_assert_uint_eq(px[(3 * 16 + 4) * 640 + 7 * 8 + dx],
                          glyph_row(4) & (0x80 >> dx) ? 0x55ff55u : 0xaa0000u);
    free(px);
    unlink(path);
    rmdir(dir);
    free(path);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_screenshot_vbe_16_and_32bpp)
{
    struct vga_fx f;
    vga_fx_init(&f);
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 64);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 48);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 16);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
    /* RGB565 pattern: red from x, green from y, blue from x ^ y. */
    for (uint32_t y = 0; y < 48; y++)
        for (uint32_t x = 0; x < 64; x++) {
            uint32_t r = x & 31, g = (y + x) & 63, b = (x ^ y) & 31;
            bus_mem_write(f.bus, VGA_LFB_DEFAULT + (y * 64 + x) * 2, 2, r << 11 | g << 5 | b);
        }
    char dir[32], err[256];
    char *path = tmp_png(dir, sizeof(dir));
    ck_assert(screenshot_write(&f.vga, path, err, sizeof(err)));
    uint32_t *px;
    int w, h;
    ck_assert(png_decode_file(path, &px, &w, &h));
    ck_assert_int_eq(w, 64);
    ck_assert_int_eq(h, 48);
    for (uint32_t y = 0; y < 48; y++)
        for (uint32_t x = 0; x < 64; x++) {
            uint32_t r = x & 31, g = (y + x) & 63, b = (x ^ y) & 31;
            /* Widened to 8 bits by left bit replication (abcde -> abcdeabc), the
             * rule the PNG specification gives for sample depth scaling (12.4),
             * so 31 and 63 become 255. */
            uint32_t want = (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
            ck_assert_msg(px[y * 64 + x] == want, "pixel %u,%u is %06x, want %06x", x, y,
                          px[y * 64 + x], want);
        }
    free(px);
    /* Switch to 32 bpp at 100x10: the picture follows the mode. */
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, 0);
    dispi_set(&f, VBE_DISPI_INDEX_XRES, 100);
    dispi_set(&f, VBE_DISPI_INDEX_YRES, 10);
    dispi_set(&f, VBE_DISPI_INDEX_BPP, 32);
    dispi_set(&f, VBE_DISPI_INDEX_ENABLE, VBE_DISPI_ENABLED | VBE_DISPI_LFB_ENABLED);
    for (uint32_t i = 0; i < 1000; i++)
        bus_mem_write(f.bus, VGA_LFB_DEFAULT + i * 4, 4, i * 0x010203u + 0x77000000u);
    ck_assert(screenshot_write(&f.vga, path, err, sizeof(err)));
    ck_assert(png_decode_file(path, &px, &w, &h));
    ck_assert_int_eq(w, 100);
    ck_assert_int_eq(h, 10);
    for (uint32_t i = 0; i < 1000; i++)
        ck_assert_uint_eq(px[i], (i * 0x010203u) & 0xffffffu);
    free(px);
    unlink(path);
    rmdir(dir);
    free(path);
    vga_fx_free(&f);
}
END_TEST

START_TEST(test_screenshot_unwritable_path)
{
    struct vga_fx f;
    vga_fx_init(&f);
    vga_set_mode(&f, &vga_mode_13);
    char err[256] = "";
    ck_assert(!screenshot_write(&f.vga, "/nonexistent-dir/s.png", err, sizeof(err)));
    ck_assert(strstr(err, "cannot write /nonexistent-dir/s.png") != NULL);
    vga_fx_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frontend_screenshot");
    TCase *tc = tcase_create("screenshot");
    tcase_add_test(tc, test_png_roundtrip);
    tcase_add_test(tc, test_png_rejects_bad_sizes);
    tcase_add_test(tc, test_png_write_file_errors);
    tcase_add_test(tc, test_screenshot_text_mode_font);
    tcase_add_test(tc, test_screenshot_vbe_16_and_32bpp);
    tcase_add_test(tc, test_screenshot_unwritable_path);
    suite_add_tcase(s, tc);
    return check_run(s);
}
