; SPDX-License-Identifier: MIT
; Debug registers on the Pentium II model, from reset: instruction
; breakpoints (fault, RF, L/G enables), data breakpoints on writes and
; reads/writes (trap, LEN 1/2/4 overlap, two at once, the REP iteration
; that hits), I/O breakpoints (CR4.DE), DR6 B0-B3/BD/BS and fixed bits,
; single-step and MOV SS, DR7.GD, DR4/DR5 with CR4.DE.
; Spec: Intel SDM Vol. 3A 17.2 (debug registers, 17.2.4 I/O breakpoints),
; 17.3.1 (#DB conditions, RF), 6.8.3 (MOV SS).
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT
    GATE IDT_SLOT(1), SEL_CODE32, db_handler, G_INT32

; DR7 fields for breakpoint n: enable (L), R/W, LEN.
%define DR7_L(n)        (1 << ((n) * 2))
%define DR7_G(n)        (2 << ((n) * 2))
%define DR7_RW(n, rw)   ((rw) << (16 + (n) * 4))
%define DR7_LEN(n, len) ((len) << (18 + (n) * 4))
RW_EXEC equ 0
RW_WRITE equ 1
RW_IO equ 2
RW_RDWR equ 3
LEN1 equ 0
LEN2 equ 1
LEN4 equ 3

    TEST "dbg.fixed_bits"
    xor eax, eax
    mov dr6, eax
    mov eax, dr6
    CHECK eax, 0xFFFF0FF0       ; reserved bits read as 1 (bit 12: 0)
    xor eax, eax
    mov dr7, eax
    mov eax, dr7
    CHECK eax, 0x400            ; bit 10 reads as 1
    ENDTEST

    TEST "dbg.instruction_breakpoint"
    ; A fault before the instruction (nothing executed, RF = 0 in the
    ; image); the handler sets RF so that the IRET runs it once; the next
    ; time round it faults again.
    call db_reset
    mov eax, .bp
    mov dr0, eax
    mov eax, DR7_L(0) | DR7_RW(0, RW_EXEC) | DR7_LEN(0, LEN1)
    mov dr7, eax
    xor eax, eax
    mov ecx, 2
.l:
.bp: inc eax
    loop .l
    call db_off
    CHECK eax, 2
    CHECK dword [S_T + 0x40], 2
    CHECK dword [S_T + 0x48], .bp
    mov eax, [S_T + 0x44]
    and eax, 0x600F
    CHECK eax, 1                ; B0
    mov eax, [S_T + 0x4C]
    and eax, 0x10000
    CHECK eax, 0                ; RF as it was: clear
    ; G enables as well.
    call db_reset
    mov eax, .bp2
    mov dr3, eax
    mov eax, DR7_G(3)
    mov dr7, eax
.bp2: nop
    call db_off
    CHECK dword [S_T + 0x40], 1
    mov eax, [S_T + 0x44]
    and eax, 0xF
    CHECK eax, 8                ; B3
    ENDTEST

    TEST "dbg.data_write"
    ; A write breakpoint traps after the instruction; reads do not trap.
    call db_reset
    mov eax, var + 4
    mov dr1, eax
    mov eax, DR7_L(1) | DR7_RW(1, RW_WRITE) | DR7_LEN(1, LEN4)
    mov dr7, eax
    mov eax, [var + 4]          ; read: no trap
    mov dword [var + 4], 0x1111
.after:
    CHECK dword [S_T + 0x40], 1
    CHECK dword [S_T + 0x48], .after
    CHECK dword [var + 4], 0x1111 ; the write happened
    mov eax, [S_T + 0x44]
    and eax, 0x600F
    CHECK eax, 2                ; B1
    ; Any byte of an access that overlaps the watched bytes hits.
    mov esi, overlap_cases
.next:
    cmp dword [esi], -1
    je .done
    call db_count_reset
    mov ebx, [esi]
    call [esi + 4]
    CHECK dword [S_T + 0x40], [esi + 8]
    add esi, 12
    jmp .next
.done:
    call db_off
    ENDTEST

    TEST "dbg.data_read_write"
    ; R/W = 11: reads trap too; two breakpoints hit by one access set both
    ; status bits.
    call db_reset
    mov eax, var + 8
    mov dr0, eax
    mov dr2, eax
    mov eax, DR7_L(0) | DR7_RW(0, RW_RDWR) | DR7_LEN(0, LEN2) | DR7_L(2) | DR7_RW(2, RW_WRITE)
    mov dr7, eax
    mov eax, [var + 8]
    CHECK dword [S_T + 0x40], 1
    mov eax, [S_T + 0x44]
    and eax, 0xF
    CHECK eax, 1                ; B0 only: B2 watches writes
    call db_count_reset
    mov byte [var + 8], 1
    CHECK dword [S_T + 0x40], 1
    mov eax, [S_T + 0x44]
    and eax, 0xF
    CHECK eax, 5                ; B0 and B2
    ; An instruction fetch does not hit a data breakpoint.
    call db_count_reset
    mov eax, .code
    mov dr0, eax
.code:
    nop
    CHECK dword [S_T + 0x40], 0
    call db_off
    ENDTEST

    TEST "dbg.rep_iteration"
    ; A data breakpoint hit by one iteration of REP STOSB traps after that
    ; iteration, with the REP instruction as the return address, ECX
    ; counting the iterations left and RF = 1 in the image so that it goes
    ; on (SDM 17.3.1.1, 17.3.1.2); the rest completes without another trap.
    ; P6 processors may report it one iteration late (17.3.1.2), so ECX may
    ; be 7 (after the iteration that stored buf + 8) or 6.
    call db_reset
    mov eax, buf + 8
    mov dr0, eax
    mov eax, DR7_L(0) | DR7_RW(0, RW_WRITE) | DR7_LEN(0, LEN1)
    mov dr7, eax
    mov edi, buf
    mov ecx, 16
    mov al, 0x77
.rep:
    rep stosb
    call db_off
    CHECK dword [S_T + 0x40], 1
    CHECK dword [S_T + 0x48], .rep
    mov eax, [S_T + 0x50]
    cmp eax, 6
    je .late
    CHECK eax, 7
.late:
    mov eax, [S_T + 0x4C]
    and eax, 0x10000
    CHECK eax, 0x10000
    CHECK ecx, 0
    CHECK edi, buf + 16
    ENDTEST

    TEST "dbg.io_breakpoint"
    ; With CR4.DE, R/W = 10 watches ports: a trap after the IN/OUT that
    ; touches one, and for REP INS after its first iteration (17.3.1.2).
    call db_reset
    mov eax, cr4
    or eax, 8
    mov cr4, eax
    mov eax, 0xE8
    mov dr2, eax
    mov eax, DR7_L(2) | DR7_RW(2, RW_IO) | DR7_LEN(2, LEN2)
    mov dr7, eax
    in al, 0xEA                 ; outside 0xE8-0xE9: nothing
    CHECK dword [S_T + 0x40], 0
    in al, 0xE9
.a1:
    CHECK dword [S_T + 0x40], 1
    CHECK dword [S_T + 0x48], .a1
    mov eax, [S_T + 0x44]
    and eax, 0xF
    CHECK eax, 4                ; B2
    ; Every iteration reads the port, so each traps; the first after one
    ; iteration, back to the REP with ECX = 3.
    call db_count_reset
    mov edi, buf
    mov ecx, 4
    mov dx, 0xE9
.rep:
    rep insb
    CHECK dword [S_T + 0x40], 4
    CHECK dword [S_T + 0x58], .rep
    CHECK dword [S_T + 0x5C], 3
    CHECK ecx, 0
    call db_off
    mov eax, cr4
    and eax, ~8
    mov cr4, eax
    ENDTEST

    TEST "dbg.single_step"
    call db_reset
    mov dword [S_T + 0x54], 1   ; the handler clears TF after one trap
    pushfd
    or dword [esp], F_TF
    popfd                       ; traps after the next instruction
    nop
.a1:
    CHECK dword [S_T + 0x40], 1
    CHECK dword [S_T + 0x48], .a1
    mov eax, [S_T + 0x44]
    and eax, 0x600F
    CHECK eax, 0x4000           ; BS
    mov eax, [S_T + 0x4C]
    and eax, F_TF
    CHECK eax, F_TF
    ; MOV SS holds debug exceptions back until after the next instruction
    ; (SDM 6.8.3): one trap, after the NOP.
    call db_reset
    mov dword [S_T + 0x54], 1
    mov ax, ss
    pushfd
    or dword [esp], F_TF
    popfd
    mov ss, ax
    nop
.a2:
    CHECK dword [S_T + 0x40], 1
    CHECK dword [S_T + 0x48], .a2
    mov dword [S_T + 0x54], 0
    ENDTEST

    TEST "dbg.general_detect"
    ; DR7.GD: the next MOV DRn faults (#DB, BD) before it runs, and GD is
    ; cleared so that the handler may use the debug registers.
    call db_reset
    mov eax, 0x2000 | 0x400
    mov dr7, eax
    mov ebx, 0x12345678
.f: mov dr0, ebx
    CHECK dword [S_T + 0x40], 1
    CHECK dword [S_T + 0x48], .f
    mov eax, [S_T + 0x44]
    and eax, 0x600F
    CHECK eax, 0x2000           ; BD
    mov eax, [S_T + 0x4C]
    and eax, 0x10000
    CHECK eax, 0x10000          ; a fault: RF = 1
    mov eax, dr0
    CHECK eax, 0x12345678       ; the MOV ran after the IRET
    mov eax, dr7
    CHECK eax, 0x400
    ENDTEST

    TEST "dbg.dr4_dr5"
    ; DR4 and DR5 alias DR6 and DR7 while CR4.DE is clear, else #UD.
    mov eax, 0x100 | DR7_L(1)
    mov dr7, eax
    db 0x0F, 0x21, 0xE8         ; mov eax, dr5
    CHECK eax, 0x504
    xor eax, eax
    mov dr7, eax
    mov eax, cr4
    or eax, 8
    mov cr4, eax
    ARM .c
.f: db 0x0F, 0x21, 0xE0         ; mov eax, dr4
.c: mov eax, cr4
    and eax, ~8
    mov cr4, eax
    CHECK_CAUGHT 6, .f
    ENDTEST

    DONE

; db_reset: hit count and records to zero, DR6 cleared.
db_reset:
    mov dword [S_T + 0x54], 0
db_count_reset:
    push eax
    xor eax, eax
    mov [S_T + 0x40], eax
    mov [S_T + 0x44], eax
    mov [S_T + 0x48], eax
    mov [S_T + 0x4C], eax
    mov dr6, eax
    pop eax
    ret

; db_off: all breakpoints off.
db_off:
    push eax
    xor eax, eax
    mov dr7, eax
    pop eax
    ret

; #DB handler: count, record DR6, EIP, EFLAGS and ECX (EIP and ECX of the
; first trap also at S_T + 0x58); clear DR6; set RF in
; the image (resume past an instruction breakpoint); with [S_T + 0x54] set,
; clear TF in the image (stop single-stepping).
db_handler:
    push eax
    inc dword [S_T + 0x40]
    mov eax, dr6
    mov [S_T + 0x44], eax
    mov eax, [esp + 4]
    mov [S_T + 0x48], eax
    mov eax, [esp + 12]
    mov [S_T + 0x4C], eax
    mov [S_T + 0x50], ecx
    cmp dword [S_T + 0x40], 1
    jne .notfirst
    mov eax, [esp + 4]
    mov [S_T + 0x58], eax
    mov [S_T + 0x5C], ecx
.notfirst:
    xor eax, eax
    mov dr6, eax
    or dword [esp + 12], 0x10000
    cmp dword [S_T + 0x54], 0
    je .out
    and dword [esp + 12], ~F_TF
.out:
    pop eax
    iretd

; Accesses near DR1 = var + 4, LEN 4 (write): address in EBX.
ov_w1:  mov byte [ebx], 0
    ret
ov_w2:  mov word [ebx], 0
    ret
ov_w4:  mov dword [ebx], 0
    ret
ov_len2:                        ; DR1 = var + 6, LEN 2
    push eax
    mov eax, var + 6
    mov dr1, eax
    mov eax, DR7_L(1) | DR7_RW(1, RW_WRITE) | DR7_LEN(1, LEN2)
    mov dr7, eax
    pop eax
    mov byte [ebx], 0
    push eax
    mov eax, var + 4
    mov dr1, eax
    mov eax, DR7_L(1) | DR7_RW(1, RW_WRITE) | DR7_LEN(1, LEN4)
    mov dr7, eax
    pop eax
    ret

overlap_cases:
    dd var + 3, ov_w1, 0        ; the byte before
    dd var + 8, ov_w1, 0        ; the byte after
    dd var + 7, ov_w1, 1        ; the last watched byte
    dd var + 2, ov_w4, 1        ; a dword overlapping the first two bytes
    dd var + 3, ov_w2, 1
    dd var + 2, ov_w2, 0
    dd var + 5, ov_len2, 0      ; LEN 2 at var + 6: var + 5 misses
    dd var + 7, ov_len2, 1
    dd -1

    align 16
var: times 16 db 0
buf: times 32 db 0

    HARNESS_CODE32
    SYS_CODE32
