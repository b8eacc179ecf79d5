#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host-side timing for Kiln's benchmarks.

  serial_timer.py boot ENGINE RUN TIMEOUT LOG -- CMD...
      Starts an emulator whose serial console is on its stdout (given a
      pseudo-terminal so nothing sits in a stdio buffer), timestamps each
      BENCH-* marker line on the host's monotonic clock from the moment of
      the spawn, stops the emulator once BENCH-DONE is seen (or on timeout)
      and appends one JSON record to the results file given by $BENCH_OUT.
  serial_timer.py native ENGINE RUN NOP CPUBENCH OSBENCH
      Runs cpubench and osbench on the host and records them the same way.
  serial_timer.py summary RESULTS
      Prints the median table, the ratios and any checksum disagreement.
"""
import json
import os
import pty
import re
import select
import signal
import statistics
import subprocess
import sys
import time

MARKERS = ("BENCH-READY", "BENCH-CPU-START", "BENCH-CPU-END",
           "BENCH-OS-START", "BENCH-OS-END", "BENCH-DONE")
# "CPUBENCH int checksum=ebf704e9 time=0.119": section name, checksum and
# the time the program measured itself. Inside a guest that time comes from
# the guest's clock, which an emulator may run at any rate, so for guests the
# harness times each section from the host's timestamps of these lines.
CHECKSUM_RE = re.compile(r"^((?:CPU|OS)BENCH (\S+)) checksum=([0-9a-f]{8}) time=([0-9.]+)")
SECTIONS = ("int", "mem", "calls", "x87", "fork-exec", "faults", "mmap", "pipe")


def record(rec):
    """Append one run's record to $BENCH_OUT and echo a short line."""
    with open(os.environ["BENCH_OUT"], "a") as f:
        f.write(json.dumps(rec) + "\n")
    times = " ".join(f"{k}={v:.2f}s" for k, v in rec["times"].items())
    status = "ok" if rec["ok"] else "FAILED: " + rec["error"]
    print(f"  {rec['engine']:<12} run {rec['run']}: {times} ({status})", flush=True)


def times_from(marks):
    """Boot, cpu and os durations from marker timestamps (missing ones left out)."""
    out = {}
    if "BENCH-READY" in marks:
        out["boot"] = marks["BENCH-READY"]
    for name in ("CPU", "OS"):
        start, end = f"BENCH-{name}-START", f"BENCH-{name}-END"
        if start in marks and end in marks:
            out[name.lower()] = marks[end] - marks[start]
    return out


def boot(engine, run, timeout, log_path, cmd):
    master, slave = pty.openpty()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, start_new_session=True)
    os.close(slave)
    marks, sums, sections, buf, error = {}, {}, {}, b"", ""
    done_at = None
    last = None  # host time of the previous marker or section line
    with open(log_path, "wb") as log:
        while True:
            now = time.monotonic()
            if now - t0 > timeout:
                error = f"timeout after {timeout}s"
                break
            if done_at is not None and now - done_at > 10:
                break  # the guest said it is done; do not wait for the reset forever
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the emulator closed its side
                break
            if not chunk:
                break
            stamp = time.monotonic() - t0
            log.write(chunk)
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("latin-1").strip("\r ")
                if line in MARKERS and line not in marks:
                    marks[line] = stamp
                    last = stamp
                    if line == "BENCH-DONE":
                        done_at = time.monotonic()
                m = CHECKSUM_RE.match(line)
                if m:
                    sums[m.group(1)] = m.group(3)
                    if m.group(2) in SECTIONS and last is not None:
                        sections[m.group(2)] = stamp - last
                        last = stamp
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    os.close(master)
    missing = [m for m in MARKERS if m not in marks]
    if missing and not error:
        error = f"exit status {proc.returncode}, missing {' '.join(missing)}"
    record({"engine": engine, "run": run, "times": times_from(marks), "sections": sections,
            "checksums": sums, "ok": not missing, "error": error, "log": log_path})


def native(engine, run, nop, cpubench, osbench):
    marks, sums, sections, error = {}, {}, {}, ""
    t0 = time.monotonic()
    for name, cmd in (("CPU", [cpubench]), ("OS", [osbench, nop])):
        marks[f"BENCH-{name}-START"] = time.monotonic() - t0
        res = subprocess.run(cmd, capture_output=True, text=True)
        marks[f"BENCH-{name}-END"] = time.monotonic() - t0
        if res.returncode != 0:
            error = f"{cmd[0]} exited with {res.returncode}: {res.stderr.strip()}"
        for line in res.stdout.splitlines():
            m = CHECKSUM_RE.match(line)
            if m:
                sums[m.group(1)] = m.group(3)
                if m.group(2) in SECTIONS:  # the host's own clock is the reference
                    sections[m.group(2)] = float(m.group(4))
    record({"engine": engine, "run": run, "times": times_from(marks), "sections": sections,
            "checksums": sums, "ok": not error, "error": error, "log": ""})


def fmt(v):
    return "-" if v is None else f"{v:8.2f}"


def summary(path):
    with open(path) as f:
        recs = [json.loads(line) for line in f if line.strip()]
    engines = []
    for r in recs:
        if r["engine"] not in engines:
            engines.append(r["engine"])
    med = {}
    print(f"{'engine':<12} {'runs':>4} {'boot (s)':>9} {'cpubench (s)':>13} {'osbench (s)':>12}")
    for e in engines:
        runs = [r for r in recs if r["engine"] == e]
        med[e] = {}
        for k in ("boot", "cpu", "os"):
            vals = [r["times"][k] for r in runs if k in r["times"]]
            med[e][k] = statistics.median(vals) if vals else None
        failed = sum(1 for r in runs if not r["ok"])
        note = f"  ({failed} run(s) failed)" if failed else ""
        print(f"{e:<12} {len(runs):>4} {fmt(med[e]['boot']):>9} "
              f"{fmt(med[e]['cpu']):>13} {fmt(med[e]['os']):>12}{note}")
    print()
    print("median wall time per section (s; guests timed on the host from their output lines):")
    print(f"{'engine':<12} " + " ".join(f"{s:>9}" for s in SECTIONS))
    sec_med = {}
    for e in engines:
        cells = []
        for sec in SECTIONS:
            vals = [r["sections"][sec] for r in recs
                    if r["engine"] == e and sec in r.get("sections", {})]
            cells.append(f"{statistics.median(vals):9.3f}" if vals else f"{'-':>9}")
        print(f"{e:<12} " + " ".join(cells))
        sec_med[e] = cells
    if "kiln-jit" in sec_med and "qemu-tcg" in sec_med:
        cells = []
        for a, b in zip(sec_med["kiln-jit"], sec_med["qemu-tcg"]):
            ok = a.strip() != "-" and b.strip() != "-" and float(b) > 0
            cells.append(f"{float(a) / float(b):9.2f}" if ok else f"{'-':>9}")
        print(f"{'jit/qemu':<12} " + " ".join(cells))
    print()
    print("ratios of medians (lower is better for Kiln-JIT):")
    for other in ("qemu-tcg", "native", "kiln-interp"):
        if "kiln-jit" not in med or other not in med:
            print(f"  kiln-jit/{other:<12} n/a (not measured)")
            continue
        cells = []
        for k in ("boot", "cpu", "os"):
            a, b = med["kiln-jit"][k], med[other][k]
            cells.append(f"{k} {a / b:6.2f}" if a is not None and b else f"{k}    n/a")
        print(f"  kiln-jit/{other:<12} " + "   ".join(cells))
    print()
    # Every engine must print the checksums the host CPU computed.
    ref = next((r["checksums"] for r in recs if r["engine"] == "native" and r["ok"]), None)
    bad = 0
    for r in recs:
        for sec, val in sorted(r["checksums"].items()):
            if ref is not None and sec in ref and ref[sec] != val:
                bad += 1
                print(f"CHECKSUM MISMATCH: {r['engine']} run {r['run']}: {sec} = {val}, "
                      f"native = {ref[sec]} (log {r['log']})")
        if ref is not None and r["ok"]:
            for sec in sorted(set(ref) - set(r["checksums"])):
                bad += 1
                print(f"CHECKSUM MISSING: {r['engine']} run {r['run']}: {sec}")
    if ref is None:
        print("checksums: no native reference run")
    elif not bad:
        print(f"checksums: all {len(recs)} runs agree with the native run")
    for r in recs:
        if not r["ok"]:
            print(f"FAILED RUN: {r['engine']} run {r['run']}: {r['error']} (log {r['log']})")
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 7 and argv[1] == "boot" and argv[6] == "--":
        boot(argv[2], int(argv[3]), float(argv[4]), argv[5], argv[7:])
        return 0
    if len(argv) == 7 and argv[1] == "native":
        native(argv[2], int(argv[3]), argv[4], argv[5], argv[6])
        return 0
    if len(argv) == 3 and argv[1] == "summary":
        return summary(argv[2])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
