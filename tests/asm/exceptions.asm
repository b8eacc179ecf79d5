; SPDX-License-Identifier: MIT
; Real-mode exception and interrupt delivery on the 386 and later: #DE pushes
; the address of the faulting instruction (286 and later) and can be
; restarted, the IDIV range edge, INT n / INT3 / INT1 / IRET / IRETD frames
; and flags, INTO, BOUND (#BR, #UD for a register operand), #UD, LIDT-moved
; and limit-checked real-mode IVTs, single-step traps, and fault precision
; (registers as before the faulting instruction). Expected behaviour follows
; Intel SDM Vol. 2 (DIV, IDIV, INT n, IRET, BOUND, INTO) and Vol. 3A 6.5,
; 17.3.1.4 and 20.1.4.
%include "harness.inc"
    BOOT16

    TEST "exc.de_div0"
    mov eax, 100
    mov edx, 0x5555AAAA
    xor bl, bl
    stc
    ARM .c1
.f1:
    div bl
    FAILED "no #DE for DIV by 0"
.c1:
    CHECK_CAUGHT 0, .f1
    CHECK eax, 100
    CHECK edx, 0x5555AAAA
    CHECK_FLAGS F_CF, F_CF      ; the pushed FLAGS are those before DIV
    mov edx, 7
    mov eax, 1
    xor ecx, ecx
    ARM .c2
.f2:
    div ecx
    FAILED "no #DE for 32-bit DIV by 0"
.c2:
    CHECK_CAUGHT 0, .f2
    CHECK eax, 1
    CHECK edx, 7
    ENDTEST

    TEST "exc.de_overflow"
    mov ax, 0x1000
    mov bl, 2
    ARM .c1
.f1:
    div bl                      ; quotient 0x800 does not fit in AL
    FAILED "no #DE for byte quotient overflow"
.c1:
    CHECK_CAUGHT 0, .f1
    CHECKW ax, 0x1000
    mov dx, 2
    xor ax, ax
    mov bx, 2
    ARM .c2
.f2:
    div bx                      ; 0x20000 / 2 = 0x10000
    FAILED "no #DE for word quotient overflow"
.c2:
    CHECK_CAUGHT 0, .f2
    mov edx, 2
    xor eax, eax
    mov ecx, 2
    ARM .c3
.f3:
    div ecx
    FAILED "no #DE for dword quotient overflow"
.c3:
    CHECK_CAUGHT 0, .f3
    xor dx, dx
    mov ax, 0x8000              ; +32768 / 1
    mov bx, 1
    ARM .c4
.f4:
    idiv bx
    FAILED "no #DE for IDIV quotient +32768"
.c4:
    CHECK_CAUGHT 0, .f4
    mov edx, 0xFFFFFFFF         ; -2^31 / -1
    mov eax, 0x80000000
    mov ebx, -1
    ARM .c5
.f5:
    idiv ebx
    FAILED "no #DE for IDIV -2^31 / -1"
.c5:
    CHECK_CAUGHT 0, .f5
    ENDTEST

    TEST "exc.idiv_most_negative"
    mov ax, 0xFF00              ; -256 / 2 = -128: fits (286 and later)
    mov bl, 2
    ARM .c1
    idiv bl
.c1:
    CHECK_NOT_CAUGHT
    CHECKW ax, 0x0080
    mov dx, 0xFFFF              ; -65536 / 2 = -32768
    xor ax, ax
    mov bx, 2
    ARM .c2
    idiv bx
.c2:
    CHECK_NOT_CAUGHT
    CHECKW ax, 0x8000
    CHECKW dx, 0
    mov edx, 0xFFFFFFFF         ; -2^32 / 2 = -2^31
    xor eax, eax
    mov ebx, 2
    ARM .c3
    idiv ebx
.c3:
    CHECK_NOT_CAUGHT
    CHECK eax, 0x80000000
    CHECK edx, 0
    ENDTEST

    TEST "exc.de_restart"
    SET_IVT 0, de_fixup         ; the handler makes the divisor 1 and IRETs
    mov dword [gs:H_SCRATCH], 0
    mov ax, 100
    xor bl, bl
    div bl                      ; re-executed after the handler
    SET_IVT 0, h_stubs16
    CHECKW ax, 100              ; AH = remainder 0, AL = quotient 100
    CHECKB bl, 1
    CHECK dword [gs:H_SCRATCH], 1
    ENDTEST

    TEST "exc.aam0"
    mov ax, 0x1234
    ARM .c1
.f1:
    aam 0
    FAILED "no #DE for AAM 0"
.c1:
    CHECK_CAUGHT 0, .f1
    CHECKW ax, 0x1234
    ENDTEST

    TEST "exc.int_iret"
    SET_IVT 0x40, int40
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
    CHECK dword [gs:H_SCRATCH], .ret
    CHECK dword [gs:H_SCRATCH + 4], H_REAL_CS
    mov eax, [gs:H_SCRATCH + 8]
    and eax, F_IF | F_DF | F_CF | F_ZF | F_TF
    CHECK eax, F_IF | F_DF | F_CF
    mov eax, [gs:H_SCRATCH + 12] ; FLAGS inside the handler: IF and TF cleared
    and eax, F_IF | F_DF | F_CF | F_TF
    CHECK eax, F_DF | F_CF
    lea eax, [ebx - 6]
    CHECK dword [gs:H_SCRATCH + 16], eax
    mov eax, esp
    CHECK eax, ebx
    ENDTEST

    TEST "exc.int3"
    ARM .c1
    int3                        ; CC
.a1:
    FAILED "no INT3"
.c1:
    CHECK_CAUGHT 3, .a1
    ARM .c2
    db 0xCD, 0x03               ; INT 3, two-byte form
.a2:
    FAILED "no INT 3"
.c2:
    CHECK_CAUGHT 3, .a2
    ARM .c3
    db 0xF1                     ; INT1 (ICEBP): a trap like #DB
.a3:
    FAILED "no INT1"
.c3:
    CHECK_CAUGHT 1, .a3
    ENDTEST

    TEST "exc.into"
    xor eax, eax                ; OF = 0
    ARM .c1
    into
.c1:
    CHECK_NOT_CAUGHT
    mov al, 0x7F
    add al, 1                   ; OF = 1
    ARM .c2
    into
.a2:
    FAILED "no INTO with OF = 1"
.c2:
    CHECK_CAUGHT 4, .a2         ; a trap: the return address follows INTO
    ENDTEST

    TEST "exc.bound"
    mov ax, 15
    ARM .c1
    bound ax, [bnd16]
    mov ax, 10
    bound ax, [bnd16]
    mov ax, 20                  ; both bounds are inclusive
    bound ax, [bnd16]
.c1:
    CHECK_NOT_CAUGHT
    mov ax, 21
    ARM .c2
.f2:
    bound ax, [bnd16]
    FAILED "no #BR above the upper bound"
.c2:
    CHECK_CAUGHT 5, .f2
    CHECKW ax, 21
    mov eax, 0xFFFF0009         ; the 16-bit form looks at AX only
    ARM .c3
.f3:
    bound ax, [bnd16]
    FAILED "no #BR below the lower bound"
.c3:
    CHECK_CAUGHT 5, .f3
    mov ax, -3                  ; bounds are signed: -5 .. 5
    ARM .c4
    bound ax, [bnd16s]
.c4:
    CHECK_NOT_CAUGHT
    mov ax, 0x8000
    ARM .c5
.f5:
    bound ax, [bnd16s]
    FAILED "no #BR for -32768"
.c5:
    CHECK_CAUGHT 5, .f5
    mov eax, 100000
    ARM .c6
    bound eax, [bnd32]
    mov eax, 0x10000
    bound eax, [bnd32]
.c6:
    CHECK_NOT_CAUGHT
    mov eax, 100001
    ARM .c7
.f7:
    bound eax, [bnd32]
    FAILED "no #BR for 32-bit bound"
.c7:
    CHECK_CAUGHT 5, .f7
    mov eax, -100001
    ARM .c8
.f8:
    bound eax, [bnd32]
    FAILED "no #BR for negative 32-bit bound"
.c8:
    CHECK_CAUGHT 5, .f8
    ARM .c9
.f9:
    db 0x62, 0xC3               ; BOUND AX, BX: register operand
    FAILED "no #UD for BOUND with a register"
.c9:
    CHECK_CAUGHT 6, .f9
    ENDTEST

    TEST "exc.ud"
    ARM .c1
.f1:
    ud2
    FAILED "no #UD for UD2"
.c1:
    CHECK_CAUGHT 6, .f1
    ARM .c2
.f2:
    db 0xFE, 0xD0               ; FE /2 does not exist
    FAILED "no #UD for FE /2"
.c2:
    CHECK_CAUGHT 6, .f2
    ARM .c3
.f3:
    db 0x8C, 0xF8               ; MOV AX, sreg 7
    FAILED "no #UD for MOV from sreg 7"
.c3:
    CHECK_CAUGHT 6, .f3
    ENDTEST

    TEST "exc.ivt_base_and_limit"
    mov word [gs:0x3000 + 0x41 * 4], int41
    mov word [gs:0x3000 + 0x41 * 4 + 2], H_REAL_CS
    xor eax, eax
    lidt [idtr_moved]           ; real mode honours the IDTR base (286 and later)
    int 0x41
    lidt [idtr_std]
    CHECK eax, 0x41414141
    lidt [idtr_short]           ; vectors 0-15 only
    ARM .c1
.f1:
    int 0x41                    ; entry beyond the limit: #GP, which is within it
    FAILED "no #GP for a vector beyond the IDT limit"
.c1:
    lidt [idtr_std]
    CHECK_CAUGHT 13, .f1
    ENDTEST

    TEST "exc.single_step"
    mov eax, dr6
    and eax, ~0x4000
    mov dr6, eax
    ARM .c1
    pushf
    or word [esp], F_TF
    popf                        ; TF takes effect after the next instruction
    nop
.a1:
    FAILED "no single-step trap"
.c1:
    CHECK_CAUGHT 1, .a1
    mov eax, [gs:H_FLAGS]
    and eax, F_TF
    CHECK eax, F_TF
    CHECK_FLAGS F_TF, 0
    mov eax, dr6
    and eax, 0x4000             ; DR6.BS
    CHECK eax, 0x4000
    ENDTEST

    TEST "exc.precise_esp"
    SET_IVT 13, gp_record       ; records SP at entry, resumes at H_SCRATCH+0x24
    mov word [gs:H_SCRATCH + 0x24], .r1
    mov ebx, 0x10000
    mov ecx, esp
    push dword 0x12345678
    pop dword [ebx]             ; #GP on the store: ESP must not have moved
.r1:
    pop eax
    SET_IVT 13, h_stubs16 + 13 * 8
    lea edx, [ecx - 4 - 6]
    CHECK dword [gs:H_SCRATCH + 0x20], edx
    CHECK eax, 0x12345678
    ENDTEST

    TEST "exc.iretd"
    mov ebx, esp
    push dword F_CF | F_ZF | 2
    push dword H_REAL_CS
    push dword .t1
    clc
    iretd
    FAILED "IRETD fell through"
.t1:
    CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF
    mov eax, esp
    CHECK eax, ebx
    push dword 2
    push dword H_REAL_CS
    push dword 0x10000 + .t1    ; EIP beyond 64 KiB: #GP(0)
    ARM .c2
.f2:
    iretd
    FAILED "IRETD to EIP > FFFF did not fault"
.c2:
    add esp, 12
    CHECK_CAUGHT 13, .f2
    ENDTEST

    DONE

; INT 0x40: record the frame, the handler's own FLAGS and SP; set ZF in the
; image; return EAX = 0x22222222.
int40:
    push bp
    mov bp, sp
    push eax
    movzx eax, word [bp + 2]
    mov [gs:H_SCRATCH], eax
    movzx eax, word [bp + 4]
    mov [gs:H_SCRATCH + 4], eax
    movzx eax, word [bp + 6]
    mov [gs:H_SCRATCH + 8], eax
    pushf
    pop ax
    movzx eax, ax
    mov [gs:H_SCRATCH + 12], eax
    lea eax, [bp + 2]
    movzx eax, ax
    mov [gs:H_SCRATCH + 16], eax
    pop eax
    mov eax, 0x22222222
    or word [bp + 6], F_ZF
    pop bp
    iret

int41:
    mov eax, 0x41414141
    iret

; #DE handler that makes BL = 1 so that the restarted DIV succeeds.
de_fixup:
    inc bl
    inc dword [gs:H_SCRATCH]
    iret

; #GP handler: record SP at entry, resume at the IP stored in H_SCRATCH+0x24.
gp_record:
    mov [gs:H_SCRATCH + 0x20], esp
    push bp
    push ax
    mov bp, sp
    mov ax, [gs:H_SCRATCH + 0x24]
    mov [bp + 4], ax
    pop ax
    pop bp
    iret

bnd16:  dw 10, 20
bnd16s: dw -5, 5
bnd32:  dd -100000, 100000
idtr_std:    dw 0x3FF
             dd 0
idtr_moved:  dw 0x3FF
             dd 0x3000
idtr_short:  dw 0x3F
             dd 0

    HARNESS_CODE16
