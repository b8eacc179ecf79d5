/* SPDX-License-Identifier: MIT */
/*
 * The monitor's view of guest memory: a page walk of 32-bit paging (4 KiB
 * and PSE 4 MiB pages) done for the debugger, which reads the tables
 * through the bus and leaves accessed/dirty bits, CR2 and the shadow page
 * table alone; the x/xp dumps; 'info mem' (ranges of equal protection)
 * and 'info tlb' (every mapped page), in QEMU's layout.
 * Spec: Intel SDM Vol. 3A 4.3 (32-bit paging).
 */
#include <ctype.h>
#include <string.h>

#include "frontend/monitor_priv.h"

#define PTE_P   0x001u
#define PTE_W   0x002u
#define PTE_U   0x004u
#define PTE_PWT 0x008u
#define PTE_PCD 0x010u
#define PTE_A   0x020u
#define PTE_D   0x040u
#define PTE_PS  0x080u
#define PTE_G   0x100u
#define CR4_PSE 0x010u

#define X_MAX_BYTES 65536u /* one x/xp prints at most this much */

static uint32_t phys32(struct monitor *mon, uint32_t pa)
{
    return bus_mem_read(mon->pc->bus, pa, 4);
}

static bool paging_on(const struct monitor *mon)
{
    return (mon->cpu->cr[0] & CR0_PG) && (mon->cpu->cr[0] & CR0_PE);
}

static uint32_t a20_mask(const struct monitor *mon)
{
    return mon->cpu->a20 ? 0xffffffffu : ~(1u << 20);
}

/* The page directory entry for 'lin' and, for 4 KiB pages, the table entry:
 * the effective entry in *pte (for a 4 MiB page, the PDE itself). */
static bool walk(struct monitor *mon, uint32_t lin, uint32_t *pde_out, uint32_t *pte_out)
{
    const struct cpu *c = mon->cpu;
    uint32_t pde = phys32(mon, ((c->cr[3] & ~0xfffu) + (lin >> 22) * 4) & a20_mask(mon));
    if (!(pde & PTE_P)) return false;
    *pde_out = pde;
    if ((pde & PTE_PS) && (c->cr[4] & CR4_PSE)) {
        *pte_out = pde;
        return true;
    }
    uint32_t pte = phys32(mon, ((pde & ~0xfffu) + ((lin >> 12) & 0x3ff) * 4) & a20_mask(mon));
    if (!(pte & PTE_P)) return false;
    *pte_out = pte;
    return true;
}

static bool is_large(const struct monitor *mon, uint32_t pde)
{
    return (pde & PTE_PS) && (mon->cpu->cr[4] & CR4_PSE);
}

bool monitor_translate(struct monitor *mon, uint32_t lin, uint32_t *phys)
{
    if (!paging_on(mon)) {
        *phys = lin & a20_mask(mon);
        return true;
    }
    uint32_t pde, pte;
    if (!walk(mon, lin, &pde, &pte)) return false;
    if (is_large(mon, pde))
        *phys = (pde & 0xffc00000u) | (lin & 0x3fffffu);
    else
        *phys = (pte & ~0xfffu) | (lin & 0xfffu);
    *phys &= a20_mask(mon);
    return true;
}

/* $eax ... $edi, $eip, $esp: the register's value as an address. */
static bool parse_addr(struct monitor *mon, const char *s, uint32_t *out)
{
    static const char *const regs[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    if (*s != '$') return monitor_parse_u32(s, out);
    for (int i = 0; i < 8; i++)
        if (!strcmp(s + 1, regs[i])) {
            *out = mon->cpu->r[i];
            return true;
        }
    if (!strcmp(s + 1, "eip") || !strcmp(s + 1, "pc")) {
        *out = mon->cpu->seg[SEG_CS].base + mon->cpu->eip;
        return true;
    }
    return false;
}

/* "/NFU": count, format (x d u o c i), unit (b h w g); any may be left out. */
static bool parse_fmt(const char *s, uint32_t *count, char *format, int *unit)
{
    *count = 1;
    *format = 'x';
    *unit = 4;
    if (*s != '/') return true;
    s++;
    if (isdigit((unsigned char)*s)) {
        unsigned long n = 0;
        while (isdigit((unsigned char)*s) && n <= X_MAX_BYTES)
            n = n * 10 + (unsigned long)(*s++ - '0');
        *count = (uint32_t)n;
    }
    for (; *s; s++) {
        if (strchr("xduoci", *s))
            *format = *s;
        else if (*s == 'b')
            *unit = 1;
        else if (*s == 'h')
            *unit = 2;
        else if (*s == 'w')
            *unit = 4;
        else if (*s == 'g')
            *unit = 8;
        else
            return false;
    }
    if (*format == 'c') *unit = 1;
    return true;
}

static void print_unit(FILE *o, char format, int unit, uint64_t v)
{
    int bits = unit * 8;
    switch (format) {
    case 'x': fprintf(o, " 0x%0*llx", unit * 2, (unsigned long long)v); break;
    case 'o': fprintf(o, " %#llo", (unsigned long long)v); break;
    case 'u': fprintf(o, " %llu", (unsigned long long)v); break;
    case 'd': {
        int64_t s = bits == 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
        fprintf(o, " %lld", (long long)s);
        break;
    }
    default: /* c */
        if (v >= 32 && v < 127)
            fprintf(o, " '%c'", (int)v);
        else
            fprintf(o, " '\\x%02llx'", (unsigned long long)v);
        break;
    }
}

void monitor_cmd_x(struct monitor *mon, const char *args, bool virtual_addr)
{
    const char *cmd = virtual_addr ? "x" : "xp";
    char fmt[64] = "", addr[64] = "";
    if (*args == '/') {
        size_t n = strcspn(args, " \t");
        if (n >= sizeof(fmt)) goto usage;
        memcpy(fmt, args, n);
        args += n;
        while (*args == ' ' || *args == '\t')
            args++;
    }
    if (!*args || strlen(args) >= sizeof(addr) || strpbrk(args, " \t")) goto usage;
    strcpy(addr, args);
    uint32_t count, start;
    char format;
    int unit;
    if (!parse_fmt(fmt, &count, &format, &unit)) {
        fprintf(mon->out,
                "%s: invalid format '%s' (/NFU: F one of x d u o c i, U one of b h w g)\n", cmd,
                fmt);
        return;
    }
    if (!parse_addr(mon, addr, &start)) {
        fprintf(mon->out, "%s: invalid address '%s'\n", cmd, addr);
        return;
    }
    if (format == 'i') {
        monitor_disas(mon, start, count, virtual_addr);
        return;
    }
    if ((uint64_t)count * (uint64_t)unit > X_MAX_BYTES) {
        fprintf(mon->out, "%s: at most %u bytes at a time\n", cmd, X_MAX_BYTES);
        return;
    }
    int per_line = format == 'c' ? 16 : 16 / unit;
    FILE *o = mon->out;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t a = start + i * (uint32_t)unit;
        uint64_t v = 0;
        for (int b = unit - 1; b >= 0; b--) {
            uint32_t pa = a + (uint32_t)b;
            if (virtual_addr && !monitor_translate(mon, a + (uint32_t)b, &pa)) {
                fprintf(o, "%s%s: cannot access memory at %08x (page not present)\n", i ? "\n" : "",
                        cmd, a + (uint32_t)b);
                return;
            }
            v = v << 8 | (bus_mem_read(mon->pc->bus, pa, 1) & 0xff);
        }
        if (i % (uint32_t)per_line == 0) {
            if (i) fputc('\n', o);
            fprintf(o, "%08x:", a);
        }
        print_unit(o, format, unit, v);
    }
    if (count) fputc('\n', o);
    return;
usage:
    fprintf(mon->out, "usage: %s /fmt addr (e.g. %s /16xb 0x1000)\n", cmd, cmd);
}

/* Calls 'fn' for each present page mapping, with the effective entry
 * (rights combined from both levels) and the page size. */
static void for_each_mapping(struct monitor *mon,
                             void (*fn)(struct monitor *, uint32_t lin, uint32_t phys,
                                        uint32_t size, uint32_t flags, void *ctx),
                             void *ctx)
{
    uint32_t dir = mon->cpu->cr[3] & ~0xfffu;
    for (uint32_t i = 0; i < 1024; i++) {
        uint32_t pde = phys32(mon, (dir + i * 4) & a20_mask(mon));
        if (!(pde & PTE_P)) continue;
        uint32_t lin = i << 22;
        if (is_large(mon, pde)) {
            fn(mon, lin, pde & 0xffc00000u, 1u << 22, pde & 0x1ffu, ctx);
            continue;
        }
        for (uint32_t j = 0; j < 1024; j++) {
            uint32_t pte = phys32(mon, ((pde & ~0xfffu) + j * 4) & a20_mask(mon));
            if (!(pte & PTE_P)) continue;
            /* U and W hold only when both levels grant them. */
            uint32_t flags = (pte & 0x1ffu & ~(PTE_U | PTE_W)) | (pte & pde & (PTE_U | PTE_W));
            fn(mon, lin | j << 12, pte & ~0xfffu, 4096, flags, ctx);
        }
    }
}

static void tlb_line(struct monitor *mon, uint32_t lin, uint32_t phys, uint32_t size, uint32_t f,
                     void *ctx)
{
    (void)size;
    (void)ctx;
    fprintf(mon->out, "%08x: %08x -%c%c%c%c%c%c%c%c\n", lin, phys, f & PTE_G ? 'G' : '-',
            size > 4096 ? 'P' : '-', f & PTE_D ? 'D' : '-', f & PTE_A ? 'A' : '-',
            f & PTE_PCD ? 'C' : '-', f & PTE_PWT ? 'T' : '-', f & PTE_U ? 'U' : '-',
            f & PTE_W ? 'W' : '-');
}

void monitor_info_tlb(struct monitor *mon)
{
    if (!paging_on(mon)) {
        fprintf(mon->out, "PG disabled\n");
        return;
    }
    for_each_mapping(mon, tlb_line, NULL);
}

struct mem_range {
    bool open;
    uint32_t start, end, prot; /* end exclusive; 0 means 4 GiB */
};

static void mem_flush(struct monitor *mon, struct mem_range *r)
{
    if (!r->open) return;
    uint64_t end = r->end ? r->end : 0x100000000ull;
    fprintf(mon->out, "%08x-%08llx %08llx %cr%c\n", r->start, (unsigned long long)end,
            (unsigned long long)(end - r->start), r->prot & PTE_U ? 'u' : '-',
            r->prot & PTE_W ? 'w' : '-');
    r->open = false;
}

static void mem_page(struct monitor *mon, uint32_t lin, uint32_t phys, uint32_t size, uint32_t f,
                     void *ctx)
{
    (void)phys;
    struct mem_range *r = ctx;
    uint32_t prot = f & (PTE_U | PTE_W);
    if (r->open && (r->end != lin || r->prot != prot)) mem_flush(mon, r);
    if (!r->open) *r = (struct mem_range){true, lin, lin, prot};
    r->end = lin + size;
}

void monitor_info_mem(struct monitor *mon)
{
    if (!paging_on(mon)) {
        fprintf(mon->out, "PG disabled\n");
        return;
    }
    struct mem_range r = {0};
    for_each_mapping(mon, mem_page, &r);
    mem_flush(mon, &r);
}
