/* SPDX-License-Identifier: MIT */
/*
 * Executable code buffers and generated code that runs: the W^X page states
 * (read from /proc/self/maps), functions emitted with the x64 encoder and
 * called from C (a loop with conditional branches and labels, calls to C
 * helpers near and far, every condition code, ALU and shift semantics at
 * each operand size), and patching of sealed code. Expected values come from
 * plain C computations and the SDM's definition of each condition.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "common/compiler.h"
#include "jit/codebuf.h"
#include "jit/x64_emit.h"

#if defined(__x86_64__) && defined(__linux__)

#define CB_SIZE (256 * 1024)

static struct codebuf *cb;
static size_t cb_used;

static uint64_t c_helper(uint64_t a, uint64_t b)
{
    return a * 3 + b;
}

static void setup(void)
{
    cb = codebuf_new(CB_SIZE, (const void *)(uintptr_t)c_helper);
    ck_assert_ptr_nonnull(cb);
    cb_used = 0;
}

static void teardown(void)
{
    codebuf_free(cb);
}

/* Open the next 'len' bytes of the buffer (16-aligned) for emitting. */
static void begin(struct x64_buf *b, size_t len)
{
    cb_used = (cb_used + 15) & ~(size_t)15;
    uint8_t *w = codebuf_open(cb, cb_used, len);
    ck_assert_ptr_nonnull(w);
    x64_buf_init(b, w, len, (uint64_t)(uintptr_t)(codebuf_base(cb) + cb_used));
}

/* Seal what 'b' holds and return the address of its first instruction. */
static const void *end(struct x64_buf *b)
{
    ck_assert_msg(x64_buf_finish(b) == X64_OK, "emit: %s", x64_error_name(b->err));
    ck_assert_int_eq(codebuf_seal(cb), 0);
    const void *fn = codebuf_base(cb) + cb_used;
    cb_used += b->pos;
    return fn;
}

static uint64_t call2(const void *code, uint64_t a, uint64_t b)
{
    uint64_t (*fn)(uint64_t, uint64_t);
    memcpy(&fn, &code, sizeof(fn));
    return fn(a, b);
}

/* The permissions /proc/self/maps gives the page holding 'addr' ("r-xp"...). */
static void perms_of(const void *addr, char out[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    strcpy(out, "none");
    while (fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && (uintptr_t)addr >= lo &&
            (uintptr_t)addr < hi) {
            strcpy(out, p);
            break;
        }
    }
    fclose(f);
}

static void assert_perms(const void *addr, const char *want)
{
    char got[5];
    perms_of(addr, got);
    ck_assert_msg(!strcmp(got, want), "page %p is %s, want %s", addr, got, want);
}

START_TEST(test_wx_states)
{
    uint8_t *base = codebuf_base(cb);
    ck_assert_uint_eq(codebuf_size(cb), CB_SIZE);
    assert_perms(base, "r-xp");
    ck_assert(!codebuf_is_open(cb));
    uint8_t *w = codebuf_open(cb, 100, 10);
    ck_assert_ptr_eq(w, base + 100);
    assert_perms(base, "rw-p");
    assert_perms(base + 8192, "r-xp"); /* only the pages of the range */
    ck_assert(codebuf_is_open(cb));
    w[0] = 0xc3;
    uint8_t *w2 = codebuf_open(cb, 3 * 4096 + 5, 4096); /* spans two pages */
    ck_assert_ptr_nonnull(w2);
    assert_perms(base + 3 * 4096, "rw-p");
    assert_perms(base + 4 * 4096, "rw-p");
    assert_perms(base + 5 * 4096, "r-xp");
    ck_assert_int_eq(codebuf_seal(cb), 0);
    for (int page = 0; page < 6; page++)
        assert_perms(base + page * 4096, "r-xp");
    ck_assert(!codebuf_is_open(cb));
    ck_assert_int_eq(codebuf_seal(cb), 0); /* nothing open: no-op */
    ck_assert_uint_eq(base[100], 0xc3);

    ck_assert_ptr_null(codebuf_open(cb, 0, 0));
    ck_assert_ptr_null(codebuf_open(cb, CB_SIZE, 1));
    ck_assert_ptr_null(codebuf_open(cb, 1, CB_SIZE));
    ck_assert_ptr_null(codebuf_open(cb, SIZE_MAX, 2));
    ck_assert_ptr_nonnull(codebuf_open(cb, CB_SIZE - 1, 1));
    ck_assert_int_eq(codebuf_seal(cb), 0);

    struct codebuf *small = codebuf_new(1, NULL);
    ck_assert_ptr_nonnull(small);
    ck_assert_uint_eq(codebuf_size(small), 4096);
    codebuf_free(small);
    ck_assert_ptr_null(codebuf_new(0, NULL));
    codebuf_free(NULL);

    /* Placed within reach of 'near', so rel32 calls reach the helper. */
    int64_t dist = (int64_t)((uintptr_t)base - (uintptr_t)c_helper);
    ck_assert_msg(dist > -(1ll << 31) + CB_SIZE && dist < (1ll << 31) - CB_SIZE,
                  "buffer %p is far from %p", (void *)base, (void *)(uintptr_t)c_helper);
}
END_TEST

static uint64_t collatz_ref(uint64_t n)
{
    uint64_t steps = 0;
    while (n > 1) {
        n = n & 1 ? 3 * n + 1 : n / 2;
        steps++;
    }
    return steps;
}

START_TEST(test_exec_loop)
{
    /* steps(n): the Collatz step count, with forward and backward labels. */
    struct x64_buf b;
    begin(&b, 256);
    struct x64_label top = x64_label_new(&b), done = x64_label_new(&b);
    struct x64_label even = x64_label_new(&b), next = x64_label_new(&b);
    x64_alu_rr(&b, X64_XOR, 4, X64_RAX, X64_RAX);
    x64_label_bind(&b, top);
    x64_alu_ri(&b, X64_CMP, 8, X64_RDI, 1);
    x64_jcc_label(&b, X64_CC_BE, done, X64_REL8);
    x64_test_ri(&b, 1, X64_RDI, 1); /* DIL: needs a REX prefix */
    x64_jcc_label(&b, X64_CC_E, even, X64_REL_AUTO);
    x64_lea(&b, 8, X64_RDI, x64_mem_sib(X64_RDI, X64_RDI, 2, 1));
    x64_jmp_label(&b, next, X64_REL_AUTO);
    x64_label_bind(&b, even);
    x64_shift_r1(&b, X64_SHR, 8, X64_RDI);
    x64_label_bind(&b, next);
    x64_unary_r(&b, X64_INC, 8, X64_RAX);
    x64_jmp_label(&b, top, X64_REL_AUTO);
    x64_label_bind(&b, done);
    x64_ret(&b);
    const void *fn = end(&b);
    ck_assert_uint_eq(call2(fn, 27, 0), 111); /* the well-known 27 */
    for (uint64_t n = 0; n < 2000; n++)
        ck_assert_uint_eq(call2(fn, n, 0), collatz_ref(n));
    ck_assert_uint_eq(call2(fn, 0x100000000ull, 0), 32);
}
END_TEST

START_TEST(test_exec_calls)
{
    /* f(a, b) = helper(a, b) + a = 4a + b, calling the helper three ways. */
    for (int way = 0; way < 3; way++) {
        struct x64_buf b;
        begin(&b, 64);
        x64_push_r(&b, 8, X64_RBX); /* also realigns the stack to 16 */
        x64_mov_rr(&b, 8, X64_RBX, X64_RDI);
        size_t call_at = b.pos;
        uint64_t target = (uint64_t)(uintptr_t)c_helper;
        if (way == 0) {
            x64_call_abs(&b, target, X64_R11);
            ck_assert_uint_eq(b.code[call_at], 0xe8); /* near: CALL rel32 */
        } else if (way == 1) {
            x64_mov_ri64(&b, X64_R11, target);
            x64_call_r(&b, X64_R11);
        } else { /* through a stack slot; SUB 16 keeps the alignment */
            x64_alu_ri(&b, X64_SUB, 8, X64_RSP, 16);
            x64_mov_ri64(&b, X64_R11, target);
            x64_mov_mr(&b, 8, x64_mem_base(X64_RSP, 0), X64_R11);
            x64_call_m(&b, x64_mem_base(X64_RSP, 0));
            x64_alu_ri(&b, X64_ADD, 8, X64_RSP, 16);
        }
        x64_alu_rr(&b, X64_ADD, 8, X64_RAX, X64_RBX);
        x64_pop_r(&b, 8, X64_RBX);
        x64_ret(&b);
        const void *fn = end(&b);
        ck_assert_uint_eq(call2(fn, 5, 7), 27);
        ck_assert_uint_eq(call2(fn, 0x100000000ull, 1), 0x400000001ull);
    }
}
END_TEST

static bool cond_ref(int cc, uint64_t a, uint64_t b)
{
    /* Flags of CMP a, b (SDM Vol. 1, 3.4.3) and the conditions of table B-1. */
    uint64_t r = a - b;
    bool cf = a < b, zf = r == 0, sf = r >> 63, of = ((a ^ b) & (a ^ r)) >> 63;
    bool pf = !(__builtin_popcount((unsigned)(r & 0xff)) & 1);
    bool v;
    switch (cc >> 1) {
    case 0: v = of; break;
    case 1: v = cf; break;
    case 2: v = zf; break;
    case 3: v = cf || zf; break;
    case 4: v = sf; break;
    case 5: v = pf; break;
    case 6: v = sf != of; break;
    default: v = zf || sf != of; break;
    }
    return (cc & 1) ? !v : v;
}

START_TEST(test_exec_conditions)
{
    static const uint64_t vals[] = {0,
                                    1,
                                    2,
                                    3,
                                    0xff,
                                    0x100,
                                    0x7fffffffffffffffull,
                                    0x8000000000000000ull,
                                    ~0ull,
                                    0xfffffffffffffffeull};
    for (int cc = 0; cc < 16; cc++) {
        struct x64_buf b;
        begin(&b, 64); /* Jcc: return 1 when taken */
        struct x64_label taken = x64_label_new(&b);
        x64_alu_rr(&b, X64_XOR, 4, X64_RAX, X64_RAX);
        x64_alu_rr(&b, X64_CMP, 8, X64_RDI, X64_RSI);
        x64_jcc_label(&b, (enum x64_cond)cc, taken, cc & 1 ? X64_REL32 : X64_REL8);
        x64_ret(&b);
        x64_label_bind(&b, taken);
        x64_mov_ri(&b, 4, X64_RAX, 1);
        x64_ret(&b);
        const void *jcc = end(&b);
        begin(&b, 64); /* SETcc and CMOVcc */
        x64_mov_ri(&b, 8, X64_RDX, 2);
        x64_alu_rr(&b, X64_XOR, 4, X64_RAX, X64_RAX);
        x64_alu_rr(&b, X64_CMP, 8, X64_RDI, X64_RSI);
        x64_setcc_r(&b, (enum x64_cond)cc, X64_RAX);
        x64_cmov_rr(&b, (enum x64_cond)cc, 8, X64_RAX, X64_RDX);
        x64_ret(&b);
        const void *set = end(&b);
        for (size_t i = 0; i < KILN_ARRAY_SIZE(vals); i++)
            for (size_t j = 0; j < KILN_ARRAY_SIZE(vals); j++) {
                bool want = cond_ref(cc, vals[i], vals[j]);
                ck_assert_msg(call2(jcc, vals[i], vals[j]) == want, "j%d %llx, %llx", cc,
                              (unsigned long long)vals[i], (unsigned long long)vals[j]);
                ck_assert_uint_eq(call2(set, vals[i], vals[j]), want ? 2 : 0);
            }
    }
}
END_TEST

/* a op b at 'size' bytes, merged into a as the hardware writes the register. */
static uint64_t alu_ref(int op, int size, uint64_t a, uint64_t b)
{
    uint64_t r;
    switch (op) {
    case X64_ADD:
    case X64_ADC: r = a + b; break; /* CF is clear: see below */
    case X64_OR: r = a | b; break;
    case X64_SBB:
    case X64_SUB: r = a - b; break;
    case X64_AND: r = a & b; break;
    case X64_XOR: r = a ^ b; break;
    default: return a; /* CMP writes nothing */
    }
    if (size == 8) return r;
    uint64_t mask = (1ull << (8 * size)) - 1;
    if (size == 4) return r & mask; /* 32-bit results zero-extend */
    return (a & ~mask) | (r & mask);
}

START_TEST(test_exec_alu)
{
    static const uint64_t vals[] = {
        0, 1, 0x7f, 0x80, 0xffff, 0x12345678abcdef01ull, 0x8000000000000000ull, ~0ull};
    static const int sizes[4] = {1, 2, 4, 8};
    for (int op = 0; op < 8; op++)
        for (int k = 0; k < 4; k++) {
            int s = sizes[k];
            struct x64_buf b;
            begin(&b, 64); /* in R10/R11, through memory, with CF cleared */
            x64_mov_rr(&b, 8, X64_R10, X64_RDI);
            x64_mov_mr(&b, 8, x64_mem_base(X64_RSP, -8), X64_RSI);
            x64_test_rr(&b, 4, X64_RAX, X64_RAX);
            x64_alu_rm(&b, op, s, X64_R10, x64_mem_base(X64_RSP, -8));
            x64_mov_rr(&b, 8, X64_R11, X64_RDI);
            x64_test_rr(&b, 4, X64_RAX, X64_RAX);
            x64_alu_rr(&b, op, s, X64_R11, X64_RSI);
            x64_alu_rr(&b, X64_SUB, 8, X64_R11, X64_R10); /* 0 when both agree */
            x64_mov_rr(&b, 8, X64_RAX, X64_R10);
            x64_cmov_rr(&b, X64_CC_NE, 8, X64_RAX, X64_R11);
            x64_ret(&b);
            const void *fn = end(&b);
            for (size_t i = 0; i < KILN_ARRAY_SIZE(vals); i++)
                for (size_t j = 0; j < KILN_ARRAY_SIZE(vals); j++)
                    ck_assert_msg(call2(fn, vals[i], vals[j]) == alu_ref(op, s, vals[i], vals[j]),
                                  "op %d size %d: %llx, %llx", op, s, (unsigned long long)vals[i],
                                  (unsigned long long)vals[j]);
        }
}
END_TEST

START_TEST(test_exec_shifts_and_extensions)
{
    static const uint64_t vals[] = {0, 1, 0x80, 0x8000, 0x80000001ull, 0xfedcba9876543210ull};
    struct x64_buf b;
    begin(&b, 64); /* (a << (b & 63)) ^ ((int64)a >> 7) ^ ror32(a, b) */
    x64_mov_rr(&b, 4, X64_RCX, X64_RSI);
    x64_mov_rr(&b, 8, X64_RAX, X64_RDI);
    x64_shift_rcl(&b, X64_SHL, 8, X64_RAX);
    x64_mov_rr(&b, 8, X64_RDX, X64_RDI);
    x64_shift_ri(&b, X64_SAR, 8, X64_RDX, 7);
    x64_alu_rr(&b, X64_XOR, 8, X64_RAX, X64_RDX);
    x64_mov_rr(&b, 4, X64_R9, X64_RDI);
    x64_shift_rcl(&b, X64_ROR, 4, X64_R9);
    x64_alu_rr(&b, X64_XOR, 8, X64_RAX, X64_R9);
    x64_ret(&b);
    const void *shifts = end(&b);
    begin(&b, 64); /* movsx(a.b[1]) + movzx(a.w[0]) + bswap32(a) + (ah) */
    x64_mov_rr(&b, 8, X64_RAX, X64_RDI);
    x64_movsx_rr(&b, 4, X64_RDX, 1, X64_AH); /* no REX with AH: 32-bit */
    x64_movzx_rr(&b, 4, X64_RCX, 2, X64_RDI);
    x64_alu_rr(&b, X64_ADD, 8, X64_RDX, X64_RCX);
    x64_mov_rr(&b, 4, X64_R8, X64_RDI);
    x64_bswap(&b, 4, X64_R8);
    x64_alu_rr(&b, X64_ADD, 8, X64_RDX, X64_R8);
    x64_mov_rr(&b, 8, X64_RAX, X64_RDX);
    x64_ret(&b);
    const void *ext = end(&b);
    for (size_t i = 0; i < KILN_ARRAY_SIZE(vals); i++)
        for (uint64_t n = 0; n < 70; n += 3) {
            uint64_t a = vals[i];
            uint32_t lo = (uint32_t)a, r = (uint32_t)(n & 31);
            uint32_t ror = r ? (lo >> r) | (lo << (32 - r)) : lo;
            uint64_t want = (a << (n & 63)) ^ (uint64_t)((int64_t)a >> 7) ^ ror;
            ck_assert_uint_eq(call2(shifts, a, n), want);
        }
    for (size_t i = 0; i < KILN_ARRAY_SIZE(vals); i++) {
        uint64_t a = vals[i];
        uint64_t want = (uint64_t)(uint32_t)(int32_t)(int8_t)(a >> 8) + (a & 0xffff) +
                        __builtin_bswap32((uint32_t)a);
        ck_assert_uint_eq(call2(ext, a, 0), want);
    }
}
END_TEST

START_TEST(test_patch_sealed_code)
{
    /* A block exit aimed at one successor, then re-chained to another. */
    struct x64_buf b;
    begin(&b, 16);
    x64_mov_ri(&b, 4, X64_RAX, 1);
    x64_ret(&b);
    const void *one = end(&b);
    begin(&b, 16);
    x64_mov_ri(&b, 4, X64_RAX, 2);
    x64_ret(&b);
    const void *two = end(&b);
    begin(&b, 16);
    x64_jmp_abs(&b, (uint64_t)(uintptr_t)one, X64_R11);
    ck_assert_uint_eq(b.pos, 5);
    const void *exit = end(&b);
    ck_assert_uint_eq(call2(exit, 0, 0), 1);
    size_t field = (size_t)((const uint8_t *)exit - codebuf_base(cb)) + 1;
    uint8_t *w = codebuf_open(cb, field, 4);
    ck_assert_ptr_nonnull(w);
    ck_assert(x64_patch_rel32(w, (uint64_t)(uintptr_t)(codebuf_base(cb) + field),
                              (uint64_t)(uintptr_t)two));
    ck_assert_int_eq(codebuf_seal(cb), 0);
    assert_perms(exit, "r-xp");
    ck_assert_uint_eq(call2(exit, 0, 0), 2);
}
END_TEST

#else /* no x86-64 Linux host */

START_TEST(test_refused)
{
    ck_assert_ptr_null(codebuf_new(4096, NULL));
}
END_TEST

#endif

int main(void)
{
    Suite *s = suite_create("jit_codebuf");
    TCase *tc = tcase_create("exec");
    tcase_set_timeout(tc, 60);
#if defined(__x86_64__) && defined(__linux__)
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_wx_states);
    tcase_add_test(tc, test_exec_loop);
    tcase_add_test(tc, test_exec_calls);
    tcase_add_test(tc, test_exec_conditions);
    tcase_add_test(tc, test_exec_alu);
    tcase_add_test(tc, test_exec_shifts_and_extensions);
    tcase_add_test(tc, test_patch_sealed_code);
#else
    tcase_add_test(tc, test_refused);
#endif
    suite_add_tcase(s, tc);
    return check_run(s);
}
