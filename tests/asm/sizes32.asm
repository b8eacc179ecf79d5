; SPDX-License-Identifier: MIT
; 32-bit operand size in real mode (0x66 prefix) on the 386 and later: ALU,
; shifts and rotates, multiply and divide, extensions, bit operations, stack
; and near control transfers, each checked against the 16-bit form and for
; the upper register halves it must leave alone. Expected values are worked
; out from the Intel SDM Vol. 2 instruction pages; only flags the SDM defines
; for each instruction are checked. Address size (0x67) is in addr32.asm.
%include "harness.inc"
    BOOT16

    TEST "sizes.mov"
    mov eax, 0x12345678
    CHECK eax, 0x12345678
    mov ax, 0xABCD
    CHECK eax, 0x1234ABCD
    mov al, 0xEF
    CHECK eax, 0x1234ABEF
    mov ah, 0x01
    CHECK eax, 0x123401EF
    mov ebx, eax
    CHECK ebx, 0x123401EF
    ENDTEST

    TEST "sizes.add_sub"
    mov eax, 0xFFFFFFFF
    add eax, 1
    CHECK eax, 0
    CHECK_FLAGS F_ARITH, F_CF | F_ZF | F_AF | F_PF
    mov eax, 0x7FFFFFFF
    add eax, 1
    CHECK eax, 0x80000000
    CHECK_FLAGS F_ARITH, F_OF | F_SF | F_AF | F_PF
    mov eax, 0x1234FFFF         ; the 16-bit form stops at bit 15
    add ax, 1
    CHECK eax, 0x12340000
    CHECK_FLAGS F_ARITH, F_CF | F_ZF | F_AF | F_PF
    mov eax, 0x123456FF
    add al, 1
    CHECK eax, 0x12345600
    CHECK_FLAGS F_ARITH, F_CF | F_ZF | F_AF | F_PF
    xor eax, eax
    sub eax, 1
    CHECK eax, 0xFFFFFFFF
    CHECK_FLAGS F_ARITH, F_CF | F_SF | F_AF | F_PF
    mov eax, 0x80000000
    cmp eax, 1                  ; 0x7FFFFFFF: signed overflow
    CHECK eax, 0x80000000
    CHECK_FLAGS F_ARITH, F_OF | F_AF | F_PF
    mov eax, 0x12345678
    add eax, byte -1            ; 83 /0 with a sign-extended imm8
    CHECK eax, 0x12345677
    CHECK_FLAGS F_CF | F_ZF | F_SF | F_OF, F_CF
    ENDTEST

    TEST "sizes.adc_sbb"
    mov eax, 0xFFFFFFFF         ; 64-bit add: 1:FFFFFFFF + 1
    mov edx, 1
    add eax, 1
    adc edx, 0
    CHECK eax, 0
    CHECK edx, 2
    CHECK_FLAGS F_CF | F_ZF | F_SF | F_OF, 0
    xor eax, eax                ; 64-bit sub: 2:00000000 - 1
    mov edx, 2
    sub eax, 1
    sbb edx, 0
    CHECK eax, 0xFFFFFFFF
    CHECK edx, 1
    CHECK_FLAGS F_CF | F_ZF, 0
    stc
    mov ecx, 0
    sbb ecx, 0
    CHECK ecx, 0xFFFFFFFF
    CHECK_FLAGS F_ARITH, F_CF | F_SF | F_AF | F_PF
    ENDTEST

    TEST "sizes.inc_dec_neg"
    stc
    mov eax, 0x7FFFFFFF
    inc eax                     ; CF is not touched
    CHECK eax, 0x80000000
    CHECK_FLAGS F_ARITH, F_CF | F_OF | F_SF | F_AF | F_PF
    clc
    dec eax
    CHECK eax, 0x7FFFFFFF
    CHECK_FLAGS F_ARITH, F_OF | F_AF | F_PF
    mov eax, 1
    neg eax
    CHECK eax, 0xFFFFFFFF
    CHECK_FLAGS F_ARITH, F_CF | F_SF | F_AF | F_PF
    mov eax, 0
    neg eax
    CHECK eax, 0
    CHECK_FLAGS F_ARITH, F_ZF | F_PF
    mov eax, 0x80000000
    neg eax
    CHECK eax, 0x80000000
    CHECK_FLAGS F_ARITH, F_CF | F_OF | F_SF | F_PF
    ENDTEST

    TEST "sizes.logic"
    mov eax, 0x7FFFFFFF
    add eax, 1                  ; OF = 1 so that AND must clear it
    stc
    mov eax, 0xF0F0F0F0
    and eax, 0x0FF00FF0
    CHECK eax, 0x00F000F0
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_PF
    or eax, 0x80000000
    CHECK eax, 0x80F000F0
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_SF | F_PF
    xor eax, eax
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_ZF | F_PF
    not eax                     ; NOT leaves the flags alone
    CHECK eax, 0xFFFFFFFF
    CHECK_FLAGS F_ZF, F_ZF
    test eax, 0x80000001
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_SF
    ENDTEST

    TEST "sizes.shift"
    mov eax, 0x80000001
    shl eax, 1
    CHECK eax, 2
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_CF | F_OF
    mov eax, 0x80000001
    shr eax, 1
    CHECK eax, 0x40000000
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_CF | F_OF | F_PF
    mov eax, 0x80000000
    sar eax, 4
    CHECK eax, 0xF8000000
    CHECK_FLAGS F_CF | F_SF | F_ZF | F_PF, F_SF | F_PF
    mov eax, 1
    mov cl, 33                  ; counts are masked to 5 bits
    shl eax, cl
    CHECK eax, 2
    CHECK_FLAGS F_CF, 0
    xor ebx, ebx                ; ZF = 1
    stc
    mov eax, 0x12345678
    mov cl, 32                  ; masked count 0: nothing changes
    shl eax, cl
    CHECK eax, 0x12345678
    CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF
    mov eax, 0xABCD8001
    mov cl, 17                  ; a 16-bit shift by 17 empties the register
    shl ax, cl
    CHECK eax, 0xABCD0000
    CHECK_FLAGS F_SF | F_ZF | F_PF, F_ZF | F_PF
    mov eax, 0x80000000
    mov cl, 31
    sar eax, cl
    CHECK eax, 0xFFFFFFFF
    CHECK_FLAGS F_CF, 0
    ENDTEST

    TEST "sizes.rotate"
    mov eax, 0x12345678
    rol eax, 8
    CHECK eax, 0x34567812
    CHECK_FLAGS F_CF, 0
    mov eax, 0x12345678
    ror eax, 4
    CHECK eax, 0x81234567
    CHECK_FLAGS F_CF, F_CF
    mov eax, 0x80000000
    rol eax, 1
    CHECK eax, 1
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    mov eax, 1
    ror eax, 1
    CHECK eax, 0x80000000
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    clc
    mov eax, 0x80000000
    rcl eax, 1
    CHECK eax, 0
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    stc
    mov eax, 0
    rcr eax, 1
    CHECK eax, 0x80000000
    CHECK_FLAGS F_CF | F_OF, F_OF
    mov eax, 0x5555AAAA
    rol ax, 4                   ; the 16-bit form rotates within AX
    CHECK eax, 0x5555AAAA
    ENDTEST

    TEST "sizes.shld_shrd"
    mov eax, 0x12345678
    mov edx, 0x9ABCDEF0
    shld eax, edx, 8
    CHECK eax, 0x3456789A
    CHECK edx, 0x9ABCDEF0
    CHECK_FLAGS F_CF | F_SF | F_ZF | F_PF, F_PF
    mov eax, 0x12345678
    shrd eax, edx, 8
    CHECK eax, 0xF0123456
    CHECK_FLAGS F_CF | F_SF | F_ZF | F_PF, F_SF | F_PF
    mov eax, 0xFFFF1234
    mov bx, 0xABCD
    mov cl, 4
    shld ax, bx, cl
    CHECK eax, 0xFFFF234A
    CHECK_FLAGS F_CF, F_CF
    ENDTEST

    TEST "sizes.mul"
    mov eax, 0x80000000
    mov ebx, 4
    mul ebx
    CHECK eax, 0
    CHECK edx, 2
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    mov eax, 3
    mov ebx, 5
    mul ebx
    CHECK eax, 15
    CHECK edx, 0
    CHECK_FLAGS F_CF | F_OF, 0
    mov eax, 0xFFFFFFFF
    mul eax
    CHECK eax, 1
    CHECK edx, 0xFFFFFFFE
    mov eax, 0x11110100         ; 16-bit MUL writes DX:AX only
    mov edx, 0x22220000
    mov bx, 0x0100
    mul bx
    CHECK eax, 0x11110000
    CHECK edx, 0x22220001
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    ENDTEST

    TEST "sizes.imul"
    mov eax, -2
    mov ebx, 3
    imul ebx
    CHECK eax, 0xFFFFFFFA
    CHECK edx, 0xFFFFFFFF
    CHECK_FLAGS F_CF | F_OF, 0
    mov eax, 0x40000000
    mov ebx, 2
    imul ebx
    CHECK eax, 0x80000000
    CHECK edx, 0
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    mov ebx, 0x10000
    imul ecx, ebx, 0x10000
    CHECK ecx, 0
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    mov ebx, 7
    imul ecx, ebx, -3
    CHECK ecx, 0xFFFFFFEB
    CHECK_FLAGS F_CF | F_OF, 0
    mov eax, 0x7FFFFFFF
    mov ebx, 2
    imul eax, ebx
    CHECK eax, 0xFFFFFFFE
    CHECK_FLAGS F_CF | F_OF, F_CF | F_OF
    ENDTEST

    TEST "sizes.div"
    mov edx, 1
    mov eax, 0
    mov ebx, 2
    div ebx
    CHECK eax, 0x80000000
    CHECK edx, 0
    mov edx, 0x12345678
    mov eax, 0x9ABCDEF0
    mov ecx, 0x87654321
    div ecx
    CHECK eax, 0x226B9022
    CHECK edx, 0x38BC648E
    mov edx, 0xFFFFFFFF         ; -7 / 2 = -3 rem -1 (truncates toward 0)
    mov eax, 0xFFFFFFF9
    mov ebx, 2
    idiv ebx
    CHECK eax, 0xFFFFFFFD
    CHECK edx, 0xFFFFFFFF
    mov edx, 0                  ; 7 / -2 = -3 rem 1 (remainder takes the dividend's sign)
    mov eax, 7
    mov ebx, -2
    idiv ebx
    CHECK eax, 0xFFFFFFFD
    CHECK edx, 1
    mov eax, 0xAAAA0064         ; 16-bit DIV: DX:AX / BX, upper halves kept
    mov edx, 0xBBBB0000
    mov bx, 7
    div bx
    CHECK eax, 0xAAAA000E
    CHECK edx, 0xBBBB0002
    ENDTEST

    TEST "sizes.extend"
    mov bl, 0x80
    movsx eax, bl
    CHECK eax, 0xFFFFFF80
    movzx eax, bl
    CHECK eax, 0x80
    mov bx, 0x8000
    movsx eax, bx
    CHECK eax, 0xFFFF8000
    movzx eax, bx
    CHECK eax, 0x8000
    mov bl, 0x80
    mov eax, 0x12345678
    movsx ax, bl
    CHECK eax, 0x1234FF80
    mov eax, 0x12348000
    cwde
    CHECK eax, 0xFFFF8000
    mov eax, 0x80000000
    cdq
    CHECK edx, 0xFFFFFFFF
    mov eax, 0x7FFFFFFF
    mov edx, 0x12345678
    cdq
    CHECK edx, 0
    mov eax, 0x00008000
    mov edx, 0x12345678
    cwd
    CHECK edx, 0x1234FFFF
    mov eax, 0x12345680
    cbw
    CHECK eax, 0x1234FF80
    ENDTEST

    TEST "sizes.bits"
    mov ebx, 0x00100010
    bsf eax, ebx
    CHECK eax, 4
    CHECK_FLAGS F_ZF, 0
    bsr eax, ebx
    CHECK eax, 20
    CHECK_FLAGS F_ZF, 0
    xor ebx, ebx
    mov eax, 0x55555555
    bsf eax, ebx
    CHECK_FLAGS F_ZF, F_ZF
    xor eax, eax
    bts eax, 31
    CHECK eax, 0x80000000
    CHECK_FLAGS F_CF, 0
    bt eax, 31
    CHECK_FLAGS F_CF, F_CF
    btc eax, 31
    CHECK eax, 0
    CHECK_FLAGS F_CF, F_CF
    mov ecx, 35                 ; register operand: bit offset modulo 32
    bts eax, ecx
    CHECK eax, 8
    CHECK_FLAGS F_CF, 0
    btr eax, ecx
    CHECK eax, 0
    CHECK_FLAGS F_CF, F_CF
    mov eax, 0xFFFF0000
    mov cx, 17                  ; 16-bit: modulo 16
    bts ax, cx
    CHECK eax, 0xFFFF0002
    stc
    setc al
    CHECK eax, 0xFFFF0001
    or ecx, 1                   ; ZF = 0
    setz al
    CHECK eax, 0xFFFF0000
    cmp dword [gs:H_GEN], 4
    jb .sizes_no_bswap
    mov eax, 0x12345678
    bswap eax
    CHECK eax, 0x78563412
.sizes_no_bswap:
    ENDTEST

    TEST "sizes.stack"
    mov ebx, esp
    push dword 0x12345678
    mov ecx, ebx
    sub ecx, esp
    CHECK ecx, 4
    pop eax
    CHECK eax, 0x12345678
    mov ecx, ebx
    sub ecx, esp
    CHECK ecx, 0
    push word 0xABCD
    mov ecx, ebx
    sub ecx, esp
    CHECK ecx, 2
    pop ax
    CHECK eax, 0x1234ABCD
    push esp                    ; pushes the value before the push (286 and later)
    pop eax
    CHECK eax, ebx
    mov eax, 0xA0A0A0A0
    mov ecx, 0xC1C1C1C1
    mov edx, 0xD2D2D2D2
    mov ebp, 0xB5B5B5B5
    mov esi, 0x56565656
    mov edi, 0x57575757
    push ebx
    mov ebx, 0xB3B3B3B3
    pushad
    mov ebp, esp                ; CHECK pushes, so address the frame through EBP
    CHECK dword [ebp + 28], 0xA0A0A0A0
    CHECK dword [ebp + 24], 0xC1C1C1C1
    CHECK dword [ebp + 20], 0xD2D2D2D2
    CHECK dword [ebp + 16], 0xB3B3B3B3
    CHECK dword [ebp + 8], 0xB5B5B5B5
    CHECK dword [ebp + 4], 0x56565656
    CHECK dword [ebp + 0], 0x57575757
    mov eax, [esp + 12]         ; the ESP before PUSHAD
    lea ecx, [esp + 32]
    CHECK eax, ecx
    mov dword [esp + 12], 0     ; POPAD ignores the stored ESP
    xor eax, eax
    mov ebx, eax
    mov ebp, eax
    popad
    CHECK eax, 0xA0A0A0A0
    CHECK ebx, 0xB3B3B3B3
    CHECK ebp, 0xB5B5B5B5
    CHECK edi, 0x57575757
    pop ebx
    mov ecx, ebx
    sub ecx, esp
    CHECK ecx, 0
    push dword 0xAAAAAAAA
    push dword 0xBBBBBBBB
    pop dword [esp]             ; the address is formed after ESP moves up
    pop eax
    CHECK eax, 0xBBBBBBBB
    ENDTEST

    TEST "sizes.flags_image"
    push dword 0x00030000 | F_ARITH | F_DF ; POPFD clears RF and leaves VM alone
    popfd
    pushfd
    pop eax
    cld
    CHECK eax, F_ARITH | F_DF | 2
    ENDTEST

    TEST "sizes.near_call"
    mov ebx, esp
    call dword .t1
.r1:
    jmp .after1
.t1:
    mov ecx, ebx
    sub ecx, esp
    mov edx, [esp]
    o32 ret
.after1:
    CHECK ecx, 4
    CHECK edx, .r1
    mov ecx, ebx
    sub ecx, esp
    CHECK ecx, 0
    push dword 1
    push dword 2
    call dword .t2
    jmp .after2
.t2:
    o32 ret 8
.after2:
    mov ecx, ebx
    sub ecx, esp
    CHECK ecx, 0
    call .t3                    ; the 16-bit form pushes 2 bytes
    jmp .after3
.t3:
    mov ecx, ebx
    sub ecx, esp
    ret
.after3:
    CHECK ecx, 2
    xor eax, eax
    jz near .j1                 ; 0F 84 rel16 (386 and later)
    FAILED "jz near not taken"
.j1:
    jmp dword .j2               ; 66 E9 rel32
    FAILED "jmp dword not taken"
.j2:
    ENDTEST

    TEST "sizes.far_transfers"
    mov ebx, esp
    call dword H_REAL_CS:.far1  ; 66 9A: 32-bit EIP and a 32-bit CS slot
.ret1:
    CHECK edx, .ret1
    CHECKW si, H_REAL_CS
    CHECK ecx, 8
    mov eax, esp
    CHECK eax, ebx
    jmp far dword [.fptr]       ; 66 FF /5 m16:32
    FAILED "jmp far [m16:32] fell through"
.fptr:
    dd .j1
    dw H_REAL_CS
.far1:
    mov edx, [esp]
    mov si, [esp + 4]
    mov ecx, ebx
    sub ecx, esp
    o32 retf
.j1:
    mov ax, 0x5555
    mov fs, ax
    lfs eax, [.fp32]            ; 32-bit offset, then the selector
    CHECK eax, 0x12345678
    mov ax, fs
    CHECKW ax, 0x2345
    mov eax, 0xAAAAAAAA
    les ax, [.fp32]             ; 16-bit form: AX only
    CHECK eax, 0xAAAA5678
    mov ax, es
    CHECKW ax, 0x1234
    push cs
    pop es
    xor ax, ax
    mov fs, ax
    ENDTEST
    jmp .far_done
.fp32:
    dd 0x12345678
    dw 0x2345
.far_done:

    TEST "sizes.segment_to_r32"
    cmp dword [gs:H_GEN], 6     ; zero-extension is defined from the P6 on
    jb .sizes_seg_skip
    mov eax, 0xFFFFFFFF
    mov eax, ds
    CHECK eax, H_REAL_CS
.sizes_seg_skip:
    ENDTEST

    DONE

    HARNESS_CODE16
