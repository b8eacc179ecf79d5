/* SPDX-License-Identifier: MIT */
/*
 * Parser cross-check for the vector runner: the 8086 set ships its first
 * opcode file in both formats, so the MOO reader and the JSON reader must
 * yield the same 500 tests. Also feeds both parsers truncated, corrupted and
 * malformed input, which must give an error message, never a crash.
 * Touches only moo.c and json.c; the data comes from KILN_TESTDATA_DIR.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "moo.h"

#define SET_8086 KILN_TESTDATA_DIR "/singlesteptests-8086"

enum { CROSS_TESTS = 500 };

struct blob {
    uint8_t *buf;
    size_t len, cap;
};

static void load(struct blob *b, const char *path)
{
    char err[300];
    memset(b, 0, sizeof(*b));
    int rc = moo_load_file(path, &b->buf, &b->len, &b->cap, err, sizeof(err));
    ck_assert_msg(rc == 0, "%s", err);
}

static void assert_same_state(const struct moo_state *a, const struct moo_state *b,
                              const char *what, unsigned i)
{
    ck_assert_msg(a->present == b->present, "test %u %s: register sets differ", i, what);
    for (int r = 0; r < MOO_REG_COUNT; r++)
        if (a->present >> r & 1)
            ck_assert_msg(a->regs[r] == b->regs[r], "test %u %s.%s: %04x vs %04x", i, what,
                          moo_reg_names[r], a->regs[r], b->regs[r]);
    ck_assert_msg(a->ram_count == b->ram_count, "test %u %s: %zu vs %zu RAM entries", i, what,
                  a->ram_count, b->ram_count);
    for (size_t k = 0; k < a->ram_count; k++) {
        ck_assert_uint_eq(a->ram[k].addr, b->ram[k].addr);
        ck_assert_uint_eq(a->ram[k].val, b->ram[k].val);
    }
}

START_TEST(test_moo_and_json_agree)
{
    struct blob mb, jb;
    load(&mb, SET_8086 "/v1_binary/00.MOO.gz");
    load(&jb, SET_8086 "/v1/00.json.gz");
    struct moo_file mf;
    struct json_tests jt;
    ck_assert_msg(moo_open(&mf, mb.buf, mb.len) == 0, "%s", mf.err);
    ck_assert_str_eq(mf.cpu_id, "8086");
    ck_assert_uint_eq(mf.test_count, CROSS_TESTS);
    ck_assert_msg(json_tests_open(&jt, (const char *)jb.buf, jb.len) == 0, "%s", jt.err);
    struct moo_test a, b;
    moo_test_init(&a);
    moo_test_init(&b);
    for (unsigned i = 0; i < CROSS_TESTS; i++) {
        ck_assert_msg(moo_next(&mf, &a) == 1, "MOO test %u: %s", i, mf.err);
        ck_assert_msg(json_tests_next(&jt, &b) == 1, "JSON test %u: %s", i, jt.err);
        ck_assert_uint_eq(b.index, i);
        ck_assert_str_eq(a.name, b.name);
        ck_assert_uint_eq(a.bytes_len, b.bytes_len);
        ck_assert_mem_eq(a.bytes, b.bytes, a.bytes_len);
        assert_same_state(&a.init, &b.init, "initial", i);
        assert_same_state(&a.final, &b.final, "final", i);
        ck_assert_uint_eq(a.init.present, (1u << MOO_REG_COUNT) - 1);
    }
    /* The MOO file holds exactly those 500; the JSON file goes on to 2,000. */
    ck_assert_msg(moo_next(&mf, &a) == 0, "%s", mf.err);
    unsigned more = 0;
    int rc;
    while ((rc = json_tests_next(&jt, &b)) == 1)
        more++;
    ck_assert_msg(rc == 0, "%s", jt.err);
    ck_assert_uint_eq(more, 1500);
    moo_test_free(&a);
    moo_test_free(&b);
    json_tests_close(&jt);
    free(mb.buf);
    free(jb.buf);
}
END_TEST

/* Read every test of buf[0..len); returns the final moo_next/moo_open code. */
static int read_all(const uint8_t *buf, size_t len, struct moo_file *mf)
{
    struct moo_test t;
    moo_test_init(&t);
    int rc = moo_open(mf, buf, len);
    if (rc == 0)
        while ((rc = moo_next(mf, &t)) == 1)
            ;
    moo_test_free(&t);
    return rc;
}

START_TEST(test_moo_rejects_truncated)
{
    struct blob b;
    struct moo_file mf;
    load(&b, SET_8086 "/v1_binary/00.MOO.gz");
    ck_assert_msg(read_all(b.buf, b.len, &mf) == 0, "%s", mf.err);
    size_t cuts[] = {0, 3, 8, 19, 20, 27, 100, 1000, b.len / 2, b.len - 20, b.len - 1};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        /* A copy of exactly 'cut' bytes, so that ASan sees any overread. */
        uint8_t *copy = malloc(cuts[i] ? cuts[i] : 1);
        ck_assert_ptr_nonnull(copy);
        memcpy(copy, b.buf, cuts[i]);
        int rc = read_all(copy, cuts[i], &mf);
        ck_assert_msg(rc == -1, "cut at %zu accepted", cuts[i]);
        ck_assert_msg(mf.err[0], "cut at %zu: no message", cuts[i]);
        free(copy);
    }
    free(b.buf);
}
END_TEST

START_TEST(test_moo_rejects_corrupt)
{
    struct blob b;
    struct moo_file mf;
    load(&b, SET_8086 "/v1_binary/00.MOO.gz");
    /* Header (8 + 12 bytes), then the first TEST chunk: index, then NAME. */
    ck_assert_mem_eq(b.buf + 20, "TEST", 4);
    ck_assert_mem_eq(b.buf + 32, "NAME", 4);
    uint8_t save[4];
    memcpy(save, b.buf + 36, 4);
    memset(b.buf + 36, 0xff, 4); /* NAME length beyond the TEST chunk */
    ck_assert_int_eq(read_all(b.buf, b.len, &mf), -1);
    memcpy(b.buf + 36, save, 4);
    memset(b.buf + 24, 0xff, 4); /* TEST length beyond the file */
    ck_assert_int_eq(read_all(b.buf, b.len, &mf), -1);
    ck_assert_int_eq(read_all((const uint8_t *)"garbage that is not MOO", 23, &mf), -1);
    free(b.buf);
}
END_TEST

START_TEST(test_json_parses_and_rejects)
{
    struct json_arena a;
    char err[200];
    json_arena_init(&a);
    const char *good = " {\"s\": \"a\\u00e9\\n\\ud83d\\ude00\", \"n\": [0, -1.5e2, 65535], "
                       "\"t\": true, \"z\": null} ";
    const struct json_value *v = json_parse(&a, good, strlen(good), err, sizeof(err));
    ck_assert_msg(v != NULL, "%s", err);
    const struct json_value *s = json_get(v, "s"), *n = json_get(v, "n");
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->str_len, 8);
    ck_assert_mem_eq(s->str, "a\xc3\xa9\n\xf0\x9f\x98\x80", 8);
    ck_assert_uint_eq(n->count, 3);
    ck_assert(n->child->next->num == -150.0);
    uint32_t u;
    ck_assert(json_uint(n->child->next->next, 0xffff, &u) && u == 65535);
    ck_assert(!json_uint(n->child->next, 0xffff, &u));
    ck_assert_int_eq(json_get(v, "t")->type, JSON_TRUE);

    const char *bad[] = {"", "[", "[1,]", "{\"a\":}", "{\"a\" 1}", "\"\\u12\"", "\"abc",
                         "01", "1.", "-", "[1] x", "tru", "\"\\ud800\"", "{1:2}", "\"\x01\""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_arena_reset(&a);
        err[0] = 0;
        ck_assert_msg(!json_parse(&a, bad[i], strlen(bad[i]), err, sizeof(err)),
                      "accepted '%s'", bad[i]);
        ck_assert_msg(err[0], "no message for '%s'", bad[i]);
    }
    char deep[5000];
    memset(deep, '[', sizeof(deep));
    ck_assert(!json_parse(&a, deep, sizeof(deep), err, sizeof(err)));
    json_arena_free(&a);

    const char *tests[] = {"[{}]", "{}", "[{\"name\":\"x\",\"bytes\":[256]}]", "[1]",
                           ("[{\"name\":\"x\",\"bytes\":[],\"initial\":{\"regs\":{},\"ram\":[]},"
                            "\"final\":{\"regs\":{},\"ram\":[]}}]")};
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        struct json_tests jt;
        struct moo_test t;
        moo_test_init(&t);
        int rc = json_tests_open(&jt, tests[i], strlen(tests[i]));
        if (rc == 0)
            rc = json_tests_next(&jt, &t);
        ck_assert_msg(rc == -1 && jt.err[0], "accepted test file '%s'", tests[i]);
        json_tests_close(&jt);
        moo_test_free(&t);
    }
}
END_TEST

START_TEST(test_metadata_masks)
{
    struct json_meta m;
    struct json_flag_masks fm;
    char err[300];
    json_meta_init(&m);
    /* The MOO directory has no metadata.json of its own: found in ../v1/. */
    ck_assert_msg(json_meta_load(&m, SET_8086 "/v1_binary", err, sizeof(err)) == 0, "%s", err);
    json_meta_file_masks(&m, "F6.6.MOO.gz", &fm);
    ck_assert(!fm.per_reg);
    ck_assert_uint_eq(fm.mask, 63274);
    json_meta_file_masks(&m, "D4.MOO.gz", &fm);
    ck_assert_uint_eq(fm.mask, 63470);
    json_meta_file_masks(&m, "00.json.gz", &fm);
    ck_assert_uint_eq(fm.mask, 0xffff);
    json_meta_file_masks(&m, "D0.MOO.gz", &fm); /* a group file without its reg */
    ck_assert(fm.per_reg);
    ck_assert_uint_eq(fm.reg_mask[6], 63274);
    const uint8_t sal[] = {0x26, 0xd0, 0xf0}; /* ES: D0 /6, picked by the ModRM reg */
    ck_assert_uint_eq(json_flag_mask_of(&fm, sal, sizeof(sal)), 63274);
    ck_assert_uint_eq(json_flag_mask_of(&fm, sal, 2), 0xffff);
    json_meta_free(&m);
}
END_TEST

static Suite *vectors_suite(void)
{
    Suite *s = suite_create("vectors_moo");
    TCase *tc = tcase_create("parsers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_moo_and_json_agree);
    tcase_add_test(tc, test_moo_rejects_truncated);
    tcase_add_test(tc, test_moo_rejects_corrupt);
    tcase_add_test(tc, test_json_parses_and_rejects);
    tcase_add_test(tc, test_metadata_masks);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(vectors_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
