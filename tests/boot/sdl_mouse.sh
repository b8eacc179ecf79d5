#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The SDL window's mouse under Xvfb, with real X pointer events (xdotool):
# mb_mouse.asm enables the PS/2 mouse and echoes what the 8042 delivers.
# The first click grabs the mouse and is not passed on; then relative
# motion and buttons must arrive as standard 3-byte PS/2 packets (byte 0:
# bit 3 always set, bit 0 left button, bits 4/5 the X/Y signs; Y counts
# upwards): right 20 -> 08 14 00; click -> 09 00 00, 08 00 00; up 15 ->
# 08 00 0f; left 300 -> 18 00 00 (-256), then 18 d4 00 (-44).
# Ctrl+Alt+G releases the grab (the title says so) and motion
# stops reaching the guest.
# Usage: sdl_mouse.sh KILN KERNEL
set -uo pipefail
kiln=$1
kernel=$2
[ -s "$kernel" ] || { echo "FAIL: no kernel at $kernel"; exit 1; }
. "$(dirname "$0")/xvfb_lib.sh"
sdl_scratch mouse
xvfb_start
start_mouse_guest "$kernel"
grep -q "m09" "$dir/con" && fail "the grabbing click reached the guest"
xdotool mousemove_relative 20 0
wait_con "m08 m14 m00 " || fail "motion right 20: '$(cat "$dir/con")'"
xdotool click 1
wait_con "m09 m00 m00 m08 m00 m00 " || fail "left click: '$(cat "$dir/con")'"
xdotool mousemove_relative -- 0 -15
wait_con "m08 m00 m0f " || fail "motion up 15: '$(cat "$dir/con")'"
# More than a packet holds: -256 now (sign bit, 00h), the other -44 (D4h)
# in the next packet; no overflow bits, nothing lost.
xdotool mousemove_relative -- -300 0
wait_con "m18 m00 m00 m18 md4 m00 " || fail "motion left 300: '$(cat "$dir/con")'"
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
