/* SPDX-License-Identifier: MIT */
/*
 * Guest memory as the debugger sees it, and the 'monitor' commands. The
 * page walk here is a read-only copy of the architectural one (no TLB
 * fill, no accessed/dirty update, no #PF): looking must not change what
 * the guest will see. Addresses from gdb are linear (CS.base + EIP in real
 * mode); 'monitor phys on' makes m/M physical, 'monitor xp' dumps
 * physical memory directly.
 * Spec: Intel SDM Vol. 3A 4.3 (32-bit paging); GDB manual E.4 (qRcmd).
 */
#include "frontend/gdbstub_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/flags.h"
#include "cpu/mem.h"

enum { PTE_P = 1u << 0, PTE_PS = 1u << 7, CR4_PSE_BIT = 1u << 4 };

bool gdb_lin_to_phys(struct cpu *c, uint32_t lin, uint32_t *pa)
{
    if (!(c->cr[0] & CR0_PG)) {
        *pa = lin & c->phys_mask;
        return true;
    }
    uint32_t pde = phys_read(c, ((c->cr[3] & 0xfffff000u) + ((lin >> 22) << 2)) & c->phys_mask, 4);
    if (!(pde & PTE_P))
        return false;
    if ((pde & PTE_PS) && (c->cr[4] & CR4_PSE_BIT)) {
        *pa = ((pde & 0xffc00000u) | (lin & 0x3fffffu)) & c->phys_mask;
        return true;
    }
    uint32_t pte =
        phys_read(c, ((pde & 0xfffff000u) + (((lin >> 12) & 0x3ffu) << 2)) & c->phys_mask, 4);
    if (!(pte & PTE_P))
        return false;
    *pa = ((pte & 0xfffff000u) | (lin & 0xfffu)) & c->phys_mask;
    return true;
}

static bool addr_to_phys(struct dbgloop *d, uint32_t addr, uint32_t *pa)
{
    if (d->phys_mem) {
        *pa = addr;
        return true;
    }
    return gdb_lin_to_phys(d->c, addr, pa);
}

bool gdb_mem_read(struct dbgloop *d, uint32_t addr, uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint32_t pa;
        if (!addr_to_phys(d, addr + (uint32_t)i, &pa))
            return false;
        out[i] = (uint8_t)phys_read(d->c, pa, 1);
    }
    return true;
}

bool gdb_mem_write(struct dbgloop *d, uint32_t addr, const uint8_t *in, size_t len)
{
    /* Translate every byte first so a write is all or nothing. */
    for (size_t i = 0; i < len; i++) {
        uint32_t pa;
        if (!addr_to_phys(d, addr + (uint32_t)i, &pa))
            return false;
    }
    for (size_t i = 0; i < len; i++) {
        uint32_t pa;
        addr_to_phys(d, addr + (uint32_t)i, &pa);
        phys_write(d->c, pa, 1, in[i]);
    }
    return true;
}

/* Send one line of monitor output as an O packet. */
static void mon_print(struct dbgloop *d, const char *fmt, ...) KILN_PRINTF(2, 3);
static void mon_print(struct dbgloop *d, const char *fmt, ...)
{
    char line[512], hex[1 + 2 * sizeof(line)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    hex[0] = 'O';
    size_t n = 1;
    for (const char *p = line; *p; p++)
        n += (size_t)snprintf(hex + n, 3, "%02x", (uint8_t)*p);
    rsp_send(&d->rsp, hex, n);
}

static bool parse_u32(const char *s, uint32_t *out, char **end)
{
    char *e;
    unsigned long long v = strtoull(s, &e, 0);
    if (e == s || v > 0xffffffffull)
        return false;
    *out = (uint32_t)v;
    if (end)
        *end = e;
    return true;
}

static void mon_xp(struct dbgloop *d, const char *args)
{
    uint32_t addr, len = 16;
    char *end;
    if (!parse_u32(args, &addr, &end)) {
        mon_print(d, "usage: xp ADDR [LEN]   (physical address; LEN up to 256)\n");
        return;
    }
    while (*end == ' ')
        end++;
    if (*end && (!parse_u32(end, &len, NULL) || len == 0 || len > 256)) {
        mon_print(d, "xp: LEN must be 1 to 256\n");
        return;
    }
    for (uint32_t row = 0; row < len; row += 16) {
        char line[128];
        int n = snprintf(line, sizeof(line), "%08x:", addr + row);
        for (uint32_t i = row; i < len && i < row + 16; i++)
            n += snprintf(line + n, sizeof(line) - (size_t)n, " %02x",
                          (unsigned)phys_read(d->c, addr + i, 1));
        mon_print(d, "%s\n", line);
    }
}

static void mon_registers(struct dbgloop *d)
{
    struct cpu *c = d->c;
    static const char *const names[SEG_COUNT] = {"es", "cs", "ss", "ds", "fs", "gs"};
    mon_print(d, "eax=%08x ebx=%08x ecx=%08x edx=%08x\n", c->r[R_EAX], c->r[R_EBX], c->r[R_ECX],
              c->r[R_EDX]);
    mon_print(d, "esi=%08x edi=%08x ebp=%08x esp=%08x\n", c->r[R_ESI], c->r[R_EDI], c->r[R_EBP],
              c->r[R_ESP]);
    mon_print(d, "eip=%08x eflags=%08x cpl=%u %s\n", c->eip, flags_get(c), c->cpl,
              !(c->cr[0] & CR0_PE) ? "real mode"
              : (c->eflags & FL_VM) ? "v86 mode"
                                    : "protected mode");
    for (int s = 0; s < SEG_COUNT; s++)
        mon_print(d, "%s=%04x base=%08x limit=%08x attr=%04x\n", names[s], c->seg[s].sel,
                  c->seg[s].base, c->seg[s].limit, c->seg[s].attr);
    mon_print(d, "ldtr=%04x base=%08x limit=%08x  tr=%04x base=%08x limit=%08x\n", c->ldtr.sel,
              c->ldtr.base, c->ldtr.limit, c->tr.sel, c->tr.base, c->tr.limit);
    mon_print(d, "gdtr=%08x/%04x idtr=%08x/%04x\n", c->gdtr.base, c->gdtr.limit, c->idtr.base,
              c->idtr.limit);
    mon_print(d, "cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", c->cr[0], c->cr[2], c->cr[3], c->cr[4]);
    mon_print(d, "dr0=%08x dr1=%08x dr2=%08x dr3=%08x dr6=%08x dr7=%08x\n", c->dr[0], c->dr[1],
              c->dr[2], c->dr[3], c->dr[6], c->dr[7]);
    mon_print(d, "icount=%llu\n", (unsigned long long)c->icount);
}

static void mon_help(struct dbgloop *d)
{
    mon_print(d, "Kiln monitor commands:\n");
    mon_print(d, "  info registers      all registers, segment caches, CR0-CR4, DR0-DR7\n");
    mon_print(d, "  realmode auto|on|off  report EIP as linear CS.base+IP (auto: outside\n");
    mon_print(d, "                      protected mode); breakpoints are always linear\n");
    mon_print(d, "  phys on|off         gdb memory accesses use physical addresses\n");
    mon_print(d, "  stepirq on|off      may a single-step enter an external interrupt's\n");
    mon_print(d, "                      handler (on, the default) or hold them (off)\n");
    mon_print(d, "  xp ADDR [LEN]       dump physical memory\n");
    mon_print(d, "  v2p ADDR            translate a linear address through the page tables\n");
}

static const char *setting_arg(const char *cmd, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(cmd, name, n) || (cmd[n] != ' ' && cmd[n] != 0))
        return NULL;
    cmd += n;
    while (*cmd == ' ')
        cmd++;
    return cmd;
}

void gdb_monitor(struct dbgloop *d, const char *cmd)
{
    const char *arg;
    while (*cmd == ' ')
        cmd++;
    if (!*cmd || !strcmp(cmd, "help")) {
        mon_help(d);
    } else if (!strcmp(cmd, "info registers") || !strcmp(cmd, "info regs")) {
        mon_registers(d);
    } else if ((arg = setting_arg(cmd, "realmode"))) {
        if (!strcmp(arg, "on"))
            d->realmode = REALMODE_ON;
        else if (!strcmp(arg, "off"))
            d->realmode = REALMODE_OFF;
        else if (!strcmp(arg, "auto"))
            d->realmode = REALMODE_AUTO;
        else if (*arg) {
            mon_print(d, "realmode: expected auto, on or off\n");
            return;
        }
        static const char *const names[] = {"auto", "on", "off"};
        mon_print(d, "realmode %s: EIP is reported as %s\n", names[d->realmode],
                  gdb_pc_is_linear(d) ? "the linear address CS.base+EIP now"
                                      : "the offset in CS now");
    } else if ((arg = setting_arg(cmd, "phys"))) {
        if (!strcmp(arg, "on") || !strcmp(arg, "off"))
            d->phys_mem = !strcmp(arg, "on");
        else if (*arg) {
            mon_print(d, "phys: expected on or off\n");
            return;
        }
        mon_print(d, "memory accesses are %s\n", d->phys_mem ? "physical" : "linear");
    } else if ((arg = setting_arg(cmd, "stepirq"))) {
        if (d->host.reverse && !strcmp(arg, "off")) {
            mon_print(d, "stepirq: a recorded or replayed run takes its interrupts where "
                         "the record has them\n");
            return;
        }
        if (!strcmp(arg, "on") || !strcmp(arg, "off"))
            d->step_noirq = !strcmp(arg, "off");
        else if (*arg) {
            mon_print(d, "stepirq: expected on or off\n");
            return;
        }
        mon_print(d, "single-steps %s external interrupts\n",
                  d->step_noirq ? "hold" : "may enter the handlers of");
    } else if ((arg = setting_arg(cmd, "xp"))) {
        mon_xp(d, arg);
    } else if ((arg = setting_arg(cmd, "v2p"))) {
        uint32_t lin, pa;
        if (!parse_u32(arg, &lin, NULL))
            mon_print(d, "usage: v2p ADDR\n");
        else if (!gdb_lin_to_phys(d->c, lin, &pa))
            mon_print(d, "%08x: not mapped\n", lin);
        else
            mon_print(d, "%08x -> %08x\n", lin, pa);
    } else {
        mon_print(d, "unknown monitor command '%.60s' (try 'monitor help')\n", cmd);
    }
}
