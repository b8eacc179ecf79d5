#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot tests of the graphical legacy systems in ../shared/images with Kiln's
# BIOS, through -display curses in tmux. In graphics modes the curses
# display prints one status line, "[graphics mode WxHxBPP (KIND), N
# colours ...]", from the VGA's registers and the rendered picture; the tests
# check the mode each system is documented to use and that the picture is
# not blank (enough distinct colours for its title screen or desktop):
#   Floppy Bird (floppy and El Torito CD): mode 13h, 320x200 in 256 colours;
#   KolibriOS: its boot menu, then the VBE 800x600x32 desktop.
# Usage: graphics_screens.sh KILN BIOS IMAGE_DIR
set -uo pipefail
kiln=$1
bios=$2
dir=$3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tmux_screen.sh"
screen_require_tmux
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios" >&2; exit 1; }
session=gfx$$
trap 'screen_stop $session' EXIT
failed=0

# colours_at_least MODE N SECONDS: until the status line names MODE with at
# least N colours.
colours_at_least() {
    local deadline=$((SECONDS + $3)) n
    while :; do
        n=$(screen_text $session | grep -oE "graphics mode $1, [0-9]+" | grep -oE '[0-9]+$' | tail -n 1)
        [ -n "$n" ] && [ "$n" -ge "$2" ] && return 0
        if [ $SECONDS -ge "$deadline" ]; then
            echo "FAIL: no '$1' screen with $2 colours after $3 s; the screen shows:" >&2
            screen_text $session >&2
            return 1
        fi
        sleep 1
    done
}

check() {
    local name=$1
    shift
    local start=$SECONDS
    if "$@"; then
        echo "ok $name in $((SECONDS - start)) s: $(screen_text $session | grep -m1 -o 'graphics mode[^:]*')"
    else
        echo "FAIL: $name" >&2
        failed=1
    fi
    screen_stop $session
}

floppybird() {
    [ -s "$1" ] || { echo "FAIL: missing $1" >&2; return 1; }
    screen_start $session "$kiln" -m 16 -bios "$bios" "$2" "$1" -snapshot -boot "$3" -display curses
    # Sky, ground, skyline, bird and score: a title screen has at least 5.
    colours_at_least '320x200x8 \(256\)' 5 180
}

kolibrios() {
    local img=$dir/kolibrios/kolibri.img
    [ -s "$img" ] || { echo "FAIL: missing $img" >&2; return 1; }
    screen_start $session "$kiln" -m 128 -bios "$bios" -fda "$img" -snapshot -boot a -display curses
    # The boot menu offers the VBE modes the BIOS reported; it goes on by itself.
    screen_wait $session '800x600x32' 180 || return 1
    # The desktop: wallpaper gradient, panel and icons.
    colours_at_least '800x600x32 \(vbe\)' 64 900
}

check "Floppy Bird (floppy)" floppybird "$dir/floppybird/floppybird.img" -fda a
check "Floppy Bird (CD)" floppybird "$dir/floppybird/floppybird.iso" -cdrom d
check "KolibriOS" kolibrios
[ $failed -eq 0 ] && echo "PASS: Floppy Bird (floppy, CD) title screen and the KolibriOS desktop"
exit $failed
