/* SPDX-License-Identifier: MIT */
/*
 * Bus implementation (see bus.h): small fixed tables of port and MMIO
 * ranges searched linearly, RAM as one host allocation.
 */
#include "devices/bus.h"

#include <stdlib.h>

#define BUS_MAX_RANGES 64

struct bus_range {
    uint32_t start, size;
    const struct io_ops *ops;
    void *opaque;
};

struct bus {
    uint8_t *ram;
    uint32_t ram_size;
    struct bus_range io[BUS_MAX_RANGES], mmio[BUS_MAX_RANGES];
    int n_io, n_mmio;
    void (*ram_write_hook)(void *opaque, uint32_t addr, uint32_t len);
    void *ram_write_opaque;
    void (*io_hook)(void *opaque);
    void *io_hook_opaque;
};

struct bus *bus_new(uint32_t ram_size)
{
    struct bus *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    b->ram = calloc(ram_size ? ram_size : 1, 1);
    if (!b->ram) {
        free(b);
        return NULL;
    }
    b->ram_size = ram_size;
    return b;
}

void bus_free(struct bus *b)
{
    if (!b)
        return;
    free(b->ram);
    free(b);
}

uint8_t *bus_ram(struct bus *b)
{
    return b->ram;
}

uint32_t bus_ram_size(const struct bus *b)
{
    return b->ram_size;
}

static bool add_range(struct bus_range *tab, int *n, uint32_t start, uint32_t size,
                      const struct io_ops *ops, void *opaque)
{
    if (!size || *n >= BUS_MAX_RANGES || start + (size - 1) < start)
        return false;
    for (int i = 0; i < *n; i++)
        if (start <= tab[i].start + (tab[i].size - 1) && tab[i].start <= start + (size - 1))
            return false;
    tab[(*n)++] = (struct bus_range){start, size, ops, opaque};
    return true;
}

bool bus_map_io(struct bus *b, uint16_t port, uint32_t count, const struct io_ops *ops,
                void *opaque)
{
    if (port + count > 0x10000)
        return false;
    return add_range(b->io, &b->n_io, port, count, ops, opaque);
}

bool bus_map_mmio(struct bus *b, uint32_t base, uint32_t size, const struct io_ops *ops,
                  void *opaque)
{
    return add_range(b->mmio, &b->n_mmio, base, size, ops, opaque);
}

bool bus_unmap_mmio(struct bus *b, uint32_t base)
{
    for (int i = 0; i < b->n_mmio; i++) {
        if (b->mmio[i].start == base) {
            b->mmio[i] = b->mmio[--b->n_mmio];
            return true;
        }
    }
    return false;
}

static const struct bus_range *find(const struct bus_range *tab, int n, uint32_t addr)
{
    for (int i = 0; i < n; i++)
        if (addr - tab[i].start < tab[i].size)
            return &tab[i];
    return NULL;
}

/* Read through a range table, whole when one handler covers the access, else by bytes. */
static uint32_t table_read(const struct bus_range *tab, int n, uint32_t addr, int size,
                           uint32_t (*byte_fallback)(struct bus *, uint32_t), struct bus *b)
{
    const struct bus_range *r = find(tab, n, addr);
    if (r && addr - r->start + (uint32_t)size <= r->size && r->ops->read)
        return r->ops->read(r->opaque, addr - r->start, size);
    if (size == 1)
        return r ? (r->ops->read ? r->ops->read(r->opaque, addr - r->start, 1) & 0xff : 0xff)
                 : byte_fallback(b, addr);
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= table_read(tab, n, addr + (uint32_t)i, 1, byte_fallback, b) << (8 * i);
    return v;
}

static void table_write(const struct bus_range *tab, int n, uint32_t addr, int size,
                        uint32_t val, void (*byte_fallback)(struct bus *, uint32_t, uint8_t),
                        struct bus *b)
{
    const struct bus_range *r = find(tab, n, addr);
    if (r && addr - r->start + (uint32_t)size <= r->size) {
        if (r->ops->write)
            r->ops->write(r->opaque, addr - r->start, size, val);
        return;
    }
    if (size == 1) {
        if (!r)
            byte_fallback(b, addr, (uint8_t)val);
        return;
    }
    for (int i = 0; i < size; i++)
        table_write(tab, n, addr + (uint32_t)i, 1, val >> (8 * i), byte_fallback, b);
}

static uint32_t io_unclaimed_read(struct bus *b, uint32_t addr)
{
    (void)b;
    (void)addr;
    return 0xff;
}

static void io_unclaimed_write(struct bus *b, uint32_t addr, uint8_t v)
{
    (void)b;
    (void)addr;
    (void)v;
}

static uint32_t ram_byte_read(struct bus *b, uint32_t addr)
{
    return addr < b->ram_size ? b->ram[addr] : 0xff;
}

static void ram_byte_write(struct bus *b, uint32_t addr, uint8_t v)
{
    if (addr < b->ram_size)
        b->ram[addr] = v;
}

uint32_t bus_io_read(struct bus *b, uint16_t port, int size)
{
    if (b->io_hook)
        b->io_hook(b->io_hook_opaque);
    return table_read(b->io, b->n_io, port, size, io_unclaimed_read, b);
}

void bus_io_write(struct bus *b, uint16_t port, int size, uint32_t val)
{
    if (b->io_hook)
        b->io_hook(b->io_hook_opaque);
    table_write(b->io, b->n_io, port, size, val, io_unclaimed_write, b);
}

void bus_set_io_hook(struct bus *b, void (*hook)(void *opaque), void *opaque)
{
    b->io_hook = hook;
    b->io_hook_opaque = opaque;
}

uint32_t bus_mem_read(struct bus *b, uint32_t addr, int size)
{
    return table_read(b->mmio, b->n_mmio, addr, size, ram_byte_read, b);
}

void bus_mem_write(struct bus *b, uint32_t addr, int size, uint32_t val)
{
    table_write(b->mmio, b->n_mmio, addr, size, val, ram_byte_write, b);
}

void bus_set_ram_write_hook(struct bus *b, void (*hook)(void *opaque, uint32_t addr, uint32_t len),
                            void *opaque)
{
    b->ram_write_hook = hook;
    b->ram_write_opaque = opaque;
}

void bus_ram_written(struct bus *b, uint32_t addr, uint32_t len)
{
    if (b->ram_write_hook)
        b->ram_write_hook(b->ram_write_opaque, addr, len);
}
