#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Kiln's benchmark harness (issue 5, deliverable 9). In one invocation it
# boots the benchmark guest (bench/build-bench-guest.sh) under kiln -accel
# jit, kiln -accel interp and qemu-system-i386 -accel tcg (when installed),
# runs cpubench and osbench natively on the host, and prints the medians of
# boot-to-shell (spawn to BENCH-READY), cpubench and osbench times with the
# ratios Kiln-JIT/QEMU, Kiln-JIT/native and Kiln-JIT/Kiln-interp. Times are
# wall-clock, taken on the host from the serial markers. Runs of the engines
# are interleaved (jit, qemu, native, interp; then again) so a change in
# machine load spreads over all of them.
# Usage: bench/run.sh [--runs N] [--interp-runs M] [--no-interp] [--no-qemu]
#                     [--kiln PATH] [--cache DIR] [--timeout SECONDS]
#   --runs N         runs per engine (default 3)
#   --interp-runs M  runs of the slow interpreter (default N)
#   --kiln PATH      the kiln binary (default $KILN, else build/kiln)
#   --cache DIR      guest cache (default ${KILN_CACHE:-$HOME/.cache/kiln})
# Exit status 1 when any engine's checksum differs from the native run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
runs=3
interp_runs=
use_interp=1
use_qemu=1
kiln=${KILN:-$here/../build/kiln}
cache=${KILN_CACHE:-$HOME/.cache/kiln}
timeout=3600
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --interp-runs) interp_runs=$2; shift 2 ;;
        --no-interp) use_interp=0; shift ;;
        --no-qemu) use_qemu=0; shift ;;
        --kiln) kiln=$2; shift 2 ;;
        --cache) cache=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        -h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
interp_runs=${interp_runs:-$runs}
[ "$use_interp" = 1 ] || interp_runs=0

if [ ! -x "$kiln" ]; then
    echo "run.sh: no kiln binary at $kiln; build it (cmake -S . -B build" \
         "-DCMAKE_BUILD_TYPE=Release && cmake --build build) or pass --kiln" >&2
    exit 2
fi
qemu=
if [ "$use_qemu" = 1 ]; then
    if command -v qemu-system-i386 >/dev/null; then
        qemu=$(command -v qemu-system-i386)
    else
        echo "note: qemu-system-i386 is not installed; QEMU runs skipped"
    fi
fi

paths=$("$here/build-bench-guest.sh" "$cache")
vmlinuz=$(echo "$paths" | sed -n 1p)
initrd=$(echo "$paths" | sed -n 2p)
hostbin=$(echo "$paths" | sed -n 3p)
kernel_pkg=$(cat "$(dirname "$vmlinuz")/kernel-package" 2>/dev/null || echo unknown)

outdir=$(mktemp -d "${TMPDIR:-/tmp}/kiln-bench.XXXXXX")
export BENCH_OUT="$outdir/results.jsonl"
: > "$BENCH_OUT"
started=$(date +%s)

echo "== Kiln benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
     "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "host:    $(uname -sr)"
echo "kiln:    $kiln, built $(date -u -r "$kiln" '+%Y-%m-%d %H:%M UTC'); bench/ at $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')"
[ -z "$qemu" ] || echo "qemu:    $("$qemu" --version | head -n 1)"
echo "guest:   $kernel_pkg, $(basename "$initrd") from $(dirname "$initrd")"
echo "runs:    $runs (interpreter: $interp_runs); logs in $outdir"
echo

guest_args=(-m 256 -kernel "$vmlinuz" -initrd "$initrd"
            -append "console=ttyS0 kiln.bench=1" -nographic -no-reboot)
boot() {  # boot ENGINE RUN CMD...: one timed guest run
    local engine=$1 run=$2
    shift 2
    python3 "$here/serial_timer.py" boot "$engine" "$run" "$timeout" \
        "$outdir/$engine-$run.log" -- "$@"
}
for ((i = 1; i <= runs || i <= interp_runs; i++)); do
    # The slow interpreter goes last, so an interrupted harness has already
    # recorded this round of the others in $BENCH_OUT.
    if ((i <= runs)); then
        boot kiln-jit "$i" "$kiln" -accel jit "${guest_args[@]}"
        [ -z "$qemu" ] || boot qemu-tcg "$i" "$qemu" -accel tcg "${guest_args[@]}"
        python3 "$here/serial_timer.py" native native "$i" \
            "$hostbin/nop" "$hostbin/cpubench" "$hostbin/osbench"
    fi
    ((i > interp_runs)) || boot kiln-interp "$i" "$kiln" -accel interp "${guest_args[@]}"
done

echo
status=0
python3 "$here/serial_timer.py" summary "$BENCH_OUT" || status=$?
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg);" \
     "harness took $(( $(date +%s) - started )) s"
exit $status
