/* SPDX-License-Identifier: MIT */
/*
 * Run loop over the reference interpreter (see exec.h).
 */
#include "jit/exec.h"

#include "cpu/interp.h"
#include "jit/dispatch.h"

static uint32_t cb_mem_read(void *ctx, uint32_t addr, int size)
{
    return bus_mem_read(ctx, addr, size);
}

static void cb_mem_write(void *ctx, uint32_t addr, int size, uint32_t val)
{
    bus_mem_write(ctx, addr, size, val);
}

static uint32_t cb_io_read(void *ctx, uint16_t port, int size)
{
    return bus_io_read(ctx, port, size);
}

static void cb_io_write(void *ctx, uint16_t port, int size, uint32_t val)
{
    bus_io_write(ctx, port, size, val);
}

void exec_connect_bus(struct cpu_bus *out, struct bus *b)
{
    *out = (struct cpu_bus){
        .ctx = b,
        .ram = bus_ram(b),
        .ram_size = bus_ram_size(b),
        .mem_read = cb_mem_read,
        .mem_write = cb_mem_write,
        .io_read = cb_io_read,
        .io_write = cb_io_write,
    };
}

enum exec_stop exec_run(struct cpu *c, uint64_t max_insns, const volatile int *stop_flag)
{
    enum exec_stop r = exec_run_intr(c, max_insns, stop_flag, NULL);
    /* Without an interrupt controller a halted CPU stays halted. */
    return r == EXEC_HALTED && stop_flag && *stop_flag ? EXEC_STOPPED : r;
}

enum exec_stop exec_run_intr(struct cpu *c, uint64_t max_insns, const volatile int *stop_flag,
                             const volatile int *intr_line)
{
    if (c->jit.engine)
        return jit_run(c->jit.engine, max_insns, stop_flag, intr_line);
    for (uint64_t n = 0; n < max_insns; n++) {
        if (stop_flag && *stop_flag)
            return EXEC_STOPPED;
        if (intr_line && *intr_line && interp_interruptible(c))
            return EXEC_INTR;
        enum step_result fast;
        uint64_t ran = interp_run_fast(c, max_insns - n, stop_flag, intr_line, &fast);
        if (ran) {
            if (fast == STEP_SHUTDOWN)
                return EXEC_SHUTDOWN;
            n += ran - 1; /* the loop counts the last one; then the checks again */
            continue;
        }
        switch (interp_step(c)) {
        case STEP_OK: break;
        case STEP_HALT: return EXEC_HALTED;
        case STEP_SHUTDOWN: return EXEC_SHUTDOWN;
        }
    }
    return EXEC_BUDGET;
}
