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
for tool in Xvfb xdotool; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (Debian: xvfb, xdotool)"; exit 1; }
done
[ -s "$kernel" ] || { echo "FAIL: no kernel at $kernel"; exit 1; }
dir=$(mktemp -d /tmp/kiln-monkey.XXXXXX)
xpid=
pid=
cleanup() {
    exec 3>&- 2>/dev/null
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "$xpid" ] && kill "$xpid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
. "$(dirname "$0")/monitor_lib.sh"

Xvfb -displayfd 4 -screen 0 1024x768x24 -nolisten tcp 4>"$dir/display" 2>"$dir/xvfb.log" &
xpid=$!
for ((i = 0; i < 100; i++)); do [ -s "$dir/display" ] && break; sleep 0.1; done
[ -s "$dir/display" ] || { echo "FAIL: Xvfb did not start"; exit 1; }
export DISPLAY=":$(head -n1 "$dir/display")"
unset WAYLAND_DISPLAY

mkfifo "$dir/in"
"$kiln" -kernel "$kernel" -m 16 -display sdl -debugcon "file:$dir/con" <"$dir/in" >"$dir/out" \
    2>"$dir/err" &
pid=$!
exec 3>"$dir/in"
wait_for "$dir/con" ready 30 || { echo "FAIL: the kernel never said ready"; cat "$dir/err"; exit 1; }
wid=
for ((i = 0; i < 100; i++)); do
    wid=$(xdotool search --name '^Kiln' 2>/dev/null | head -n1)
    [ -n "$wid" ] && break
    sleep 0.1
done
[ -n "$wid" ] || { echo "FAIL: no Kiln window"; exit 1; }
grep -q '(kiln)' "$dir/out" && fail "a monitor prompt before the host key"

xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
xdotool key ctrl+alt+m
wait_for "$dir/out" '(kiln) ' 10 || fail "Ctrl+Alt+M did not open the monitor: '$(cat "$dir/out")'"
sleep 0.5
case $(xdotool getwindowname "$wid") in
*"Ctrl+Alt+M closes the monitor"*) ;;
*) fail "the title does not say how to close the monitor: $(xdotool getwindowname "$wid")" ;;
esac
printf 'info registers\n' >&3
wait_for "$dir/out" 'EBX=9abcdef0' 10 || fail "the monitor did not answer: '$(cat "$dir/out")'"

xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
xdotool key ctrl+alt+m
wait_for "$dir/out" '[monitor closed]' 10 || fail "the second Ctrl+Alt+M did not close the monitor"
prompts=$(grep -o '(kiln) ' "$dir/out" | wc -l)
printf 'info registers\n' >&3
sleep 1
[ "$(grep -o '(kiln) ' "$dir/out" | wc -l)" -eq "$prompts" ] || fail "the closed monitor still answers"

xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
xdotool key ctrl+alt+q
for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$pid" 2>/dev/null && fail "Ctrl+Alt+Q did not quit"
if [ "$failed" -ne 0 ]; then
    echo "--- stdout"; cat "$dir/out"; echo "--- stderr"; cat "$dir/err"
    exit 1
fi
echo "PASS: sdl monitor key"
