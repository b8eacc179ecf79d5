#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -screenshot-at-exit of a VBE picture: mb_vbe.asm draws its pattern and
# exits through isa-debug-exit; the PNG must match the pattern exactly.
# Usage: vbe_shot.sh KILN KERNEL BPP VBESHOT_CHECK OUT_DIR
set -uo pipefail
kiln=$1
kernel=$2
bpp=$3
check=$4
outdir=$5
[ -s "$kernel" ] || { echo "FAIL: no kernel at $kernel"; exit 1; }
mkdir -p "$outdir"
shot="$outdir/vbe-$bpp.png"
rm -f "$shot"
timeout 60 "$kiln" -kernel "$kernel" -m 16 -display none -screenshot-at-exit "$shot" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: exit status $rc, expected 1 (the kernel's exit)"; exit 1; }
"$check" "$bpp" "$shot" || { echo "FAIL: the screenshot is not the kernel's pattern"; exit 1; }
# An unwritable path: a clear message and a failing status, not a crash.
out=$(timeout 60 "$kiln" -kernel "$kernel" -m 16 -display none \
    -screenshot-at-exit /nonexistent-dir/x.png -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    </dev/null 2>&1)
rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: unwritable screenshot path gave status $rc"; exit 1; }
case $out in
*"-screenshot-at-exit: cannot write /nonexistent-dir/x.png"*) ;;
*) echo "FAIL: no clear message for an unwritable path: $out"; exit 1 ;;
esac
echo "PASS: $shot"
