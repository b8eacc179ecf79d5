/* SPDX-License-Identifier: MIT */
/*
 * The sections of a snapshot (see snapshot_state.h). Device structures are
 * saved as images; on load, the fields that belong to this process rather
 * than to the machine (pointers to the clock and bus, IRQ lines, callbacks,
 * timer links) are kept from the live structure, listed per device below.
 * Timer deadlines travel in their own section and are armed again once
 * every device is back. The CPU is saved field by field: its TLB and
 * decoded-instruction cache are rebuilt, not saved.
 */
#include "frontend/snapshot_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/debug.h"
#include "cpu/flags.h"
#include "cpu/tlb.h"

/* 'keep' is in ascending order of offset (see snapshot_state.h). */
void snap_restore_keeping(void *live, const void *saved, size_t size, const struct keep *keep,
                          int n)
{
    uint8_t *l = live;
    const uint8_t *s = saved;
    size_t pos = 0;
    for (int i = 0; i < n; i++) {
        if (keep[i].off > pos) memcpy(l + pos, s + pos, keep[i].off - pos);
        pos = keep[i].off + keep[i].len;
    }
    if (pos < size) memcpy(l + pos, s + pos, size - pos);
}

/* ---- CPU ---- */

struct snap_cpu {
    uint32_t r[8], eip, eflags;
    uint8_t cpl, halted, irq_shadow, rep_active, a20;
    struct seg_cache seg[SEG_COUNT], ldtr, tr;
    uint32_t cr[5], dr[8];
    struct dtr gdtr, idtr;
    uint64_t tsc, icount;
    struct msr_state msr;
    struct fpu fpu;
};

static size_t cpu_size(const struct pc *pc)
{
    (void)pc;
    return sizeof(struct snap_cpu);
}

static void cpu_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)pc;
    struct snap_cpu s;
    memset(&s, 0, sizeof(s));
    memcpy(s.r, c->r, sizeof(s.r));
    s.eip = c->eip;
    s.eflags = c->eflags;
    if (c->lf_op != LF_NONE) /* materialised without touching the live CPU */
        s.eflags = (s.eflags & ~(uint32_t)FL_ARITH) | flags_compute_arith(c);
    s.cpl = c->cpl;
    s.halted = c->halted;
    s.irq_shadow = c->irq_shadow;
    s.rep_active = c->rep_active;
    s.a20 = c->a20;
    memcpy(s.seg, c->seg, sizeof(s.seg));
    s.ldtr = c->ldtr;
    s.tr = c->tr;
    memcpy(s.cr, c->cr, sizeof(s.cr));
    memcpy(s.dr, c->dr, sizeof(s.dr));
    s.gdtr = c->gdtr;
    s.idtr = c->idtr;
    s.tsc = c->tsc;
    s.icount = c->icount;
    s.msr = c->msr;
    s.fpu = c->fpu;
    memcpy(out, &s, sizeof(s));
}

static bool cpu_check(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen)
{
    (void)pc;
    (void)len;
    struct snap_cpu s;
    memcpy(&s, in, sizeof(s));
    if (s.cpl > 3 || s.halted > 1 || s.a20 > 1) {
        snprintf(why, whylen, "impossible CPU state (CPL %u)", s.cpl);
        return false;
    }
    return true;
}

static void cpu_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)pc;
    (void)len;
    struct snap_cpu s;
    memcpy(&s, in, sizeof(s));
    memcpy(c->r, s.r, sizeof(s.r));
    c->eip = s.eip;
    c->eflags = s.eflags;
    c->lf_op = LF_NONE;
    c->cpl = s.cpl;
    c->halted = s.halted;
    c->irq_shadow = s.irq_shadow;
    c->rep_active = s.rep_active;
    memcpy(c->seg, s.seg, sizeof(s.seg));
    c->ldtr = s.ldtr;
    c->tr = s.tr;
    memcpy(c->cr, s.cr, sizeof(s.cr));
    memcpy(c->dr, s.dr, sizeof(s.dr));
    c->gdtr = s.gdtr;
    c->idtr = s.idtr;
    c->tsc = s.tsc;
    c->icount = s.icount;
    c->msr = s.msr;
    c->fpu = s.fpu;
    c->exc_vector = 0;
    c->exc_has_error = 0;
    cpu_set_a20(c, s.a20 != 0);
    debug_update(c);
    tlb_flush_all(&c->tlb);
    memset(c->icache, 0, sizeof(c->icache));
}

/* ---- RAM: a bitmap of the 4 KiB pages that are not all zeros, then those
 * pages in order. Most of a guest's RAM is untouched: skipping it is what
 * keeps savevm fast, not the compressor. ---- */

#define RAM_PAGE 4096u

static size_t ram_pages(const struct pc *pc)
{
    return pc->ram_size / RAM_PAGE;
}

static size_t ram_map_bytes(const struct pc *pc)
{
    return (ram_pages(pc) + 7) / 8;
}

static bool page_zero(const uint8_t *p)
{
    static const uint8_t zero[RAM_PAGE];
    return !memcmp(p, zero, RAM_PAGE);
}

static size_t ram_size(const struct pc *pc)
{
    return ram_map_bytes(pc) + pc->ram_size;
}

static size_t ram_save_size(const struct pc *pc)
{
    const uint8_t *ram = bus_ram(pc->bus);
    size_t n = 0;
    for (size_t i = 0; i < ram_pages(pc); i++)
        n += !page_zero(ram + i * RAM_PAGE);
    return ram_map_bytes(pc) + n * RAM_PAGE;
}

static void ram_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)c;
    const uint8_t *ram = bus_ram(pc->bus);
    uint8_t *map = out, *page = out + ram_map_bytes(pc);
    memset(map, 0, ram_map_bytes(pc));
    for (size_t i = 0; i < ram_pages(pc); i++) {
        if (page_zero(ram + i * RAM_PAGE)) continue;
        map[i / 8] |= (uint8_t)(1u << (i % 8));
        memcpy(page, ram + i * RAM_PAGE, RAM_PAGE);
        page += RAM_PAGE;
    }
}

static bool ram_check(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen)
{
    size_t n = 0;
    if (len >= ram_map_bytes(pc))
        for (size_t i = 0; i < ram_pages(pc); i++)
            n += (in[i / 8] >> (i % 8)) & 1;
    if (len < ram_map_bytes(pc) || len != ram_map_bytes(pc) + n * RAM_PAGE) {
        snprintf(why, whylen, "a page map that does not match its length");
        return false;
    }
    return true;
}

static void ram_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)c;
    (void)len;
    uint8_t *ram = bus_ram(pc->bus);
    const uint8_t *page = in + ram_map_bytes(pc);
    for (size_t i = 0; i < ram_pages(pc); i++) {
        if ((in[i / 8] >> (i % 8)) & 1) {
            memcpy(ram + i * RAM_PAGE, page, RAM_PAGE);
            page += RAM_PAGE;
        } else {
            memset(ram + i * RAM_PAGE, 0, RAM_PAGE);
        }
    }
}

/* ---- devices saved as images ---- */

#define UART_KEEP(i)                                                                               \
    {offsetof(struct pc, uart[i].clock) - offsetof(struct pc, uart), sizeof(struct clock *)},      \
        {offsetof(struct pc, uart[i].irq) - offsetof(struct pc, uart), sizeof(struct irq_line)},   \
        {offsetof(struct pc, uart[i].backend) - offsetof(struct pc, uart),                         \
         sizeof(struct uart_backend)},                                                             \
    {                                                                                              \
        offsetof(struct pc, uart[i].tx_timer) - offsetof(struct pc, uart),                         \
            2 * sizeof(struct clock_timer)                                                         \
    }
static const struct keep uart_keep[] = {UART_KEEP(0), UART_KEEP(1), UART_KEEP(2), UART_KEEP(3)};
static const struct keep com_irq_keep[] = {
    {offsetof(struct irq_or, out), sizeof(struct irq_line)},
    {sizeof(struct irq_or) + offsetof(struct irq_or, out), sizeof(struct irq_line)}};
static const struct keep pic_keep[] = {KEEP(struct pic, clock), KEEP(struct pic, intr)};
static const struct keep kbc_keep[] = {KEEP(struct kbc, clock), KEEP(struct kbc, deliver),
                                       KEEP(struct kbc, irq), KEEP(struct kbc, host),
                                       KEEP(struct kbc, port)};
static const struct keep kbd_keep[] = {KEEP(struct ps2kbd, clock), KEEP(struct ps2kbd, ready),
                                       KEEP(struct ps2kbd, repeat)};
static const struct keep mouse_keep[] = {KEEP(struct ps2mouse, clock), KEEP(struct ps2mouse, ready),
                                         KEEP(struct ps2mouse, sample)};
static const struct keep rtc_keep[] = {KEEP(struct rtc, clock), KEEP(struct rtc, irq),
                                       KEEP(struct rtc, update_timer),
                                       KEEP(struct rtc, periodic_timer)};
#define PIT_CTR_KEEP(i)                                                                            \
    {offsetof(struct pit, ctr[i].pit), sizeof(struct pit *)},                                      \
        {offsetof(struct pit, ctr[i].out_line), sizeof(struct irq_line)},                          \
    {                                                                                              \
        offsetof(struct pit, ctr[i].timer), sizeof(struct clock_timer)                             \
    }
static const struct keep acpi_pm_keep[] = {KEEP(struct acpi_pm, clock), KEEP(struct acpi_pm, sci),
                                           KEEP(struct acpi_pm, host),
                                           KEEP(struct acpi_pm, overflow)};
static const struct keep pit_keep[] = {PIT_CTR_KEEP(0), PIT_CTR_KEEP(1), PIT_CTR_KEEP(2),
                                       KEEP(struct pit, clock)};

struct image_dev {
    size_t offset, size; /* of the device inside struct pc */
    const struct keep *keep;
    int n_keep;
};

#define IMAGE(field, k)                                                                            \
    {                                                                                              \
        offsetof(struct pc, field), sizeof(((struct pc *)0)->field), k, (int)KILN_ARRAY_SIZE(k)    \
    }
static const struct image_dev images[] = {
    IMAGE(pic, pic_keep),   IMAGE(pit, pit_keep),         IMAGE(rtc, rtc_keep),
    IMAGE(kbc, kbc_keep),   IMAGE(kbd, kbd_keep),         IMAGE(mouse, mouse_keep),
    IMAGE(uart, uart_keep), IMAGE(com_irq, com_irq_keep), IMAGE(acpi_pm, acpi_pm_keep),
};

static size_t images_size(const struct pc *pc)
{
    (void)pc;
    size_t n = 0;
    for (size_t i = 0; i < KILN_ARRAY_SIZE(images); i++)
        n += images[i].size;
    return n + 2; /* the A20 inputs */
}

static void images_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)c;
    for (size_t i = 0; i < KILN_ARRAY_SIZE(images); i++) {
        memcpy(out, (const uint8_t *)pc + images[i].offset, images[i].size);
        out += images[i].size;
    }
    out[0] = pc->a20_kbc;
    out[1] = pc->a20_port92;
}

/* The fields devices use as array indexes or table selectors. A file that
 * passed the CRC and fingerprint checks but holds other values was not
 * written by Kiln, and is refused rather than trusted. */
static bool images_check(const struct pc *pc, const uint8_t *in, size_t len, char *why,
                         size_t whylen)
{
    (void)pc;
    (void)len;
    /* Copies, so that the checks read aligned, typed fields. */
    struct pc *t = malloc(sizeof(*t));
    if (!t) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    for (size_t i = 0; i < KILN_ARRAY_SIZE(images); i++) {
        memcpy((uint8_t *)t + images[i].offset, in, images[i].size);
        in += images[i].size;
    }
    const char *bad = NULL;
    for (int i = 0; i < 2; i++)
        if (t->pic.chip[i].lowest > 7 || t->pic.chip[i].init_step > 4) bad = "PIC";
    for (int i = 0; i < 3; i++) {
        const struct pit_counter *c = &t->pit.ctr[i];
        if (c->mode > 5 || c->rw > 3 || c->state > PIT_HOLD) bad = "PIT";
    }
    if (t->rtc.index > 127) bad = "RTC";
    if (t->kbc.q_head < 0 || t->kbc.q_head >= KBC_QUEUE_SIZE || t->kbc.q_count < 0 ||
        t->kbc.q_count > KBC_QUEUE_SIZE)
        bad = "8042";
    const struct ps2kbd *k = &t->kbd;
    if (k->q_head < 0 || k->q_head >= PS2KBD_QUEUE || k->q_count < 0 || k->q_count > PS2KBD_QUEUE ||
        k->paste_head < 0 || k->paste_head >= PS2KBD_PASTE || k->paste_count < 0 ||
        k->paste_count > PS2KBD_PASTE || k->set < 1 || k->set > 3 || (int)k->repeat_key < 0 ||
        k->repeat_key >= KILN_KEY_COUNT)
        bad = "keyboard";
    const struct ps2mouse *m = &t->mouse;
    if (m->q_head < 0 || m->q_head >= PS2MOUSE_QUEUE || m->q_count < 0 ||
        m->q_count > PS2MOUSE_QUEUE || m->last_len < 0 || m->last_len > 4)
        bad = "mouse";
    for (int i = 0; i < 4; i++) {
        const struct uart_fifo *q[2] = {&t->uart[i].rx, &t->uart[i].tx};
        for (int j = 0; j < 2; j++)
            if (q[j]->head < 0 || q[j]->head >= UART_FIFO_SIZE || q[j]->count < 0 ||
                q[j]->count > UART_FIFO_SIZE)
                bad = "UART";
    }
    free(t);
    if (bad) snprintf(why, whylen, "impossible %s state", bad);
    return !bad;
}

static void images_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)c;
    (void)len;
    for (size_t i = 0; i < KILN_ARRAY_SIZE(images); i++) {
        snap_restore_keeping((uint8_t *)pc + images[i].offset, in, images[i].size, images[i].keep,
                             images[i].n_keep);
        in += images[i].size;
    }
    pc->a20_kbc = in[0] != 0;
    pc->a20_port92 = in[1] != 0;
}

/* ---- VGA: registers (misc .. vbe, contiguous in struct vga) and video memory ---- */

#define VGA_REGS_START offsetof(struct vga, misc)
#define VGA_REGS_END   (offsetof(struct vga, vbe) + sizeof(struct vga_dispi))

static size_t vga_size(const struct pc *pc)
{
    return VGA_REGS_END - VGA_REGS_START + pc->vga.vram_size;
}

static void vga_save(const struct cpu *c, struct pc *pc, uint8_t *out)
{
    (void)c;
    memcpy(out, (const uint8_t *)&pc->vga + VGA_REGS_START, VGA_REGS_END - VGA_REGS_START);
    memcpy(out + (VGA_REGS_END - VGA_REGS_START), pc->vga.vram, pc->vga.vram_size);
}

static bool vga_check(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen)
{
    (void)len;
    struct vga *t = malloc(sizeof(*t));
    if (!t) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    memcpy((uint8_t *)t + VGA_REGS_START, in, VGA_REGS_END - VGA_REGS_START);
    const struct vga_dispi *d = &t->vbe;
    const struct vga_access *a = &t->acc;
    bool ok = t->seq_index < 8 && t->crtc_index < 32 && t->gc_index < 16 && t->ac_index < 64 &&
              t->dac_step < 3 && a->win_start <= 0x18000 && a->win_size <= 0x20000 &&
              a->read_sel <= 2 && a->write_sel <= 2 && a->vbe <= 2 &&
              d->xres <= VBE_DISPI_MAX_XRES && d->yres <= VBE_DISPI_MAX_YRES &&
              d->bpp <= VBE_DISPI_MAX_BPP && d->virt_width <= 0x4000 && d->virt_height <= 0x4000 &&
              ((uint32_t)d->bank << 16) < pc->vga.vram_size;
    if (ok && (d->enable & VBE_DISPI_ENABLED))
        ok = (d->bpp == 4 || d->bpp == 8 || d->bpp == 15 || d->bpp == 16 || d->bpp == 24 ||
              d->bpp == 32) &&
             d->xres && d->yres;
    free(t);
    if (!ok) snprintf(why, whylen, "impossible VGA state");
    return ok;
}

static void vga_load(struct cpu *c, struct pc *pc, const uint8_t *in, size_t len)
{
    (void)c;
    (void)len;
    struct vga *v = &pc->vga;
    memcpy((uint8_t *)v + VGA_REGS_START, in, VGA_REGS_END - VGA_REGS_START);
    memcpy(v->vram, in + (VGA_REGS_END - VGA_REGS_START), v->vram_size);
    /* Everything is new to the renderer. */
    v->regs_dirty = true;
    v->have_frame = false;
    vga_mark_dirty(v, 0, v->vram_size);
}

/* ---- timers ---- */

static struct clock_timer *timer_at(struct pc *pc, int i)
{
    switch (i) {
    case 0:
    case 1:
    case 2: return &pc->pit.ctr[i].timer;
    case 3: return &pc->rtc.update_timer;
    case 4: return &pc->rtc.periodic_timer;
    case 5: return &pc->kbc.deliver;
    case 6: return &pc->kbd.repeat;
    case 7: return &pc->mouse.sample;
    case 16: return &pc->acpi_pm.overflow;
    default:
        if (i >= 17) return snap_storage_timer(pc, i - 17);
        /* 8-15: the four UARTs */
        return (i & 1) ? &pc->uart[(i - 8) / 2].timeout_timer : &pc->uart[(i - 8) / 2].tx_timer;
    }
}

int snap_timer_count(void)
{
    return 17 + snap_storage_timer_count();
}

void snap_timers_deadlines(struct pc *pc, uint64_t *out)
{
    for (int i = 0; i < snap_timer_count(); i++) {
        const struct clock_timer *t = timer_at(pc, i);
        out[i] = t->cb ? t->deadline : CLOCK_NEVER; /* absent UARTs have no timers */
    }
}

void snap_timers_cancel(struct pc *pc)
{
    for (int i = 0; i < snap_timer_count(); i++)
        if (timer_at(pc, i)->cb) clock_timer_cancel(&pc->clock, timer_at(pc, i));
}

void snap_timers_rearm(struct pc *pc, const uint64_t *deadlines)
{
    for (int i = 0; i < snap_timer_count(); i++)
        if (deadlines[i] != CLOCK_NEVER && timer_at(pc, i)->cb)
            clock_timer_arm(&pc->clock, timer_at(pc, i), deadlines[i]);
}

const struct snap_section snap_sections[] = {
    {"CPU ", cpu_size, NULL, cpu_save, cpu_check, cpu_load, false},
    {"RAMP", ram_size, ram_save_size, ram_save, ram_check, ram_load, true},
    {"DEVS", images_size, NULL, images_save, images_check, images_load, false},
    {"VGA ", vga_size, NULL, vga_save, vga_check, vga_load, false},
};
const int snap_section_count = (int)KILN_ARRAY_SIZE(snap_sections);

int snap_section_total(void)
{
    return snap_section_count + snap_storage_section_count;
}

const struct snap_section *snap_section(int i)
{
    return i < snap_section_count ? &snap_sections[i]
                                  : &snap_storage_sections[i - snap_section_count];
}

uint64_t snap_fingerprint(void)
{
    /* FNV-1a over the sizes and offsets the images depend on. */
    const uint64_t parts[] = {
        sizeof(struct snap_cpu),
        sizeof(struct fpu),
        sizeof(struct msr_state),
        sizeof(struct pic),
        sizeof(struct pit),
        sizeof(struct rtc),
        sizeof(struct kbc),
        sizeof(struct ps2kbd),
        sizeof(struct ps2mouse),
        sizeof(struct uart),
        sizeof(struct irq_or),
        sizeof(struct acpi_pm),
        4,
        VGA_REGS_START,
        VGA_REGS_END,
        offsetof(struct pit, ctr[1]),
        offsetof(struct kbc, ram),
        offsetof(struct ps2kbd, q),
        KILN_KEY_COUNT,
        snap_storage_layout(),
    };
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < KILN_ARRAY_SIZE(parts); i++)
        for (int b = 0; b < 8; b++) {
            h ^= (parts[i] >> (8 * b)) & 0xff;
            h *= 0x100000001b3ull;
        }
    return h;
}
