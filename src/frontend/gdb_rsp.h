/* SPDX-License-Identifier: MIT */
/*
 * The GDB Remote Serial Protocol transport: one listening TCP socket, one
 * client at a time, packet framing ($data#xx), checksums, +/- acks and the
 * no-ack mode, binary escapes, and the out-of-band Ctrl-C byte. Owns the
 * socket and byte buffers only; knows nothing of the CPU or of what a
 * packet means (gdbstub.c). Hostile input (bad checksums, garbage,
 * oversized packets) is answered or dropped, never trusted.
 * Spec: GDB manual, appendix E "GDB Remote Serial Protocol", E.1-E.11.
 */
#ifndef KILN_FRONTEND_GDB_RSP_H
#define KILN_FRONTEND_GDB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest packet payload accepted (advertised as PacketSize). */
#define RSP_MAX_PACKET 4096

enum rsp_event {
    RSP_NONE,     /* nothing complete yet */
    RSP_PACKET,   /* a packet is in rsp->pkt (NUL-terminated, pkt_len bytes) */
    RSP_OVERSIZE, /* a packet longer than RSP_MAX_PACKET was received and dropped */
    RSP_INTR,     /* the client sent Ctrl-C (0x03) */
    RSP_CLOSED,   /* the client went away */
};

struct rsp {
    int listen_fd, fd; /* -1 when absent */
    bool no_ack;
    /* packet parser */
    int state;
    uint8_t sum, want;
    bool escape, overflow;
    size_t len;
    char pkt[RSP_MAX_PACKET + 1];
    size_t pkt_len;
    /* bytes read but not yet parsed */
    uint8_t in[1024];
    size_t in_pos, in_len;
    /* the last packet sent, resent when the client answers '-' */
    char *last;
    size_t last_len;
};

/* Listen on "tcp::PORT" or "tcp:HOST:PORT" (an IPv4 address; empty means
 * 127.0.0.1). PORT 0 picks a free port. Returns 0 or -1 with a message. */
int rsp_listen(struct rsp *r, const char *spec, char *err, size_t errlen);

/* The TCP port actually listened on. */
int rsp_port(const struct rsp *r);

/* Accept a waiting client; with 'block', wait for one. True when connected. */
bool rsp_accept(struct rsp *r, bool block);

/* Read and parse input: waits up to timeout_ms (-1 forever, 0 not at all)
 * for the next event. */
enum rsp_event rsp_poll(struct rsp *r, int timeout_ms);

/* Send one packet with the given payload (escaped as needed). */
void rsp_send(struct rsp *r, const char *payload, size_t len);
void rsp_send_str(struct rsp *r, const char *payload);

/* Drop the client (a new one may connect). */
void rsp_disconnect(struct rsp *r);

/* Close everything. */
void rsp_close(struct rsp *r);

#endif
