#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Boot test: the default Linux guest (Debian i386 kernel + busybox
# initramfs) booted by a real boot loader from a disk image, serial console
# on COM1, to the shell; runs one command, checks its output, then reboots
# with -no-reboot (kiln must exit with status 0); with Kiln's BIOS it checks
# that Linux found the ACPI tables and PM timer, and powers off instead.
#   hd:     syslinux from an MBR-partitioned IDE disk (-hda, -boot c).
#   floppy: syslinux from a 1.44 MB floppy (-fda, -boot a). The 5.7 MB
#           kernel cannot fit on a floppy, so the floppy's syslinux
#           chain-loads the hard disk's MBR (chain.c32); the test checks that
#           the floppy's syslinux ran (its CHS banner) before the disk's,
#           and stops once the kernel has started (its banner on COM1): the
#           rest of the boot is the hd test's, and costs minutes.
#   cd:     GRUB 2 from an El Torito CD made by grub-mkrescue (-cdrom,
#           -boot d).
# Images come from scripts/guest/build-linux-{disks,cd}.sh (cached).
# Extra kiln options (e.g. -bios) follow the medium.
# Usage: linux_media.sh KILN hd|floppy|cd [extra kiln options...]
set -uo pipefail
kiln=$1
medium=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
guest=$here/../../scripts/guest
. "$here/serial_console.sh"
serial_work=$(mktemp -d)
trap 'serial_stop; rm -rf "$serial_work"' EXIT

case $medium in
hd | floppy)
    if ! mapfile -t disks < <(bash "$guest/build-linux-disks.sh") || [ ${#disks[@]} -ne 2 ]; then
        echo "FAIL: could not build the syslinux disk images (see above)" >&2
        exit 1
    fi
    if [ "$medium" = hd ]; then
        media=(-hda "${disks[0]}" -boot c)
    else
        media=(-fda "${disks[1]}" -hda "${disks[0]}" -boot a)
    fi
    loader="Loading vmlinuz"
    ;;
cd)
    if ! iso=$(bash "$guest/build-linux-cd.sh") || [ ! -s "$iso" ]; then
        echo "FAIL: could not build the GRUB CD image (see above)" >&2
        exit 1
    fi
    media=(-cdrom "$iso" -boot d)
    loader="kiln-grub: loading the Debian kernel"
    ;;
*)
    echo "FAIL: unknown medium '$medium' (hd, floppy or cd)" >&2
    exit 1
    ;;
esac

# A -bios image must exist; Debian's SeaBIOS is installed when missing.
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
    [ "${args[i]}" = -bios ] || continue
    bios=${args[i + 1]}
    if [ ! -s "$bios" ] && [[ $bios == /usr/share/seabios/* ]] && [ "$(id -u)" -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq seabios >/dev/null 2>&1
    fi
    [ -s "$bios" ] || { echo "FAIL: no BIOS image at $bios" >&2; exit 1; }
done

start=$SECONDS
serial_start "$kiln" -m 256 "${media[@]}" -snapshot -nographic -no-reboot "$@"
serial_wait "$loader" 300 || exit 1
echo "boot loader reached the kernel after $((SECONDS - start)) s"
if [ "$medium" = floppy ]; then
    # The floppy's syslinux has no EDD (INT 13h on a floppy is CHS only);
    # the disk's has. Both banners, in that order, prove the path.
    chs=$(grep -n "SYSLINUX .* CHS" "$serial_log" | head -n 1 | cut -d: -f1)
    edd=$(grep -n "SYSLINUX .* EDD" "$serial_log" | head -n 1 | cut -d: -f1)
    if [ -z "$chs" ] || [ -z "$edd" ] || [ "$chs" -ge "$edd" ]; then
        echo "FAIL: the floppy's syslinux did not run before the disk's" >&2
        head -n 30 "$serial_log" >&2
        exit 1
    fi
fi
if [ "$medium" = floppy ]; then
    serial_wait "Linux version" 600 || exit 1
    echo "PASS: floppy syslinux chained to the disk, the kernel started after $((SECONDS - start)) s"
    exit 0
fi
serial_wait "KILN-GUEST-READY" 1500 || exit 1
serial_wait "kiln# " 120 || exit 1
echo "shell after $((SECONDS - start)) s"
serial_type 'echo "sum=$((6 * 7)) on $(uname -m)"'
serial_wait "sum=42 on i686" 120 || exit 1
if [[ " $* " == *kiln-bios.bin* ]]; then
    # Kiln's BIOS carries ACPI tables: Linux finds the PM timer and the
    # DSDT's PCI root, and a soft off through the PM block ends kiln with
    # status 0.
    serial_type "$acpi_probe"
    serial_wait "-ok42" 120 || exit 1
    acpi_check "$serial_log" || exit 1
    serial_type 'poweroff -f'
    serial_wait_exit 300 || exit 1
    grep -q "reboot: Power down" "$serial_log" || { echo "FAIL: no ACPI power-down message" >&2; exit 1; }
    echo "PASS: $medium boot to a shell in $((SECONDS - start)) s, ran a command, powered off"
else
    serial_type 'reboot -f'
    serial_wait_exit 300 || exit 1
    echo "PASS: $medium boot to a shell in $((SECONDS - start)) s, ran a command, rebooted"
fi
