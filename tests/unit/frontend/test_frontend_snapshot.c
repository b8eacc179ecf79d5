/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of snapshot files against a machine built in the test: state
 * set by the test comes back after a load; truncated files (at every kind
 * of cut), foreign files, other RAM sizes and files whose device state is
 * impossible (a keyboard queue index past its array, a CRTC index past its
 * registers, a RAM page map that disagrees with its length) are refused and leave the machine as it was. Offsets
 * into the file follow the format written in snapshot.c's header comment
 * and the public device structs.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check_main.h"
#include "cpu/models.h"
#include "frontend/snapshot.h"
#include "jit/exec.h"

struct fx {
    struct pc *pc;
    struct cpu *cpu;
    char dir[32];
};

static void fx_init(struct fx *f, uint32_t ram_mib)
{
    struct pc_config cfg = {.ram_size = ram_mib << 20, .boot_order = "c"};
    char err[256];
    f->pc = pc_new(&cfg, err, sizeof(err));
    ck_assert_msg(f->pc != NULL, "%s", err);
    f->cpu = calloc(1, sizeof(*f->cpu));
    struct cpu_bus bus;
    exec_connect_bus(&bus, f->pc->bus);
    cpu_init(f->cpu, cpu_model_default(), &bus);
    strcpy(f->dir, "/tmp/kiln-snapu-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(f->dir));
}

static void fx_free(struct fx *f)
{
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
    ck_assert_int_eq(system(cmd), 0);
    free(f->cpu);
    pc_free(f->pc);
}

static char *path_in(struct fx *f, const char *name)
{
    static char p[4][96];
    static int n;
    char *r = p[n++ & 3];
    snprintf(r, 96, "%s/%s", f->dir, name);
    return r;
}

/* The decompressed bytes of a snapshot file. */
static uint8_t *inflate_file(const char *path, size_t *len)
{
    gzFile g = gzopen(path, "rb");
    ck_assert_ptr_nonnull(g);
    size_t cap = 64u << 20;
    uint8_t *b = malloc(cap);
    int n = gzread(g, b, (unsigned)cap);
    ck_assert_int_gt(n, 0);
    gzclose(g);
    *len = (size_t)n;
    return b;
}

static void deflate_file(const char *path, const uint8_t *b, size_t len)
{
    gzFile g = gzopen(path, "wb1");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(gzwrite(g, b, (unsigned)len), (int)len);
    ck_assert_int_eq(gzclose(g), Z_OK);
}

/* Offset of section 'tag's data in the decompressed file. */
static size_t section(const uint8_t *b, size_t len, const char *tag)
{
    size_t pos = 52;
    while (pos + 12 <= len) {
        uint64_t n = 0;
        for (int i = 7; i >= 0; i--)
            n = n << 8 | b[pos + 4 + i];
        if (!memcmp(b + pos, tag, 4)) return pos + 12;
        pos += 12 + n;
    }
    ck_abort_msg("no section %s", tag);
    return 0;
}

static void set_state(struct fx *f, uint32_t eax, uint8_t ram_byte)
{
    f->cpu->r[0] = eax;
    f->cpu->eip = eax ^ 0x5555;
    bus_ram(f->pc->bus)[0x12345] = ram_byte;
    f->pc->pic.chip[0].imr = ram_byte;
}

static void assert_state(struct fx *f, uint32_t eax, uint8_t ram_byte)
{
    ck_assert_uint_eq(f->cpu->r[0], eax);
    ck_assert_uint_eq(f->cpu->eip, eax ^ 0x5555);
    ck_assert_uint_eq(bus_ram(f->pc->bus)[0x12345], ram_byte);
    ck_assert_uint_eq(f->pc->pic.chip[0].imr, ram_byte);
}

START_TEST(test_roundtrip)
{
    struct fx f;
    fx_init(&f, 4);
    char err[512];
    set_state(&f, 0x12345678, 0xa5);
    f.pc->clock.now = 777000;
    ck_assert_msg(snapshot_save(path_in(&f, "a.snap"), f.cpu, f.pc, 777000, err, sizeof(err)),
                  "%s", err);
    set_state(&f, 0xdeadbeef, 0x11);
    uint64_t now = 0;
    ck_assert_msg(snapshot_load(path_in(&f, "a.snap"), f.cpu, f.pc, &now, err, sizeof(err)), "%s",
                  err);
    assert_state(&f, 0x12345678, 0xa5);
    ck_assert_uint_eq(now, 777000);
    ck_assert_uint_eq(f.pc->clock.now, 777000);
    fx_free(&f);
}
END_TEST

START_TEST(test_truncated_and_foreign)
{
    struct fx f;
    fx_init(&f, 4);
    char err[512];
    set_state(&f, 0x1111, 0x22);
    ck_assert(snapshot_save(path_in(&f, "a.snap"), f.cpu, f.pc, 1, err, sizeof(err)));
    set_state(&f, 0x3333, 0x44);
    /* Cut the compressed file at several points, and the decompressed
     * content too (a well-formed gzip of too few bytes). */
    FILE *in = fopen(path_in(&f, "a.snap"), "rb");
    static uint8_t gz[1 << 20];
    size_t gzlen = fread(gz, 1, sizeof(gz), in);
    fclose(in);
    ck_assert_uint_gt(gzlen, 100);
    const size_t cuts[] = {0, 1, 9, 40, gzlen / 2, gzlen - 9, gzlen - 1};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        FILE *o = fopen(path_in(&f, "cut.snap"), "wb");
        fwrite(gz, 1, cuts[i], o);
        fclose(o);
        uint64_t now;
        err[0] = 0;
        ck_assert_msg(!snapshot_load(path_in(&f, "cut.snap"), f.cpu, f.pc, &now, err,
                                     sizeof(err)),
                      "a file cut at %zu bytes was accepted", cuts[i]);
        ck_assert_msg(strstr(err, "cut.snap") != NULL, "no file name in '%s'", err);
        assert_state(&f, 0x3333, 0x44);
    }
    size_t len;
    uint8_t *b = inflate_file(path_in(&f, "a.snap"), &len);
    deflate_file(path_in(&f, "short.snap"), b, len - 100);
    uint64_t now;
    ck_assert(!snapshot_load(path_in(&f, "short.snap"), f.cpu, f.pc, &now, err, sizeof(err)));
    ck_assert(strstr(err, "truncated") != NULL);
    /* Foreign: not a snapshot at all; another version. */
    deflate_file(path_in(&f, "text.snap"), (const uint8_t *)"hello, world\n", 13);
    ck_assert(!snapshot_load(path_in(&f, "text.snap"), f.cpu, f.pc, &now, err, sizeof(err)));
    ck_assert(strstr(err, "not a Kiln snapshot") != NULL);
    b[8] = 99;
    deflate_file(path_in(&f, "v99.snap"), b, len);
    ck_assert(!snapshot_load(path_in(&f, "v99.snap"), f.cpu, f.pc, &now, err, sizeof(err)));
    ck_assert(strstr(err, "version 99") != NULL);
    /* Version 1 files (before the storage sections) are old, not misread. */
    b[8] = 1;
    deflate_file(path_in(&f, "v1.snap"), b, len);
    ck_assert(!snapshot_load(path_in(&f, "v1.snap"), f.cpu, f.pc, &now, err, sizeof(err)));
    ck_assert(strstr(err, "version 1 snapshot") != NULL);
    ck_assert(!snapshot_load(path_in(&f, "none.snap"), f.cpu, f.pc, &now, err, sizeof(err)));
    ck_assert(strstr(err, "cannot open") != NULL);
    assert_state(&f, 0x3333, 0x44);
    free(b);
    fx_free(&f);
}
END_TEST

START_TEST(test_other_ram_size)
{
    struct fx f, g;
    fx_init(&f, 4);
    fx_init(&g, 8);
    char err[512];
    ck_assert(snapshot_save(path_in(&f, "a.snap"), f.cpu, f.pc, 1, err, sizeof(err)));
    uint64_t now;
    ck_assert(!snapshot_load(path_in(&f, "a.snap"), g.cpu, g.pc, &now, err, sizeof(err)));
    ck_assert_msg(strstr(err, "4 MiB") && strstr(err, "8 MiB"), "%s", err);
    fx_free(&g);
    fx_free(&f);
}
END_TEST

/* Poke a value into a section of a valid file; the load must be refused. */
static void assert_refused(struct fx *f, const char *tag, size_t off, const void *v, size_t n,
                           const char *what)
{
    char err[512];
    ck_assert(snapshot_save(path_in(f, "ok.snap"), f->cpu, f->pc, 1, err, sizeof(err)));
    size_t len;
    uint8_t *b = inflate_file(path_in(f, "ok.snap"), &len);
    memcpy(b + section(b, len, tag) + off, v, n);
    deflate_file(path_in(f, "bad.snap"), b, len);
    free(b);
    set_state(f, 0x7777, 0x66);
    uint64_t now;
    ck_assert(!snapshot_load(path_in(f, "bad.snap"), f->cpu, f->pc, &now, err, sizeof(err)));
    ck_assert_msg(strstr(err, what) != NULL, "'%s' lacks '%s'", err, what);
    assert_state(f, 0x7777, 0x66);
}

START_TEST(test_impossible_device_state)
{
    struct fx f;
    fx_init(&f, 4);
    /* DEVS holds the PIC, PIT, RTC, 8042, keyboard and mouse structs in that order. */
    size_t kbd = sizeof(struct pic) + sizeof(struct pit) + sizeof(struct rtc) + sizeof(struct kbc);
    int big = 100000;
    assert_refused(&f, "DEVS", kbd + offsetof(struct ps2kbd, q_head), &big, sizeof(big),
                   "impossible keyboard state");
    /* RAMP: a page map claiming one page more than the section holds. */
    bus_ram(f.pc->bus)[0x12345] = 0x66; /* page 12h is in the map... */
    uint8_t map_byte = 0xff;            /* ...and so, now, are pages 0-7 */
    assert_refused(&f, "RAMP", 0, &map_byte, 1, "page map that does not match");
    uint8_t idx = 0xc8;
    assert_refused(&f, "VGA ", offsetof(struct vga, crtc_index) - offsetof(struct vga, misc), &idx,
                   1, "impossible VGA state");
    fx_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("frontend_snapshot");
    TCase *tc = tcase_create("snapshot");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_truncated_and_foreign);
    tcase_add_test(tc, test_other_ram_size);
    tcase_add_test(tc, test_impossible_device_state);
    suite_add_tcase(s, tc);
    return check_run(s);
}
