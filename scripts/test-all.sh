#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build Kiln and run the whole test suite, on a fresh Debian machine as root:
#  1. install missing Debian packages with apt-get;
#  2. configure and build build/ with -Werror, run every ctest label;
#  3. build build-asan/ with AddressSanitizer + UBSan, run every label but boot
#     (unit, vectors, asm, system, diff).
# Usage: bash scripts/test-all.sh   (environment: JOBS=N to override parallelism)
set -euo pipefail

cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc)}
packages=(cmake gcc make pkg-config libcapstone-dev libsdl2-dev zlib1g-dev check nasm mtools
          cpio tmux seabios xvfb xdotool gdb python3)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: missing packages (${missing[*]}) and not root; install them or run as root" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

start=$(date +%s)
echo "== build (Werror)"
cmake -S . -B build -DKILN_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
echo "== test: all labels"
(cd build && ctest --output-on-failure -j"$jobs")

echo "== build (AddressSanitizer + UndefinedBehaviorSanitizer)"
cmake -S . -B build-asan -DKILN_WERROR=ON -DKILN_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-asan -j"$jobs"
echo "== test under sanitizers: unit, vectors, asm, system, diff"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j"$jobs" -L 'unit|vectors|asm|system|diff')

echo "== all tests passed in $(( $(date +%s) - start )) s"
