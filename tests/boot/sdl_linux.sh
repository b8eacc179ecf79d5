#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The default Linux guest in the SDL window under Xvfb, typed into as a
# person would. The guest's kernel and initramfs boot through Kiln's BIOS
# and syslinux from the IDE disk that scripts/guest/build-linux-disks.sh
# builds (the -kernel path has no BIOS to set up the VGA text mode), with
# console=tty0 console=ttyS0: kernel messages on the screen and COM1,
# /init's shell on COM1 and a second shell on the screen (tty1). The test
# waits for the prompt on the VGA text screen (read through the monitor),
# types a command as real X key events (xdotool) and checks the shell's
# answer twice: on the screen and in the serial log, where the command
# itself sends it. The command holds $((6 * 7)) and the answer 42, so only a
# shell that ran it can match. The screenshot stays in OUT_DIR.
# Usage: sdl_linux.sh KILN BIOS OUT_DIR
set -uo pipefail
kiln=$1
bios=$2
outdir=$3
here=$(cd "$(dirname "$0")" && pwd)
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios"; exit 1; }
mkdir -p "$outdir"
. "$here/monitor_lib.sh"
. "$here/xvfb_lib.sh"
default_guest_disk
sdl_scratch sdllinux

xvfb_start

start=$SECONDS
mon_start "$kiln" -m 256 -bios "$bios" -hda "$disk" -snapshot -boot c -display sdl \
    -serial "file:$dir/serial"
kiln_window
wait_for "$dir/serial" 'KILN-GUEST-READY' 2400 ||
    { echo "FAIL: the guest never reached /init"; tail "$dir/serial"; exit 1; }
# The console scrolls by moving the CRTC start address through the 32 KiB
# text window: its lines are read from all of it. (Into a variable first:
# grep -q leaving early must not fail the pipe under pipefail.)
for ((i = 0; i < 120; i++)); do
    screen=$(screen_text 204)
    grep -qF 'kiln# ' <<<"$screen" && break
    sleep 1
done
grep -qF 'kiln# ' <<<"$screen" ||
    { echo "FAIL: no shell prompt on the screen"; grep -v '^ *$' <<<"$screen" | tail; exit 1; }
echo "prompt on the screen after $((SECONDS - start)) s"

focus
sleep 0.5
# Kernel messages still reach tty0 after the prompt (the first keys feed
# the entropy pool, and "random: crng init done" may land in the middle of
# the typed line): quieten the console first, as a person at it would.
xdotool type --delay 60 'dmesg -n 1'
xdotool key --delay 60 Return
sleep 1
typed='echo typed-$((6 * 7)) | tee /dev/ttyS0'
xdotool type --delay 60 "$typed"
xdotool key --delay 60 Return
wait_for "$dir/serial" 'typed-42' 60 || fail "no answer on the serial port: $(tail -n 3 "$dir/serial")"
screen=$(screen_text 204)
grep -qF 'kiln# echo typed-$((6 * 7)) | tee /dev/ttyS0' <<<"$screen" ||
    fail "the typed line is not on the screen"
grep -qx 'typed-42 *' <<<"$screen" || fail "the answer is not on the screen"
echo "typed '$typed' in the window; the shell answered typed-42 after $((SECONDS - start)) s"

shot="$outdir/linux-sdl-shell.png"
rm -f "$shot"
cmd "screendump $shot"
[ -z "$answer" ] && [ -s "$shot" ] || fail "screendump: $answer"
cmd quit
if [ "$failed" -ne 0 ]; then
    # The console's newest lines follow its last prompt (the text window
    # wraps, so they need not be at its end).
    grep -n -A 12 'kiln# ' <<<"$screen" | grep -v '^[0-9]*-  *$' | tail -n 30
    echo "--- stderr"; cat "$dir/err"
    exit 1
fi
echo "screenshot: $shot"
echo "PASS: sdl linux"
