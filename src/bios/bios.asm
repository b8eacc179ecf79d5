; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the top of the image. A 128 KiB ROM mapped at E0000-FFFFF
; (and at FFFE0000): the E segment holds fonts, VBE tables and room for the
; ACPI tables, the F segment
; holds all code, with the IBM-compatible fixed entry points at its end
; (entry.asm, included last). Every service lives in its own file.
; Assemble: nasm -f bin -o kiln-bios.bin bios.asm

%ifndef KILN_BIOS_VERSION
%define KILN_BIOS_VERSION "0.1"
%endif

        cpu     686
        bits    16

%include "data.asm"

%ifdef KILN_MAP
[map symbols KILN_MAP]
%endif

section eseg start=0x00000 vstart=0
section fseg start=0x10000 vstart=0

%include "util.asm"
%include "post.asm"
%include "pci.asm"
%include "misc.asm"
%include "serial.asm"
%include "int1a.asm"
%include "int15.asm"
%include "int15_sys.asm"
%include "int15_mouse.asm"
%include "int16.asm"
%include "kbd_irq.asm"
%include "int10.asm"
%include "int10_misc.asm"
%include "vga_modes.asm"
%include "vga_gfx.asm"
%include "vga_font.asm"
%include "vbe.asm"
%include "vbe_ctrl.asm"
%include "ata.asm"
%include "ata_io.asm"
%include "int13_disk.asm"
%include "int13_floppy.asm"
%include "int13_fdio.asm"
%include "fd_media.asm"
%include "eltorito.asm"
%include "int19_boot.asm"
%include "tables.asm"
%include "font8x16.asm"
%include "font8x8.asm"
%include "entry.asm"

; The last 4 KiB of the E segment (EF000h) are the ACPI tables' room: the
; machine finds the marker and writes the tables over it when it loads this
; image (src/devices/acpi_tables.h, ACPI_TABLES_PHYS and _MARKER).
ACPI_AREA       equ 0xF000

section eseg
        times   ACPI_AREA - ($ - $$) db 0xFF
acpi_area:
        db      "Kiln ACPI tables"
        times   0x10000 - ($ - $$) db 0
