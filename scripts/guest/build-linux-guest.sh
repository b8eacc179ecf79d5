#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build Kiln's default guest from Debian packages into a cache outside the
# source tree: the Debian i386 kernel (linux-image-*-686) and an initramfs
# with busybox-static:i386 whose /init mounts the usual file systems, prints
# a marker and starts a shell on the serial console.
# Usage: build-linux-guest.sh [CACHE_DIR]   (default ${KILN_CACHE:-$HOME/.cache/kiln})
# Prints the paths of vmlinuz and initramfs.gz on success. Needs root the
# first time (dpkg --add-architecture i386, apt-get).
set -euo pipefail

cache=${1:-${KILN_CACHE:-$HOME/.cache/kiln}}/linux-guest
mkdir -p "$cache"
if [ -s "$cache/vmlinuz" ] && [ -s "$cache/initramfs.gz" ]; then
    echo "$cache/vmlinuz"
    echo "$cache/initramfs.gz"
    exit 0
fi

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: building the guest needs root once (apt-get); run as root" >&2
        exit 2
    fi
}

export DEBIAN_FRONTEND=noninteractive
for tool in cpio gzip dpkg-deb; do
    if ! command -v "$tool" >/dev/null; then
        need_root
        apt-get install -y -qq --no-install-recommends cpio gzip >/dev/null
    fi
done
if ! dpkg --print-foreign-architectures | grep -qx i386; then
    need_root
    dpkg --add-architecture i386
fi
if ! apt-cache policy busybox-static:i386 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    need_root
    apt-get update -qq || true
fi

kernel_pkg=$(apt-cache search --names-only '^linux-image-[0-9.]+-[0-9]+-686$' |
    awk '{print $1}' | sort -V | tail -n 1)
if [ -z "$kernel_pkg" ]; then
    echo "error: no linux-image-*-686 package found in the Debian archive" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q "$kernel_pkg:i386" busybox-static:i386 >/dev/null)
dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
dpkg-deb -x "$work"/busybox-static_*.deb "$work/bb"
cp "$work"/kernel/boot/vmlinuz-* "$cache/vmlinuz.tmp"

root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root}
cp "$work/bb/bin/busybox" "$root/bin/busybox"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "KILN-GUEST-READY"
echo "Kiln default guest: busybox $(busybox | head -n 1 | cut -d' ' -f2) on Linux $(uname -r)"
exec setsid cttyhack sh -l
INIT
chmod +x "$root/init"
echo 'export PS1="kiln# "' > "$root/etc/profile"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$cache/initramfs.gz.tmp"
mv "$cache/vmlinuz.tmp" "$cache/vmlinuz"
mv "$cache/initramfs.gz.tmp" "$cache/initramfs.gz"
echo "$kernel_pkg" > "$cache/kernel-package"
echo "$cache/vmlinuz"
echo "$cache/initramfs.gz"
