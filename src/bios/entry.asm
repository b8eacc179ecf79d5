; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the end of the F segment, where IBM-compatible software
; expects fixed addresses: the POST entry (E05Bh), service entry points,
; the diskette and video parameter tables, the 8x8 font (FA6Eh), the dummy
; IRET (FF53h), the reset vector (FFF0h), the BIOS date (FFF5h) and the
; model byte (FFFEh = FCh, AT). Must be included last in the F segment: all
; other code lies below E05Bh. Spec: IBM PC AT Technical Reference (BIOS
; listing entry points); Ralf Brown's Interrupt List (MEMORY.LST, F000h).

section fseg

; Pad to the fixed offset %1 of the F segment (an error if code overran it).
%macro AT 1
        times   (%1) - ($ - $$) db 0xFF
%endmacro

        AT 0xE05B
post_entry:
        jmp     post_start

        AT 0xE2C3
nmi_entry:
        jmp     int02_handler

        AT 0xE3FE
int13_entry:
        jmp     int13_handler

        AT 0xE401
fixed_disk_params:                  ; drive type table: user types live in the EBDA
        times   16 db 0

        AT 0xE6F2
int19_entry:
        jmp     int19_handler

        AT 0xE6F5
config_table:                       ; INT 15h C0h
        dw      8                   ; bytes that follow
        db      0xFC                ; model: AT
        db      0x01                ; submodel
        db      0x00                ; BIOS revision
        db      0x74                ; 2nd 8259, RTC, INT 15h 4Fh called, EBDA
        db      0x40                ; INT 16h 09h supported
        db      0x00, 0x00, 0x00

        AT 0xE729
baud_rates:                         ; divisors for 110-9600 baud (INT 14h)
        dw      1047, 768, 384, 192, 96, 48, 24, 12

        AT 0xE739
int14_entry:
        jmp     int14_handler

        AT 0xE82E
int16_entry:
        jmp     int16_handler

        AT 0xE987
int09_entry:
        jmp     int09_handler

        AT 0xEC59
int13fd_entry:
        jmp     int13_floppy

        AT 0xEF57
int0e_entry:
        jmp     int0e_handler

        AT 0xEFC7
diskette_params:                    ; INT 1Eh: 1.44 MB, 18 sectors per track
        db      0xDF, 0x02, 0x25, 0x02, 18, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08

        AT 0xEFD2
int17_entry:
        jmp     int17_handler

        AT 0xF065
int10_entry:
        jmp     int10_handler

        AT 0xF0A4
cga_params:                         ; INT 1Dh: 6845 values for 40x25, 80x25, graphics, mono
        db      0x38, 0x28, 0x2D, 0x0A, 0x1F, 0x06, 0x19, 0x1C, 0x02, 0x07, 0x06, 0x07, 0, 0, 0, 0
        db      0x71, 0x50, 0x5A, 0x0A, 0x1F, 0x06, 0x19, 0x1C, 0x02, 0x07, 0x06, 0x07, 0, 0, 0, 0
        db      0x38, 0x28, 0x2D, 0x0A, 0x7F, 0x06, 0x64, 0x70, 0x02, 0x01, 0x06, 0x07, 0, 0, 0, 0
        db      0x61, 0x50, 0x52, 0x0F, 0x19, 0x06, 0x19, 0x19, 0x02, 0x0D, 0x0B, 0x0C, 0, 0, 0, 0
        dw      0x0800, 0x1000, 0x4000, 0x4000          ; regen buffer sizes
        db      40, 40, 80, 80, 40, 40, 80, 80          ; columns per mode 0-7
        db      0x2C, 0x28, 0x2D, 0x29, 0x2A, 0x2E, 0x1E, 0x29  ; CGA mode register

        AT 0xF841
int12_entry:
        jmp     int12_handler

        AT 0xF84D
int11_entry:
        jmp     int11_handler

        AT 0xF859
int15_entry:
        jmp     int15_handler

        AT 0xFA6E
font8x8_lo:                         ; characters 00h-7Fh (INT 43h in CGA modes)
        FEMIT 8, 0, 127, 0, 7

        AT 0xFE6E
int1a_entry:
        jmp     int1a_handler

        AT 0xFEA5
int08_entry:
        jmp     int08_handler

        AT 0xFF53
dummy_iret:
        iret
int05_entry:
        jmp     int05_handler

        AT 0xFFF0
reset_vector:
        jmp     BIOS_SEG:post_entry

        AT 0xFFF5
        db      "06/01/25"
        db      0
        db      0xFC                ; model byte: AT
        db      0
