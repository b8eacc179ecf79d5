; SPDX-License-Identifier: MIT
;
; A CD image (ISO 9660 descriptors, an El Torito catalog with a
; no-emulation boot image) that tests the BIOS's CD-ROM boot from inside:
; the boot drive number, INT 13h 41h/48h/42h on it with 2048-byte sectors,
; and 4B01h (emulation status). Prints "ok NAME"/"FAIL NAME" on the debug
; console and leaves through isa-debug-exit (F4h) with the failure count.
; Spec: ECMA-119 (volume descriptors); El Torito 1.0 (boot record,
; validation and default entries, specification packet).

        bits    16
        cpu     686

%macro OK 1
        jmp     %%p
%%s:    db      "ok ", %1, 10, 0
%%p:    mov     si, %%s
        call    print
%endmacro
%macro FAIL 1
        jmp     %%p
%%s:    db      "FAIL ", %1, 10, 0
%%p:    mov     si, %%s
        call    print
        inc     word [fails]
%endmacro

section iso start=0 vstart=0
%define SECTOR(n) times (n) * 2048 - ($ - $$) db 0

        SECTOR(16)
        ; primary volume descriptor (the fields a reader checks first)
        db      1, "CD001", 1, 0
        times   32 db ' '           ; system identifier
        db      "KILN_CDBOOT"
        times   21 db ' '           ; volume identifier
        times   8 db 0
        dd      24                  ; volume space size, both byte orders
        db      0, 0, 0, 24
        times   32 db 0
        dw      1, 0x0100           ; volume set size
        dw      1, 0x0100           ; volume sequence number
        dw      2048, 0x0008        ; logical block size

        SECTOR(17)
        ; El Torito boot record volume descriptor
        db      0, "CD001", 1
        db      "EL TORITO SPECIFICATION"
        times   17 * 2048 + 0x47 - ($ - $$) db 0
        dd      19                  ; the boot catalog

        SECTOR(18)
        db      255, "CD001", 1     ; volume descriptor set terminator

        SECTOR(19)
        ; validation entry: header 01h, x86, words summing to zero, 55h AAh
        db      1, 0
        dw      0
        times   24 db 0
        dw      0x55AA              ; checksum: 0001h + 55AAh + AA55h = 0 (mod 10000h)
        db      0x55, 0xAA
        ; default entry: bootable, no emulation, load at 07C0h, 4 sectors from 20
        db      0x88, 0
        dw      0
        db      0, 0
        dw      4
        dd      20

; The boot image (sector 20, at A000h): 2048 bytes loaded at 0000:7C00.
section boot start=0xA000 vstart=0x7C00
image:  xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00
        sti
        cld
        mov     [drive], dl
        cmp     dl, 0xE0
        jne     .d_bad
        OK      "cd boot drive E0h"
        jmp     .d_end
.d_bad: FAIL    "cd boot drive E0h"
.d_end: mov     ah, 0x41
        mov     bx, 0x55AA
        mov     dl, [drive]
        int     0x13
        jc      .e_bad
        cmp     bx, 0xAA55
        jne     .e_bad
        test    cl, 1
        jz      .e_bad
        OK      "cd int13 41h"
        jmp     .e_end
.e_bad: FAIL    "cd int13 41h"
.e_end: mov     word [buf], 0x1A
        mov     ah, 0x48
        mov     dl, [drive]
        mov     si, buf
        int     0x13
        jc      .p_bad
        cmp     word [buf + 24], 2048
        jne     .p_bad
        OK      "cd int13 48h 2048-byte sectors"
        jmp     .p_end
.p_bad: FAIL    "cd int13 48h 2048-byte sectors"
.p_end: ; read the primary volume descriptor and this image's first sector
        mov     eax, 16
        mov     di, 0x9000
        call    cd_read
        jc      .r_bad
        cmp     dword [0x9001], 'CD00'
        jne     .r_bad
        mov     eax, 20
        mov     di, 0x9800
        call    cd_read
        jc      .r_bad
        mov     si, 0x7C00
        mov     di, 0x9800
        mov     cx, 512
        repe    cmpsb
        jne     .r_bad
        OK      "cd int13 42h read"
        jmp     .r_end
.r_bad: FAIL    "cd int13 42h read"
.r_end: mov     ax, 0x4B01
        mov     dl, [drive]
        mov     si, buf
        int     0x13
        jc      .s_bad
        cmp     byte [buf], 0x13
        jne     .s_bad
        cmp     byte [buf + 1], 0   ; no emulation
        jne     .s_bad
        cmp     byte [buf + 2], 0xE0
        jne     .s_bad
        cmp     dword [buf + 4], 20
        jne     .s_bad
        OK      "cd int13 4B01h status"
        jmp     .s_end
.s_bad: FAIL    "cd int13 4B01h status"
.s_end: cmp     word [fails], 0
        jne     .out
        mov     si, msg_pass
        call    print
.out:   mov     ax, [fails]
        out     0xF4, al
        cli
        hlt

; One 2048-byte sector EAX to 0000:DI with INT 13h 42h.
cd_read:
        mov     byte [dap], 0x10
        mov     byte [dap + 1], 0
        mov     word [dap + 2], 1
        mov     [dap + 4], di
        mov     word [dap + 6], 0
        mov     [dap + 8], eax
        mov     dword [dap + 12], 0
        mov     ah, 0x42
        mov     dl, [drive]
        mov     si, dap
        int     0x13
        ret

print:  lodsb
        test    al, al
        jz      .r
        out     0xE9, al
        jmp     print
.r:     ret

msg_pass:       db "bios-cdboot: all passed", 10, 0
fails:          dw 0
drive:          db 0
dap:            times 16 db 0
buf:            times 0x1E db 0
        times   4 * 2048 - ($ - image) db 0
