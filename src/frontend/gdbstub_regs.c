/* SPDX-License-Identifier: MIT */
/*
 * The registers gdb sees: the target description (i386 core feature with
 * the x87 registers, plus Kiln's system feature for CR0-CR4) and the
 * conversion between struct cpu and gdb's little-endian register images.
 * Real-mode awareness lives here: with 'realmode' in effect the reported
 * EIP is the linear address CS.base + IP, so gdb's breakpoints and
 * disassembly line up with the code. Reads never change guest-visible
 * state; writes are checked first and refused when they cannot be done.
 * Spec: GDB manual E.4 (g/G/p/P), G.4 (i386 features).
 */
#include "frontend/gdbstub_int.h"

#include <stdio.h>
#include <string.h>

#include "cpu/flags.h"

#define XML_HEAD                                                                                   \
    "<?xml version=\"1.0\"?>\n" \
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n" \
    "<target version=\"1.0\">\n" \
    "<architecture>"

#define XML_BODY                                                                                   \
    "</architecture>\n" \
    "<osabi>none</osabi>\n" \
    "<feature name=\"org.gnu.gdb.i386.core\">\n" \
    "<flags id=\"i386_eflags\" size=\"4\">\n" \
    "<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>" \
    "<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>" \
    "<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>" \
    "<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>" \
    "<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>" \
    "<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>" \
    "<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>" \
    "<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>" \
    "<field name=\"ID\" start=\"21\" end=\"21\"/>\n" \
    "</flags>\n" \
    "<reg name=\"eax\" bitsize=\"32\" type=\"int32\" regnum=\"0\"/>\n" \
    "<reg name=\"ecx\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"edx\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"ebx\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"esp\" bitsize=\"32\" type=\"data_ptr\"/>\n" \
    "<reg name=\"ebp\" bitsize=\"32\" type=\"data_ptr\"/>\n" \
    "<reg name=\"esi\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"edi\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"eip\" bitsize=\"32\" type=\"code_ptr\"/>\n" \
    "<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>\n" \
    "<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n" \
    "<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n" \
    "<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>\n" \
    "<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>\n" \
    "<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>\n" \
    "<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>\n" \
    "<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>\n" \
    "<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>\n" \
    "<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n" \
    "<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n" \
    "<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n" \
    "<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n" \
    "<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n" \
    "<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n" \
    "<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n" \
    "<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n" \
    "<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n" \
    "</feature>\n" \
    "<feature name=\"org.kiln.i386.system\">\n" \
    "<reg name=\"cr0\" bitsize=\"32\" type=\"int32\" group=\"system\"/>\n" \
    "<reg name=\"cr2\" bitsize=\"32\" type=\"int32\" group=\"system\"/>\n" \
    "<reg name=\"cr3\" bitsize=\"32\" type=\"int32\" group=\"system\"/>\n" \
    "<reg name=\"cr4\" bitsize=\"32\" type=\"int32\" group=\"system\"/>\n" \
    "</feature>\n" \
    "</target>\n"

/* gdb takes the disassembler's mode from the description's architecture
 * and ignores 'set architecture' once a description names one, so the
 * description offered to a debugger that connects while the CPU runs
 * real-mode code says i8086 (16-bit disassembly), otherwise i386. */
static const char xml_i386[] = XML_HEAD "i386" XML_BODY;
static const char xml_i8086[] = XML_HEAD "i8086" XML_BODY;

const char *gdb_target_xml(const struct dbgloop *d, size_t *len)
{
    bool real = gdb_pc_is_linear(d) && cpu_code_size(d->c) == 2;
    *len = real ? sizeof(xml_i8086) - 1 : sizeof(xml_i386) - 1;
    return real ? xml_i8086 : xml_i386;
}

/* gdb's order of the segment registers against Kiln's encoding order. */
static const int seg_order[6] = {SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS};

int gdb_reg_size(int n)
{
    if (n < 0 || n >= GDB_NUM_REGS)
        return 0;
    return n >= GDB_REG_ST0 && n < GDB_REG_ST0 + 8 ? 10 : 4;
}

bool gdb_pc_is_linear(const struct dbgloop *d)
{
    const struct cpu *c = d->c;
    if (d->realmode == REALMODE_ON)
        return true;
    if (d->realmode == REALMODE_OFF)
        return false;
    return !cpu_pmode(c);
}

uint32_t gdb_pc(const struct dbgloop *d)
{
    const struct cpu *c = d->c;
    return gdb_pc_is_linear(d) ? c->seg[SEG_CS].base + c->eip : c->eip;
}

static void put32(uint8_t *out, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        out[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *in)
{
    return (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 24;
}

int gdb_reg_read(struct dbgloop *d, int n, uint8_t *out)
{
    struct cpu *c = d->c;
    struct fpu *f = &c->fpu;
    if (n < 0 || n >= GDB_NUM_REGS)
        return 0;
    if (n < 8)
        put32(out, c->r[n]);
    else if (n == GDB_REG_EIP)
        put32(out, gdb_pc(d));
    else if (n == GDB_REG_EFLAGS)
        put32(out, flags_get(c));
    else if (n < GDB_REG_ST0)
        put32(out, c->seg[seg_order[n - GDB_REG_CS]].sel);
    else if (n < GDB_REG_FCTRL) {
        const struct fpu_reg *r = &f->reg[(((f->sw >> 11) & 7) + (n - GDB_REG_ST0)) & 7];
        for (int i = 0; i < 8; i++)
            out[i] = (uint8_t)(r->mant >> (8 * i));
        out[8] = (uint8_t)r->sexp;
        out[9] = (uint8_t)(r->sexp >> 8);
    } else {
        static const int cr_index[4] = {0, 2, 3, 4};
        uint32_t v = 0;
        switch (n) {
        case GDB_REG_FCTRL: v = f->cw; break;
        case GDB_REG_FCTRL + 1: v = f->sw; break;
        case GDB_REG_FCTRL + 2: v = f->tw; break;
        case GDB_REG_FCTRL + 3: v = f->fcs; break;
        case GDB_REG_FCTRL + 4: v = f->fip; break;
        case GDB_REG_FCTRL + 5: v = f->fds; break;
        case GDB_REG_FCTRL + 6: v = f->fdp; break;
        case GDB_REG_FCTRL + 7: v = f->fop; break;
        default: v = c->cr[cr_index[n - GDB_REG_CR0]]; break;
        }
        put32(out, v);
    }
    return gdb_reg_size(n);
}

/* May register n take value 'in'? Selectors can be changed only in real
 * and V86 mode (a protected-mode load would need a descriptor check), and
 * the control registers are read-only from gdb (use the guest to change
 * them: a debugger write would bypass the TLB flushes). */
static bool reg_writable(struct dbgloop *d, int n, const uint8_t *in)
{
    struct cpu *c = d->c;
    if (n >= GDB_REG_CS && n < GDB_REG_ST0) {
        uint32_t v = get32(in);
        if (v == c->seg[seg_order[n - GDB_REG_CS]].sel)
            return true;
        return v <= 0xffff && !cpu_pmode(c);
    }
    if (n >= GDB_REG_CR0) {
        static const int cr_index[4] = {0, 2, 3, 4};
        return get32(in) == c->cr[cr_index[n - GDB_REG_CR0]];
    }
    return n >= 0 && n < GDB_NUM_REGS;
}

static void reg_apply(struct dbgloop *d, int n, const uint8_t *in)
{
    struct cpu *c = d->c;
    struct fpu *f = &c->fpu;
    uint32_t v = n >= GDB_REG_ST0 && n < GDB_REG_FCTRL ? 0 : get32(in);
    if (n < 8)
        c->r[n] = v;
    else if (n == GDB_REG_EIP)
        c->eip = gdb_pc_is_linear(d) ? v - c->seg[SEG_CS].base : v;
    else if (n == GDB_REG_EFLAGS) {
        flags_get(c);
        uint32_t keep = ~c->model->flags_supported;
        c->eflags = ((c->eflags & keep) | (v & c->model->flags_supported)) | FL_R1;
    } else if (n < GDB_REG_ST0) {
        int s = seg_order[n - GDB_REG_CS];
        if (v != c->seg[s].sel)
            cpu_load_seg_real(c, s, (uint16_t)v);
    } else if (n < GDB_REG_FCTRL) {
        struct fpu_reg *r = &f->reg[(((f->sw >> 11) & 7) + (n - GDB_REG_ST0)) & 7];
        r->mant = 0;
        for (int i = 0; i < 8; i++)
            r->mant |= (uint64_t)in[i] << (8 * i);
        r->sexp = (uint16_t)(in[8] | in[9] << 8);
    } else {
        switch (n) {
        case GDB_REG_FCTRL: f->cw = (uint16_t)v; break;
        case GDB_REG_FCTRL + 1: f->sw = (uint16_t)v; break;
        case GDB_REG_FCTRL + 2: f->tw = (uint16_t)v; break;
        case GDB_REG_FCTRL + 3: f->fcs = (uint16_t)v; break;
        case GDB_REG_FCTRL + 4: f->fip = v; break;
        case GDB_REG_FCTRL + 5: f->fds = (uint16_t)v; break;
        case GDB_REG_FCTRL + 6: f->fdp = v; break;
        case GDB_REG_FCTRL + 7: f->fop = (uint16_t)v; break;
        default: break; /* control registers: only an unchanged value gets here */
        }
    }
}

bool gdb_reg_write(struct dbgloop *d, int n, const uint8_t *in)
{
    if (!reg_writable(d, n, in))
        return false;
    reg_apply(d, n, in);
    return true;
}

size_t gdb_regs_size(void)
{
    size_t total = 0;
    for (int n = 0; n < GDB_NUM_REGS; n++)
        total += (size_t)gdb_reg_size(n);
    return total;
}

bool gdb_regs_write_all(struct dbgloop *d, const uint8_t *in)
{
    size_t off = 0;
    for (int n = 0; n < GDB_NUM_REGS; off += (size_t)gdb_reg_size(n), n++)
        if (!reg_writable(d, n, in + off))
            return false;
    /* EIP is converted against CS, so the selectors go first. */
    off = 0;
    size_t eip_off = 0;
    for (int n = 0; n < GDB_NUM_REGS; off += (size_t)gdb_reg_size(n), n++) {
        if (n == GDB_REG_EIP)
            eip_off = off;
        else
            reg_apply(d, n, in + off);
    }
    reg_apply(d, GDB_REG_EIP, in + eip_off);
    return true;
}
