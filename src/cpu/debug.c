/* SPDX-License-Identifier: MIT */
/*
 * Debug-register breakpoints (see debug.h). DR7's L/G enables, R/W and LEN
 * fields are decoded once per write into c->dbg; matches set DR6.B0-B3.
 */
#include "cpu/debug.h"

void debug_update(struct cpu *c)
{
    uint32_t dr7 = c->dr[7];
    c->dbg.exec_armed = 0;
    c->dbg.data_armed = 0;
    c->dbg.write_only = 0;
    c->dbg.io_armed = 0;
    for (int i = 0; i < 4; i++) {
        if (!((dr7 >> (2 * i)) & 3))
            continue;
        unsigned rw = (dr7 >> (16 + 4 * i)) & 3, len = (dr7 >> (18 + 4 * i)) & 3;
        c->dbg.len_mask[i] = len == 1 ? ~1u : len == 3 ? ~3u : ~0u;
        if (rw == 0)
            c->dbg.exec_armed |= (uint8_t)(1u << i);
        else if (rw == 1 || rw == 3) /* write, or read/write */
            c->dbg.data_armed |= (uint8_t)(1u << i);
        else /* I/O reads and writes; CR4.DE decides at each access */
            c->dbg.io_armed |= (uint8_t)(1u << i);
        if (rw == 1)
            c->dbg.write_only |= (uint8_t)(1u << i);
    }
}

int debug_check_exec(struct cpu *c, uint32_t lin)
{
    if (!c->dbg.exec_armed || (c->eflags & FL_RF))
        return 0;
    uint32_t hit = 0;
    for (int i = 0; i < 4; i++)
        if ((c->dbg.exec_armed >> i & 1) && c->dr[i] == lin)
            hit |= 1u << i;
    if (!hit)
        return 0;
    c->dr[6] = (c->dr[6] & ~0xfu) | hit;
    return cpu_fault(c, EXC_DB);
}

void debug_note_access(struct cpu *c, uint32_t lin, int size, bool write)
{
    uint32_t last = lin + (uint32_t)size - 1;
    for (int i = 0; i < 4; i++) {
        if (!(c->dbg.data_armed >> i & 1) || ((c->dbg.write_only >> i & 1) && !write))
            continue;
        uint32_t lo = c->dr[i] & c->dbg.len_mask[i];
        uint32_t hi = lo + ~c->dbg.len_mask[i];
        if (lin <= hi && last >= lo)
            c->dbg.pending |= (uint8_t)(1u << i);
    }
}

void debug_note_io(struct cpu *c, uint16_t port, int size)
{
    /* R/W = 10 means I/O only with CR4.DE; without it the encoding is
     * undefined, and Kiln ignores it (SDM Vol. 3A 17.2.4). */
    if (!(c->cr[4] & CR4_DE_BIT))
        return;
    uint32_t last = (uint32_t)port + (uint32_t)size - 1;
    for (int i = 0; i < 4; i++) {
        if (!(c->dbg.io_armed >> i & 1))
            continue;
        uint32_t lo = c->dr[i] & 0xffff & c->dbg.len_mask[i];
        uint32_t hi = lo + ~c->dbg.len_mask[i];
        if (port <= hi && last >= lo)
            c->dbg.pending |= (uint8_t)(1u << i);
    }
}
