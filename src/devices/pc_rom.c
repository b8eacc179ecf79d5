/* SPDX-License-Identifier: MIT */
/*
 * The BIOS ROM and the shadow RAM at C0000-FFFFF. Below 1 MiB the last
 * 128 KiB of the image appear at E0000-FFFFF; each 16 KiB (64 KiB for
 * F0000) region reads from ROM or DRAM and writes to DRAM or nowhere as the
 * 82441FX PAM registers say, so a BIOS can copy itself into shadow RAM. The
 * whole image is also mapped at the top of the 4 GiB space. The ACPI
 * tables (acpi_tables.c) are written into the image here, once.
 * Spec: Intel 82441FX datasheet, PAM registers (59h-5Fh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/acpi_tables.h"
#include "devices/pc.h"

enum { SHADOW_BASE = 0xc0000, SHADOW_SIZE = 0x40000, LOW_ROM_BASE = 0xe0000, LOW_ROM_SIZE = 0x20000 };

/* Where the ROM byte visible at physical 'phys' below 1 MiB is in the
 * image, or -1 when that address shows no ROM. */
static long low_rom_offset(const struct pc *pc, uint32_t phys)
{
    if (phys < LOW_ROM_BASE || !pc->rom)
        return -1;
    size_t low = pc->rom_size < LOW_ROM_SIZE ? pc->rom_size : LOW_ROM_SIZE;
    uint32_t start = 0x100000 - (uint32_t)low;
    if (phys < start)
        return -1;
    return (long)(pc->rom_size - low + (phys - start));
}

static uint8_t low_rom_byte(const struct pc *pc, uint32_t phys)
{
    long off = low_rom_offset(pc, phys);
    return off < 0 ? 0xff : pc->rom[off];
}

/* The ACPI tables go where Kiln's BIOS keeps room for them, marked, or
 * anywhere in a ROM of the machine's own ('own_rom'); a foreign BIOS brings
 * its own tables or none. */
static void place_acpi_tables(struct pc *pc, bool own_rom)
{
    long off = low_rom_offset(pc, ACPI_TABLES_PHYS);
    const size_t mark = sizeof(ACPI_TABLES_MARKER) - 1;
    if (off < 0 || (!own_rom && memcmp(pc->rom + off, ACPI_TABLES_MARKER, mark) != 0))
        return;
    const struct acpi_tables_config ac = {pc->ram_size};
    acpi_tables_build(pc->rom + off, ACPI_TABLES_PHYS, &ac);
}

static int pam_region_of(uint32_t phys)
{
    return phys >= 0xf0000 ? 0 : 1 + (int)((phys - SHADOW_BASE) >> 14);
}

static uint32_t shadow_read(void *opaque, uint32_t addr, int size)
{
    struct pc *pc = opaque;
    uint8_t *ram = bus_ram(pc->bus);
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        uint32_t phys = SHADOW_BASE + addr + (uint32_t)i;
        uint8_t attr = pci_pam_attr(&pc->pci, pam_region_of(phys));
        uint8_t b = (attr & PCI_PAM_RE) && phys < pc->ram_size ? ram[phys] : low_rom_byte(pc, phys);
        v |= (uint32_t)b << (8 * i);
    }
    return v;
}

static void shadow_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct pc *pc = opaque;
    uint8_t *ram = bus_ram(pc->bus);
    for (int i = 0; i < size; i++) {
        uint32_t phys = SHADOW_BASE + addr + (uint32_t)i;
        uint8_t attr = pci_pam_attr(&pc->pci, pam_region_of(phys));
        if ((attr & PCI_PAM_WE) && phys < pc->ram_size)
            ram[phys] = (uint8_t)(val >> (8 * i)); /* else: a write to ROM goes nowhere */
    }
}

static const struct io_ops shadow_ops = {shadow_read, shadow_write};

uint32_t pc_rom_bytes(const uint8_t *rom, size_t len, uint32_t addr, int size)
{
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        uint32_t a = addr + (uint32_t)i;
        v |= (uint32_t)(a < len ? rom[a] : 0xff) << (8 * i);
    }
    return v;
}

void pc_rom_write_ignored(void *opaque, uint32_t addr, int size, uint32_t val)
{
    (void)opaque;
    (void)addr;
    (void)size;
    (void)val;
}

static uint32_t high_rom_read(void *opaque, uint32_t addr, int size)
{
    const struct pc *pc = opaque;
    return pc_rom_bytes(pc->rom, pc->rom_size, addr, size);
}

static const struct io_ops high_rom_ops = {high_rom_read, pc_rom_write_ignored};

/* With a BIOS, its image; without one (a -kernel boot) a ROM of all-ones
 * but for the ACPI tables, which the skipped firmware would have left. */
bool pc_init_rom(struct pc *pc, const struct pc_config *cfg, char *err, size_t errlen)
{
    size_t size = cfg->bios ? cfg->bios_size : LOW_ROM_SIZE;
    if (size < 0x10000 || size > 0x100000 || size % 0x10000) {
        snprintf(err, errlen, "BIOS image of %zu bytes: expected a multiple of 64 KiB up to 1 MiB",
                 size);
        return false;
    }
    pc->rom = malloc(size);
    if (!pc->rom) {
        snprintf(err, errlen, "out of memory for the BIOS image");
        return false;
    }
    pc->rom_size = size;
    if (cfg->bios)
        memcpy(pc->rom, cfg->bios, size);
    else
        memset(pc->rom, 0xff, size);
    place_acpi_tables(pc, !cfg->bios);
    if (!bus_map_mmio(pc->bus, (uint32_t)(0x100000000ull - pc->rom_size), (uint32_t)pc->rom_size,
                      &high_rom_ops, pc)) {
        snprintf(err, errlen, "cannot map the BIOS ROM below 4 GiB");
        return false;
    }
    if (!bus_map_mmio(pc->bus, SHADOW_BASE, SHADOW_SIZE, &shadow_ops, pc)) {
        snprintf(err, errlen, "cannot map the ROM and shadow RAM area");
        return false;
    }
    return true;
}
