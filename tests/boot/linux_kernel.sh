#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot test: the Debian i386 kernel with the busybox initramfs via
# -kernel/-initrd, serial console on stdio. Waits for the shell, runs a few
# commands, checks their output, then reboots with -no-reboot (Kiln must exit
# with status 0). Fails loudly when the guest cannot be built.
# Usage: linux_kernel.sh KILN [extra kiln options...]
set -uo pipefail

kiln=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
. "$here/serial_console.sh"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

if ! mapfile -t guest < <(bash "$here/../../scripts/guest/build-linux-guest.sh"); then
    echo "FAIL: could not build the default guest (see above)" >&2
    exit 1
fi
if [ ${#guest[@]} -ne 2 ] || [ ! -s "${guest[0]}" ] || [ ! -s "${guest[1]}" ]; then
    echo "FAIL: guest build did not produce a kernel and an initramfs" >&2
    exit 1
fi

log=$work/serial.log
mkfifo "$work/in"
"$kiln" -m 256 -kernel "${guest[0]}" -initrd "${guest[1]}" -append "console=ttyS0" \
    -nographic -no-reboot "$@" <"$work/in" >"$log" 2>"$work/stderr" &
pid=$!
exec 3>"$work/in"

# wait_for TEXT SECONDS: until the serial log contains TEXT.
wait_for() {
    local deadline=$((SECONDS + $2))
    while ! grep -qF -- "$1" "$log"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "FAIL: kiln exited while waiting for '$1'" >&2
            tail -n 20 "$log" "$work/stderr" >&2
            exit 1
        fi
        if [ $SECONDS -ge "$deadline" ]; then
            echo "FAIL: no '$1' after $2 s" >&2
            tail -n 20 "$log" >&2
            exit 1
        fi
        sleep 1
    done
}

start=$SECONDS
wait_for "KILN-GUEST-READY" 1800
wait_for "kiln# " 120
echo "shell after $((SECONDS - start)) s"
echo 'echo "sum=$((6 * 7))"' >&3
wait_for "sum=42" 120
# Markers are computed by the guest's shell, so that the echoed command line
# cannot match them before the output arrives.
echo 'uname -m; grep -c processor /proc/cpuinfo; echo "model=$(grep -m1 "model name" /proc/cpuinfo)"; echo "info-$((20 + 1))"' >&3
wait_for "info-21" 120
grep -q "^i686" "$log" || { echo "FAIL: uname -m did not say i686" >&2; tail -n 20 "$log" >&2; exit 1; }
echo 'echo hello > /tmp/f && cat /tmp/f && echo "ok-$((1 + 1))-file"' >&3
wait_for "ok-2-file" 120
# The ACPI tables a -kernel boot gets: Linux finds the PM timer and loads the DSDT.
echo "$acpi_probe" >&3
wait_for "-ok42" 120
acpi_check "$log" || exit 1
echo 'reboot -f' >&3
for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: kiln did not exit after the guest rebooted (-no-reboot)" >&2
    exit 1
fi
wait "$pid"
rc=$?
if [ $rc -ne 0 ]; then
    echo "FAIL: kiln exited with status $rc after reboot" >&2
    cat "$work/stderr" >&2
    exit 1
fi
grep -m1 "model name" "$log"
echo "PASS: booted to a shell in $((SECONDS - start)) s, ran commands, rebooted"
