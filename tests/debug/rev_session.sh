#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Reverse execution through gdb (rev_step.gdb on rev_guest.asm): the gdb
# session's CHECK lines must equal rev_step.expect (gdb_session.sh), and
# every state the script prints going backwards ("=== Rk": all registers,
# x87 and control registers included, and the guest's two counters) must
# equal the state it printed at the same point going forwards ("=== Fk").
# Usage: rev_session.sh record KILN GUEST [kiln args...]
#        rev_session.sh replay KILN GUEST [kiln args...]
#   record: gdb drives a -record run with bytes waiting on its serial
#   port (logged as input); the session ends back at the first
#   instruction, so the record must end there, without the input logged
#   later in the abandoned run, and replay as such. replay: a -record run
#   of the guest without gdb is cut short by SIGTERM, then gdb drives its
#   -replay (with the kiln args, e.g. the other engine).
set -uo pipefail
mode=$1
kiln=$2
guest=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$mode" = replay ]; then
    "$kiln" -kernel "$guest" -display none -record "$tmp/run.rec" </dev/null 2>"$tmp/rec.err" &
    pid=$!
    sleep 1
    kill -TERM "$pid"
    wait "$pid"
    rc=$?
    # A signal ends the run with 128 + the signal, the record complete.
    if [ "$rc" -ne 143 ] || ! grep -q "kiln: record:" "$tmp/rec.err"; then
        cat "$tmp/rec.err"
        echo "FAIL: the record did not end cleanly (status $rc)" >&2
        exit 1
    fi
    rr=(-replay "$tmp/run.rec")
else
    printf 'typed\n' >"$tmp/typed"
    export KILN_STDIN=$tmp/typed
    rr=(-record "$tmp/run.rec" -serial stdio)
fi
"$here/gdb_session.sh" "$here/rev_step.gdb" "$here/rev_step.expect" "$kiln" -kernel "$guest" \
    -display none "${rr[@]}" "$@" >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
[ $rc -eq 0 ] || exit 1
# Each state: the lines after "=== NAME" through the guest's counters (x/2wx).
awk -v dir="$tmp" '/^=== /{f=$2; next}
                   f {print > (dir "/st_" f)}
                   /^0x100100:/{f=""}' "$tmp/out"
for k in 0 1 2 3 4 5 6 7 8 9; do
    f=$tmp/st_F$k r=$tmp/st_R$k
    if [ ! -s "$f" ] || [ ! -s "$r" ] || [ "$(grep -c '^e[a-d]x ' "$f")" -ne 4 ]; then
        echo "FAIL: state $k missing from the gdb session" >&2
        exit 1
    fi
    if ! diff -u "$f" "$r" >&2; then
        echo "FAIL: going back to step $k gave another state than going forwards (diff above)" >&2
        exit 1
    fi
done
if [ "$mode" = record ]; then
    "$kiln" -kernel "$guest" -display none -serial stdio -replay "$tmp/run.rec" </dev/null \
        >/dev/null 2>"$tmp/replay.err"
    rc=$?
    cat "$tmp/replay.err"
    if [ $rc -ne 0 ] || ! grep -q "^kiln: replay: 0 instructions, 0 steps (recorded: 0 instructions, 0 steps)" "$tmp/replay.err"; then
        echo "FAIL: the record that ended back at the start does not replay as such" >&2
        exit 1
    fi
fi
echo "PASS: ten reverse steps gave the forward states, register for register"
