#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot test: FreeDOS (1.44 MB floppy) through Debian's SeaBIOS and its VGA
# BIOS (-bios /usr/share/seabios/bios.bin; vgabios-stdvga.bin beside it
# becomes the VGA's option ROM), to A:\> and a typed `ver`: the proof that a
# foreign BIOS finds Kiln's chipset behaving like the real one.
# Usage: freedos_seabios.sh KILN IMAGE_DIR
set -uo pipefail
kiln=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tmux_screen.sh"
screen_require_tmux
bios=/usr/share/seabios/bios.bin
if [ ! -s "$bios" ] && [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq seabios >/dev/null 2>&1
fi
[ -s "$bios" ] || { echo "FAIL: Debian's seabios package is not installed" >&2; exit 1; }
img=$dir/freedos-1440k.img
[ -s "$img" ] || { echo "FAIL: missing $img" >&2; exit 1; }
trap 'screen_stop seabios' EXIT
start=$SECONDS
screen_start seabios "$kiln" -m 32 -bios "$bios" -fda "$img" -snapshot -boot a -display curses
screen_wait seabios 'A:\>' 300 || exit 1
screen_type seabios ver
screen_wait seabios "FreeCom version 0.82" 120 || exit 1
echo "PASS: SeaBIOS booted FreeDOS to A:\\> in $((SECONDS - start)) s"
