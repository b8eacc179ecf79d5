; SPDX-License-Identifier: MIT
; Privilege changes through far transfers (386 and later), entered from
; reset: IRET and far RET to an outer ring (new SS:ESP, data segments the
; outer ring may not see nulled, SS checks with #GP/#SS), call gates to inner
; rings (TSS stack, parameter copy, 16- and 32-bit frames, RET imm16 on both
; stacks), conforming targets, every gate and target check with its error
; code, JMP through a gate, and the POPF rules for IF and IOPL at CPL > 0.
; Spec: Intel SDM Vol. 3A 5.5-5.8, 6.13; Vol. 2 (CALL, RET, IRET, POPF).
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT

SEL_G0   equ SEL_FREE          ; call gate DPL 3 -> ring 0, 2 dword parameters
SEL_G1   equ SEL_FREE + 0x08   ; call gate DPL 3 -> ring 1
SEL_GC   equ SEL_FREE + 0x10   ; call gate DPL 3 -> conforming ring-0 code
SEL_G16  equ SEL_FREE + 0x18   ; 16-bit call gate DPL 3 -> ring 0, 1 word parameter
SEL_GX   equ SEL_FREE + 0x20   ; scratch gate for the fault cases
SEL_NPC  equ SEL_FREE + 0x28   ; code, not present
SEL_URO  equ SEL_FREE + 0x30 | 3 ; read-only data, DPL 3
SEL_UNP  equ SEL_FREE + 0x38 | 3 ; data DPL 3, not present
SEL_SSX  equ SEL_FREE + 0x40   ; expand-down stack DPL 0: offsets 0x8FE8 and up
SEL_G4   equ SEL_FREE + 0x48   ; call gate DPL 3 -> ring 0, 4 dword parameters
SEL_U10K equ SEL_FREE + 0x50 | 3 ; 32-bit code DPL 3, base 0x10000
SEL_K10K equ SEL_FREE + 0x58   ; 32-bit code DPL 0, base 0x10000

    GATE GDT_SLOT(SEL_G0), SEL_CODE32, gate0_handler, G_CALL32 | G_DPL3 | 2
    GATE GDT_SLOT(SEL_G1), SEL_CODE1, gate1_handler, G_CALL32 | G_DPL3
    GATE GDT_SLOT(SEL_GC), SEL_CONF0, conf_handler, G_CALL32 | G_DPL3
    ; A 16-bit gate holds a 16-bit offset: its target segment starts at 0x10000.
    GATE GDT_SLOT(SEL_G16), SEL_K10K, gate16_handler - 0x10000, G_CALL16 | G_DPL3 | 1
    GATE GDT_SLOT(SEL_G4), SEL_CODE32, gate0_handler, G_CALL32 | G_DPL3 | 4
    DESC GDT_SLOT(SEL_NPC), 0, 0xFFFFF, A_CODE32 & ~0x80
    DESC GDT_SLOT(SEL_URO), 0, 0xFFFFF, 0xC090 | A_DPL3
    DESC GDT_SLOT(SEL_UNP), 0, 0xFFFFF, (A_DATA32 | A_DPL3) & ~0x80
    DESC GDT_SLOT(SEL_SSX), 0, 0x08FE7, 0x4096
    DESC GDT_SLOT(SEL_U10K), 0x10000, 0xFFFFF, A_CODE32 | A_DPL3
    DESC GDT_SLOT(SEL_K10K), 0x10000, 0xFFFFF, A_CODE32

    TEST "cg.iret_to_ring3"
    ; IRET to CPL 3 nulls DS ES FS GS that hold data or non-conforming
    ; code with DPL < 3; DPL 3 data and conforming code stay (SDM IRET).
    mov ax, SEL_DATA32
    mov ds, ax
    mov ax, SEL_UDATA
    mov es, ax
    mov ax, SEL_CONF0
    mov fs, ax
    mov ax, SEL_CODE1           ; readable non-conforming code, DPL 1
    mov gs, ax
    mov [es:S_MAIN_ESP], esp
    push dword SEL_UDATA
    push dword SYS_STACK3 - 0x40
    push dword 0x3002           ; IOPL 3: CPL 0 may set it
    push dword SEL_UCODE
    push dword .r3
    iretd
.r3:
    call record_state           ; records through ES
    TO_RING0
    CHECKW word [S_T], 0
    CHECKW word [S_T + 2], SEL_UDATA
    CHECKW word [S_T + 4], SEL_CONF0
    CHECKW word [S_T + 6], 0
    CHECKW word [S_T + 8], SEL_UDATA
    CHECKW word [S_T + 10], SEL_UCODE
    CHECK dword [S_T + 12], SYS_STACK3 - 0x40
    mov eax, [S_T + 16]
    and eax, 0x3000
    CHECK eax, 0x3000
    push dword 0x0002
    popfd                       ; IOPL back to 0
    ENDTEST

    TEST "cg.retf_to_ring3"
    mov ax, SEL_DATA32
    mov ds, ax
    mov ax, SEL_DATA1           ; DPL 1 data: nulled at CPL 3
    mov es, ax
    mov ax, SEL_UDATA
    mov fs, ax
    mov gs, ax
    mov [S_MAIN_ESP], esp
    mov dword [SYS_STACK3 - 0x80], 0x5A5A5A5A
    push dword SEL_UDATA
    push dword SYS_STACK3 - 0x60
    push dword 0x22222222       ; a parameter: RETF 4 releases it, and 4
                                ; bytes of the outer stack too
    push dword SEL_UCODE
    push dword .r3
    retf 4
.r3:
    push es
    pop dword [fs:S_T + 0x40]   ; a null selector may be pushed and popped
    mov ax, fs
    mov es, ax
    call record_state
    TO_RING0
    CHECKW word [S_T], 0
    CHECKW word [S_T + 2], SEL_UDATA ; ES reloaded in ring 3
    CHECKW word [S_T + 0x40], 0
    CHECKW word [S_T + 8], SEL_UDATA
    CHECKW word [S_T + 10], SEL_UCODE
    CHECK dword [S_T + 12], SYS_STACK3 - 0x60 + 4
    ENDTEST

    TEST "cg.return_ss_checks"
    ; RET to an outer ring checks the new SS as the SDM's RET lists: null
    ; #GP(0); RPL or DPL not the new CPL, or not writable data: #GP(SS);
    ; not present: #SS(SS). The returned-to state must not be entered.
    mov esi, ret_cases
.next:
    mov eax, [esi]
    cmp eax, -1
    je .done
    mov ebx, esp
    push eax                    ; SS
    push dword SYS_STACK3
    push dword SEL_UCODE
    push dword .never
    ARM .c
.f: retf
.never:
    FAILED "RETF to ring 3 with a bad SS did not fault"
    TO_RING0
    jmp .adv
.c: CHECK_CAUGHT [esi + 4], .f
    CHECK dword [gs:H_ERR], [esi + 8]
    mov ax, cs
    CHECKW ax, SEL_CODE32
.adv:
    mov esp, ebx
    add esi, 12
    jmp .next
.done:
    ENDTEST

    TEST "cg.return_cs_checks"
    ; RET/IRET may not return to an inner ring: #GP(return CS).
    TO_RING3 .r3
.r3:
    ARM3 .c1
    push dword SEL_CODE32
    push dword .in
.f1: retf
.in:
    FAILED "RETF from ring 3 to ring 0"
    jmp .c2
.c1:
    CHECK_CAUGHT 13, .f1, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_CODE32
    TO_RING3 .r3b
.r3b:
    ARM3 .c2
    pushfd
    push dword SEL_CODE1
    push dword .in
.f2: iretd
.c2:
    CHECK_CAUGHT 13, .f2, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_CODE1 & ~3
    ENDTEST

    TEST "cg.call_gate_to_ring0"
    TO_RING3 .r3
.r3:
    mov ax, SEL_UDATA
    mov es, ax
    push dword 0xAAAA0001       ; first parameter
    push dword 0xBBBB0002       ; second parameter: the stack top
    mov [S_T + 0x40], esp
    call SEL_G0:0x12345678      ; the offset comes from the gate
.ret:
    mov [S_T + 0x44], esp
    mov word [S_T + 0x48], es
    mov word [S_T + 0x4A], cs
    mov word [S_T + 0x4C], ds
    TO_RING0
    ; In the handler: CS from the gate, SS:ESP from TSS.SS0:ESP0, and the
    ; frame SS, ESP, parameters in their order, CS, EIP.
    CHECK dword [S_T + 0x20], SYS_STACK0 - 24
    CHECKW word [S_T + 0x24], SEL_DATA32
    CHECKW word [S_T + 0x26], SEL_CODE32
    CHECK dword [S_T + 0x28], .ret
    CHECKW word [S_T + 0x2C], SEL_UCODE
    CHECK dword [S_T + 0x30], 0xBBBB0002
    CHECK dword [S_T + 0x34], 0xAAAA0001
    mov eax, [S_T + 0x40]
    CHECK dword [S_T + 0x38], eax
    CHECKW word [S_T + 0x3C], SEL_UDATA
    ; RETF 8 releases the parameters on both stacks and nulls ES, which the
    ; handler loaded with a ring-0 data segment.
    add eax, 8
    CHECK dword [S_T + 0x44], eax
    CHECKW word [S_T + 0x48], 0
    CHECKW word [S_T + 0x4A], SEL_UCODE
    CHECKW word [S_T + 0x4C], SEL_UDATA
    ENDTEST

    TEST "cg.call_gate_to_ring1"
    TO_RING3 .r3
.r3:
    mov [S_T + 0x40], esp
    call SEL_G1:0
.ret:
    mov [S_T + 0x44], esp
    mov word [S_T + 0x48], es
    TO_RING0
    CHECK dword [S_T + 0x20], SYS_STACK1 - 16
    CHECKW word [S_T + 0x24], SEL_DATA1
    CHECKW word [S_T + 0x26], SEL_CODE1
    CHECK dword [S_T + 0x28], .ret
    mov eax, [S_T + 0x40]
    CHECK dword [S_T + 0x44], eax
    CHECKW word [S_T + 0x48], 0   ; ES = DPL 1 data, nulled at CPL 3
    ENDTEST

    TEST "cg.gate_to_conforming"
    ; A conforming target keeps the CPL: no stack switch, CS.RPL = 3.
    TO_RING3 .r3
.r3:
    mov [S_T + 0x40], esp
    call SEL_GC:0
.ret:
    TO_RING0
    mov eax, [S_T + 0x40]
    sub eax, 8
    CHECK dword [S_T + 0x20], eax
    CHECKW word [S_T + 0x24], SEL_UDATA
    CHECKW word [S_T + 0x26], SEL_CONF0 | 3
    CHECK dword [S_T + 0x28], .ret
    CHECKW word [S_T + 0x2C], SEL_UCODE
    ENDTEST

    TEST "cg.gate_16bit"
    ; A 16-bit gate pushes a 16-bit frame: SS, SP, the word parameter, CS,
    ; IP. The caller runs in a code segment based at 0x10000 so that its
    ; return address fits in 16 bits.
    TO_RING3 .r3
.r3:
    jmp SEL_U10K:.lo - 0x10000
.lo:
    push word 0x7E57
    mov [S_T + 0x40], esp
    call SEL_G16:0
.ret:
    mov [S_T + 0x44], esp
    jmp SEL_UCODE:.flat
.flat:
    TO_RING0
    CHECK dword [S_T + 0x20], SYS_STACK0 - 10
    CHECKW word [S_T + 0x24], SEL_DATA32
    movzx eax, word [S_T + 0x28]
    CHECK eax, .ret - 0x10000
    CHECKW word [S_T + 0x2A], SEL_U10K
    CHECKW word [S_T + 0x2C], 0x7E57
    movzx eax, word [S_T + 0x2E]
    mov ebx, [S_T + 0x40]
    and ebx, 0xFFFF
    CHECK eax, ebx
    CHECKW word [S_T + 0x30], SEL_UDATA
    add ebx, 2
    CHECK dword [S_T + 0x44], ebx
    ENDTEST

    TEST "cg.same_privilege_gate"
    GATE GDT_SLOT(SEL_GX), SEL_CODE32, gate0_handler, G_CALL32
    mov [S_T + 0x40], esp
    push dword 0                ; parameters are not copied without a switch
    push dword 0
    call SEL_GX:0
.ret:
    mov eax, [S_T + 0x40]
    mov ebx, esp
    CHECK ebx, eax
    sub eax, 16
    CHECK dword [S_T + 0x20], eax
    CHECKW word [S_T + 0x24], SEL_DATA32
    CHECK dword [S_T + 0x28], .ret
    CHECKW word [S_T + 0x2C], SEL_CODE32
    mov ax, SEL_DATA32
    mov es, ax
    ENDTEST

    TEST "cg.gate_faults"
    mov esi, gate_cases
.next:
    cmp dword [esi], -1
    je .done
    GATE GDT_SLOT(SEL_GX), [esi + 4], gate0_handler, [esi]
    TO_RING3 .r3
.r3:
    ARM3 .c
.f: call SEL_GX | 3:0
    FAILED "call through a bad gate did not fault"
    TO_RING0
    jmp .adv
.c: CHECK_CAUGHT [esi + 8], .f, SEL_UCODE
    CHECK dword [gs:H_ERR], [esi + 12]
.adv:
    add esi, 16
    jmp .next
.done:
    ENDTEST

    TEST "cg.gate_rpl_and_jmp"
    ; At CPL 0: a gate selector whose RPL exceeds the gate's DPL faults.
    GATE GDT_SLOT(SEL_GX), SEL_CODE32, gate0_handler, G_CALL32 | 0x2000 ; DPL 1
    ARM .c1
.f1: call SEL_GX | 2:0
    FAILED "no #GP for gate RPL > DPL"
.c1:
    CHECK_CAUGHT 13, .f1
    CHECK dword [gs:H_ERR], SEL_GX
    ; A target less privileged than the CPL (DPL 3 code from ring 0).
    GATE GDT_SLOT(SEL_GX), SEL_UCODE, gate0_handler, G_CALL32
    ARM .c3
.f3: call SEL_GX:0
    FAILED "no #GP for a gate to an outer ring"
.c3:
    CHECK_CAUGHT 13, .f3
    CHECK dword [gs:H_ERR], SEL_UCODE & ~3
    ; JMP through a gate never changes privilege: a more privileged
    ; non-conforming target is #GP(target).
    TO_RING3 .r3
.r3:
    ARM3 .c2
.f2: jmp SEL_G0:0
    FAILED "JMP through a gate to ring 0"
.c2:
    CHECK_CAUGHT 13, .f2, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_CODE32
    ; A same-privilege JMP through a gate pushes nothing.
    GATE GDT_SLOT(SEL_GX), SEL_CODE32, .there, G_CALL32
    mov ebx, esp
    jmp SEL_GX:0
.there:
    mov ecx, esp
    CHECK ecx, ebx
    ENDTEST

    TEST "cg.stack_switch_faults"
    ; Faults of the stack switch itself. Their delivery from ring 3 would
    ; need the same broken TSS stack, so they go through a task gate.
    CATCH_TASK 10
    ; TSS.SS0 with RPL 3 for a ring-0 target: #TS(SS0).
    mov word [SYS_TSS + 8], SEL_UDATA
    TO_RING3 .r3
.r3:
    ARM3 .c1
.f1: call SEL_G0:0
    FAILED "no #TS for a bad TSS.SS0"
.c1:
    mov word [SYS_TSS + 8], SEL_DATA32
    CHECK_CAUGHT 10, .f1, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_UDATA & ~3
    CATCH_STUB 10
    CATCH_TASK 12
    ; TSS.SS0 not present: #SS(SS0).
    mov word [SYS_TSS + 8], SEL_NP
    TO_RING3 .r3b
.r3b:
    ARM3 .c2
.f2: call SEL_G0:0
    FAILED "no #SS for a not-present TSS.SS0"
.c2:
    mov word [SYS_TSS + 8], SEL_DATA32
    CHECK_CAUGHT 12, .f2, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_NP
    ; A new stack without room for the frame and 4 parameters: #SS(SS0)
    ; (SDM CALL: #SS(selector) when a stack switch occurs).
    mov word [SYS_TSS + 8], SEL_SSX
    TO_RING3 .r3c
.r3c:
    sub esp, 16
    ARM3 .c3
.f3: call SEL_G4:0
    FAILED "no #SS for a new stack without room"
.c3:
    mov word [SYS_TSS + 8], SEL_DATA32
    CHECK_CAUGHT 12, .f3, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_SSX
    CATCH_STUB 12
    ENDTEST

    TEST "cg.popf_privilege"
    ; CPL 3 > IOPL 0: POPF changes neither IF nor IOPL, and does not fault.
    TO_RING3 .r3
.r3:
    pushfd
    pop dword [S_T]
    push dword 0x3202
    popfd
    pushfd
    pop dword [S_T + 4]
    TO_RING0
    mov eax, [S_T]
    and eax, 0x3200
    mov ebx, [S_T + 4]
    and ebx, 0x3200
    CHECK ebx, eax
    ; CPL 1 = IOPL 1: POPF changes IF but not IOPL.
    mov [S_MAIN_ESP], esp
    push dword SEL_DATA1
    push dword SYS_STACK1 - 0x40
    push dword 0x1202           ; IOPL 1, IF 1
    push dword SEL_CODE1
    push dword .r1
    iretd
.r1:
    mov ax, SEL_UDATA
    mov gs, ax
    push dword 0x0002           ; IOPL 0, IF 0
    popfd
    pushfd
    pop dword [gs:S_T + 8]
    TO_RING0
    mov eax, [S_T + 8]
    and eax, 0x3200
    CHECK eax, 0x1000
    push dword 0x0002
    popfd
    ENDTEST

    DONE

; record_state: DS ES FS GS SS CS (words), the caller's ESP and EFLAGS at
; ES:S_T. Works at any CPL with ES usable.
record_state:
    mov word [es:S_T], ds
    mov word [es:S_T + 2], es
    mov word [es:S_T + 4], fs
    mov word [es:S_T + 6], gs
    mov word [es:S_T + 8], ss
    mov word [es:S_T + 10], cs
    lea eax, [esp + 4]
    mov [es:S_T + 12], eax
    pushfd
    pop dword [es:S_T + 16]
    ret

; Gate targets: record ESP, SS, CS and the 6 dwords above ESP at S_T + 0x20,
; then return. DS is usable (flat) in all callers.
%macro GATE_RECORD 0
    mov [S_T + 0x20], esp
    mov word [S_T + 0x24], ss
    mov word [S_T + 0x26], cs
    push eax
    push ecx
    xor ecx, ecx
%%l: mov eax, [esp + 8 + ecx * 4]
    mov [S_T + 0x28 + ecx * 4], eax
    inc ecx
    cmp ecx, 6
    jb %%l
    pop ecx
    pop eax
%endmacro

gate0_handler:
    GATE_RECORD
    push eax
    mov ax, SEL_DATA32          ; ring-0 data: the return to ring 3 nulls it
    mov es, ax
    pop eax
    retf 8

gate1_handler:
    GATE_RECORD
    push eax
    mov ax, SEL_DATA1
    mov es, ax
    pop eax
    retf

conf_handler:
    GATE_RECORD
    retf

gate16_handler:
    mov [S_T + 0x20], esp
    mov word [S_T + 0x24], ss
    push eax
    mov eax, [esp + 4]
    mov [S_T + 0x28], eax
    mov eax, [esp + 8]
    mov [S_T + 0x2C], eax
    mov eax, [esp + 12]
    mov [S_T + 0x30], eax
    pop eax
    o16 retf 2

; RETF-to-ring-3 SS cases: SS, vector, error code.
ret_cases:
    dd 0, 13, 0
    dd SEL_DATA32, 13, SEL_DATA32
    dd SEL_DATA32 | 3, 13, SEL_DATA32
    dd SEL_CODE32 | 3, 13, SEL_CODE32
    dd SEL_URO, 13, SEL_URO & ~3
    dd SEL_UNP, 12, SEL_UNP & ~3
    dd -1

; Call-gate cases from ring 3: gate word, target selector, vector, error code.
gate_cases:
    dd G_CALL32, SEL_CODE32, 13, SEL_GX          ; gate DPL 0 < CPL 3
    dd (G_CALL32 | G_DPL3) & ~0x8000, SEL_CODE32, 11, SEL_GX ; gate not present
    dd G_CALL32 | G_DPL3, SEL_DATA32, 13, SEL_DATA32 ; target is data
    dd G_CALL32 | G_DPL3, 0, 13, 0                ; null target
    dd G_CALL32 | G_DPL3, 0x7F8, 13, 0x7F8        ; target is an empty descriptor
    dd G_CALL32 | G_DPL3, 0x800, 13, 0x800        ; target beyond the GDT limit
    dd G_CALL32 | G_DPL3, SEL_NPC, 11, SEL_NPC    ; target not present
    dd -1

    HARNESS_CODE32
    SYS_CODE32
