#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Hostile RSP input against Kiln's gdb stub: bad checksums, garbage,
# oversized and malformed packets must be rejected with '-' or an error
# reply while Kiln keeps answering; then no-ack mode, Ctrl-C, detach and
# re-attach, and kill. Usage: rsp_malformed.py KILN [KILN ARGS...]
# Expected replies follow the GDB manual, appendix E.
import random
import re
import socket
import subprocess
import sys
import time


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def checksum(data):
    return sum(data) & 0xFF


def frame(payload):
    if isinstance(payload, str):
        payload = payload.encode("latin-1")
    return b"$" + payload + b"#%02x" % checksum(payload)


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        # As gdb does: without it, Nagle's algorithm may hold a packet back
        # behind our unacknowledged '+'.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.no_ack = False

    def raw(self, data):
        self.sock.sendall(data)

    def read_byte(self):
        if not self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                fail("Kiln closed the connection")
            self.buf = chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def expect_ack(self, want=b"+"):
        got = self.read_byte()
        if got != want:
            fail("expected %r, got %r" % (want, got + self.buf[:40]))

    def read_packet(self):
        while self.read_byte() != b"$":
            pass
        data = b""
        while True:
            b = self.read_byte()
            if b == b"#":
                break
            data += b
        csum = self.read_byte() + self.read_byte()
        if int(csum, 16) != checksum(data):
            fail("bad checksum from Kiln on %r" % data)
        if not self.no_ack:
            self.raw(b"+")
        return data.decode("latin-1")

    def ask(self, payload, want=None, pattern=None):
        self.raw(frame(payload))
        if not self.no_ack:
            self.expect_ack()
        reply = self.read_packet()
        if want is not None and reply != want:
            fail("%r: expected reply %r, got %r" % (payload, want, reply))
        if pattern is not None and not re.fullmatch(pattern, reply):
            fail("%r: reply %r does not match %r" % (payload, reply, pattern))
        return reply

    def close(self):
        self.sock.close()


def main():
    kiln = subprocess.Popen(sys.argv[1:] + ["-gdb", "tcp::0", "-S"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = kiln.stderr.readline()
        m = re.search(r"listening on tcp::(\d+)", line)
        if not m:
            fail("no stub banner: %r" % line)
        run(int(m.group(1)), kiln)
    finally:
        if kiln.poll() is None:
            kiln.kill()
    print("PASS")


def run(port, kiln):
    c = Client(port)
    c.ask("?", pattern=r"T05thread:01;")

    # A second debugger is turned away; the first keeps its session.
    second = socket.create_connection(("127.0.0.1", port), timeout=20)
    second.sendall(frame("?"))
    try:
        got = second.recv(100)
    except ConnectionResetError:
        got = b""  # closed with our packet unread: the peer resets instead
    if got != b"":
        fail("a second debugger was served")
    second.close()
    c.ask("?", pattern=r"T05thread:01;")

    # Framing errors: the stub answers '-' and nothing else.
    c.raw(b"$g#00")
    c.expect_ack(b"-")
    c.raw(b"$g#zz")
    c.expect_ack(b"-")
    # An unterminated packet is abandoned when a new one starts.
    c.raw(b"$m0,4")
    c.ask("?", pattern=r"T05thread:01;")
    # Oversized packets: acknowledged, consumed to the end, refused.
    c.ask("m" * 10000, want="E01")
    c.ask("X0," + "f" * 200000, want="E01")
    # Garbage between packets (no '$' or '-', which are protocol bytes).
    rng = random.Random(7)
    junk = bytes(b for b in (rng.randrange(256) for _ in range(300000))
                 if b not in (0x24, 0x2D))
    c.raw(junk)
    c.ask("?", pattern=r"T05thread:01;")

    bad = {
        "m": "E01", "mzz,4": "E01", "m123456789,4": "E01", "m0,123456789": "E01",
        "m0": "E01", "M0,4:zz": "E01", "M0,2:00": "E01", "M0,4:0011223344": "E01",
        "X0,4:ab": "E01", "G00": "E01", "G": "E01", "p999": "E01", "pzz": "E01",
        "p": "E01", "P8=12": "E01", "P=00000000": "E01", "Z9,0,1": "E01",
        "Z0,zz,1": "E01", "Z0,7c00": "E01", "Z2,600,3": "E22", "Z2,600,8": "E22",
        "Z1,7c00,1": "OK", "z1,7c00,1": "OK", "Z3,600,4": "OK", "z3,600,4": "OK", "Z4,600,2": "OK", "z4,600,2": "OK",
        "qXfer:features:read:foo.xml:0,10": "E00",
        "qXfer:features:read:target.xml:zz": "E01",
        "qRcmd,6": "E01", "qRcmd,zz": "E01", "qRcmd,00": "E01",
        "vCont;x": "E01", "vCont": "E01", "vCont;": "E01", "": "", "J123": "", "vFoo": "",
    }
    for payload, want in bad.items():
        c.ask(payload, want=want)

    # Kiln still answers, and correctly.
    regs = c.ask("g")
    if not re.fullmatch(r"[0-9a-f]{384}", regs):
        fail("g: %d characters, expected 384 hex digits" % len(regs))
    c.ask("P0=78563412", want="OK")
    c.ask("p0", want="78563412")
    c.ask("M7000,4:deadbeef", want="OK")
    c.ask("m7000,4", want="deadbeef")
    c.raw(frame(b"X7004,2:}\x5da"))  # binary: an escaped '}' and an 'a'
    c.expect_ack()
    if c.read_packet() != "OK":
        fail("X with an escaped byte refused")
    c.ask("m7004,2", want="7d61")
    c.ask("qSupported:multiprocess+;swbreak+", pattern=r"PacketSize=1000;.*")
    out = c.ask("qRcmd," + b"realmode bogus".hex(), pattern=r"O[0-9a-f]+")
    if "expected auto, on or off" not in bytes.fromhex(out[1:]).decode():
        fail("monitor realmode bogus: %r" % bytes.fromhex(out[1:]))
    if c.read_packet() != "OK":
        fail("monitor command not ended by OK")

    # No-ack mode: no '+' any more; a bad checksum is dropped silently.
    c.ask("QStartNoAckMode", want="OK")
    c.no_ack = True
    c.raw(b"$g#00")
    c.ask("?", pattern=r"T05thread:01;")
    c.ask("m" * 9000, want="E01")

    # Ctrl-C stops a running guest with SIGINT.
    c.raw(frame("c"))
    time.sleep(0.5)
    c.raw(b"\x03")
    c.sock.settimeout(20)
    reply = c.read_packet()
    if reply != "T02thread:01;":
        fail("Ctrl-C: expected T02, got %r" % reply)

    # Detach, then a new debugger attaches and finds the guest stopped.
    c.ask("D", want="OK")
    if c.sock.recv(1) != b"":
        fail("the stub kept the connection after D")
    c.close()
    time.sleep(0.3)
    if kiln.poll() is not None:
        fail("Kiln exited after a detach (status %s)" % kiln.returncode)
    c = Client(port)
    c.ask("?", pattern=r"T05thread:01;")

    # Random packets (all but the resuming, killing and mode-changing
    # commands): every one gets a well-formed reply.
    tail = "0123456789abcdefABCDEF,:;=-xXzZgGmMpP"
    for _ in range(3000):
        head = rng.choice("gGpPmMXzZqH?Tb!")
        payload = head + "".join(rng.choice(tail) for _ in range(rng.randrange(40)))
        if payload.startswith("qRcmd"):
            continue
        c.ask(payload)
    c.ask("?", pattern=r"T05thread:01;")
    c.raw(frame("k"))
    c.expect_ack()
    try:
        status = kiln.wait(timeout=20)
    except subprocess.TimeoutExpired:
        fail("Kiln did not exit after k")
    if status != 0:
        fail("Kiln exited with status %d after k" % status)


if __name__ == "__main__":
    main()
