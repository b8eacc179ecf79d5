; SPDX-License-Identifier: MIT
; System instructions on the Pentium II model, from reset: the state reset
; leaves (table 9-1), LAR/LSL/VERR/VERW by descriptor type and privilege,
; ARPL, SLDT/STR/SMSW/SGDT/SIDT (also at CPL 3), LTR, LMSW/CLTS, MOV CRn
; (#UD CR1/CR5-7, #GP for reserved CR0/CR4 settings), RDMSR/WRMSR, CPUID,
; ring-0-only instructions at CPL 3, CR4.TSD, and the TSS I/O bitmap.
; Spec: Intel SDM Vol. 3A 2.5, 9.1 (table 9-1), 5.9, 5.10; Vol. 1 18.5;
; Vol. 2 (each instruction); Vol. 4 (P6 MSRs).
%include "sys.inc"
    SYS_SAVE_RESET
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT

SEL_D1   equ SEL_FREE           ; data: base 0x345678, limit 0xABCD, B = 1
SEL_CNF  equ SEL_FREE + 0x08    ; conforming readable code, 4 GiB
SEL_T9   equ SEL_FREE + 0x10    ; available 32-bit TSS, limit 0x67
SEL_IG   equ SEL_FREE + 0x18    ; an interrupt gate (not valid in the GDT)
SEL_TG   equ SEL_FREE + 0x20    ; a task gate, DPL 3
SEL_NPT  equ SEL_FREE + 0x28    ; available 32-bit TSS, not present
    DESC GDT_SLOT(SEL_D1), 0x345678, 0xABCD, 0x4092
    DESC GDT_SLOT(SEL_CNF), 0, 0xFFFFF, 0xC09E
    DESC GDT_SLOT(SEL_T9), 0x24000, 0x67, A_TSS32
    GATE GDT_SLOT(SEL_IG), SEL_CODE32, 0, G_INT32
    GATE GDT_SLOT(SEL_TG), SEL_T9, 0, G_TASK | G_DPL3
    DESC GDT_SLOT(SEL_NPT), 0x24000, 0x67, A_TSS32 & ~0x80

    TEST "instr.reset_state"
    ; Table 9-1 (P6 family): EDX holds the CPUID signature, EAX the BIST
    ; result (0), the other GPRs 0, EFLAGS 2, CR0 60000010H, CR2 = CR3 = 0,
    ; DR6 FFFF0FF0H, DR7 400H, GDTR and IDTR base 0 limit FFFFH, selectors 0.
    mov eax, 1
    cpuid
    CHECK dword [S_RESET + 0x0C], eax
    CHECK dword [S_RESET], 0
    CHECK dword [S_RESET + 0x04], 0
    CHECK dword [S_RESET + 0x08], 0
    CHECK dword [S_RESET + 0x10], 0
    CHECK dword [S_RESET + 0x14], 0
    CHECK dword [S_RESET + 0x18], 0
    CHECK dword [S_RESET + 0x1C], 0
    CHECK dword [S_RESET + 0x20], 2
    CHECK dword [S_RESET + 0x24], 0x60000010
    CHECK dword [S_RESET + 0x28], 0
    CHECK dword [S_RESET + 0x2C], 0
    CHECK dword [S_RESET + 0x30], 0xFFFF0FF0
    CHECK dword [S_RESET + 0x34], 0x400
    CHECKW word [S_RESET + 0x38], 0xFFFF
    CHECK dword [S_RESET + 0x3A], 0
    CHECKW word [S_RESET + 0x40], 0xFFFF
    CHECK dword [S_RESET + 0x42], 0
    CHECK dword [S_RESET + 0x48], 0
    CHECK dword [S_RESET + 0x4C], 0
    CHECKW word [S_RESET + 0x50], 0
    ENDTEST

    TEST "instr.lar_lsl"
    mov esi, lar_cases
.next:
    cmp dword [esi], -1
    je .done
    mov eax, 0x5A5A5A5A
    mov ebx, 0x5A5A5A5A
    mov ecx, [esi]
    lar eax, cx
    pushfd
    and eax, [esi + 4]          ; mask: the bits the SDM defines
    CHECK eax, [esi + 8]        ; the unchanged 0x5A5A5A5A when ZF = 0
    popfd
    CHECK_FLAGS F_ZF, [esi + 12]
    lsl ebx, cx
    CHECK_FLAGS F_ZF, [esi + 20]
    CHECK ebx, [esi + 16]
    add esi, 24
    jmp .next
.done:
    mov bx, SEL_D1
    mov eax, 0x5A5A5A5A
    lar ax, bx                  ; 16 bits: the type byte and the flags' P DPL S
    CHECK eax, 0x5A5A9200
    ; At CPL 3: DPL 0 segments are invisible, conforming code is not.
    TO_RING3 .r3
.r3:
    mov ecx, SEL_DATA32
    lar eax, cx
    pushfd
    pop dword [S_T]
    mov ecx, SEL_CNF
    lar eax, cx
    pushfd
    pop dword [S_T + 4]
    mov ecx, SEL_UDATA
    lsl eax, cx
    pushfd
    pop dword [S_T + 8]
    mov ecx, SEL_TG | 3
    lar eax, cx
    pushfd
    pop dword [S_T + 12]
    TO_RING0
    mov eax, [S_T]
    and eax, F_ZF
    CHECK eax, 0
    mov eax, [S_T + 4]
    and eax, F_ZF
    CHECK eax, F_ZF
    mov eax, [S_T + 8]
    and eax, F_ZF
    CHECK eax, F_ZF
    mov eax, [S_T + 12]
    and eax, F_ZF
    CHECK eax, F_ZF
    ENDTEST

    TEST "instr.verr_verw"
    mov esi, ver_cases
.next:
    cmp dword [esi], -1
    je .done
    verr [esi]
    CHECK_FLAGS F_ZF, [esi + 4]
    verw [esi]
    CHECK_FLAGS F_ZF, [esi + 8]
    add esi, 12
    jmp .next
.done:
    TO_RING3 .r3
.r3:
    mov ax, SEL_DATA32
    verr ax
    pushfd
    pop dword [S_T]
    mov ax, SEL_CNF
    verr ax
    pushfd
    pop dword [S_T + 4]
    mov ax, SEL_UDATA
    verw ax
    pushfd
    pop dword [S_T + 8]
    TO_RING0
    mov eax, [S_T]
    and eax, F_ZF
    CHECK eax, 0
    mov eax, [S_T + 4]
    and eax, F_ZF
    CHECK eax, F_ZF
    mov eax, [S_T + 8]
    and eax, F_ZF
    CHECK eax, F_ZF
    ENDTEST

    TEST "instr.arpl"
    mov ax, 0x0010
    mov bx, 0x0003
    arpl ax, bx
    CHECK_FLAGS F_ZF, F_ZF
    CHECKW ax, 0x0013
    mov bx, 0x0001
    arpl ax, bx                 ; RPL 3 >= 1: unchanged
    CHECK_FLAGS F_ZF, 0
    CHECKW ax, 0x0013
    mov dword [S_T], 0xFFFF0028
    mov bx, 0x0002
    arpl [S_T], bx
    CHECK_FLAGS F_ZF, F_ZF
    CHECK dword [S_T], 0xFFFF002A
    ENDTEST

    TEST "instr.store_registers"
    ; STR and SLDT into a 32-bit register clear its upper half (P6); into
    ; memory they, SMSW, SGDT and SIDT write only their own bytes. All work
    ; at CPL 3.
    mov ax, SEL_LDT
    lldt ax
    mov eax, -1
    str eax
    CHECK eax, SEL_TSS
    mov eax, -1
    sldt eax
    CHECK eax, SEL_LDT
    mov dword [S_T], -1
    sldt [S_T]
    CHECK dword [S_T], 0xFFFF0000 | SEL_LDT
    mov dword [S_T], -1
    smsw [S_T]
    mov eax, cr0
    or eax, 0xFFFF0000
    CHECK dword [S_T], eax
    mov eax, cr0
    smsw bx
    movzx eax, ax
    movzx ebx, bx
    CHECK ebx, eax
    mov dword [S_T + 8], -1
    sgdt [S_T + 2]
    CHECKW word [S_T + 2], 0x7FF
    CHECK dword [S_T + 4], SYS_GDT
    CHECKW word [S_T + 8], 0xFFFF
    sidt [S_T + 2]
    CHECKW word [S_T + 2], 0x7FF
    CHECK dword [S_T + 4], H_IDT
    TO_RING3 .r3
.r3:
    str ax
    mov [S_T + 0x10], ax
    sldt ax
    mov [S_T + 0x12], ax
    smsw ax
    mov [S_T + 0x14], ax
    sgdt [S_T + 0x16]
    TO_RING0
    CHECKW word [S_T + 0x10], SEL_TSS
    CHECKW word [S_T + 0x12], SEL_LDT
    CHECK dword [S_T + 0x18], SYS_GDT
    xor eax, eax
    lldt ax
    ENDTEST

    TEST "instr.ltr"
    ; LTR marks the new TSS busy and leaves the old one as it was; a busy,
    ; not-present, null, local or non-TSS selector faults (SDM Vol. 2, LTR).
    mov esi, ltr_cases
.next:
    cmp dword [esi], -1
    je .done
    mov eax, [esi]
    ARM .c
    ltr ax
    FAILED "no fault for LTR"
.c: CHECK dword [gs:H_VEC], [esi + 4]
    CHECK dword [gs:H_ERR], [esi + 8]
    add esi, 12
    jmp .next
.done:
    mov ax, SEL_T9
    ltr ax
    str bx
    CHECKW bx, SEL_T9
    CHECKB byte [GDT_SLOT(SEL_T9) + 5], 0x8B
    CHECKB byte [GDT_SLOT(SEL_TSS) + 5], 0x8B
    and byte [GDT_SLOT(SEL_TSS) + 5], ~2 ; back to the ring-0 task's TSS
    mov ax, SEL_TSS
    ltr ax
    and byte [GDT_SLOT(SEL_T9) + 5], ~2
    ENDTEST

    TEST "instr.lmsw_clts"
    mov ebx, cr0
    mov ax, 0x000E              ; MP EM TS
    lmsw ax
    mov eax, cr0
    mov ecx, ebx
    or ecx, 0x0E
    CHECK eax, ecx
    xor eax, eax                ; LMSW cannot clear PE
    lmsw ax
    mov eax, cr0
    and ecx, ~0x0E
    CHECK eax, ecx
    mov ax, 0x0008
    lmsw ax
    clts
    mov eax, cr0
    CHECK eax, ecx
    mov cr0, ebx
    ENDTEST

    TEST "instr.mov_cr"
    mov esi, cr_cases
.next:
    cmp dword [esi], -1
    je .done
    mov eax, cr0
    mov ebx, eax
    or eax, [esi + 8]           ; the value some cases write
    and eax, [esi + 12]
    ARM .c
    call [esi]
    DISARM
    FAILED "no fault for MOV CR"
.c: CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], [esi + 4]
    CHECK dword [gs:H_ERR], 0
    mov eax, cr0
    CHECK eax, ebx              ; a faulting write changes nothing
    add esi, 16
    jmp .next
.done:
    ; CR4.VME and PVI exist only where CPUID reports VME; elsewhere they are
    ; reserved bits.
    mov eax, 1
    cpuid
    mov ecx, 13
    test edx, 2
    jz .novme
    mov ecx, -1
.novme:
    mov esi, 1                  ; VME, then PVI
.vme:
    mov eax, esi
    ARM .cv
    mov cr4, eax
    DISARM
    xor eax, eax
    mov cr4, eax
    mov eax, -1
    jmp .vchk
.cv:
    mov eax, [gs:H_VEC]
.vchk:
    CHECK eax, ecx
    add esi, esi
    cmp esi, 2
    je .vme
    mov eax, 0x12345678
    mov cr2, eax
    mov eax, cr2
    CHECK eax, 0x12345678
    mov eax, 0x18               ; PSE DE
    mov cr4, eax
    mov eax, cr4
    CHECK eax, 0x18
    xor eax, eax
    mov cr4, eax
    ENDTEST

    TEST "instr.msr"
    mov ecx, 0x1B               ; IA32_APIC_BASE: FEE00000H, BSP, enabled
    rdmsr
    CHECK eax, 0xFEE00900
    CHECK edx, 0
    mov ecx, 0x174
    mov eax, SEL_CODE32
    xor edx, edx
    wrmsr
    mov ecx, 0x176
    mov eax, 0x12345678
    wrmsr
    mov ecx, 0x174
    rdmsr
    CHECK eax, SEL_CODE32
    mov ecx, 0x176
    rdmsr
    CHECK eax, 0x12345678
    mov ecx, 0x10               ; the TSC: written, then counting on
    xor eax, eax
    mov edx, 1
    wrmsr
    rdtsc
    CHECK edx, 1
    mov ecx, 0x10
    rdmsr
    mov ebx, eax
    rdtsc
    cmp eax, ebx
    ja .ok
    FAILED "the TSC did not advance"
.ok:
    mov esi, msr_cases
.next:
    cmp dword [esi], -1
    je .done
    mov ecx, [esi]
    xor eax, eax
    xor edx, edx
    ARM .c
    call [esi + 4]
    FAILED "no #GP for an MSR access"
.c: CHECK dword [gs:H_VEC], 13
    CHECK dword [gs:H_ERR], 0
    add esi, 8
    jmp .next
.done:
    ENDTEST

    TEST "instr.cpuid"
    xor eax, eax
    cpuid
    CHECK eax, 2
    CHECK ebx, 0x756E6547       ; "Genu"
    CHECK edx, 0x49656E69       ; "ineI"
    CHECK ecx, 0x6C65746E       ; "ntel"
    mov eax, 1
    cpuid
    mov ebx, eax
    shr ebx, 8
    and ebx, 0x0F
    CHECK ebx, 6                ; P6 family
    and edx, CPUID_P2
    CHECK edx, CPUID_P2
    mov eax, 2
    cpuid
    mov [S_T], eax
    mov [S_T + 4], ebx
    mov [S_T + 8], ecx
    mov [S_T + 12], edx
    mov eax, 5                  ; above the maximum: the highest basic leaf
    cpuid
    CHECK eax, [S_T]
    CHECK ebx, [S_T + 4]
    CHECK ecx, [S_T + 8]
    CHECK edx, [S_T + 12]
    ENDTEST

    TEST "instr.ring0_only"
    mov esi, priv_cases
.next:
    cmp dword [esi], -1
    je .done
    TO_RING3 .r3
.r3:
    ARM3 .c
    mov ecx, 0x10
    xor ebx, ebx
    jmp [esi]
.c: CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], 13
    CHECK dword [gs:H_ERR], 0
    mov eax, [esi]
    CHECK dword [gs:H_EIP], eax
    add esi, 4
    jmp .next
.done:
    ; RDTSC at CPL 3 works unless CR4.TSD is set.
    TO_RING3 .r3b
.r3b:
    rdtsc
    TO_RING0
    mov eax, cr4
    or eax, 4
    mov cr4, eax
    TO_RING3 .r3c
.r3c:
    ARM3 .c2
.f2: rdtsc
.c2:
    mov eax, cr4
    and eax, ~4
    mov cr4, eax
    CHECK_CAUGHT 13, .f2, SEL_UCODE
    ENDTEST

    TEST "instr.io_bitmap"
    ; CPL 3 > IOPL 0: every port an access touches must be clear in the map.
    mov esi, io_cases
.next:
    cmp dword [esi], -1
    je .done
    TO_RING3 .r3
.r3:
    ARM3 .c
    call [esi]
    DISARM
    mov [S_T], eax
    TO_RING0
    mov eax, -1
    jmp .chk
.c: mov eax, [gs:H_VEC]
.chk:
    CHECK eax, [esi + 4]
    add esi, 8
    jmp .next
.done:
    CHECKB byte [S_T], 0xE9     ; the last allowed read: the console's answer
    ; A map base beyond the TSS limit denies every port.
    mov word [SYS_TSS + 0x66], 0xFFFF
    TO_RING3 .r3b
.r3b:
    ARM3 .c2
.f2: in al, 0xE9
.c2:
    mov word [SYS_TSS + 0x66], SYS_IOMAP
    CHECK_CAUGHT 13, .f2, SEL_UCODE
    ; IOPL 3: no map lookup at all.
    mov [S_MAIN_ESP], esp
    mov ax, SEL_UDATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    push dword SEL_UDATA
    push dword SYS_STACK3
    push dword 0x3002
    push dword SEL_UCODE
    push dword .r3c
    iretd
.r3c:
    in al, 0x80
    mov [S_T + 4], al
    TO_RING0
    push dword 2
    popfd
    CHECKB byte [S_T + 4], 0xFF
    ENDTEST

    DONE

CPUID_P2 equ (1 << 0) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 8) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 15)

; LTR cases: selector, vector, error code.
ltr_cases:
    dd SEL_TSS, 13, SEL_TSS             ; busy
    dd 0, 13, 0                         ; null
    dd SEL_T9 | 4, 13, SEL_T9 | 4       ; TI = 1
    dd SEL_DATA32, 13, SEL_DATA32       ; not a TSS
    dd SEL_LDT, 13, SEL_LDT
    dd SEL_NPT, 11, SEL_NPT             ; not present
    dd -1

; LAR/LSL cases: selector, LAR mask, LAR result (masked), LAR ZF, LSL
; result, LSL ZF. On failure both leave the destination alone.
lar_cases:
    dd SEL_D1, 0x00F0FF00, 0x00409200, F_ZF, 0xABCD, F_ZF
    dd SEL_CNF, 0x00F0FF00, 0x00C09E00, F_ZF, 0xFFFFFFFF, F_ZF
    dd SEL_T9, 0x00F0FF00, 0x00008900, F_ZF, 0x67, F_ZF
    dd SEL_TSS, 0x00F0FF00, 0x00008B00, F_ZF, SYS_TSS_LIMIT, F_ZF
    dd SEL_LDT, 0x00F0FF00, 0x00008200, F_ZF, 0xFF, F_ZF
    dd SEL_BACK0, 0x0000FF00, 0x0000EC00, F_ZF, 0x5A5A5A5A, 0 ; call gate
    dd SEL_TG, 0x0000FF00, 0x0000E500, F_ZF, 0x5A5A5A5A, 0    ; task gate
    dd SEL_IG, -1, 0x5A5A5A5A, 0, 0x5A5A5A5A, 0           ; interrupt gate
    dd 0, -1, 0x5A5A5A5A, 0, 0x5A5A5A5A, 0                ; null
    dd 0x800, -1, 0x5A5A5A5A, 0, 0x5A5A5A5A, 0            ; beyond the limit
    dd SEL_DATA1 | 2, -1, 0x5A5A5A5A, 0, 0x5A5A5A5A, 0    ; RPL 3 > DPL 1
    dd SEL_SMALL, 0x00F0FF00, 0x00009200, F_ZF, 0xFFF, F_ZF
    dd -1

; VERR/VERW cases (word in memory): selector, VERR ZF, VERW ZF.
ver_cases:
    dd SEL_D1, F_ZF, F_ZF
    dd SEL_RO, F_ZF, 0
    dd SEL_CODE32, F_ZF, 0
    dd SEL_CODEXO, 0, 0
    dd SEL_CNF, F_ZF, 0
    dd SEL_TSS, 0, 0
    dd SEL_BACK0, 0, 0
    dd 0, 0, 0
    dd 0x800, 0, 0
    dd SEL_DATA1 | 2, 0, 0
    dd -1

; MOV CRn cases: code, vector, then OR and AND masks applied to CR0 in EAX.
cr_read1: db 0x0F, 0x20, 0xC8   ; mov eax, cr1
cr_read5: db 0x0F, 0x20, 0xE8   ; mov eax, cr5
cr_read7: db 0x0F, 0x20, 0xF8   ; mov eax, cr7
cr_write6: db 0x0F, 0x22, 0xF0  ; mov cr6, eax
cr_write0: mov cr0, eax
cr_write4: mov cr4, eax
cr_cases:
    dd cr_read1, 6, 0, -1
    dd cr_read5, 6, 0, -1
    dd cr_read7, 6, 0, -1
    dd cr_write6, 6, 0, -1
    dd cr_write0, 13, 0x80000000, ~1          ; PG without PE
    dd cr_write0, 13, 0x20000000, ~0x40000000 ; NW without CD
    dd cr_write4, 13, 0x20, 0x20              ; PAE: CPUID says none
    dd cr_write4, 13, 0x2000, 0x2000          ; bit 13: reserved here
    dd cr_write4, 13, 0x80000000, 0x80000000  ; bit 31: reserved
    dd -1

msr_rd: rdmsr
    ret
msr_wr: wrmsr
    ret
msr_cases:
    dd 0xFE, msr_wr             ; IA32_MTRRCAP is read-only
    dd 0x12345, msr_rd          ; no such MSR
    dd 0x12345, msr_wr
    dd -1

; Ring-0-only instructions: each is run at CPL 3 and must give #GP(0).
p_lgdt:   lgdt [S_T]
p_lidt:   lidt [S_T]
p_lldt:   lldt bx
p_ltr:    ltr bx
p_rcr0:   mov eax, cr0
p_wcr3:   mov cr3, eax
p_rdr7:   mov eax, dr7
p_hlt:    hlt
p_clts:   clts
p_lmsw:   lmsw bx
p_invd:   invd
p_wbinvd: wbinvd
p_invlpg: invlpg [0]
p_rdmsr:  rdmsr
p_wrmsr:  wrmsr
p_cli:    cli
p_sti:    sti
p_rdpmc:  rdpmc
priv_cases:
    dd p_lgdt, p_lidt, p_lldt, p_ltr, p_rcr0, p_wcr3, p_rdr7, p_hlt, p_clts
    dd p_lmsw, p_invd, p_wbinvd, p_invlpg, p_rdmsr, p_wrmsr, p_cli, p_sti
    dd p_rdpmc, -1

; Port accesses at CPL 3: code, expected vector or -1.
io_in_e9:   in al, 0xE9
    ret
io_in80:    in al, 0x80
    ret
io_inw_e9:  in ax, 0xE9         ; 0xE9 and 0xEA: 0xEA is denied
    ret
io_inw_f4:  in ax, 0xF4
    ret
io_ind_f4:  in eax, 0xF4
    ret
io_ind_f5:  in eax, 0xF5        ; 0xF5-0xF8: 0xF8 is denied
    ret
io_out_dx:  mov dx, 0x3F8
    out dx, al
    ret
io_cases:
    dd io_in80, 13
    dd io_inw_e9, 13
    dd io_inw_f4, -1
    dd io_ind_f4, -1
    dd io_ind_f5, 13
    dd io_out_dx, 13
    dd io_in_e9, -1
    dd -1

    HARNESS_CODE32
    SYS_CODE32
