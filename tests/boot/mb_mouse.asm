; SPDX-License-Identifier: MIT
; Multiboot v1 test kernel for the SDL mouse (tests/boot/sdl_mouse.sh):
; enables the 8042's auxiliary port and the PS/2 mouse's data reporting,
; then, polling with interrupts off, prints every byte the controller
; delivers on port E9 as two hex digits, prefixed with 'm' when it came
; from the mouse (status bit 5) and 'k' from the keyboard.
; Spec: Multiboot 0.6.96; IBM PS/2 Hardware Interface Technical Reference
; (8042 commands A8h, 60h, D4h; mouse command F4h).
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010003

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, image_end, start

start:
    cli
    mov esp, 0x170000
.flush:
    in al, 0x64
    test al, 1
    jz .flushed
    in al, 0x60
    jmp .flush
.flushed:
    mov al, 0xa8                 ; enable the auxiliary port
    call kbc_cmd
    mov al, 0x60                 ; command byte: translate, no IRQs, both clocks on
    call kbc_cmd
    mov al, 0x44
    call kbc_data
    mov al, 0xd4                 ; next data byte to the mouse
    call kbc_cmd
    mov al, 0xf4                 ; enable data reporting (answers FAh)
    call kbc_data
    mov esi, ready
.print:
    lodsb
    test al, al
    jz echo
    out 0xe9, al
    jmp .print

echo:
    in al, 0x64
    test al, 1
    jz echo
    mov bl, 'k'
    test al, 0x20
    jz .from
    mov bl, 'm'
.from:
    mov al, bl
    out 0xe9, al
    in al, 0x60
    mov ah, al
    shr al, 4
    call hex_digit
    mov al, ah
    and al, 0x0f
    call hex_digit
    mov al, ' '
    out 0xe9, al
    jmp echo

kbc_cmd:
    mov ah, al
.wait:
    in al, 0x64
    test al, 2
    jnz .wait
    mov al, ah
    out 0x64, al
    ret

kbc_data:
    mov ah, al
.wait:
    in al, 0x64
    test al, 2
    jnz .wait
    mov al, ah
    out 0x60, al
    ret

hex_digit:
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '9' - 1
.out:
    out 0xe9, al
    ret

ready: db "ready", 10, 0
image_end:
