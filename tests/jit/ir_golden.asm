; SPDX-License-Identifier: MIT
; A Multiboot kernel whose few blocks show the translator at work, for the
; golden IR dumps in tests/expect/ir_golden.txt (see golden_ir.sh): a loop
; of register ALU work with INC/DEC keeping CF, a store and a load, shifts
; and a multiply, a call and a return through the jump cache, and CPUID
; through the interpreter's helper. Exits through isa-debug-exit with 0
; (Kiln's status 1) when the computed sum is right, 1 (status 3) if not.
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010003

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, image_end, start

start:
    mov esp, 0x90000
    mov ecx, 10
    xor eax, eax
.loop:
    add eax, ecx                    ; flags of ADD, dropped: DEC overwrites them
    dec ecx
    jnz .loop                       ; 55 in EAX at the end
    mov [result], eax
    mov ebx, [result]
    shl ebx, 3                      ; 440
    imul ebx, ebx, 5                ; 2200
    push ebx
    call half                       ; EAX = 1100
    add esp, 4
    mov esi, eax
    xor eax, eax
    cpuid                           ; run by the interpreter's helper
    cmp esi, 1100
    setne al
    out 0xf4, al                    ; isa-debug-exit: status (AL << 1) | 1
    hlt

half:
    mov eax, [esp + 4]
    shr eax, 1
    ret

result: dd 0
image_end:
