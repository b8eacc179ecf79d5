/* SPDX-License-Identifier: MIT */
/*
 * The native executor of the x87/MMX differential test (x87_native.h): a
 * stub assembled into an RWX page per case loads EAX, ECX, EFLAGS, FRSTORs
 * the state, runs the instructions, stores the registers and FNSAVEs the
 * result (FNSAVE does not wait, so an unmasked exception is captured, and
 * it leaves the FPU initialised for the C ABI). Faults come back from the
 * signal handlers through siglongjmp.
 */
#define _GNU_SOURCE
#include "x87_native.h"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static uint8_t *code_page;
static bool page_toggles; /* W^X host: make the page writable only to fill it */
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_sig;

static void on_fault(int sig)
{
    fault_sig = sig;
    siglongjmp(fault_jmp, 1);
}

bool native_init(void)
{
    code_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (code_page == MAP_FAILED) {
        page_toggles = true;
        code_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    if (code_page == MAP_FAILED) {
        perror("x87 diff: mmap of a code page");
        return false;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fault;
    sa.sa_flags = SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    return true;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
    return p + 4;
}

/* An instruction with a [rdi+disp32] operand: opcode bytes, ModRM reg. */
static uint8_t *rdi_op(uint8_t *p, uint8_t op, int reg, size_t disp)
{
    *p++ = op;
    *p++ = (uint8_t)(0x87 | reg << 3); /* mod 10, rm 111 */
    return put32(p, (uint32_t)disp);
}

typedef void (*stub_fn)(struct native_frame *fr, void *mem);

int native_run(struct native_frame *fr, const uint8_t *insn, int len, void *mem)
{
    if (page_toggles)
        mprotect(code_page, 4096, PROT_READ | PROT_WRITE);
    uint8_t *p = code_page;
    p = rdi_op(p, 0xd9, 7, offsetof(struct native_frame, host_cw)); /* fnstcw */
    p = rdi_op(p, 0x8b, 0, offsetof(struct native_frame, eax_in));  /* mov eax, [] */
    p = rdi_op(p, 0x8b, 1, offsetof(struct native_frame, ecx_in));  /* mov ecx, [] */
    p = rdi_op(p, 0xff, 6, offsetof(struct native_frame, flags_in)); /* push qword [] */
    *p++ = 0x9d;                                                   /* popfq */
    *p++ = 0xdd;                                                   /* frstor [rdi] */
    *p++ = 0x27;
    memcpy(p, insn, (size_t)len);
    p += len;
    *p++ = 0x9c;                                                      /* pushfq */
    p = rdi_op(p, 0x8f, 0, offsetof(struct native_frame, flags_out)); /* pop qword [] */
    p = rdi_op(p, 0x89, 0, offsetof(struct native_frame, eax_out));   /* mov [], eax */
    p = rdi_op(p, 0x89, 1, offsetof(struct native_frame, ecx_out));   /* mov [], ecx */
    p = rdi_op(p, 0xdd, 6, offsetof(struct native_frame, out));       /* fnsave */
    p = rdi_op(p, 0xd9, 5, offsetof(struct native_frame, host_cw));   /* fldcw */
    *p++ = 0xc3;
    if (page_toggles && mprotect(code_page, 4096, PROT_READ | PROT_EXEC)) {
        perror("x87 diff: mprotect of the code page");
        return -1;
    }

    stub_fn fn;
    void *page = code_page;
    memcpy(&fn, &page, sizeof(fn));
    fault_sig = 0;
    if (sigsetjmp(fault_jmp, 0)) {
        /* The kernel handed the handler a clean FPU; make sure of it. */
        uint16_t cw = 0x037f;
        __asm__ volatile("fninit\n\tfldcw %0" : : "m"(cw));
        return fault_sig;
    }
    fn(fr, mem);
    return 0;
}
