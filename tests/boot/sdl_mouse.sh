#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The SDL window's mouse under Xvfb, with real X pointer events (xdotool):
# mb_mouse.asm enables the PS/2 mouse and echoes what the 8042 delivers.
# The first click grabs the mouse and is not passed on; then relative
# motion and buttons must arrive as standard 3-byte PS/2 packets (byte 0:
# bit 3 always set, bit 0 left button, bits 4/5 the X/Y signs; Y counts
# upwards): right 20 -> 08 14 00; click -> 09 00 00, 08 00 00; up 15 ->
# 08 00 0f. Ctrl+Alt+G releases the grab (the title says so) and motion
# stops reaching the guest.
# Usage: sdl_mouse.sh KILN KERNEL
set -uo pipefail
kiln=$1
kernel=$2
for tool in Xvfb xdotool; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (Debian: xvfb, xdotool)"; exit 1; }
done
[ -s "$kernel" ] || { echo "FAIL: no kernel at $kernel"; exit 1; }
dir=$(mktemp -d /tmp/kiln-mouse.XXXXXX)
xpid=
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$xpid" ] && kill "$xpid" 2>/dev/null; rm -rf "$dir"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
wait_con() { # wait_con TEXT: the console shows TEXT within 10 s
    for ((i = 0; i < 100; i++)); do
        grep -qF -- "$1" "$dir/con" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

Xvfb -displayfd 4 -screen 0 1024x768x24 -nolisten tcp 4>"$dir/display" 2>"$dir/xvfb.log" &
xpid=$!
for ((i = 0; i < 100; i++)); do [ -s "$dir/display" ] && break; sleep 0.1; done
[ -s "$dir/display" ] || { echo "FAIL: Xvfb did not start"; exit 1; }
export DISPLAY=":$(head -n1 "$dir/display")"
unset WAYLAND_DISPLAY

"$kiln" -kernel "$kernel" -m 16 -display sdl -debugcon "file:$dir/con" </dev/null 2>"$dir/err" &
pid=$!
wait_con "ready" || { echo "FAIL: the kernel never said ready"; cat "$dir/err"; exit 1; }
wait_con "mfa " || fail "the mouse did not acknowledge F4h"
wid=
for ((i = 0; i < 100; i++)); do
    wid=$(xdotool search --name '^Kiln' 2>/dev/null | head -n1)
    [ -n "$wid" ] && break
    sleep 0.1
done
[ -n "$wid" ] || { echo "FAIL: no Kiln window"; exit 1; }
xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
xdotool mousemove --window "$wid" 100 100
sleep 0.3
xdotool click 1
sleep 0.5
case $(xdotool getwindowname "$wid") in
*"Ctrl+Alt+G releases the mouse"*) ;;
*) fail "the click did not grab the mouse: $(xdotool getwindowname "$wid")" ;;
esac
grep -q "m09" "$dir/con" && fail "the grabbing click reached the guest"
xdotool mousemove_relative 20 0
wait_con "m08 m14 m00 " || fail "motion right 20: '$(cat "$dir/con")'"
xdotool click 1
wait_con "m09 m00 m00 m08 m00 m00 " || fail "left click: '$(cat "$dir/con")'"
xdotool mousemove_relative -- 0 -15
wait_con "m08 m00 m0f " || fail "motion up 15: '$(cat "$dir/con")'"
xdotool key ctrl+alt+g
sleep 0.5
case $(xdotool getwindowname "$wid") in
*"click to grab the mouse"*) ;;
*) fail "Ctrl+Alt+G did not release the grab: $(xdotool getwindowname "$wid")" ;;
esac
before=$(grep -o 'm' "$dir/con" | wc -l)
xdotool mousemove_relative 30 30
sleep 0.5
[ "$(grep -o 'm' "$dir/con" | wc -l)" -eq "$before" ] || fail "motion reached the guest after the release"
echo "console: $(cat "$dir/con" | tr '\n' ' ')"
if [ "$failed" -ne 0 ]; then
    cat "$dir/err"
    exit 1
fi
echo "PASS: sdl mouse"
