#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run one scripted gdb session against Kiln and compare what it printed.
# Usage: gdb_session.sh SCRIPT.gdb EXPECTED KILN [KILN ARGS...]
# Kiln starts with "-gdb tcp::0 -S" (a free port, CPU held at reset); gdb
# runs SCRIPT in batch mode after "target remote". The lines gdb prints
# that start with "CHECK ", "=> " (the current instruction in x/i) or an
# eight-digit address and "->" or ":" (monitor v2p and xp) must equal
# EXPECTED, whose values come from the guest's assembly source.
# GDB_TIMEOUT (seconds, default 120) bounds the gdb session; Kiln's standard
# input is KILN_STDIN (default /dev/null).
script=$1
expected=$2
shift 2
if ! command -v gdb >/dev/null; then
    echo "FAIL: gdb is not installed (Debian package gdb)" >&2
    exit 1
fi
tmp=$(mktemp -d)
trap 'kill "$kpid" 2>/dev/null; rm -rf "$tmp"' EXIT
"$@" -gdb tcp::0 -S <"${KILN_STDIN:-/dev/null}" >"$tmp/kiln.out" 2>"$tmp/kiln.err" &
kpid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/.*gdb stub listening on tcp::\([0-9]*\).*/\1/p' "$tmp/kiln.err")
    [ -n "$port" ] && break
    sleep 0.1
done
if [ -z "$port" ]; then
    cat "$tmp/kiln.err"
    echo "FAIL: Kiln did not start its gdb stub" >&2
    exit 1
fi
timeout "${GDB_TIMEOUT:-120}" gdb -batch -nx -ex "target remote 127.0.0.1:$port" -x "$script" >"$tmp/gdb.out" 2>&1
cat "$tmp/gdb.out"
grep -E '^(CHECK |=> |[0-9a-f]{8}( ->|:) )' "$tmp/gdb.out" | sed 's/[[:space:]]*$//' >"$tmp/got"
if ! diff -u "$expected" "$tmp/got"; then
    echo "FAIL: gdb's view differs from the expected one (diff above)" >&2
    exit 1
fi
# The script ends with 'kill': Kiln must exit by itself, status 0.
for _ in $(seq 50); do
    kill -0 "$kpid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$kpid" 2>/dev/null; then
    echo "FAIL: Kiln still runs after gdb's kill" >&2
    exit 1
fi
wait "$kpid"
rc=$?
if [ "$rc" -ne 0 ]; then
    cat "$tmp/kiln.err"
    echo "FAIL: Kiln exited with status $rc after gdb's kill" >&2
    exit 1
fi
echo "PASS"
