#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot test: the OpenBSD 5.1 install floppy over the serial console
# (-nographic), with Kiln's BIOS. As the image's README says: at the
# loader's boot> prompt type `set tty com0` (Kiln's BIOS feeds COM1 input
# to INT 16h, so the keyboard line is typed on the serial port too), then
# `boot` on COM1 itself; the RAMDISK kernel then runs its installer on com0.
# Passes at "(I)nstall, (U)pgrade or (S)hell?" after choosing the shell and
# running one command there, which proves serial input reaches the kernel.
# Usage: openbsd_serial.sh KILN BIOS IMAGE_DIR
set -uo pipefail
kiln=$1
bios=$2
img=$3/openbsd-5.1-floppy/openbsd51-floppy.img
here=$(cd "$(dirname "$0")" && pwd)
. "$here/serial_console.sh"
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios" >&2; exit 1; }
[ -s "$img" ] || { echo "FAIL: missing $img" >&2; exit 1; }
serial_work=$(mktemp -d)
trap 'serial_stop; rm -rf "$serial_work"' EXIT

start=$SECONDS
serial_start "$kiln" -m 64 -bios "$bios" -fda "$img" -snapshot -boot a -nographic
serial_wait "boot>" 120 || exit 1
# The loader boots by itself 5 s after boot>: type at once.
serial_type "set tty com0"
serial_wait "switching console to com0" 60 || exit 1
deadline=$((SECONDS + 60))
until [ "$(grep -c "boot>" "$serial_log")" -ge 2 ]; do
    [ $SECONDS -lt $deadline ] || { echo "FAIL: no boot> on com0" >&2; tail -n 5 "$serial_log" >&2; exit 1; }
    sleep 1
done
serial_type "boot"
serial_wait "OpenBSD 5.1 (RAMDISK)" 300 || exit 1
serial_wait "(I)nstall, (U)pgrade or (S)hell?" 900 || exit 1
echo "installer question after $((SECONDS - start)) s"
serial_type "s"
sleep 3
serial_type 'echo "bsd-$((6 * 7))"'
serial_wait "bsd-42" 120 || exit 1
echo "PASS: OpenBSD 5.1 installer over the serial console in $((SECONDS - start)) s; its shell ran a command"
