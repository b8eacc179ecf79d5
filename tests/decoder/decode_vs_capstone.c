/* SPDX-License-Identifier: MIT */
/*
 * test_decoder_capstone: the decoder differential test. Random byte strings,
 * biased toward prefixes, the 0F map and the x87 escapes, are decoded in 16-
 * and 32-bit code by Kiln (Pentium II) and by Capstone 4. Every disagreement
 * must be explained by a rule of tests/vectors/capstone-allowlist; the test
 * fails on any that is not. Owns only its PRNG and counters; calls the
 * decoder through decode.h and never touches CPU state.
 * Usage: test_decoder_capstone ALLOWLIST COUNT-PER-MODE [SEED]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist.h"
#include "diff_check.h"
#include "ref_decode.h"

#define INSN_BYTES   16 /* one more than the 15-byte limit, so #GP(0) is reachable */
#define DEFAULT_SEED 0x4b494c4e2d444543ull /* "KILN-DEC" */
#define MAX_EXAMPLES 20

/* splitmix64: small, fast, and the same sequence on every host. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static const uint8_t prefixes[] = {0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26,
                                   0x2e, 0x36, 0x3e, 0x64, 0x65};

/*
 * Fill buf with random bytes, then bias the head: about half the strings get
 * prefixes (a few get long runs, to reach the length limit), about a third
 * start with the 0F escape and a tenth with an x87 escape, so that every map
 * is well covered.
 */
static void gen_bytes(uint64_t *s, uint8_t *buf)
{
    for (int i = 0; i < INSN_BYTES; i += 8) {
        uint64_t v = rng_next(s);
        for (int j = 0; j < 8; j++)
            buf[i + j] = (uint8_t)(v >> (8 * j));
    }
    uint64_t r = rng_next(s);
    unsigned roll = (unsigned)(r % 100);
    r /= 100;
    int npfx = roll < 50 ? 0 : roll < 75 ? 1 : roll < 88 ? 2 : roll < 95 ? 3 : 4 + (int)(r % 12);
    r /= 12;
    int k = 0;
    for (; k < npfx && k < INSN_BYTES; k++) {
        buf[k] = prefixes[r % sizeof(prefixes)];
        r /= sizeof(prefixes);
        if (!r) r = rng_next(s);
    }
    if (k >= INSN_BYTES) return;
    roll = (unsigned)(rng_next(s) % 100);
    if (roll < 35)
        buf[k] = 0x0f;
    else if (roll < 45)
        buf[k] = (uint8_t)(0xd8 + (roll & 7));
}

struct tally {
    unsigned long strings, agree, explained, unexplained;
    unsigned long kiln_status[4]; /* by enum decode_status */
    unsigned long cs_valid;
    unsigned long by_class[DIFF_CLASS_COUNT];
    unsigned long explained_by_class[DIFF_CLASS_COUNT];
    int examples;
};

static void print_example(int code_size, const uint8_t *buf, enum diff_class cls,
                          const struct diff_kiln *k, const struct ref_insn *r, const char *detail)
{
    printf("  UNEXPLAINED %-10s %2d-bit ", diff_class_name(cls), code_size * 8);
    for (int i = 0; i < INSN_BYTES; i++)
        printf("%02x", buf[i]);
    printf("\n      kiln: %s len %u", k->mnem, k->insn.len);
    printf(" | capstone: %s", r->valid ? r->text : "(invalid)");
    if (r->valid) printf(" len %u%s%s", r->len, r->ext ? " ext " : "", r->ext ? r->ext : "");
    printf("%s%s\n", detail[0] ? " | " : "", detail);
}

static void run_mode(int code_size, unsigned long count, uint64_t seed, struct ref_decoder *rd,
                     struct allowlist *al, struct tally *t)
{
    uint64_t s = seed ^ (uint64_t)code_size;
    uint8_t buf[INSN_BYTES];
    char detail[160];
    for (unsigned long n = 0; n < count; n++) {
        gen_bytes(&s, buf);
        struct diff_kiln k;
        struct ref_insn r;
        diff_kiln_decode(code_size, buf, INSN_BYTES, &k);
        ref_decode(rd, code_size, buf, INSN_BYTES, &r);
        enum diff_class cls =
            diff_compare(code_size, buf, INSN_BYTES, &k, &r, detail, sizeof(detail));
        t->strings++;
        t->kiln_status[k.status & 3]++;
        t->cs_valid += r.valid;
        t->by_class[cls]++;
        if (cls == DIFF_NONE) {
            t->agree++;
            continue;
        }
        struct allow_case c = {.cls = cls,
                               .code_size = code_size,
                               .bytes = buf,
                               .len = INSN_BYTES,
                               .cs_mnem = r.valid ? r.mnem : "",
                               .kiln_mnem = k.mnem,
                               .ext = r.ext};
        if (allowlist_match(al, &c) >= 0) {
            t->explained++;
            t->explained_by_class[cls]++;
            continue;
        }
        t->unexplained++;
        if (t->examples++ < MAX_EXAMPLES) print_example(code_size, buf, cls, &k, &r, detail);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s ALLOWLIST COUNT-PER-MODE [SEED]\n", argv[0]);
        return 2;
    }
    unsigned long count = strtoul(argv[2], NULL, 0);
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : DEFAULT_SEED;
    char err[256];
    struct allowlist *al = allowlist_load(argv[1], err, sizeof(err));
    if (!al) {
        fprintf(stderr, "test_decoder_capstone: allowlist: %s\n", err);
        return 2;
    }
    struct ref_decoder *rd = ref_open();
    if (!rd) {
        fprintf(stderr, "test_decoder_capstone: cannot open Capstone\n");
        allowlist_free(al);
        return 2;
    }
    char version[16];
    ref_version(version, sizeof(version));
    printf("decoder vs Capstone %s: %lu strings of %d bytes per mode, seed %#" PRIx64 "\n", version,
           count, INSN_BYTES, seed);
    struct tally t = {0};
    run_mode(2, count, seed, rd, al, &t);
    run_mode(4, count, seed, rd, al, &t);
    if (t.examples > MAX_EXAMPLES) printf("  ... %d more unexplained\n", t.examples - MAX_EXAMPLES);
    printf("Kiln: %lu decoded, %lu #UD, %lu too long; Capstone: %lu decoded\n",
           t.kiln_status[DEC_OK], t.kiln_status[DEC_UD], t.kiln_status[DEC_TOO_LONG], t.cs_valid);
    printf("disagreement classes (found / explained by the allowlist):\n");
    for (int c = 1; c < DIFF_CLASS_COUNT; c++)
        printf("  %-10s %9lu / %9lu\n", diff_class_name((enum diff_class)c), t.by_class[c],
               t.explained_by_class[c]);
    printf("allowlist rules (hits):\n");
    allowlist_report(al, stdout);
    printf("%lu strings: %lu agree, %lu explained, %lu unexplained\n", t.strings, t.agree,
           t.explained, t.unexplained);
    printf("%lu passed, %lu failed\n", t.agree + t.explained, t.unexplained);
    ref_close(rd);
    allowlist_free(al);
    return t.unexplained ? 1 : 0;
}
