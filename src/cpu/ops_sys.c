/* SPDX-License-Identifier: MIT */
/*
 * System instructions that real-mode and flat protected-mode code use: HLT,
 * CLI/STI, descriptor-table registers, MSW/CR0, MOV to/from CRn and DRn,
 * CLTS, INVD/WBINVD/INVLPG, SYSENTER/SYSEXIT, RDTSC/RDPMC, ARPL, UD2 and
 * invalid encodings (group 6 and LAR/LSL are in ops_desc.c). Control-
 * register writes keep the shadow page table coherent.
 * Spec: Intel SDM Vol. 2 (each instruction), Vol. 3A 2.5 (control registers).
 */
#include "common/log.h"
#include "cpu/debug.h"
#include "cpu/mmu.h"
#include "cpu/ops.h"

enum { CR4_VME = 1u << 0, CR4_PVI = 1u << 1, CR4_TSD = 1u << 2, CR4_DE = 1u << 3,
       CR4_PSE = 1u << 4, CR4_PAE = 1u << 5, CR4_MCE = 1u << 6, CR4_PGE = 1u << 7,
       CR4_PCE = 1u << 8, CR4_OSFXSR = 1u << 9 };

enum { CPUID_EDX_VME = 1u << 1, CPUID_EDX_MCE = 1u << 7 };

int cpu_need_cpl0(struct cpu *c)
{
    if ((c->eflags & FL_VM) || (cpu_pmode(c) && c->cpl))
        return cpu_fault_err(c, EXC_GP, 0);
    return 0;
}

int op_invalid(struct cpu *c, const struct insn *in)
{
    if (c->model->has_ud)
        return cpu_fault(c, EXC_UD);
    /* The 8086 has no invalid opcodes: Kiln runs undefined forms as no-ops. */
    log_msg(LOG_GUEST, "cpu", "undefined 8086 encoding at %04x:%04x (opcode %02x) run as a no-op",
            c->seg[SEG_CS].sel, c->insn_eip, in->opcode);
    return 0;
}

int op_ud2(struct cpu *c, const struct insn *in)
{
    (void)in;
    return cpu_fault(c, EXC_UD);
}

int op_hlt(struct cpu *c, const struct insn *in)
{
    (void)in;
    TRY(cpu_need_cpl0(c));
    c->halted = 1;
    return 0;
}

/* CLI/STI: protected mode needs CPL <= IOPL; V86 needs IOPL 3. */
static int if_allowed(struct cpu *c)
{
    unsigned iopl = (c->eflags >> 12) & 3;
    if ((c->eflags & FL_VM) ? iopl < 3 : (cpu_pmode(c) && c->cpl > iopl))
        return cpu_fault_err(c, EXC_GP, 0);
    return 0;
}

int op_cli(struct cpu *c, const struct insn *in)
{
    (void)in;
    TRY(if_allowed(c));
    c->eflags &= ~(uint32_t)FL_IF;
    return 0;
}

int op_sti(struct cpu *c, const struct insn *in)
{
    (void)in;
    TRY(if_allowed(c));
    if (!(c->eflags & FL_IF))
        c->irq_shadow = 1; /* interrupts resume after the next instruction */
    c->eflags |= FL_IF;
    return 0;
}

int op_clts(struct cpu *c, const struct insn *in)
{
    (void)in;
    TRY(cpu_need_cpl0(c));
    c->cr[0] &= ~(uint32_t)CR0_TS;
    return 0;
}

int op_lgdt_lidt(struct cpu *c, const struct insn *in)
{
    TRY(cpu_need_cpl0(c));
    uint32_t ea = ea_offset(c, in), limit, base;
    uint32_t ea2 = in->addrsize == 2 ? (ea + 2) & 0xffff : ea + 2;
    TRY(mem_read(c, in->seg, ea, 2, &limit));
    TRY(mem_read(c, in->seg, ea2, 4, &base));
    if (in->opsize == 2)
        base &= 0xffffff;
    struct dtr *t = in->reg == 2 ? &c->gdtr : &c->idtr;
    t->limit = (uint16_t)limit;
    t->base = base;
    return 0;
}

int op_sgdt_sidt(struct cpu *c, const struct insn *in)
{
    const struct dtr *t = in->reg == 0 ? &c->gdtr : &c->idtr;
    uint32_t ea = ea_offset(c, in);
    uint32_t ea2 = in->addrsize == 2 ? (ea + 2) & 0xffff : ea + 2;
    uint32_t base = t->base;
    /* 16-bit form: the 286 stores 1s in the top byte, later CPUs 0s (SDM, SGDT). */
    if (in->opsize == 2)
        base = (base & 0xffffff) | (c->model->gen == CPU_286 ? 0xff000000u : 0);
    TRY(mem_probe_write(c, in->seg, ea2, 4));
    TRY(mem_write(c, in->seg, ea, 2, t->limit));
    return mem_write(c, in->seg, ea2, 4, base);
}

int op_smsw(struct cpu *c, const struct insn *in)
{
    if (!in->is_mem && in->opsize == 4)
        return e_write(c, in, 4, c->cr[0]);
    return e_write(c, in, in->is_mem ? 2 : in->opsize, c->cr[0] & 0xffff);
}

/* Write CR0 with the checks of MOV CR0 (SDM Vol. 3A 2.5). */
static int cr0_write(struct cpu *c, uint32_t v)
{
    if ((v & CR0_PG) && !(v & CR0_PE))
        return cpu_fault_err(c, EXC_GP, 0);
    if (c->model->gen >= CPU_486 && (v & CR0_NW) && !(v & CR0_CD))
        return cpu_fault_err(c, EXC_GP, 0);
    uint32_t keep = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_PG;
    if (c->model->gen >= CPU_486)
        keep |= CR0_NE | CR0_WP | CR0_AM | CR0_NW | CR0_CD;
    v &= keep;
    if (c->model->gen >= CPU_386)
        v |= CR0_ET; /* the 486 and later hardwire ET; Kiln's 386 always has a 387 */
    uint32_t old = c->cr[0];
    c->cr[0] = v;
    if ((old ^ v) & (CR0_PG | CR0_WP | CR0_PE))
        mmu_flush(c);
    return 0;
}

int op_lmsw(struct cpu *c, const struct insn *in)
{
    TRY(cpu_need_cpl0(c));
    uint32_t v;
    TRY(e_read(c, in, 2, &v));
    /* LMSW sets PE but never clears it; it changes only MP, EM and TS otherwise. */
    uint32_t low = (v & 0xf) | (c->cr[0] & CR0_PE);
    if (c->model->gen == CPU_286) {
        c->cr[0] = (c->cr[0] & ~0xfu) | low;
        return 0;
    }
    return cr0_write(c, (c->cr[0] & ~0xfu) | low);
}

int op_mov_Rd_Cd(struct cpu *c, const struct insn *in)
{
    TRY(cpu_need_cpl0(c));
    int cr = in->reg;
    if (cr == 1 || cr > 4 || (cr == 4 && !c->model->cpuid_max))
        return cpu_fault(c, EXC_UD);
    c->r[in->rm] = c->cr[cr];
    return 0;
}

int op_mov_Cd_Rd(struct cpu *c, const struct insn *in)
{
    TRY(cpu_need_cpl0(c));
    int cr = in->reg;
    uint32_t v = c->r[in->rm];
    switch (cr) {
    case 0: return cr0_write(c, v);
    case 2: c->cr[2] = v; return 0;
    case 3: mmu_load_cr3(c, v & 0xfffff018u); return 0;
    case 4: {
        if (!c->model->cpuid_max)
            return cpu_fault(c, EXC_UD);
        uint32_t ok = CR4_TSD | CR4_DE | CR4_PSE;
        if (c->model->gen >= CPU_PENTIUM2)
            ok |= CR4_PGE | CR4_PCE | CR4_OSFXSR; /* OSFXSR exists where CPUID reports FXSR */
        /* VME and PVI exist only with the VME feature; a model that does
         * not report it (Kiln implements no VME) has them reserved, and
         * setting a reserved CR4 bit is #GP(0) (SDM Vol. 3A 2.5, MOV CR). */
        if (c->model->cpuid_features & CPUID_EDX_VME)
            ok |= CR4_VME | CR4_PVI;
        /* Likewise MCE: Kiln models no machine-check architecture and does not report it. */
        if (c->model->cpuid_features & CPUID_EDX_MCE)
            ok |= CR4_MCE;
        if (v & ~ok)
            return cpu_fault_err(c, EXC_GP, 0);
        uint32_t old = c->cr[4];
        c->cr[4] = v;
        if ((old ^ v) & (CR4_PSE | CR4_PGE | CR4_PAE))
            mmu_flush(c);
        return 0;
    }
    default: return cpu_fault(c, EXC_UD);
    }
}

/* DR4/DR5 alias DR6/DR7 unless CR4.DE is set, when they are #UD. */
static int dr_index(struct cpu *c, int dr, int *out)
{
    if (dr == 4 || dr == 5) {
        if (c->cr[4] & CR4_DE)
            return cpu_fault(c, EXC_UD);
        dr += 2;
    }
    *out = dr;
    return 0;
}

/* DR7.GD: any MOV DRn raises #DB first, with DR6.BD, and clears GD (SDM 17.2.4). */
static int general_detect(struct cpu *c)
{
    if (!(c->dr[7] & (1u << 13)))
        return 0;
    c->dr[6] |= 1u << 13;
    c->dr[7] &= ~(1u << 13);
    debug_update(c);
    return cpu_fault(c, EXC_DB);
}

int op_mov_Rd_Dd(struct cpu *c, const struct insn *in)
{
    int dr = 0;
    TRY(cpu_need_cpl0(c));
    TRY(general_detect(c));
    TRY(dr_index(c, in->reg, &dr));
    c->r[in->rm] = c->dr[dr];
    return 0;
}

int op_mov_Dd_Rd(struct cpu *c, const struct insn *in)
{
    int dr = 0;
    TRY(cpu_need_cpl0(c));
    TRY(general_detect(c));
    TRY(dr_index(c, in->reg, &dr));
    uint32_t v = c->r[in->rm];
    if (dr == 6)
        v = (v & 0x0000e00fu) | 0xffff0ff0u;
    else if (dr == 7)
        v = (v & 0xffff2fffu) | 0x400u;
    c->dr[dr] = v;
    debug_update(c);
    return 0;
}

int op_invd(struct cpu *c, const struct insn *in)
{
    (void)in;
    return cpu_need_cpl0(c); /* Kiln has no caches to flush */
}

int op_invlpg(struct cpu *c, const struct insn *in)
{
    TRY(cpu_need_cpl0(c));
    uint32_t lin;
    /* The operand's linear address names the page; no access, no limit fault on P6. */
    lin = c->seg[in->seg].base + ea_offset(c, in);
    tlb_flush_page(&c->tlb, lin);
    return 0;
}

int op_arpl(struct cpu *c, const struct insn *in)
{
    if (!cpu_pmode(c))
        return cpu_fault(c, EXC_UD);
    uint32_t d;
    TRY(e_read(c, in, 2, &d));
    uint32_t s = reg_get(c, in->reg, 2);
    if ((d & 3) < (s & 3)) {
        TRY(e_write(c, in, 2, (d & ~3u) | (s & 3)));
        flags_set_arith(c, FL_ZF, FL_ZF);
    } else {
        flags_set_arith(c, FL_ZF, 0);
    }
    return 0;
}

/* Flat 4 GiB segment for SYSENTER/SYSEXIT (SDM Vol. 2B, SYSENTER). */
static void flat_seg(struct seg_cache *s, uint16_t sel, bool code, unsigned dpl)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xffffffffu;
    s->attr = (uint16_t)(SEG_ATTR_G | SEG_ATTR_DB | SEG_ATTR_P | (dpl << 5) | (code ? 0x1b : 0x13));
}

int op_sysenter(struct cpu *c, const struct insn *in)
{
    (void)in;
    uint16_t cs = (uint16_t)c->msr.sysenter_cs;
    if (!(c->cr[0] & CR0_PE) || !(cs & 0xfffc))
        return cpu_fault_err(c, EXC_GP, 0);
    c->eflags &= ~(uint32_t)(FL_VM | FL_IF | FL_RF);
    flat_seg(&c->seg[SEG_CS], cs & 0xfffc, true, 0);
    flat_seg(&c->seg[SEG_SS], (uint16_t)((cs & 0xfffc) + 8), false, 0);
    c->cpl = 0;
    c->r[R_ESP] = (uint32_t)c->msr.sysenter_esp;
    c->next_eip = (uint32_t)c->msr.sysenter_eip;
    return 0;
}

int op_sysexit(struct cpu *c, const struct insn *in)
{
    (void)in;
    uint16_t cs = (uint16_t)c->msr.sysenter_cs;
    if (!cpu_pmode(c) || c->cpl || !(cs & 0xfffc))
        return cpu_fault_err(c, EXC_GP, 0);
    flat_seg(&c->seg[SEG_CS], (uint16_t)((cs + 16) | 3), true, 3);
    flat_seg(&c->seg[SEG_SS], (uint16_t)((cs + 24) | 3), false, 3);
    c->cpl = 3;
    c->r[R_ESP] = c->r[R_ECX];
    c->next_eip = c->r[R_EDX];
    return 0;
}

int op_rsm(struct cpu *c, const struct insn *in)
{
    (void)in;
    return cpu_fault(c, EXC_UD); /* Kiln never enters system-management mode */
}

int op_rdtsc(struct cpu *c, const struct insn *in)
{
    (void)in;
    if ((c->cr[4] & CR4_TSD) && (c->cpl || (c->eflags & FL_VM)) && (c->cr[0] & CR0_PE))
        return cpu_fault_err(c, EXC_GP, 0);
    uint64_t t = cpu_tsc(c);
    c->r[R_EAX] = (uint32_t)t;
    c->r[R_EDX] = (uint32_t)(t >> 32);
    return 0;
}

int op_rdpmc(struct cpu *c, const struct insn *in)
{
    (void)in;
    if (!(c->cr[4] & CR4_PCE) && (c->cpl || (c->eflags & FL_VM)) && (c->cr[0] & CR0_PE))
        return cpu_fault_err(c, EXC_GP, 0);
    if (c->r[R_ECX] > 1)
        return cpu_fault_err(c, EXC_GP, 0);
    /* Kiln counts no performance events: both counters read as zero. */
    c->r[R_EAX] = 0;
    c->r[R_EDX] = 0;
    return 0;
}
