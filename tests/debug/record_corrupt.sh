#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -replay refuses files it cannot replay exactly, with one clear line and
# exit status 2, before the guest runs: truncated files (in the header,
# mid-event, without the end record), flipped bits (header, event data,
# end record), a file that is not a record, a newer version, and a record
# of another kernel or machine. A sound record of the same run is accepted
# and replays to the recorded end.
# Usage: record_corrupt.sh KILN GUEST OTHER_GUEST
set -uo pipefail
kiln=$1
guest=$2
other=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# A short record: the guest runs 0.5 s, then SIGTERM ends it (a clean end).
"$kiln" -kernel "$guest" -display none -record "$tmp/good.rec" </dev/null 2>"$tmp/rec.err" &
pid=$!
sleep 0.5
kill -TERM "$pid"
wait "$pid"
if ! grep -q "kiln: record:" "$tmp/rec.err"; then
    cat "$tmp/rec.err"
    echo "FAIL: no record written" >&2
    exit 1
fi
size=$(stat -c %s "$tmp/good.rec")

# refused NAME MESSAGE-REGEX FILE [kiln args...]: replay must exit 2 at once
# with a message matching the regex.
refused() {
    local name=$1 want=$2 file=$3
    shift 3
    timeout 20 "$kiln" -kernel "$guest" -display none -replay "$file" "$@" </dev/null \
        >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ $rc -ne 2 ] || ! grep -qE "^kiln: .*$want" "$tmp/err"; then
        echo "FAIL: $name: status $rc, message: $(cat "$tmp/err")" >&2
        fail=1
    else
        echo "ok: $name: $(cat "$tmp/err")"
    fi
}

# flip FILE OFFSET: invert one byte.
flip() {
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $((b ^ 0xff)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

head -c 20 "$tmp/good.rec" >"$tmp/t1.rec"
refused "truncated header" "truncated \(in its header\)" "$tmp/t1.rec"
head -c $((size - 8)) "$tmp/good.rec" >"$tmp/t2.rec"
refused "truncated event" "truncated \(a partial event" "$tmp/t2.rec"
head -c $((size - 32)) "$tmp/good.rec" >"$tmp/t3.rec"
refused "no end record" "truncated: it has no end record" "$tmp/t3.rec"
cp "$tmp/good.rec" "$tmp/c1.rec"
flip "$tmp/c1.rec" 30
refused "header bit flip" "damaged header" "$tmp/c1.rec"
cp "$tmp/good.rec" "$tmp/c2.rec"
flip "$tmp/c2.rec" $((size - 10))
refused "end record bit flip" "damaged \(event checksum mismatch\)" "$tmp/c2.rec"
cp "$tmp/good.rec" "$tmp/c3.rec"
flip "$tmp/c3.rec" $((size - 28))
refused "end checksum bit flip" "damaged \(event checksum mismatch\)" "$tmp/c3.rec"
printf 'KILNSNAP this is something else entirely' >"$tmp/f1.rec"
refused "foreign file" "not a Kiln record file" "$tmp/f1.rec"
: >"$tmp/f2.rec"
refused "empty file" "not a Kiln record file" "$tmp/f2.rec"
cp "$tmp/good.rec" "$tmp/v.rec"
printf '\x07' | dd of="$tmp/v.rec" bs=1 seek=8 conv=notrunc status=none
refused "other version" "version 7 record; this Kiln reads version 1" "$tmp/v.rec"
refused "missing file" "cannot open" "$tmp/none.rec"
# Sound file, other machine: the kernel image, RAM size, CPU, clock rate.
timeout 20 "$kiln" -kernel "$other" -display none -replay "$tmp/good.rec" </dev/null >"$tmp/out" 2>"$tmp/err"
if [ $? -ne 2 ] || ! grep -q "its kernel is not this one" "$tmp/err"; then
    echo "FAIL: another kernel: $(cat "$tmp/err")" >&2
    fail=1
else
    echo "ok: another kernel: $(cat "$tmp/err")"
fi
refused "other RAM size" "recorded with -m 128, this run has -m 64" "$tmp/good.rec" -m 64
refused "other CPU" "recorded on a .* CPU, this run has 486" "$tmp/good.rec" -cpu 486
refused "other clock rate" "recorded with -icount shift=3, this run has shift=5" "$tmp/good.rec" -icount shift=5
refused "record and replay" "exclude each other" "$tmp/good.rec" -record "$tmp/x.rec"

# The sound record replays to its end.
timeout 60 "$kiln" -kernel "$guest" -display none -replay "$tmp/good.rec" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
rec=$(sed -n 's/^kiln: record: \([0-9]*\) instructions.*/\1/p' "$tmp/rec.err")
rep=$(sed -n 's/^kiln: replay: \([0-9]*\) instructions.*/\1/p' "$tmp/err")
if [ $rc -ne 0 ] || [ -z "$rec" ] || [ "$rec" != "$rep" ]; then
    echo "FAIL: the sound record: status $rc, recorded $rec, replayed $rep instructions" >&2
    cat "$tmp/err" >&2
    fail=1
else
    echo "ok: the sound record replays: $rep instructions"
fi
[ $fail -eq 0 ] && echo "PASS"
exit $fail
