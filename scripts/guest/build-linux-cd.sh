#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build an El Torito CD image for the default Linux guest
# (build-linux-guest.sh) with GRUB 2 from Debian packages (grub-pc-bin,
# grub-common, xorriso, mtools: grub-mkrescue's BIOS no-emulation boot
# image), into a cache outside the source tree. GRUB talks on COM1 as well
# as the screen, waits one second and boots vmlinuz + initramfs.gz with
# console=ttyS0.
# Usage: build-linux-cd.sh [CACHE_DIR]   (default ${KILN_CACHE:-$HOME/.cache/kiln})
# Prints the path of linux-grub.iso on success.
set -euo pipefail

base=${1:-${KILN_CACHE:-$HOME/.cache/kiln}}
cache=$base/linux-cd
here=$(cd "$(dirname "$0")" && pwd)
if [ -s "$cache/linux-grub.iso" ]; then
    echo "$cache/linux-grub.iso"
    exit 0
fi

mapfile -t guest < <(bash "$here/build-linux-guest.sh" "$base")
if [ ${#guest[@]} -ne 2 ]; then
    echo "error: the default guest could not be built" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
pkgs="grub-pc-bin grub-common xorriso mtools"
if ! command -v grub-mkrescue >/dev/null || [ ! -d /usr/lib/grub/i386-pc ] ||
   ! command -v xorriso >/dev/null || ! command -v mformat >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: grub-mkrescue needs $pkgs installed (root)" >&2
        exit 2
    fi
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $pkgs >/dev/null ||
        { apt-get update -qq || true; apt-get install -y -qq --no-install-recommends $pkgs >/dev/null; }
fi

mkdir -p "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/iso/boot/grub"
cp "${guest[0]}" "$work/iso/vmlinuz"
cp "${guest[1]}" "$work/iso/initramfs.gz"
cat > "$work/iso/boot/grub/grub.cfg" <<'CFG'
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=1
menuentry 'Kiln default guest' {
    echo 'kiln-grub: loading the Debian kernel'
    linux /vmlinuz console=ttyS0
    initrd /initramfs.gz
}
CFG
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$work/linux-grub.iso" "$work/iso" 2>"$work/log" || {
    cat "$work/log" >&2
    echo "error: grub-mkrescue failed" >&2
    exit 1
}
mv "$work/linux-grub.iso" "$cache/linux-grub.iso"
echo "$cache/linux-grub.iso"
