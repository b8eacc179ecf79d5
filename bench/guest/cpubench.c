// SPDX-License-Identifier: MIT
/*
 * cpubench: Kiln's CPU-bound guest benchmark. Four deterministic sections
 * (integer ALU work, memory traffic, function calls, x87 double arithmetic)
 * each print a checksum, so an emulator that computes a wrong result shows
 * it in the output instead of just running faster. Built as a static 32-bit
 * program (gcc -m32 -static -O2 -mfpmath=387) and run both inside the guest
 * and natively on the host; the times it prints come from the clock of
 * whatever runs it (the host harness measures wall time from serial markers).
 * Only +, -, *, / and sqrt are used on doubles: IEEE defines them exactly,
 * so every correct x87 gives the same bits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MEM_WORDS (1u << 19) /* 2 MiB: larger than most host L2 caches */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* Integer section: shifts, rotates, multiplies, divides and data-dependent
 * branches, the bread and butter of compiled code and of the flags logic. */
static uint32_t bench_int(void)
{
    uint32_t state = 0x12345678u, acc = 0, i;
    for (i = 0; i < 6000000u; i++) {
        uint32_t x = xorshift32(&state);
        uint32_t r = (x << 7) | (x >> 25);
        acc += r * 2654435761u;
        if (x & 0x100)
            acc ^= x / ((i & 0xff) + 1);
        else
            acc -= (uint32_t)((int32_t)x % 1000003);
        acc = (acc >> 3) + (acc << 29) + (uint32_t)__builtin_popcount(x);
    }
    return acc;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Memory section: streaming fills and copies, a pointer chase over a random
 * cycle (TLB and cache misses) and a qsort (loads, stores, indirect calls). */
static uint32_t bench_mem(void)
{
    uint32_t *a = malloc(MEM_WORDS * sizeof *a);
    uint32_t *b = malloc(MEM_WORDS * sizeof *b);
    uint32_t state = 0x9e3779b9u, acc = 0, i, p;
    if (!a || !b) {
        fprintf(stderr, "cpubench: out of memory\n");
        exit(1);
    }
    for (i = 0; i < MEM_WORDS; i++)
        a[i] = i;
    /* Sattolo's shuffle: one cycle through every slot. */
    for (i = MEM_WORDS - 1; i > 0; i--) {
        uint32_t j = xorshift32(&state) % i, t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
    for (p = 0, i = 0; i < 1500000u; i++) {
        p = a[p];
        acc += p;
    }
    memcpy(b, a, MEM_WORDS * sizeof *a);
    for (i = 0; i < 131072u; i++)
        b[i] = xorshift32(&state);
    qsort(b, 131072u, sizeof *b, cmp_u32);
    for (i = 0; i < 131072u; i += 97)
        acc = acc * 31u + b[i];
    free(a);
    free(b);
    return acc;
}

/* Calls section: deep recursion, calls through pointers and a small
 * interpreter loop, which exercise CALL/RET and indirect-jump prediction. */
static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ (b << 1); }
static uint32_t op_mul(uint32_t a, uint32_t b) { return a * (b | 1); }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - (b >> 2); }

static uint32_t bench_calls(void)
{
    static uint32_t (*const ops[4])(uint32_t, uint32_t) = {op_add, op_xor, op_mul, op_sub};
    /* volatile so the compiler cannot fold the recursion into a loop. */
    volatile uint32_t depth = 28;
    uint32_t acc = fib(depth), state = 7, i;
    for (i = 0; i < 2000000u; i++) {
        uint32_t x = xorshift32(&state);
        acc = ops[x & 3](acc, x);
    }
    return acc;
}

/* x87 section: Mandelbrot iterations, a Newton square root against the
 * FSQRT instruction and a harmonic-like sum with divisions. */
static uint32_t fold_double(uint32_t acc, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return acc * 16777619u ^ (uint32_t)bits ^ (uint32_t)(bits >> 32);
}

static uint32_t bench_x87(void)
{
    uint32_t acc = 2166136261u, inside = 0;
    double sum = 0.0;
    int px, py, k, i;
    for (py = 0; py < 240; py++) {
        for (px = 0; px < 320; px++) {
            double cr = -2.2 + px * (3.2 / 320.0), ci = -1.2 + py * (2.4 / 240.0);
            double zr = 0.0, zi = 0.0;
            for (k = 0; k < 128 && zr * zr + zi * zi <= 4.0; k++) {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
            }
            inside += (uint32_t)k;
            sum += zr * 0.5 - zi * 0.25;
        }
    }
    acc = fold_double(acc, sum);
    for (i = 1; i <= 1000000; i++) {
        double x = (double)i * 1.37, g = x * 0.5;
        for (k = 0; k < 4; k++)
            g = 0.5 * (g + x / g);
        sum += g - __builtin_sqrt(x);
        sum += 1.0 / ((double)i * (double)i + 0.5);
    }
    acc = fold_double(acc, sum);
    return acc ^ inside;
}

int main(void)
{
    static const char *const names[4] = {"int", "mem", "calls", "x87"};
    uint32_t (*const fns[4])(void) = {bench_int, bench_mem, bench_calls, bench_x87};
    uint32_t total = 0;
    double t0 = now_s();
    int s;
    setvbuf(stdout, NULL, _IONBF, 0);
    for (s = 0; s < 4; s++) {
        double t = now_s();
        uint32_t sum = fns[s]();
        printf("CPUBENCH %s checksum=%08x time=%.3f\n", names[s], sum, now_s() - t);
        total = total * 33u ^ sum;
    }
    printf("CPUBENCH total checksum=%08x time=%.3f\n", total, now_s() - t0);
    return 0;
}
