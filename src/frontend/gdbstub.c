/* SPDX-License-Identifier: MIT */
/*
 * The gdb stub's packets: what each RSP command does to the stopped
 * machine (registers, memory, breakpoints, watchpoints, resume, detach,
 * kill, monitor). Owns packet parsing and replies; execution is
 * dbgloop.c's, transport gdb_rsp.c's. Every argument is parsed strictly;
 * anything malformed gets an "Exx" reply, anything unknown the empty
 * reply, as the protocol asks.
 * Spec: GDB manual, appendix E (E.3 stop replies, E.4 packets, E.5-E.8).
 */
#include "frontend/gdbstub_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { STAY, RESUME };

static const char hexdigits[] = "0123456789abcdef";

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Parse a hex number of 1-8 digits at *p, advancing it. */
static bool parse_hex32(const char **p, uint32_t *out)
{
    uint32_t v = 0;
    int n = 0;
    while (hexval(**p) >= 0) {
        if (++n > 8)
            return false;
        v = v << 4 | (uint32_t)hexval(**p);
        (*p)++;
    }
    *out = v;
    return n > 0;
}

/* "ADDR,LEN" followed by 'term' (0 for end of packet). */
static bool parse_addr_len(const char **p, char term, uint32_t *addr, uint32_t *len)
{
    if (!parse_hex32(p, addr) || **p != ',')
        return false;
    (*p)++;
    if (!parse_hex32(p, len) || **p != term)
        return false;
    if (term)
        (*p)++;
    return true;
}

static void to_hex(char *out, const uint8_t *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hexdigits[in[i] >> 4];
        out[2 * i + 1] = hexdigits[in[i] & 15];
    }
    out[2 * n] = 0;
}

static bool from_hex(uint8_t *out, const char *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(in[2 * i]), lo = hi < 0 ? -1 : hexval(in[2 * i + 1]);
        if (lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

static void reply(struct dbgloop *d, const char *s)
{
    rsp_send_str(&d->rsp, s);
}

static void send_stop(struct dbgloop *d)
{
    char buf[64];
    static const char *const kinds[] = {[WATCH_WRITE] = "watch", [WATCH_READ] = "rwatch",
                                         [WATCH_ACCESS] = "awatch"};
    if (d->stop == STOP_WATCH)
        snprintf(buf, sizeof(buf), "T05%s:%x;thread:01;", kinds[d->stop_watch_type],
                 d->stop_watch_addr);
    else if (d->stop == STOP_BEGIN) /* E.3: the start of the log, going backwards */
        snprintf(buf, sizeof(buf), "T05replaylog:begin;thread:01;");
    else
        snprintf(buf, sizeof(buf), "T%02xthread:01;", d->stop == STOP_INTR ? 2 : 5);
    reply(d, buf);
}

static void read_registers(struct dbgloop *d)
{
    uint8_t raw[256];
    char hex[2 * sizeof(raw) + 1];
    size_t off = 0;
    for (int n = 0; n < GDB_NUM_REGS; n++)
        off += (size_t)gdb_reg_read(d, n, raw + off);
    to_hex(hex, raw, off);
    reply(d, hex);
}

static void write_registers(struct dbgloop *d, const char *args, size_t len)
{
    uint8_t raw[256];
    size_t size = gdb_regs_size();
    if (d->host.reverse) {
        reply(d, "E03"); /* the run must stay the recorded one */
        return;
    }
    if (len != 2 * size || !from_hex(raw, args, size)) {
        reply(d, "E01");
        return;
    }
    reply(d, gdb_regs_write_all(d, raw) ? "OK" : "E02");
}

static void read_register(struct dbgloop *d, const char *args)
{
    uint32_t n;
    uint8_t raw[16];
    char hex[40];
    if (!parse_hex32(&args, &n) || *args || n >= GDB_NUM_REGS) {
        reply(d, "E01");
        return;
    }
    to_hex(hex, raw, (size_t)gdb_reg_read(d, (int)n, raw));
    reply(d, hex);
}

static void write_register(struct dbgloop *d, const char *args)
{
    uint32_t n;
    uint8_t raw[16];
    if (!parse_hex32(&args, &n) || *args != '=' || n >= GDB_NUM_REGS) {
        reply(d, "E01");
        return;
    }
    args++;
    size_t size = (size_t)gdb_reg_size((int)n);
    if (strlen(args) != 2 * size || !from_hex(raw, args, size)) {
        reply(d, "E01");
        return;
    }
    if (d->host.reverse) {
        reply(d, "E03"); /* the run must stay the recorded one */
        return;
    }
    reply(d, gdb_reg_write(d, (int)n, raw) ? "OK" : "E02");
}

static void read_memory(struct dbgloop *d, const char *args)
{
    uint32_t addr, len;
    uint8_t raw[RSP_MAX_PACKET / 2];
    char hex[RSP_MAX_PACKET + 1];
    if (!parse_addr_len(&args, 0, &addr, &len)) {
        reply(d, "E01");
        return;
    }
    if (len > sizeof(raw))
        len = sizeof(raw); /* a stub may answer fewer bytes (E.4 'm') */
    if (!gdb_mem_read(d, addr, raw, len)) {
        reply(d, "E14"); /* EFAULT */
        return;
    }
    to_hex(hex, raw, len);
    reply(d, hex);
}

/* M (hex data) and X (binary data). */
static void write_memory(struct dbgloop *d, const char *args, size_t pkt_len, bool binary)
{
    const char *start = args;
    uint32_t addr, len;
    uint8_t raw[RSP_MAX_PACKET];
    if (!parse_addr_len(&args, ':', &addr, &len) || len > sizeof(raw)) {
        reply(d, "E01");
        return;
    }
    size_t avail = pkt_len - (size_t)(args - start);
    if (binary) {
        if (avail != len) {
            reply(d, "E01");
            return;
        }
        memcpy(raw, args, len);
    } else if (avail != 2 * (size_t)len || !from_hex(raw, args, len)) {
        reply(d, "E01");
        return;
    }
    if (d->host.reverse && len) {
        reply(d, "E03"); /* the run must stay the recorded one */
        return;
    }
    reply(d, gdb_mem_write(d, addr, raw, len) ? "OK" : "E14");
}

/* Z/z: type 0 software breakpoint, 1 hardware breakpoint (both checked by
 * linear address before each instruction; guest memory is never patched),
 * 2, 3, 4 write, read and access watchpoints of 1, 2 or 4 bytes at a
 * linear address (gdb_watch.c). */
static void breakpoint(struct dbgloop *d, const char *args, bool insert)
{
    if (args[0] < '0' || args[0] > '4' || args[1] != ',') {
        reply(d, "E01");
        return;
    }
    int type = args[0] - '0';
    args += 2;
    uint32_t addr, kind;
    if (!parse_hex32(&args, &addr) || *args != ',') {
        reply(d, "E01");
        return;
    }
    args++;
    if (!parse_hex32(&args, &kind) || (*args && *args != ';')) {
        reply(d, "E01");
        return;
    }
    if (type <= 1) {
        int found = -1;
        for (int i = 0; i < d->n_bp; i++)
            if (d->bp[i] == addr)
                found = i;
        if (insert && found < 0) {
            if (d->n_bp == GDB_MAX_BREAK) {
                reply(d, "E28"); /* ENOSPC */
                return;
            }
            d->bp[d->n_bp++] = addr;
        } else if (!insert && found >= 0)
            d->bp[found] = d->bp[--d->n_bp];
        reply(d, "OK");
        return;
    }
    if (kind != 1 && kind != 2 && kind != 4) {
        reply(d, "E22"); /* EINVAL: 1, 2 or 4 bytes */
        return;
    }
    int found = -1;
    for (int i = 0; i < d->n_wp; i++)
        if (d->wp[i].lin == addr && d->wp[i].len == (int)kind && (int)d->wp[i].type == type)
            found = i;
    if (insert && found < 0) {
        if (d->n_wp == GDB_MAX_WATCH) {
            reply(d, "E28");
            return;
        }
        d->wp[d->n_wp++] =
            (struct gdb_watch){.lin = addr, .len = (int)kind, .type = (enum watch_type)type};
    } else if (!insert && found >= 0)
        d->wp[found] = d->wp[--d->n_wp];
    reply(d, "OK");
}

static void xfer_features(struct dbgloop *d, const char *args)
{
    static const char prefix[] = "target.xml:";
    uint32_t off, len;
    if (strncmp(args, prefix, sizeof(prefix) - 1)) {
        reply(d, "E00");
        return;
    }
    args += sizeof(prefix) - 1;
    if (!parse_addr_len(&args, 0, &off, &len)) {
        reply(d, "E01");
        return;
    }
    char buf[RSP_MAX_PACKET / 2 + 2];
    if (len > RSP_MAX_PACKET / 2 - 1)
        len = RSP_MAX_PACKET / 2 - 1; /* room for escapes */
    size_t xml_len;
    const char *xml = gdb_target_xml(d, &xml_len);
    if (off >= xml_len) {
        reply(d, "l");
        return;
    }
    size_t n = xml_len - off;
    buf[0] = n > len ? 'm' : 'l';
    if (n > len)
        n = len;
    memcpy(buf + 1, xml + off, n);
    rsp_send(&d->rsp, buf, n + 1);
}

static void monitor(struct dbgloop *d, const char *hex)
{
    char cmd[RSP_MAX_PACKET / 2 + 1];
    size_t n = strlen(hex);
    if (n % 2 || n / 2 >= sizeof(cmd) || !from_hex((uint8_t *)cmd, hex, n / 2)) {
        reply(d, "E01");
        return;
    }
    cmd[n / 2] = 0;
    if (strlen(cmd) != n / 2) {
        reply(d, "E01"); /* an embedded NUL */
        return;
    }
    gdb_monitor(d, cmd);
    reply(d, "OK");
}

/* Resume: c, s, vCont. A resume address is not supported (gdb never sends one). */
static int resume(struct dbgloop *d, bool step)
{
    d->stepping = step;
    d->reply_owed = true;
    return RESUME;
}

static int vcont(struct dbgloop *d, const char *args)
{
    if (!strcmp(args, "?")) {
        reply(d, "vCont;c;C;s;S");
        return STAY;
    }
    if (args[0] != ';' || !args[1] || !strchr("cCsS", args[1])) {
        reply(d, "E01");
        return STAY;
    }
    /* One CPU: the first action applies to it. */
    return resume(d, args[1] == 's' || args[1] == 'S');
}

static void clear_points(struct dbgloop *d)
{
    d->n_bp = d->n_wp = 0;
    d->stepping = false;
}

static int query(struct dbgloop *d, const char *p)
{
    if (!strncmp(p, "qSupported", 10))
        reply(d, d->host.reverse ? "PacketSize=1000;qXfer:features:read+;QStartNoAckMode+;"
                                   "vContSupported+;ReverseStep+;ReverseContinue+"
                                 : "PacketSize=1000;qXfer:features:read+;QStartNoAckMode+;"
                                   "vContSupported+");
    else if (!strncmp(p, "qXfer:features:read:", 20))
        xfer_features(d, p + 20);
    else if (!strcmp(p, "QStartNoAckMode")) {
        reply(d, "OK");
        d->rsp.no_ack = true;
    } else if (!strncmp(p, "qAttached", 9))
        reply(d, "1");
    else if (!strcmp(p, "qC"))
        reply(d, "QC01");
    else if (!strcmp(p, "qfThreadInfo"))
        reply(d, "m01");
    else if (!strcmp(p, "qsThreadInfo"))
        reply(d, "l");
    else if (!strncmp(p, "qSymbol", 7))
        reply(d, "OK");
    else if (!strncmp(p, "qRcmd,", 6))
        monitor(d, p + 6);
    else
        reply(d, "");
    return STAY;
}

/* Handle one packet while stopped. */
static int handle(struct dbgloop *d)
{
    const char *p = d->rsp.pkt;
    size_t len = d->rsp.pkt_len;
    if (len == 0) {
        reply(d, "");
        return STAY;
    }
    switch (p[0]) {
    case '?': send_stop(d); return STAY;
    case 'g': read_registers(d); return STAY;
    case 'G': write_registers(d, p + 1, len - 1); return STAY;
    case 'p': read_register(d, p + 1); return STAY;
    case 'P': write_register(d, p + 1); return STAY;
    case 'm': read_memory(d, p + 1); return STAY;
    case 'M': write_memory(d, p + 1, len - 1, false); return STAY;
    case 'X': write_memory(d, p + 1, len - 1, true); return STAY;
    case 'Z': breakpoint(d, p + 1, true); return STAY;
    case 'z': breakpoint(d, p + 1, false); return STAY;
    case 'c':
    case 'C': return resume(d, false);
    case 's':
    case 'S': return resume(d, true);
    case 'b':
        /* bs, bc: step or continue backwards (E.4), with record/replay only. */
        if (d->host.reverse && len == 2 && (p[1] == 's' || p[1] == 'c')) {
            d->rev_req = p[1] == 's' ? DBG_REV_STEP : DBG_REV_CONT;
            d->stepping = false;
            d->reply_owed = true;
            return RESUME;
        }
        reply(d, "");
        return STAY;
    case 'H': reply(d, "OK"); return STAY;
    case 'T': reply(d, "OK"); return STAY;
    case 'D':
        clear_points(d);
        reply(d, "OK");
        rsp_disconnect(&d->rsp);
        return RESUME;
    case 'k':
        clear_points(d);
        rsp_disconnect(&d->rsp);
        d->host.quit(d->host.opaque, 0);
        return RESUME;
    case 'v':
        if (!strncmp(p, "vCont", 5))
            return vcont(d, p + 5);
        if (!strncmp(p, "vKill", 5)) {
            reply(d, "OK");
            clear_points(d);
            rsp_disconnect(&d->rsp);
            d->host.quit(d->host.opaque, 0);
            return RESUME;
        }
        reply(d, "");
        return STAY;
    case 'q':
    case 'Q': return query(d, p);
    default: reply(d, ""); return STAY;
    }
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void gdb_serve(struct dbgloop *d)
{
    uint64_t t0 = now_ns();
    /* A debugger that just connected asks with '?'; one that resumed the
     * guest is owed the reply now. */
    if (d->rsp.fd >= 0 && d->reply_owed)
        send_stop(d);
    d->reply_owed = false;
    while (d->rsp.fd >= 0) {
        if (d->stop_flag && *d->stop_flag)
            break; /* a signal asked Kiln to exit */
        enum rsp_event e = rsp_poll(&d->rsp, -1);
        if (e == RSP_PACKET && handle(d) == RESUME)
            break;
        if (e == RSP_OVERSIZE)
            reply(d, "E01");
        if (e == RSP_CLOSED)
            clear_points(d); /* the debugger vanished: let the guest run on */
    }
    d->stop = STOP_NONE;
    if (d->host.clock_origin_ns)
        *d->host.clock_origin_ns += now_ns() - t0;
}

void gdb_poll_running(struct dbgloop *d)
{
    if (d->rsp.fd < 0) {
        if (rsp_accept(&d->rsp, false)) {
            d->stop = STOP_TRAP; /* a new debugger finds the guest stopped */
            d->reply_owed = false;
        }
        return;
    }
    for (;;) {
        switch (rsp_poll(&d->rsp, 0)) {
        case RSP_NONE: return;
        case RSP_INTR: d->stop = STOP_INTR; return;
        case RSP_CLOSED: clear_points(d); return;
        case RSP_OVERSIZE:
        case RSP_PACKET: reply(d, "E01"); break; /* all-stop: nothing is asked while running */
        }
    }
}
