#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's main-job command with a display, as scripts/run-default-guest.sh
# runs it: the default guest's syslinux disk in an SDL window under Xvfb,
# the serial shell on standard input and output (a pipe here). The serial
# shell must answer; Ctrl+Alt+M in the window must turn the terminal into
# the monitor ('info registers' answered, and not typed into the guest: its
# shell would echo it) and back (the shell answers again); Ctrl+Alt+Q quits.
# Usage: sdl_default_guest.sh KILN
set -uo pipefail
kiln=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/monitor_lib.sh"
. "$here/xvfb_lib.sh"
default_guest_disk
sdl_scratch sdlguest
xvfb_start

mkfifo "$dir/in"
start=$SECONDS
"$kiln" -m 256 -hda "$disk" -snapshot -boot c -display sdl -serial stdio -no-reboot \
    <"$dir/in" >"$dir/out" 2>"$dir/err" &
pid=$!
exec 3>"$dir/in"
kiln_window
wait_for "$dir/out" 'kiln# ' 2400 || { echo "FAIL: no shell on the serial console"; tail "$dir/out"; exit 1; }
printf 'echo serial-$((3 * 5))\n' >&3
wait_for "$dir/out" 'serial-15' 60 || fail "the serial shell does not answer"
echo "serial shell after $((SECONDS - start)) s"

focus
xdotool key ctrl+alt+m
wait_for "$dir/out" '(kiln) ' 10 || fail "Ctrl+Alt+M did not open the monitor"
printf 'info registers\n' >&3
wait_for "$dir/out" 'EIP=' 10 || fail "the monitor did not answer"
focus
xdotool key ctrl+alt+m
wait_for "$dir/out" '[monitor closed]' 10 || fail "the second Ctrl+Alt+M did not close the monitor"
printf 'echo back-$((1 + 1))\n' >&3
wait_for "$dir/out" 'back-2' 60 || fail "the serial shell does not answer after the monitor"
grep -q 'info registers' "$dir/out" && fail "the monitor's command reached the guest's shell"
quit_by_key
if [ "$failed" -ne 0 ]; then
    tail -n 20 "$dir/out"; echo "--- stderr"; cat "$dir/err"
    exit 1
fi
echo "PASS: sdl default guest"
