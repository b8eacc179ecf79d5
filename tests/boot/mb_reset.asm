; SPDX-License-Identifier: MIT
; Multiboot v1 test kernel for the kiln command: checks the loader's entry
; state (EAX magic, flat protected mode, mem_upper), then triple-faults; the
; machine resets and loads the kernel again, RAM keeping a mark from the
; first boot, so the second boot reports over port E9 and exits through
; isa-debug-exit (iobase 0xf4) with status (1 << 1) | 1 = 3.
; Spec: The Multiboot Specification 0.6.96, 3.1-3.3.
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010003            ; page-align, memory info, address fields
MARK     equ 0x00200000            ; RAM the reload does not overwrite

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, bss_end, start

start:
    cmp eax, 0x2badb002
    jne fail
    mov eax, cs
    cmp eax, 0x10
    jne fail
    test dword [ebx], 1                ; mem_lower/mem_upper valid
    jz fail
    cmp dword [ebx + 8], 1024          ; at least 1 MiB above 1 MiB
    jb fail
    cmp dword [MARK], 0x4b494c4e       ; "KILN": this is the second boot
    je second_boot
    mov dword [MARK], 0x4b494c4e
    lidt [empty_idt]                   ; no IDT: the next fault is a triple fault
    int3
    jmp fail

second_boot:
    mov esi, message
.print:
    lodsb
    test al, al
    jz .done
    out 0xe9, al
    jmp .print
.done:
    mov al, 1
    out 0xf4, al                        ; exit status (1 << 1) | 1
fail:
    mov al, 0x7f
    out 0xf4, al
    hlt

empty_idt: dw 0
           dd 0
message: db "rebooted-ok", 10, 0
image_end:
bss_end:
