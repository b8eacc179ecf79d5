/* SPDX-License-Identifier: MIT */
/*
 * The ACPI 1.0 tables of the Kiln PC: RSDP, RSDT, FADT, FACS and a DSDT
 * whose AML declares the PCI root bridge (with its address windows) and the
 * soft-off sleep state \_S5, describing the PIIX4 power-management block of
 * acpi_pm.h. Pure data: builds the bytes for a given physical address and
 * touches no device. The machine places them in the last 4 KiB of the E
 * segment, inside the BIOS ROM (Kiln's BIOS reserves that area, marked with
 * ACPI_TABLES_MARKER) or, for a -kernel boot, in a ROM of its own.
 * Spec: ACPI 1.0b (sections 5.2 tables, 6.4 resource descriptors, 16 AML).
 */
#ifndef KILN_DEVICES_ACPI_TABLES_H
#define KILN_DEVICES_ACPI_TABLES_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_TABLES_PHYS   0xef000u /* 16-byte aligned, inside E0000-FFFFF as the RSDP must be */
#define ACPI_TABLES_SIZE   0x1000u
#define ACPI_TABLES_MARKER "Kiln ACPI tables" /* 16 bytes at ACPI_TABLES_PHYS in Kiln's BIOS */

struct acpi_tables_config {
    uint32_t ram_size; /* the PCI memory window starts here */
};

/* Write the tables as they must appear at physical 'phys' (a multiple of
 * 64) into out[ACPI_TABLES_SIZE], the RSDP first. Returns the bytes used. */
size_t acpi_tables_build(uint8_t *out, uint32_t phys, const struct acpi_tables_config *cfg);

#endif
