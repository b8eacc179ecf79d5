/* SPDX-License-Identifier: MIT */
/*
 * The machine loop (see machine.h). Time: in deterministic mode (-icount)
 * virtual time is 2^shift ns per retired instruction plus the time skipped
 * while halted, so two runs with the same input are identical; in real-time
 * mode it follows the host's monotonic clock and HLT sleeps until the next
 * timer or host input, so an idle guest costs almost nothing.
 */
#include "frontend/machine_int.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <time.h>

#include "common/log.h"
#include "cpu/interp.h"
#include "frontend/chardev.h"
#include "frontend/dbgloop.h"
#include "frontend/display_curses.h"
#include "frontend/display_sdl.h"
#include "frontend/loader.h"
#include "jit/dispatch.h"
#include "frontend/monitor.h"
#include "frontend/snapshot.h"
#include "jit/exec.h"

static uint64_t host_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool deterministic(const struct machine *m)
{
    return m->cfg.icount_shift >= 0;
}

static uint64_t virtual_now(const struct machine *m)
{
    if (deterministic(m))
        return (m->cpu.icount << m->cfg.icount_shift) + m->idle_ns;
    if (m->paused) /* held still while the monitor has the machine stopped */
        return m->pause_host_ns - m->host_start_ns;
    return host_now_ns() - m->host_start_ns;
}

/* What the TSC counts: guest time at 1 GHz, halted or not, as an invariant
 * TSC does. A guest that calibrates it against the PIT finds a 1000 MHz
 * processor whose TSC agrees with the PIT, the RTC and the PM timer. */
static uint64_t tsc_ticks(void *opaque)
{
    return virtual_now(opaque);
}

static void serial_out(void *opaque, uint8_t byte)
{
    chardev_write(opaque, byte);
}

static void debugcon_out(void *opaque, uint8_t byte)
{
    struct machine *m = opaque;
    chardev_write(&m->debugcon, byte);
}

/* The PC/AT routes the coprocessor's FERR# through a latch to IRQ13; a
 * write to port F0h clears the latch and asserts IGNNE# so the handler's
 * FNCLEX can run (IBM PC AT Technical Reference, math coprocessor). */
static void ferr_update(struct machine *m)
{
    struct fpu *f = &m->cpu.fpu;
    if (f->ferr && !f->ignne)
        m->ferr_latch = true;
    if (!f->ferr)
        f->ignne = 0;
    struct irq_line irq13 = pic_irq(&m->pc->pic, 13);
    irq_set(&irq13, m->ferr_latch);
}

static uint32_t port_f0_read(void *opaque, uint32_t addr, int size)
{
    (void)opaque;
    (void)addr;
    (void)size;
    return 0xffffffffu;
}

static void port_f0_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    (void)addr;
    (void)size;
    (void)val;
    struct machine *m = opaque;
    m->ferr_latch = false;
    m->cpu.fpu.ignne = 1;
    ferr_update(m);
}

static const struct io_ops port_f0_ops = {port_f0_read, port_f0_write};

static void intr_set(void *opaque, int n, bool level)
{
    (void)n;
    struct machine *m = opaque;
    m->intr_line = level;
}

static void host_set_a20(void *opaque, bool on)
{
    struct machine *m = opaque;
    cpu_set_a20(&m->cpu, on);
}

static void host_reset(void *opaque)
{
    struct machine *m = opaque;
    m->reset_requested = true;
    m->stop = 1;
}

static void host_exit(void *opaque, int status)
{
    struct machine *m = opaque;
    m->exit_status = status;
    m->stop = 1;
}

static void dbg_quit(void *opaque, int status)
{
    machine_request_stop(opaque, status);
}

static uint64_t dbg_steps(void *opaque)
{
    return machine_stamp(opaque).pos;
}

/* Open the images named on the command line into pcc. */
static bool open_disks(struct machine *m, struct pc_config *pcc, char *err, size_t errlen)
{
    const struct kiln_config *cfg = &m->cfg;
    for (int i = 0; i < 4; i++) {
        if (!cfg->hd[i])
            continue;
        m->disks[i] = pcc->hd[i] = blockdev_open(cfg->hd[i], false, cfg->snapshot, err, errlen);
        if (!m->disks[i])
            return false;
    }
    for (int i = 0; i < 2; i++) {
        if (!cfg->fd[i])
            continue;
        m->disks[4 + i] = pcc->fd[i] =
            blockdev_open(cfg->fd[i], false, cfg->snapshot, err, errlen);
        if (!m->disks[4 + i])
            return false;
    }
    if (cfg->cdrom) {
        m->disks[6] = pcc->cdrom = blockdev_open(cfg->cdrom, true, cfg->snapshot, err, errlen);
        if (!m->disks[6])
            return false;
        pcc->cdrom_present = true;
    }
    pcc->boot_order = cfg->boot_order;
    return true;
}

/* Kiln's own BIOS: roms/kiln-bios.bin beside the kiln executable, where the
 * build puts it. */
static bool default_bios_path(char *path, size_t n)
{
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0)
        return false;
    exe[len] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = 0;
    return snprintf(path, n, "%s/roms/kiln-bios.bin", exe) < (int)n;
}

/* -bios FILE, or Kiln's BIOS when no -kernel is given (a -kernel boot needs none). */
static int load_bios(struct machine *m, char *err, size_t errlen)
{
    char path[4200];
    const char *file = m->cfg.bios;
    if (!file && m->cfg.kernel)
        return 0;
    if (!file) {
        if (!default_bios_path(path, sizeof(path))) {
            snprintf(err, errlen, "cannot locate Kiln's BIOS; give -bios FILE");
            return -1;
        }
        file = path;
    }
    m->bios = loader_read_file(file, 0x100000, &m->bios_size, err, errlen);
    if (!m->bios)
        return -1;
    /* A foreign BIOS such as SeaBIOS expects a VGA option ROM, as QEMU
     * installs vgabios-stdvga.bin from the same package: use one beside it. */
    if (m->cfg.bios) {
        char rom[4200];
        const char *slash = strrchr(m->cfg.bios, '/');
        int dirlen = slash ? (int)(slash - m->cfg.bios) + 1 : 0;
        snprintf(rom, sizeof(rom), "%.*svgabios-stdvga.bin", dirlen, m->cfg.bios);
        char ignored[64];
        if (access(rom, R_OK) == 0)
            m->vga_rom = loader_read_file(rom, 0x40000, &m->vga_rom_size, ignored, sizeof(ignored));
    }
    return 0;
}

/* Load -kernel (and -initrd) and point the CPU at it, as a boot loader would. */
static int load_kernel(struct machine *m, char *err, size_t errlen)
{
    const struct kiln_config *cfg = &m->cfg;
    /* Deterministic runs get a fixed seed so that they repeat exactly. */
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(0x4b + 37 * i);
    if (!deterministic(m) && getentropy(seed, sizeof(seed)))
        log_msg(LOG_HOST, "machine", "no host entropy; using a fixed RNG seed");
    struct loader_args la = {cfg->kernel, cfg->initrd, cfg->append, m->cpu.bus.ram,
                             m->cpu.bus.ram_size, seed};
    return loader_load_kernel(&m->cpu, &la, err, errlen);
}

/* A machine reset (triple fault, the 8042 or port 92h/CF9h): the chipset and
 * CPU return to their power-on state; a -kernel image is loaded again, as
 * QEMU does. Returns false when the kernel cannot be reloaded. */
static bool machine_reset(struct machine *m)
{
    pc_reset(m->pc);
    cpu_reset(&m->cpu);
    if (m->jit)
        jit_notify_ram_write(m->jit, 0, m->pc->ram_size);
    m->reset_requested = false;
    m->stop = 0;
    if (m->cfg.kernel) {
        char err[256];
        if (load_kernel(m, err, sizeof(err))) {
            fprintf(stderr, "kiln: reboot: %s\n", err);
            return false;
        }
    }
    return true;
}

/* Port I/O happens at the time of the instruction doing it: the clock
 * catches up first and timers due by then fire, so a guest that polls a
 * counter - the PIT through port 61h, the ACPI PM timer - sees it move within
 * a slice, and one that polls a device's status - a disk command's
 * completion - sees it as soon as it is due instead of at the end of the
 * slice. With -icount that time is a function of the instruction count, so
 * runs stay identical. */
static void io_sync_clock(void *opaque)
{
    struct machine *m = opaque;
    clock_advance(&m->pc->clock, virtual_now(m));
}

static void ram_written(void *opaque, uint32_t addr, uint32_t len)
{
    jit_notify_ram_write(opaque, addr, len);
}

/* The translator, with its logs; without a backend for this host, the
 * interpreter runs everything (a note says so). */
static bool start_jit(struct machine *m, char *err, size_t errlen)
{
    m->jit = jit_new(&m->cpu, 0);
    if (!m->jit) {
        fprintf(stderr, "kiln: no translator for this host or CPU model; using the interpreter\n");
        return true;
    }
    bus_set_ram_write_hook(m->pc->bus, ram_written, m->jit);
    jit_set_exact_budget(m->jit, deterministic(m));
    const char *items = m->cfg.log_items;
    unsigned what = 0;
    if (items && strstr(items, "in_asm"))
        what |= JIT_LOG_IN_ASM;
    if (items && strstr(items, "ir"))
        what |= JIT_LOG_IR;
    if (items && strstr(items, "out_asm"))
        what |= JIT_LOG_OUT_ASM;
    if (what) {
        FILE *f = stderr;
        if (m->cfg.log_file) {
            m->log = fopen(m->cfg.log_file, "w");
            if (!m->log) {
                snprintf(err, errlen, "-D %s: %s", m->cfg.log_file, strerror(errno));
                return false;
            }
            f = m->log;
        }
        jit_set_log(m->jit, f, what);
    }
    if (m->cfg.perfmap) {
        char path[64];
        snprintf(path, sizeof(path), "/tmp/perf-%ld.map", (long)getpid());
        m->perfmap = fopen(path, "w");
        if (!m->perfmap) {
            snprintf(err, errlen, "-perfmap: %s: %s", path, strerror(errno));
            return false;
        }
        setvbuf(m->perfmap, NULL, _IOLBF, 0); /* whole lines, for a perf run that stops us */
        jit_set_perfmap(m->jit, m->perfmap);
    }
    return true;
}

/* The monitor's requests. While stopped, the real-time clock is held: the
 * paused span is added to host_start_ns on cont, so timers do not pile up. */
static void monitor_set_paused(void *opaque, bool paused)
{
    struct machine *m = opaque;
    if (paused == m->paused)
        return;
    m->paused = paused;
    if (paused)
        m->pause_host_ns = host_now_ns();
    else
        m->host_start_ns += host_now_ns() - m->pause_host_ns;
}

static void monitor_reset(void *opaque)
{
    struct machine *m = opaque;
    if (m->rr) {
        fprintf(stderr, "kiln: system_reset is not recorded; not while recording or replaying\n");
        return;
    }
    host_reset(opaque);
}

static void monitor_quit(void *opaque)
{
    machine_request_stop(opaque, 0);
}

static bool machine_savevm(void *opaque, const char *path, char *err, size_t errlen)
{
    struct machine *m = opaque;
    return snapshot_save(path, &m->cpu, m->pc, virtual_now(m), err, errlen);
}

/* After a snapshot is loaded, virtual time continues from the saved time. */
static bool machine_loadvm(void *opaque, const char *path, char *err, size_t errlen)
{
    struct machine *m = opaque;
    uint64_t now;
    if (m->rr) {
        snprintf(err, errlen, "loadvm would change the machine under a record or replay");
        return false;
    }
    if (!snapshot_load(path, &m->cpu, m->pc, &now, err, errlen))
        return false;
    if (m->jit) /* all of RAM changed under the translated code */
        jit_notify_ram_write(m->jit, 0, m->pc->ram_size);
    if (deterministic(m)) {
        uint64_t ran = m->cpu.icount << m->cfg.icount_shift;
        m->idle_ns = now > ran ? now - ran : 0;
    } else {
        uint64_t host = host_now_ns();
        m->host_start_ns = host - now;
        m->pause_host_ns = host;
    }
    m->intr_line = pic_intr_pending(&m->pc->pic);
    return true;
}

static void machine_monitor_open(struct machine *m)
{
    struct monitor_host h = {m,           monitor_set_paused, monitor_reset, monitor_quit,
                             machine_savevm, machine_loadvm, m->keys};
    monitor_init(&m->monitor, &m->cpu, m->pc, &h, 0, stdout);
    m->monitor.paused = m->paused; /* reopened by Ctrl+Alt+M while stopped */
    m->have_monitor = true;
}

/* -display sdl opens a window or fails; the default opens one when a
 * window system is there and quietly runs without otherwise. */
static bool machine_sdl_open(struct machine *m, char *err, size_t errlen)
{
    const struct kiln_config *cfg = &m->cfg;
    bool want = cfg->display == DISPLAY_SDL ||
                (cfg->display == DISPLAY_DEFAULT && !cfg->nographic && display_sdl_available());
    if (!want)
        return true;
    struct pc *pc = m->pc;
    char why[256];
    struct display_sdl_opts opts = {cfg->integer_scale, cfg->full_screen};
    if (display_sdl_init(&m->window, &pc->vga, &m->keys, &opts, why, sizeof(why))) {
        m->sdl = true;
        return true;
    }
    if (cfg->display == DISPLAY_DEFAULT)
        return true;
    snprintf(err, errlen, "%s", why);
    return false;
}

/* Ctrl+Alt+M: the terminal switches between the monitor and what it was
 * (a serial console on stdio stops reading it meanwhile, as QEMU's mux
 * does). A monitor from -monitor stdio stays. */
static void toggle_key_monitor(struct machine *m)
{
    if (m->have_monitor && !m->key_monitor)
        return;
    m->key_monitor = !m->key_monitor;
    m->have_monitor = m->key_monitor;
    m->window.monitor_open = m->key_monitor;
    chardev_tty_lend(m->key_monitor);
    if (m->key_monitor) {
        fprintf(stdout, "\r\n[Ctrl+Alt+M in the window returns the terminal]\r\n");
        machine_monitor_open(m);
    } else {
        fprintf(stdout, "\n[monitor closed]\n");
    }
    fflush(stdout);
}

/* A serial port on the terminal does not read it while the monitor has it. */
static bool serial_reads(const struct machine *m, int i)
{
    return !(m->key_monitor && chardev_poll_fd(&m->serial[i]) == STDIN_FILENO);
}

/* The window: events every 10 ms, a new picture 60 times a second. */
static bool poll_sdl(struct machine *m)
{
    uint64_t now = host_now_ns();
    if (now < m->next_sdl_ns)
        return true;
    bool frame = now >= m->next_refresh_ns;
    m->next_sdl_ns = now + 10000000;
    if (!display_sdl_poll(&m->window))
        return false;
    if (m->window.monitor_toggle) {
        m->window.monitor_toggle = false;
        toggle_key_monitor(m);
    }
    if (!frame)
        return true;
    m->next_refresh_ns = now + 16666666;
    if (now - m->sdl_icount_ns >= 1000000000u) {
        m->mips = (double)(m->cpu.icount - m->sdl_icount) * 1e3 / (double)(now - m->sdl_icount_ns);
        m->sdl_icount = m->cpu.icount;
        m->sdl_icount_ns = now;
    }
    struct display_status st = {m->paused, m->jit ? "translator" : "interpreter",
                                m->paused ? 0.0 : m->mips};
    display_sdl_refresh(&m->window, &st);
    return true;
}

struct machine *machine_new(const struct kiln_config *cfg, char *err, size_t errlen)
{
    struct machine *m = calloc(1, sizeof(*m));
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->cfg = *cfg;
    if (load_bios(m, err, errlen))
        goto fail;
    /* A record keeps the host's date for the RTC; a replay takes it back. */
    struct rr_header rrh = {.icount_shift = (uint32_t)cfg->icount_shift,
                            .ram_mib = cfg->ram_mib,
                            .rtc_epoch = (int64_t)time(NULL)};
    memcpy(rrh.cpu, cfg->cpu->name, strnlen(cfg->cpu->name, sizeof(rrh.cpu)));
    if ((cfg->record || cfg->replay) &&
        (!rr_ident_compute(&rrh, cfg, m->bios, m->bios_size, err, errlen) ||
         !(m->rr = rr_open(cfg, &rrh, err, errlen))))
        goto fail;
    m->keys = machine_keysink(m);
    struct pc_config pcc = {
        .ram_size = cfg->ram_mib << 20,
        .rtc_epoch = m->rr ? rrh.rtc_epoch
                     : deterministic(m) ? 946684800 /* 2000-01-01, for repeatable runs */
                                        : (int64_t)time(NULL),
        .bios = m->bios,
        .bios_size = m->bios_size,
        .vga_rom = m->vga_rom,
        .vga_rom_size = m->vga_rom_size,
        .host = {m, host_set_a20, host_reset, host_exit, NULL},
        .debug_exit = cfg->debug_exit,
        .debug_exit_base = cfg->debug_exit_iobase,
        .debug_exit_size = cfg->debug_exit_iosize,
    };
    if (cfg->debugcon.kind != CHR_NONE) {
        if (!chardev_open(&m->debugcon, &cfg->debugcon, err, errlen))
            goto fail;
        pcc.host.debugcon = debugcon_out;
    }
    for (int i = 0; i < cfg->n_serial; i++) {
        if (!chardev_open(&m->serial[i], &cfg->serial[i], err, errlen))
            goto fail;
        m->n_serial = i + 1;
        pcc.serial[i] = (struct uart_backend){serial_out, &m->serial[i]};
    }
    pcc.n_serial = cfg->n_serial;
    if (!open_disks(m, &pcc, err, errlen))
        goto fail;
    m->pc = pc_new(&pcc, err, errlen);
    if (!m->pc)
        goto fail;
    m->pc->pic.intr = (struct irq_line){intr_set, m, 0};
    bus_set_io_hook(m->pc->bus, io_sync_clock, m);

    struct cpu_bus bus;
    exec_connect_bus(&bus, m->pc->bus);
    bus.hole_start = 0xa0000; /* VGA window and ROMs take the slow path */
    bus.hole_end = 0x100000;
    cpu_init(&m->cpu, cfg->cpu, &bus);
    m->cpu.tsc_source = tsc_ticks;
    m->cpu.tsc_opaque = m;
    if (!cfg->interp && !start_jit(m, err, errlen))
        goto fail;
    if (!bus_map_io(m->pc->bus, 0xf0, 1, &port_f0_ops, m)) {
        snprintf(err, errlen, "cannot map port F0h");
        goto fail;
    }
    if (cfg->kernel && load_kernel(m, err, errlen))
        goto fail;
    /* The translator's block logs and the traces share the -D file. */
    if (cfg->log_file && !m->log && !(m->log = fopen(cfg->log_file, "w"))) {
        snprintf(err, errlen, "-D %s: %s", cfg->log_file, strerror(errno));
        goto fail;
    }
    struct dbgloop_host dh = {m,           dbg_quit,  &m->host_start_ns, m->log ? m->log : stderr,
                              m->jit != NULL, m->rr && cfg->gdb, dbg_steps};
    if (m->rr && cfg->gdb && !(m->tt = machine_tt_new())) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    m->dbg = dbgloop_new(cfg, &m->cpu, &dh, err, errlen);
    if (!m->dbg && err[0])
        goto fail;
    if (cfg->display == DISPLAY_CURSES) {
        struct chardev_spec tty = {CHR_STDIO, NULL};
        if (!chardev_open(&m->keyboard, &tty, err, errlen))
            goto fail;
        if (!display_curses_init(&m->display, &m->pc->vga, &m->keys)) {
            snprintf(err, errlen, "out of memory for the curses display");
            goto fail;
        }
        m->curses = true;
    }
    if (!machine_sdl_open(m, err, errlen))
        goto fail;
    m->host_start_ns = host_now_ns();
    if (cfg->loadvm && !machine_loadvm(m, cfg->loadvm, err, errlen))
        goto fail;
    if (cfg->monitor.kind == CHR_STDIO)
        machine_monitor_open(m);
    return m;
fail:
    machine_free(m);
    return NULL;
}

void machine_free(struct machine *m)
{
    if (!m)
        return;
    dbgloop_free(m->dbg);
    machine_tt_free(m->tt);
    rr_close(m->rr);
    for (int i = 0; i < m->n_serial; i++)
        chardev_close(&m->serial[i]);
    chardev_close(&m->debugcon);
    if (m->curses)
        display_curses_close(&m->display);
    if (m->sdl)
        display_sdl_close(&m->window);
    chardev_close(&m->keyboard);
    jit_free(m->jit);
    if (m->log)
        fclose(m->log);
    if (m->perfmap)
        fclose(m->perfmap);
    pc_free(m->pc);
    free(m->vga_rom);
    for (int i = 0; i < 7; i++)
        if (m->disks[i])
            blockdev_close(m->disks[i]);
    free(m->bios);
    free(m);
}

/* The curses display: keys from the terminal, and a redraw 30 times a second. */
static bool poll_display(struct machine *m)
{
    uint8_t b;
    uint64_t now = host_now_ns();
    while (chardev_read(&m->keyboard, &b) == 1)
        display_curses_input(&m->display, b, now);
    if (m->keyboard.quit)
        return false;
    display_curses_idle(&m->display, now);
    if (now >= m->next_refresh_ns) {
        display_curses_refresh(&m->display);
        m->next_refresh_ns = now + 33000000;
    }
    return true;
}

/* Feed host input to the serial ports; returns false when the user quit. */
static bool poll_input(struct machine *m)
{
    if (m->curses && !poll_display(m))
        return false;
    if (m->have_monitor)
        monitor_poll(&m->monitor);
    if (m->sdl && !poll_sdl(m))
        return false;
    for (int i = 0; i < m->n_serial && !m->serial_quiet; i++) {
        if (serial_reads(m, i))
            machine_serial_input(m, i);
        if (m->serial[i].quit)
            return false;
    }
    m->serial_quiet = false;
    return true;
}

/* Halted with interrupts possible: let time pass until the next event. */
static void idle(struct machine *m)
{
    uint64_t deadline = clock_next_deadline(&m->pc->clock);
    if (deterministic(m)) {
        uint64_t now = virtual_now(m);
        if (deadline != CLOCK_NEVER && deadline > now)
            m->idle_ns += deadline - now;
        return;
    }
    uint64_t now = virtual_now(m);
    int timeout_ms = 10;
    if (deadline != CLOCK_NEVER)
        timeout_ms = deadline <= now ? 0 : (int)((deadline - now + 999999) / 1000000);
    if (timeout_ms > 10)
        timeout_ms = 10; /* stay responsive to host input */
    struct pollfd fds[6];
    int n = 0;
    if (m->have_monitor && monitor_poll_fd(&m->monitor) >= 0)
        fds[n++] = (struct pollfd){.fd = monitor_poll_fd(&m->monitor), .events = POLLIN};
    for (int i = 0; i < m->n_serial; i++)
        if (chardev_poll_fd(&m->serial[i]) >= 0 && serial_reads(m, i))
            fds[n++] = (struct pollfd){.fd = chardev_poll_fd(&m->serial[i]), .events = POLLIN};
    if (m->curses)
        fds[n++] = (struct pollfd){.fd = chardev_poll_fd(&m->keyboard), .events = POLLIN};
    /* Nothing came on any of them: the next poll_input need not read the
     * serial ports (a system call each, every tick of an idle guest). */
    m->serial_quiet = poll(fds, (nfds_t)n, timeout_ms) == 0;
}

/* Stopped by the monitor: wait for its next command (or any host input). */
static void paused_wait(struct machine *m)
{
    struct pollfd p = {.fd = monitor_poll_fd(&m->monitor), .events = POLLIN};
    poll(&p, p.fd >= 0 ? 1 : 0, 10);
}

void machine_request_stop(struct machine *m, int status)
{
    m->user_stop = true;
    m->exit_status = status;
    m->stop = 1;
}

struct pc *machine_pc(struct machine *m)
{
    return m->pc;
}

void machine_print_stats(const struct machine *m, FILE *f)
{
    double secs = (double)(host_now_ns() - m->run_start_ns) / 1e9;
    const struct tlb *t = &m->cpu.tlb;
    fprintf(f, "kiln: %llu instructions in %.2f s (%.1f MIPS, %s)\n",
            (unsigned long long)m->cpu.icount, secs,
            secs > 0 ? (double)m->cpu.icount / secs / 1e6 : 0.0, m->jit ? "translator" : "interpreter");
    if (m->jit)
        jit_print_stats(m->jit, f);
    fprintf(f, "kiln: TLB %llu hits, %llu misses, %llu flushes\n", (unsigned long long)t->hits,
            (unsigned long long)t->misses, (unsigned long long)t->flushes);
}

static int run_loop(struct machine *m)
{
    struct cpu *c = &m->cpu;
reset:
    for (;;) {
        if (m->tt)
            machine_tt_top(m);
        clock_advance(&m->pc->clock, virtual_now(m));
        ferr_update(m);
        switch (machine_rr_deliver(m)) {
        case 0: break;
        case 1: return 0; /* the replay reached the recorded end */
        default: return 2;
        }
        /* Host input at most every millisecond: a poll per slice would cost
         * the translator a system call every few microseconds. */
        uint64_t host = host_now_ns();
        if (host - m->last_input_ns >= 1000000) {
            m->last_input_ns = host;
            if (!poll_input(m)) {
                m->user_stop = true;
                return 0;
            }
        }
        if (m->paused && !m->stop) {
            paused_wait(m);
            continue;
        }
        /* A run back to a step (reverse execution) that is there takes no interrupt first. */
        bool at_goal = m->tt && dbgloop_goal(m->dbg) == machine_stamp(m).pos;
        if (m->intr_line && interp_interruptible(c) && !(m->dbg && dbgloop_hold_irq(m->dbg)) &&
            !at_goal) {
            uint8_t vector = pc_intr_acknowledge(m->pc);
            m->irqs++;
            if (interp_external_interrupt(c, vector) == STEP_SHUTDOWN)
                goto shutdown;
        }
        uint64_t slice = SLICE_INSNS;
        if (deterministic(m)) {
            uint64_t deadline = clock_next_deadline(&m->pc->clock), now = virtual_now(m);
            if (deadline != CLOCK_NEVER)
                slice = deadline <= now ? 1 : ((deadline - now) >> m->cfg.icount_shift) + 1;
            if (slice > SLICE_INSNS)
                slice = SLICE_INSNS;
        }
        if (m->tt)
            slice = machine_tt_slice(m, slice);
        enum exec_stop r;
        if (m->rr && slice && !(slice = machine_rr_slice(m, slice))) {
            /* The next input is due after time spent halted. */
            if (!c->halted) {
                fprintf(stderr, "kiln: replay diverged: the CPU runs where the record has it halted\n");
                return 2;
            }
            r = EXEC_HALTED;
        } else {
            r = m->dbg ? dbgloop_run(m->dbg, slice, &m->stop, &m->intr_line)
                       : exec_run_intr(c, slice, &m->stop, &m->intr_line);
        }
        switch (r) {
        case EXEC_BUDGET:
        case EXEC_INTR: break;
        case EXEC_HALTED:
            if (!(c->eflags & FL_IF) && !m->stop) {
                fprintf(stderr,
                        "kiln: the guest halted with interrupts disabled at %04x:%08x "
                        "(POST code %02x)\n",
                        c->seg[SEG_CS].sel, c->eip - 1, sysports_post_code(&m->pc->ports));
                return 1;
            }
            idle(m);
            break;
        case EXEC_SHUTDOWN: goto shutdown;
        case EXEC_STOPPED: break;
        }
        if (m->stop) {
            if (!m->reset_requested)
                return m->exit_status;
            goto shutdown;
        }
    }
shutdown:
    if (m->cfg.no_reboot)
        return 0;
    if (!machine_reset(m))
        return 2;
    goto reset;
}

int machine_run(struct machine *m)
{
    m->run_start_ns = host_now_ns();
    return machine_rr_finish(m, run_loop(m));
}
