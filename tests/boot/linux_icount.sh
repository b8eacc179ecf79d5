#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot test of the deterministic clock: the default Linux guest via
# -kernel/-initrd with -icount shift=N, booted twice; each run waits for
# the shell, gets the same typed command and reboots (-no-reboot). The two
# serial logs must be byte-identical (kernel timestamps included, which
# come from the virtual clock) from the first byte through the command's
# output. What follows (the kernel's "reboot:" line) carries the virtual
# time at which the typed bytes arrived, which depends on the host's
# timing of the input, not on the machine, so it is not compared.
# Usage: linux_icount.sh KILN SHIFT [extra kiln options...]
set -uo pipefail
kiln=$1
shift_n=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/serial_console.sh"
top=$(mktemp -d)
trap 'serial_stop; rm -rf "$top"' EXIT

default_guest || exit 1

# run N: one boot; its serial log is left in $top/N.log.
run() {
    local n=$1
    shift
    serial_work=$top/run$n
    mkdir -p "$serial_work"
    local start=$SECONDS
    serial_start "$kiln" -m 256 -kernel "${guest[0]}" -initrd "${guest[1]}" \
        -append "console=ttyS0" -nographic -no-reboot -icount shift="$shift_n" "$@"
    serial_wait "kiln# " 1800 || return 1
    # The prompt is the last thing the guest prints until it gets input.
    sleep 2
    serial_type 'echo "det=$((6 * 7))"; reboot -f'
    serial_wait_exit 300 || return 1
    cp "$serial_log" "$top/$n.log"
    echo "run $n: shell, command and reboot in $((SECONDS - start)) s"
}

run 1 "$@" || exit 1
run 2 "$@" || exit 1
grep -q "det=42" "$top/1.log" || { echo "FAIL: the typed command did not run" >&2; exit 1; }
grep -q "^\[ *[0-9]*\.[0-9]*\] " "$top/1.log" || {
    echo "FAIL: no kernel timestamps in the log (console=ttyS0 not honoured?)" >&2
    exit 1
}
# upto N: run N's log through the first line holding the command's output.
upto() {
    local line
    line=$(grep -n -m1 "^det=42" "$top/$1.log" | cut -d: -f1)
    [ -n "$line" ] && head -n "$line" "$top/$1.log" >"$top/$1.cut"
}
upto 1 && upto 2 || { echo "FAIL: no det=42 line in a run's log" >&2; exit 1; }
if ! cmp -s "$top/1.cut" "$top/2.cut"; then
    echo "FAIL: the two runs' serial output differs:" >&2
    diff -a "$top/1.cut" "$top/2.cut" | head -n 20 >&2
    exit 1
fi
echo "PASS: two -icount shift=$shift_n boots gave identical serial output ($(wc -c <"$top/1.cut") bytes)"
