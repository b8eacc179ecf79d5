#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Helpers for boot tests that drive a guest as a person would: kiln runs
# with -display curses inside a detached tmux session; keys are typed with
# tmux send-keys (through Kiln's PS/2 keyboard) and the VGA text screen is
# read with capture-pane. Sourced by the test scripts.

# Install tmux when missing (root), or fail loudly.
screen_require_tmux() {
    command -v tmux >/dev/null && return 0
    if [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null 2>&1
    fi
    command -v tmux >/dev/null || { echo "FAIL: tmux is needed for this boot test" >&2; exit 1; }
}

# screen_start NAME COMMAND...: start COMMAND in a 100x30 session NAME.
screen_start() {
    local name=$1
    shift
    tmux -L kiln-test kill-session -t "$name" 2>/dev/null
    tmux -L kiln-test new-session -d -s "$name" -x 100 -y 30 "$* ; sleep 600"
}

screen_stop() {
    tmux -L kiln-test kill-session -t "$1" 2>/dev/null
}

screen_text() {
    tmux -L kiln-test capture-pane -t "$1" -p
}

# screen_wait NAME TEXT SECONDS: until the screen shows TEXT.
screen_wait() {
    local deadline=$((SECONDS + $3))
    while ! screen_text "$1" | grep -qF -- "$2"; do
        if [ $SECONDS -ge "$deadline" ]; then
            echo "FAIL: '$2' not on the screen after $3 s; the screen shows:" >&2
            screen_text "$1" >&2
            return 1
        fi
        sleep 1
    done
}

# screen_type NAME TEXT: type TEXT and Enter.
screen_type() {
    tmux -L kiln-test send-keys -t "$1" -l -- "$2"
    tmux -L kiln-test send-keys -t "$1" Enter
}
