#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build Kiln's default guest from Debian packages into a cache outside the
# source tree: the Debian i386 kernel (linux-image-*-686) and an initramfs
# with busybox-static:i386 whose /init mounts the usual file systems, prints
# a marker and starts a shell on the console; when the console is a serial
# port, a second shell runs on the VGA console (tty1), for the window.
# Usage: build-linux-guest.sh [CACHE_DIR]   (default ${KILN_CACHE:-$HOME/.cache/kiln})
# Prints the paths of vmlinuz and initramfs.gz on success. Needs root the
# first time (dpkg --add-architecture i386, apt-get). A cache whose
# initramfs is older than INIT_VERSION gets a new initramfs (the kernel stays).
set -euo pipefail

# Bump when /init or /etc/profile below change.
INIT_VERSION=2

cache=${1:-${KILN_CACHE:-$HOME/.cache/kiln}}/linux-guest
mkdir -p "$cache"
if [ -s "$cache/vmlinuz" ] && [ -s "$cache/initramfs.gz" ] &&
    [ "$(cat "$cache/init-version" 2>/dev/null)" = "$INIT_VERSION" ]; then
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
(cd "$work" && apt-get download -q busybox-static:i386 >/dev/null)
dpkg-deb -x "$work"/busybox-static_*.deb "$work/bb"
if ! [ -s "$cache/vmlinuz" ]; then
    (cd "$work" && apt-get download -q "$kernel_pkg:i386" >/dev/null)
    dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"
    cp "$work"/kernel/boot/vmlinuz-* "$cache/vmlinuz.tmp"
    mv "$cache/vmlinuz.tmp" "$cache/vmlinuz"
    echo "$kernel_pkg" > "$cache/kernel-package"
fi

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
# The last console named on the command line is /dev/console. When that is
# a serial port, the screen (tty1) gets a shell of its own too.
con=$(cat /sys/class/tty/console/active 2>/dev/null)
case ${con##* } in
ttyS*) [ -c /dev/tty1 ] && setsid sh -c 'exec sh -l <>/dev/tty1 >&0 2>&0' & ;;
esac
exec setsid cttyhack sh -l
INIT
chmod +x "$root/init"
echo 'export PS1="kiln# "' > "$root/etc/profile"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$cache/initramfs.gz.tmp"
mv "$cache/initramfs.gz.tmp" "$cache/initramfs.gz"
echo "$INIT_VERSION" > "$cache/init-version"
echo "$cache/vmlinuz"
echo "$cache/initramfs.gz"
