; SPDX-License-Identifier: MIT
; A 32-bit protected-mode Multiboot kernel for the gdb stub tests (label
; debug): the gdb script breaks at 'target' (linear 100040h, fixed below)
; and checks the registers and x87 stack this code sets up; the trace test
; runs it with -d and exits through isa-debug-exit (iobase 0xf4).
; Spec: The Multiboot Specification 0.6.96, 3.1-3.3.
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010003            ; page-align, memory info, address fields

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, bss_end, start

start:                                  ; 100020
    fninit
    fld1                                ; ST0 = 1.0
    mov eax, 0x11111111
    mov ebx, 0x22222222
    mov ecx, 0x33333333
    jmp target
    times 0x40 - ($ - $$) db 0x90
target:                                 ; 100040
    add eax, ebx                        ; EAX = 33333333h
    mov [result], eax                   ; 100042
    out 0x80, al                        ; 100047: POST port, AL = 33h
    ud2                                 ; 100049: #UD, no IDT: vector 6
    jmp $

result: dd 0
image_end:
bss_end:
