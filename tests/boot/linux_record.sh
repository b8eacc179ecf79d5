#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Record/replay of the default Linux guest (-kernel/-initrd): a -record run
# boots to the shell, gets a typed command over the serial console and
# reboots (-no-reboot ends Kiln); a -replay of its file, with nothing on
# standard input, must print the same serial output, byte for byte
# through the reboot (kernel timestamps included: they come from the
# virtual clock, and the typed bytes arrive at recorded instructions), and
# end at the same instruction count. Prints the figures: instructions,
# input events, file size and its bytes per second of guest time.
# Usage: linux_record.sh KILN [extra kiln options for the replay...]
set -uo pipefail
kiln=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
. "$here/serial_console.sh"
top=$(mktemp -d)
trap 'serial_stop; rm -rf "$top"' EXIT

default_guest || exit 1
machine=(-m 256 -kernel "${guest[0]}" -initrd "${guest[1]}" -append "console=ttyS0"
         -nographic -no-reboot)

serial_work=$top/record
mkdir -p "$serial_work"
start=$SECONDS
serial_start "$kiln" "${machine[@]}" -record "$top/boot.rec"
serial_wait "kiln# " 1800 || exit 1
sleep 2
serial_type 'echo "rec=$((6 * 7))"; uname -r; reboot -f'
serial_wait_exit 300 || exit 1
cp "$serial_log" "$top/record.log"
cp "$serial_work/stderr" "$top/record.err"
echo "record: $((SECONDS - start)) s"
grep -q "^rec=42" "$top/record.log" || { echo "FAIL: the typed command did not run" >&2; exit 1; }

start=$SECONDS
timeout 1800 "$kiln" "${machine[@]}" -replay "$top/boot.rec" "$@" </dev/null \
    >"$top/replay.log" 2>"$top/replay.err"
rc=$?
echo "replay: $((SECONDS - start)) s"
cat "$top/record.err" "$top/replay.err"
if [ $rc -ne 0 ]; then
    echo "FAIL: the replay exited with status $rc" >&2
    exit 1
fi
if ! cmp -s "$top/record.log" "$top/replay.log"; then
    echo "FAIL: the replay's serial output differs from the record's:" >&2
    diff -a "$top/record.log" "$top/replay.log" | head -n 20 >&2
    exit 1
fi
rec=$(sed -n 's/^kiln: record: \([0-9]*\) instructions, .* \([0-9]*\) input events.*/\1 \2/p' "$top/record.err")
rep=$(sed -n 's/^kiln: replay: \([0-9]*\) instructions.*/\1/p' "$top/replay.err")
if [ -z "$rec" ] || [ "${rec% *}" != "$rep" ]; then
    echo "FAIL: instruction counts differ: record '${rec% *}', replay '$rep'" >&2
    exit 1
fi
if [ "${rec#* }" -lt 40 ]; then
    echo "FAIL: only ${rec#* } input events recorded for the typed command" >&2
    exit 1
fi
# Guest time: the kernel's last timestamp (seconds of virtual time).
secs=$(grep -o '^\[ *[0-9]*\.[0-9]*\]' "$top/record.log" | tail -n 1 | tr -d '[] ')
bytes=$(stat -c %s "$top/boot.rec")
echo "figures: ${rec% *} instructions recorded and replayed, ${rec#* } input events," \
     "$bytes bytes of record for $secs s of guest time" \
     "($(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / s }') bytes/s)"
echo "PASS: the replay printed the same $(wc -c <"$top/record.log") bytes and ended at the same instruction"
