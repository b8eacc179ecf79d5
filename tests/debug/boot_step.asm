; SPDX-License-Identifier: MIT
; A floppy boot sector for the gdb stub tests (label debug): real-mode code
; whose addresses and register values the gdb scripts know from this source.
; The BIOS loads it at 0000:7C00. It installs an INT 80h handler, computes
; into AX, writes the word at 0600h (watchpoint target), runs a LOOP, an
; INT 80h, a REP STOSB, then writes 0BEEFh to 0610h and spins.
; Spec: the IBM PC boot protocol (boot sector at 0000:7C00, 55AAh signature).
bits 16
org 0x7c00

start:
    xor ax, ax                      ; 7C00
    mov ds, ax                      ; 7C02
    mov es, ax                      ; 7C04
    mov ax, 0x1234                  ; 7C06
    mov bx, 0x5678                  ; 7C09
    add ax, bx                      ; 7C0C: AX = 68ACh
    mov [0x0600], ax                ; 7C0E: the watched word
    mov cx, 3                       ; 7C11
.again:
    inc word [0x0600]               ; 7C14
    loop .again                     ; 7C18
    mov dx, [0x0600]                ; 7C1A: DX = 68AFh
    mov word [0x80 * 4], handler    ; 7C1E
    mov word [0x80 * 4 + 2], 0      ; 7C24
    int 0x80                        ; 7C2A
after_int:
    mov di, 0x0700                  ; 7C2C
    mov cx, 4                       ; 7C2F
    mov al, 0x5a                    ; 7C32
    rep stosb                       ; 7C34
    mov word [0x0610], 0xbeef       ; 7C36
written:
    nop                             ; 7C3C
hang:
    jmp hang                        ; 7C3D

handler:
    mov si, 0x4b49                  ; 7C3F
    iret                            ; 7C42

    times 510 - ($ - $$) db 0
    dw 0xaa55
    times 1474560 - ($ - $$) db 0   ; a 1.44 MB floppy
