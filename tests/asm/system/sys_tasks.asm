; SPDX-License-Identifier: MIT
; Hardware task switching (386+), from reset: JMP to a TSS and through a
; task gate (also from ring 3), CALL and INT n to a task and IRET with NT,
; against table 7-2 (busy, NT, back link, CR0.TS), registers saved in the
; old TSS, CR3/LDTR from the new one, a 16-bit TSS, the T bit, the checks
; before the commit point and the faults after it (table 7-1).
; Spec: Intel SDM Vol. 3A 7.2-7.4, 7.6 (16-bit TSS), 17.3.1.5; Vol. 2 (JMP,
; CALL, IRET, INT n).
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT

TSS_A equ 0x24000
TSS_B equ 0x24100
TSS_D equ 0x24200
TSS_E equ 0x24300               ; 16-bit
SEL_TA   equ SEL_FREE           ; 32-bit TSS at TSS_A
SEL_TB   equ SEL_FREE + 0x08
SEL_TD   equ SEL_FREE + 0x10
SEL_TE   equ SEL_FREE + 0x18    ; 16-bit TSS
SEL_TGA  equ SEL_FREE + 0x20    ; task gate DPL 3 -> SEL_TA
SEL_TX   equ SEL_FREE + 0x28    ; scratch TSS descriptor or task gate
SEL_K10K equ SEL_FREE + 0x30    ; 32-bit code DPL 0 based at 0x10000
    DESC GDT_SLOT(SEL_TA), TSS_A, 0x67, A_TSS32
    DESC GDT_SLOT(SEL_TB), TSS_B, 0x67, A_TSS32
    DESC GDT_SLOT(SEL_TD), TSS_D, 0x67, A_TSS32
    DESC GDT_SLOT(SEL_TE), TSS_E, 0x2B, A_TSS16
    GATE GDT_SLOT(SEL_TGA), SEL_TA, 0, G_TASK | G_DPL3
    DESC GDT_SLOT(SEL_K10K), 0x10000, 0xFFFFF, A_CODE32

    TEST "task.jmp_tss"
    mov ebx, TSS_A
    mov eax, task_a
    call make_task
    mov dword [TSS_A + 0x28], 0xA0A0A0A0 ; EAX of task A
    mov dword [TSS_A], 0xDEAD   ; JMP leaves the back link alone
    clts
    mov eax, 0x11112222
    mov ebx, 0x33334444
    jmp SEL_TA:0
.back:
    ; In task A: TR, NT clear, registers from its TSS, CR0.TS, busy bits
    ; (A busy, the old task no longer).
    CHECKW word [S_T], SEL_TA
    mov eax, [S_T + 4]
    and eax, 0x4000
    CHECK eax, 0
    CHECK dword [S_T + 8], 0xA0A0A0A0
    CHECK dword [S_T + 12], 0x4000
    mov eax, [S_T + 16]
    and eax, 8
    CHECK eax, 8
    CHECKB byte [S_T + 20], 0x8B
    CHECKB byte [S_T + 21], 0x89
    ; Back in the first task: the busy bits swapped back, TS set again, the
    ; state each task had when it left saved in its TSS.
    CHECKB byte [GDT_SLOT(SEL_TSS) + 5], 0x8B
    CHECKB byte [GDT_SLOT(SEL_TA) + 5], 0x89
    str ax
    CHECKW ax, SEL_TSS
    mov eax, cr0
    and eax, 8
    CHECK eax, 8
    clts
    CHECK dword [SYS_TSS + 0x20], .back
    CHECK dword [SYS_TSS + 0x28], 0x11112222
    CHECK dword [SYS_TSS + 0x34], 0x33334444
    CHECKW word [SYS_TSS + 0x4C], SEL_CODE32
    CHECKW word [SYS_TSS + 0x50], SEL_DATA32
    CHECK dword [TSS_A + 0x20], task_a.left
    CHECK dword [TSS_A + 0x28], 0xA5A5A5A5
    CHECK dword [TSS_A + 0x38], 0x4000
    CHECK dword [TSS_A], 0xDEAD
    ENDTEST

    TEST "task.call_and_iret"
    mov ebx, TSS_B
    mov eax, task_b
    call make_task
    mov dword [TSS_B + 0x38], 0x3800
    mov esi, 0x5151
    call SEL_TB:0
.back:
    ; In task B: NT set, the back link names the caller, both busy.
    mov eax, [S_T + 0x24]
    and eax, 0x4000
    CHECK eax, 0x4000
    CHECKW word [S_T + 0x28], SEL_TSS
    CHECKB byte [S_T + 0x2C], 0x8B
    CHECKB byte [S_T + 0x2D], 0x8B
    ; After IRET: B is free, its saved EFLAGS has NT clear; the caller keeps
    ; NT clear and is busy.
    CHECKB byte [GDT_SLOT(SEL_TB) + 5], 0x89
    CHECKB byte [GDT_SLOT(SEL_TSS) + 5], 0x8B
    mov eax, [TSS_B + 0x24]
    and eax, 0x4000
    CHECK eax, 0
    pushfd
    pop eax
    and eax, 0x4000
    CHECK eax, 0
    CHECK dword [TSS_B + 0x20], task_b.left
    CHECK dword [SYS_TSS + 0x40], 0x5151
    CHECK esi, 0x5151
    ; B resumes where it left off on the next call.
    call SEL_TB:0
    CHECK dword [S_T + 0x30], 2
    clts
    ENDTEST

    TEST "task.int_and_gates"
    ; INT n through a task gate behaves as CALL.
    mov ebx, TSS_B
    mov eax, task_b
    call make_task
    mov dword [TSS_B + 0x38], 0x3800
    GATE IDT_SLOT(0x50), SEL_TB, 0, G_TASK | G_DPL3
    int 0x50
    mov eax, [S_T + 0x24]
    and eax, 0x4000
    CHECK eax, 0x4000
    CHECKW word [S_T + 0x28], SEL_TSS
    ; From ring 3 through a DPL 3 task gate to a ring-0 task: the gate's
    ; DPL is checked, not the TSS's; the task runs at the CPL of its CS.
    mov ebx, TSS_A
    mov eax, task_a
    call make_task
    TO_RING3 .r3
.r3:
    mov eax, 0x33333333
    jmp SEL_TGA:0
.r3back:
    mov [S_T + 0x40], eax
    mov word [S_T + 0x44], cs
    TO_RING0
    CHECKW word [S_T], SEL_TA
    CHECK dword [S_T + 0x40], 0x33333333
    CHECKW word [S_T + 0x44], SEL_UCODE
    CHECKW word [TSS_A + 0x4C], SEL_CODE32
    ; A DPL 0 task gate from ring 3: #GP(vector * 8 + 2).
    GATE IDT_SLOT(0x50), SEL_TB, 0, G_TASK
    TO_RING3 .r3b
.r3b:
    ARM3 .c
.f: int 0x50
.c: CHECK_CAUGHT 13, .f, SEL_UCODE
    CHECK dword [gs:H_ERR], 0x50 * 8 + 2
    clts
    ENDTEST

    TEST "task.cr3_and_ldtr"
    ; The incoming TSS gives CR3 and LDTR; CR3 is not saved in the outgoing
    ; TSS. Task B sees linear 0x300000 through its own page directory.
    call build_paging
    mov eax, PD1
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    mov dword [SYS_TSS + 0x1C], PD1 | 0x10 ; PCD: shows the field was loaded
    mov ebx, TSS_B
    mov eax, task_b
    call make_task
    mov dword [TSS_B + 0x38], 0x3800
    mov dword [TSS_B + 0x1C], PD2
    mov word [TSS_B + 0x60], SEL_LDT
    call SEL_TB:0
    mov eax, cr3
    mov ebx, cr0
    and ebx, 0x7FFFFFFF
    mov cr0, ebx
    CHECK eax, PD1 | 0x10
    CHECK dword [S_T + 0x34], PD2
    CHECK dword [S_T + 0x38], 0xB2B2B2B2
    CHECKW word [S_T + 0x3C], SEL_LDT
    sldt ax
    CHECKW ax, 0
    CHECK dword [SYS_TSS + 0x1C], PD1 | 0x10
    CHECK dword [0x300000], 0xA1A1A1A1
    mov eax, cr3
    and eax, ~0x18
    mov cr3, eax
    mov dword [SYS_TSS + 0x1C], 0
    clts
    ENDTEST

    TEST "task.tss16"
    ; A 16-bit TSS: IP, FLAGS, the word registers, ES CS SS DS and the LDT.
    mov edi, TSS_E
    xor eax, eax
    mov ecx, 0x2C / 4
    rep stosd
    mov word [TSS_E + 0x0E], task_e - 0x10000
    mov word [TSS_E + 0x10], 0x0002
    mov word [TSS_E + 0x12], 0x1616     ; AX
    mov word [TSS_E + 0x1A], 0x2800     ; SP
    mov word [TSS_E + 0x22], SEL_DATA32 ; ES
    mov word [TSS_E + 0x24], SEL_K10K   ; CS
    mov word [TSS_E + 0x26], SEL_DATA32 ; SS
    mov word [TSS_E + 0x28], SEL_DATA32 ; DS
    call SEL_TE:0
    CHECKW word [S_T + 0x48], 0x1616
    CHECKW word [S_T + 0x4C], 0x2800
    CHECKW word [S_T + 0x4E], SEL_TE
    mov ax, [S_T + 0x50]
    and ax, 0x4000
    CHECKW ax, 0x4000
    CHECKW word [TSS_E], SEL_TSS          ; back link
    movzx eax, word [TSS_E + 0x0E]
    CHECK eax, task_e.left - 0x10000
    CHECKW word [TSS_E + 0x12], 0x6161
    CHECKB byte [GDT_SLOT(SEL_TE) + 5], 0x81
    clts
    ENDTEST

    TEST "task.debug_trap_bit"
    ; T = 1 in the incoming TSS: #DB after the switch, before the new task's
    ; first instruction, with DR6.BT (SDM 7.2.1, 17.3.1.5).
    GATE IDT_SLOT(1), SEL_CODE32, db_record, G_INT32
    xor eax, eax
    mov dr6, eax
    mov [S_T + 0x78], eax
    mov ebx, TSS_B
    mov eax, task_b
    call make_task
    mov dword [TSS_B + 0x38], 0x3800
    mov word [TSS_B + 0x64], 1
    call SEL_TB:0
    CATCH_STUB 1
    CHECK dword [S_T + 0x78], 1
    CHECK dword [S_T + 0x7C], task_b
    mov eax, dr6
    and eax, 0xE00F
    CHECK eax, 0x8000
    xor eax, eax
    mov dr6, eax
    clts
    ENDTEST

    TEST "task.checks_before_commit"
    mov esi, pre_cases
.next:
    cmp dword [esi], -1
    je .done
    call [esi]                  ; set up; returns the far target in EBX:ECX
    mov [S_T + 0x60], ecx
    mov [S_T + 0x64], bx
    ARM .c
.f: jmp far [S_T + 0x60]
    FAILED "no fault for a bad task switch"
.c: CHECK_CAUGHT [esi + 4], .f
    CHECK dword [gs:H_ERR], [esi + 8]
    str ax
    CHECKW ax, SEL_TSS
    add esi, 12
    jmp .next
.done:
    DESC GDT_SLOT(SEL_TA), TSS_A, 0x67, A_TSS32
    ; IRET with NT: the back link must name a busy TSS, else #TS(link).
    mov esi, iret_cases
.inext:
    cmp dword [esi], -1
    je .idone
    mov ax, [esi]
    mov [SYS_TSS], ax
    pushfd
    or dword [esp], 0x4000
    popfd
    ARM .ic
.if: iretd
    FAILED "no fault for IRET to a bad back link"
.ic:
    pushfd
    and dword [esp], ~0x4000
    popfd
    CHECK_CAUGHT [esi + 4], .if
    CHECK dword [gs:H_ERR], [esi + 8]
    add esi, 12
    jmp .inext
.idone:
    mov word [SYS_TSS], 0
    ; CALL to a TSS from ring 3 when its DPL is 0: #GP(TSS).
    mov ebx, TSS_A
    mov eax, task_a
    call make_task
    TO_RING3 .r3
.r3:
    ARM3 .c3
.f3: call SEL_TA:0
.c3:
    CHECK_CAUGHT 13, .f3, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_TA
    ENDTEST

    TEST "task.faults_after_commit"
    ; A bad field in the new TSS faults in the new task: the catcher's back
    ; link is task D, and the resumed code runs in D (TR = SEL_TD).
    CATCH_TASK 10
    CATCH_TASK 11
    CATCH_TASK 12
    CATCH_TASK 13
    mov esi, post_cases
.next:
    cmp dword [esi], -1
    je .done
    mov ebx, TSS_D
    mov eax, 0
    call make_task
    mov dword [TSS_D + 0x38], 0x3000
    movzx eax, word [esi + 4]
    mov cx, [esi + 6]
    mov [TSS_D + eax], cx
    movzx eax, word [esi + 8]
    mov cx, [esi + 10]
    mov [TSS_D + eax], cx
    ARM .inD
    jmp SEL_TD:0
.after:
    CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], [esi]
    CHECK dword [gs:H_ERR], [esi + 12]
    CHECK dword [gs:H_EIP], [esi + 16]
    CHECKW word [S_T + 0x70], SEL_TD
    CHECKB byte [GDT_SLOT(SEL_TD) + 5], 0x89
    add esi, 20
    jmp .next
.inD:
    str ax
    mov [S_T + 0x70], ax
    jmp SEL_TSS:0               ; back to the first task, after its JMP
.done:
    CATCH_STUB 10
    CATCH_STUB 11
    CATCH_STUB 12
    CATCH_STUB 13
    clts
    ENDTEST

    DONE

; #DB handler: count at S_T + 0x78, the return EIP at S_T + 0x7C.
db_record:
    inc dword [S_T + 0x78]
    push eax
    mov eax, [esp + 4]
    mov [S_T + 0x7C], eax
    pop eax
    iretd

; make_task: a fresh 32-bit TSS at EBX: EIP = EAX, ESP = 0x4000, ring-0 flat
; segments, CR3 as now, no LDT, no I/O map, EFLAGS = 2.
make_task:
    pushad
    mov edi, ebx
    mov edx, eax
    xor eax, eax
    mov ecx, 0x68 / 4
    rep stosd
    mov [ebx + 0x20], edx
    mov dword [ebx + 0x24], 2
    mov dword [ebx + 0x38], 0x4000
    mov eax, cr3
    mov [ebx + 0x1C], eax
    mov dword [ebx + 0x4C], SEL_CODE32
    mov eax, SEL_DATA32
    mov [ebx + 0x48], eax
    mov [ebx + 0x50], eax
    mov [ebx + 0x54], eax
    mov [ebx + 0x58], eax
    mov [ebx + 0x5C], eax
    mov word [ebx + 0x66], 0x68
    popad
    ret

; Task A: record TR, EFLAGS, EAX, ESP, CR0 and the busy bytes, then JMP back.
task_a:
    mov [S_T + 8], eax
    str ax
    mov [S_T], ax
    pushfd
    pop dword [S_T + 4]
    mov [S_T + 12], esp
    mov eax, cr0
    mov [S_T + 16], eax
    mov al, [GDT_SLOT(SEL_TA) + 5]
    mov [S_T + 20], al
    mov al, [GDT_SLOT(SEL_TSS) + 5]
    mov [S_T + 21], al
    mov eax, 0xA5A5A5A5
    jmp SEL_TSS:0
.left:
    jmp task_a

; Task B: record TR, EFLAGS, the back link, busy bytes, CR3, [0x300000],
; LDTR and a call count, then IRET.
task_b:
    mov dword [S_T + 0x30], 0
.again:
    inc dword [S_T + 0x30]
    str ax
    mov [S_T + 0x20], ax
    pushfd
    pop dword [S_T + 0x24]
    mov ax, [TSS_B]
    mov [S_T + 0x28], ax
    mov al, [GDT_SLOT(SEL_TB) + 5]
    mov [S_T + 0x2C], al
    mov al, [GDT_SLOT(SEL_TSS) + 5]
    mov [S_T + 0x2D], al
    mov eax, cr3
    mov [S_T + 0x34], eax
    test eax, eax
    jz .nopg
    mov eax, [0x300000]
    mov [S_T + 0x38], eax
.nopg:
    sldt ax
    mov [S_T + 0x3C], ax
    mov esi, 0xB0B0
    iretd
.left:
    jmp .again

; Task E (16-bit TSS, 32-bit code based at 0x10000): record AX, SP, TR and
; FLAGS, then IRET.
task_e:
    mov [S_T + 0x48], ax
    mov [S_T + 0x4C], sp
    str ax
    mov [S_T + 0x4E], ax
    pushfd
    pop dword [S_T + 0x50]
    mov ax, 0x6161
    iretd
.left:
    jmp task_e

PD1 equ 0x100000
PD2 equ 0x101000
PT1 equ 0x102000
PT2 equ 0x103000
; build_paging: PD1 and PD2 identity-map the first 4 MiB, except that PD2
; maps linear 0x300000 to physical 0x301000.
build_paging:
    pushad
    mov edi, PD1
    xor eax, eax
    mov ecx, 0x2000 / 4
    rep stosd
    mov edi, PT1
    mov eax, 7
.pt:
    mov [edi], eax
    mov [edi + 0x1000], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, PT1 + 0x1000
    jb .pt
    mov dword [PT2 + 0x300 * 4], 0x301007
    mov dword [PD1], PT1 | 7
    mov dword [PD2], PT2 | 7
    mov dword [0x300000], 0xA1A1A1A1
    mov dword [0x301000], 0xB2B2B2B2
    popad
    ret

; Before-commit cases: setup routine (returns selector:offset in BX:ECX),
; vector, error code.
pre_busy:                       ; the running task's own TSS is busy
    mov bx, SEL_TSS
    xor ecx, ecx
    ret
pre_limit:                      ; a 32-bit TSS needs limit >= 0x67
    DESC GDT_SLOT(SEL_TX), TSS_A, 0x66, A_TSS32
    mov bx, SEL_TX
    xor ecx, ecx
    ret
pre_np:
    DESC GDT_SLOT(SEL_TX), TSS_A, 0x67, A_TSS32 & ~0x80
    mov bx, SEL_TX
    xor ecx, ecx
    ret
pre_gate_local:                 ; a task gate naming an LDT selector
    GATE GDT_SLOT(SEL_TX), SEL_TA | 4, 0, G_TASK
    mov bx, SEL_TX
    xor ecx, ecx
    ret
pre_gate_np:
    GATE GDT_SLOT(SEL_TX), SEL_TA, 0, G_TASK & ~0x8000
    mov bx, SEL_TX
    xor ecx, ecx
    ret
pre_gate_busy:                  ; a task gate to the running task
    GATE GDT_SLOT(SEL_TX), SEL_TSS, 0, G_TASK
    mov bx, SEL_TX
    xor ecx, ecx
    ret
pre_gate_notss:                 ; a task gate to a data segment
    GATE GDT_SLOT(SEL_TX), SEL_DATA32, 0, G_TASK
    mov bx, SEL_TX
    xor ecx, ecx
    ret

pre_cases:
    dd pre_busy, 13, SEL_TSS
    dd pre_limit, 10, SEL_TX
    dd pre_np, 11, SEL_TX
    dd pre_gate_local, 13, SEL_TA | 4
    dd pre_gate_np, 11, SEL_TX
    dd pre_gate_busy, 13, SEL_TSS
    dd pre_gate_notss, 13, SEL_DATA32
    dd -1

; IRET back links: selector, vector, error code.
iret_cases:
    dd SEL_TA, 10, SEL_TA           ; an available TSS
    dd SEL_DATA32, 10, SEL_DATA32   ; not a TSS
    dd SEL_TA | 4, 10, SEL_TA | 4   ; in the LDT
    dd -1

; After-commit cases: vector; two TSS words to set (offset, value); the
; error code; the EIP the new task faults at.
post_cases:
    dd 10
    dw 0x4C, SEL_DATA32, 0x64, 0
    dd SEL_DATA32, 0                ; CS not code: #TS(CS)
    dd 10
    dw 0x50, SEL_DATA1, 0x64, 0
    dd SEL_DATA1 & ~3, 0            ; SS RPL != CPL: #TS(SS)
    dd 12
    dw 0x50, SEL_NP, 0x64, 0
    dd SEL_NP, 0                    ; SS not present: #SS(SS)
    dd 11
    dw 0x54, SEL_NP, 0x64, 0
    dd SEL_NP, 0                    ; DS not present: #NP(DS)
    dd 10
    dw 0x5C, SEL_CODEXO, 0x64, 0
    dd SEL_CODEXO, 0                ; GS execute-only code: #TS(GS)
    dd 10
    dw 0x60, SEL_DATA32, 0x64, 0
    dd SEL_DATA32, 0                ; LDT not an LDT: #TS(LDT)
    dd 13
    dw 0x4C, SEL_CODE16, 0x22, 2
    dd 0, 0x20000                   ; EIP beyond the CS limit: #GP(0)
    dd -1

    HARNESS_CODE32
    SYS_CODE32
