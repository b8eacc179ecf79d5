/* SPDX-License-Identifier: MIT */
/*
 * What the monitor*.c files share: the command handlers by family and the
 * debugger's view of guest memory. Private to the monitor.
 */
#ifndef KILN_FRONTEND_MONITOR_PRIV_H
#define KILN_FRONTEND_MONITOR_PRIV_H

#include "frontend/monitor.h"

/* monitor_info.c: info registers, info pic, info pci. */
void monitor_info_registers(struct monitor *mon);
void monitor_info_pic(struct monitor *mon);
void monitor_info_pci(struct monitor *mon);

/* monitor_mem.c */
/* Translate linear 'lin' through the guest's page tables as the CPU would,
 * without touching accessed/dirty bits or the TLB. True with the physical
 * address in *phys; false when the page is not present. */
bool monitor_translate(struct monitor *mon, uint32_t lin, uint32_t *phys);
/* x /FMT ADDR (virtual = true) and xp /FMT ADDR; 'args' is the rest of the line. */
void monitor_cmd_x(struct monitor *mon, const char *args, bool virtual_addr);
void monitor_info_mem(struct monitor *mon);
void monitor_info_tlb(struct monitor *mon);

/* monitor_disas.c: 'count' instructions from 'addr', disassembled. */
void monitor_disas(struct monitor *mon, uint32_t addr, uint32_t count, bool virtual_addr);

/* monitor_keys.c: sendkey KEYS (QEMU key names joined with '-'). */
void monitor_cmd_sendkey(struct monitor *mon, const char *args);

/* Parse an unsigned number in C syntax (0x hex, else decimal) that fills the
 * whole of 's'. */
bool monitor_parse_u32(const char *s, uint32_t *out);

#endif
