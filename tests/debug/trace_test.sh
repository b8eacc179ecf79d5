#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The -d traces on trace_guest.asm: instructions with disassembly, the
# exceptions and software interrupt with vectors and error code, paging,
# port I/O, register dumps, and the -dlimit/-dstart/-dstop/-dfilter cuts.
# Expected lines come from the guest's source (its fixed addresses).
# Usage: trace_test.sh KILN TRACE_GUEST.bin
kiln=$1
guest=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
run() { # run NAME [kiln options]: the trace goes to $tmp/NAME
    local name=$1
    shift
    timeout 60 "$kiln" -kernel "$guest" -display none -icount shift=3 \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 -D "$tmp/$name" "$@" </dev/null \
        >"$tmp/$name.out" 2>&1
    local rc=$?
    if [ "$rc" -ne 1 ]; then # the guest's exit: (0 << 1) | 1
        echo "FAIL: $name: kiln exited with status $rc"
        cat "$tmp/$name.out"
        failed=1
    fi
}
has() { # has NAME REGEX: a line of trace NAME matches
    if ! grep -qE -- "$2" "$tmp/$1"; then
        echo "FAIL: $1: no line matches '$2'"
        failed=1
    fi
}
count() { # count NAME REGEX N
    local n
    n=$(grep -cE -- "$2" "$tmp/$1")
    if [ "$n" -ne "$3" ]; then
        echo "FAIL: $1: $n lines match '$2', expected $3"
        failed=1
    fi
}
insn='^[0-9]+ 0010:' # an exec line: icount CS:EIP

run all -d exec,int,cpu,mmu,io
has all "^[0-9]+ 0010:00100040 \[00100040\] 0f0b +ud2$"
has all "^[0-9]+ 0010:00100044 \[00100044\] 01d8 +add eax, ebx$"
has all "^INT: exception 6 at 0010:00100040 -> 0010:001000e0$"
has all "^INT: software interrupt 0x30 at 0010:00100042 -> 0010:001000e5$"
has all "^INT: exception 14 error 0002 cr2 00800000 at 0010:001000a0 -> 0010:001000e6$"
has all "^MMU: cr3 00000000 -> 00101000$"
has all "^MMU: cr0 [0-9a-f]{8} -> [0-9a-f]{8} \(paging on\)$"
has all "^MMU: [0-9]+ page walks? by 0010:001000a0"
has all "^IO: out port 00e9 size 1 <- 4b$"
has all "^IO: out port 00f4 size 1 <- 00$"
has all "^EAX=33333333 EBX=22222222 "
count all "${insn}001000af " 3

# in_asm is the tracer's on the interpreter, and with per-instruction
# items under the translator (alone, it is the translator's block log).
for opts in "-d in_asm -accel interp" "-d in_asm,int -accel jit"; do
    # shellcheck disable=SC2086
    run in_asm $opts
    count in_asm "^IN: 0010:001000af \[001000af\] 49 +dec ecx$" 1
    count in_asm "^[0-9]+ 0010:" 0
done

# Port I/O alone needs no per-instruction path: the translator runs the
# guest and its port accesses still reach the trace.
for engine in jit interp; do
    run "io-$engine" -d io -accel "$engine"
    has "io-$engine" "^IO: out port 00e9 size 1 <- 4b$"
    count "io-$engine" "^IO: " 2
done

run limit -d exec -dlimit 5
count limit "$insn" 5
has limit "^---- trace limit of 5 instructions reached"
has limit "^[0-9]+ 0010:00100020 "

run range -d exec -dstart 0x1000a0 -dstop 0x1000b2
count range "$insn" 11
if ! head -1 "$tmp/range" | grep -qE "^[0-9]+ 0010:001000a0 "; then
    echo "FAIL: range: the trace does not start at 1000a0"
    failed=1
fi
has range "^---- trace stopped at 001000b2 \(-dstop\)$"

run filter -d exec -dfilter 0x1000af..0x1000b0
count filter "$insn" 6

# Bad trace options: one clear line, exit status 2.
for bad in "-d bogus" "-d exec -dfilter 5..1" "-d exec -dlimit 0" "-dstart 0x10" "-d exec -dstart x"; do
    # shellcheck disable=SC2086
    out=$("$kiln" -kernel "$guest" -display none $bad 2>&1 </dev/null)
    rc=$?
    if [ "$rc" -ne 2 ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ]; then
        echo "FAIL: '$bad' gave status $rc and: $out"
        failed=1
    fi
done

[ "$failed" -eq 0 ] && echo "PASS"
exit "$failed"
