#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Machine snapshots through the monitor and -loadvm:
#  1. FreeDOS with Kiln's BIOS is saved at its A:\> prompt; a new Kiln
#     process resumes the file with -loadvm, "ver" is typed with sendkey and
#     FreeCOM answers. Size and save/restore times are printed.
#  2. mb_monitor.asm: the registers read back in the new process equal the
#     saved ones and the kernel keeps echoing keys; a truncated file and a
#     foreign file are rejected by loadvm with the machine left as it was;
#     -loadvm of a truncated file or with another -m fails at start with a
#     clear message and status 2.
#  3. Disk writes: FreeDOS (-snapshot: writes stay in Kiln's memory) writes
#     a file to its floppy, is saved, and is resumed in a new process; there
#     the machine is reset, so a freshly booted DOS with empty buffers reads
#     the file from the floppy: only the restored write overlay can hold it.
#     The same file without -snapshot in the new process is refused.
# Usage: snapshot.sh KILN BIOS IMAGE_DIR KERNEL
set -uo pipefail
kiln=$1
bios=$2
image=$3/freedos-1440k.img
kernel=$4
for f in "$bios" "$image" "$kernel"; do
    [ -s "$f" ] || { echo "FAIL: missing $f"; exit 1; }
done
dir=$(mktemp -d /tmp/kiln-snap.XXXXXX)
pid=
trap 'exec 3>&- 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
. "$(dirname "$0")/monitor_lib.sh"
failed=0
fail() { echo "FAIL: $*"; failed=1; }
now_ms() { date +%s%3N; }

# quit_kiln: quit through the monitor and reap the process.
quit_kiln() {
    printf 'quit\n' >&3
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    wait "$pid" 2>/dev/null
    pid=
    exec 3>&-
    rm -f "$dir/in"
}

# 1. FreeDOS across processes.
dos=(-m 16 -bios "$bios" -fda "$image" -snapshot -boot a -display none)
mon_start "$kiln" "${dos[@]}"
wait_screen 'A:\>' 300 || { fail "FreeDOS never showed A:\\>"; exit 1; }
t0=$(now_ms)
cmd "savevm $dir/dos.snap"
t1=$(now_ms)
[ -z "$answer" ] || fail "savevm said: $answer"
quit_kiln
echo "FreeDOS (16 MiB): snapshot $(stat -c %s "$dir/dos.snap") bytes, savevm answered in $((t1 - t0)) ms"
mon_start "$kiln" "${dos[@]}" -loadvm "$dir/dos.snap"
wait_for "$dir/out" '(kiln) ' 20 || { fail "no monitor after -loadvm"; cat "$dir/err"; }
grep -qF 'A:\>' <<<"$(screen_text)" || fail "the restored screen lacks A:\\>"
for k in v e r ret; do cmd "sendkey $k"; done
wait_screen 'FreeCom version' 60 || { fail "restored FreeDOS did not answer ver"; screen_text; }
quit_kiln

# type_line TEXT: type TEXT and Enter with sendkey (lower case, digits,
# space, '-', '.', '\\', ':' and '>').
type_line() {
    local i c k
    for ((i = 0; i < ${#1}; i++)); do
        c=${1:i:1}
        case $c in
        [a-z0-9]) k=$c ;;
        ' ') k=spc ;;
        -) k=minus ;;
        .) k=dot ;;
        '\') k=backslash ;;
        :) k=shift-semicolon ;;
        '>') k=shift-dot ;;
        *) fail "type_line: no key for '$c'"; return ;;
        esac
        cmd "sendkey $k"
    done
    cmd "sendkey ret"
}

# 3. Disk writes across processes (before part 2 leaves files behind). The
# deterministic clock keeps the floppy's timing independent of host load.
disk=("${dos[@]}" -icount shift=3)
mon_start "$kiln" "${disk[@]}"
wait_screen 'A:\>' 300 || { fail "FreeDOS never showed A:\\>"; exit 1; }
type_line 'echo written-by-kiln >a:\kiln.txt'
type_line 'type a:\kiln.txt'
wait_screen 'written-by-kiln' 60 || { fail "FreeDOS did not write the file"; screen_text; }
sleep 3 # let the floppy motor stop: the file is on the disk, not in flight
cmd "savevm $dir/disk.snap"
[ -z "$answer" ] || fail "savevm said: $answer"
quit_kiln
mon_start "$kiln" "${disk[@]}" -loadvm "$dir/disk.snap"
wait_for "$dir/out" '(kiln) ' 20 || { fail "no monitor after -loadvm"; cat "$dir/err"; }
cmd system_reset
for ((i = 0; i < 60; i++)); do # the old screen goes when the BIOS starts again
    text=$(screen_text)
    grep -qF 'written-by-kiln' <<<"$text" || break
    sleep 1
done
wait_screen 'A:\>' 300 || { fail "FreeDOS did not boot again after the reset"; screen_text; }
type_line 'type a:\kiln.txt'
sleep 3
screen_text >"$dir/screen.txt"
[ "$(grep -c '^written-by-kiln *$' "$dir/screen.txt")" -ge 1 ] ||
    { fail "the rebooted DOS does not find the file written before savevm"; cat "$dir/screen.txt"; }
quit_kiln
cp "$image" "$dir/copy.img" # opened writable: never the shared image
out=$("$kiln" -m 16 -bios "$bios" -fda "$dir/copy.img" -boot a -display none \
    -loadvm "$dir/disk.snap" </dev/null 2>&1)
rc=$?
[ "$rc" -eq 2 ] && [[ $out == *"start with -snapshot"* ]] ||
    fail "-loadvm of disk writes without -snapshot: status $rc, '$out'"
echo "disk writes: the file written before savevm is read from the floppy after restore and reset"

# 2. A bare-metal kernel with 256 MiB of RAM.
mb=(-kernel "$kernel" -m 256 -display none)
mon_start "$kiln" "${mb[@]}" -debugcon "file:$dir/con1"
wait_for "$dir/con1" ready 60 || fail "the kernel never said ready"
cmd stop
cmd "info registers"
regs=$answer
# The restored kernel runs its echo loop before the test can stop it, which
# changes only EAX, EIP and the flags: the rest must match exactly.
steady() { printf '%s\n' "$1" | sed -e 's/^EAX=[0-9a-f]* //' -e 's/^EIP=.*HLT/HLT/'; }
t0=$(now_ms)
cmd "savevm $dir/mb.snap"
t1=$(now_ms)
[ -z "$answer" ] || fail "savevm said: $answer"
quit_kiln
size=$(stat -c %s "$dir/mb.snap")
echo "256 MiB machine: snapshot $size bytes ($((size * 100 / (256 << 20)))% of RAM), savevm answered in $((t1 - t0)) ms"
[ "$size" -lt $(((256 << 20) / 5)) ] || fail "snapshot is not under 20% of RAM"
t0=$(now_ms)
mon_start "$kiln" "${mb[@]}" -debugcon "file:$dir/con2" -loadvm "$dir/mb.snap"
wait_for "$dir/out" '(kiln) ' 20 || fail "no monitor after -loadvm"
t1=$(now_ms)
echo "-loadvm: monitor prompt $((t1 - t0)) ms after start"
cmd stop
cmd "info registers"
[ "$(steady "$answer")" = "$(steady "$regs")" ] ||
    fail "registers differ after -loadvm:"$'\n'"$regs"$'\n'"---"$'\n'"$answer"
cmd cont
cmd "sendkey a"
wait_for "$dir/con2" "1e 9e " 10 || fail "the restored kernel does not echo keys"

head -c 65536 "$dir/mb.snap" >"$dir/trunc.snap"
cmd stop
cmd "info registers"
regs=$answer
cmd "loadvm $dir/trunc.snap"
case $answer in *"trunc.snap is damaged or truncated"*) ;; *) fail "truncated file: '$answer'" ;; esac
cmd "loadvm $dir/out"
case $answer in *"is not a Kiln snapshot"*) ;; *) fail "foreign file: '$answer'" ;; esac
cmd "loadvm $dir/nonexistent.snap"
case $answer in *"cannot open"*) ;; *) fail "missing file: '$answer'" ;; esac
cmd "info registers"
[ "$answer" = "$regs" ] || fail "a rejected loadvm changed the machine"
cmd cont
cmd "sendkey b"
wait_for "$dir/con2" "30 b0 " 10 || fail "the kernel stopped echoing after rejected loads"
t0=$(now_ms)
cmd "loadvm $dir/mb.snap"
t1=$(now_ms)
[ -z "$answer" ] || fail "loadvm said: $answer"
echo "loadvm of 256 MiB answered in $((t1 - t0)) ms"
quit_kiln

out=$("$kiln" "${mb[@]}" -loadvm "$dir/trunc.snap" </dev/null 2>&1)
rc=$?
[ "$rc" -eq 2 ] && [[ $out == *"truncated"* ]] || fail "-loadvm truncated: status $rc, '$out'"
out=$("$kiln" -kernel "$kernel" -m 128 -display none -loadvm "$dir/mb.snap" </dev/null 2>&1)
rc=$?
[ "$rc" -eq 2 ] && [[ $out == *"use -m"* ]] || fail "-loadvm with other -m: status $rc, '$out'"
if [ "$failed" -ne 0 ]; then
    echo "--- stderr"; cat "$dir/err"
    exit 1
fi
echo "PASS: snapshots"
