; SPDX-License-Identifier: MIT
; A 32-bit protected-mode Multiboot kernel for the gdb stub tests (label
; debug): the gdb script breaks at 'target' (linear 100040h, fixed below)
; and checks the registers and x87 stack this code sets up, then breaks and
; watches at virtual addresses once the code runs paged at C0100000h.
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
    ; Paging with two 4 MiB pages: 0 -> 0 and C0000000h -> 0, so this
    ; image also appears at C0100000h.
    mov dword [page_dir], 0x83          ; present, writable, 4 MiB
    mov dword [page_dir + 0x300 * 4], 0x83
    mov eax, page_dir
    mov cr3, eax
    mov eax, cr4
    or eax, 0x10                        ; CR4.PSE
    mov cr4, eax
    mov eax, cr0
    or eax, 0x80000000                  ; CR0.PG
    mov cr0, eax
    mov eax, high + 0xc0000000
    jmp eax

    times 0xc0 - ($ - $$) db 0x90
high:                                   ; 1000C0, run at C01000C0
    mov edx, [result + 0xc0000000]      ; EDX = 33333333h
    mov dword [result2 + 0xc0000000], 0x600dbeef   ; C01000C6
.spin:                                  ; C01000D0
    jmp .spin

    times 0x100 - ($ - $$) db 0
result:  dd 0                           ; 100100
result2: dd 0                           ; 100104
image_end:
    align 4096, db 0
page_dir: times 1024 dd 0               ; 101000
bss_end:
