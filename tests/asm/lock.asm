; SPDX-License-Identifier: MIT
; LOCK prefix rules on the 386 and later (real mode): LOCK works on the
; lockable instructions with a memory destination (ADD ADC AND BTC BTR BTS
; CMPXCHG CMPXCHG8B DEC INC NEG NOT OR SBB SUB XOR XADD XCHG), and raises
; #UD, with the return address at the first byte of the instruction, for a
; register destination or any other instruction. Spec: Intel SDM Vol. 2B
; "LOCK" and the #UD lines of each instruction page. Instructions newer than
; the 386 are only run when the CPU family (harness H_GEN) has them.
%include "harness.inc"
    BOOT16

; Bytes of the 16-bit displacement of v, for hand-encoded instructions.
%define V_LO ((v - $$) & 0xFF)
%define V_HI ((v - $$) >> 8)

; EXPECT_UD "what", bytes...: the bytes raise #UD at their first byte and
; change neither registers nor flags.
%macro EXPECT_UD 2+
    ARM %%c
%%f:
    db %2
    DISARM
    FAILED {%1, " did not raise #UD"}
%%c:
    CHECK_CAUGHT 6, %%f
%endmacro

    TEST "lock.alu_mem"
    mov dword [v], 0x7FFFFFFF
    mov eax, 1
    ARM .c1
    lock add [v], eax
    CHECK dword [v], 0x80000000
    CHECK_FLAGS F_ARITH, F_PF | F_AF | F_SF | F_OF
    stc
    lock adc [v], eax
    CHECK dword [v], 0x80000002
    CHECK_FLAGS F_ARITH, F_SF
    lock sub dword [v], 2
    CHECK dword [v], 0x80000000
    CHECK_FLAGS F_ARITH, F_PF | F_SF
    stc
    lock sbb dword [v], 0
    CHECK dword [v], 0x7FFFFFFF
    CHECK_FLAGS F_ARITH, F_PF | F_AF | F_OF
    lock and dword [v], 0x0000FFFF
    CHECK dword [v], 0x0000FFFF
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_PF
    lock or word [v + 2], 0x8000
    CHECK dword [v], 0x8000FFFF
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_SF | F_PF
    lock xor byte [v], 0xFF
    CHECK dword [v], 0x8000FF00
    CHECK_FLAGS F_CF | F_OF | F_SF | F_ZF | F_PF, F_ZF | F_PF
    stc
    lock inc dword [v]
    CHECK dword [v], 0x8000FF01
    CHECK_FLAGS F_CF | F_ZF | F_SF | F_OF, F_CF | F_SF
    lock dec dword [v]
    CHECK dword [v], 0x8000FF00
    lock not dword [v]
    CHECK dword [v], 0x7FFF00FF
    lock neg dword [v]
    CHECK dword [v], 0x8000FF01
    CHECK_FLAGS F_CF | F_ZF | F_SF | F_OF, F_CF | F_SF
    mov word [w], 0xFFFF
    mov ax, 1
    lock add [w], ax
    CHECKW word [w], 0
    CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF
    mov byte [b], 0x0F
    mov bl, 0xF0
    lock or [b], bl
    CHECKB byte [b], 0xFF
    mov dword [v], 10
    mov ebx, v
    lock sub dword [ebx], 3     ; 32-bit address
    CHECK dword [v], 7
    db 0x66, 0xF0, 0x01, 0x06   ; o32 before LOCK: add [v], eax (EAX = 1)
    dw v
    CHECK dword [v], 8
.c1:
    CHECK_NOT_CAUGHT
    ENDTEST

    TEST "lock.xchg"
    mov dword [v], 0x11111111
    mov eax, 0x22222222
    ARM .c1
    lock xchg [v], eax
    CHECK dword [v], 0x22222222
    CHECK eax, 0x11111111
    xchg eax, [v]               ; locked without the prefix
    CHECK dword [v], 0x11111111
    CHECK eax, 0x22222222
    mov byte [b], 0xAA
    mov bl, 0x55
    lock xchg [b], bl
    CHECKB byte [b], 0x55
    CHECKB bl, 0xAA
    mov word [w], 0x1234
    mov cx, 0x5678
    lock xchg [w], cx
    CHECKW cx, 0x1234
    CHECKW word [w], 0x5678
.c1:
    CHECK_NOT_CAUGHT
    ENDTEST

    TEST "lock.bit_mem"
    mov dword [bitbuf], 0
    mov dword [bitbuf + 4], 0
    mov ecx, 35                 ; memory operand: the offset selects the dword
    ARM .c1
    lock bts [bitbuf], ecx
    CHECK dword [bitbuf + 4], 8
    CHECK dword [bitbuf], 0
    CHECK_FLAGS F_CF, 0
    lock bts [bitbuf], ecx
    CHECK_FLAGS F_CF, F_CF
    lock btr [bitbuf], ecx
    CHECK_FLAGS F_CF, F_CF
    CHECK dword [bitbuf + 4], 0
    mov ecx, -1                 ; negative offsets reach below the base
    lock bts [bitbuf + 4], ecx
    CHECK dword [bitbuf], 0x80000000
    CHECK_FLAGS F_CF, 0
    lock btc dword [bitbuf], 31
    CHECK dword [bitbuf], 0
    CHECK_FLAGS F_CF, F_CF
    mov cx, 17                  ; 16-bit: word at +2, bit 1
    lock bts [bitbuf], cx
    CHECK dword [bitbuf], 0x00020000
    lock bts word [bitbuf], 17    ; immediate: modulo 16
    CHECK dword [bitbuf], 0x00020002
.c1:
    CHECK_NOT_CAUGHT
    ENDTEST

    TEST "lock.cmpxchg_xadd"
    cmp dword [gs:H_GEN], 4
    jb .done
    mov dword [v], 5
    mov eax, 5
    mov ecx, 9
    ARM .c1
    lock cmpxchg [v], ecx       ; equal: store ECX
    CHECK dword [v], 9
    CHECK eax, 5
    CHECK_FLAGS F_ZF | F_CF, F_ZF
    lock cmpxchg [v], ecx       ; 5 != 9: EAX = 9
    CHECK dword [v], 9
    CHECK eax, 9
    CHECK_FLAGS F_ZF | F_CF | F_SF, F_CF | F_SF
    mov byte [b], 0x80
    mov al, 0x80
    mov cl, 1
    lock cmpxchg [b], cl
    CHECKB byte [b], 1
    CHECK_FLAGS F_ZF, F_ZF
    mov word [w], 0x1111
    mov ax, 0x2222
    mov cx, 0x3333
    lock cmpxchg [w], cx
    CHECKW ax, 0x1111
    CHECKW word [w], 0x1111
    CHECK_FLAGS F_ZF, 0
    mov dword [v], 0xFFFFFFFF
    mov eax, 1
    lock xadd [v], eax
    CHECK dword [v], 0
    CHECK eax, 0xFFFFFFFF
    CHECK_FLAGS F_ARITH, F_CF | F_ZF | F_PF | F_AF
    mov byte [b], 0x7F
    mov bl, 1
    lock xadd [b], bl
    CHECKB byte [b], 0x80
    CHECKB bl, 0x7F
    CHECK_FLAGS F_OF | F_SF | F_CF, F_OF | F_SF
.c1:
    CHECK_NOT_CAUGHT
    cmp dword [gs:H_GEN], 5
    jb .done
    mov dword [q], 0x22222222
    mov dword [q + 4], 0x11111111
    mov eax, 0x22222222
    mov edx, 0x11111111
    mov ebx, 0x44444444
    mov ecx, 0x33333333
    ARM .c2
    lock cmpxchg8b [q]
    CHECK dword [q], 0x44444444
    CHECK dword [q + 4], 0x33333333
    CHECK_FLAGS F_ZF, F_ZF
    lock cmpxchg8b [q]
    CHECK eax, 0x44444444
    CHECK edx, 0x33333333
    CHECK_FLAGS F_ZF, 0
.c2:
    CHECK_NOT_CAUGHT
.done:
    ENDTEST

    TEST "lock.ud_register_destination"
    mov eax, 5
    mov ebx, 7
    mov dword [v], 0x1234
    EXPECT_UD "lock add eax, ebx", 0xF0, 0x66, 0x01, 0xD8
    EXPECT_UD "lock add eax, [v]", 0xF0, 0x66, 0x03, 0x06, V_LO, V_HI
    EXPECT_UD "lock inc eax (40)", 0xF0, 0x66, 0x40
    EXPECT_UD "lock inc eax (FF /0)", 0xF0, 0x66, 0xFF, 0xC0
    EXPECT_UD "lock not eax", 0xF0, 0x66, 0xF7, 0xD0
    EXPECT_UD "lock xchg eax, ebx", 0xF0, 0x66, 0x87, 0xD8
    EXPECT_UD "lock xchg eax, ebx (93)", 0xF0, 0x66, 0x93
    EXPECT_UD "lock bts eax, 3", 0xF0, 0x66, 0x0F, 0xBA, 0xE8, 3
    EXPECT_UD "o32 lock add eax, ebx", 0x66, 0xF0, 0x01, 0xD8
    CHECK eax, 5
    CHECK ebx, 7
    CHECK dword [v], 0x1234
    cmp dword [gs:H_GEN], 4
    jb .done
    EXPECT_UD "lock cmpxchg ecx, ebx", 0xF0, 0x66, 0x0F, 0xB1, 0xD9
    EXPECT_UD "lock xadd eax, ebx", 0xF0, 0x66, 0x0F, 0xC1, 0xD8
    CHECK eax, 5
    CHECK ebx, 7
.done:
    ENDTEST

    TEST "lock.ud_not_lockable"
    mov dword [v], 0x1234
    mov eax, 0x5678
    EXPECT_UD "lock mov [v], eax", 0xF0, 0x66, 0x89, 0x06, V_LO, V_HI
    CHECK dword [v], 0x1234
    EXPECT_UD "lock cmp [v], eax", 0xF0, 0x66, 0x39, 0x06, V_LO, V_HI
    EXPECT_UD "lock cmp byte [v], 5", 0xF0, 0x80, 0x3E, V_LO, V_HI, 5
    EXPECT_UD "lock test [v], eax", 0xF0, 0x66, 0x85, 0x06, V_LO, V_HI
    EXPECT_UD "lock test dword [v], 1", 0xF0, 0x66, 0xF7, 0x06, V_LO, V_HI, 1, 0, 0, 0
    EXPECT_UD "lock mul dword [v]", 0xF0, 0x66, 0xF7, 0x26, V_LO, V_HI
    EXPECT_UD "lock div dword [v]", 0xF0, 0x66, 0xF7, 0x36, V_LO, V_HI
    EXPECT_UD "lock bt [v], eax", 0xF0, 0x66, 0x0F, 0xA3, 0x06, V_LO, V_HI
    EXPECT_UD "lock bt dword [v], 5", 0xF0, 0x66, 0x0F, 0xBA, 0x26, V_LO, V_HI, 5
    EXPECT_UD "lock lea eax, [v]", 0xF0, 0x66, 0x8D, 0x06, V_LO, V_HI
    EXPECT_UD "lock push eax", 0xF0, 0x66, 0x50
    EXPECT_UD "lock nop", 0xF0, 0x90
    EXPECT_UD "lock mov eax, cr0", 0xF0, 0x0F, 0x20, 0xC0
    CHECK dword [v], 0x1234
    CHECK eax, 0x5678
    ENDTEST

    DONE

    align 8
v:    dd 0
w:    dw 0
b:    db 0
      db 0
bitbuf: dd 0, 0
q:    dd 0, 0

    HARNESS_CODE16
