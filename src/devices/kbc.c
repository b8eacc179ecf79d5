/* SPDX-License-Identifier: MIT */
/*
 * The 8042 keyboard controller (see kbc.h): ports 60h/64h, controller RAM
 * and command byte, the A0h-FFh command set, the output port's A20 and reset
 * lines, translation, and byte delivery from the two PS/2 devices on the
 * virtual clock. Owns only struct kbc; never looks inside the devices.
 * Follows the IBM PS/2 Technical Reference ("Keyboard/Auxiliary Device
 * Controller") and the Intel UPI-41/42 datasheet for the port pins.
 */
#include "devices/kbc.h"

#include "common/log.h"

/* Timing of the output buffer. A PS/2 device clocks a byte out in about 1 ms
 * (11 bits at 10-16.7 kHz) once the 8042 lets it, which is after the buffer
 * was read; the controller's own replies take its firmware tens of
 * microseconds. So a guest that reads 60h twice for one byte (an INT 9 hook
 * that chains to the BIOS's handler) gets the same byte twice, as on
 * hardware. Each status read while a byte is on its way counts as the
 * microsecond an ISA read takes on hardware: a polling loop written for real
 * hardware gets its byte after no more reads than it would there, although
 * Kiln runs the loop many times faster. */
#define KBC_FRAME_NS    1000000u
#define KBC_REPLY_NS    20000u
#define KBC_ISA_READ_NS 1000u

/* Output port value after the 8042's reset: its quasi-bidirectional port
 * pins come up high (A20 enabled, reset released, both clocks and data lines
 * released). Bits 4 and 5 are the IRQ outputs and are computed. */
#define KBC_OUT_POWER_ON 0xcfu

/* Input port: bit 7 keyboard not locked, bit 5 no manufacturing jumper,
 * bit 6 colour display, bit 4 512 KiB on the board, bits 1-0 the idle
 * (high) data lines of the mouse and keyboard. */
#define KBC_INPUT_PORT 0xa3u

/* The command byte after power-on: translation on, both interfaces enabled,
 * no interrupts, system flag clear (cold boot) until the BIOS's self-test. */
#define KBC_CB_POWER_ON KBC_CB_XLATE

/* The 8042 translation table for bytes 00h-7Fh (set 2 in, set 1 out). It is
 * a permutation of 01h-7Fh; 00h (keyboard overrun) becomes FFh. */
static const uint8_t xlate_table[128] = {
    0xff, 0x43, 0x41, 0x3f, 0x3d, 0x3b, 0x3c, 0x58, 0x64, 0x44, 0x42, 0x40, 0x3e, 0x0f, 0x29, 0x59,
    0x65, 0x38, 0x2a, 0x70, 0x1d, 0x10, 0x02, 0x5a, 0x66, 0x71, 0x2c, 0x1f, 0x1e, 0x11, 0x03, 0x5b,
    0x67, 0x2e, 0x2d, 0x20, 0x12, 0x05, 0x04, 0x5c, 0x68, 0x39, 0x2f, 0x21, 0x14, 0x13, 0x06, 0x5d,
    0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5e, 0x6a, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5f,
    0x6b, 0x33, 0x25, 0x17, 0x18, 0x0b, 0x0a, 0x60, 0x6c, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0c, 0x61,
    0x6d, 0x73, 0x28, 0x74, 0x1a, 0x0d, 0x62, 0x6e, 0x3a, 0x36, 0x1c, 0x1b, 0x75, 0x2b, 0x63, 0x76,
    0x55, 0x56, 0x77, 0x78, 0x79, 0x7a, 0x0e, 0x7b, 0x7c, 0x4f, 0x7d, 0x4b, 0x47, 0x7e, 0x7f, 0x6f,
    0x52, 0x53, 0x50, 0x4c, 0x4d, 0x48, 0x01, 0x45, 0x57, 0x4e, 0x51, 0x4a, 0x37, 0x49, 0x46, 0x54,
};

uint8_t kbc_translate(uint8_t byte)
{
    if (byte < 0x80)
        return xlate_table[byte];
    /* Above 7Fh bytes pass unchanged, except the two codes that keyboard IDs
     * and the set 2 F7 key use: 83h (F7) and 84h (Alt+SysRq). */
    if (byte == 0x83)
        return 0x41;
    if (byte == 0x84)
        return 0x54;
    return byte;
}

static void update_irqs(struct kbc *k)
{
    bool lvl[2] = {
        k->obf && !k->out_aux && (k->ram[0] & KBC_CB_KBD_INT),
        k->obf && k->out_aux && (k->ram[0] & KBC_CB_AUX_INT),
    };
    for (int i = 0; i < 2; i++) {
        if (lvl[i] != k->irq_level[i]) {
            k->irq_level[i] = lvl[i];
            irq_set(&k->irq[i], lvl[i]);
        }
    }
}

static bool port_enabled(const struct kbc *k, int port)
{
    return !(k->ram[0] & (port == KBC_PORT_KBD ? KBC_CB_KBD_OFF : KBC_CB_AUX_OFF));
}

static bool has_pending(const struct kbc *k)
{
    if (k->q_count)
        return true;
    for (int p = 0; p < 2; p++)
        if (k->attached[p] && k->ready[p] && port_enabled(k, p))
            return true;
    return false;
}

/* Arm the delivery timer when the output buffer is free and something waits. */
static void schedule(struct kbc *k)
{
    if (k->obf || !has_pending(k) || k->deliver.deadline != CLOCK_NEVER)
        return;
    k->polls = 0;
    clock_timer_arm(k->clock, &k->deliver,
                    clock_now(k->clock) + (k->q_count ? KBC_REPLY_NS : KBC_FRAME_NS));
}

static void fill(struct kbc *k, uint8_t v, bool aux)
{
    k->out = v;
    k->out_aux = aux;
    k->obf = true;
    update_irqs(k);
}

/* A byte the controller itself produces: straight into a free output buffer,
 * else queued behind what the system has not read yet (the 8042 firmware
 * waits for the buffer to empty). */
static void reply(struct kbc *k, uint8_t v, bool aux)
{
    if (!k->obf && !k->q_count) {
        fill(k, v, aux);
        return;
    }
    if (k->q_count == KBC_QUEUE_SIZE) {
        log_msg(LOG_GUEST, "kbc", "reply %02xh dropped: output never read", v);
        return;
    }
    int i = (k->q_head + k->q_count++) % KBC_QUEUE_SIZE;
    k->q[i] = v;
    k->q_aux[i] = aux;
    schedule(k);
}

/* Take one byte from the device on 'port' into the output buffer, applying
 * translation to keyboard bytes. False when the device had nothing to give. */
static bool pull(struct kbc *k, int port)
{
    uint8_t b;
    while (k->port[port].read(k->port[port].dev, &b)) {
        if (port == KBC_PORT_KBD && (k->ram[0] & KBC_CB_XLATE)) {
            /* Set 2 marks a break with an F0h prefix; set 1 with bit 7 of the
             * code itself. The prefix is swallowed and the next byte gets the bit. */
            if (b == 0xf0) {
                k->xlate_break = true;
                continue;
            }
            b = kbc_translate(b);
            if (k->xlate_break)
                b |= 0x80;
            k->xlate_break = false;
        }
        k->timeout = false;
        fill(k, b, port == KBC_PORT_AUX);
        return true;
    }
    return false;
}

static void deliver(void *opaque)
{
    struct kbc *k = opaque;
    if (k->obf)
        return;
    if (k->q_count) {
        int i = k->q_head;
        k->q_head = (k->q_head + 1) % KBC_QUEUE_SIZE;
        k->q_count--;
        fill(k, k->q[i], k->q_aux[i]);
        return;
    }
    /* The keyboard is served first: its traffic is light and latency-sensitive. */
    for (int p = 0; p < 2; p++)
        if (k->attached[p] && k->ready[p] && port_enabled(k, p) && pull(k, p))
            return;
}

static void ready_set(void *opaque, int n, bool level)
{
    struct kbc *k = opaque;
    if (n < 0 || n > 1)
        return;
    k->ready[n] = level;
    if (level)
        schedule(k);
}

static void set_command_byte(struct kbc *k, uint8_t v)
{
    k->ram[0] = v;
    if (!(v & KBC_CB_XLATE))
        k->xlate_break = false;
    update_irqs(k);
    schedule(k);
}

static uint8_t output_port(const struct kbc *k)
{
    uint8_t v = (uint8_t)(k->out_port & ~(KBC_OUT_IRQ1 | KBC_OUT_IRQ12));
    if (k->irq_level[0])
        v |= KBC_OUT_IRQ1;
    if (k->irq_level[1])
        v |= KBC_OUT_IRQ12;
    return v;
}

static void cpu_reset(struct kbc *k)
{
    if (k->host.reset)
        k->host.reset(k->host.opaque);
}

/* D1h, DDh, DFh: bit 1 gates A20; bit 0 low resets the CPU. The reset line
 * is modelled as a pulse: the CPU restarts and the pin reads high again, so
 * the guest can never wedge the machine in reset. */
static void write_output_port(struct kbc *k, uint8_t v)
{
    uint8_t old = k->out_port;
    k->out_port = (uint8_t)(v | KBC_OUT_RESET);
    if (((old ^ v) & KBC_OUT_A20) && k->host.set_a20)
        k->host.set_a20(k->host.opaque, (v & KBC_OUT_A20) != 0);
    if (!(v & KBC_OUT_RESET))
        cpu_reset(k);
}

/* F0h-FFh: the low nibble's zero bits name output port lines pulsed low for
 * about 6 us. Only the reset line (bit 0) has an effect: a 6 us A20 pulse is
 * over before the CPU can make another access. */
static void pulse_output_port(struct kbc *k, uint8_t cmd)
{
    if (!(cmd & KBC_OUT_RESET))
        cpu_reset(k);
}

/* A byte for the device on 'port' (a 60h write, or the data of D4h). */
static void send_to(struct kbc *k, int port, uint8_t v)
{
    k->timeout = false;
    /* Any byte for the keyboard re-enables its interface, as AD/AEh document. */
    if (port == KBC_PORT_KBD && (k->ram[0] & KBC_CB_KBD_OFF))
        set_command_byte(k, (uint8_t)(k->ram[0] & ~KBC_CB_KBD_OFF));
    if (!k->attached[port]) {
        /* No device clocks the byte in: the controller times out and
         * reports FEh from that port. */
        k->timeout = true;
        reply(k, 0xfe, port == KBC_PORT_AUX);
        return;
    }
    k->port[port].write(k->port[port].dev, v);
}

/* The data byte of a command that takes one. */
static void command_data(struct kbc *k, uint8_t cmd, uint8_t v)
{
    if (cmd >= 0x60 && cmd <= 0x7f) {
        if (cmd == 0x60)
            set_command_byte(k, v);
        else
            k->ram[cmd & 0x1f] = v;
        return;
    }
    switch (cmd) {
    case 0xa5: /* load password: a zero-terminated string, kept nowhere */
        if (v)
            k->pending = 0xa5;
        break;
    case 0xd1:
        write_output_port(k, v);
        break;
    case 0xd2:
        reply(k, v, false);
        break;
    case 0xd3:
        reply(k, v, true);
        break;
    case 0xd4:
        send_to(k, KBC_PORT_AUX, v);
        break;
    default:
        break;
    }
}

static void command(struct kbc *k, uint8_t cmd)
{
    k->pending = 0;
    if (cmd >= 0x20 && cmd <= 0x3f) {
        reply(k, k->ram[cmd & 0x1f], false);
        return;
    }
    if (cmd >= 0x60 && cmd <= 0x7f) {
        k->pending = cmd;
        return;
    }
    if (cmd >= 0xf0) {
        pulse_output_port(k, cmd);
        return;
    }
    switch (cmd) {
    case 0xa4: /* password installed? F1h: no */
        reply(k, 0xf1, false);
        break;
    case 0xa5:
        k->pending = cmd;
        break;
    case 0xa7:
        set_command_byte(k, (uint8_t)(k->ram[0] | KBC_CB_AUX_OFF));
        break;
    case 0xa8:
        set_command_byte(k, (uint8_t)(k->ram[0] & ~KBC_CB_AUX_OFF));
        break;
    case 0xa9: /* auxiliary interface test: 00h passes; FFh is "no device" */
        reply(k, k->attached[KBC_PORT_AUX] ? 0x00 : 0xff, false);
        break;
    case 0xaa: /* self test: 55h, and the system flag is set */
        k->ram[0] |= KBC_CB_SYS;
        reply(k, 0x55, false);
        break;
    case 0xab: /* keyboard interface test: 00h passes; 02h is "clock stuck high" */
        reply(k, k->attached[KBC_PORT_KBD] ? 0x00 : 0x02, false);
        break;
    case 0xad:
        set_command_byte(k, (uint8_t)(k->ram[0] | KBC_CB_KBD_OFF));
        break;
    case 0xae:
        set_command_byte(k, (uint8_t)(k->ram[0] & ~KBC_CB_KBD_OFF));
        break;
    case 0xc0:
        reply(k, KBC_INPUT_PORT, false);
        break;
    case 0xd0:
        reply(k, output_port(k), false);
        break;
    case 0xd1:
    case 0xd2:
    case 0xd3:
    case 0xd4:
        k->pending = cmd;
        break;
    case 0xdd:
        write_output_port(k, (uint8_t)(k->out_port & ~KBC_OUT_A20));
        break;
    case 0xdf:
        write_output_port(k, (uint8_t)(k->out_port | KBC_OUT_A20));
        break;
    case 0xe0: /* test inputs: T0 keyboard clock, T1 mouse clock (high = released) */
        reply(k,
              (uint8_t)((port_enabled(k, KBC_PORT_KBD) ? 1 : 0) |
                        (port_enabled(k, KBC_PORT_AUX) ? 2 : 0)),
              false);
        break;
    default:
        /* Vendor commands (AMI, Compaq, VIA, MCA password and dump): no reply. */
        log_msg(LOG_STUB, "kbc", "controller command %02xh ignored", cmd);
        break;
    }
}

static uint32_t data_read(void *opaque, uint32_t addr, int size)
{
    struct kbc *k = opaque;
    (void)addr;
    (void)size;
    uint8_t v = k->out;
    if (k->obf) {
        k->obf = false;
        update_irqs(k);
        schedule(k);
    }
    return v;
}

static void data_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct kbc *k = opaque;
    (void)addr;
    (void)size;
    k->last_cmd = false;
    uint8_t cmd = k->pending;
    k->pending = 0;
    if (cmd)
        command_data(k, cmd, (uint8_t)val);
    else
        send_to(k, KBC_PORT_KBD, (uint8_t)val);
}

static uint32_t status_read(void *opaque, uint32_t addr, int size)
{
    struct kbc *k = opaque;
    (void)addr;
    (void)size;
    if (!k->obf && k->deliver.deadline != CLOCK_NEVER &&
        clock_now(k->clock) + (uint64_t)++k->polls * KBC_ISA_READ_NS >= k->deliver.deadline) {
        clock_timer_cancel(k->clock, &k->deliver);
        deliver(k);
    }
    uint8_t s = KBC_STAT_UNLOCK;
    if (k->obf)
        s |= KBC_STAT_OBF;
    if (k->obf && k->out_aux)
        s |= KBC_STAT_AUX;
    if (k->ram[0] & KBC_CB_SYS)
        s |= KBC_STAT_SYS;
    if (k->last_cmd)
        s |= KBC_STAT_CMD;
    if (k->timeout)
        s |= KBC_STAT_TIMEOUT;
    return s;
}

static void status_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct kbc *k = opaque;
    (void)addr;
    (void)size;
    k->last_cmd = true;
    command(k, (uint8_t)val);
}

static const struct io_ops kbc_data_ops = {data_read, data_write};
static const struct io_ops kbc_status_ops = {status_read, status_write};

bool kbc_init(struct kbc *k, struct bus *b, struct clock *c, struct irq_line irq1,
              struct irq_line irq12, const struct kbc_host *host)
{
    *k = (struct kbc){0};
    k->clock = c;
    clock_timer_init(&k->deliver, deliver, k);
    k->irq[0] = irq1;
    k->irq[1] = irq12;
    if (host)
        k->host = *host;
    k->ram[0] = KBC_CB_POWER_ON;
    k->out_port = KBC_OUT_POWER_ON;
    return bus_map_io(b, KBC_DATA_PORT, 1, &kbc_data_ops, k) &&
           bus_map_io(b, KBC_STATUS_PORT, 1, &kbc_status_ops, k);
}

void kbc_attach(struct kbc *k, enum kbc_port port, struct kbc_device dev)
{
    if (port != KBC_PORT_KBD && port != KBC_PORT_AUX)
        return;
    k->port[port] = dev;
    k->attached[port] = dev.read && dev.write;
    schedule(k);
}

struct irq_line kbc_ready_line(struct kbc *k, enum kbc_port port)
{
    return (struct irq_line){ready_set, k, (int)port};
}
