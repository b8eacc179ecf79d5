/* SPDX-License-Identifier: MIT */
/*
 * The monitor's 'info registers', 'info pic' and 'info pci', laid out as
 * QEMU prints them for an i386 guest so that habits and scripts carry
 * over. Reads struct cpu, the PIC pair and PCI configuration space; writes
 * nothing (the lazy flags are evaluated without being stored).
 */
#include <string.h>

#include "cpu/flags.h"
#include "cpu/fpu.h"
#include "frontend/monitor_priv.h"

static const char *const seg_names[SEG_COUNT] = {"ES", "CS", "SS", "DS", "FS", "GS"};

/* A segment cache as QEMU shows it: selector, base, limit, and the flags
 * doubleword (descriptor bits 32-63 without base and limit). */
static void print_seg(FILE *o, const char *name, const struct seg_cache *s)
{
    fprintf(o, "%-3s=%04x %08x %08x %08x\n", name, s->sel, s->base, s->limit,
            (uint32_t)s->attr << 8);
}

void monitor_info_registers(struct monitor *mon)
{
    const struct cpu *c = mon->cpu;
    FILE *o = mon->out;
    uint32_t fl = c->eflags;
    if (c->lf_op != LF_NONE) fl = (fl & ~(uint32_t)FL_ARITH) | flags_compute_arith(c);
    fprintf(o, "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n", c->r[0], c->r[3], c->r[1], c->r[2]);
    fprintf(o, "ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n", c->r[6], c->r[7], c->r[5], c->r[4]);
    /* The flag letters QEMU shows: D O S Z A P C, '-' when clear. */
    static const struct {
        uint32_t bit;
        char ch;
    } fb[] = {{1u << 10, 'D'}, {1u << 11, 'O'}, {1u << 7, 'S'}, {1u << 6, 'Z'},
              {1u << 4, 'A'},  {1u << 2, 'P'},  {1u << 0, 'C'}};
    char letters[8];
    for (int i = 0; i < 7; i++)
        letters[i] = fl & fb[i].bit ? fb[i].ch : '-';
    letters[7] = 0;
    fprintf(o, "EIP=%08x EFL=%08x [%s] CPL=%d II=%d A20=%d SMM=0 HLT=%d\n", c->eip, fl, letters,
            c->cpl, c->irq_shadow ? 1 : 0, c->a20 ? 1 : 0, c->halted ? 1 : 0);
    for (int s = 0; s < SEG_COUNT; s++)
        print_seg(o, seg_names[s], &c->seg[s]);
    print_seg(o, "LDT", &c->ldtr);
    print_seg(o, "TR", &c->tr);
    fprintf(o, "GDT=     %08x %08x\n", c->gdtr.base, c->gdtr.limit);
    fprintf(o, "IDT=     %08x %08x\n", c->idtr.base, c->idtr.limit);
    fprintf(o, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x\n", c->cr[0], c->cr[2], c->cr[3], c->cr[4]);
    fprintf(o, "DR0=%08x DR1=%08x DR2=%08x DR3=%08x\n", c->dr[0], c->dr[1], c->dr[2], c->dr[3]);
    fprintf(o, "DR6=%08x DR7=%08x\n", c->dr[6], c->dr[7]);
    fprintf(o, "FCW=%04x FSW=%04x [ST=%d] FTW=%04x\n", c->fpu.cw, c->fpu.sw, fpu_top(&c->fpu),
            fpu_tag_word(&c->fpu));
}

/* The 8259A's request register as the chip would report it: edge latches,
 * pulses held for INTA, and level inputs on level-triggered lines. */
static uint8_t pic_irr(const struct pic_chip *p)
{
    return (uint8_t)(p->edge | p->hold | (p->level & p->elcr));
}

void monitor_info_pic(struct monitor *mon)
{
    for (int i = 0; i < 2; i++) {
        const struct pic_chip *p = &mon->pc->pic.chip[i];
        fprintf(mon->out,
                "pic%d: irr=%02x imr=%02x isr=%02x hprio=%d irq_base=%02x rr_sel=%d elcr=%02x "
                "fnm=%d\n",
                i, pic_irr(p), p->imr, p->isr, (p->lowest + 1) & 7, p->base, p->read_isr ? 1 : 0,
                p->elcr, p->sfnm ? 1 : 0);
    }
}

static uint32_t cfg_read(const struct pci_device *d, int off, int size)
{
    uint32_t v = 0;
    for (int i = size - 1; i >= 0; i--)
        v = v << 8 | d->config[off + i];
    return v;
}

/* The class names QEMU prints for the classes a PC has. */
static const char *class_name(uint32_t cls)
{
    static const struct {
        uint16_t cls;
        const char *name;
    } names[] = {
        {0x0101, "IDE controller"},
        {0x0100, "SCSI controller"},
        {0x0200, "Ethernet controller"},
        {0x0300, "VGA controller"},
        {0x0380, "Display controller"},
        {0x0401, "Audio controller"},
        {0x0600, "Host bridge"},
        {0x0601, "ISA bridge"},
        {0x0680, "Bridge"},
        {0x0c03, "USB controller"},
        {0x0c05, "SMBus"},
    };
    for (size_t i = 0; i < KILN_ARRAY_SIZE(names); i++)
        if (names[i].cls == cls) return names[i].name;
    return "Class";
}

void monitor_info_pci(struct monitor *mon)
{
    FILE *o = mon->out;
    const struct pci *p = &mon->pc->pci;
    for (int devfn = 0; devfn < 256; devfn++) {
        const struct pci_device *d = p->slot[devfn];
        if (!d) continue;
        uint32_t cls = cfg_read(d, 0x0a, 2);
        fprintf(o, "  Bus  0, device %3d, function %d:\n", devfn >> 3, devfn & 7);
        const char *name = class_name(cls);
        if (!strcmp(name, "Class"))
            fprintf(o, "    Class %04x: PCI device %04x:%04x\n", cls, cfg_read(d, 0, 2),
                    cfg_read(d, 2, 2));
        else
            fprintf(o, "    %s: PCI device %04x:%04x\n", name, cfg_read(d, 0, 2),
                    cfg_read(d, 2, 2));
        uint8_t pin = d->config[PCI_INTERRUPT_PIN];
        if (pin) fprintf(o, "      IRQ %d, pin %c\n", d->config[PCI_INTERRUPT_LINE], 'A' + pin - 1);
        for (int b = 0; b < 6; b++) {
            const struct pci_bar *bar = &d->bar[b];
            if (!bar->size) continue;
            uint32_t base = cfg_read(d, PCI_BAR0 + 4 * b, 4) & (bar->io ? ~3u : ~15u);
            fprintf(o, "      BAR%d: %s at 0x%x [0x%x]%s.\n", b, bar->io ? "I/O" : "32 bit memory",
                    base, base + bar->size - 1,
                    bar->mapped == PCI_BAR_UNMAPPED ? " (not decoded)" : "");
        }
        fprintf(o, "      id \"\"\n");
    }
}
