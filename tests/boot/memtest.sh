#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot test: memtest86+ (Debian's package, the 32-bit legacy image written
# raw to a 1.44 MB floppy) with Kiln's BIOS, through -display curses in tmux.
# Passes when the VGA text screen shows memtest's banner, the memory size it
# found, and its tests advancing (test #1 or later running, no errors).
# Usage: memtest.sh KILN BIOS [extra kiln options...]
set -uo pipefail
kiln=$1
bios=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tmux_screen.sh"
screen_require_tmux
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios" >&2; exit 1; }
if ! img=$(bash "$here/../../scripts/guest/build-memtest-floppy.sh"); then
    echo "FAIL: could not build the memtest86+ floppy (see above)" >&2
    exit 1
fi
session=memtest$$
trap 'screen_stop $session' EXIT
start=$SECONDS
screen_start $session "$kiln" -m 32 -bios "$bios" -fda "$img" -snapshot -boot a \
    -display curses "$@"
screen_wait $session 'Memtest86+ v' 300 || exit 1
echo "banner after $((SECONDS - start)) s"
# 32 MiB of RAM: memtest reports it in its summary column.
screen_wait $session 'Memory  :   32MB' 60 || exit 1
# Test #0 runs first; #1 on the screen means one whole test has finished.
deadline=$((SECONDS + 300))
until screen_text $session | grep -qE 'Test #([1-9]|1[0-9]) '; do
    if [ $SECONDS -ge $deadline ]; then
        echo "FAIL: memtest did not get past test #0 in 300 s; the screen shows:" >&2
        screen_text $session >&2
        exit 1
    fi
    sleep 2
done
grep -qE 'Errors: 0' <<<"$(screen_text $session)" || {
    echo "FAIL: memtest reports errors; the screen shows:" >&2
    screen_text $session >&2
    exit 1
}
screen_text $session | grep -E 'Test #|Errors'
echo "PASS: memtest86+ reached its test screen and ran test #0 in $((SECONDS - start)) s"
