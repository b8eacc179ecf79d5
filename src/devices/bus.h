/* SPDX-License-Identifier: MIT */
/*
 * The machine bus: guest RAM, memory-mapped I/O regions and the 64 KiB port
 * space. Devices register const io_ops tables; the bus splits accesses a
 * handler cannot take whole into bytes, and unclaimed addresses read as
 * all-ones. Knows nothing of the CPU.
 */
#ifndef KILN_DEVICES_BUS_H
#define KILN_DEVICES_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/compiler.h"

/* A device's access handlers; 'addr' is relative to the region start. */
struct io_ops {
    uint32_t (*read)(void *opaque, uint32_t addr, int size);
    void (*write)(void *opaque, uint32_t addr, int size, uint32_t val);
};

struct bus;

/* A bus with 'ram_size' bytes of zeroed RAM at physical 0; NULL on host OOM. */
struct bus *bus_new(uint32_t ram_size);
void bus_free(struct bus *b);

uint8_t *bus_ram(struct bus *b);
uint32_t bus_ram_size(const struct bus *b);

/* Devices that write guest RAM directly (DMA, ROM loads) call
 * bus_ram_written afterwards; the hook (the translator) drops code that
 * the write replaced. */
void bus_set_ram_write_hook(struct bus *b, void (*hook)(void *opaque, uint32_t addr, uint32_t len),
                            void *opaque);
void bus_ram_written(struct bus *b, uint32_t addr, uint32_t len);

/* Call hook(opaque) before every port access: the machine brings the
 * virtual clock up to the time of the instruction doing it. */
void bus_set_io_hook(struct bus *b, void (*hook)(void *opaque), void *opaque);

/* Claim ports [port, port + count) for a device. Returns false when they overlap
 * a claimed range or the table is full. */
KILN_MUST_CHECK bool bus_map_io(struct bus *b, uint16_t port, uint32_t count,
                                const struct io_ops *ops, void *opaque);

/* Claim physical [base, base + size) for MMIO. Same failure rules. */
KILN_MUST_CHECK bool bus_map_mmio(struct bus *b, uint32_t base, uint32_t size,
                                  const struct io_ops *ops, void *opaque);

/* Release the MMIO range that starts at 'base' (a moved or disabled BAR).
 * Returns false when no range starts there. */
bool bus_unmap_mmio(struct bus *b, uint32_t base);

uint32_t bus_io_read(struct bus *b, uint16_t port, int size);
void bus_io_write(struct bus *b, uint16_t port, int size, uint32_t val);
uint32_t bus_mem_read(struct bus *b, uint32_t addr, int size);
void bus_mem_write(struct bus *b, uint32_t addr, int size, uint32_t val);

#endif
