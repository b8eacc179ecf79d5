#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Microsoft's 1984 multitasking MS-DOS 4.0 beta (../shared/images/
# msdos-4.0-multitasking-beta), which hooks out the ROM's disk code and
# drives the floppy controller, DMA and IRQ 6 itself (QEMU 7.2 stops at
# "Internal Error 4560"). Driven through -display curses in tmux: the date
# and time prompts of its AUTOEXEC.BAT, DIR (its free-space figure checked
# against mtools reading the same image), COPY to the -snapshot floppy and
# TYPE of the copy (contents checked against the file in the image), then
# the Session Manager: start COMMAND.COM on F7, run VER in it, Alt+F10 back
# to SM, which must list F7 as Active.
# Usage: msdos4.sh KILN BIOS IMAGE_DIR [KILN OPTIONS...]
set -uo pipefail
kiln=$1
bios=$2
img=$3/msdos-4.0-multitasking-beta/mtdos-beta-disk1-360k.img
shift 3
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tmux_screen.sh"
screen_require_tmux
[ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios" >&2; exit 1; }
[ -s "$img" ] || { echo "FAIL: missing $img" >&2; exit 1; }
command -v mdir >/dev/null || { echo "FAIL: mtools (mdir, mtype) is needed" >&2; exit 1; }

# What the image holds, read by mtools rather than by Kiln.
free=$(mdir -i "$img" :: | sed -n 's/^ *\([0-9 ]*[0-9]\) bytes free.*/\1/p' | tr -d ' ')
sm_line=$(mtype -i "$img" ::SM.INI | tr -d '\r' | head -1)
[ -n "$free" ] && [ -n "$sm_line" ] || { echo "FAIL: mtools could not read $img" >&2; exit 1; }

s=msdos4-$$ # one tmux session per run: the variants may run at once
trap 'screen_stop $s' EXIT
start=$SECONDS
screen_start $s "$kiln" -m 1 -bios "$bios" -fda "$img" -snapshot -boot a -display curses "$@"

# step DESCRIPTION COMMAND...: run one step; on failure say which.
step() {
    local what=$1
    shift
    "$@" || { echo "FAIL: MS-DOS 4.0: $what" >&2; exit 1; }
}

step "banner" screen_wait $s 'MS-DOS version 4.00' 180
step "date prompt" screen_wait $s 'Enter new date:' 60
booted=$((SECONDS - start))
tmux -L kiln-test send-keys -t $s Enter
step "time prompt" screen_wait $s 'Enter new time:' 60
tmux -L kiln-test send-keys -t $s Enter
step "prompt" screen_wait $s 'A:\>' 60
screen_type $s 'cls'
sleep 1
screen_type $s 'dir'
step "dir shows $free bytes free" screen_wait $s "$free bytes free" 60
screen_type $s 'cls'
sleep 1
screen_type $s 'copy sm.ini x.ini'
step "copy" screen_wait $s '1 File(s) copied' 60
screen_type $s 'type x.ini'
step "type of the copy" screen_wait $s "$sm_line" 60
screen_type $s 'sm'
step "Session Manager" screen_wait $s 'SESSION MANAGER' 60
tmux -L kiln-test send-keys -t $s F7
step "COMMAND.COM on F7" screen_wait $s 'Command v. 4.00' 60
screen_type $s 'ver'
step "ver in the F7 session" screen_wait $s 'MS-DOS Version  4.00' 60
tmux -L kiln-test send-keys -t $s M-F10
step "Alt+F10 back to SM" screen_wait $s 'Hit the <ESC> button' 60
step "F7 listed as Active" bash -c "tmux -L kiln-test capture-pane -t $s -p | grep -q 'F7 *Active'"
echo "ok MS-DOS 4.0 to its date prompt in $booted s, whole session in $((SECONDS - start)) s"
echo "PASS: MS-DOS 4.0 beta booted, read and wrote its floppy and multitasked under SM"
