; SPDX-License-Identifier: MIT
; 32-bit address size in real mode (0x67 prefix) on the 386 and later:
; ModRM/SIB forms, the default segment of EBP/ESP bases, LEA across operand
; and address sizes, real-mode segment-limit faults on 32-bit offsets and on
; words at offset FFFF, string-register width, LOOP/JCXZ counter width, XLAT.
; Expected values follow Intel SDM Vol. 2 (ModRM/SIB tables 2-2/2-3, LEA,
; LOOP, JCXZ) and Vol. 3A 20.1 / 22.29 (real-mode limits, no wraparound).
%include "harness.inc"
    BOOT16

    TEST "addr.lea"
    mov ebx, 0x100
    mov esi, 0x20
    lea eax, [ebx + esi * 4 + 0x10]
    CHECK eax, 0x190
    lea eax, [esi * 8 + 0x12345678] ; SIB without base: disp32
    CHECK eax, 0x12345778
    lea eax, [ebx + ebx * 2]
    CHECK eax, 0x300
    xor eax, eax
    lea ecx, [eax - 1]          ; 32-bit address: no 16-bit wrap
    CHECK ecx, 0xFFFFFFFF
    mov eax, 0xAAAA0000
    mov ebx, 0x12345
    mov esi, 0x10
    lea ax, [ebx + esi]         ; 16-bit operand keeps the low 16 bits
    CHECK eax, 0xAAAA2355
    mov eax, 0xFFFFFFFF
    mov bx, 0xFFFF
    mov si, 2
    lea eax, [bx + si]          ; 16-bit address wraps, then zero-extends
    CHECK eax, 1
    mov ebp, 2
    xor edi, edi
    lea eax, [bp + di - 4]
    CHECK eax, 0xFFFE
    ENDTEST

    TEST "addr.modrm_sib"
    mov ebx, table
    mov ecx, 2
    mov eax, [ebx + ecx * 4]
    CHECK eax, 0x33333333
    mov eax, [ecx * 4 + table]
    CHECK eax, 0x33333333
    mov esi, table + 12
    mov eax, [esi - 4]          ; disp8, negative
    CHECK eax, 0x33333333
    mov eax, [dword table + 4]  ; mod 00 rm 101: disp32 only
    CHECK eax, 0x22222222
    db 0x67, 0x66, 0xA1         ; mov eax, moffs32
    dd table + 12
    CHECK eax, 0x44444444
    mov edx, table
    mov ecx, 1
    mov eax, [edx + ecx * 8 + 4]
    CHECK eax, 0x44444444
    push dword [ebx + ecx * 4]
    pop eax
    CHECK eax, 0x22222222
    ENDTEST

    TEST "addr.default_segment"
    mov dword [gs:H_SCRATCH], 0x11111111      ; linear 0x5C0
    mov dword [gs:H_SCRATCH + 0x10], 0x22222222 ; linear 0x5D0
    push ds
    mov ax, 0x0001              ; DS base 0x10, SS base 0
    mov ds, ax
    mov ebx, H_SCRATCH
    xor ebp, ebp
    db 0x67, 0x66, 0x8B, 0x04, 0x2B ; mov eax, [ebx + ebp]: base EBX -> DS
    mov edx, eax
    db 0x67, 0x66, 0x8B, 0x44, 0x1D, 0x00 ; mov eax, [ebp + ebx + 0]: base EBP -> SS
    mov ecx, eax
    mov esi, H_SCRATCH
    mov eax, [esi]              ; DS
    mov ebp, H_SCRATCH
    mov edi, [ebp]              ; SS
    pop ds
    CHECK edx, 0x22222222
    CHECK ecx, 0x11111111
    CHECK eax, 0x22222222
    CHECK edi, 0x11111111
    push dword 0x5A5A5A5A
    mov eax, [esp]              ; ESP base -> SS
    pop ecx
    CHECK eax, 0x5A5A5A5A
    mov ebx, H_SCRATCH
    mov eax, [fs:ebx]           ; override, FS = 0
    CHECK eax, 0x11111111
    ENDTEST

    TEST "addr.limit_32bit_offset"
    mov ebx, 0x10000
    mov eax, 0x12345678
    ARM .c1
.f1:
    mov al, [ebx]               ; offset beyond the 64 KiB limit: #GP(0)
    FAILED "no #GP for offset 0x10000"
.c1:
    CHECK_CAUGHT 13, .f1
    CHECK eax, 0x12345678
    mov ebx, 0xFFFF
    ARM .c2
    mov al, [ebx]               ; last byte of the segment is fine
.c2:
    CHECK_NOT_CAUGHT
    ARM .c3
.f3:
    mov ax, [ebx]               ; word at FFFF runs past the limit
    FAILED "no #GP for a word at FFFF"
.c3:
    CHECK_CAUGHT 13, .f3
    ARM .c4
.f4:
    mov ax, [0xFFFF]            ; the same with 16-bit addressing (no 8086 wrap)
    FAILED "no #GP for a 16-bit word at FFFF"
.c4:
    CHECK_CAUGHT 13, .f4
    mov ebp, 0xFFFF
    ARM .c5
.f5:
    mov ax, [ebp]               ; SS-relative: #SS
    FAILED "no #SS for a word at SS:FFFF"
.c5:
    CHECK_CAUGHT 12, .f5
    mov ebx, 0xFFFFFFF0
    ARM .c6
.f6:
    mov eax, [ebx + 0x20]       ; wraps to 0x10 in 32 bits: within the limit
.c6:
    CHECK_NOT_CAUGHT
    ENDTEST

    TEST "addr.string_width"
    mov esi, 0x1234FFFF
    lodsb                       ; 16-bit address: SI wraps, ESI high half kept
    CHECK esi, 0x12340000
    mov esi, 0x0000FFFF
    a32 lodsb                   ; 32-bit address: ESI counts on
    CHECK esi, 0x00010000
    push es
    push gs
    pop es                      ; ES = 0: the scratch area
    mov edi, 0xABCD0000 + H_SCRATCH + 0x10
    std
    stosw
    cld
    CHECK edi, 0xABCD0000 + H_SCRATCH + 0x0E
    mov esi, table
    mov edi, H_SCRATCH
    a32 movsd
    pop es
    CHECK esi, table + 4
    CHECK edi, H_SCRATCH + 4
    CHECK dword [gs:H_SCRATCH], 0x11111111
    ENDTEST

    TEST "addr.loop_width"
    mov ecx, 0x10000
    loop .l1                    ; CX: 0 - 1 = FFFF, taken
    FAILED "loop (CX) not taken"
.l1:
    CHECK ecx, 0x1FFFF
    mov ecx, 0x10000
    a32 loop .l2                ; ECX: FFFF, taken
    FAILED "a32 loop not taken"
.l2:
    CHECK ecx, 0xFFFF
    mov ecx, 0x10001
    loop .l3_bad                ; CX 1 -> 0: falls through
    jmp .l3
.l3_bad:
    FAILED "loop taken with CX = 1"
.l3:
    CHECK ecx, 0x10000
    jcxz .l4                    ; CX = 0
    FAILED "jcxz not taken"
.l4:
    jecxz .l5_bad               ; ECX != 0
    jmp .l5
.l5_bad:
    FAILED "jecxz taken"
.l5:
    mov ecx, 3
    xor eax, eax                ; ZF = 1
    a32 loopne .l6_bad
    CHECK ecx, 2
    jmp .l6
.l6_bad:
    FAILED "loopne taken with ZF = 1"
.l6:
    a32 loope .l7
    FAILED "loope not taken"
.l7:
    CHECK ecx, 1
    ENDTEST

    TEST "addr.xlat"
    mov ebx, xtable
    mov eax, 0xFFFFFF03
    a32 xlatb
    CHECK eax, 0xFFFFFF13
    mov ebx, 0xFFFF0000 + xtable ; 16-bit XLAT uses BX only
    mov al, 2
    xlatb
    CHECKB al, 0x12
    ENDTEST

    TEST "addr.pop_esp_base"
    push dword 0xAAAAAAAA
    push dword 0xBBBBBBBB
    pop dword [esp]             ; address formed after ESP moved up
    pop eax
    CHECK eax, 0xBBBBBBBB
    push word 0x1111
    push word 0x2222
    pop word [esp]
    pop ax
    CHECKW ax, 0x2222
    ENDTEST

    DONE

    align 4
table: dd 0x11111111, 0x22222222, 0x33333333, 0x44444444
xtable: db 0x10, 0x11, 0x12, 0x13

    HARNESS_CODE16
