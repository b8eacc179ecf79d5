; SPDX-License-Identifier: MIT
; Protected mode without faults (386 and later, CPL 0): a 16-bit code segment
; reached by far JMP, far CALL and IRETD from 32-bit code; segment bases and
; the descriptor cache (kept until the register is reloaded); expand-down
; data; IRETD at the same level; a 16-bit stack (SS.B = 0) under 32-bit code;
; the way back to real mode, where addressing and the IVT work again and a
; real-mode load keeps the cached 4 GiB limit. Spec: Intel SDM Vol. 3A 3.4.3,
; 3.4.5.1, 9.9.2 (back to real mode); Vol. 2 (JMP, CALL, RET, IRET).
%include "harness.inc"
    BOOT16
    ENTER_PM32 pm_start

; ---- 16-bit code run under SEL_CODE16 (base 0x10000, offsets = labels) ----
code16_jmp:
    mov ax, 0x1234              ; 16-bit operand size by default
    mov ecx, esp
    push ax                     ; 2 bytes, on the 32-bit stack (SS.B = 1)
    sub ecx, esp
    pop ax
    mov ebx, 0x5678ABCD
    jmp dword SEL_CODE32:pm_back1

code16_sub:                     ; entered by a 32-bit far CALL
    mov edx, [esp]              ; the pushed EIP (32-bit slot)
    mov si, [esp + 4]           ; the pushed CS
    mov di, cs
    o32 retf

code16_iret:
    mov cx, cs
    jmp dword SEL_CODE32:pm_back2

to_real16:
    mov ax, SEL_DATA16          ; real-mode-like caches: base 0, 64 KiB
    mov ds, ax
    mov es, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and eax, ~1
    mov cr0, eax
    jmp H_REAL_CS:real_again
real_again:
    mov ax, cs
    mov ds, ax
    mov es, ax
    xor ax, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov esp, 0xFFF0
    lidt [cs:idtr_real]

    TEST "pms.real_again"
    mov eax, cr0
    and eax, 1
    CHECK eax, 0
    mov ax, cs
    CHECKW ax, H_REAL_CS
    push ds
    mov ax, H_SCRATCH >> 4      ; segment arithmetic again: DS:0 = linear 0x5C0
    mov ds, ax
    mov eax, [0]
    pop ds
    CHECK eax, 0x0BADCAFE
    ARM .c1
    int3                        ; through the real-mode IVT at 0
.a1:
    FAILED "no INT3 in real mode after protected mode"
.c1:
    CHECK_CAUGHT 3, .a1
    ENDTEST

    TEST "pms.unreal"           ; a real-mode load changes base, not limit
    mov eax, [fs:dword 0x100000]
    CHECK eax, 0x600DD00D
    ENDTEST
    DONE

idtr_real:
    dw 0x3FF
    dd 0

    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT

    TEST "pms.sidt"
    sidt [H_SCRATCH]
    CHECKW word [H_SCRATCH], 0x7FF
    CHECK dword [H_SCRATCH + 2], H_IDT
    ENDTEST

    TEST "pms.code16_jmp"
    mov eax, 0xAAAA0000
    xor ebx, ebx
    jmp SEL_CODE16:code16_jmp
pm_back1:
    CHECK eax, 0xAAAA1234
    CHECK ecx, 2
    CHECK ebx, 0x5678ABCD
    mov ax, cs
    CHECKW ax, SEL_CODE32
    ENDTEST

    TEST "pms.code16_call"
    mov ebx, esp
    call SEL_CODE16:code16_sub  ; 32-bit far CALL: 8 bytes of frame
.ret:
    CHECK edx, .ret
    CHECKW si, SEL_CODE32
    CHECKW di, SEL_CODE16
    mov eax, esp
    CHECK eax, ebx
    ENDTEST

    TEST "pms.iretd"
    mov ebx, esp
    push dword F_CF | F_ZF | 2
    push dword SEL_CODE32
    push dword .t1
    clc
    iretd                       ; same privilege: pops EIP, CS, EFLAGS only
    FAILED "IRETD fell through"
.t1:
    CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF
    mov eax, esp
    CHECK eax, ebx
    push dword 2
    push dword SEL_CODE16
    push dword code16_iret
    iretd                       ; into the 16-bit segment
pm_back2:
    CHECKW cx, SEL_CODE16
    mov eax, esp
    CHECK eax, ebx
    ENDTEST

    TEST "pms.base_and_cache"
    mov dword [0x30FFC], 0x600DF00D
    mov ax, SEL_SMALL           ; base 0x30000, limit 0xFFF
    mov es, ax
    mov eax, [es:0xFFC]
    CHECK eax, 0x600DF00D
    mov dword [es:0], 0x12345678
    CHECK dword [0x30000], 0x12345678
    mov dword [H_SCRATCH], 0x0BADCAFE
    mov dword [H_SCRATCH + 0x100], 0x5EC0DE00
    mov ax, SEL_DATA16          ; base 0
    mov fs, ax
    mov eax, [fs:H_SCRATCH]
    CHECK eax, 0x0BADCAFE
    mov byte [h_gdt + 0x10000 + SEL_DATA16 + 2], 0x00 ; base 0x100 in memory...
    mov byte [h_gdt + 0x10000 + SEL_DATA16 + 3], 0x01
    mov eax, [fs:H_SCRATCH]     ; ...but FS keeps its cached base 0
    CHECK eax, 0x0BADCAFE
    mov ax, SEL_DATA16
    mov fs, ax                  ; reload: base 0x100
    mov eax, [fs:H_SCRATCH]
    CHECK eax, 0x5EC0DE00
    mov byte [h_gdt + 0x10000 + SEL_DATA16 + 3], 0x00
    mov ax, SEL_DATA16
    mov fs, ax
    mov ax, fs
    CHECKW ax, SEL_DATA16
    mov ax, SEL_DATA32
    mov es, ax
    mov fs, ax
    ENDTEST

    TEST "pms.expand_down"
    mov ax, SEL_EXPDN           ; valid offsets 0x1000 .. 0xFFFFFFFF
    mov es, ax
    mov dword [0x2000], 0x0E0D0C0B
    mov eax, [es:0x2000]
    CHECK eax, 0x0E0D0C0B
    mov eax, [es:0x1000]
    mov ax, SEL_DATA32
    mov es, ax
    ENDTEST

    TEST "pms.stack16"
    mov ebx, esp
    mov ecx, 0xABCD0000
    mov cx, sp
    mov ax, SEL_DATA16          ; B = 0: the stack pointer is SP
    mov ss, ax
    mov esp, ecx
    push eax
    mov edx, esp                ; 0xABCD0000 | (SP - 4)
    call .sub                   ; a 4-byte return address, still at SP
    pop eax
    mov edi, esp
    mov ax, SEL_DATA32
    mov ss, ax
    mov esp, ebx
    lea eax, [ecx - 4]
    CHECK edx, eax
    lea eax, [ecx - 8]
    CHECK esi, eax
    CHECK edi, ecx
    ENDTEST
    jmp .stack16_done
.sub:
    mov esi, esp
    ret
.stack16_done:

    mov dword [0x100000], 0x600DD00D
    mov ax, SEL_DATA32          ; FS keeps a 4 GiB limit into real mode
    mov fs, ax
    jmp SEL_CODE16:to_real16    ; continues with "pms.real_again"

    HARNESS_CODE32
