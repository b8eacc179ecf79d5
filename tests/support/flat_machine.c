/* SPDX-License-Identifier: MIT */
/*
 * The flat test machine (see flat_machine.h): owns the bus, the CPU, the
 * console and exit ports, the reset ROM and the stop flag the ports raise.
 * Touches no CPU internals beyond the start state the header documents.
 * Port conventions follow QEMU's -debugcon (0xE9) and isa-debug-exit (0xF4);
 * the reset vector follows Intel SDM Vol. 3A 9.1.4 (first instruction).
 */
#include "flat_machine.h"

#include "jit/dispatch.h"

#include <stdlib.h>
#include <string.h>

#include "devices/bus.h"
#include "jit/exec.h"

struct flat_machine {
    struct bus *bus;
    struct cpu cpu;
    struct cpu_bus cpu_bus;
    const struct cpu_model_info *model;
    FILE *console;
    enum flat_start start;
    volatile int stop;
    uint32_t exit_value;
    bool want_jit;
    int jit_block_insns;
    struct jit *jit;
};

/* QEMU's debugcon reads back 0xE9 so that a guest can detect it. */
static uint32_t console_read(void *opaque, uint32_t addr, int size)
{
    (void)opaque;
    (void)addr;
    (void)size;
    return FLAT_PORT_CONSOLE;
}

static void console_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct flat_machine *m = opaque;
    (void)addr;
    (void)size;
    fputc((int)(val & 0xff), m->console);
    if ((val & 0xff) == '\n')
        fflush(m->console);
}

static const struct io_ops console_ops = {console_read, console_write};

/* The exit port spans 4 ports so that a word or dword OUT reaches it whole. */
static void exit_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct flat_machine *m = opaque;
    (void)size;
    if (addr != 0)
        return;
    m->exit_value = val;
    m->stop = 1;
}

static const struct io_ops exit_ops = {NULL, exit_write};

/* The reset ROM holds only the reset vector: a far JMP to the image. The
 * rest reads as erased flash (all ones); writes are ignored, as for ROM. */
static const uint8_t reset_stub[] = {0xea, 0x00, 0x00, FLAT_START_CS & 0xff, FLAT_START_CS >> 8};

enum { RESET_VECTOR = 0xfffffff0u };

static uint32_t rom_read(void *opaque, uint32_t addr, int size)
{
    (void)opaque;
    uint32_t v = 0;
    for (int i = size - 1; i >= 0; i--) {
        uint32_t off = addr + (uint32_t)i - (RESET_VECTOR - FLAT_ROM_BASE);
        v = v << 8 | (off < sizeof(reset_stub) ? reset_stub[off] : 0xff);
    }
    return v;
}

static const struct io_ops rom_ops = {rom_read, NULL};

struct flat_machine *flat_machine_new(const struct cpu_model_info *model, FILE *console)
{
    struct flat_machine *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    m->bus = bus_new(FLAT_RAM_SIZE);
    if (!m->bus) {
        free(m);
        return NULL;
    }
    m->model = model;
    m->console = console;
    if (!bus_map_io(m->bus, FLAT_PORT_CONSOLE, 1, &console_ops, m) ||
        !bus_map_io(m->bus, FLAT_PORT_EXIT, 4, &exit_ops, m) ||
        !bus_map_mmio(m->bus, FLAT_ROM_BASE, FLAT_ROM_SIZE, &rom_ops, m)) {
        flat_machine_free(m);
        return NULL;
    }
    exec_connect_bus(&m->cpu_bus, m->bus);
    cpu_init(&m->cpu, model, &m->cpu_bus);
    return m;
}

void flat_machine_free(struct flat_machine *m)
{
    if (!m)
        return;
    jit_free(m->jit);
    bus_free(m->bus);
    free(m);
}

void flat_machine_set_start(struct flat_machine *m, enum flat_start start)
{
    m->start = start;
}

bool flat_machine_load(struct flat_machine *m, const uint8_t *image, size_t len)
{
    if (len > FLAT_RAM_SIZE - FLAT_LOAD_ADDR)
        return false;
    memcpy(bus_ram(m->bus) + FLAT_LOAD_ADDR, image, len);
    jit_free(m->jit);
    m->jit = NULL;
    cpu_init(&m->cpu, m->model, &m->cpu_bus);
    if (m->want_jit) {
        m->jit = jit_new(&m->cpu, m->jit_block_insns);
        if (!m->jit)
            return false;
    }
    struct cpu *c = &m->cpu;
    m->stop = 0;
    m->exit_value = 0;
    if (m->start == FLAT_START_RESET) {
        /* CPUs with fewer address pins see the reset vector inside RAM: the
         * 8086 at FFFF0, the 286 at FFFFF0 (the top of its 16 MiB space),
         * where a PC aliases the BIOS ROM. Put the same stub there. */
        uint32_t vec = RESET_VECTOR & m->model->phys_mask;
        if (vec < FLAT_RAM_SIZE - sizeof(reset_stub) && vec >= FLAT_LOAD_ADDR + len)
            memcpy(bus_ram(m->bus) + vec, reset_stub, sizeof(reset_stub));
        else if (vec < FLAT_RAM_SIZE)
            return false; /* the image would overlap the reset vector */
        return true;
    }
    cpu_load_seg_real(c, SEG_CS, FLAT_START_CS);
    c->eip = 0;
    cpu_load_seg_real(c, SEG_SS, 0);
    c->r[R_ESP] = FLAT_START_SP;
    return true;
}

bool flat_machine_load_file(struct flat_machine *m, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open %s", path);
        return false;
    }
    size_t cap = FLAT_RAM_SIZE - FLAT_LOAD_ADDR;
    uint8_t *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        snprintf(err, errlen, "out of memory reading %s", path);
        return false;
    }
    size_t len = fread(buf, 1, cap + 1, f);
    bool bad = ferror(f);
    fclose(f);
    bool ok = !bad && len <= cap && flat_machine_load(m, buf, len);
    free(buf);
    if (!ok)
        snprintf(err, errlen, bad ? "cannot read %s" : "%s does not fit in the test machine",
                 path);
    return ok;
}

enum flat_result flat_machine_run(struct flat_machine *m, uint64_t max_insns)
{
    switch (exec_run(&m->cpu, max_insns, &m->stop)) {
    case EXEC_STOPPED: return FLAT_EXITED;
    case EXEC_HALTED: return m->stop ? FLAT_EXITED : FLAT_HALTED;
    case EXEC_SHUTDOWN: return FLAT_SHUTDOWN;
    case EXEC_BUDGET:
    case EXEC_INTR: /* no interrupt line is given: cannot happen */
        break;
    }
    return m->stop ? FLAT_EXITED : FLAT_BUDGET;
}

uint32_t flat_machine_exit_value(const struct flat_machine *m)
{
    return m->exit_value;
}

struct cpu *flat_machine_cpu(struct flat_machine *m)
{
    return &m->cpu;
}

void flat_machine_use_jit(struct flat_machine *m, bool on, int max_block_insns)
{
    m->want_jit = on;
    m->jit_block_insns = max_block_insns;
}
