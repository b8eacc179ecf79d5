/* SPDX-License-Identifier: MIT */
/*
 * The ACPI power-management I/O block of an Intel PIIX4 (82371AB function
 * 3), at a fixed port base: PM1 status/enable (00h/02h), PM1 control (04h),
 * the 24-bit 3.579545 MHz PM timer (08h) and GPE0 status/enable (0Ch/0Eh),
 * with the SCI on one IRQ line. Owns only struct acpi_pm; the machine
 * decides what a soft-off request means, through a callback. The ACPI
 * tables that describe this block are acpi_tables.c's.
 *
 * Kiln has no System Management Mode, so the block is always in ACPI mode:
 * SCI_EN reads 1 and cannot be cleared, as the FADT's zero SMI_CMD tells
 * the OS. Spec: Intel 82371AB (PIIX4) datasheet, "Power Management I/O
 * Registers"; ACPI 1.0b section 4.7 (fixed hardware registers).
 */
#ifndef KILN_DEVICES_ACPI_PM_H
#define KILN_DEVICES_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"
#include "devices/bus.h"
#include "devices/clock.h"
#include "devices/irq.h"

#define ACPI_PM_BASE    0xb000 /* the port SeaBIOS gives PMBASE on QEMU's PIIX4 */
#define ACPI_PM_SIZE    0x10
#define ACPI_PM_SCI_IRQ 9      /* the PIIX4's usual SCI routing */
#define ACPI_PM_TIMER_HZ 3579545u

/* Register offsets in the block. */
#define ACPI_PM1_STS 0x00
#define ACPI_PM1_EN  0x02
#define ACPI_PM1_CNT 0x04
#define ACPI_PM_TMR  0x08
#define ACPI_GPE0_STS 0x0c
#define ACPI_GPE0_EN  0x0e

/* PM1 status and enable bits (the same positions in both registers). */
#define ACPI_PM1_TMROF  0x0001 /* timer bit 23 changed */
#define ACPI_PM1_BM     0x0010 /* bus-master status (no enable bit) */
#define ACPI_PM1_GBL    0x0020 /* the BIOS released the global lock */
#define ACPI_PM1_PWRBTN 0x0100
#define ACPI_PM1_RTC    0x0400
#define ACPI_PM1_WAK    0x8000 /* status only */

/* PM1 control bits. */
#define ACPI_PM1_SCI_EN   0x0001
#define ACPI_PM1_BM_RLD   0x0002
#define ACPI_PM1_GBL_RLS  0x0004 /* write-only: would raise an SMI */
#define ACPI_PM1_SUS_TYP  0x1c00 /* the sleep type; 0 is soft off (S5) on a PIIX4 */
#define ACPI_PM1_SUS_EN   0x2000 /* write-only: enter the sleep type */
#define ACPI_PM1_SUS_TYP_SHIFT 10

struct acpi_pm_host {
    void (*power_off)(void *opaque); /* the OS entered S5 */
    void *opaque;
};

/* Fields are private to acpi_pm.c; exposed only so machines can embed. */
struct acpi_pm {
    struct clock *clock;
    struct irq_line sci;
    struct acpi_pm_host host;
    struct clock_timer overflow; /* armed while TMROF_EN is set */
    uint16_t sts, en, cnt;
    uint16_t gpe_sts, gpe_en;
    uint64_t of_seen; /* timer ticks >> 23 when TMROF_STS was last brought up to date */
    bool sci_level;
};

/* Power-on state; claim ACPI_PM_BASE..+ACPI_PM_SIZE on 'b' and drive 'sci'.
 * False when the ports are taken. */
KILN_MUST_CHECK bool acpi_pm_init(struct acpi_pm *pm, struct bus *b, struct clock *c,
                                  struct irq_line sci, const struct acpi_pm_host *host);

/* A system reset: every register to its default, the SCI low. */
void acpi_pm_reset(struct acpi_pm *pm);

/* The PM timer's count (24 bits) at guest time 'ns'. */
uint32_t acpi_pm_timer_at(uint64_t ns);

#endif
