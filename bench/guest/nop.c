// SPDX-License-Identifier: MIT
/*
 * nop: the smallest static i386 Linux program, which osbench fork+execs many
 * times. No libc: _start makes the exit(0) system call through INT 0x80, so
 * exec cost is the kernel's, not glibc's start-up.
 * Built with gcc -m32 -static -nostdlib -O2.
 */
void _start(void);

void _start(void)
{
    __asm__ volatile("movl $1, %%eax\n\t" /* __NR_exit on i386 */
                     "xorl %%ebx, %%ebx\n\t"
                     "int $0x80" ::: "eax", "ebx", "memory");
    __builtin_unreachable();
}
