; SPDX-License-Identifier: MIT
; REP string instructions with counts well past 4096 (the interpreter's yield
; point) in real mode, 16-bit addressing plus 0x66/0x67 forms: final SI/DI/CX,
; memory and flags after MOVS/STOS/LODS both ways, byte-wise overlap, REPE/
; REPNE CMPS and SCAS stopping at the right element, count 0, DI wrap, CX vs
; ECX, a fault part-way (registers name the next element, the return address
; the first prefix). Pattern p(i) = (i + (i >> 8)) & 0xFF shows 256/4096
; shifts. Spec: Intel SDM Vol. 2B (MOVS ... SCAS, REP/REPE/REPNE), 3A 6.6.
%include "harness.inc"
    BOOT16

    TEST "rep.stosb_forward"
    mov ax, 0x3000
    mov es, ax
    xor di, di
    mov cx, 0x3000
    mov al, 0x5A
    call set16
    mov edi, 0x100
    mov ecx, 0xFFFF0000 + 10000 ; 16-bit address size: CX counts, ECX high kept
    mov al, 0xA5
    xor bx, bx                  ; ZF = 1
    stc
    rep stosb
    CHECK_FLAGS F_CF | F_ZF, F_CF | F_ZF
    CHECK ecx, 0xFFFF0000
    CHECK edi, 0x100 + 10000
    mov di, 0x100
    mov cx, 10000
    call count16
    CHECKW ax, 10000
    CHECKB byte [es:0xFF], 0x5A
    CHECKB byte [es:0x100 + 10000], 0x5A
    ENDTEST

    TEST "rep.movsw_forward"
    mov ax, 0x2000
    mov es, ax
    xor di, di
    mov cx, 20000
    call fill16
    mov ax, 0x2000
    mov ds, ax
    mov ax, 0x3000
    mov es, ax
    mov byte [es:0x10 + 18000], 0xEE
    xor esi, esi
    mov edi, 0x10
    mov ecx, 9000
    rep movsw
    CHECK esi, 18000
    CHECK edi, 0x10 + 18000
    CHECK ecx, 0
    mov ds, ax
    mov si, 0x10
    mov cx, 18000
    call verify16
    CHECKW ax, 0
    CHECKB byte [es:0x10 + 18000], 0xEE
    push cs
    pop ds
    ENDTEST

    TEST "rep.movsd_backward"
    mov ax, 0x2000
    mov ds, ax
    mov ax, 0x3000
    mov es, ax
    mov esi, 0xABCD0000 + 19996 ; last dword; SI wraps below 0 at the end
    mov edi, 0x8000 + 19996
    mov ecx, 5000
    std
    rep movsd
    cld
    CHECK esi, 0xABCDFFFC
    CHECK edi, 0x8000 - 4
    CHECK ecx, 0
    mov ds, ax
    mov si, 0x8000
    mov cx, 20000
    call verify16
    CHECKW ax, 0
    push cs
    pop ds
    ENDTEST

    TEST "rep.movsb_overlap"
    mov ax, 0x4000
    mov ds, ax
    mov es, ax
    xor di, di
    mov cx, 20010
    xor al, al
    call set16
    mov byte [0], 0x77
    xor esi, esi                ; forward, destination one byte up: a fill
    mov edi, 1
    mov ecx, 9000
    rep movsb
    CHECK esi, 9000
    CHECK edi, 9001
    xor di, di
    mov cx, 9002
    mov al, 0x77
    call count16
    CHECKW ax, 9001
    mov byte [20000], 0x66      ; backward, destination one byte down
    mov esi, 20000
    mov edi, 19999
    mov ecx, 9000
    std
    rep movsb
    cld
    CHECK esi, 11000
    CHECK edi, 10999
    mov di, 10999
    mov cx, 9002
    mov al, 0x66
    call count16
    CHECKW ax, 9001
    push cs
    pop ds
    ENDTEST

    TEST "rep.seg_override"
    mov ax, 0x2000              ; the pattern, through FS
    mov fs, ax
    mov ax, 0x4000
    mov es, ax
    xor esi, esi
    mov edi, 0x100
    mov ecx, 5000
    db 0x64, 0xF3, 0xA4         ; rep movsb fs:[si] -> es:[di]
    CHECK esi, 5000
    CHECK edi, 0x100 + 5000
    mov ds, ax
    mov si, 0x100
    mov cx, 5000
    call verify16
    CHECKW ax, 0
    push cs
    pop ds
    xor ax, ax
    mov fs, ax
    ENDTEST

    TEST "rep.cmps"
    mov ax, 0x2000              ; pattern, and its copy at 3000:0010 (movsw test)
    mov ds, ax
    mov ax, 0x3000
    mov es, ax
    mov byte [7000], 0x10
    mov byte [es:0x10 + 7000], 0x20
    xor esi, esi
    mov edi, 0x10
    mov ecx, 9000
    repe cmpsb                  ; stops after element 7000: 0x10 - 0x20
    CHECK_FLAGS F_ARITH, F_CF | F_SF | F_PF
    CHECK ecx, 9000 - 7001
    CHECK esi, 7001
    CHECK edi, 0x10 + 7001
    mov byte [7000], 0x73       ; p(7000)
    mov byte [es:0x10 + 7000], 0x73
    xor esi, esi
    mov edi, 0x10
    mov ecx, 9000
    repe cmpsb                  ; all equal: runs out
    CHECK_FLAGS F_ZF | F_CF, F_ZF
    CHECK ecx, 0
    CHECK esi, 9000
    CHECK edi, 0x10 + 9000
    xor esi, esi
    mov edi, 0x10
    mov ecx, 9000
    repne cmpsb                 ; stops at the first, equal, element
    CHECK_FLAGS F_ZF, F_ZF
    CHECK ecx, 8999
    push cs
    pop ds
    ENDTEST

    TEST "rep.scas"
    mov ax, 0x4000
    mov es, ax
    xor di, di
    mov cx, 10000
    xor al, al
    call set16
    mov byte [es:5000], 0x7E
    mov al, 0x7E
    xor edi, edi
    mov ecx, 8000
    repne scasb
    CHECK_FLAGS F_ZF, F_ZF
    CHECK ecx, 8000 - 5001
    CHECK edi, 5001
    mov al, 0x7F
    xor edi, edi
    mov ecx, 8000
    repne scasb                 ; not found: runs out, last compare 0x7F - 0
    CHECK_FLAGS F_ARITH, 0
    CHECK ecx, 0
    CHECK edi, 8000
    mov ax, 0x5000
    mov es, ax
    mov di, 0x6000
    mov cx, 6000
.w: mov word [es:di], 0x1234
    add di, 2
    dec cx
    jnz .w
    mov word [es:0x6000 + 2 * 1000], 0x1235
    mov ax, 0x1234
    mov edi, 0x6000 + 2 * 5999
    mov ecx, 6000
    std
    repe scasw                  ; backward: stops at word 1000
    cld
    CHECK_FLAGS F_ZF | F_CF | F_SF, F_CF | F_SF
    CHECK ecx, 1000
    CHECK edi, 0x6000 + 2 * 999
    ENDTEST

    TEST "rep.count_zero"
    mov al, 1
    or al, al                   ; ZF = 0
    stc
    mov esi, 0x100
    mov edi, 0x200
    mov ecx, 0                  ; (not XOR: the flags must stay)
    repe cmpsb
    repne scasb
    rep movsb
    a32 rep stosd
    CHECK_FLAGS F_CF | F_ZF, F_CF
    CHECK esi, 0x100
    CHECK edi, 0x200
    CHECK ecx, 0
    ENDTEST

    TEST "rep.lodsb"
    mov ax, 0x2000
    mov ds, ax
    mov eax, 0x12345600
    xor esi, esi
    mov ecx, 5000
    rep lodsb
    push cs
    pop ds
    CHECK eax, 0x1234569A       ; p(4999)
    CHECK esi, 5000
    CHECK ecx, 0
    ENDTEST

    TEST "rep.di_wrap"
    mov ax, 0x5000
    mov es, ax
    mov byte [es:0xF7FF], 0
    mov byte [es:0x1000], 0
    mov edi, 0xF800             ; 16-bit DI wraps from FFFF to 0
    mov ecx, 0x1800
    mov al, 0xC3
    rep stosb
    CHECK edi, 0x1000
    CHECK ecx, 0
    xor di, di
    mov cx, 0x1000
    mov al, 0xC3
    call count16
    CHECKW ax, 0x1000
    mov di, 0xF800
    mov cx, 0x800
    mov al, 0xC3
    call count16
    CHECKW ax, 0x800
    CHECKB byte [es:0xF7FF], 0
    CHECKB byte [es:0x1000], 0
    ENDTEST

    TEST "rep.ecx_width"
    mov ax, 0x5000
    mov es, ax
    mov ecx, 0x00012000         ; 16-bit address size: CX = 0x2000
    mov edi, 0x2000
    mov al, 0x11
    rep stosb
    CHECK ecx, 0x00010000
    CHECK edi, 0x4000
    mov ecx, 0x3000             ; 32-bit address size: ECX and EDI
    mov edi, 0x9000
    a32 rep stosb
    CHECK ecx, 0
    CHECK edi, 0xC000
    mov di, 0x9000
    mov cx, 0x3000
    mov al, 0x11
    call count16
    CHECKW ax, 0x3000
    ENDTEST

    TEST "rep.fault_midway"
    mov ax, 0x6000
    mov es, ax
    mov edi, 0x10000 - 5000     ; element 5000 lies past the 64 KiB limit
    mov ecx, 8000
    mov al, 0x3C
    ARM .c1
.f1:
    a32 rep stosb
    FAILED "no #GP at the segment limit"
.c1:
    CHECK_CAUGHT 13, .f1
    CHECK ecx, 3000
    CHECK edi, 0x10000
    CHECKB byte [es:0xFFFF], 0x3C
    mov di, 0x10000 - 5000
    mov cx, 5000
    mov al, 0x3C
    call count16
    CHECKW ax, 5000
    mov edi, 4999               ; backward: EDI goes to FFFFFFFF
    mov ecx, 8000
    mov al, 0x3D
    std
    ARM .c2
.f2:
    a32 rep stosb
.c2:
    cld
    CHECK_CAUGHT 13, .f2
    CHECK ecx, 3000
    CHECK edi, 0xFFFFFFFF
    CHECKB byte [es:0], 0x3D
    ENDTEST

    DONE

; fill16: ES:DI = start, CX = count (> 0): the pattern from index 0.
; Plain moves, no string instructions. Clobbers AL, BX, CX, DI.
fill16:
    xor bx, bx
.l: mov al, bl
    add al, bh
    mov [es:di], al
    inc di
    inc bx
    dec cx
    jnz .l
    ret

; verify16: DS:SI = start, CX = count (> 0); AX = bytes that differ from the
; pattern from index 0. Clobbers BX, CX, DX, SI.
verify16:
    xor bx, bx
    xor dx, dx
.l: mov al, bl
    add al, bh
    cmp al, [si]
    je .s
    inc dx
.s: inc si
    inc bx
    dec cx
    jnz .l
    mov ax, dx
    ret

; count16: ES:DI = start, CX = count (> 0), AL = byte; AX = how many equal AL.
; Clobbers CX, DX, DI.
count16:
    xor dx, dx
.l: cmp [es:di], al
    jne .s
    inc dx
.s: inc di
    dec cx
    jnz .l
    mov ax, dx
    ret

; set16: ES:DI = start, CX = count (> 0), AL = byte. Clobbers CX, DI.
set16:
.l: mov [es:di], al
    inc di
    dec cx
    jnz .l
    ret

    HARNESS_CODE16
