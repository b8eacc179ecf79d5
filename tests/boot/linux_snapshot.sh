#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A snapshot of the default Linux guest at its shell prompt, resumed in a
# new process: the guest boots with its serial console in a file and the
# monitor on a pipe; savevm at "kiln# "; a second Kiln started with -loadvm
# and the serial port on a pipe must run commands typed into the restored
# shell, including one that needs the guest's timers (sleep). Prints the
# file size and the save and restore times.
# Usage: linux_snapshot.sh KILN
set -uo pipefail
kiln=$1
here=$(cd "$(dirname "$0")" && pwd)
if ! mapfile -t guest < <(bash "$here/../../scripts/guest/build-linux-guest.sh"); then
    echo "FAIL: could not build the default guest"
    exit 1
fi
[ ${#guest[@]} -eq 2 ] && [ -s "${guest[0]}" ] && [ -s "${guest[1]}" ] ||
    { echo "FAIL: no default guest"; exit 1; }
dir=$(mktemp -d /tmp/kiln-linuxsnap.XXXXXX)
pid=
trap 'exec 3>&- 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
. "$here/monitor_lib.sh"
now_ms() { date +%s%3N; }
linux=(-m 256 -kernel "${guest[0]}" -initrd "${guest[1]}" -append console=ttyS0)

start=$SECONDS
mon_start "$kiln" "${linux[@]}" -display none -serial "file:$dir/serial1"
wait_for "$dir/serial1" 'kiln# ' 2400 || { echo "FAIL: no shell prompt"; tail "$dir/serial1"; exit 1; }
echo "booted to the shell in $((SECONDS - start)) s"
cmd stop
t0=$(now_ms)
cmd "savevm $dir/linux.snap"
t1=$(now_ms)
[ -z "$answer" ] || { echo "FAIL: savevm said: $answer"; exit 1; }
size=$(stat -c %s "$dir/linux.snap")
echo "savevm: $size bytes ($((size * 100 / (256 << 20)))% of 256 MiB) in $((t1 - t0)) ms"
printf 'quit\n' >&3
wait "$pid"
pid=
exec 3>&-

mkfifo "$dir/serial-in"
t0=$(now_ms)
"$kiln" "${linux[@]}" -nographic -loadvm "$dir/linux.snap" <"$dir/serial-in" >"$dir/serial2" \
    2>"$dir/err2" &
pid=$!
exec 3>"$dir/serial-in"
printf 'echo restored-$((6 * 7))\n' >&3
wait_for "$dir/serial2" 'restored-42' 120 || { echo "FAIL: the restored shell does not answer"; cat "$dir/serial2" "$dir/err2"; exit 1; }
t1=$(now_ms)
echo "restored shell answered $((t1 - t0)) ms after the new process started"
printf 'sleep 2 && echo slept-$((2 + 3))\n' >&3
wait_for "$dir/serial2" 'slept-5' 120 || { echo "FAIL: sleep never ended after the restore"; cat "$dir/serial2"; exit 1; }
printf 'cat /proc/uptime\n' >&3
sleep 2
tail -n 3 "$dir/serial2"
echo "PASS: linux snapshot"
