; SPDX-License-Identifier: MIT
; Faults while delivering faults (386+), from reset: table 6-5 (two
; contributory faults, or a page fault then a contributory or page fault:
; #DF(0); benign or contributory then page fault: serial), #DF through a task
; gate when the ring-0 stack is broken, CR2 and error code of a fault in
; the processor's own frame pushes, and last the triple fault (an IDT too
; small for any vector): run with --expect-shutdown.
; Spec: Intel SDM Vol. 3A 6.15 (tables 6-4, 6-5, interrupt 8), 4.7, 6.12.1.
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT

PD  equ 0x100000
PT0 equ 0x101000
SEL_NPC equ SEL_FREE            ; code, not present
    DESC GDT_SLOT(SEL_NPC), 0, 0xFFFFF, A_CODE32 & ~0x80
    ; Paging: identity map of the first 4 MiB, user read/write.
    xor eax, eax
    mov edi, PD
    mov ecx, 0x1000 / 4
    rep stosd
    mov edi, PT0
    mov eax, 7
.id:
    stosd
    add eax, 0x1000
    cmp edi, PT0 + 0x1000
    jb .id
    mov dword [PD], PT0 | 7
    mov eax, PD
    mov cr3, eax
    mov [SYS_TSS + 0x1C], eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax

    TEST "nest.contributory_pairs"
    ; A contributory fault while delivering a contributory one: #DF(0).
    mov esi, cc_cases
.next:
    cmp dword [esi], -1
    je .done
    call [esi]                  ; breaks a gate; returns the code to run in EBX
    ARM .c
    call ebx
    FAILED "no double fault"
.c: call restore_gates
    pushfd                      ; raise_ts leaves NT and a back link
    and dword [esp], ~0x4000
    popfd
    mov word [SYS_TSS], 0
    CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], 8
    CHECK dword [gs:H_ERR], 0
    add esi, 4
    jmp .next
.done:
    ENDTEST

    TEST "nest.page_fault_first"
    ; A page fault, then a contributory fault delivering it: #DF.
    and dword [PT0 + 0x30 * 4], ~1 ; page 0x30000 not present
    mov eax, cr3
    mov cr3, eax
    GATE IDT_SLOT(14), SEL_NPC, 0, G_INT32
    ARM .c1
.f1: mov eax, [0x30000]
.c1:
    call restore_gates
    CHECK dword [gs:H_COUNT], 1  ; (the #DF's return address is undefined)
    CHECK dword [gs:H_VEC], 8
    CHECK dword [gs:H_ERR], 0
    ENDTEST

    TEST "nest.benign_then_contributory"
    ; #UD (benign), then #NP delivering it: the #NP is delivered; no #DF.
    GATE IDT_SLOT(6), SEL_NPC, 0, G_INT32
    ARM .c
.f: ud2
.c: call restore_gates
    CHECK_CAUGHT 11, .f
    CHECK dword [gs:H_ERR], SEL_NPC | 1
    ENDTEST

    TEST "nest.frame_push_page_faults"
    ; #GP from ring 3 onto a ring-0 stack whose lower part is not present:
    ; the frame pushes (SS and ESP fit, EFLAGS does not) page-fault with a
    ; supervisor write error code and CR2 at the first push that faulted;
    ; contributory then page fault is delivered serially (table 6-5).
    and dword [PT0 + 0x08 * 4], ~1 ; page 0x8000 not present
    mov eax, cr3
    mov cr3, eax
    mov dword [SYS_TSS + 4], 0x9008
    CATCH_TASK 14
    CATCH_TASK 8
    TO_RING3 .r3
.r3:
    ARM3 .c1
.f1: cli                        ; IOPL 0: #GP(0)
.c1:
    CHECK_CAUGHT 14, .f1, SEL_UCODE
    CHECK dword [gs:H_ERR], 2
    mov eax, cr2
    CHECK eax, 0x8FFC
    ; With the whole frame in the missing page, delivering the #PF faults
    ; again: page fault then page fault is #DF.
    mov dword [SYS_TSS + 4], 0x9000
    CATCH_STUB 14
    GATE IDT_SLOT(14), SEL_CODE32, sys_stubs + 14 * 16, G_INT32
    TO_RING3 .r3b
.r3b:
    ARM3 .c2
.f2: mov eax, [0x30000]         ; #PF (page 0x30000 is still absent)
.c2:
    CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], 8
    CHECK dword [gs:H_ERR], 0
    mov dword [SYS_TSS + 4], SYS_STACK0
    or dword [PT0 + 0x08 * 4], 1
    or dword [PT0 + 0x30 * 4], 1
    mov eax, cr3
    mov cr3, eax
    CATCH_STUB 8
    ENDTEST

    TEST "nest.benign_then_benign_idt"
    ; #UD through a descriptor that is no gate: #GP(6 * 8 + 2 + 1), serial.
    mov dword [IDT_SLOT(6) + 4], 0
    ARM .c
.f: ud2
.c: call restore_gates
    CHECK_CAUGHT 13, .f
    CHECK dword [gs:H_ERR], 6 * 8 + 3
    ENDTEST

    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    ; The triple fault, only when every check so far passed: a run that
    ; reaches the exit port fails under --expect-shutdown.
    cmp dword [gs:H_FAILS], 0
    jne .fail
    mov esi, triple_msg
    call h_puts32
    lidt [idtr_tiny]
    ud2
    FAILED "still running after the triple fault"
.fail:
    DONE

triple_msg: db "triple fault next: the run must end in shutdown", 10, 0
idtr_tiny:                      ; no vector fits
    dw 0
    dd H_IDT

; restore_gates: the harness stubs for vectors 0-31 again.
restore_gates:
    pushad
    xor ebx, ebx
.l: mov eax, ebx
    shl eax, 4
    add eax, sys_stubs
    mov [H_IDT + ebx * 8], ax
    mov word [H_IDT + ebx * 8 + 2], SEL_CODE32
    shr eax, 16
    mov word [H_IDT + ebx * 8 + 4], 0x8E00
    mov [H_IDT + ebx * 8 + 6], ax
    inc ebx
    cmp ebx, 32
    jb .l
    popad
    ret

; Contributory pairs: each breaks the first fault's gate and returns in EBX
; the code that raises the first fault.
cc_gp_np:                       ; #GP, then #NP (gate code not present)
    GATE IDT_SLOT(13), SEL_NPC, 0, G_INT32
    mov ebx, raise_gp
    ret
cc_gp_gp:                       ; #GP, then #GP (gate code beyond the GDT)
    GATE IDT_SLOT(13), 0x800, 0, G_INT32
    mov ebx, raise_gp
    ret
cc_de_gp:                       ; #DE, then #GP (not a gate)
    mov dword [IDT_SLOT(0) + 4], 0
    mov ebx, raise_de
    ret
cc_np_np:                       ; #NP, then #NP (gate not present)
    GATE IDT_SLOT(11), SEL_CODE32, 0, G_INT32 & ~0x8000
    mov ebx, raise_np
    ret
cc_ss_gp:                       ; #SS, then #GP (gate code is data)
    GATE IDT_SLOT(12), SEL_DATA32, 0, G_INT32
    mov ebx, raise_ss
    ret
cc_ts_np:                       ; #TS, then #NP
    GATE IDT_SLOT(10), SEL_NPC, 0, G_INT32
    mov ebx, raise_ts
    ret

raise_gp:
    mov ax, 0x7F8
    mov ds, ax
    ret
raise_de:
    xor ecx, ecx
    div ecx
    ret
raise_np:
    mov ax, SEL_NP
    mov ds, ax
    ret
raise_ss:
    mov ax, SEL_NP
    mov ss, ax
    ret
raise_ts:                       ; IRET with NT to a back link that is no TSS
    mov word [SYS_TSS], SEL_DATA32
    pushfd
    or dword [esp], 0x4000
    popfd
    iretd

cc_cases:
    dd cc_gp_np, cc_gp_gp, cc_de_gp, cc_np_np, cc_ss_gp, cc_ts_np, -1

    HARNESS_CODE32
    SYS_CODE32
