/* SPDX-License-Identifier: MIT */
/*
 * Descriptor-table instructions of protected mode: SLDT, STR, LLDT, LTR
 * (group 6), VERR/VERW, LAR and LSL. All are #UD in real and V86 mode.
 * VERR/VERW/LAR/LSL report through ZF and never fault on a bad selector.
 * Spec: Intel SDM Vol. 2 (LLDT, LTR, SLDT, STR, VERR/VERW, LAR, LSL),
 * Vol. 3A 2.4.4 (LDTR), 7.2.4 (TR).
 */
#include "cpu/desc.h"
#include "cpu/ops.h"

static int lldt(struct cpu *c, uint16_t sel)
{
    TRY(cpu_need_cpl0(c));
    if (!(sel & 0xfffc)) {
        c->ldtr = (struct seg_cache){.sel = sel}; /* no LDT: any use faults */
        return 0;
    }
    if (sel & 4)
        return cpu_fault_err(c, EXC_GP, sel_error(sel, false));
    struct desc d;
    TRY(desc_read(c, sel, EXC_GP, &d));
    if (desc_type(&d) != DT_LDT)
        return cpu_fault_err(c, EXC_GP, sel_error(sel, false));
    if (!desc_present(&d))
        return cpu_fault_err(c, EXC_NP, sel_error(sel, false));
    desc_to_cache(sel, &d, &c->ldtr);
    return 0;
}

static int ltr(struct cpu *c, uint16_t sel)
{
    TRY(cpu_need_cpl0(c));
    if (!(sel & 0xfffc))
        return cpu_fault_err(c, EXC_GP, 0);
    if (sel & 4)
        return cpu_fault_err(c, EXC_GP, sel_error(sel, false));
    struct desc d;
    TRY(desc_read(c, sel, EXC_GP, &d));
    if (desc_type(&d) != DT_TSS16_AVAIL && desc_type(&d) != DT_TSS32_AVAIL)
        return cpu_fault_err(c, EXC_GP, sel_error(sel, false));
    if (!desc_present(&d))
        return cpu_fault_err(c, EXC_NP, sel_error(sel, false));
    TRY(desc_set_busy(c, &d, true));
    desc_to_cache(sel, &d, &c->tr);
    return 0;
}

/* Read the descriptor for VERR/VERW/LAR/LSL: false (ZF = 0) instead of a
 * fault for a null selector or one beyond its table. */
static bool peek_descriptor(struct cpu *c, uint16_t sel, struct desc *d)
{
    if (!(sel & 0xfffc))
        return false;
    bool ldt = sel & 4;
    uint32_t limit = ldt ? c->ldtr.limit : c->gdtr.limit;
    if ((ldt && !(c->ldtr.attr & SEG_ATTR_P)) || (sel & 0xfff8u) + 7u > limit)
        return false;
    return desc_read(c, sel, EXC_GP, d) == 0;
}

/* The privilege rule VERR/VERW/LAR/LSL share: conforming code is always
 * visible, everything else needs DPL >= CPL and DPL >= RPL. */
static bool visible(const struct cpu *c, const struct desc *d, uint16_t sel)
{
    return desc_is_conforming(d) || (desc_dpl(d) >= c->cpl && desc_dpl(d) >= (sel & 3u));
}

int op_sys_grp6(struct cpu *c, const struct insn *in)
{
    if (!cpu_pmode(c))
        return cpu_fault(c, EXC_UD);
    if (in->reg <= 1) {
        uint32_t sel = in->reg == 0 ? c->ldtr.sel : c->tr.sel;
        return e_write(c, in, in->is_mem ? 2 : in->opsize, sel);
    }
    uint32_t v;
    TRY(e_read(c, in, 2, &v));
    uint16_t sel = (uint16_t)v;
    switch (in->reg) {
    case 2: return lldt(c, sel);
    case 3: return ltr(c, sel);
    default: { /* VERR (4), VERW (5) */
        struct desc d;
        bool ok = peek_descriptor(c, sel, &d) && (desc_is_code(&d) || desc_is_data(&d)) &&
                  visible(c, &d, sel);
        if (ok && in->reg == 4)
            ok = desc_is_data(&d) || (desc_type(&d) & 2);
        if (ok && in->reg == 5)
            ok = desc_is_data(&d) && (desc_type(&d) & 2);
        flags_set_arith(c, FL_ZF, ok ? FL_ZF : 0);
        return 0;
    }
    }
}

/* System descriptor types LAR accepts (gates and TSS/LDT), and LSL's subset. */
static bool lar_type_ok(unsigned t)
{
    return t == DT_TSS16_AVAIL || t == DT_LDT || t == DT_TSS16_BUSY || t == DT_CALL16 ||
           t == DT_TASK || t == DT_TSS32_AVAIL || t == DT_TSS32_BUSY || t == DT_CALL32;
}

static bool lsl_type_ok(unsigned t)
{
    return t == DT_TSS16_AVAIL || t == DT_LDT || t == DT_TSS16_BUSY || t == DT_TSS32_AVAIL ||
           t == DT_TSS32_BUSY;
}

int op_lar_lsl(struct cpu *c, const struct insn *in)
{
    if (!cpu_pmode(c))
        return cpu_fault(c, EXC_UD);
    uint32_t v;
    TRY(e_read(c, in, 2, &v));
    uint16_t sel = (uint16_t)v;
    bool lsl = in->opcode == 0x03;
    struct desc d;
    bool ok = peek_descriptor(c, sel, &d);
    if (ok) {
        bool seg = desc_is_code(&d) || desc_is_data(&d);
        unsigned t = desc_type(&d);
        ok = (seg || (lsl ? lsl_type_ok(t) : lar_type_ok(t))) && visible(c, &d, sel);
    }
    if (ok) {
        uint32_t r;
        if (lsl) {
            struct seg_cache s;
            desc_to_cache(sel, &d, &s);
            r = s.limit;
        } else {
            r = d.hi & (in->opsize == 4 ? 0x00f0ff00u : 0xff00u);
        }
        reg_set(c, in->reg, in->opsize, r);
    }
    flags_set_arith(c, FL_ZF, ok ? FL_ZF : 0);
    return 0;
}
