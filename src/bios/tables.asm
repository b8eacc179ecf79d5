; SPDX-License-Identifier: MIT
;
; Kiln BIOS: static tables that operating systems look for in the F
; segment: the PCI IRQ routing table ($PIR) of the PIIX3's four PIRQ links
; for devices 1-6 on bus 0, and an SMBIOS 2.4 entry point with BIOS,
; system, chassis and boot-status structures. All checksums are computed
; by the assembler, so nothing here is written at run time. Spec:
; Microsoft PCI IRQ Routing Table Specification 1.0; DMTF SMBIOS 2.4.

section fseg

; ---- $PIR ----
PIR_SLOTS       equ 6
PIR_BITMAP      equ 0x0C20          ; IRQ 5, 10, 11
PIR_SIZE        equ 32 + 16 * PIR_SLOTS

; Sum of the slot entries' bytes (device d, pin p on link 60h + (d+p-2) mod 4).
%assign pir_sum 0
%assign pir_d 1
%rep PIR_SLOTS
  %assign pir_sum pir_sum + (pir_d << 3) + (pir_d == 1 ? 0 : pir_d)
  %assign pir_p 1
  %rep 4
    %assign pir_sum pir_sum + 0x60 + ((pir_d + pir_p - 2) & 3) + (PIR_BITMAP & 0xFF) + (PIR_BITMAP >> 8)
    %assign pir_p pir_p + 1
  %endrep
  %assign pir_d pir_d + 1
%endrep
%assign pir_sum pir_sum + '$' + 'P' + 'I' + 'R' + 0x01 + (PIR_SIZE & 0xFF) + (PIR_SIZE >> 8)
%assign pir_sum pir_sum + 0x08 + 0x86 + 0x80 + 0x00 + 0x70

        align   16
pir_table:
        db      '$PIR'
        dw      0x0100              ; version 1.0
        dw      PIR_SIZE
        db      0, 0x08             ; router: bus 0, device 1 function 0
        dw      0                   ; no IRQs reserved for PCI alone
        dw      0x8086, 0x7000      ; compatible router: PIIX3
        dd      0
        times   11 db 0
        db      (0x100 - (pir_sum & 0xFF)) & 0xFF
pir_slots:
%assign pir_d 1
%rep PIR_SLOTS
        db      0, pir_d << 3
  %assign pir_p 1
  %rep 4
        db      0x60 + ((pir_d + pir_p - 2) & 3)
        dw      PIR_BITMAP
    %assign pir_p pir_p + 1
  %endrep
        db      (pir_d == 1 ? 0 : pir_d), 0
  %assign pir_d pir_d + 1
%endrep
pir_slots_end:

; ---- SMBIOS 2.4 ----
%define SMB_ADDR (smbios_table - $$ + 0xF0000)
%define SMB_LEN  (smbios_table_end - smbios_table)
SMB_COUNT       equ 5
SMB_MAX         equ 0x2D            ; type 0 and type 1 with their strings

        align   16
smbios_entry:
        db      '_SM_'
        db      (0x100 - (('_' + 'S' + 'M' + '_' + 0x1F + 2 + 4 + SMB_MAX) & 0xFF)) & 0xFF
        db      0x1F                ; entry point length
        db      2, 4                ; SMBIOS 2.4
        dw      SMB_MAX         ; largest structure
        db      0
        times   5 db 0
        db      '_DMI_'
        db      (0x100 - (('_' + 'D' + 'M' + 'I' + '_' + (SMB_LEN & 0xFF) + (SMB_LEN >> 8) + (SMB_ADDR & 0xFF) + ((SMB_ADDR >> 8) & 0xFF) + ((SMB_ADDR >> 16) & 0xFF) + (SMB_ADDR >> 24) + SMB_COUNT + 0x24) & 0xFF)) & 0xFF
        dw      SMB_LEN
        dd      SMB_ADDR
        dw      SMB_COUNT
        db      0x24

smbios_table:
        ; Type 0: BIOS information.
        db      0, 0x18
        dw      0x0000
        db      1, 2                ; vendor, version
        dw      0xE000              ; starting segment
        db      3                   ; release date
        db      1                   ; ROM size: (n + 1) x 64 KiB
        dd      0x5FC98090          ; ISA, PCI, boot from CD, selectable boot,
        dd      0x00000000          ; EDD, floppy services, print screen,
                                    ; 8042, serial, CGA/mono services
        db      0x00, 0x00          ; extension bytes
        db      0, 1                ; BIOS release 0.1
        db      0xFF, 0xFF          ; no embedded controller
        db      "Kiln", 0, KILN_BIOS_VERSION, 0, "06/01/2025", 0, 0
        ; Type 1: system information.
        db      1, 0x1B
        dw      0x0100
        db      1, 2, 3, 0          ; manufacturer, product, version, serial
        times   16 db 0             ; UUID not set
        db      6                   ; woken by the power switch
        db      0, 0
        db      "Kiln", 0, "Kiln PC", 0, KILN_BIOS_VERSION, 0, 0
        ; Type 3: chassis.
        db      3, 0x0D
        dw      0x0300
        db      1, 0x01, 0, 0, 0    ; manufacturer; type "other"
        db      3, 3, 3, 2          ; boot-up, power, thermal: safe; security unknown
        db      "Kiln", 0, 0
        ; Type 32: system boot information.
        db      32, 0x0B
        dw      0x2000
        times   6 db 0
        db      0                   ; no errors detected
        db      0, 0
        ; Type 127: end of table.
        db      127, 4
        dw      0x7F00
        db      0, 0
smbios_table_end:
