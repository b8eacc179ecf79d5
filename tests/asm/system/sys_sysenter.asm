; SPDX-License-Identifier: MIT
; SYSENTER and SYSEXIT on the Pentium II model, entered from reset: the
; selectors derived from IA32_SYSENTER_CS, flat segments that do not come
; from the GDT, ESP and EIP from the MSRs and from ECX/EDX, the CPL, EFLAGS
; (SYSENTER clears IF and VM; SYSEXIT leaves EFLAGS alone), and #GP(0) for
; a null IA32_SYSENTER_CS or SYSEXIT outside ring 0.
; Spec: Intel SDM Vol. 2 (SYSENTER, SYSEXIT), Vol. 3A 5.8.7 (fast system
; calls).
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT

SEL_SE   equ SEL_FREE           ; SYSENTER_CS: code 0, +8 stack 0, +16 code 3, +24 stack 3
SE_STACK equ 0x7800
    DESC GDT_SLOT(SEL_SE), 0, 0xFFFFF, A_CODE32
    DESC GDT_SLOT(SEL_SE + 8), 0, 0xFFFFF, A_DATA32
    DESC GDT_SLOT(SEL_SE + 16), 0, 0xFFFFF, A_CODE32 | A_DPL3
    DESC GDT_SLOT(SEL_SE + 24), 0, 0xFFFFF, A_DATA32 | A_DPL3

    TEST "se.round_trip"
    ; The RPL bits of the MSR are ignored: CS = SYSENTER_CS & FFFCH.
    mov ecx, 0x174
    mov eax, SEL_SE | 3
    xor edx, edx
    wrmsr
    mov ecx, 0x175
    mov eax, SE_STACK
    wrmsr
    mov ecx, 0x176
    mov eax, se_entry
    wrmsr
    mov [S_MAIN_ESP], esp
    mov ax, SEL_UDATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    push dword SEL_UDATA
    push dword SYS_STACK3
    push dword 0x0202           ; IF = 1
    push dword SEL_UCODE
    push dword .r3
    iretd
.r3:
    mov ecx, SYS_STACK3 - 0x20  ; for SYSEXIT: the ring-3 ESP and EIP
    mov edx, .back
    mov ebx, 0xB0B0
    sysenter
.back:
    mov [S_T + 0x40], esp
    mov word [S_T + 0x44], cs
    mov word [S_T + 0x46], ss
    mov [S_T + 0x48], ebx
    pushfd
    pop dword [S_T + 0x4C]
    TO_RING0
    ; At the SYSENTER target: CPL 0, CS and SS from the MSR, ESP from
    ; IA32_SYSENTER_ESP, IF clear, other registers and DS kept.
    CHECKW word [S_T], SEL_SE
    CHECKW word [S_T + 2], SEL_SE + 8
    CHECK dword [S_T + 4], SE_STACK
    mov eax, [S_T + 8]
    and eax, F_IF | 0x20000
    CHECK eax, 0
    CHECK dword [S_T + 12], 0xB0B0
    CHECKW word [S_T + 16], SEL_UDATA
    ; After SYSEXIT: CPL 3 with CS = SYSENTER_CS + 16, SS = + 24, ESP = ECX,
    ; EIP = EDX, and EFLAGS as the handler left them (IF set there).
    CHECK dword [S_T + 0x40], SYS_STACK3 - 0x20
    CHECKW word [S_T + 0x44], SEL_SE + 16 | 3
    CHECKW word [S_T + 0x46], SEL_SE + 24 | 3
    CHECK dword [S_T + 0x48], 0xB1B1
    mov eax, [S_T + 0x4C]
    and eax, F_IF
    CHECK eax, F_IF
    cli
    ENDTEST

    TEST "se.flat_not_from_gdt"
    ; The segments are fixed flat ones (SDM SYSENTER/SYSEXIT): empty GDT
    ; entries change nothing, and the stack reaches above 64 KiB.
    xor eax, eax
    mov edi, GDT_SLOT(SEL_SE)
    mov ecx, 8
    rep stosd
    mov ecx, 0x175
    mov eax, 0x200000
    xor edx, edx
    wrmsr
    TO_RING3 .r3
.r3:
    mov ecx, SYS_STACK3
    mov edx, .back
    sysenter
.back:
    mov word [S_T + 0x44], cs
    TO_RING0
    CHECK dword [S_T + 4], 0x200000
    CHECKW word [S_T + 0x44], SEL_SE + 16 | 3
    CHECK dword [0x200000 - 4], 0x5E5E5E5E
    ENDTEST

    TEST "se.faults"
    ; SYSEXIT at CPL 3, and either instruction with IA32_SYSENTER_CS null.
    TO_RING3 .r3
.r3:
    ARM3 .c1
.f1: sysexit
.c1:
    CHECK_CAUGHT 13, .f1, SEL_UCODE
    CHECK dword [gs:H_ERR], 0
    mov ecx, 0x174
    mov eax, 3                  ; index 0: null once the RPL bits go
    xor edx, edx
    wrmsr
    ARM .c2
.f2: sysexit
.c2:
    CHECK_CAUGHT 13, .f2
    TO_RING3 .r3b
.r3b:
    ARM3 .c3
.f3: sysenter
.c3:
    CHECK_CAUGHT 13, .f3, SEL_UCODE
    CHECK dword [gs:H_ERR], 0
    ENDTEST

    DONE

; SYSENTER target: record CS, SS, ESP, EFLAGS, EBX and DS at S_T, push a
; marker (on the MSR's stack), then SYSEXIT with IF set and EBX changed.
se_entry:
    mov word [S_T], cs
    mov word [S_T + 2], ss
    mov [S_T + 4], esp
    pushfd
    pop dword [S_T + 8]
    mov [S_T + 12], ebx
    mov word [S_T + 16], ds
    push dword 0x5E5E5E5E
    mov ebx, 0xB1B1
    sti
    sysexit

    HARNESS_CODE32
    SYS_CODE32
