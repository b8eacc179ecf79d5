; SPDX-License-Identifier: MIT
; Multiboot v1 test kernel for VBE screenshots (tests/boot/vbe_shot.sh):
; assigns the VGA's PCI BAR0 (00:02.0) to E0000000h as a BIOS would, sets a
; 320x200 DISPI mode at BPP bits per pixel (nasm -DBPP=16 or 32) with the
; linear framebuffer, draws a pattern of x and y, then exits through
; isa-debug-exit (iobase F4h) so that -screenshot-at-exit records it.
; Pattern at (x, y):
;   32 bpp: R = 3x mod 256, G = 5y mod 256, B = (x xor y) mod 256;
;   16 bpp: RGB565 with R = x mod 32, G = y mod 64, B = (x xor y) mod 32.
; Spec: Multiboot 0.6.96; PCI 2.1 configuration mechanism #1; the Bochs
; DISPI interface (ports 1CEh/1CFh).
bits 32
org 0x100000
%ifndef BPP
%define BPP 32
%endif

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010003
LFB      equ 0xe0000000
WIDTH    equ 320
HEIGHT   equ 200

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, image_end, start

; dispi INDEX, VALUE
%macro dispi 2
    mov dx, 0x1ce
    mov ax, %1
    out dx, ax
    mov dx, 0x1cf
    mov ax, %2
    out dx, ax
%endmacro

start:
    cli
    mov esp, 0x170000
    ; BAR0 of 00:02.0, then memory decoding on
    mov dx, 0xcf8
    mov eax, 0x80000000 | (2 << 11) | 0x10
    out dx, eax
    mov dx, 0xcfc
    mov eax, LFB
    out dx, eax
    mov dx, 0xcf8
    mov eax, 0x80000000 | (2 << 11) | 0x04
    out dx, eax
    mov dx, 0xcfc
    in eax, dx
    or eax, 2
    out dx, eax
    dispi 4, 0
    dispi 1, WIDTH
    dispi 2, HEIGHT
    dispi 3, BPP
    dispi 4, 0x41                 ; enabled, linear framebuffer
    mov edi, LFB
    xor ebx, ebx                  ; y
.row:
    xor ecx, ecx                  ; x
.pixel:
%if BPP == 32
    lea eax, [ecx + ecx * 2]      ; R = 3x
    and eax, 0xff
    shl eax, 16
    lea edx, [ebx + ebx * 4]      ; G = 5y
    and edx, 0xff
    shl edx, 8
    or eax, edx
    mov edx, ecx                  ; B = x ^ y
    xor edx, ebx
    and edx, 0xff
    or eax, edx
    stosd
%else
    mov eax, ecx                  ; R = x & 31
    and eax, 31
    shl eax, 11
    mov edx, ebx                  ; G = y & 63
    and edx, 63
    shl edx, 5
    or eax, edx
    mov edx, ecx                  ; B = (x ^ y) & 31
    xor edx, ebx
    and edx, 31
    or eax, edx
    stosw
%endif
    inc ecx
    cmp ecx, WIDTH
    jb .pixel
    inc ebx
    cmp ebx, HEIGHT
    jb .row
    mov al, 0
    out 0xf4, al                  ; exit status 1
.hang:
    jmp .hang
image_end:
