#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Record and replay of the SDL window's input (issue 7): under Xvfb,
# mb_mouse.asm (which echoes every byte the 8042 delivers: 'm' from the
# mouse, 'k' from the keyboard) runs with -display sdl -record while
# xdotool moves the mouse, clicks and types. A replay without a window must
# then show the guest the same bytes at the same points: an identical
# debug console and the recorded instruction count.
# Usage: sdl_record.sh KILN KERNEL
set -uo pipefail
kiln=$1
kernel=$2
[ -s "$kernel" ] || { echo "FAIL: no kernel at $kernel"; exit 1; }
. "$(dirname "$0")/xvfb_lib.sh"
sdl_scratch record
xvfb_start
start_mouse_guest "$kernel" -record "$dir/run.rec"
xdotool mousemove_relative 20 0
wait_con "m08 m14 m00 " || fail "motion right 20: '$(cat "$dir/con")'"
xdotool click 1
wait_con "m09 m00 m00 m08 m00 m00 " || fail "left click: '$(cat "$dir/con")'"
# More than one record event carries (at most 127 a step).
xdotool mousemove_relative -- -300 0
sleep 0.5
xdotool key a
wait_con "k1e k9e " || fail "key a: '$(cat "$dir/con")'"
sleep 0.3
kill -TERM "$pid"
wait "$pid"
pid=
grep -q "kiln: record:" "$dir/err" || { cat "$dir/err"; echo "FAIL: no record written"; exit 1; }
recorded=$(sed -n 's/^kiln: record: \([0-9]*\) instructions.*/\1/p' "$dir/err")
events=$(sed -n 's/.* \([0-9]*\) input events.*/\1/p' "$dir/err")
[ "${events:-0}" -ge 8 ] || fail "only ${events:-0} input events recorded"

# The replay: no window, no X; the same console byte for byte.
timeout 60 "$kiln" -kernel "$kernel" -m 16 -display none -debugcon "file:$dir/con2" \
    -replay "$dir/run.rec" </dev/null 2>"$dir/err2"
rc=$?
[ $rc -eq 0 ] || fail "the replay exited with $rc: $(cat "$dir/err2")"
replayed=$(sed -n 's/^kiln: replay: \([0-9]*\) instructions.*/\1/p' "$dir/err2")
[ -n "$recorded" ] && [ "$recorded" = "$replayed" ] ||
    fail "instructions: recorded '$recorded', replayed '$replayed'"
cmp -s "$dir/con" "$dir/con2" || fail "the replay's console differs: '$(cat "$dir/con2")'"
echo "record: $recorded instructions, $events input events; replay: $replayed instructions"
echo "console: $(tr '\n' ' ' <"$dir/con")"
if [ "$failed" -ne 0 ]; then
    cat "$dir/err" "$dir/err2"
    exit 1
fi
echo "PASS: sdl record and replay"
