# SPDX-License-Identifier: MIT
# Shell helpers for tests that drive Kiln's SDL window under a private Xvfb
# with xdotool. Source it, then call sdl_scratch NAME first.

# sdl_scratch NAME: a scratch directory in $dir, and an EXIT trap that
# closes the monitor pipe (fd 3), stops Kiln ($pid) and the X server
# ($xpid) and removes the directory. fail MESSAGE reports a failure and
# sets $failed, so that a test can go on and report everything.
sdl_scratch() {
    dir=$(mktemp -d "/tmp/kiln-$1.XXXXXX")
    xpid=
    pid=
    failed=0
    trap 'exec 3>&- 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null
          [ -n "$xpid" ] && kill "$xpid" 2>/dev/null; rm -rf "$dir"' EXIT
}
fail() { echo "FAIL: $*"; failed=1; }

# xvfb_start: check for Xvfb and xdotool, start a 1024x768 X server that
# writes its display number when ready, and export DISPLAY for it.
xvfb_start() {
    local tool i
    for tool in Xvfb xdotool; do
        command -v "$tool" >/dev/null ||
            { echo "FAIL: $tool is not installed (Debian: xvfb, xdotool)"; exit 1; }
    done
    Xvfb -displayfd 4 -screen 0 1024x768x24 -nolisten tcp 4>"$dir/display" 2>"$dir/xvfb.log" &
    xpid=$!
    for ((i = 0; i < 100; i++)); do [ -s "$dir/display" ] && break; sleep 0.1; done
    [ -s "$dir/display" ] || { echo "FAIL: Xvfb did not start"; cat "$dir/xvfb.log"; exit 1; }
    export DISPLAY=":$(head -n1 "$dir/display")"
    unset WAYLAND_DISPLAY
}

# kiln_window: wait (30 s at most, less if Kiln at $pid dies) for Kiln's
# window and leave its id in $wid; fail the test without one.
kiln_window() {
    local i
    wid=
    for ((i = 0; i < 300; i++)); do
        wid=$(xdotool search --name '^Kiln' 2>/dev/null | head -n1)
        [ -n "$wid" ] && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "FAIL: no Kiln window"
    cat "$dir/err" 2>/dev/null
    exit 1
}

# focus: give Kiln's window the keyboard (no window manager keeps it there).
focus() {
    xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
}

# quit_by_key: Ctrl+Alt+Q in the window must end Kiln ($pid) within 10 s
# with exit status 0; a failure is reported through fail.
quit_by_key() {
    local i rc
    focus
    xdotool key ctrl+alt+q
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        fail "Ctrl+Alt+Q did not quit"
        return
    fi
    wait "$pid"
    rc=$?
    pid=
    [ "$rc" -eq 0 ] || fail "Ctrl+Alt+Q: exit status $rc"
}

# grab_mouse X Y: click at (X,Y) in the window, which must grab the mouse
# (the title then says how to release it); true when it did.
grab_mouse() {
    focus
    xdotool mousemove --window "$wid" "$1" "$2"
    sleep 0.3
    xdotool click 1
    sleep 0.5
    case $(xdotool getwindowname "$wid") in
    *"Ctrl+Alt+G releases the mouse"*) return 0 ;;
    esac
    echo "the click did not grab the mouse: $(xdotool getwindowname "$wid")"
    return 1
}

# default_guest_disk: the default guest's syslinux disk image
# (scripts/guest/build-linux-disks.sh, built on first use) in $disk; fail
# the test without one.
default_guest_disk() {
    local d
    if ! mapfile -t d < <(bash "$(dirname "${BASH_SOURCE[0]}")/../../scripts/guest/build-linux-disks.sh") ||
        [ ${#d[@]} -ne 2 ] || [ ! -s "${d[0]}" ]; then
        echo "FAIL: could not build the default guest's disk"
        exit 1
    fi
    disk=${d[0]}
}

# wait_con TEXT: the debug console ($dir/con) shows TEXT within 10 s.
wait_con() {
    local i
    for ((i = 0; i < 100; i++)); do
        grep -qF -- "$1" "$dir/con" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# start_mouse_guest KERNEL [KILN ARGS...]: run mb_mouse.asm's kernel in the
# SDL window with the debug console in $dir/con (Kiln's stderr in
# $dir/err, its pid in $pid), wait until the guest has enabled the mouse,
# find the window and grab the mouse with a first click.
start_mouse_guest() {
    local kernel=$1
    shift
    "$kiln" -kernel "$kernel" -m 16 -display sdl -debugcon "file:$dir/con" "$@" \
        </dev/null 2>"$dir/err" &
    pid=$!
    wait_con "ready" || { echo "FAIL: the kernel never said ready"; cat "$dir/err"; exit 1; }
    wait_con "mfa " || fail "the mouse did not acknowledge F4h"
    kiln_window
    grab_mouse 100 100 || fail "no grab"
}
