#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot tests of the text-mode legacy systems in ../shared/images with Kiln's
# BIOS, each driven as a person would through -display curses in tmux:
# bootOS to its $ prompt; MikeOS 4.5 to its welcome dialog, from its floppy
# and from its El Torito CD (1.44 MB floppy emulation); ELKS 0.7.0 and
# 0.5.0 (unreal mode) to login:, logging in as root and running `ls /`; the
# OpenBSD 5.1 installer to its first question on the VGA console.
# Usage: legacy_text.sh KILN BIOS IMAGE_DIR
set -uo pipefail
kiln=$1
bios=$2
dir=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tmux_screen.sh"
screen_require_tmux
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios" >&2; exit 1; }
trap 'screen_stop legacy' EXIT
failed=0

# boot NAME IMAGE: start Kiln on the floppy image.
boot() {
    [ -s "$2" ] || { echo "FAIL: missing $2" >&2; return 1; }
    screen_start legacy "$kiln" -m 16 -bios "$bios" -fda "$2" -snapshot -boot a -display curses
}

# bootcd NAME IMAGE: start Kiln on the CD image.
bootcd() {
    [ -s "$2" ] || { echo "FAIL: missing $2" >&2; return 1; }
    screen_start legacy "$kiln" -m 16 -bios "$bios" -cdrom "$2" -snapshot -boot d -display curses
}

check() {
    local name=$1
    shift
    local start=$SECONDS
    if "$@"; then
        echo "ok $name in $((SECONDS - start)) s"
    else
        echo "FAIL: $name" >&2
        failed=1
    fi
    screen_stop legacy
}

bootos() {
    boot bootos "$dir/bootos/osall.img" && screen_wait legacy 'bootOS' 120 &&
        screen_wait legacy '$' 60
}

mikeos() {
    boot mikeos "$dir/mikeos-4.5/mikeos.flp" &&
        screen_wait legacy 'Thanks for trying out MikeOS!' 180
}

mikeos_cd() {
    bootcd mikeos "$dir/mikeos-4.5/mikeos.iso" &&
        screen_wait legacy 'Thanks for trying out MikeOS!' 180
}

elks() {
    boot elks "$dir/elks/$1" && screen_wait legacy "ELKS $2" 240 &&
        screen_wait legacy 'login:' 120 && screen_type legacy root &&
        screen_wait legacy '#' 60 && screen_type legacy 'ls /' &&
        screen_wait legacy 'bootopts' 60
}

openbsd() {
    boot openbsd "$dir/openbsd-5.1-floppy/openbsd51-floppy.img" &&
        screen_wait legacy '(I)nstall, (U)pgrade or (S)hell?' 600
}

check "bootOS" bootos
check "MikeOS 4.5" mikeos
check "MikeOS 4.5 (CD)" mikeos_cd
check "ELKS 0.7.0" elks elks-0.7.0-fat-1440k.img 0.7.0
check "ELKS 0.5.0" elks elks-0.5.0-minix-1440k.img 0.5.0
check "OpenBSD 5.1" openbsd
[ $failed -eq 0 ] && echo "PASS: bootOS, MikeOS (floppy and CD), ELKS 0.7.0/0.5.0 and OpenBSD 5.1 booted"
exit $failed
