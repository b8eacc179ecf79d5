/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of raw-image block devices: reads of the file, write-through,
 * read-only opens that never touch the file (bytes and mtime compared),
 * the snapshot overlay (read-back across pages, sparse growth, a partial
 * last page), range checks, host-refused writes, and open errors. Images
 * live in a mkdtemp() directory, never in the source tree.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "devices/blockdev.h"

struct img {
    char dir[64];
    char path[96];
    uint64_t size;
};

/* The byte the image holds at 'off': varied so misplaced reads show. */
static uint8_t pattern(uint64_t off)
{
    return (uint8_t)(off * 131u + (off >> 9) * 7u + 3u);
}

/* Create an image of 'size' pattern bytes with an old mtime, in a fresh temp dir. */
static void img_make(struct img *m, uint64_t size)
{
    strcpy(m->dir, "/tmp/kiln-bdXXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(m->dir));
    snprintf(m->path, sizeof(m->path), "%s/imgXXXXXX", m->dir);
    int fd = mkstemp(m->path);
    ck_assert_int_ge(fd, 0);
    uint8_t *buf = malloc(size ? size : 1);
    ck_assert_ptr_nonnull(buf);
    for (uint64_t i = 0; i < size; i++)
        buf[i] = pattern(i);
    ck_assert_int_eq(write(fd, buf, size), (ssize_t)size);
    free(buf);
    /* An mtime far in the past, so any write would visibly change it. */
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
    ck_assert_int_eq(futimens(fd, ts), 0);
    close(fd);
    m->size = size;
}

static void img_remove(struct img *m)
{
    unlink(m->path);
    rmdir(m->dir);
}

/* True when the file still holds exactly the pattern and the old mtime. */
static bool img_untouched(const struct img *m)
{
    struct stat st;
    if (stat(m->path, &st) != 0 || (uint64_t)st.st_size != m->size ||
        st.st_mtim.tv_sec != 1000000000 || st.st_mtim.tv_nsec != 0)
        return false;
    FILE *fp = fopen(m->path, "rb");
    if (!fp) return false;
    bool same = true;
    for (uint64_t i = 0; i < m->size && same; i++)
        same = fgetc(fp) == pattern(i);
    fclose(fp);
    return same;
}

START_TEST(test_read_file)
{
    struct img m;
    img_make(&m, 10000);
    char err[128];
    struct blockdev *b = blockdev_open(m.path, true, false, err, sizeof(err));
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(blockdev_size(b), 10000);
    uint8_t buf[5000];
    ck_assert(blockdev_read(b, 4000, buf, sizeof(buf)));
    for (size_t i = 0; i < sizeof(buf); i++)
        ck_assert_uint_eq(buf[i], pattern(4000 + i));
    blockdev_close(b);
    img_remove(&m);
}
END_TEST

START_TEST(test_read_only_rejects_writes)
{
    struct img m;
    img_make(&m, 8192);
    struct blockdev *b = blockdev_open(m.path, true, false, NULL, 0);
    ck_assert_ptr_nonnull(b);
    ck_assert(blockdev_read_only(b));
    uint8_t buf[512];
    memset(buf, 0xaa, sizeof(buf));
    ck_assert(!blockdev_write(b, 0, buf, sizeof(buf)));
    ck_assert(blockdev_read(b, 0, buf, sizeof(buf)));
    ck_assert_uint_eq(buf[0], pattern(0));
    ck_assert_uint_eq(buf[511], pattern(511));
    blockdev_close(b);
    ck_assert(img_untouched(&m));
    img_remove(&m);
}
END_TEST

/* Writes with 'snapshot' read back from the overlay and leave the file alone. */
static void snapshot_case(bool read_only)
{
    struct img m;
    img_make(&m, 3 * 4096 + 1000); /* the last page is partial */
    struct blockdev *b = blockdev_open(m.path, read_only, true, NULL, 0);
    ck_assert_ptr_nonnull(b);
    ck_assert(!blockdev_read_only(b));
    uint8_t w[6000];
    for (size_t i = 0; i < sizeof(w); i++)
        w[i] = (uint8_t)(0xff - i);
    /* Across a page boundary, and the image's last 10 bytes. */
    ck_assert(blockdev_write(b, 3000, w, sizeof(w)));
    ck_assert(blockdev_write(b, m.size - 10, w, 10));
    uint8_t r[3 * 4096 + 1000];
    ck_assert(blockdev_read(b, 0, r, sizeof(r)));
    for (uint64_t i = 0; i < m.size; i++) {
        uint8_t want = pattern(i);
        if (i >= 3000 && i < 3000 + sizeof(w)) want = w[i - 3000];
        if (i >= m.size - 10) want = w[i - (m.size - 10)];
        ck_assert_msg(r[i] == want, "byte %llu: %02x, want %02x", (unsigned long long)i, r[i],
                      want);
    }
    blockdev_close(b);
    ck_assert(img_untouched(&m));
    img_remove(&m);
}

START_TEST(test_snapshot_read_only_file)
{
    snapshot_case(true);
}
END_TEST

START_TEST(test_snapshot_writable_file)
{
    snapshot_case(false);
}
END_TEST

/* Hundreds of scattered pages: the overlay's table grows and keeps every page. */
START_TEST(test_snapshot_many_pages)
{
    struct img m;
    img_make(&m, 2 * 1024 * 1024);
    struct blockdev *b = blockdev_open(m.path, true, true, NULL, 0);
    ck_assert_ptr_nonnull(b);
    for (uint64_t p = 0; p < 512; p += 1) {
        uint64_t off = ((p * 37) % 512) * 4096 + (p % 7) * 100;
        uint8_t v[3] = {(uint8_t)p, (uint8_t)(p >> 8), 0x5a};
        ck_assert(blockdev_write(b, off, v, sizeof(v)));
    }
    for (uint64_t p = 0; p < 512; p += 1) {
        uint64_t off = ((p * 37) % 512) * 4096 + (p % 7) * 100;
        uint8_t v[5];
        ck_assert(blockdev_read(b, off - (off ? 1 : 0), v, sizeof(v)));
        const uint8_t *at = off ? v + 1 : v;
        ck_assert_uint_eq(at[0], (uint8_t)p);
        ck_assert_uint_eq(at[1], (uint8_t)(p >> 8));
        ck_assert_uint_eq(at[2], 0x5a);
        ck_assert_uint_eq(at[3], pattern(off + 3)); /* untouched bytes come from the file */
    }
    blockdev_close(b);
    ck_assert(img_untouched(&m));
    img_remove(&m);
}
END_TEST

/* A machine snapshot's view of the overlay: what one process wrote, saved as
 * records and loaded into a second blockdev on the same file, reads back the
 * same; loading replaces an overlay the second one had; a record naming a
 * page past the image is refused by the check. */
START_TEST(test_overlay_records)
{
    struct img m;
    img_make(&m, 5 * 4096 + 300);
    struct blockdev *a = blockdev_open(m.path, true, true, NULL, 0);
    struct blockdev *b = blockdev_open(m.path, true, true, NULL, 0);
    struct blockdev *plain = blockdev_open(m.path, true, false, NULL, 0);
    ck_assert(a && b && plain);
    ck_assert(blockdev_has_overlay(a));
    ck_assert(!blockdev_has_overlay(plain));
    uint8_t w[5000];
    memset(w, 0xa5, sizeof(w));
    ck_assert(blockdev_write(a, 4000, w, sizeof(w))); /* pages 0, 1 and 2 */
    ck_assert(blockdev_write(a, 5 * 4096 + 290, w, 10)); /* the partial last page */
    ck_assert_uint_eq(blockdev_overlay_pages(a), 4);
    uint8_t junk = 0x11;
    ck_assert(blockdev_write(b, 4 * 4096, &junk, 1)); /* replaced by the load below */
    size_t n = blockdev_overlay_pages(a);
    uint8_t *rec = malloc(n * BLOCKDEV_OVERLAY_RECORD);
    ck_assert_ptr_nonnull(rec);
    blockdev_overlay_save(a, rec);
    ck_assert(blockdev_overlay_check(b, rec, n));
    ck_assert(blockdev_overlay_load(b, rec, n));
    ck_assert_uint_eq(blockdev_overlay_pages(b), 4);
    uint8_t r[5 * 4096 + 300];
    ck_assert(blockdev_read(b, 0, r, sizeof(r)));
    for (uint64_t i = 0; i < m.size; i++) {
        bool written = (i >= 4000 && i < 9000) || i >= 5 * 4096 + 290;
        ck_assert_msg(r[i] == (written ? 0xa5 : pattern(i)), "byte %llu", (unsigned long long)i);
    }
    /* Page 6 starts past the end of a 5-page-and-a-bit image. */
    rec[0] = 6;
    for (int k = 1; k < 8; k++) rec[k] = 0;
    ck_assert(!blockdev_overlay_check(b, rec, 1));
    rec[0] = 5;
    ck_assert(blockdev_overlay_check(b, rec, 1));
    free(rec);
    blockdev_close(a);
    blockdev_close(b);
    blockdev_close(plain);
    ck_assert(img_untouched(&m));
    img_remove(&m);
}
END_TEST

START_TEST(test_write_through)
{
    struct img m;
    img_make(&m, 4096);
    struct blockdev *b = blockdev_open(m.path, false, false, NULL, 0);
    ck_assert_ptr_nonnull(b);
    ck_assert(!blockdev_read_only(b));
    const uint8_t v[4] = {1, 2, 3, 4};
    ck_assert(blockdev_write(b, 4092, v, 4));
    blockdev_close(b);
    FILE *fp = fopen(m.path, "rb");
    ck_assert_ptr_nonnull(fp);
    uint8_t all[4096];
    ck_assert_uint_eq(fread(all, 1, sizeof(all), fp), 4096);
    fclose(fp);
    ck_assert_uint_eq(all[4091], pattern(4091));
    ck_assert_mem_eq(all + 4092, v, 4);
    img_remove(&m);
}
END_TEST

START_TEST(test_out_of_range)
{
    struct img m;
    img_make(&m, 4096);
    struct blockdev *b = blockdev_open(m.path, false, true, NULL, 0);
    ck_assert_ptr_nonnull(b);
    uint8_t buf[16] = {0};
    ck_assert(!blockdev_read(b, 4095, buf, 2));
    ck_assert(!blockdev_write(b, 4095, buf, 2));
    ck_assert(!blockdev_read(b, 4097, buf, 0));
    ck_assert(!blockdev_read(b, UINT64_MAX, buf, 1));
    ck_assert(!blockdev_write(b, UINT64_MAX - 3, buf, 8)); /* off + len wraps */
    ck_assert(!blockdev_read(b, 8, buf, SIZE_MAX));
    ck_assert(blockdev_read(b, 4096, buf, 0));
    ck_assert(blockdev_read(b, 4095, buf, 1));
    ck_assert_uint_eq(buf[0], pattern(4095));
    blockdev_close(b);
    ck_assert(img_untouched(&m));
    img_remove(&m);
}
END_TEST

START_TEST(test_open_errors)
{
    char err[256] = "";
    ck_assert_ptr_null(blockdev_open("/nonexistent/kiln/image.img", true, false, err, sizeof(err)));
    ck_assert(strstr(err, "/nonexistent/kiln/image.img") != NULL);
    struct img m;
    img_make(&m, 512);
    err[0] = 0;
    ck_assert_ptr_null(blockdev_open(m.dir, true, false, err, sizeof(err)));
    ck_assert(err[0] != 0);
    img_remove(&m);
}
END_TEST

/* The check that runs as an unprivileged user: 0 when all held, else the failing step. */
static int unwritable_checks(const char *path)
{
    struct blockdev *b = blockdev_open(path, false, false, NULL, 0);
    if (!b) return 1;
    uint8_t v = 0x77, r = 0;
    if (!blockdev_read_only(b) || blockdev_write(b, 0, &v, 1)) return 2;
    blockdev_close(b);
    b = blockdev_open(path, false, true, NULL, 0);
    if (!b || blockdev_read_only(b) || !blockdev_write(b, 0, &v, 1) ||
        !blockdev_read(b, 0, &r, 1) || r != 0x77)
        return 3;
    blockdev_close(b);
    return 0;
}

/* A file the host will not let us write opens read-only; writes need snapshot. */
START_TEST(test_host_unwritable_file)
{
    struct img m;
    img_make(&m, 1024);
    ck_assert_int_eq(chmod(m.path, 0444), 0);
    ck_assert_int_eq(chmod(m.dir, 0755), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        /* As root, permission bits do not stop O_RDWR: become 'nobody' first. */
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(10);
        _exit(unwritable_checks(m.path));
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert(img_untouched(&m));
    img_remove(&m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_blockdev");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_read_file);
    tcase_add_test(tc, test_read_only_rejects_writes);
    tcase_add_test(tc, test_snapshot_read_only_file);
    tcase_add_test(tc, test_snapshot_writable_file);
    tcase_add_test(tc, test_snapshot_many_pages);
    tcase_add_test(tc, test_overlay_records);
    tcase_add_test(tc, test_write_through);
    tcase_add_test(tc, test_out_of_range);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_host_unwritable_file);
    suite_add_tcase(s, tc);
    return check_run(s);
}
