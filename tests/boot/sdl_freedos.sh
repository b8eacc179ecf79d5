#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The SDL display as a person uses it, under Xvfb: FreeDOS boots in a
# -display sdl window with Kiln's BIOS; the test waits for A:\> (reading
# text memory through the monitor), types "ver" and Enter as real X key
# events (xdotool), and checks FreeCOM's answer on the screen. With the
# machine stopped it then takes a screendump and compares it with a picture
# drawn independently from the guest's text memory and the BIOS font
# source (kiln-textshot-check); it checks the title bar, and quits with
# the host key Ctrl+Alt+Q. The screenshot stays in OUT_DIR.
# Usage: sdl_freedos.sh KILN BIOS IMAGE_DIR TEXTSHOT_CHECK FONT_ASM OUT_DIR
set -uo pipefail
kiln=$1
bios=$2
image=$3/freedos-1440k.img
check=$4
font=$5
outdir=$6
[ -s "$image" ] || { echo "FAIL: missing $image"; exit 1; }
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios"; exit 1; }
mkdir -p "$outdir"
. "$(dirname "$0")/monitor_lib.sh"
. "$(dirname "$0")/xvfb_lib.sh"
sdl_scratch sdl

xvfb_start

start=$SECONDS
mon_start nice -n 10 "$kiln" -m 16 -bios "$bios" -fda "$image" -snapshot -boot a -display sdl
kiln_window
echo "window $wid after $((SECONDS - start)) s"
wait_screen 'A:\>' 300 || { fail "no A:\\> prompt"; screen_text; exit 1; }
echo "prompt after $((SECONDS - start)) s"

# Type through the X server into the window, as a person would.
focus
sleep 0.5
xdotool type --delay 150 'ver'
xdotool key --delay 150 Return
wait_screen 'FreeCom version' 120 || { fail "'ver' typed through X gave no answer"; screen_text; }
echo "typed 'ver', FreeCOM answered after $((SECONDS - start)) s"

title=$(xdotool getwindowname "$wid")
echo "title: $title"
case $title in
*running*translator*MIPS*Ctrl+Alt*) ;; # the default engine
*) fail "title lacks state, engine, MIPS or the host key: $title" ;;
esac

# The screenshot against an independent rendering of the same text memory.
cmd stop
cmd "xp /4000xb 0xb8000"
printf '%s\n' "$answer" >"$dir/text.txt"
shot="$outdir/freedos-sdl-ver.png"
rm -f "$shot"
cmd "screendump $shot"
[ -z "$answer" ] || fail "screendump said: $answer"
if "$check" "$font" "$dir/text.txt" "$shot"; then
    echo "screenshot: $shot"
else
    fail "the screendump differs from the independent rendering"
fi
cmd stop
title=$(xdotool getwindowname "$wid")
sleep 0.5
title=$(xdotool getwindowname "$wid")
case $title in *paused*) ;; *) fail "title does not say paused while stopped: $title" ;; esac
cmd cont

# Kiln's own host key: Ctrl+Alt+Q quits with status 0.
quit_by_key
if [ "$failed" -ne 0 ]; then
    echo "--- stderr"; cat "$dir/err"
    exit 1
fi
echo "PASS: sdl freedos in $((SECONDS - start)) s"
