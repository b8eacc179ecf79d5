#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Golden IR dumps: run ir_golden.bin with -d ir on the translator and compare
# the log with tests/expect/ir_golden.txt (reviewed by hand when the
# translator's output is meant to change; regenerate with --update).
# Usage: golden_ir.sh KILN KERNEL EXPECTED [--update]
set -uo pipefail
kiln=$1 kernel=$2 expected=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$kiln" -accel jit -kernel "$kernel" -display none -m 16 \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -d ir -D "$out"
status=$?
if [ "$status" -ne 1 ]; then
    echo "FAIL: the kernel exited with status $status, not 1 (its own check failed)"
    exit 1
fi
if [ "${4:-}" = "--update" ]; then
    cp "$out" "$expected"
    echo "updated $expected"
    exit 0
fi
if ! diff -u "$expected" "$out"; then
    echo "FAIL: the IR differs from $expected"
    exit 1
fi
echo "PASS: $(grep -c '^IR after' "$out") blocks match $expected"
