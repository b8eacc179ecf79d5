#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A VBE screenshot of a real guest: KolibriOS boots with Kiln's BIOS to its
# 800x600x32 desktop (see ../shared/images/kolibrios/README.md); with the
# machine stopped the test reads the linear framebuffer (the VGA's PCI BAR0,
# from 'info pci') through the monitor and checks that 'screendump' holds
# exactly those pixels (kiln-fbshot-check). The screenshot stays in OUT_DIR.
# Usage: kolibri_shot.sh KILN BIOS IMAGE_DIR FBSHOT_CHECK OUT_DIR
set -uo pipefail
kiln=$1
bios=$2
image=$3/kolibri.img
check=$4
outdir=$5
[ -s "$image" ] || { echo "FAIL: missing $image"; exit 1; }
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios"; exit 1; }
mkdir -p "$outdir"
dir=$(mktemp -d /tmp/kiln-kolibri.XXXXXX)
pid=
trap 'exec 3>&- 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
. "$(dirname "$0")/monitor_lib.sh"

start=$SECONDS
mon_start nice -n 10 "$kiln" -m 128 -bios "$bios" -fda "$image" -snapshot -boot a -display none
wait_for "$dir/out" '(kiln) ' 20 || { echo "FAIL: no monitor"; exit 1; }
# The desktop is drawn once the screendump is 800x600, stops changing, and
# is as busy as a desktop with its icons (over 50 KB of PNG; the boot
# screens before it are far smaller).
wait_desktop 800 600 50000 600 || { echo "FAIL: no 800x600 desktop after $((SECONDS - start)) s"; exit 1; }
echo "desktop after $((SECONDS - start)) s"
cmd "info pci"
lfb=$(printf '%s\n' "$answer" | awk '/VGA controller/ { v = 1 } v && /BAR0/ { print $6; exit }')
case $lfb in 0x*) ;; *) echo "FAIL: no VGA BAR0 in info pci: $answer"; exit 1 ;; esac
[ -n "$lfb" ] || { echo "FAIL: no VGA BAR0 in info pci"; exit 1; }
cmd stop
: >"$dir/fb.txt"
for ((off = 0; off < 800 * 600 * 4; off += 65536)); do
    cmd "xp /16384xw $((lfb + off))"
    printf '%s\n' "$answer" >>"$dir/fb.txt"
done
shot="$outdir/kolibri-desktop.png"
rm -f "$shot"
cmd "screendump $shot"
[ -z "$answer" ] || { echo "FAIL: screendump said: $answer"; exit 1; }
cmd quit
"$check" 800 600 "$dir/fb.txt" "$shot" || { echo "FAIL: the screendump is not the framebuffer"; exit 1; }
echo "PASS: $shot"
