; SPDX-License-Identifier: MIT
; A 32-bit Multiboot kernel for the reverse-execution tests (label debug):
; the PIT interrupts it 1000 times a (virtual) second while it counts in
; a loop, so going backwards has to re-run timer interrupts at the same
; instructions. Addresses the gdb scripts use are fixed below.
; Spec: The Multiboot Specification 0.6.96, 3.1-3.3; 8259A and 8254
; datasheets for the initialisation words.
%include "pic8259.inc"
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010003            ; page-align, memory info, address fields

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, bss_end, start

start:                                  ; 100020
    mov esp, stack_top
    ; IDT entry 0x20 (IRQ 0 after the remap below): a 32-bit interrupt gate.
    mov eax, timer
    mov [idt + 0x20 * 8], ax
    mov word [idt + 0x20 * 8 + 2], 0x10
    mov word [idt + 0x20 * 8 + 4], 0x8e00
    shr eax, 16
    mov [idt + 0x20 * 8 + 6], ax
    lidt [idt_desc]
    ; 8259A pair: master at vectors 20h, slave at 28h; only IRQ 0 unmasked.
    PIC_INIT 0x20, 0x28, 0xfe, 0xff
    ; 8254 channel 0, mode 2, divisor 1193: about 1000 interrupts a second.
    mov al, 0x34
    out 0x43, al
    mov al, 1193 & 0xff
    out 0x40, al
    mov al, 1193 >> 8
    out 0x40, al
    xor ebx, ebx
    xor ecx, ecx
    sti
    jmp loop

    times 0xc0 - ($ - $$) db 0x90
loop:                                   ; 1000c0
    mov eax, [counter]                  ; 1000c0
bump:                                   ; 1000c5
    inc dword [counter]                 ; 1000c5
    add ebx, eax                        ; 1000cb
    xor ecx, ebx                        ; 1000cd
    jmp loop                            ; 1000cf

    times 0xe0 - ($ - $$) db 0x90
timer:                                  ; 1000e0
    push eax
    inc dword [ticks]
    mov al, 0x20                        ; non-specific EOI
    out 0x20, al
    pop eax
    iretd

    times 0x100 - ($ - $$) db 0
counter: dd 0                           ; 100100
ticks:   dd 0                           ; 100104
idt_desc:
    dw 0x30 * 8 - 1
    dd idt
image_end:
    align 16, db 0
idt:     times 0x30 * 8 db 0
    align 16, db 0
stack:   times 1024 db 0
stack_top:
bss_end:
