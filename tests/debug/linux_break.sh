#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gdb breaks in the Debian i386 kernel by address (linux_break.gdb); the
# guest comes from scripts/guest/build-linux-guest.sh, as in the boot test.
# Usage: linux_break.sh KILN
here=$(cd "$(dirname "$0")" && pwd)
if ! mapfile -t guest < <(bash "$here/../../scripts/guest/build-linux-guest.sh"); then
    echo "FAIL: could not build the default guest (see above)" >&2
    exit 1
fi
if [ ${#guest[@]} -ne 2 ] || [ ! -s "${guest[0]}" ]; then
    echo "FAIL: guest build did not produce a kernel" >&2
    exit 1
fi
# Decompressing the kernel on the exact per-instruction path takes a while.
GDB_TIMEOUT=900 exec "$here/gdb_session.sh" "$here/linux_break.gdb" "$here/linux_break.expect" \
    "$1" -m 256 -kernel "${guest[0]}" -initrd "${guest[1]}" -append "console=ttyS0 nokaslr" \
    -display none -serial null
