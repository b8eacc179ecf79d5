#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the benchmark guest: the default guest's initramfs (from
# scripts/guest/build-linux-guest.sh) plus /bench/{cpubench,osbench,nop}
# compiled here as static 32-bit programs, and an /init that behaves like
# the default one unless the kernel command line carries kiln.bench=1; then
# it prints BENCH-READY, runs each benchmark between BENCH-*-START/END
# markers on the serial console and resets the machine (reboot -f, so run
# the emulator with -no-reboot). Installs gcc-multilib when it is missing.
# Usage: build-bench-guest.sh [CACHE_DIR]   (default ${KILN_CACHE:-$HOME/.cache/kiln})
# Prints the paths of vmlinuz, the bench initramfs and the host-native
# build directory (cpubench, osbench, nop) on success.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${1:-${KILN_CACHE:-$HOME/.cache/kiln}}
guest=$("$here/../scripts/guest/build-linux-guest.sh" "$cache_root")
vmlinuz=$(echo "$guest" | sed -n 1p)
base_initrd=$(echo "$guest" | sed -n 2p)
out="$cache_root/bench-guest"
mkdir -p "$out"

# The i386 multilib C library is all gcc -m32 -static needs.
if ! echo 'int main(void){return 0;}' |
        gcc -m32 -static -x c -o /dev/null - 2>/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: gcc -m32 -static fails; install gcc-multilib (needs root)" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends gcc-multilib libc6-dev-i386 >/dev/null ||
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
            gcc-multilib libc6-dev-i386 >/dev/null; }
fi

# Rebuild whenever a source, this script or the base initramfs is newer.
stamp="$out/initramfs.gz"
if [ -s "$stamp" ] && [ -z "$(find "$here/guest" "$0" "$base_initrd" -newer "$stamp" 2>/dev/null)" ]; then
    echo "$vmlinuz"
    echo "$stamp"
    echo "$out/bin"
    exit 0
fi

mkdir -p "$out/bin"
gcc -m32 -static -O2 -mfpmath=387 -Wall -Wextra -o "$out/bin/cpubench" "$here/guest/cpubench.c" -lm
gcc -m32 -static -O2 -Wall -Wextra -o "$out/bin/osbench" "$here/guest/osbench.c"
gcc -m32 -static -nostdlib -O2 -Wall -Wextra -o "$out/bin/nop" "$here/guest/nop.c"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root"
(cd "$root" && gzip -dc "$base_initrd" | cpio -idm --quiet)
mkdir -p "$root/bench"
cp "$out/bin/cpubench" "$out/bin/osbench" "$out/bin/nop" "$root/bench/"

# The default /init, with the benchmark run spliced in before the shell.
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
if grep -qw 'kiln.bench=1' /proc/cmdline; then
    echo "BENCH-READY"
    echo "BENCH-CPU-START"
    /bench/cpubench
    echo "BENCH-CPU-END"
    echo "BENCH-OS-START"
    /bench/osbench /bench/nop
    echo "BENCH-OS-END"
    echo "BENCH-DONE"
    # reboot -f does not wait for the serial port to drain its buffer: give
    # the last lines time to reach the host, which stops us anyway.
    sleep 2
    reboot -f
fi
echo "KILN-GUEST-READY"
echo "Kiln default guest: busybox $(busybox | head -n 1 | cut -d' ' -f2) on Linux $(uname -r)"
exec setsid cttyhack sh -l
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$out/initramfs.gz.tmp"
mv "$out/initramfs.gz.tmp" "$out/initramfs.gz"
echo "$vmlinuz"
echo "$out/initramfs.gz"
echo "$out/bin"
