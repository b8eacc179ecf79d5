#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a command and require its exit status and a string in its output.
# Usage: expect_exit.sh STATUS TEXT COMMAND [ARGS...]
want=$1
text=$2
shift 2
out=$("$@" </dev/null 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne "$want" ]; then
    echo "FAIL: exit status $rc, expected $want" >&2
    exit 1
fi
if ! printf '%s' "$out" | grep -qF -- "$text"; then
    echo "FAIL: output lacks '$text'" >&2
    exit 1
fi
echo "PASS"
