#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The host key that opens the monitor, under Xvfb with real X key events:
# Kiln runs mb_monitor.bin (its registers are known from its source) in a
# -display sdl window with no -monitor option and its standard input on a
# pipe. Ctrl+Alt+M in the window must put the monitor on the terminal (the
# banner and prompt appear, the title says Ctrl+Alt+M closes it, and
# 'info registers' typed on standard input is answered with the kernel's
# EBX = 9ABCDEF0h, set by the kernel); Ctrl+Alt+M again must close it (a command typed then
# gets no answer); Ctrl+Alt+Q quits.
# Usage: sdl_monitor_key.sh KILN KERNEL
set -uo pipefail
kiln=$1
kernel=$2
[ -s "$kernel" ] || { echo "FAIL: no kernel at $kernel"; exit 1; }
. "$(dirname "$0")/monitor_lib.sh"
. "$(dirname "$0")/xvfb_lib.sh"
sdl_scratch monkey

xvfb_start

mkfifo "$dir/in"
"$kiln" -kernel "$kernel" -m 16 -display sdl -debugcon "file:$dir/con" <"$dir/in" >"$dir/out" \
    2>"$dir/err" &
pid=$!
exec 3>"$dir/in"
wait_for "$dir/con" ready 30 || { echo "FAIL: the kernel never said ready"; cat "$dir/err"; exit 1; }
kiln_window
grep -q '(kiln)' "$dir/out" && fail "a monitor prompt before the host key"

focus
xdotool key ctrl+alt+m
wait_for "$dir/out" '(kiln) ' 10 || fail "Ctrl+Alt+M did not open the monitor: '$(cat "$dir/out")'"
sleep 0.5
case $(xdotool getwindowname "$wid") in
*"Ctrl+Alt+M closes the monitor"*) ;;
*) fail "the title does not say how to close the monitor: $(xdotool getwindowname "$wid")" ;;
esac
printf 'info registers\n' >&3
wait_for "$dir/out" 'EBX=9abcdef0' 10 || fail "the monitor did not answer: '$(cat "$dir/out")'"

focus
xdotool key ctrl+alt+m
wait_for "$dir/out" '[monitor closed]' 10 || fail "the second Ctrl+Alt+M did not close the monitor"
prompts=$(grep -o '(kiln) ' "$dir/out" | wc -l)
printf 'info registers\n' >&3
sleep 1
[ "$(grep -o '(kiln) ' "$dir/out" | wc -l)" -eq "$prompts" ] || fail "the closed monitor still answers"

quit_by_key
if [ "$failed" -ne 0 ]; then
    echo "--- stdout"; cat "$dir/out"; echo "--- stderr"; cat "$dir/err"
    exit 1
fi
echo "PASS: sdl monitor key"
