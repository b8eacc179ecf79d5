/* SPDX-License-Identifier: MIT */
/*
 * The monitor's 'x /Ni ADDR': N instructions disassembled by Capstone from
 * guest memory (virtual addresses through the debugger's page walk), in
 * the code size of the current CS (16 or 32 bits), laid out as QEMU prints
 * them. Reads memory only.
 */
#include <capstone/capstone.h>

#include "frontend/monitor_priv.h"

#define DISAS_MAX 256 /* instructions per command */

void monitor_disas(struct monitor *mon, uint32_t addr, uint32_t count, bool virtual_addr)
{
    FILE *o = mon->out;
    if (count > DISAS_MAX) {
        fprintf(o, "x: at most %d instructions at a time\n", DISAS_MAX);
        return;
    }
    csh h;
    cs_mode mode = cpu_code_size(mon->cpu) == 4 ? CS_MODE_32 : CS_MODE_16;
    if (cs_open(CS_ARCH_X86, mode, &h) != CS_ERR_OK) {
        fprintf(o, "x: the disassembler is not available\n");
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint8_t bytes[16];
        size_t n = 0;
        for (; n < sizeof(bytes); n++) {
            uint32_t pa = addr + (uint32_t)n;
            if (virtual_addr && !monitor_translate(mon, addr + (uint32_t)n, &pa)) break;
            bytes[n] = (uint8_t)bus_mem_read(mon->pc->bus, pa, 1);
        }
        if (n == 0) {
            fprintf(o, "x: cannot access memory at %08x (page not present)\n", addr);
            break;
        }
        cs_insn *insn;
        size_t got = cs_disasm(h, bytes, n, addr, 1, &insn);
        if (!got) {
            fprintf(o, "0x%08x:  (bad) %02x\n", addr, bytes[0]);
            addr++;
            continue;
        }
        fprintf(o, "0x%08x:  %s%s%s\n", addr, insn->mnemonic, insn->op_str[0] ? " " : "",
                insn->op_str);
        addr += insn->size;
        cs_free(insn, got);
    }
    cs_close(&h);
}
