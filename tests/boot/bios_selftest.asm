; SPDX-License-Identifier: MIT
;
; A hard-disk image that tests Kiln's BIOS from the guest's side: memory
; size calls (INT 12h, 15h E820h/E801h/88h), disk services (INT 13h CHS
; and EDD, reads and writes), time (INT 1Ah, 15h 86h), PCI BIOS, A20, block
; move, APM, keyboard buffer, video (text, modes 04h/12h/13h, VBE with the
; linear framebuffer), and the SMBIOS/$PIR tables. Prints "ok NAME" or
; "FAIL NAME" per check on the debug console (E9h) and leaves through
; isa-debug-exit (F4h) with the failure count (exit status 2 x count + 1).
; Last, it resets the machine through the 8042 with CMOS shutdown code 0Ah
; and must come back through the BIOS to its resume address (40:67), then
; has the BIOS switch it to protected mode (INT 15h 89h).
; Run with -m 64, a blank 1.44 MB diskette in A and -snapshot (it writes
; to both disks).
; Every sector n >= 16 of the image starts with the dword n.

        bits    16
        cpu     686
        org     0x7C00

CODE_SECTORS    equ 15              ; sectors 1-15 hold the rest of this program
DISK_SECTORS    equ 16384           ; an 8 MiB disk
RAM_MIB         equ 64
BUF1            equ 0x8000 + CODE_SECTORS * 512     ; scratch buffers above the code
BUF2            equ BUF1 + 0x400
BUF3            equ BUF1 + 0x800
VBEBUF          equ BUF1 + 0xC00
GDT             equ BUF1 + 0x1000

start:  cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00
        sti
        cld
        mov     [0x500], dl         ; boot drive
        mov     ax, 0x0200 + CODE_SECTORS
        mov     cx, 0x0002
        xor     dh, dh
        mov     bx, 0x7E00
        int     0x13
        jc      .bad
        jmp     main
.bad:   mov     al, 'X'
        out     0xE9, al
        mov     al, 0x7F
        out     0xF4, al
        hlt
        times   510 - ($ - $$) db 0
        dw      0xAA55

; ---- helpers ----
fails:  dw      0

; Print the string after the call ("ok " or "FAIL " prefix by OK/FAIL).
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
; CHECK cc, "name": ok when condition cc holds (flags from the last compare).
%macro CHECK 2
        j%-1    %%bad
        OK      %2
        jmp     %%end
%%bad:  FAIL    %2
%%end:
%endmacro

print:  lodsb
        test    al, al
        jz      .r
        out     0xE9, al
        jmp     print
.r:     ret

; Compare CX bytes at DS:SI and ES:DI (segments 0). ZF = 1 when equal.
memeq:  push    si
        push    di
        push    cx
        repe    cmpsb
        pop     cx
        pop     di
        pop     si
        ret

; One descriptor at DI (in the block-move GDT): base EAX, limit 0FFFFh, data.
mkdesc: mov     word [di], 0xFFFF
        mov     [di + 2], ax
        push    eax
        shr     eax, 16
        mov     [di + 4], al
        mov     byte [di + 5], 0x93
        mov     byte [di + 6], 0
        mov     [di + 7], ah
        pop     eax
        ret

; INT 15h 87h: copy CX words from linear ESI to linear EDI. CF on error.
blkmove:
        push    es
        push    si
        push    di
        push    cx
        mov     di, GDT
        push    cx
        push    di
        mov     cx, 24
        xor     ax, ax
        rep     stosw
        pop     di
        pop     cx
        mov     eax, esi
        lea     di, [GDT + 0x10]
        call    mkdesc
        pop     cx
        pop     di
        push    di
        push    cx
        mov     eax, edi
        push    di
        lea     di, [GDT + 0x18]
        call    mkdesc
        pop     di
        xor     ax, ax
        mov     es, ax
        mov     si, GDT
        mov     ah, 0x87
        int     0x15
        pop     cx
        pop     di
        pop     si
        pop     es
        ret

main:   mov     si, msg_start
        call    print
        call    t_memory
        call    t_disk
        call    t_floppy
        call    t_time
        call    t_pci
        call    t_a20_move
        call    t_misc
        call    t_keyboard
        call    t_video
        call    t_vbe
        call    t_tables
        jmp     t_resume            ; comes back at finish, through a reset
finish: mov     ax, 0x0003
        int     0x10
        call    t_pm89              ; returns in protected mode: no BIOS from here
        cmp     word [fails], 0
        jne     .f
        mov     si, msg_pass
        call    print
.f:     mov     ax, [fails]
        out     0xF4, al
        cli
        hlt

msg_start:      db "bios-selftest: start", 10, 0
msg_pass:       db "bios-selftest: all passed", 10, 0

%include "bios_selftest_disk.inc"
%include "bios_selftest_tests.inc"

        times   CODE_SECTORS * 512 + 512 - ($ - $$) db 0
; Data sectors 16 up: each starts with its own number.
%assign n CODE_SECTORS + 1
%rep DISK_SECTORS - CODE_SECTORS - 1
        dd      n
        times   508 db 0
%assign n n + 1
%endrep
