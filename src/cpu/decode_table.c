/* SPDX-License-Identifier: MIT */
/*
 * Builds the per-generation decode tables from opcodes.def once, at program
 * start (a constructor), so that decoding is a few array lookups. The tables
 * are derived constants, never emulated state. Also splits "a|b" mnemonics.
 */
#include "cpu/decode_table.h"

#include <string.h>

#include "cpu/decode.h"
#include "cpu/opcodes.h"

static struct decode_table tables[CPU_GEN_COUNT];
static char mnemonics[OP_COUNT][2][16];

static bool row_exists(const struct opc_row *row, enum cpu_gen gen)
{
    if (gen < row->gen)
        return false;
    if ((row->flags & F_ONLY86) && gen != CPU_8086)
        return false;
    if ((row->flags & F_NOFPU) && gen > CPU_286)
        return false;
    if ((row->flags & F_X87) && gen < CPU_386)
        return false;
    return true;
}

/* Claim every cell that 'op' matches; alias rows only take free cells. */
static void place_row(struct decode_table *t, unsigned op)
{
    const struct opc_row *row = &opc_rows[op];
    bool alias = row->flags & F_ALIAS;
    if (!(row->flags & F_MODRM)) {
        uint16_t *slot = &t->direct[row->map][row->opcode];
        if (*slot && !alias)
            t->conflicts++;
        if (!*slot)
            *slot = (uint16_t)op;
        return;
    }
    t->has_modrm[row->map][row->opcode] = true;
    for (int isreg = 0; isreg < 2; isreg++) {
        if ((row->mod == MM && isreg) || (row->mod == MR && !isreg))
            continue;
        for (int reg = 0; reg < 8; reg++) {
            if (!(row->reg_mask & (1u << reg)))
                continue;
            for (int rm = 0; rm < 8; rm++) {
                if (!(row->rm_mask & (1u << rm)))
                    continue;
                uint16_t *slot = &t->cell[row->map][row->opcode][isreg][reg][rm];
                if (*slot && !alias)
                    t->conflicts++;
                if (!*slot)
                    *slot = (uint16_t)op;
            }
        }
    }
}

static void build_table(enum cpu_gen gen)
{
    struct decode_table *t = &tables[gen];
    memset(t, 0, sizeof(*t));
    t->escape_0f = gen >= CPU_286;
    /* Regular rows first, then aliases into what is left. */
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned op = 1; op < OP_COUNT; op++) {
            const struct opc_row *row = &opc_rows[op];
            if (!row_exists(row, gen) || ((row->flags & F_ALIAS) != 0) != (pass == 1))
                continue;
            if (row->map == 1 && !t->escape_0f)
                continue;
            place_row(t, op);
        }
    }
    /* A form without ModRM shares its opcode with no ModRM form. */
    for (int map = 0; map < 2; map++)
        for (int opc = 0; opc < 256; opc++)
            if (t->direct[map][opc] && t->has_modrm[map][opc])
                t->conflicts++;
}

static void split_mnemonics(void)
{
    for (unsigned op = 0; op < OP_COUNT; op++) {
        const char *m = opc_rows[op].mnem;
        const char *bar = strchr(m, '|');
        size_t n16 = bar ? (size_t)(bar - m) : strlen(m);
        const char *m32 = bar ? bar + 1 : m;
        size_t n32 = strlen(m32);
        if (n16 > 15)
            n16 = 15;
        if (n32 > 15)
            n32 = 15;
        memcpy(mnemonics[op][0], m, n16);
        memcpy(mnemonics[op][1], m32, n32);
    }
}

__attribute__((constructor)) static void decode_tables_init(void)
{
    for (int g = 0; g < CPU_GEN_COUNT; g++)
        build_table((enum cpu_gen)g);
    split_mnemonics();
}

const struct decode_table *decode_table_for(enum cpu_gen gen)
{
    return &tables[gen];
}

const char *decode_table_mnemonic(unsigned op, bool wide)
{
    return op < OP_COUNT ? mnemonics[op][wide] : "(bad)";
}

int decode_table_conflicts(enum cpu_gen gen)
{
    return tables[gen].conflicts;
}
