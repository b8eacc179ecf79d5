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
for tool in Xvfb xdotool; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (Debian: xvfb, xdotool)"; exit 1; }
done
[ -s "$image" ] || { echo "FAIL: missing $image"; exit 1; }
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios"; exit 1; }
mkdir -p "$outdir"
dir=$(mktemp -d /tmp/kiln-sdl.XXXXXX)
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

# A private X server; it writes its display number when it is ready.
Xvfb -displayfd 4 -screen 0 1024x768x24 -nolisten tcp 4>"$dir/display" 2>"$dir/xvfb.log" &
xpid=$!
for ((i = 0; i < 100; i++)); do [ -s "$dir/display" ] && break; sleep 0.1; done
[ -s "$dir/display" ] || { echo "FAIL: Xvfb did not start"; cat "$dir/xvfb.log"; exit 1; }
export DISPLAY=":$(head -n1 "$dir/display")"
unset WAYLAND_DISPLAY

start=$SECONDS
mon_start nice -n 10 "$kiln" -m 16 -bios "$bios" -fda "$image" -snapshot -boot a -display sdl
wid=
for ((i = 0; i < 300; i++)); do
    wid=$(xdotool search --name '^Kiln' 2>/dev/null | head -n1)
    [ -n "$wid" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$wid" ] || { echo "FAIL: no Kiln window"; cat "$dir/err"; exit 1; }
echo "window $wid after $((SECONDS - start)) s"
wait_screen 'A:\>' 300 || { fail "no A:\\> prompt"; screen_text; exit 1; }
echo "prompt after $((SECONDS - start)) s"

# Type through the X server into the window, as a person would.
xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
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

# Kiln's own host key: Ctrl+Alt+Q quits with status 0. (Focus again first:
# without a window manager nothing else keeps the focus on the window.)
xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
xdotool key ctrl+alt+q
for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
    fail "Ctrl+Alt+Q did not quit"
else
    wait "$pid"
    rc=$?
    pid=
    [ "$rc" -eq 0 ] || fail "Ctrl+Alt+Q: exit status $rc"
fi
if [ "$failed" -ne 0 ]; then
    echo "--- stderr"; cat "$dir/err"
    exit 1
fi
echo "PASS: sdl freedos in $((SECONDS - start)) s"
