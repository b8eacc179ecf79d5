#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Helpers for boot tests that drive a guest over its serial console: kiln
# runs in the background with -nographic, its stdin a FIFO that the test
# types into and its stdout (COM1) a log file that the test reads. Sourced
# by the test scripts; they set serial_work to a scratch directory first.

# serial_start KILN ARGS...: start kiln; sets serial_pid and serial_log.
serial_start() {
    serial_log=$serial_work/serial.log
    rm -f "$serial_work/in"
    mkfifo "$serial_work/in"
    "$@" <"$serial_work/in" >"$serial_log" 2>"$serial_work/stderr" &
    serial_pid=$!
    exec 3>"$serial_work/in"
}

# serial_stop: end kiln if it still runs (the scripts' EXIT trap).
serial_stop() {
    [ -n "${serial_pid:-}" ] && kill "$serial_pid" 2>/dev/null
    exec 3>&- 2>/dev/null
    return 0
}

# serial_wait TEXT SECONDS: until the serial log contains TEXT.
serial_wait() {
    local deadline=$((SECONDS + $2))
    while ! grep -qF -- "$1" "$serial_log"; do
        if ! kill -0 "$serial_pid" 2>/dev/null; then
            echo "FAIL: kiln exited while waiting for '$1'" >&2
            tail -n 20 "$serial_log" "$serial_work/stderr" >&2
            return 1
        fi
        if [ $SECONDS -ge "$deadline" ]; then
            echo "FAIL: no '$1' after $2 s; the serial log ends with:" >&2
            tail -n 20 "$serial_log" >&2
            return 1
        fi
        sleep 1
    done
}

# serial_type TEXT: type TEXT and Enter, one character at a time, paced
# like a person so that a polling boot loader's 16-byte FIFO keeps up.
serial_type() {
    local s=$1 i
    for ((i = 0; i < ${#s}; i++)); do
        printf '%s' "${s:i:1}" >&3
        sleep 0.05
    done
    printf '\r' >&3
}

# serial_wait_exit SECONDS: until kiln exits; fails on a non-zero status.
serial_wait_exit() {
    local deadline=$((SECONDS + $1)) rc
    while kill -0 "$serial_pid" 2>/dev/null; do
        if [ $SECONDS -ge "$deadline" ]; then
            echo "FAIL: kiln did not exit within $1 s" >&2
            return 1
        fi
        sleep 1
    done
    wait "$serial_pid"
    rc=$?
    serial_pid=
    if [ $rc -ne 0 ]; then
        echo "FAIL: kiln exited with status $rc" >&2
        cat "$serial_work/stderr" >&2
        return 1
    fi
}

# A shell command for a Linux guest: it prints "acpi=3-ok42" when Linux found
# Kiln's ACPI tables (the PM timer at B008h, the AML interpreter enabled, the
# DSDT's PCI root), then its clocksource. Which clocksource Linux keeps is
# its own call, printed only: its 50 ms rate check of the PM timer against
# the PIT fails when the host stalls Kiln meanwhile, as it would on hardware
# with a long SMI.
acpi_probe='echo "acpi=$(dmesg | grep -c -e "PM-Timer IO Port: 0xb008" -e "ACPI: Interpreter enabled" -e "PCI Root Bridge \[PCI0\]")-ok$((40 + 2)) cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"'

# acpi_check LOG: the probe's answer in LOG says the tables were found (printed).
acpi_check() {
    grep -m1 "^acpi=3-ok42" "$1" ||
        { echo "FAIL: the guest did not find Kiln's ACPI tables and PM timer" >&2; grep "acpi=\|ACPI" "$1" >&2; return 1; }
}

# default_guest: the default Linux guest (scripts/guest/build-linux-guest.sh,
# built on first use): its kernel in guest[0], its initramfs in guest[1].
default_guest() {
    if ! mapfile -t guest < <(bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/guest/build-linux-guest.sh") ||
       [ ${#guest[@]} -ne 2 ]; then
        echo "FAIL: could not build the default guest (see above)" >&2
        return 1
    fi
}
