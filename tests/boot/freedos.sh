#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot test: FreeDOS from each of the seven floppy geometries (160K-1.44M)
# in ../shared/images/freedos-bootdisk with Kiln's BIOS, to A:\> and a typed
# `ver` and `dir`, read from the VGA text screen (-display curses in tmux).
# Usage: freedos.sh KILN BIOS IMAGE_DIR
set -uo pipefail
kiln=$1
bios=$2
dir=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tmux_screen.sh"
screen_require_tmux
[ -d "$dir" ] || { echo "FAIL: no FreeDOS images at $dir" >&2; exit 1; }
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios" >&2; exit 1; }
trap 'screen_stop freedos' EXIT
failed=0
for size in 1440k 1200k 720k 360k 320k 180k 160k; do
    img=$dir/freedos-$size.img
    [ -s "$img" ] || { echo "FAIL: missing $img" >&2; failed=1; continue; }
    start=$SECONDS
    screen_start freedos "$kiln" -m 16 -bios "$bios" -fda "$img" -snapshot -boot a -display curses
    if screen_wait freedos 'A:\>' 300 &&
        screen_type freedos ver && screen_wait freedos "FreeCom version 0.82" 120 &&
        screen_type freedos dir && screen_wait freedos "KERNEL   SYS" 120; then
        echo "ok $size: A:\\> ver dir in $((SECONDS - start)) s"
    else
        echo "FAIL: FreeDOS $size" >&2
        failed=1
    fi
    screen_stop freedos
done
[ $failed -eq 0 ] && echo "PASS: FreeDOS booted from all seven floppy geometries"
exit $failed
