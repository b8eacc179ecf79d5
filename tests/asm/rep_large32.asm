; SPDX-License-Identifier: MIT
; REP string instructions with very large counts in 32-bit flat protected
; mode (386 and later): megabyte MOVS/STOS/LODS in both directions, REPE/REPNE
; CMPS/SCAS stopping hundreds of thousands of elements in, and 0x67 (CX/DI)
; forms in 32-bit code. Final ESI/EDI/ECX, memory and flags are checked; the
; interpreter yields every 4096 iterations, so each run resumes many times.
; Spec: Intel SDM Vol. 2B (MOVS, STOS, LODS, CMPS, SCAS, REP/REPE/REPNE).
; Data: dword i at 0x200000 + 4i for i < N (plain-loop fill).
%include "harness.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

N equ 300000
SRC equ 0x200000
DST equ 0x400000
DST2 equ 0x600000
BYTES equ 0x900000
NB equ 1000000

    PM_SECTION
pm_start:
    PM32_INIT
    mov edi, SRC
    mov ecx, N
    call fill32

    TEST "rep32.movsd_forward"
    mov dword [DST + 4 * N], 0xDEADDEAD
    mov esi, SRC
    mov edi, DST
    mov ecx, N
    xor eax, eax                ; ZF = 1
    stc
    rep movsd
    CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF
    CHECK esi, SRC + 4 * N
    CHECK edi, DST + 4 * N
    CHECK ecx, 0
    mov esi, DST
    mov ecx, N
    call verify32
    CHECK eax, 0
    CHECK dword [DST + 4 * N], 0xDEADDEAD
    ENDTEST

    TEST "rep32.movsb_backward"
    mov byte [DST2 - 1], 0x99
    mov esi, SRC + 4 * N - 1
    mov edi, DST2 + 4 * N - 1
    mov ecx, 4 * N
    std
    rep movsb
    cld
    CHECK esi, SRC - 1
    CHECK edi, DST2 - 1
    CHECK ecx, 0
    mov esi, DST2
    mov ecx, N
    call verify32
    CHECK eax, 0
    CHECKB byte [DST2 - 1], 0x99
    ENDTEST

    TEST "rep32.stosb_backward"
    mov byte [BYTES - 1], 0x11
    mov byte [BYTES + NB], 0x22
    mov al, 0xC7
    mov edi, BYTES + NB - 1
    mov ecx, NB
    std
    rep stosb
    cld
    CHECK edi, BYTES - 1
    CHECK ecx, 0
    mov edi, BYTES
    mov ecx, NB
    mov al, 0xC7
    call countb32
    CHECK eax, NB
    CHECKB byte [BYTES - 1], 0x11
    CHECKB byte [BYTES + NB], 0x22
    ENDTEST

    TEST "rep32.scasd"
    mov eax, 200000
    mov edi, SRC
    mov ecx, N
    repne scasd                 ; found at element 200000
    CHECK_FLAGS F_ZF, F_ZF
    CHECK ecx, N - 200001
    CHECK edi, SRC + 4 * 200001
    mov eax, 0xFFFFFFFF
    mov edi, SRC
    mov ecx, N
    repne scasd                 ; absent: last compare 0xFFFFFFFF - (N - 1)
    CHECK_FLAGS F_ZF | F_CF | F_SF, F_SF
    CHECK ecx, 0
    CHECK edi, SRC + 4 * N
    mov eax, 0
    mov edi, SRC
    mov ecx, N
    repe scasd                  ; element 0 matches, element 1 does not
    CHECK_FLAGS F_ZF | F_CF, F_CF
    CHECK ecx, N - 2
    ENDTEST

    TEST "rep32.cmpsd"
    mov dword [DST + 4 * 250000], 0
    mov esi, SRC
    mov edi, DST
    mov ecx, N
    repe cmpsd                  ; stops at element 250000: 250000 - 0
    CHECK_FLAGS F_ARITH & ~(F_AF | F_PF), 0
    CHECK ecx, N - 250001
    CHECK esi, SRC + 4 * 250001
    CHECK edi, DST + 4 * 250001
    mov dword [DST + 4 * 250000], 250000
    mov esi, SRC
    mov edi, DST
    mov ecx, N
    repe cmpsd                  ; all equal
    CHECK_FLAGS F_ZF | F_CF, F_ZF
    CHECK ecx, 0
    mov byte [DST + 100003], 0x01 ; byte 3 of element 25000 (was 0)
    mov esi, SRC + 4 * N - 1
    mov edi, DST + 4 * N - 1
    mov ecx, 4 * N
    std
    repe cmpsb                  ; backward: stops at byte 100003, 0 - 1
    cld
    CHECK_FLAGS F_ZF | F_CF | F_SF, F_CF | F_SF
    CHECK ecx, 100003
    CHECK esi, SRC + 100002
    CHECK edi, DST + 100002
    mov byte [DST + 100003], 0
    ENDTEST

    TEST "rep32.lodsd"
    mov esi, SRC
    mov ecx, N
    rep lodsd
    CHECK eax, N - 1
    CHECK esi, SRC + 4 * N
    CHECK ecx, 0
    ENDTEST

    TEST "rep32.a16"
    mov edi, 0xABCD2000         ; 0x67: DI and CX only
    mov ecx, 0x12345000
    mov al, 0x3C
    a16 rep stosb
    CHECK edi, 0xABCD7000
    CHECK ecx, 0x12340000
    mov edi, 0x2000
    mov ecx, 0x5000
    mov al, 0x3C
    call countb32
    CHECK eax, 0x5000
    ENDTEST

    DONE

; fill32: EDI = start, ECX = count (> 0): dword i at EDI + 4i. Plain moves.
; Clobbers EAX, ECX, EDI.
fill32:
    xor eax, eax
.l: mov [edi], eax
    add edi, 4
    inc eax
    dec ecx
    jnz .l
    ret

; verify32: ESI = start, ECX = count (> 0); EAX = elements not equal to i.
; Clobbers EBX, ECX, EDX, ESI.
verify32:
    xor eax, eax
    xor ebx, ebx
.l: cmp [esi], ebx
    je .s
    inc eax
.s: add esi, 4
    inc ebx
    dec ecx
    jnz .l
    ret

; countb32: EDI = start, ECX = count (> 0), AL = byte; EAX = how many equal AL.
; Clobbers ECX, EDX, EDI.
countb32:
    xor edx, edx
.l: cmp [edi], al
    jne .s
    inc edx
.s: inc edi
    dec ecx
    jnz .l
    mov eax, edx
    ret

    HARNESS_CODE32
