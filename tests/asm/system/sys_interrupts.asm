; SPDX-License-Identifier: MIT
; Interrupts and exceptions across privilege levels (386+), from reset: INT
; n from ring 3 through interrupt/trap gates (TSS stack, frame, IF), IRET
; back, gates to conforming code, the gate DPL check for INT n/INT3/INTO
; but not exceptions, fault frames from ring 3 (error code, RF = 1), EXT in
; faults raised while delivering an exception, a new stack without room.
; Spec: Intel SDM Vol. 3A 6.4, 6.10-6.13, 6.15 (tables 6-4, 6-5),
; 17.3.1.1 (RF); Vol. 2 (INT n, IRET).
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT

SEL_NPC  equ SEL_FREE          ; code, not present
SEL_SSX  equ SEL_FREE + 0x08   ; expand-down stack DPL 0: offsets 0x8FF0 and up
    DESC GDT_SLOT(SEL_NPC), 0, 0xFFFFF, A_CODE32 & ~0x80
    DESC GDT_SLOT(SEL_SSX), 0, 0x08FEF, 0x4096
    GATE IDT_SLOT(0x40), SEL_CODE32, int_handler, G_INT32 | G_DPL3
    GATE IDT_SLOT(0x41), SEL_CODE32, int_handler, G_TRAP32 | G_DPL3
    GATE IDT_SLOT(0x42), SEL_CODE32, int_handler, G_INT32        ; DPL 0
    GATE IDT_SLOT(0x43), SEL_CONF0, int_handler, G_INT32 | G_DPL3
    GATE IDT_SLOT(3), SEL_CODE32, int_handler, G_INT32           ; DPL 0
    GATE IDT_SLOT(4), SEL_CODE32, int_handler, G_INT32           ; DPL 0

    TEST "int.interrupt_gate_from_ring3"
    call user_segs
    mov [S_MAIN_ESP], esp
    push dword SEL_UDATA
    push dword SYS_STACK3 - 0x20
    push dword F_IF | F_CF | 2  ; CPL 0 may set IF in the image
    push dword SEL_UCODE
    push dword .r3
    iretd
.r3:
    mov eax, 0x11111111
    mov ebx, ds
    int 0x40
.ret:                           ; DS is null here: store through ES
    pushfd
    pop dword [es:S_T + 0x40]
    mov [es:S_T + 0x44], esp
    mov [es:S_T + 0x48], eax
    mov word [es:S_T + 0x4C], ds
    mov word [es:S_T + 0x4E], ss
    mov ax, SEL_UDATA
    mov ds, ax
    TO_RING0
    ; In the handler: TSS stack, CS from the gate, IF clear, and the frame
    ; EIP CS EFLAGS ESP SS.
    CHECK dword [S_T + 0x20], SYS_STACK0 - 20
    CHECKW word [S_T + 0x24], SEL_DATA32
    CHECKW word [S_T + 0x26], SEL_CODE32
    mov eax, [S_T + 0x3C]
    and eax, F_IF | F_TF | 0x4000
    CHECK eax, 0
    CHECK dword [S_T + 0x28], .ret
    CHECKW word [S_T + 0x2C], SEL_UCODE
    mov eax, [S_T + 0x30]
    and eax, F_IF | F_CF | 0x3000
    CHECK eax, F_IF | F_CF
    CHECK dword [S_T + 0x34], SYS_STACK3 - 0x20
    CHECKW word [S_T + 0x38], SEL_UDATA
    ; Back in ring 3: the handler's result, its change to the EFLAGS image
    ; (ZF), the ring-3 stack, and DS nulled (the handler loaded DPL 0 data).
    CHECK dword [S_T + 0x48], 0x22222222
    mov eax, [S_T + 0x40]
    and eax, F_IF | F_ZF | F_CF
    CHECK eax, F_IF | F_ZF | F_CF
    CHECK dword [S_T + 0x44], SYS_STACK3 - 0x20
    CHECKW word [S_T + 0x4C], 0
    CHECKW word [S_T + 0x4E], SEL_UDATA
    ENDTEST

    TEST "int.trap_gate_keeps_if"
    call user_segs
    mov [S_MAIN_ESP], esp
    push dword SEL_UDATA
    push dword SYS_STACK3
    push dword F_IF | 2
    push dword SEL_UCODE
    push dword .r3
    iretd
.r3:
    int 0x41
    TO_RING0
    cli
    mov eax, [S_T + 0x3C]
    and eax, F_IF
    CHECK eax, F_IF
    ENDTEST

    TEST "int.gate_dpl_checks"
    ; INT n, INT3 and INTO check the gate's DPL against the CPL:
    ; #GP(vector * 8 + 2).
    mov esi, dpl_cases
.next:
    cmp dword [esi], -1
    je .done
    TO_RING3 .r3
.r3:
    mov al, 0x7F
    add al, 1                   ; OF = 1 for INTO
    ARM3 .c
    jmp [esi]
.c: CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], 13
    CHECK dword [gs:H_ERR], [esi + 4]
    mov eax, [esi]
    CHECK dword [gs:H_EIP], eax
    add esi, 8
    jmp .next
.done:
    ; Exceptions ignore the DPL: the harness gates are DPL 0, yet #UD from
    ; ring 3 reaches its handler.
    TO_RING3 .r3u
.r3u:
    ARM3 .cu
.fu: ud2
.cu:
    CHECK_CAUGHT 6, .fu, SEL_UCODE
    ENDTEST

    TEST "int.fault_frame_from_ring3"
    ; #GP from ring 3: the error code, the faulting EIP, the ring-3 SS:ESP,
    ; and RF = 1 in the EFLAGS image, as for every fault but an instruction
    ; breakpoint (SDM 17.3.1.1).
    TO_RING3 .r3
.r3:
    ARM3 .c
.f: mov eax, cr0
.c: CHECK_CAUGHT 13, .f, SEL_UCODE
    CHECK dword [S_ESP], SYS_STACK0 - 24
    CHECK dword [S_FRAME + 4], 0
    CHECK dword [S_FRAME + 20], SYS_STACK3
    CHECKW word [S_FRAME + 24], SEL_UDATA
    mov eax, [S_FRAME + 16]
    and eax, 0x10000
    CHECK eax, 0x10000
    ; A software interrupt pushes RF = 0.
    TO_RING3 .r3b
.r3b:
    int 0x40
    TO_RING0
    mov eax, [S_T + 0x30]
    and eax, 0x10000
    CHECK eax, 0
    ENDTEST

    TEST "int.gate_to_conforming"
    ; A conforming handler runs at the CPL of the interrupted code, on its
    ; stack: 3 dwords pushed, CS.RPL = 3.
    TO_RING3 .r3
.r3:
    int 0x43
.ret:
    TO_RING0
    CHECK dword [S_T + 0x20], SYS_STACK3 - 12
    CHECKW word [S_T + 0x24], SEL_UDATA
    CHECKW word [S_T + 0x26], SEL_CONF0 | 3
    CHECK dword [S_T + 0x28], .ret
    CHECKW word [S_T + 0x2C], SEL_UCODE
    ENDTEST

    TEST "int.gate_target_checks"
    ; INT n from ring 0: the gate's code segment must be code, present and
    ; not less privileged than the CPL; error codes without EXT.
    mov esi, target_cases
.next:
    cmp dword [esi], -1
    je .done
    GATE IDT_SLOT(0x44), [esi], int_handler, G_INT32
    ARM .c
.f: int 0x44
    FAILED "no fault for a bad gate target"
.c: CHECK_CAUGHT [esi + 4], .f
    CHECK dword [gs:H_ERR], [esi + 8]
    add esi, 12
    jmp .next
.done:
    ENDTEST

    TEST "int.ext_bit"
    ; Faults while delivering an exception set EXT (bit 0) in their error
    ; code. #UD is benign, so a contributory fault delivering it is
    ; delivered itself (table 6-5).
    GATE IDT_SLOT(6), SEL_NPC, int_handler, G_INT32
    ARM .c1
.f1: ud2
.c1:
    CHECK_CAUGHT 11, .f1
    CHECK dword [gs:H_ERR], SEL_NPC | 1
    GATE IDT_SLOT(6), 0x800, int_handler, G_INT32
    ARM .c2
.f2: ud2
.c2:
    CHECK_CAUGHT 13, .f2
    CHECK dword [gs:H_ERR], 0x800 | 1
    GATE IDT_SLOT(6), SEL_CODE32, int_handler, G_INT32 & ~0x8000
    ARM .c3
.f3: ud2
.c3:
    CHECK_CAUGHT 11, .f3
    CHECK dword [gs:H_ERR], 6 * 8 + 2 + 1
    CATCH_STUB 6
    ; The same for INT n: no EXT.
    GATE IDT_SLOT(0x44), SEL_CODE32, int_handler, G_INT32 & ~0x8000
    ARM .c4
.f4: int 0x44
.c4:
    CHECK_CAUGHT 11, .f4
    CHECK dword [gs:H_ERR], 0x44 * 8 + 2
    ; #AC (486 and later) beyond the IDT limit: #GP(17 * 8 + 2 + 1).
    cmp dword [gs:H_GEN], 4
    jb .no_ac
    mov eax, cr0
    or eax, 1 << 18             ; CR0.AM
    mov cr0, eax
    lidt [idtr_14]
    TO_RING3 .r3
.r3:
    pushfd
    or dword [esp], 1 << 18     ; EFLAGS.AC
    popfd
    ARM3 .c5
.f5: mov eax, [S_T + 1]
.c5:
    lidt [h_idtr32]
    mov eax, cr0
    and eax, ~(1 << 18)
    mov cr0, eax
    CHECK_CAUGHT 13, .f5, SEL_UCODE
    CHECK dword [gs:H_ERR], 17 * 8 + 2 + 1
.no_ac:
    ; #UD from ring 3 with a TSS.SS0 of RPL 3: #TS(SS0 + EXT), taken by
    ; the catcher task since no ring-0 stack is usable.
    CATCH_TASK 10
    mov word [SYS_TSS + 8], SEL_UDATA
    TO_RING3 .r3b
.r3b:
    ARM3 .c6
.f6: ud2
.c6:
    mov word [SYS_TSS + 8], SEL_DATA32
    CATCH_STUB 10
    CHECK_CAUGHT 10, .f6, SEL_UCODE
    CHECK dword [gs:H_ERR], (SEL_UDATA & ~3) | 1
    ENDTEST

    TEST "int.new_stack_without_room"
    ; INT n from ring 3 onto a TSS stack that cannot hold the 5-dword frame:
    ; #SS(new SS), delivered through the catcher task.
    CATCH_TASK 12
    mov word [SYS_TSS + 8], SEL_SSX
    TO_RING3 .r3
.r3:
    ARM3 .c
.f: int 0x40
.c:
    mov word [SYS_TSS + 8], SEL_DATA32
    CATCH_STUB 12
    CHECK_CAUGHT 12, .f, SEL_UCODE
    CHECK dword [gs:H_ERR], SEL_SSX
    ENDTEST

    DONE

; Record ESP, SS, CS, the 5 dwords above ESP and EFLAGS at S_T + 0x20; set
; ZF in the EFLAGS image; EAX = 0x22222222; leave DPL 0 data in DS.
int_handler:
    mov [S_T + 0x20], esp
    mov word [S_T + 0x24], ss
    mov word [S_T + 0x26], cs
    push eax
    pushfd
    pop dword [S_T + 0x3C]
    mov eax, [esp + 4]
    mov [S_T + 0x28], eax
    mov eax, [esp + 8]
    mov [S_T + 0x2C], eax
    mov eax, [esp + 12]
    mov [S_T + 0x30], eax
    mov eax, [esp + 16]
    mov [S_T + 0x34], eax
    mov eax, [esp + 20]
    mov [S_T + 0x38], eax
    pop eax
    mov eax, 0x22222222
    or dword [esp + 8], F_ZF
    push eax
    mov ax, cs
    test al, 3
    jnz .outer                  ; conforming: still CPL 3
    mov ax, SEL_DATA32
    mov ds, ax
.outer:
    pop eax
    iretd

; user_segs: SEL_UDATA in DS ES FS GS, for an IRET to ring 3.
user_segs:
    push eax
    mov ax, SEL_UDATA
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    pop eax
    ret

; INT n / INT3 / INTO from ring 3 through DPL 0 gates; the entry address is
; the faulting instruction.
dpl_int42:
    int 0x42
dpl_int3:
    int3
dpl_into:
    into
dpl_int3_long:
    int 3                       ; CD 03: also checked

dpl_cases:
    dd dpl_int42, 0x42 * 8 + 2
    dd dpl_int3, 3 * 8 + 2
    dd dpl_into, 4 * 8 + 2
    dd dpl_int3_long, 3 * 8 + 2
    dd -1

; Gate code selectors for INT 0x44 from ring 0: selector, vector, error.
target_cases:
    dd SEL_DATA32, 13, SEL_DATA32     ; not code
    dd SEL_UCODE, 13, SEL_UCODE & ~3  ; DPL 3 > CPL 0
    dd SEL_NPC, 11, SEL_NPC           ; not present
    dd 0, 13, 0                       ; null
    dd 0x800, 13, 0x800               ; beyond the GDT limit
    dd -1

idtr_14:                        ; vectors 0-13 only
    dw 14 * 8 - 1
    dd H_IDT

    HARNESS_CODE32
    SYS_CODE32
