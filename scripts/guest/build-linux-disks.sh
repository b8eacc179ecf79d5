#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build boot media for the default Linux guest (build-linux-guest.sh) from
# Debian packages, into a cache outside the source tree:
#  - linux-hd.img: a 32 MiB IDE hard disk, MBR partition table (syslinux's
#    mbr.bin) with one active FAT16 partition at sector 2048 holding syslinux
#    6, vmlinuz, initramfs.gz and a syslinux.cfg that boots the kernel with
#    console=tty0 console=ttyS0: its messages on the screen and COM1, the
#    init's shell on COM1 (the last console) and a second one on the screen
#    (syslinux itself talks on COM1 too). Both configurations
#    boot their default at once (PROMPT 0): syslinux stops at its boot:
#    prompt only if INT 16h reports Shift, Ctrl, Alt or a lock key held, so
#    a BIOS with stray keyboard flags hangs there and the test fails.
#  - linux-floppy.img: a 1.44 MB FAT12 floppy with syslinux whose only entry
#    chain-loads the first hard disk's MBR (chain.c32). The 5.7 MB kernel
#    cannot fit on a floppy and Debian ships no smaller i386 kernel, so the
#    floppy proves the floppy path (BIOS floppy boot, syslinux and its COM32
#    modules read through INT 13h from the floppy), then hands over to the
#    hard disk. The floppy's syslinux announces itself without EDD
#    ("SYSLINUX 6.04 CHS"...) and the disk's with it, on the serial line.
# Usage: build-linux-disks.sh [CACHE_DIR]   (default ${KILN_CACHE:-$HOME/.cache/kiln})
# Prints the paths of linux-hd.img and linux-floppy.img on success.
set -euo pipefail

base=${1:-${KILN_CACHE:-$HOME/.cache/kiln}}
# The folder name changes with the images' layout, so that stale ones are rebuilt.
cache=$base/linux-disks-3
here=$(cd "$(dirname "$0")" && pwd)
if [ -s "$cache/linux-hd.img" ] && [ -s "$cache/linux-floppy.img" ]; then
    echo "$cache/linux-hd.img"
    echo "$cache/linux-floppy.img"
    exit 0
fi

mapfile -t guest < <(bash "$here/build-linux-guest.sh" "$base")
if [ ${#guest[@]} -ne 2 ]; then
    echo "error: the default guest could not be built" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
need() { # need COMMAND PACKAGE...: install PACKAGE... when COMMAND is missing
    local cmd=$1
    shift
    command -v "$cmd" >/dev/null && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: $cmd is missing; install $* (needs root)" >&2
        exit 2
    fi
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
        { apt-get update -qq || true; apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}
need syslinux syslinux syslinux-common mtools
need mcopy mtools
need mkfs.fat dosfstools
need sfdisk fdisk
sys=/usr/lib/syslinux
for f in "$sys/mbr/mbr.bin" "$sys/modules/bios/chain.c32" "$sys/modules/bios/libcom32.c32" \
         "$sys/modules/bios/libutil.c32"; do
    [ -s "$f" ] || { echo "error: $f missing (package syslinux-common)" >&2; exit 1; }
done

mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The hard disk: 32 MiB = 65536 sectors, partition 1 from 2048 to the end.
disk=$work/hd.img
part=$work/part.img
truncate -s 32M "$disk"
echo 'start=2048, type=6, bootable' | sfdisk -q "$disk"
part_sectors=$((65536 - 2048))
# -h: hidden sectors, so that syslinux's boot sector finds itself on the disk.
mkfs.fat -F 16 -h 2048 -n KILNLINUX -C "$part" $((part_sectors / 2)) >/dev/null
cat > "$work/hd.cfg" <<'CFG'
SERIAL 0 115200
PROMPT 0
TIMEOUT 0
DEFAULT linux
LABEL linux
  KERNEL vmlinuz
  INITRD initramfs.gz
  APPEND console=tty0 console=ttyS0
CFG
mcopy -i "$part" "${guest[0]}" ::vmlinuz
mcopy -i "$part" "${guest[1]}" ::initramfs.gz
mcopy -i "$part" "$work/hd.cfg" ::syslinux.cfg
syslinux --install "$part"
dd if="$part" of="$disk" bs=512 seek=2048 conv=notrunc status=none
dd if="$sys/mbr/mbr.bin" of="$disk" bs=440 count=1 conv=notrunc status=none

# The floppy: syslinux chaining to the hard disk's MBR.
floppy=$work/floppy.img
mkfs.fat -F 12 -n KILNFLOPPY -C "$floppy" 1440 >/dev/null
cat > "$work/fd.cfg" <<'CFG'
SERIAL 0 115200
PROMPT 0
TIMEOUT 0
DEFAULT hd
LABEL hd
  COM32 chain.c32
  APPEND hd0
CFG
mcopy -i "$floppy" "$work/fd.cfg" ::syslinux.cfg
for m in chain.c32 libcom32.c32 libutil.c32; do
    mcopy -i "$floppy" "$sys/modules/bios/$m" "::$m"
done
syslinux --install "$floppy"

mv "$disk" "$cache/linux-hd.img"
mv "$floppy" "$cache/linux-floppy.img"
echo "$cache/linux-hd.img"
echo "$cache/linux-floppy.img"
