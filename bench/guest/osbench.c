// SPDX-License-Identifier: MIT
/*
 * osbench: Kiln's OS-heavy guest benchmark. Four sections exercise the
 * paths where an emulator spends its time on system work rather than user
 * code: fork+exec+wait of a tiny static program, page faults on freshly
 * mapped anonymous memory, mmap/munmap cycles, and a one-byte ping-pong
 * over pipes between two processes (every round trip is two context
 * switches, hence two CR3 loads). Each section prints a checksum built from
 * what it observed, so a wrong emulation shows.
 * Usage: osbench PATH-OF-NOP   (built with gcc -m32 -static -O2)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FORK_EXEC_COUNT 200
#define FAULT_ROUNDS 8
#define FAULT_BYTES (8u << 20)
#define MMAP_CYCLES 4000
#define PINGPONG_ROUNDS 5000
#define PAGE 4096u

static const char *nop_path;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* fork, exec nop, wait: sums the exit statuses plus one per child reaped. */
static uint32_t bench_fork_exec(void)
{
    uint32_t acc = 0;
    int i, status;
    for (i = 0; i < FORK_EXEC_COUNT; i++) {
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            execl(nop_path, nop_path, (char *)NULL);
            _exit(127);
        }
        if (waitpid(pid, &status, 0) != pid)
            die("waitpid");
        acc += 1 + (uint32_t)status;
    }
    return acc;
}

/* Touch every page of a fresh 8 MiB mapping: one demand-zero fault each. */
static uint32_t bench_faults(void)
{
    uint32_t acc = 0, off;
    int r;
    for (r = 0; r < FAULT_ROUNDS; r++) {
        unsigned char *p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            die("mmap");
        for (off = 0; off < FAULT_BYTES; off += PAGE)
            p[off] = (unsigned char)(off >> 12);
        for (off = 0; off < FAULT_BYTES; off += PAGE * 7)
            acc = acc * 31u + p[off];
        munmap(p, FAULT_BYTES);
    }
    return acc;
}

/* Map, touch one page, unmap: the VMA and page-table setup/teardown path. */
static uint32_t bench_mmap(void)
{
    uint32_t acc = 0;
    int i;
    for (i = 0; i < MMAP_CYCLES; i++) {
        size_t len = PAGE * (1 + (unsigned)(i % 16));
        volatile unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            die("mmap");
        p[len - 1] = (unsigned char)i;
        acc += p[len - 1] + p[0];
        if (munmap((void *)p, len) != 0)
            die("munmap");
    }
    return acc;
}

/* One byte bounces between parent and child; the child adds one each time. */
static uint32_t bench_pingpong(void)
{
    int to_child[2], to_parent[2], i, status;
    unsigned char b = 0;
    uint32_t acc = 0;
    pid_t pid;
    if (pipe(to_child) != 0 || pipe(to_parent) != 0)
        die("pipe");
    pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        for (i = 0; i < PINGPONG_ROUNDS; i++) {
            if (read(to_child[0], &b, 1) != 1)
                _exit(1);
            b++;
            if (write(to_parent[1], &b, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    for (i = 0; i < PINGPONG_ROUNDS; i++) {
        if (write(to_child[1], &b, 1) != 1 || read(to_parent[0], &b, 1) != 1)
            die("pipe ping-pong");
        acc = acc * 3u + b;
    }
    if (waitpid(pid, &status, 0) != pid)
        die("waitpid");
    return acc + (uint32_t)status;
}

int main(int argc, char **argv)
{
    static const char *const names[4] = {"fork-exec", "faults", "mmap", "pipe"};
    uint32_t (*const fns[4])(void) = {bench_fork_exec, bench_faults, bench_mmap, bench_pingpong};
    uint32_t total = 0;
    double t0;
    int s;
    if (argc != 2) {
        fprintf(stderr, "usage: osbench PATH-OF-NOP\n");
        return 2;
    }
    nop_path = argv[1];
    setvbuf(stdout, NULL, _IONBF, 0);
    t0 = now_s();
    for (s = 0; s < 4; s++) {
        double t = now_s();
        uint32_t sum = fns[s]();
        printf("OSBENCH %s checksum=%08x time=%.3f\n", names[s], sum, now_s() - t);
        total = total * 33u ^ sum;
    }
    printf("OSBENCH total checksum=%08x time=%.3f\n", total, now_s() - t0);
    return 0;
}
