; SPDX-License-Identifier: MIT
; 32-bit flat protected mode at CPL 0 (386 and later): entry through LGDT,
; CR0.PE and a far JMP; descriptor-cache effects (accessed bits, SGDT); then
; ALU, shifts, MUL/DIV, strings, stack, ENTER/LEAVE and near/far CALL/RET in
; 32-bit code, with 0x66/0x67 now selecting the 16-bit forms. Expected
; values follow Intel SDM Vol. 2 (each instruction) and Vol. 3A 3.4-3.5 and
; 9.9.1 (switching to protected mode).
%include "harness.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT

    TEST "pm.entered"
    mov eax, cr0
    and eax, 1
    CHECK eax, 1
    mov ax, cs
    CHECKW ax, SEL_CODE32
    mov ax, ds
    CHECKW ax, SEL_DATA32
    mov ax, ss
    CHECKW ax, SEL_DATA32
    ; loading a selector sets the descriptor's accessed bit
    CHECKB byte [h_gdt + 0x10000 + SEL_CODE32 + 5], 0x9B
    CHECKB byte [h_gdt + 0x10000 + SEL_DATA32 + 5], 0x93
    CHECKB byte [h_gdt + 0x10000 + SEL_DATA16 + 5], 0x92
    sgdt [H_SCRATCH]
    CHECKW word [H_SCRATCH], h_gdt_end - h_gdt - 1
    CHECK dword [H_SCRATCH + 2], h_gdt + 0x10000
    mov ebx, esp
    push eax                    ; 32-bit stack
    sub ebx, esp
    pop eax
    CHECK ebx, 4
    ENDTEST

    TEST "pm.alu"
    mov eax, 0x80000000
    mov ebx, 0x80000000
    add eax, ebx
    CHECK eax, 0
    CHECK_FLAGS F_ARITH, F_CF | F_OF | F_ZF | F_PF
    mov eax, 0x1234FFFF
    add ax, 1                   ; 0x66: the 16-bit form
    CHECK eax, 0x12340000
    CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF
    xor eax, eax                ; 1:00000000 - 1 = 0:FFFFFFFF
    mov edx, 1
    sub eax, 1
    sbb edx, 0
    CHECK eax, 0xFFFFFFFF
    CHECK edx, 0
    CHECK_FLAGS F_CF | F_ZF, F_ZF
    stc
    mov eax, 0xFFFFFFFF
    adc eax, 0
    CHECK eax, 0
    CHECK_FLAGS F_CF | F_ZF | F_AF, F_CF | F_ZF | F_AF
    mov eax, 0x12345678
    and eax, byte -16           ; 83 /4, imm8 sign-extended
    CHECK eax, 0x12345670
    mov eax, 5
    cmp eax, 7                  ; 0xFFFFFFFE: seven 1 bits in the low byte
    CHECK_FLAGS F_ARITH, F_CF | F_SF | F_AF
    mov eax, 0x55
    xor al, 0xAA
    CHECK eax, 0xFF
    CHECK_FLAGS F_SF | F_ZF | F_PF, F_SF | F_PF
    ENDTEST

    TEST "pm.shift"
    mov eax, 0x40000000
    sar eax, 31
    CHECK eax, 0
    CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF
    clc
    mov eax, 0x80000000
    mov cl, 33                  ; masked to 1
    rcl eax, cl
    CHECK eax, 0
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    mov eax, 0xAAAA8001
    shr ax, 1
    CHECK eax, 0xAAAA4000
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    mov eax, 0x11223344
    mov edx, 0x55667788
    mov cl, 16
    shrd eax, edx, cl
    CHECK eax, 0x77881122
    CHECK_FLAGS F_CF, 0
    xor ebx, ebx                ; ZF = 1, CF = 0
    mov cl, 0
    shld eax, edx, cl           ; count 0: nothing changes
    CHECK eax, 0x77881122
    CHECK_FLAGS F_CF | F_ZF, F_ZF
    mov eax, 0x12345678
    ror eax, 16
    CHECK eax, 0x56781234
    ENDTEST

    TEST "pm.muldiv"
    mov eax, 0x9ABCDEF0
    mov ecx, 0x87654321
    mul ecx
    CHECK edx, 0x51D6CEA7
    CHECK eax, 0xE5618CF0
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    mov eax, -123456789
    mov ebx, 1000
    imul ebx
    CHECK edx, 0xFFFFFFE3
    CHECK eax, 0x4166E5F8
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    mov edx, 5
    mov eax, 7
    mov ecx, 0x10000
    div ecx
    CHECK eax, 0x50000
    CHECK edx, 7
    mov eax, -1000000007
    cdq
    mov ebx, 1000
    idiv ebx
    CHECK eax, 0xFFF0BDC0
    CHECK edx, 0xFFFFFFF9
    mov eax, 0xFFFF0010         ; 16-bit MUL: DX:AX
    mov edx, 0xFFFF0000
    mov bx, 0x1000
    mul bx
    CHECK eax, 0xFFFF0000
    CHECK edx, 0xFFFF0001
    mov ebx, 100
    imul eax, ebx, -7
    CHECK eax, 0xFFFFFD44
    ENDTEST

    TEST "pm.string"
    mov edi, 0x100000           ; above 1 MiB
    mov ecx, 64
    mov eax, 0x01020304
    rep stosd
    CHECK edi, 0x100100
    CHECK dword [0x1000FC], 0x01020304
    mov esi, 0x100000
    mov edi, 0x180000
    mov ecx, 256
    rep movsb
    CHECK esi, 0x100100
    CHECK edi, 0x180100
    CHECK dword [0x180080], 0x01020304
    mov byte [0x1800FF], 0x05
    mov esi, 0x100000
    mov edi, 0x180000
    mov ecx, 256
    repe cmpsb                  ; differs at the last byte: 0x01 - 0x05
    CHECK ecx, 0
    CHECK esi, 0x100100
    CHECK_FLAGS F_ZF | F_CF, F_CF
    mov edi, 0x180000 + 252
    mov eax, 0x01020304
    mov ecx, 64
    std
    repe scasd                  ; backward from the last dword: differs at once
    cld
    CHECK ecx, 63
    CHECK edi, 0x180000 + 248
    CHECK_FLAGS F_ZF, 0
    mov esi, 0xABCD0000 + H_SCRATCH
    mov byte [H_SCRATCH], 0x42
    a16 lodsb                   ; 0x67: SI only
    CHECK esi, 0xABCD0000 + H_SCRATCH + 1
    CHECKB al, 0x42
    mov esi, 0x100000
    mov edi, H_SCRATCH
    movsw                       ; 0x66: a word
    CHECK edi, H_SCRATCH + 2
    CHECKW word [H_SCRATCH], 0x0304
    ENDTEST

    TEST "pm.stack"
    mov ebx, esp
    push byte -1                ; sign-extended to 32 bits
    pop eax
    CHECK eax, 0xFFFFFFFF
    push word 0x1234            ; 0x66: 2 bytes
    mov ecx, ebx
    sub ecx, esp
    CHECK ecx, 2
    pop ax
    CHECK eax, 0xFFFF1234
    push ds                     ; a 4-byte slot; the selector in the low word
    mov ecx, ebx
    sub ecx, esp
    CHECK ecx, 4
    pop eax
    CHECKW ax, SEL_DATA32
    push dword SEL_DATA32
    pop es                      ; a descriptor load
    mov ax, es
    CHECKW ax, SEL_DATA32
    push esp
    pop eax
    CHECK eax, ebx
    lea eax, [esp - 0x40]
    push eax
    pop esp                     ; the popped value wins
    mov eax, esp
    mov esp, ebx
    lea ecx, [ebx - 0x40]
    CHECK eax, ecx
    mov eax, 0x12345678
    mov ebp, 0x87654321
    pushad
    mov ebp, 0
    mov eax, 0
    popad
    CHECK eax, 0x12345678
    CHECK ebp, 0x87654321
    mov eax, esp
    CHECK eax, ebx
    ENDTEST

    TEST "pm.enter_leave"
    mov ebx, esp
    mov ebp, 0x11223344
    enter 16, 0
    lea eax, [ebx - 4]
    CHECK ebp, eax
    lea eax, [ebx - 20]
    mov ecx, esp
    CHECK ecx, eax
    CHECK dword [ebx - 4], 0x11223344
    leave
    CHECK ebp, 0x11223344
    mov ecx, esp
    CHECK ecx, ebx
    mov dword [H_SCRATCH + 0x0C], 0xCAFE1234 ; the enclosing frame's pointer slot
    mov ebp, H_SCRATCH + 0x10
    enter 8, 2
    lea eax, [ebx - 4]
    CHECK ebp, eax
    lea eax, [ebx - 20]
    mov ecx, esp
    CHECK ecx, eax
    CHECK dword [ebx - 4], H_SCRATCH + 0x10
    CHECK dword [ebx - 8], 0xCAFE1234
    lea eax, [ebx - 4]
    CHECK dword [ebx - 12], eax
    leave
    CHECK ebp, H_SCRATCH + 0x10
    mov ecx, esp
    CHECK ecx, ebx
    ENDTEST

    TEST "pm.calls"
    mov ebx, esp
    call .near1
.ret1:
    CHECK edx, .ret1
    CHECK ecx, 4
    mov eax, .near2
    call eax
    CHECK edx, 0x2222
    mov dword [H_SCRATCH], .near2
    mov edx, 0
    call dword [H_SCRATCH]
    CHECK edx, 0x2222
    push dword 1
    push dword 2
    call .near3                 ; RET 8 releases the arguments
    mov ecx, esp
    CHECK ecx, ebx
    call SEL_CODE32:.far1       ; 9A ptr16:32
.ret2:
    CHECK edx, .ret2
    CHECKW si, SEL_CODE32
    CHECK ecx, 8
    mov dword [H_SCRATCH], .far1
    mov word [H_SCRATCH + 4], SEL_CODE32
    call far [H_SCRATCH]        ; FF /3 m16:32
.ret3:
    CHECK edx, .ret3
    push dword 0x77
    call SEL_CODE32:.far2       ; RETF 4
    mov ecx, esp
    CHECK ecx, ebx
    mov dword [H_SCRATCH], .j1
    mov word [H_SCRATCH + 4], SEL_CODE32
    jmp far [H_SCRATCH]         ; FF /5 m16:32
    FAILED "jmp far [mem] fell through"
.j1:
    jmp SEL_CODE32:.j2          ; EA ptr16:32
    FAILED "jmp far ptr fell through"
.j2:
    mov ax, cs
    CHECKW ax, SEL_CODE32
    ENDTEST
    jmp .calls_done
.near1:
    mov edx, [esp]
    mov ecx, ebx
    sub ecx, esp
    ret
.near2:
    mov edx, 0x2222
    ret
.near3:
    ret 8
.far1:
    mov edx, [esp]
    mov esi, [esp + 4]
    mov ecx, ebx
    sub ecx, esp
    retf
.far2:
    retf 4
.calls_done:

    TEST "pm.addressing"
    mov ebx, 0x100000
    mov esi, 0x40
    lea eax, [ebx + esi * 2 + 0x10]
    CHECK eax, 0x100090
    mov dword [0x100090], 0x5A5A5A5A
    mov eax, [ebx + esi * 2 + 0x10]
    CHECK eax, 0x5A5A5A5A
    mov eax, 0xFFFFFFFF
    mov bx, 0xFFFF
    mov si, 2
    a16 lea eax, [bx + si]      ; 0x67: 16-bit address, zero-extended
    CHECK eax, 1
    lea ax, [ebx + esi]         ; 0x66: low 16 bits of 0x10FFFF + 2
    CHECK eax, 0x00000001
    mov ecx, 0x10001
    a16 loop .l1_bad            ; 0x67: CX 1 -> 0, not taken
    jmp .l1
.l1_bad:
    FAILED "a16 loop taken with CX = 1"
.l1:
    CHECK ecx, 0x10000
    a16 jcxz .l2                ; CX = 0
    FAILED "jcxz (CX) not taken"
.l2:
    jecxz .l3_bad               ; ECX != 0
    jmp .l3
.l3_bad:
    FAILED "jecxz taken"
.l3:
    cmp dword [gs:H_GEN], 6
    jb .no_cmov
    mov eax, 1
    mov ecx, 2
    cmp eax, eax
    cmovz eax, ecx
    cmovnz eax, ebx
    CHECK eax, 2
.no_cmov:
    ENDTEST

    DONE

    HARNESS_CODE32
