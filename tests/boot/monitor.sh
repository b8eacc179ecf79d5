#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The monitor over a pipe (-monitor stdio) against mb_monitor.asm, a kernel
# whose registers, memory, page tables, PIC and keyboard-controller set-up
# the test knows from its source: info registers/mem/tlb/pic/pci, x and xp
# (expected words computed here from the kernel's fill formula), stop/cont
# (keys sent while stopped are not seen until cont), sendkey (set 1 codes:
# A = 1E/9E, LShift = 2A/AA), screendump, bad commands, system_reset (the
# kernel says "ready" again) and quit (exit status 0).
# Usage: monitor.sh KILN KERNEL
set -uo pipefail
kiln=$1
kernel=$2
[ -s "$kernel" ] || { echo "FAIL: no kernel at $kernel"; exit 1; }
dir=$(mktemp -d /tmp/kiln-monitor.XXXXXX)
trap 'exec 3>&- 2>/dev/null; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
. "$(dirname "$0")/monitor_lib.sh"
mon_start "$kiln" -kernel "$kernel" -m 16 -display none -debugcon "file:$dir/con"
failed=0
fail() { echo "FAIL: $*"; failed=1; }

expect() { # expect TEXT: the last answer contains TEXT
    grep -qF -- "$1" <<<"$answer" || fail "answer lacks '$1':"$'\n'"$answer"
}

wait_for "$dir/con" ready 60 || { fail "the kernel never said ready"; cat "$dir/err"; exit 1; }
wait_for "$dir/out" '(kiln) ' 10 || fail "no monitor prompt"

# The kernel's fill: byte i of 200000h is (i * 7 + 3) & FFh; words are little-endian.
word_at() {
    local i=$1 b0 b1 b2 b3
    b0=$(((i * 7 + 3) & 255)); b1=$((((i + 1) * 7 + 3) & 255))
    b2=$((((i + 2) * 7 + 3) & 255)); b3=$((((i + 3) * 7 + 3) & 255))
    printf '0x%02x%02x%02x%02x' $b3 $b2 $b1 $b0
}
words="$(word_at 0) $(word_at 4) $(word_at 8) $(word_at 12)"

cmd stop
cmd "info registers"
regs1=$answer
expect "EBX=9abcdef0 ECX=0badf00d EDX=feedface"
expect "ESI=11111111 EDI=22222222 EBP=33333333"
expect "EIP=001004"
expect "CR3=00180000 CR4=00000010"
expect "CS =0010 00000000 ffffffff"
grep -qE 'CR0=[89a-f][0-9a-f]{6}[13579bdf] ' <<<"$answer" || fail "CR0 lacks PG and PE: $answer"
sleep 0.3
cmd "info registers"
[ "$answer" = "$regs1" ] || fail "registers moved while stopped"

cmd "xp /4xw 0x200000"
expect "00200000: $words"
cmd "x /4xw 0x40000000"
expect "40000000: $words"
cmd "x /3xb 0x40001005"
expect "$(printf '40001005: 0x%02x 0x%02x 0x%02x' $(((0x1005 * 7 + 3) & 255)) \
    $(((0x1006 * 7 + 3) & 255)) $(((0x1007 * 7 + 3) & 255)))"
cmd "xp /2dh 0x200000"
expect "00200000: $(((0x0a << 8) | 3)) $(((0x18 << 8) | 0x11))"
# The echo loop at 100400h (mb_monitor.asm), as Intel syntax spells it.
cmd "x /3i 0x100400"
expect "0x00100400:  in al, 0x64"
expect "0x00100402:  test al, 1"
expect "0x00100404:  je 0x100400"
cmd "x /1xw 0x50000000"
expect "x: cannot access memory at 50000003"
cmd "info mem"
expect "00000000-00400000 00400000 -rw"
expect "40000000-40001000 00001000 ur-"
expect "40001000-40002000 00001000 -rw"
cmd "info tlb"
expect "00000000: 00000000 --P"
expect "40000000: 00200000 "
expect "40001000: 00201000 "
grep -qE '^40000000: 00200000 .{7}U-' <<<"$answer" || fail "40000000 not user read-only"
cmd "info pic"
expect "pic0: irr=00 imr=b8"
expect "irq_base=20"
expect "pic1: irr=00 imr=8f"
expect "irq_base=28"
cmd "info pci"
expect "Host bridge: PCI device 8086:1237"
expect "ISA bridge: PCI device 8086:7000"
expect "IDE controller: PCI device 8086:7010"
expect "VGA controller: PCI device 1234:1111"

# Keys sent while stopped wait in the keyboard until cont.
cmd "sendkey a"
sleep 0.5
grep -qF "1e" "$dir/con" && fail "the guest ran while stopped"
cmd cont
wait_for "$dir/con" "1e 9e " 10 || fail "sendkey a: console has '$(cat "$dir/con")'"
cmd "sendkey shift-a"
wait_for "$dir/con" "1e 9e 2a 1e 9e aa " 10 || fail "sendkey shift-a: '$(cat "$dir/con")'"

cmd "screendump $dir/shot.png"
[ -z "$answer" ] || fail "screendump said: $answer"
head -c 8 "$dir/shot.png" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a" ||
    fail "screendump did not write a PNG"
cmd "screendump /nonexistent-dir/x.png"
expect "screendump: cannot write /nonexistent-dir/x.png"

# Bad input: one line of error each, and the monitor still answers.
cmd "frobnicate"
expect "unknown command: 'frobnicate'"
cmd "x /4zw 0"
expect "invalid format"
cmd "xp /4xw"
expect "usage: xp"
cmd "xp /4xw 0x1ffffffff"
expect "invalid address"
cmd "sendkey ctrl-nokey"
expect "unknown key 'nokey'"
cmd "info bogus"
expect "unknown subcommand 'bogus'"
cmd "$(printf 'x%.0s' {1..1500})"
expect "command line too long"
cmd "help"
expect "screendump filename"
cmd "info pic"
expect "pic0:"

cmd system_reset
wait_for "$dir/con" "aa ready" 60 || fail "no second ready after system_reset: '$(cat "$dir/con")'"
printf 'quit\n' >&3
for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "quit gave exit status $rc"
if [ "$failed" -ne 0 ]; then
    echo "--- monitor output"; cat "$dir/out"; echo "--- stderr"; cat "$dir/err"
    exit 1
fi
echo "PASS: monitor"
