; SPDX-License-Identifier: MIT
; Protected-mode interrupts and exceptions at CPL 0 (386 and later): INT n
; through 32-bit interrupt and trap gates (frame, IF), IRETD, INT3 / INTO /
; BOUND / #UD / #DE return addresses, error codes of segment-load faults
; (#GP, #NP, #SS with the selector), limit, type and null-selector faults,
; IDT gate checks, #DF when #GP cannot be delivered, single step, and a REP
; fault part-way. Spec: Intel SDM Vol. 3A 5.3-5.5, 6.3-6.15 (exception
; classes, error codes, gates, table 6-5), 17.3.1.4; Vol. 2 (MOV Sreg, INT n).
%include "harness.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT

    TEST "pmx.interrupt_gate"
    SET_GATE 0x40, int40, 0x8E
    mov eax, 0x11111111
    or eax, eax                 ; ZF = 0, CF = 0
    stc
    std
    sti                         ; nothing can interrupt the flat machine
    mov ebx, esp
    int 0x40
.ret:
    CHECK_FLAGS F_IF | F_DF | F_CF | F_ZF | F_TF, F_IF | F_DF | F_CF | F_ZF
    cli
    cld
    CHECK eax, 0x22222222
    CHECK dword [H_SCRATCH], .ret
    CHECKW word [H_SCRATCH + 4], SEL_CODE32
    mov eax, [H_SCRATCH + 8]    ; pushed EFLAGS
    and eax, F_IF | F_DF | F_CF | F_ZF | F_TF
    CHECK eax, F_IF | F_DF | F_CF
    mov eax, [H_SCRATCH + 12]   ; EFLAGS in the handler: IF cleared
    and eax, F_IF | F_DF | F_CF | F_TF
    CHECK eax, F_DF | F_CF
    lea eax, [ebx - 12]
    CHECK dword [H_SCRATCH + 16], eax
    mov eax, esp
    CHECK eax, ebx
    ENDTEST

    TEST "pmx.trap_gate"
    SET_GATE 0x41, int41, 0x8F
    mov dword [H_SCRATCH + 12], 0
    sti
    int 0x41
    cli
    mov eax, [H_SCRATCH + 12]   ; a trap gate leaves IF alone
    and eax, F_IF
    CHECK eax, F_IF
    ENDTEST

    TEST "pmx.int3_into_bound"
    ARM .c1
    int3
.a1:
    FAILED "no INT3"
.c1:
    CHECK_CAUGHT 3, .a1
    mov al, 0x7F
    add al, 1                   ; OF = 1
    ARM .c2
    into
.a2:
    FAILED "no INTO"
.c2:
    CHECK_CAUGHT 4, .a2
    mov eax, 11
    ARM .c3
.f3:
    bound eax, [bound_pair]
    FAILED "no #BR"
.c3:
    CHECK_CAUGHT 5, .f3
    CHECK dword [gs:H_ERR], 0
    ENDTEST

    TEST "pmx.ud_de"
    ARM .c1
.f1:
    ud2
    FAILED "no #UD"
.c1:
    CHECK_CAUGHT 6, .f1
    mov eax, 5
    mov ebx, 7
    ARM .c2
.f2:
    db 0xF0, 0x01, 0xD8         ; lock add eax, ebx
    FAILED "no #UD for LOCK with a register destination"
.c2:
    CHECK_CAUGHT 6, .f2
    CHECK eax, 5
    mov eax, 10
    mov edx, 3
    xor ecx, ecx
    ARM .c3
.f3:
    div ecx
    FAILED "no #DE"
.c3:
    CHECK_CAUGHT 0, .f3
    CHECK eax, 10
    CHECK edx, 3
    ENDTEST

    TEST "pmx.segment_load_faults"
    mov ax, 0x7F8               ; beyond the GDT limit
    ARM .c1
.f1:
    mov ds, ax
    FAILED "no #GP for a selector beyond the GDT"
.c1:
    CHECK_CAUGHT 13, .f1
    CHECK dword [gs:H_ERR], 0x7F8
    mov ax, ds
    CHECKW ax, SEL_DATA32
    mov ax, SEL_CODEXO          ; execute-only code is not readable data
    ARM .c2
.f2:
    mov es, ax
    FAILED "no #GP for execute-only code in ES"
.c2:
    CHECK_CAUGHT 13, .f2
    CHECK dword [gs:H_ERR], SEL_CODEXO
    mov ax, SEL_RO              ; SS must be writable
    ARM .c3
.f3:
    mov ss, ax
    FAILED "no #GP for read-only SS"
.c3:
    CHECK_CAUGHT 13, .f3
    CHECK dword [gs:H_ERR], SEL_RO
    xor ax, ax
    ARM .c4
.f4:
    mov ss, ax
    FAILED "no #GP for a null SS"
.c4:
    CHECK_CAUGHT 13, .f4
    CHECK dword [gs:H_ERR], 0
    mov ax, SEL_DATA32 | 3      ; RPL 3 > DPL 0
    ARM .c5
.f5:
    mov fs, ax
    FAILED "no #GP for RPL > DPL"
.c5:
    CHECK_CAUGHT 13, .f5
    CHECK dword [gs:H_ERR], SEL_DATA32
    mov ax, SEL_NP
    ARM .c6
.f6:
    mov ds, ax
    FAILED "no #NP"
.c6:
    CHECK_CAUGHT 11, .f6
    CHECK dword [gs:H_ERR], SEL_NP
    ARM .c7
.f7:
    mov ss, ax
    FAILED "no #SS for a not-present SS"
.c7:
    CHECK_CAUGHT 12, .f7
    CHECK dword [gs:H_ERR], SEL_NP
    mov ax, ss
    CHECKW ax, SEL_DATA32
    ENDTEST

    TEST "pmx.null_selector"
    xor ax, ax
    ARM .c1
    mov es, ax                  ; loading null is fine...
    mov fs, ax
.c1:
    CHECK_NOT_CAUGHT
    ARM .c2
.f2:
    mov eax, [es:0x100]         ; ...using it is #GP(0)
    FAILED "no #GP through a null ES"
.c2:
    CHECK_CAUGHT 13, .f2
    CHECK dword [gs:H_ERR], 0
    mov ax, SEL_DATA32
    mov es, ax
    mov fs, ax
    ENDTEST

    TEST "pmx.limits_and_types"
    mov ax, SEL_SMALL           ; limit 0xFFF
    mov es, ax
    ARM .c1
.f1:
    mov eax, [es:0xFFD]         ; last byte at 0x1000
    FAILED "no #GP past the limit"
.c1:
    CHECK_CAUGHT 13, .f1
    CHECK dword [gs:H_ERR], 0
    mov ax, SEL_RO
    mov es, ax
    ARM .c2
    mov eax, [es:H_SCRATCH]     ; reading is fine
.c2:
    CHECK_NOT_CAUGHT
    ARM .c3
.f3:
    mov [es:H_SCRATCH], eax
    FAILED "no #GP writing a read-only segment"
.c3:
    CHECK_CAUGHT 13, .f3
    ARM .c4
.f4:
    mov [cs:H_SCRATCH], eax     ; code is never writable
    FAILED "no #GP writing through CS"
.c4:
    CHECK_CAUGHT 13, .f4
    mov ax, SEL_EXPDN           ; expand-down: offsets up to the limit are invalid
    mov es, ax
    ARM .c5
.f5:
    mov eax, [es:0xFFE]         ; straddles 0xFFF / 0x1000
    FAILED "no #GP below an expand-down limit"
.c5:
    CHECK_CAUGHT 13, .f5
    mov ax, SEL_DATA32
    mov es, ax
    jmp SEL_CODEXO:.xo          ; execute-only code cannot be read through CS
.xo:
    ARM .c6
.f6:
    mov eax, [cs:.xo]
    FAILED "no #GP reading execute-only CS"
.c6:
    CHECK_CAUGHT 13, .f6, SEL_CODEXO
    jmp SEL_CODE32:.back
.back:
    ENDTEST

    TEST "pmx.idt_gates"
    ARM .c1
.f1:
    int 0x50                    ; an empty gate: not a gate type
    FAILED "no #GP for an invalid gate"
.c1:
    CHECK_CAUGHT 13, .f1
    CHECK dword [gs:H_ERR], 0x50 * 8 + 2
    SET_GATE 0x51, int41, 0x0E  ; interrupt gate, not present
    ARM .c2
.f2:
    int 0x51
    FAILED "no #NP for a not-present gate"
.c2:
    CHECK_CAUGHT 11, .f2
    CHECK dword [gs:H_ERR], 0x51 * 8 + 2
    lidt [idtr_short]           ; vectors 0-63 only
    ARM .c3
.f3:
    int 0x41
    FAILED "no #GP for a vector beyond the IDT limit"
.c3:
    lidt [h_idtr32]
    CHECK_CAUGHT 13, .f3
    CHECK dword [gs:H_ERR], 0x41 * 8 + 2
    ENDTEST

    TEST "pmx.error_code_frame"
    SET_GATE 13, gp_skip, 0x8E  ; pops the error code, skips a 2-byte insn
    mov ax, 0x7F8
    mov ds, ax
    mov ax, ds
    CHECKW ax, SEL_DATA32
    CHECK dword [H_SCRATCH + 20], 0x7F8
    SET_GATE 13, h_stubs32 + 13 * 16, 0x8E
    ENDTEST

    TEST "pmx.double_fault"
    and byte [gs:H_IDT + 13 * 8 + 5], 0x7F ; #GP gate not present
    mov ax, 0x7F8
    ARM .c1
    mov ds, ax                  ; #GP, then #NP delivering it: #DF
    FAILED "no double fault"
.c1:
    or byte [gs:H_IDT + 13 * 8 + 5], 0x80
    CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], 8
    CHECK dword [gs:H_ERR], 0
    ENDTEST

    TEST "pmx.single_step"
    ARM .c1
    pushfd
    or dword [esp], F_TF
    popfd                       ; TF takes effect after the next instruction
    nop
.a1:
    FAILED "no single-step trap"
.c1:
    CHECK_CAUGHT 1, .a1
    mov eax, [gs:H_FLAGS]
    and eax, F_TF
    CHECK eax, F_TF
    ENDTEST

    TEST "pmx.rep_fault"
    mov word [h_gdt + 0x10000 + SEL_SMALL], 0x3FFF ; limit 0x3FFF
    mov ax, SEL_SMALL
    mov es, ax
    mov edi, 0x4000 - 5000
    mov ecx, 8000
    mov al, 0x5A
    ARM .c1
.f1:
    rep stosb
    FAILED "no #GP at the limit"
.c1:
    CHECK_CAUGHT 13, .f1
    CHECK ecx, 3000
    CHECK edi, 0x4000
    CHECKB byte [0x30000 + 0x3FFF], 0x5A
    mov word [h_gdt + 0x10000 + SEL_SMALL], 0x0FFF
    mov ax, SEL_DATA32
    mov es, ax
    ENDTEST

    DONE

; INT 0x40: record EIP, CS, EFLAGS, the handler's EFLAGS and ESP; set ZF in
; the image; return EAX = 0x22222222.
int40:
    mov [H_SCRATCH + 16], esp
    push eax
    mov eax, [esp + 4]
    mov [H_SCRATCH], eax
    mov eax, [esp + 8]
    mov [H_SCRATCH + 4], eax
    mov eax, [esp + 12]
    mov [H_SCRATCH + 8], eax
    pushfd
    pop eax
    mov [H_SCRATCH + 12], eax
    pop eax
    mov eax, 0x22222222
    or dword [esp + 8], F_ZF
    iretd

int41:
    pushfd
    pop dword [H_SCRATCH + 12]
    iretd

; #GP handler: record and pop the error code, skip the 2-byte faulting insn.
gp_skip:
    pop dword [H_SCRATCH + 20]
    add dword [esp], 2
    iretd

bound_pair: dd 0, 10
idtr_short:
    dw 64 * 8 - 1
    dd H_IDT

    HARNESS_CODE32
