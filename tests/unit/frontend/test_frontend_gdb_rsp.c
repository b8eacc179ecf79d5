/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the RSP transport (gdb_rsp.c) over a socketpair: framing
 * split across reads, checksums and acks, binary escapes, oversized
 * packets, Ctrl-C, no-ack mode, resend on '-', and -gdb spec errors.
 * Spec: GDB manual E.1 (overview: $data#cs, +/-, '}' escapes), E.11
 * (interrupts), E.12 (no-ack mode).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "check_main.h"
#include "frontend/gdb_rsp.h"

static struct rsp r;
static int peer;

static void setup(void)
{
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    memset(&r, 0, sizeof(r));
    r.listen_fd = -1;
    r.fd = sv[0];
    peer = sv[1];
}

static void teardown(void)
{
    rsp_close(&r);
    close(peer);
}

static void put(const void *bytes, size_t n)
{
    ck_assert_int_eq(write(peer, bytes, n), (ssize_t)n);
}

static void puts_(const char *s)
{
    put(s, strlen(s));
}

/* Everything the stub wrote so far. */
static size_t got(char *buf, size_t max)
{
    size_t n = 0;
    struct timeval tv = {0, 100000};
    setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    for (;;) {
        ssize_t k = read(peer, buf + n, max - 1 - n);
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    buf[n] = 0;
    return n;
}

START_TEST(packet_split_across_reads)
{
    puts_("$g");
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_NONE);
    puts_("#67");
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_PACKET);
    ck_assert_str_eq(r.pkt, "g");
    char buf[16];
    got(buf, sizeof(buf));
    ck_assert_str_eq(buf, "+");
}
END_TEST

START_TEST(bad_checksum_is_nacked)
{
    puts_("$g#68$g#zz$?#3f");
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_PACKET);
    ck_assert_str_eq(r.pkt, "?");
    char buf[16];
    got(buf, sizeof(buf));
    ck_assert_str_eq(buf, "--+");
}
END_TEST

START_TEST(escaped_bytes_are_decoded)
{
    /* X with data '}' (sent as "}]") and '#' (sent as "}\x03"); the checksum
     * covers the bytes as sent: 58 + 7d + 5d + 7d + 03 = 0x1b2 -> b2. */
    put("$X}]}\x03#b2", 10);
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_PACKET);
    ck_assert_int_eq(r.pkt_len, 3);
    ck_assert_int_eq((unsigned char)r.pkt[1], 0x7d);
    ck_assert_int_eq((unsigned char)r.pkt[2], 0x23);
}
END_TEST

START_TEST(oversized_packet_is_refused_whole)
{
    size_t n = RSP_MAX_PACKET + 100;
    char *p = malloc(n + 8);
    unsigned sum = 0;
    p[0] = '$';
    for (size_t i = 1; i <= n; i++) {
        p[i] = 'a';
        sum += 'a';
    }
    snprintf(p + n + 1, 5, "#%02x", sum & 0xff);
    put(p, n + 4);
    free(p);
    enum rsp_event e;
    do
        e = rsp_poll(&r, 50);
    while (e == RSP_NONE);
    ck_assert_int_eq(e, RSP_OVERSIZE);
    puts_("$?#3f"); /* and the next packet is read normally */
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_PACKET);
    ck_assert_str_eq(r.pkt, "?");
}
END_TEST

START_TEST(ctrl_c_between_packets)
{
    put("\x03", 1);
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_INTR);
}
END_TEST

START_TEST(unterminated_packet_is_abandoned)
{
    puts_("$m0,4$?#3f");
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_PACKET);
    ck_assert_str_eq(r.pkt, "?");
}
END_TEST

START_TEST(no_ack_mode_sends_no_acks)
{
    r.no_ack = true;
    puts_("$g#00$g#67");
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_PACKET);
    char buf[16];
    ck_assert_int_eq(got(buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(send_escapes_and_resends_on_nak)
{
    rsp_send_str(&r, "a#b");
    char buf[64];
    got(buf, sizeof(buf));
    /* 'a' '}' 0x03 'b' = 61 + 7d + 03 + 62 = 0x143 -> 43 */
    ck_assert_str_eq(buf, "$a}\x03" "b#43");
    puts_("-");
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_NONE);
    got(buf, sizeof(buf));
    ck_assert_str_eq(buf, "$a}\x03" "b#43");
}
END_TEST

START_TEST(peer_closing_is_reported)
{
    close(peer);
    peer = -1;
    ck_assert_int_eq(rsp_poll(&r, 50), RSP_CLOSED);
    ck_assert_int_eq(r.fd, -1);
}
END_TEST

START_TEST(bad_listen_specs)
{
    struct rsp l;
    char err[200];
    const char *bad[] = {"udp::1234", "tcp::", "tcp::70000", "tcp::-1", "tcp::12x",
                         "tcp:localhost:1234", "1234"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = 0;
        ck_assert_msg(rsp_listen(&l, bad[i], err, sizeof(err)) == -1, "'%s' accepted", bad[i]);
        ck_assert_msg(strstr(err, "-gdb") != NULL, "'%s': message '%s'", bad[i], err);
    }
    ck_assert_int_eq(rsp_listen(&l, "tcp::0", err, sizeof(err)), 0);
    ck_assert_int_gt(rsp_port(&l), 0);
    rsp_close(&l);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gdb_rsp");
    TCase *tc = tcase_create("transport");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, packet_split_across_reads);
    tcase_add_test(tc, bad_checksum_is_nacked);
    tcase_add_test(tc, escaped_bytes_are_decoded);
    tcase_add_test(tc, oversized_packet_is_refused_whole);
    tcase_add_test(tc, ctrl_c_between_packets);
    tcase_add_test(tc, unterminated_packet_is_abandoned);
    tcase_add_test(tc, no_ack_mode_sends_no_acks);
    tcase_add_test(tc, send_escapes_and_resends_on_nak);
    tcase_add_test(tc, peer_closing_is_reported);
    tcase_add_test(tc, bad_listen_specs);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(suite());
}
