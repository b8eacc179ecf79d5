; SPDX-License-Identifier: MIT
; Virtual-8086 mode (386+), from reset: entry by IRET, real-mode segments
; and the 64 KiB limit, interrupts to the ring-0 monitor (V86 frame, nulled
; data segments) and IRETD back, CLI STI PUSHF POPF INT n IRET at IOPL 0
; and 3, INT3/INTO (not IOPL-sensitive), the I/O bitmap, privileged and
; protected-mode-only instructions, gate checks, IRET's VM at CPL > 0.
; Spec: Intel SDM Vol. 3A 20.1-20.3, 6.12.1; Vol. 1 18.5.2; Vol. 2 (INT n,
; IRET, POPF).
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

V86_SP equ 0x5800
; TO_V86 offset, eflags: enter V86 mode at H_REAL_CS:offset with EFLAGS
; (VM added), SS:SP = 0:V86_SP, DS = ES = H_REAL_CS, FS = GS = 0. The V86
; code leaves with INT 0x31, which continues after the macro at CPL 0.
%macro TO_V86 2
    mov dword [S_RET], %%cont
    mov [S_MAIN_ESP], esp
    push dword 0
    push dword 0
    push dword H_REAL_CS
    push dword H_REAL_CS
    push dword 0
    push dword V86_SP
    push dword (%2) | 0x20002
    push dword H_REAL_CS
    push dword %1
    iretd
%%cont:
    FLAT_SEGS
%endmacro

    bits 16
; ---- V86 code (offsets in H_REAL_CS) ----
v86_basic:
    mov [gs:S_T], ds
    mov [gs:S_T + 2], es
    mov [gs:S_T + 4], fs
    mov [gs:S_T + 6], ss
    mov [gs:S_T + 8], cs
    mov [gs:S_T + 12], esp
    pushfd
    pop dword [gs:S_T + 16]
    mov eax, [cs:v86_word]      ; CS base 0x10000
    mov [gs:S_T + 20], eax
    mov ax, 0xFFFF              ; any value loads: base = value * 16
    mov fs, ax
    mov dword [fs:0x10], 0x0DDBA11 ; linear 0x100000 (the 386 wraps nothing)
    mov eax, 0x12345678
    mov ebx, 0x9ABC
    int 0x30                    ; to the monitor and back
.back:
    mov [gs:S_T + 24], eax
    mov [gs:S_T + 28], ebx
    mov [gs:S_T + 32], ds
    mov [gs:S_T + 34], fs
    int 0x31
v86_word: dd 0xFEEDF00D

; v86_fault: run the snippet at [gs:S_T + 0x40], armed to resume at the
; ring-0 label [gs:S_T + 0x44], with OF set (for INTO). Each snippet ends in
; HLT, which faults in V86 mode, so that one that does not fault itself
; still ends in a known #GP(0).
v86_fault:
    ARM3 0
    push eax
    mov eax, [gs:S_T + 0x44]
    mov [gs:H_RESUME], eax
    mov al, 0x7F
    add al, 1
    pop eax
    jmp [gs:S_T + 0x40]

v86_cli:    cli
            hlt
v86_sti:    sti
            hlt
v86_pushf:  pushf
            hlt
v86_popf:   popf
            hlt
v86_intn:   int 0x30
            hlt
v86_iret:   iret
            hlt
v86_int3:   int3
            hlt
v86_into:   into
            hlt
v86_out80:  out 0x80, al
            hlt
v86_in80:   in al, 0x80
            hlt
v86_cr0:    mov eax, cr0
            hlt
v86_hlt:    hlt
v86_sldt:   sldt ax
            hlt
v86_lar:    lar ax, bx
            hlt
v86_arpl:   arpl ax, bx
            hlt
v86_rdmsr:  rdmsr
            hlt
v86_lgdt:   lgdt [0]
            hlt
v86_limit:  mov eax, [ebx]       ; EBX = 0x10000: beyond the 64 KiB limit
            hlt
v86_int50:  int 0x50             ; gate to ring-1 code
            hlt
v86_int51:  int 0x51             ; gate DPL 0
            hlt

v86_iopl3:
    pushf
    pop word [gs:S_T]
    cli
    pushf
    pop word [gs:S_T + 2]
    sti
    pushfd
    pop dword [gs:S_T + 4]
    push dword 0x00000002       ; IOPL 0, IF 0: IOPL is kept
    popfd
    pushfd
    pop dword [gs:S_T + 8]
    out 0xF5, al                ; the bitmap allows 0xF4-0xF7 (the flat machine
                                ; acts only on 0xF4)
    push word 0x0202
    push cs
    push word .after
    iret                        ; a real-mode style IRET within V86
    int 0x31
.after:
    pushfd
    pop dword [gs:S_T + 12]
    mov al, 0x7F
    add al, 1
    int3                        ; #BP through a DPL 3 gate: the monitor
    into                        ; #OF likewise
    int 0x31

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT

    GATE IDT_SLOT(0x30), SEL_CODE32, v86_monitor, G_INT32 | G_DPL3
    GATE IDT_SLOT(0x31), SEL_CODE32, v86_leave, G_INT32 | G_DPL3
    GATE IDT_SLOT(0x50), SEL_CODE1, v86_monitor, G_INT32 | G_DPL3
    GATE IDT_SLOT(0x51), SEL_CODE32, v86_monitor, G_INT32

    TEST "v86.enter_and_monitor"
    mov dword [0x100000], 0
    TO_V86 v86_basic, 0x3000
    ; In V86 mode: the selectors from the IRET frame, VM hidden from PUSHFD
    ; (SDM 20.1.1), real-mode addressing through CS and FS.
    CHECKW word [S_T], H_REAL_CS
    CHECKW word [S_T + 2], H_REAL_CS
    CHECKW word [S_T + 4], 0
    CHECKW word [S_T + 6], 0
    CHECKW word [S_T + 8], H_REAL_CS
    CHECK dword [S_T + 12], V86_SP
    mov eax, [S_T + 16]
    and eax, 0x23000
    CHECK eax, 0x3000
    CHECK dword [S_T + 20], 0xFEEDF00D
    CHECK dword [0x100000], 0x0DDBA11
    ; In the monitor: TSS.SS0:ESP0 holding the 9-dword V86 frame, DS ES FS
    ; GS null, VM IF TF NT clear.
    CHECK dword [S_T + 0x80], SYS_STACK0 - 36
    CHECKW word [S_T + 0x84], SEL_DATA32
    CHECKW word [S_T + 0x86], 0
    CHECKW word [S_T + 0x88], 0
    CHECKW word [S_T + 0x8A], 0
    CHECKW word [S_T + 0x8C], 0
    mov eax, [S_T + 0x90]
    and eax, 0x24300
    CHECK eax, 0
    CHECK dword [S_T + 0x94], v86_basic.back
    CHECK dword [S_T + 0x98], H_REAL_CS
    mov eax, [S_T + 0x9C]
    and eax, 0x23000
    CHECK eax, 0x23000
    CHECK dword [S_T + 0xA0], V86_SP
    CHECK dword [S_T + 0xA4], 0
    CHECK dword [S_T + 0xA8], H_REAL_CS
    CHECK dword [S_T + 0xAC], H_REAL_CS
    CHECK dword [S_T + 0xB0], 0xFFFF
    CHECK dword [S_T + 0xB4], 0
    ; Back in V86 after the monitor's IRETD: its EAX, and the segment
    ; registers from the frame (the monitor made DS 0x2000).
    CHECK dword [S_T + 24], ~0x12345678
    CHECK dword [S_T + 28], 0x9ABC
    CHECKW word [S_T + 32], 0x2000
    CHECKW word [S_T + 34], 0xFFFF
    ENDTEST

    TEST "v86.iopl0_sensitive"
    ; At IOPL 0, CLI STI PUSHF POPF INT n and IRET are #GP(0), with the
    ; V86 frame on the ring-0 stack and the data segments nulled.
    mov esi, iopl0_cases
    mov dword [S_T + 0x44], ..@v86_resume0
.next:
    cmp dword [esi], -1
    je .done
    mov eax, [esi]
    mov [S_T + 0x40], eax
    TO_V86 v86_fault, 0
    FAILED "no fault in V86 mode"
    jmp .adv
..@v86_resume0:
    CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], [esi + 4]
    CHECK dword [gs:H_ERR], [esi + 8]
    mov eax, [esi]
    CHECK dword [gs:H_EIP], eax
    CHECK dword [gs:H_CS], H_REAL_CS
    CHECK dword [S_ESP], SYS_STACK0 - 40
    CHECK dword [S_FRAME + 24], 0     ; SS
    CHECK dword [S_FRAME + 28], H_REAL_CS ; ES
    CHECK dword [S_FRAME + 32], H_REAL_CS ; DS
    CHECK dword [S_SEGS], 0
    CHECK dword [S_SEGS + 4], 0
    CHECK dword [S_SEGS + 8], 0
    CHECK dword [S_SEGS + 12], 0
.adv:
    add esi, 12
    jmp .next
.done:
    ENDTEST

    TEST "v86.int3_into_not_sensitive"
    ; INT3 and INTO are not IOPL-sensitive: at IOPL 0 they reach DPL 3
    ; gates (SDM Vol. 2, INT n: only INT n faults); the HLT after them
    ; then faults. Through a DPL 0 gate they are #GP(vector * 8 + 2).
    mov dword [S_T + 0x44], .c1
    GATE IDT_SLOT(3), SEL_CODE32, v86_monitor, G_INT32 | G_DPL3
    mov dword [S_T + 0x40], v86_int3
    mov dword [S_T + 0x94], 0
    TO_V86 v86_fault, 0
.c1:
    CHECK dword [S_T + 0x94], v86_int3 + 1
    CHECK_CAUGHT 13, v86_int3 + 1, H_REAL_CS
    mov dword [S_T + 0x44], .c2
    GATE IDT_SLOT(4), SEL_CODE32, v86_monitor, G_INT32 | G_DPL3
    mov dword [S_T + 0x40], v86_into
    mov dword [S_T + 0x94], 0
    TO_V86 v86_fault, 0
.c2:
    CHECK dword [S_T + 0x94], v86_into + 1
    CHECK_CAUGHT 13, v86_into + 1, H_REAL_CS
    CATCH_STUB 3
    CATCH_STUB 4
    mov dword [S_T + 0x44], .c3
    mov dword [S_T + 0x40], v86_int3
    TO_V86 v86_fault, 0
.c3:
    CHECK_CAUGHT 13, v86_int3, H_REAL_CS
    CHECK dword [gs:H_ERR], 3 * 8 + 2
    ENDTEST

    TEST "v86.iopl3"
    ; At IOPL 3: CLI/STI/PUSHF/POPF work (POPF keeps IOPL), a V86 IRET
    ; stays in V86 mode, INT3 and INTO reach the monitor.
    GATE IDT_SLOT(3), SEL_CODE32, v86_monitor, G_INT32 | G_DPL3
    GATE IDT_SLOT(4), SEL_CODE32, v86_monitor, G_INT32 | G_DPL3
    mov dword [S_T + 0x30], 0
    TO_V86 v86_iopl3, 0x3200
    CATCH_STUB 3
    CATCH_STUB 4
    movzx eax, word [S_T]
    and eax, 0x3200
    CHECK eax, 0x3200
    movzx eax, word [S_T + 2]
    and eax, 0x0200
    CHECK eax, 0
    mov eax, [S_T + 4]
    and eax, 0x23200
    CHECK eax, 0x3200
    mov eax, [S_T + 8]
    and eax, 0x23200
    CHECK eax, 0x3000
    mov eax, [S_T + 12]
    and eax, 0x3200
    CHECK eax, 0x3200
    CHECK dword [S_T + 0x30], 2   ; the monitor saw INT3 and INTO
    ENDTEST

    TEST "v86.iopl3_faults"
    ; Still faulting at IOPL 3: ports the bitmap denies, privileged and
    ; protected-mode-only instructions, offsets past 64 KiB, and gates.
    mov esi, iopl3_cases
    mov dword [S_T + 0x44], ..@v86_resume3
.next:
    cmp dword [esi], -1
    je .done
    mov eax, [esi]
    mov [S_T + 0x40], eax
    mov ebx, 0x10000
    TO_V86 v86_fault, 0x3000
    FAILED "no fault in V86 mode at IOPL 3"
    jmp .adv
..@v86_resume3:
    CHECK dword [gs:H_COUNT], 1
    CHECK dword [gs:H_VEC], [esi + 4]
    CHECK dword [gs:H_ERR], [esi + 8]
    mov eax, [esi]
    CHECK dword [gs:H_EIP], eax
.adv:
    add esi, 12
    jmp .next
.done:
    ; RDMSR (Pentium and later; #UD before): #GP(0) outside ring 0.
    cmp dword [gs:H_GEN], 5
    jb .no_msr
    mov dword [S_T + 0x40], v86_rdmsr
    mov dword [S_T + 0x44], .c
    TO_V86 v86_fault, 0x3000
.c: CHECK_CAUGHT 13, v86_rdmsr, H_REAL_CS
    CHECK dword [gs:H_ERR], 0
.no_msr:
    ENDTEST

    TEST "v86.iret_vm_ignored_outside_cpl0"
    ; At CPL 3, IRETD ignores VM in the popped image: a protected-mode
    ; return to ring 3 (SDM Vol. 2, IRET).
    TO_RING3 .r3
.r3:
    push dword SEL_UDATA
    push dword SYS_STACK3 - 0x10
    push dword 0x20002
    push dword SEL_UCODE
    push dword .pm
    iretd
.pm:
    pushfd
    pop dword [S_T]
    mov word [S_T + 4], cs
    TO_RING0
    mov eax, [S_T]
    and eax, 0x20000
    CHECK eax, 0
    CHECKW word [S_T + 4], SEL_UCODE
    ENDTEST

    DONE

; The V86 monitor (ring 0, from INT 0x30 and the DPL 3 gates): record ESP,
; SS, DS ES FS GS, EFLAGS and the 9 frame dwords at S_T + 0x80; count the
; call at S_T + 0x30; return EAX inverted and DS = 0x2000.
v86_monitor:
    push eax
    xor eax, eax
    mov ax, ds
    push eax
    mov ax, SEL_DATA32
    mov ds, ax
    pop eax
    mov [S_T + 0x86], ax
    lea eax, [esp + 4]
    mov [S_T + 0x80], eax
    mov word [S_T + 0x84], ss
    mov word [S_T + 0x88], es
    mov word [S_T + 0x8A], fs
    mov word [S_T + 0x8C], gs
    pushfd
    pop dword [S_T + 0x90]
    push ecx
    xor ecx, ecx
.c: mov eax, [esp + 8 + ecx * 4]
    mov [S_T + 0x94 + ecx * 4], eax
    inc ecx
    cmp ecx, 9
    jb .c
    pop ecx
    inc dword [S_T + 0x30]
    pop eax
    not eax
    mov dword [esp + 24], 0x2000 ; DS in the frame
    iretd

; INT 0x31 from V86 mode: leave it for good, back to the ring-0 code after
; TO_V86.
v86_leave:
    FLAT_SEGS
    mov esp, [S_MAIN_ESP]
    jmp [S_RET]

iopl0_cases:                    ; V86 offset of the instruction, vector, error
    dd v86_cli, 13, 0
    dd v86_sti, 13, 0
    dd v86_pushf, 13, 0
    dd v86_popf, 13, 0
    dd v86_intn, 13, 0
    dd v86_iret, 13, 0
    dd v86_int3, 13, 3 * 8 + 2   ; not sensitive: the DPL 0 gate faults
    dd v86_out80, 13, 0
    dd -1

iopl3_cases:
    dd v86_out80, 13, 0          ; the bitmap denies port 0x80
    dd v86_in80, 13, 0
    dd v86_cr0, 13, 0
    dd v86_hlt, 13, 0
    dd v86_lgdt, 13, 0
    dd v86_sldt, 6, 0            ; protected mode only: #UD
    dd v86_lar, 6, 0
    dd v86_arpl, 6, 0
    dd v86_limit, 13, 0
    dd v86_int50, 13, SEL_CODE1 & ~3 ; the handler's DPL must be 0
    dd v86_int51, 13, 0x51 * 8 + 2   ; gate DPL 0 < CPL 3
    dd -1

    HARNESS_CODE32
    SYS_CODE32
