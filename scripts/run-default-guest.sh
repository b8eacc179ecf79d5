#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build Kiln and boot the default guest to an interactive shell on this
# terminal: the Debian i386 kernel with a busybox initramfs (built from
# Debian packages into ${KILN_CACHE:-~/.cache/kiln}), serial console on
# stdio. Ctrl-A x quits. With a window system ($DISPLAY or
# $WAYLAND_DISPLAY) the same kernel and initramfs boot through Kiln's BIOS
# and syslinux from a disk image (-snapshot: the image never changes) in an
# SDL window that shows the boot and a shell on the VGA console, the
# serial shell staying on this terminal. Run as root on a fresh Debian
# machine: missing packages are installed with apt-get.
# Usage: bash scripts/run-default-guest.sh [extra kiln options]
set -euo pipefail

cd "$(dirname "$0")/.."
packages=(cmake gcc make pkg-config libcapstone-dev libsdl2-dev zlib1g-dev check nasm cpio
          syslinux syslinux-common mtools dosfstools fdisk)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: missing packages (${missing[*]}); run as root or install them" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target kiln >/dev/null

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    mapfile -t disks < <(bash scripts/guest/build-linux-disks.sh)
    echo "Booting ${disks[0]} in a window (Ctrl-A x here or Ctrl+Alt+Q there quits," \
        "Ctrl+Alt+M there gives this terminal the monitor)..." >&2
    exec build/kiln -m 256 -hda "${disks[0]}" -snapshot -boot c -display sdl \
        -serial stdio -no-reboot "$@"
fi
mapfile -t guest < <(bash scripts/guest/build-linux-guest.sh)
echo "Booting ${guest[0]} (Ctrl-A x to quit)..." >&2
exec build/kiln -m 256 -kernel "${guest[0]}" -initrd "${guest[1]}" \
    -append "console=ttyS0 quiet" -nographic -no-reboot "$@"
