; SPDX-License-Identifier: MIT
; Segment loads and checks in protected mode (386+), from reset: the LDTR
; reset leaves usable, LDT selectors and LLDT faults, CPL/RPL/DPL rules for
; data, stack and code segments with their error codes at CPL 0 and 3,
; conforming code (CS.RPL = CPL), the accessed bit, granular and expand-down
; limits, #SS(0), null selectors, segment caches kept in real mode again.
; Spec: Intel SDM Vol. 3A 3.4.2-3.4.5, 5.3-5.8, 9.1.1 (table 9-1), 9.9.2;
; Vol. 2 (MOV, POP, LSS, LLDT, SLDT, JMP).
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

; Back to real mode (SDM 9.9.2), entered at CPL 0 through SEL_CODE16: the
; data segments get 64 KiB limits except FS, which keeps SEL_DATA32's 4 GiB
; limit into real mode, where loading FS changes only its base.
    bits 16
rm_switch:
    mov ax, SEL_DATA16
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov gs, ax
    mov ax, SEL_DATA32
    mov fs, ax
    lidt [cs:rm_idtr]
    mov eax, cr0
    and al, ~1
    mov cr0, eax
    jmp H_REAL_CS:.real
.real:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov gs, ax
    mov eax, [fs:dword 0x100000]
    mov [gs:S_T], eax
    mov ax, 0x1000
    mov fs, ax
    mov eax, [fs:dword 0xF0000]
    mov [gs:S_T + 4], eax
    mov dword [gs:S_T + 8], -1
    ARM .c
    mov eax, [dword 0x10000]    ; DS kept its 64 KiB limit: #GP (interrupt 13)
.c: mov eax, [gs:H_VEC]
    mov [gs:S_T + 8], eax
    cli
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword SEL_CODE32:rm_back
rm_idtr:
    dw 0x3FF
    dd 0

    PM_SECTION
pm_start:
    PM32_INIT
    ; Before SYS_INIT: the LDTR still holds its reset state, base 0 and
    ; limit 0xFFFF, present (SDM table 9-1), so TI = 1 selectors index a
    ; table at linear 0.
    TEST "seg.ldtr_after_reset"
    mov dword [0x400], 0x0000FFFF ; entry 0x80 of a table at 0: data, base 0x30000
    mov dword [0x404], 0x00CF9203
    mov dword [0x30000], 0xC0FFEE11
    mov ax, 0x404
    ARM .c
    mov es, ax
    mov eax, [es:0]
.c: CHECK_NOT_CAUGHT
    CHECK eax, 0xC0FFEE11
    mov ax, SEL_DATA32
    mov es, ax
    sldt ax
    CHECKW ax, 0
    ENDTEST

    SYS_INIT

SEL_LX    equ SEL_FREE          ; scratch descriptor
SEL_CONF3 equ SEL_FREE + 0x08   ; conforming code, DPL 3
SEL_LDTNP equ SEL_FREE + 0x10   ; LDT descriptor, not present
SEL_SMSS  equ SEL_FREE + 0x18   ; stack: base 0, limit 0xFFFF, B = 1
SEL_NPC   equ SEL_FREE + 0x20   ; code, not present
    DESC GDT_SLOT(SEL_CONF3), 0, 0xFFFFF, A_CODE32 | 0x04 | A_DPL3
    DESC GDT_SLOT(SEL_LDTNP), SYS_LDT, 0xFF, A_LDT & ~0x80
    DESC GDT_SLOT(SEL_SMSS), 0, 0xFFFF, 0x4092
    DESC GDT_SLOT(SEL_NPC), 0, 0xFFFFF, A_CODE32 & ~0x80
    ; LDT: 0x04 data at 0x30000, 0x0C data not present, 0x14 flat code,
    ; 0x1F data DPL 3 (selector with RPL 3)
    DESC LDT_SLOT(0x04), 0x30000, 0xFFFF, 0x4092
    DESC LDT_SLOT(0x0C), 0, 0xFFFFF, A_DATA32 & ~0x80
    DESC LDT_SLOT(0x14), 0, 0xFFFFF, A_CODE32
    DESC LDT_SLOT(0x1C), 0, 0xFFFFF, A_DATA32 | A_DPL3

    TEST "seg.lldt"
    mov ax, SEL_LDT
    lldt ax
    sldt bx
    CHECKW bx, SEL_LDT
    mov dword [0x30010], 0x12345678
    mov ax, 0x04                ; TI = 1, index 0: not a null selector
    mov es, ax
    CHECK dword [es:0x10], 0x12345678
    mov ax, 0x1F
    mov fs, ax
    mov ax, fs
    CHECKW ax, 0x1F
    jmp 0x14:.ldt_code
.ldt_code:
    mov ax, cs
    CHECKW ax, 0x14
    jmp SEL_CODE32:.back
.back:
    mov ax, SEL_DATA32
    mov es, ax
    mov fs, ax
    ; Faulting LDT loads and LLDTs: selector, expected vector and error.
    mov esi, ldt_cases
.next:
    cmp dword [esi], -1
    je .done
    mov eax, [esi]
    ARM .c
    call [esi + 12]
    FAILED "no fault"
.c: CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], [esi + 4]
    CHECK dword [gs:H_ERR], [esi + 8]
    mov ax, SEL_DATA32
    mov es, ax
    mov ax, SEL_LDT
    lldt ax
    add esi, 16
    jmp .next
.done:
    ; A null LDTR: every TI = 1 selector faults.
    xor ax, ax
    lldt ax
    mov ax, 0x04
    ARM .c2
.f2: mov es, ax
    FAILED "no #GP with a null LDTR"
.c2:
    CHECK_CAUGHT 13, .f2
    CHECK dword [gs:H_ERR], 0x04
    mov ax, SEL_LDT
    lldt ax
    ENDTEST

    TEST "seg.data_rules_cpl0"
    mov ax, SEL_DATA1           ; RPL 1 <= DPL 1
    mov ds, ax
    mov ax, (SEL_DATA2 & ~3) | 1
    mov ds, ax
    mov ax, SEL_DATA32
    mov ds, ax
    mov esi, data0_cases
    call run_load_cases
    ENDTEST

    TEST "seg.data_rules_cpl3"
    TO_RING3 .r3
.r3:
    mov ax, SEL_CONF0           ; conforming readable code: any privilege
    mov es, ax
    mov ax, es
    mov [S_T], eax
    mov ax, SEL_UCODE           ; readable code of the same DPL
    mov es, ax
    ARM3 .c
.f: mov [es:S_T + 4], eax       ; ...which is never writable
    FAILED "no #GP writing through code in ES"
    TO_RING0
.c: CHECKW word [S_T], SEL_CONF0
    CHECK_CAUGHT 13, .f, SEL_UCODE
    CHECK dword [gs:H_ERR], 0
    mov esi, data3_cases
    call run_load_cases_r3
    ENDTEST

    TEST "seg.ss_rules"
    mov esi, ss0_cases
    call run_load_cases
    ; POP SS of a not-present segment: #SS(selector), ESP unchanged.
    mov ebx, esp
    push dword SEL_NP
    ARM .c
.f: pop ss
    FAILED "no #SS for POP SS"
.c: CHECK_CAUGHT 12, .f
    CHECK dword [gs:H_ERR], SEL_NP
    lea eax, [ebx - 4]
    mov ecx, esp
    CHECK ecx, eax
    mov esp, ebx
    ; At CPL 3: SS must be DPL 3 with RPL 3.
    TO_RING3 .r3
.r3:
    mov ax, SEL_UDATA
    mov ss, ax
    ARM3 .c3
    mov ax, SEL_DATA32 | 3
.f3: mov ss, ax
    FAILED "no #GP for a DPL 0 SS at CPL 3"
    TO_RING0
.c3:
    CHECK_CAUGHT 13, .f3, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_DATA32
    ENDTEST

    TEST "seg.accessed_bit"
    ; Loading a segment register sets the descriptor's accessed bit.
    DESC GDT_SLOT(SEL_LX), 0, 0xFFFFF, A_DATA32
    CHECKB byte [GDT_SLOT(SEL_LX) + 5], 0x92
    mov ax, SEL_LX
    mov es, ax
    CHECKB byte [GDT_SLOT(SEL_LX) + 5], 0x93
    mov ax, SEL_DATA32
    mov es, ax
    ENDTEST

    TEST "seg.conforming_code"
    ; From CPL 3 into DPL 0 conforming code: CPL stays 3, shown in CS.RPL.
    TO_RING3 .r3
.r3:
    jmp SEL_CONF0:.conf
.conf:
    mov ax, cs
    mov [S_T], eax
    ARM3 .c1
.f1: mov eax, cr0               ; still CPL 3: privileged
    FAILED "MOV from CR0 ran in conforming code at CPL 3"
    TO_RING0
.c1:
    CHECKW word [S_T], SEL_CONF0 | 3
    CHECK_CAUGHT 13, .f1, SEL_CONF0 | 3
    ; A far CALL into conforming code pushes CS with RPL = CPL.
    TO_RING3 .r3b
.r3b:
    call SEL_CONF0:callee_conf
.after:
    TO_RING0
    CHECKW word [S_T + 8], SEL_UCODE
    CHECK dword [S_T + 4], .after
    CHECKW word [S_T + 12], SEL_CONF0 | 3
    mov esi, jmp_cases
.next:
    cmp dword [esi], -1
    je .done
    ARM .c
.f: jmp far [esi]
    FAILED "no fault for a far JMP"
.c: CHECK_CAUGHT [esi + 8], .f
    CHECK dword [gs:H_ERR], [esi + 12]
    add esi, 16
    jmp .next
.done:
    ENDTEST

    TEST "seg.limits"
    ; G = 1, limit 0: offsets 0-0xFFF.
    DESC GDT_SLOT(SEL_LX), 0x30000, 0, A_DATA32
    mov ebx, 0xFFD
    call probe_lx_dword
    CHECK eax, 13
    mov ebx, 0xFFC
    call probe_lx_dword
    CHECK eax, -1
    ; Expand-down, B = 0, limit 0xFFF: offsets 0x1000-0xFFFF.
    DESC GDT_SLOT(SEL_LX), 0x30000, 0xFFF, 0x0096
    mov ebx, 0x1000
    call probe_lx_dword
    CHECK eax, -1
    mov ebx, 0xFFF
    call probe_lx_dword
    CHECK eax, 13
    mov ebx, 0xFFFC
    call probe_lx_dword
    CHECK eax, -1
    mov ebx, 0xFFFD             ; the last byte would be at 0x10000
    call probe_lx_dword
    CHECK eax, 13
    ; Expand-down, G = 1, limit field 0xFFFFE: offsets 0xFFFFF000 and up.
    DESC GDT_SLOT(SEL_LX), 0, 0xFFFFE, 0xC096
    mov ebx, 0xFFFFEFFC
    call probe_lx_dword
    CHECK eax, 13
    mov ebx, 0xFFFFF000
    call probe_lx_dword
    CHECK eax, -1
    ENDTEST

    TEST "seg.stack_faults"
    ; References through SS beyond its limit are #SS(0), not #GP. ESP stays
    ; well below the limit so that the handlers' frames fit.
    mov ebx, esp
    mov esp, 0xF000
    mov ax, SEL_SMSS
    mov ss, ax
    mov ebp, 0x10000
    ARM .c1
.f1: mov eax, [ebp]
    FAILED "no #SS through EBP"
.c1:
    CHECK_CAUGHT 12, .f1
    CHECK dword [gs:H_ERR], 0
    ARM .c2
.f2: mov eax, [esp + 0x1000]
    FAILED "no #SS through ESP"
.c2:
    CHECK_CAUGHT 12, .f2
    mov eax, [ds:ebp]           ; the same offset through DS is fine
    ; A push that wraps below 0 leaves no room to deliver the fault on this
    ; stack: take it through the catcher task.
    CATCH_TASK 12
    mov [S_T], esp
    xor esp, esp
    ARM .c3
.f3: push eax
.c3:
    mov esp, [S_T]
    CATCH_STUB 12
    CHECK_CAUGHT 12, .f3
    CHECK dword [gs:H_ERR], 0
    mov ax, SEL_DATA32
    mov ss, ax
    mov esp, ebx
    ENDTEST

    TEST "seg.back_to_real_mode"
    mov dword [0x100000], 0x4D4D1111
    jmp SEL_CODE16:rm_switch
rm_back:
    FLAT_SEGS
    mov ax, SEL_DATA32
    mov ss, ax
    lidt [h_idtr32]
    CHECK dword [S_T], 0x4D4D1111
    CHECK dword [S_T + 4], 0x4D4D1111
    CHECK dword [S_T + 8], 13
    ENDTEST

    TEST "seg.null_and_mov_cs"
    ARM .c1
.f1: jmp 0:.c1
    FAILED "no #GP for a null CS"
.c1:
    CHECK_CAUGHT 13, .f1
    CHECK dword [gs:H_ERR], 0
    mov ax, SEL_CODE32
    ARM .c2
.f2: db 0x8E, 0xC8              ; mov cs, ax
    FAILED "no #UD for MOV CS"
.c2:
    CHECK_CAUGHT 6, .f2
    ENDTEST

    DONE

; Load cases: selector, vector, error code, loader. Each loader takes the
; selector in AX and is called with the faulting instruction first.
ld_es:
    mov es, ax
    ret
ld_ss:
    mov ss, ax
    ret
ld_lldt:
    lldt ax
    ret
ld_lss:                         ; LSS: the selector from memory
    mov [S_T + 0x20], ax
    lss ecx, [S_T + 0x1C]
    ret

; run_load_cases: ESI = table (selector, vector, error, loader), -1 ends.
; At CPL 0.
run_load_cases:
    pop dword [S_T + 0x30]
.next:
    cmp dword [esi], -1
    je .done
    mov eax, [esi]
    ARM .c
    call [esi + 12]
    FAILED "no fault for a segment load"
    jmp .adv
.c: CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], [esi + 4]
    CHECK dword [gs:H_ERR], [esi + 8]
.adv:
    mov ax, SEL_DATA32
    mov es, ax
    add esi, 16
    jmp .next
.done:
    jmp [S_T + 0x30]

; The same at CPL 3: each case runs in ring 3 and resumes in ring 0.
run_load_cases_r3:
    pop dword [S_T + 0x30]
.next:
    cmp dword [esi], -1
    je .done
    TO_RING3 .r3
.r3:
    mov eax, [esi]
    ARM3 .c
    call [esi + 12]
    FAILED "no fault for a segment load at CPL 3"
    TO_RING0
    jmp .adv
.c: CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], [esi + 4]
    CHECK dword [gs:H_ERR], [esi + 8]
.adv:
    add esi, 16
    jmp .next
.done:
    jmp [S_T + 0x30]

; probe_lx_dword: EAX = vector of the fault reading 4 bytes at SEL_LX:EBX,
; or -1. ES is SEL_DATA32 again on return.
probe_lx_dword:
    mov ax, SEL_LX
    mov es, ax
    ARM .c
    mov eax, [es:ebx]
    DISARM
    mov eax, -1
.c: push eax
    mov ax, SEL_DATA32
    mov es, ax
    pop eax
    cmp eax, -1
    je .r
    mov eax, [gs:H_VEC]
.r: ret

; Far-called from CPL 3 into conforming code: record the return frame and
; the callee's CS.
callee_conf:
    push eax
    mov eax, [esp + 4]
    mov [S_T + 4], eax
    mov eax, [esp + 8]
    mov [S_T + 8], eax
    mov ax, cs
    mov [S_T + 12], eax
    pop eax
    retf

ldt_cases:
    dd 0x0C, 11, 0x0C, ld_es                ; LDT data not present: #NP
    dd 0x104, 13, 0x104, ld_es              ; beyond the LDT limit
    dd 0x14, 13, 0x14, ld_lldt              ; LLDT of a TI = 1 selector
    dd SEL_DATA32, 13, SEL_DATA32, ld_lldt  ; not an LDT descriptor
    dd SEL_LDTNP, 11, SEL_LDTNP, ld_lldt    ; LDT not present
    dd 0x800, 13, 0x800, ld_lldt            ; beyond the GDT limit
    dd -1

data0_cases:
    dd SEL_DATA1 | 2, 13, SEL_DATA1 & ~3, ld_es ; RPL 3 > DPL 1
    dd SEL_TSS, 13, SEL_TSS, ld_es          ; system descriptors
    dd SEL_LDT, 13, SEL_LDT, ld_es
    dd SEL_BACK0, 13, SEL_BACK0 & ~3, ld_es ; a gate
    dd SEL_CODEXO, 13, SEL_CODEXO, ld_es    ; execute-only code
    dd 0x800, 13, 0x800, ld_es              ; beyond the GDT limit
    dd SEL_NP, 11, SEL_NP, ld_es
    dd -1

data3_cases:
    dd SEL_DATA32, 13, SEL_DATA32, ld_es    ; DPL 0 < CPL 3
    dd SEL_DATA2, 13, SEL_DATA2 & ~3, ld_es
    dd SEL_CODE1, 13, SEL_CODE1 & ~3, ld_es ; non-conforming code, DPL 1
    dd -1

ss0_cases:
    dd SEL_DATA1, 13, SEL_DATA1 & ~3, ld_ss         ; RPL 1 != CPL 0
    dd SEL_DATA1 & ~3, 13, SEL_DATA1 & ~3, ld_ss    ; DPL 1 != CPL 0
    dd SEL_CODE32, 13, SEL_CODE32, ld_ss            ; code
    dd SEL_RO, 13, SEL_RO, ld_ss                    ; read-only
    dd SEL_TSS, 13, SEL_TSS, ld_ss
    dd 0x800, 13, 0x800, ld_ss
    dd 0, 13, 0, ld_ss                              ; null
    dd SEL_NP, 12, SEL_NP, ld_lss                   ; not present: #SS
    dd -1

; Far JMP targets from CPL 0: offset, selector, vector, error code.
jmp_cases:
    dd 0, SEL_CONF3, 13, SEL_CONF3          ; conforming, DPL 3 > CPL 0
    dd 0, SEL_CODE32 | 3, 13, SEL_CODE32    ; non-conforming, RPL 3 > CPL 0
    dd 0, SEL_UCODE, 13, SEL_UCODE & ~3     ; non-conforming, DPL 3 != CPL 0
    dd 0, SEL_DATA32, 13, SEL_DATA32        ; data
    dd 0, SEL_LDT, 13, SEL_LDT              ; an LDT descriptor
    dd 0, SEL_NPC, 11, SEL_NPC              ; not present: #NP
    dd 0x10000, SEL_CODE16, 13, 0           ; offset beyond the limit: #GP(0)
    dd -1

    HARNESS_CODE32
    SYS_CODE32
