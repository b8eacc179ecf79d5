/* SPDX-License-Identifier: MIT */
/*
 * The PIIX4 ACPI power-management block (see acpi_pm.h): PM1 event and
 * control registers, the PM timer and GPE0, with the SCI. Owns only struct
 * acpi_pm. The timer is derived from guest time on every read, so it needs
 * no timer of its own; only its overflow status, while enabled, arms one.
 * Spec: Intel 82371AB (PIIX4) datasheet, "Power Management I/O Registers".
 */
#include "devices/acpi_pm.h"

#include <stddef.h>

enum {
    NS_PER_S = 1000000000u,
    TMR_BITS = 24,
    PM1_SCI_EVENTS = ACPI_PM1_TMROF | ACPI_PM1_GBL | ACPI_PM1_PWRBTN | ACPI_PM1_RTC,
    PM1_STS_BITS = PM1_SCI_EVENTS | ACPI_PM1_BM | ACPI_PM1_WAK,
    PM1_CNT_RW = ACPI_PM1_BM_RLD | ACPI_PM1_SUS_TYP,
};

/* Timer ticks since guest time 0. The split keeps every product in 64 bits. */
static uint64_t ticks_at(uint64_t ns)
{
    return ns / NS_PER_S * ACPI_PM_TIMER_HZ + ns % NS_PER_S * ACPI_PM_TIMER_HZ / NS_PER_S;
}

/* The first guest time at which the tick count reaches 'ticks'. */
static uint64_t ns_of_ticks(uint64_t ticks)
{
    uint64_t rem = ticks % ACPI_PM_TIMER_HZ;
    return ticks / ACPI_PM_TIMER_HZ * NS_PER_S +
           (rem * NS_PER_S + ACPI_PM_TIMER_HZ - 1) / ACPI_PM_TIMER_HZ;
}

uint32_t acpi_pm_timer_at(uint64_t ns)
{
    return (uint32_t)(ticks_at(ns) & ((1u << TMR_BITS) - 1));
}

/* TMROF_STS sets each time bit 23 of the counter changes. */
static void update_overflow(struct acpi_pm *pm)
{
    uint64_t half_periods = ticks_at(clock_now(pm->clock)) >> (TMR_BITS - 1);
    if (half_periods != pm->of_seen) {
        pm->sts |= ACPI_PM1_TMROF;
        pm->of_seen = half_periods;
    }
}

static void update_sci(struct acpi_pm *pm)
{
    bool level = (pm->cnt & ACPI_PM1_SCI_EN) &&
                 ((pm->sts & pm->en & PM1_SCI_EVENTS) || (pm->gpe_sts & pm->gpe_en));
    if (level != pm->sci_level) {
        pm->sci_level = level;
        irq_set(&pm->sci, level);
    }
}

/* While TMROF_EN is set, wake at the next change of bit 23. */
static void arm_overflow(struct acpi_pm *pm)
{
    if (pm->en & ACPI_PM1_TMROF)
        clock_timer_arm(pm->clock, &pm->overflow,
                        ns_of_ticks((pm->of_seen + 1) << (TMR_BITS - 1)));
    else
        clock_timer_cancel(pm->clock, &pm->overflow);
}

static void overflow_cb(void *opaque)
{
    struct acpi_pm *pm = opaque;
    update_overflow(pm);
    update_sci(pm);
    arm_overflow(pm);
}

/* The block's 16 bytes as a read sees them now. */
static void snapshot_regs(struct acpi_pm *pm, uint8_t r[ACPI_PM_SIZE])
{
    update_overflow(pm);
    uint32_t tmr = acpi_pm_timer_at(clock_now(pm->clock));
    const uint16_t words[] = {pm->sts, pm->en, pm->cnt, 0, (uint16_t)tmr, (uint16_t)(tmr >> 16),
                              pm->gpe_sts, pm->gpe_en};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        r[2 * i] = (uint8_t)words[i];
        r[2 * i + 1] = (uint8_t)(words[i] >> 8);
    }
}

static uint32_t pm_read(void *opaque, uint32_t addr, int size)
{
    uint8_t r[ACPI_PM_SIZE];
    snapshot_regs(opaque, r);
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)r[addr + (uint32_t)i] << (8 * i);
    return v;
}

/* Merge the bytes of a write that fall in the 16-bit register at 'reg'.
 * Returns the mask of the bits written. */
static uint16_t lanes(uint32_t addr, int size, uint32_t val, uint32_t reg, uint16_t *bits)
{
    uint16_t mask = 0;
    *bits = 0;
    for (int i = 0; i < size; i++) {
        uint32_t a = addr + (uint32_t)i;
        if (a == reg || a == reg + 1) {
            int shift = 8 * (int)(a - reg);
            mask |= (uint16_t)(0xff << shift);
            *bits |= (uint16_t)(((val >> (8 * i)) & 0xff) << shift);
        }
    }
    return mask;
}

/* SUS_EN with a sleep type: only soft off is declared to the OS (\_S5). */
static void sleep_request(struct acpi_pm *pm)
{
    unsigned type = (pm->cnt & ACPI_PM1_SUS_TYP) >> ACPI_PM1_SUS_TYP_SHIFT;
    if (type == 0 && pm->host.power_off)
        pm->host.power_off(pm->host.opaque);
}

static void pm_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct acpi_pm *pm = opaque;
    uint16_t v, m;
    update_overflow(pm);
    if ((m = lanes(addr, size, val, ACPI_PM1_STS, &v)))
        pm->sts &= (uint16_t)~(v & m & PM1_STS_BITS); /* write 1 to clear */
    if ((m = lanes(addr, size, val, ACPI_PM1_EN, &v))) {
        pm->en = (uint16_t)((pm->en & ~m) | (v & m & PM1_SCI_EVENTS));
        arm_overflow(pm);
    }
    if ((m = lanes(addr, size, val, ACPI_PM1_CNT, &v))) {
        pm->cnt = (uint16_t)((pm->cnt & ~(m & PM1_CNT_RW)) | (v & m & PM1_CNT_RW));
        if (v & m & ACPI_PM1_SUS_EN)
            sleep_request(pm);
    }
    if ((m = lanes(addr, size, val, ACPI_GPE0_STS, &v)))
        pm->gpe_sts &= (uint16_t)~(v & m);
    if ((m = lanes(addr, size, val, ACPI_GPE0_EN, &v)))
        pm->gpe_en = (uint16_t)((pm->gpe_en & ~m) | (v & m));
    update_sci(pm);
}

static const struct io_ops pm_ops = {pm_read, pm_write};

void acpi_pm_reset(struct acpi_pm *pm)
{
    pm->sts = pm->en = 0;
    pm->cnt = ACPI_PM1_SCI_EN;
    pm->gpe_sts = pm->gpe_en = 0;
    pm->of_seen = ticks_at(clock_now(pm->clock)) >> (TMR_BITS - 1);
    clock_timer_cancel(pm->clock, &pm->overflow);
    pm->sci_level = false;
    irq_set(&pm->sci, false);
}

bool acpi_pm_init(struct acpi_pm *pm, struct bus *b, struct clock *c, struct irq_line sci,
                  const struct acpi_pm_host *host)
{
    pm->clock = c;
    pm->sci = sci;
    pm->host = *host;
    clock_timer_init(&pm->overflow, overflow_cb, pm);
    acpi_pm_reset(pm);
    return bus_map_io(b, ACPI_PM_BASE, ACPI_PM_SIZE, &pm_ops, pm);
}
