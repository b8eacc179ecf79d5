/* SPDX-License-Identifier: MIT */
/*
 * RSP transport (see gdb_rsp.h). The parser is a byte-at-a-time state
 * machine, so a packet may arrive in any number of reads and garbage
 * between packets is skipped. A packet with a bad checksum is answered
 * '-' (the client resends it); one longer than RSP_MAX_PACKET is consumed
 * to its end and reported as RSP_OVERSIZE so the caller answers an error.
 */
#include "frontend/gdb_rsp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { ST_IDLE, ST_DATA, ST_SUM1, ST_SUM2 };

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

int rsp_listen(struct rsp *r, const char *spec, char *err, size_t errlen)
{
    memset(r, 0, sizeof(*r));
    r->listen_fd = r->fd = -1;
    char host[64] = "127.0.0.1";
    const char *p = spec;
    if (strncmp(p, "tcp:", 4)) {
        snprintf(err, errlen, "-gdb: expected tcp::PORT or tcp:HOST:PORT, got '%s'", spec);
        return -1;
    }
    p += 4;
    const char *colon = strrchr(p, ':');
    if (!colon || (size_t)(colon - p) >= sizeof(host)) {
        snprintf(err, errlen, "-gdb: expected tcp::PORT or tcp:HOST:PORT, got '%s'", spec);
        return -1;
    }
    if (colon > p) {
        memcpy(host, p, (size_t)(colon - p));
        host[colon - p] = 0;
    }
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || errno || port < 0 || port > 65535) {
        snprintf(err, errlen, "-gdb: invalid port in '%s' (0 to 65535)", spec);
        return -1;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        snprintf(err, errlen, "-gdb: host '%s' is not an IPv4 address", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "-gdb: socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
        snprintf(err, errlen, "-gdb: cannot listen on %s:%ld: %s", host, port, strerror(errno));
        close(fd);
        return -1;
    }
    r->listen_fd = fd;
    return 0;
}

int rsp_port(const struct rsp *r)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    if (r->listen_fd < 0 || getsockname(r->listen_fd, (struct sockaddr *)&sa, &len))
        return -1;
    return ntohs(sa.sin_port);
}

static void reset_parser(struct rsp *r)
{
    r->state = ST_IDLE;
    r->len = 0;
    r->overflow = r->escape = false;
    r->in_pos = r->in_len = 0;
}

bool rsp_accept(struct rsp *r, bool block)
{
    if (r->fd >= 0)
        return true;
    if (r->listen_fd < 0)
        return false;
    struct pollfd pfd = {.fd = r->listen_fd, .events = POLLIN};
    if (poll(&pfd, 1, block ? -1 : 0) <= 0)
        return false;
    int fd = accept(r->listen_fd, NULL, NULL);
    if (fd < 0)
        return false;
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    r->fd = fd;
    r->no_ack = false; /* every connection starts in ack mode */
    reset_parser(r);
    return true;
}

static void write_all(struct rsp *r, const char *buf, size_t len)
{
    while (len && r->fd >= 0) {
        ssize_t n = send(r->fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rsp_disconnect(r);
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

/* Feed one byte to the parser; returns an event when one completes. */
static enum rsp_event parse_byte(struct rsp *r, uint8_t b)
{
    switch (r->state) {
    case ST_IDLE:
        if (b == '$') {
            r->state = ST_DATA;
            r->len = 0;
            r->sum = 0;
            r->overflow = r->escape = false;
        } else if (b == 0x03)
            return RSP_INTR;
        else if (b == '-' && !r->no_ack && r->last)
            write_all(r, r->last, r->last_len);
        /* '+' and stray bytes are ignored */
        return RSP_NONE;
    case ST_DATA:
        if (b == '$' && !r->escape) {
            /* an unterminated packet: the client started over */
            r->len = 0;
            r->sum = 0;
            r->overflow = false;
            return RSP_NONE;
        }
        if (b == '#') {
            r->state = ST_SUM1;
            return RSP_NONE;
        }
        r->sum = (uint8_t)(r->sum + b);
        if (r->escape) {
            b ^= 0x20;
            r->escape = false;
        } else if (b == '}') {
            r->escape = true;
            return RSP_NONE;
        }
        if (r->len < RSP_MAX_PACKET)
            r->pkt[r->len++] = (char)b;
        else
            r->overflow = true;
        return RSP_NONE;
    case ST_SUM1: {
        int v = hexval(b);
        r->want = (uint8_t)((v < 0 ? 0x100 : v) << 4);
        r->state = v < 0 ? ST_IDLE : ST_SUM2;
        if (v < 0 && !r->no_ack)
            write_all(r, "-", 1);
        return RSP_NONE;
    }
    case ST_SUM2: {
        int v = hexval(b);
        r->state = ST_IDLE;
        if (v < 0 || (uint8_t)(r->want | v) != r->sum) {
            if (!r->no_ack)
                write_all(r, "-", 1);
            return RSP_NONE;
        }
        if (!r->no_ack)
            write_all(r, "+", 1);
        if (r->overflow)
            return RSP_OVERSIZE;
        r->pkt[r->len] = 0;
        r->pkt_len = r->len;
        return RSP_PACKET;
    }
    }
    return RSP_NONE;
}

enum rsp_event rsp_poll(struct rsp *r, int timeout_ms)
{
    for (;;) {
        if (r->fd < 0)
            return RSP_CLOSED;
        while (r->in_pos < r->in_len) {
            enum rsp_event e = parse_byte(r, r->in[r->in_pos++]);
            if (e != RSP_NONE)
                return e;
            if (r->fd < 0)
                return RSP_CLOSED;
        }
        struct pollfd pfd[2] = {{.fd = r->fd, .events = POLLIN},
                                {.fd = r->listen_fd, .events = POLLIN}};
        int n = poll(pfd, r->listen_fd >= 0 ? 2 : 1, timeout_ms);
        if (n < 0 && errno == EINTR)
            return RSP_NONE;
        if (n <= 0)
            return RSP_NONE;
        if (r->listen_fd >= 0 && (pfd[1].revents & POLLIN)) {
            /* One debugger at a time: a second one is turned away at once
             * rather than left waiting. */
            int extra = accept(r->listen_fd, NULL, NULL);
            if (extra >= 0)
                close(extra);
        }
        if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
            return RSP_NONE; /* only the listener spoke */
        ssize_t got = recv(r->fd, r->in, sizeof(r->in), 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got <= 0) {
            rsp_disconnect(r);
            return RSP_CLOSED;
        }
        r->in_pos = 0;
        r->in_len = (size_t)got;
        timeout_ms = 0; /* already waited once */
    }
}

void rsp_send(struct rsp *r, const char *payload, size_t len)
{
    if (r->fd < 0)
        return;
    char *buf = malloc(2 * len + 5);
    if (!buf)
        return;
    size_t n = 0;
    uint8_t sum = 0;
    buf[n++] = '$';
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = (uint8_t)payload[i];
        if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
            buf[n++] = '}';
            sum = (uint8_t)(sum + '}');
            ch ^= 0x20;
        }
        buf[n++] = (char)ch;
        sum = (uint8_t)(sum + ch);
    }
    n += (size_t)snprintf(buf + n, 4, "#%02x", sum);
    free(r->last);
    r->last = buf;
    r->last_len = n;
    write_all(r, buf, n);
}

void rsp_send_str(struct rsp *r, const char *payload)
{
    rsp_send(r, payload, strlen(payload));
}

void rsp_disconnect(struct rsp *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    free(r->last);
    r->last = NULL;
    reset_parser(r);
}

void rsp_close(struct rsp *r)
{
    rsp_disconnect(r);
    if (r->listen_fd >= 0)
        close(r->listen_fd);
    r->listen_fd = -1;
}
