#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a 1.44 MB floppy image of memtest86+ from Debian's memtest86+ package
# into a cache outside the source tree. memtest86+ 6.x ships its 32-bit
# legacy-BIOS image (boot/memtest86+ia32.bin) with a floppy boot sector in
# front of the Linux boot-protocol header, so the file written raw to the
# start of a floppy is bootable, as `dd` to a real diskette would make it.
# Usage: build-memtest-floppy.sh [CACHE_DIR]   (default ${KILN_CACHE:-$HOME/.cache/kiln})
# Prints the path of the floppy image on success.
set -euo pipefail

cache=${1:-${KILN_CACHE:-$HOME/.cache/kiln}}/memtest
img=$cache/memtest86+ia32-1440k.img
if [ -s "$img" ]; then
    echo "$img"
    exit 0
fi
mkdir -p "$cache"
export DEBIAN_FRONTEND=noninteractive
# grep without -q reads to the end: with pipefail, -q could SIGPIPE apt-cache.
if ! apt-cache policy memtest86+ 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: memtest86+ is not in the apt lists; run apt-get update as root" >&2
        exit 2
    fi
    apt-get update -qq || true
fi

work=$(mktemp -d)
chmod 777 "$work" # apt-get download writes as the _apt user
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q memtest86+ >/dev/null)
dpkg-deb -x "$work"/memtest86+_*.deb "$work/pkg"
bin=$work/pkg/boot/memtest86+ia32.bin
if [ ! -s "$bin" ]; then
    echo "error: the memtest86+ package has no boot/memtest86+ia32.bin" >&2
    exit 1
fi
if [ "$(stat -c %s "$bin")" -gt 1474560 ]; then
    echo "error: memtest86+ia32.bin does not fit on a 1.44 MB floppy" >&2
    exit 1
fi
cp "$bin" "$work/floppy.img"
truncate -s 1474560 "$work/floppy.img"
mv "$work/floppy.img" "$img"
dpkg-deb -f "$work"/memtest86+_*.deb Version > "$cache/version"
echo "$img"
