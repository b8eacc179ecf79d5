#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A real X mouse click on a KolibriOS desktop icon opens that program's
# window. KolibriOS boots with Kiln's BIOS in a -display sdl window under
# Xvfb to its 800x600 desktop (icons as in ../shared/images/kolibrios/
# screen-desktop.png: CALC's at about (101,163)). The first click grabs the
# mouse; a big relative motion up-left parks KolibriOS's pointer in the
# corner (it stops at the screen edge), so that later relative motions put
# it at known pixels. Then, through xdotool and compared by kiln-shotdiff
# on screendumps taken with the pointer already in place:
#  - a left click on empty desktop must not change a window-sized block
#    (nothing opens by itself; the control case);
#  - a left click on CALC must change a window-sized block of full rows
#    (a new window with its title bar and frame).
# The screenshot of the opened window stays in OUT_DIR.
# Usage: sdl_kolibri_click.sh KILN BIOS IMAGE_DIR SHOTDIFF OUT_DIR
set -uo pipefail
kiln=$1
bios=$2
image=$3/kolibri.img
shotdiff=$4
outdir=$5
[ -s "$image" ] || { echo "FAIL: missing $image"; exit 1; }
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios"; exit 1; }
mkdir -p "$outdir"
. "$(dirname "$0")/monitor_lib.sh"
. "$(dirname "$0")/xvfb_lib.sh"
sdl_scratch kclick

xvfb_start

start=$SECONDS
mon_start "$kiln" -m 128 -bios "$bios" -fda "$image" -snapshot -boot a -display sdl
wait_for "$dir/out" '(kiln) ' 20 || { echo "FAIL: no monitor"; cat "$dir/err"; exit 1; }
# The desktop: 800x600, no longer changing, over 50 KB of PNG (its icons).
wait_desktop 800 600 50000 600 || { echo "FAIL: no 800x600 desktop after $((SECONDS - start)) s"; exit 1; }
echo "desktop after $((SECONDS - start)) s"

kiln_window
grab_mouse 400 300 || { echo "FAIL: no grab"; exit 1; }
# Park the guest's pointer at (0,0). KolibriOS accelerates: a packet that
# comes within 100 ms (its mouse_delay) of the one before moves the
# pointer three times as far (mouse_speed_factor), as it does for a real
# mouse moved fast. Parking does not care (the pointer stops at the edge);
# the moves to known pixels below are steps of one packet each (at most
# 200 counts, a packet holds 255), 0.5 s apart, so each moves exactly its
# distance.
xdotool mousemove_relative -- -1000 -1000
sleep 1
# step DX DY: move the guest's pointer by exactly DX, DY pixels.
step() {
    local dx=$1 dy=$2 n sx sy k
    n=$(((${dx#-} > ${dy#-} ? ${dx#-} : ${dy#-}) / 200 + 1))
    for ((k = n; k > 0; k--)); do
        sx=$((dx / k))
        sy=$((dy / k))
        xdotool mousemove_relative -- "$sx" "$sy"
        dx=$((dx - sx))
        dy=$((dy - sy))
        sleep 0.5
    done
}

# shoot NAME: a screendump once the picture has settled (two equal in a row).
shoot() {
    local j last=
    for ((j = 0; j < 20; j++)); do
        cmd "screendump $dir/$1.png"
        local s
        s=$(cksum <"$dir/$1.png")
        [ "$s" = "$last" ] && return 0
        last=$s
        sleep 0.5
    done
    return 0
}
# changed BEFORE AFTER: kiln-shotdiff's figures as shell variables.
changed() {
    local out
    out=$("$shotdiff" "$dir/$1.png" "$dir/$2.png") || { echo "FAIL: kiln-shotdiff: $out"; exit 1; }
    n=$(printf '%s\n' "$out" | awk '/^changed/ { print $2 }')
    read -r x0 y0 x1 y1 <<<"$(printf '%s\n' "$out" | awk '/^changed/ && NF == 7 { print $4, $5, $6, $7 }')"
    rows=$(printf '%s\n' "$out" | awk '/^rows/ { print $2 }')
    rows=${rows:-0}
    echo "  $1 -> $2: $(printf '%s' "$out" | tr '\n' ' ')"
}

# Control: a click on empty desktop (400,330) opens nothing.
step 400 330
shoot empty0
xdotool click 1
sleep 3
shoot empty1
changed empty0 empty1
if [ "$n" -ge 15000 ] && [ "$rows" -ge 60 ]; then
    cp "$dir/empty1.png" "$outdir/kolibri-click-empty.png"
    echo "FAIL: a click on empty desktop changed a window-sized block: $outdir/kolibri-click-empty.png"
    exit 1
fi

# The CALC icon at (101,163).
step -299 -167
shoot icon0
xdotool click 1
opened=0
for ((i = 0; i < 60; i++)); do
    sleep 1
    shoot icon1
    changed icon0 icon1
    if [ "$n" -ge 15000 ] && [ "$rows" -ge 60 ] && [ $((x1 - x0)) -ge 120 ] &&
        [ $((y1 - y0)) -ge 80 ]; then
        opened=1
        break
    fi
done
if [ "$opened" -ne 1 ]; then
    cp "$dir/icon0.png" "$outdir/kolibri-click-before.png"
    cp "$dir/icon1.png" "$outdir/kolibri-click-after.png"
    echo "FAIL: clicking the CALC icon opened no window (see $outdir/kolibri-click-*.png)"
    exit 1
fi
shot="$outdir/kolibri-click-calc.png"
cp "$dir/icon1.png" "$shot"
echo "window at ($x0,$y0)-($x1,$y1), $n pixels changed, $rows full rows; screenshot: $shot"
cmd quit
echo "PASS: kolibri click after $((SECONDS - start)) s"
