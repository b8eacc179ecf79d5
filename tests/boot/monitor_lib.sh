# SPDX-License-Identifier: MIT
# Shell helpers for tests that drive Kiln through -monitor stdio over a FIFO.
# Source it, set $dir (a scratch directory), start Kiln with
# `mon_start ARGS...`, then `cmd LINE` leaves the answer in $answer.

# mon_start ARGS...: run Kiln with the monitor on $dir/in (a FIFO, held open
# on fd 3) and its output in $dir/out; the pid is in $pid.
mon_start() {
    mkfifo "$dir/in"
    "$@" -monitor stdio <"$dir/in" >"$dir/out" 2>"$dir/err" &
    pid=$!
    exec 3>"$dir/in"
}

# wait_for FILE TEXT SECONDS: true once FILE contains TEXT.
wait_for() {
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        grep -qF -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

n_prompts() { grep -o '(kiln) ' "$dir/out" | wc -l; }

# cmd LINE: send one command, wait for the prompt after its answer (30 s at
# most), and leave the answer in $answer.
cmd() {
    local before i
    before=$(n_prompts)
    printf '%s\n' "$1" >&3
    for ((i = 0; i < 300; i++)); do
        [ "$(n_prompts)" -gt "$before" ] && break
        sleep 0.1
    done
    answer=$(awk -v n="$before" 'BEGIN { RS = "\\(kiln\\) " } NR == n + 1 { printf "%s", $0 }' \
        "$dir/out")
}

# screen_text [ROWS]: the 80-column VGA text memory at B8000h as ROWS lines
# (25 by default: the screen when it starts at B8000h; 204 take the whole
# 32 KiB window, where a console that scrolls by moving the CRTC start
# address keeps its lines), read with xp.
screen_text() {
    local rows=${1:-25}
    cmd "xp /$((rows * 160))xb 0xb8000"
    printf '%s\n' "$answer" | awk -v rows="$rows" '
        function hex(s,   v, i) {
            v = 0
            for (i = 3; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
            return v
        }
        { for (i = 2; i <= NF; i++) b[n++] = hex($i) }
        END {
            for (r = 0; r < rows; r++) {
                line = ""
                for (c = 0; c < 80; c++) {
                    ch = b[(r * 80 + c) * 2]
                    line = line ((ch >= 32 && ch < 127) ? sprintf("%c", ch) : " ")
                }
                print line
            }
        }'
}

# wait_screen TEXT SECONDS: true once the text screen shows TEXT. (The
# screen goes through a variable: grep -q leaving a pipe early would fail
# it under pipefail.)
wait_screen() {
    local i text
    for ((i = 0; i < $2; i++)); do
        text=$(screen_text)
        grep -qF -- "$1" <<<"$text" && return 0
        sleep 1
    done
    return 1
}

# wait_desktop W H MIN_BYTES SECONDS: poll screendumps every 5 s until one
# is W x H, equals the one before (the guest stopped drawing) and is a PNG
# of more than MIN_BYTES (busy, as a desktop with its icons is). True then;
# $dir/poll.png holds it.
wait_desktop() {
    local i size sum prev= want
    want=$(printf '%08x%08x' "$1" "$2")
    for ((i = 0; i < $4 / 5; i++)); do
        sleep 5
        cmd "screendump $dir/poll.png"
        size=$(od -An -tx1 -j16 -N8 "$dir/poll.png" 2>/dev/null | tr -d ' \n')
        sum=$(cksum <"$dir/poll.png")
        [ "$size" = "$want" ] && [ "$sum" = "$prev" ] &&
            [ "$(stat -c %s "$dir/poll.png")" -gt "$3" ] && return 0
        prev=$sum
    done
    return 1
}
