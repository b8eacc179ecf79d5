; SPDX-License-Identifier: MIT
; 32-bit paging (486+), from reset: not-present faults at both levels with
; CR2 and error code, the PDE x PTE x access x CR0.WP permission matrix,
; A/D bits, user fetch from a supervisor page, implicit supervisor accesses
; at CPL 3, a page-crossing fault (CR2 = the boundary), 4 MiB pages and PS
; ignored without PSE, MOV CR3 / INVLPG / global pages and CR4.PGE.
; Spec: Intel SDM Vol. 3A 4.3, 4.6 (access rights), 4.7 (#PF error code),
; 4.8 (A/D), 4.10.4 (TLB invalidation); Vol. 2 (INVLPG).
%include "sys.inc"
    BOOT16
    ENTER_PM32 pm_start
    HARNESS_CODE16

    PM_SECTION
pm_start:
    PM32_INIT
    SYS_INIT

PD    equ 0x100000
PT0   equ 0x101000              ; identity map of 0-4 MiB, user read/write
PT1   equ 0x102000              ; linear 0x400000-0x7FFFFF: the test pages
PHYS  equ 0x200000              ; physical page of test page 0 (page n: + n * 0x1000)
VA    equ 0x400000              ; test page 0
LDT2  equ 0x31000               ; an LDT alone in its page
PTE_P  equ 1
PTE_RW equ 2
PTE_US equ 4
PTE_A  equ 0x20
PTE_D  equ 0x40
PTE_PS equ 0x80
PTE_G  equ 0x100

    ; Identity-map the first 4 MiB; PT1 maps VA + n * 0x1000 to PHYS + n *
    ; 0x1000, each page filled with its number.
    xor eax, eax
    mov edi, PD
    mov ecx, 0x3000 / 4
    rep stosd
    mov edi, PT0
    mov eax, PTE_P | PTE_RW | PTE_US
.id:
    stosd
    add eax, 0x1000
    cmp edi, PT0 + 0x1000
    jb .id
    mov dword [PD], PT0 | PTE_P | PTE_RW | PTE_US
    mov dword [PD + 4], PT1 | PTE_P | PTE_RW | PTE_US
    mov edi, PT1
    mov eax, PHYS | PTE_P | PTE_RW | PTE_US
.t1:
    stosd
    add eax, 0x1000
    cmp edi, PT1 + 16 * 4
    jb .t1
    xor ebx, ebx
.fill:
    mov edi, ebx
    shl edi, 12
    add edi, PHYS
    mov eax, ebx
    or eax, 0x5A5A0000
    mov ecx, 0x400
    rep stosd
    inc ebx
    cmp ebx, 16
    jb .fill
    mov eax, PD
    mov cr3, eax
    mov [SYS_TSS + 0x1C], eax

    TEST "pg.enable"
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    CHECK dword [VA + 0x100], 0x5A5A0000
    CHECK dword [VA + 0x1100], 0x5A5A0001
    CHECK dword [0x500 + H_FAILS - 0x500], 0 ; identity still holds
    ENDTEST

    TEST "pg.not_present"
    and dword [PT1], ~PTE_P     ; page 0: PTE not present
    call flush
    mov esi, VA + 0x10
    xor ebp, ebp                ; supervisor read, write, user read, write
.acc:
    call probe
    lea ecx, [ebp * 2]          ; P = 0; W/R and U/S from the access
    CHECK eax, ecx
    CHECK dword [S_T + 0x44], VA + 0x10
    inc ebp
    cmp ebp, 4
    jb .acc
.pde:
    or dword [PT1], PTE_P
    and dword [PD + 4], ~PTE_P  ; the whole directory entry
    call flush
    mov ebp, 3
    call probe
    CHECK eax, 6
    or dword [PD + 4], PTE_P
    ; An instruction fetch from a not-present page: CR2 and the return
    ; address are the target.
    and dword [PT1 + 4], ~PTE_P
    call flush
    ARM .c
.f: call VA + 0x1000
.c: CHECK_CAUGHT 14, VA + 0x1000
    CHECK dword [gs:H_ERR], 0
    mov eax, cr2
    CHECK eax, VA + 0x1000
    or dword [PT1 + 4], PTE_P
    call flush
    ENDTEST

    TEST "pg.permission_matrix"
    ; Every PDE and PTE combination of R/W and U/S, with CR0.WP clear and
    ; set, for supervisor and user reads and writes (SDM 4.6): the error
    ; code from perm_table or -1 for no fault.
    mov esi, VA + 0x20
    mov edi, perm_table
    xor ebx, ebx                ; combination: bit 0 PDE.RW, 1 PDE.US, 2 PTE.RW, 3 PTE.US
.combo:
    mov eax, PT1 | PTE_P
    test bl, 1
    jz .a
    or eax, PTE_RW
.a: test bl, 2
    jz .b
    or eax, PTE_US
.b: mov [PD + 4], eax
    mov eax, PHYS | PTE_P
    test bl, 4
    jz .c
    or eax, PTE_RW
.c: test bl, 8
    jz .d
    or eax, PTE_US
.d: mov [PT1], eax
    xor ecx, ecx                ; CR0.WP
.wp:
    mov eax, cr0
    and eax, ~0x10000
    or eax, ecx
    mov cr0, eax
    xor ebp, ebp
.acc:
    call flush
    call probe
    cmp eax, [edi]
    je .ok
    push ebx                    ; show which case failed
    push ecx
    mov [S_T + 0x60], ebx
    mov [S_T + 0x64], ecx
    mov [S_T + 0x68], ebp
    CHECK dword [S_T + 0x60], -1 ; combination
    CHECK dword [S_T + 0x64], -1 ; WP
    CHECK dword [S_T + 0x68], -1 ; access
    CHECK eax, [edi]
    pop ecx
    pop ebx
.ok:
    cmp eax, -1
    je .nf
    mov eax, cr2
    cmp eax, esi
    je .nf
    FAILED "CR2 is not the faulting address"
.nf:
    add edi, 4
    inc ebp
    cmp ebp, 4
    jb .acc
    add ecx, 0x10000
    cmp ecx, 0x20000
    jb .wp
    inc ebx
    cmp ebx, 16
    jb .combo
    CHECK edi, perm_table_end   ; every case ran
    mov eax, cr0
    and eax, ~0x10000
    mov cr0, eax
    mov dword [PD + 4], PT1 | PTE_P | PTE_RW | PTE_US
    mov dword [PT1], PHYS | PTE_P | PTE_RW | PTE_US
    call flush
    ENDTEST

    TEST "pg.accessed_dirty"
    ; A read sets A in the PDE and the PTE; a write then sets D in the PTE
    ; only: the D bit of a PDE that points to a page table is left alone.
    mov dword [PD + 4], PT1 | PTE_P | PTE_RW | PTE_US
    mov dword [PT1 + 8], PHYS + 0x2000 | PTE_P | PTE_RW | PTE_US
    call flush
    mov eax, [VA + 0x2000]
    CHECK dword [PT1 + 8], PHYS + 0x2000 | PTE_P | PTE_RW | PTE_US | PTE_A
    CHECK dword [PD + 4], PT1 | PTE_P | PTE_RW | PTE_US | PTE_A
    mov [VA + 0x2004], eax      ; the translation is cached from the read
    CHECK dword [PT1 + 8], PHYS + 0x2000 | PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D
    CHECK dword [PD + 4], PT1 | PTE_P | PTE_RW | PTE_US | PTE_A
    ; A write as the first access sets A and D together.
    mov dword [PT1 + 12], PHYS + 0x3000 | PTE_P | PTE_RW | PTE_US
    call flush
    mov dword [VA + 0x3000], 0
    CHECK dword [PT1 + 12], PHYS + 0x3000 | PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D
    ENDTEST

    TEST "pg.user_fetch_supervisor_page"
    mov byte [PHYS + 0x4000], 0xC3 ; ret
    mov dword [PT1 + 16], PHYS + 0x4000 | PTE_P | PTE_RW
    call flush
    call VA + 0x4000            ; CPL 0 runs it
    TO_RING3 .r3
.r3:
    ARM3 .c
    call VA + 0x4000
.c: CHECK_CAUGHT 14, VA + 0x4000, SEL_UCODE
    CHECK dword [gs:H_ERR], 5
    mov eax, cr2
    CHECK eax, VA + 0x4000
    ENDTEST

    TEST "pg.page_crossing"
    ; A dword write over the end of page 5 into page 6, not present: the
    ; fault names the first byte of page 6.
    and dword [PT1 + 24], ~PTE_P
    call flush
    ARM .c1
.f1: mov dword [VA + 0x5FFE], 0x11223344
.c1:
    CHECK_CAUGHT 14, .f1
    CHECK dword [gs:H_ERR], 2
    mov eax, cr2
    CHECK eax, VA + 0x6000
    or dword [PT1 + 24], PTE_P
    ; A user read over into a supervisor page: P = 1, U = 1.
    and dword [PT1 + 24], ~PTE_US
    call flush
    TO_RING3 .r3
.r3:
    ARM3 .c2
.f2: mov eax, [VA + 0x5FFD]
.c2:
    CHECK_CAUGHT 14, .f2, SEL_UCODE
    CHECK dword [gs:H_ERR], 5
    mov eax, cr2
    CHECK eax, VA + 0x6000
    or dword [PT1 + 24], PTE_US
    call flush
    ENDTEST

    TEST "pg.implicit_supervisor"
    ; Descriptor-table and TSS accesses are supervisor accesses even at
    ; CPL 3 (SDM 4.6): with those pages supervisor-only, ring 3 still loads
    ; segments and changes rings; a descriptor read from a not-present page
    ; faults with U/S = 0 in the error code.
    and dword [PT0 + 0x20 * 4], ~PTE_US ; GDT, LDT
    and dword [PT0 + 0x21 * 4], ~PTE_US ; TSS
    call flush
    DESC GDT_SLOT(SEL_FREE), LDT2, 0xFF, A_LDT
    DESC LDT2 + 0, 0, 0xFFFFF, A_DATA32 | A_DPL3
    mov ax, SEL_FREE
    lldt ax
    TO_RING3 .r3
.r3:
    mov ax, 0x07                ; LDT entry 0, RPL 3
    mov es, ax
    mov word [S_T], es
    TO_RING0
    CHECKW word [S_T], 0x07
    and dword [PT0 + (LDT2 >> 12) * 4], ~PTE_P
    call flush
    TO_RING3 .r3b
.r3b:
    ARM3 .c
    mov ax, 0x07
.f: mov es, ax
.c: CHECK_CAUGHT 14, .f, SEL_UCODE
    CHECK dword [gs:H_ERR], 0
    mov eax, cr2
    CHECK eax, LDT2
    or dword [PT0 + (LDT2 >> 12) * 4], PTE_P
    or dword [PT0 + 0x20 * 4], PTE_US
    or dword [PT0 + 0x21 * 4], PTE_US
    call flush
    xor eax, eax
    lldt ax
    ENDTEST

    TEST "pg.large_pages"
    mov eax, 1 << 3             ; CPUID.PSE
    call has_feature
    jz .skip
    ; PDE 2 maps linear 0x800000-0xBFFFFF to physical 0x400000 as one 4 MiB
    ; page when CR4.PSE = 1.
    ; Without PSE the PS bit is ignored: the PDE names a page table at
    ; physical 0x400000, whose entry 1 maps linear 0x801000. (Physical
    ; 0x400000 is written with paging off: linear 0x400000 is VA.)
    mov dword [PD + 8], 0x400000 | PTE_P | PTE_RW | PTE_US | PTE_PS
    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    mov dword [0x401234], 0x4444AAAA
    mov dword [0x400004], PHYS + 0x7000 | PTE_P | PTE_RW | PTE_US
    or eax, 0x80000000
    mov cr0, eax
    CHECK dword [0x801000], 0x5A5A0007
    mov eax, cr4
    or eax, 0x10
    mov cr4, eax
    CHECK dword [0x801234], 0x4444AAAA
    CHECK dword [PD + 8], 0x400000 | PTE_P | PTE_RW | PTE_US | PTE_PS | PTE_A
    mov dword [0x800000], 1
    CHECK dword [PD + 8], 0x400000 | PTE_P | PTE_RW | PTE_US | PTE_PS | PTE_A | PTE_D
    ; A supervisor-only 4 MiB page faults a user read: P = 1, U = 1.
    and dword [PD + 8], ~PTE_US
    call flush
    mov esi, 0x9FFFF0
    mov ebp, 2
    call probe
    CHECK eax, 5
    mov dword [PD + 8], 0
    mov eax, cr4
    and eax, ~0x10
    mov cr4, eax
.skip:
    ENDTEST

    TEST "pg.tlb_invalidation"
    ; INVLPG and a CR3 load make a changed PTE visible.
    mov dword [PT1 + 32], PHYS + 0x8000 | PTE_P | PTE_RW | PTE_US
    call flush
    CHECK dword [VA + 0x8000], 0x5A5A0008
    mov dword [PT1 + 32], PHYS + 0x9000 | PTE_P | PTE_RW | PTE_US
    invlpg [VA + 0x8000]
    CHECK dword [VA + 0x8000], 0x5A5A0009
    mov dword [PT1 + 32], PHYS + 0xA000 | PTE_P | PTE_RW | PTE_US
    mov eax, cr3
    mov cr3, eax
    CHECK dword [VA + 0x8000], 0x5A5A000A
    mov eax, 1 << 13            ; CPUID.PGE
    call has_feature
    jz .skip
    ; A global page's cached translation survives a CR3 load (4.10.4.1) but
    ; not INVLPG, nor a change of CR4.PGE.
    mov eax, cr4
    or eax, 0x80
    mov cr4, eax
    mov dword [PT1 + 32], PHYS + 0x8000 | PTE_P | PTE_RW | PTE_US | PTE_G
    invlpg [VA + 0x8000]
    CHECK dword [VA + 0x8000], 0x5A5A0008
    mov dword [PT1 + 32], PHYS + 0x9000 | PTE_P | PTE_RW | PTE_US | PTE_G
    mov eax, cr3
    mov cr3, eax
    CHECK dword [VA + 0x8000], 0x5A5A0008
    invlpg [VA + 0x8000]
    CHECK dword [VA + 0x8000], 0x5A5A0009
    mov dword [PT1 + 32], PHYS + 0xA000 | PTE_P | PTE_RW | PTE_US | PTE_G
    mov eax, cr4
    and eax, ~0x80
    mov cr4, eax
    CHECK dword [VA + 0x8000], 0x5A5A000A
    ; With CR4.PGE clear, G means nothing: a CR3 load drops the entry.
    mov dword [PT1 + 32], PHYS + 0xB000 | PTE_P | PTE_RW | PTE_US | PTE_G
    mov eax, cr3
    mov cr3, eax
    CHECK dword [VA + 0x8000], 0x5A5A000B
.skip:
    ENDTEST

    mov eax, cr0
    and eax, 0x7FFFFFFF
    mov cr0, eax
    DONE

; flush: reload CR3 (drops every non-global translation).
flush:
    push eax
    mov eax, cr3
    mov cr3, eax
    pop eax
    ret

; has_feature: ZF = 0 when CPUID leaf 1 reports EDX bit(s) EAX. No CPUID
; (a 486): none. Clobbers EAX.
has_feature:
    push ebx
    push ecx
    push edx
    push eax
    cmp dword [gs:H_GEN], 5
    jb .none
    mov eax, 1
    cpuid
    pop eax
    test edx, eax
    jmp .out
.none:
    pop eax
    xor eax, eax                ; ZF = 1
.out:
    pop edx
    pop ecx
    pop ebx
    ret

; probe: access [ESI] as EBP says (0 supervisor read, 1 supervisor write, 2
; user read, 3 user write). EAX = #PF error code, or
; -1 when it did not fault; CR2 at the fault in [S_T + 0x44].
probe:
    push ebx
    push ecx
    mov [S_T + 0x40], ebp
    cmp dword [S_T + 0x40], 2
    jae .user
    ARM .c
    cmp dword [S_T + 0x40], 1
    je .w
    mov eax, [esi]
    jmp .nf
.w: mov [esi], eax
.nf:
    DISARM
    mov eax, -1
    jmp .out
.user:
    TO_RING3 .r3
.r3:
    ARM3 .c
    cmp dword [S_T + 0x40], 3
    je .uw
    mov eax, [esi]
    jmp .unf
.uw: mov [esi], eax
.unf:
    DISARM
    TO_RING0
    mov eax, -1
    jmp .out
.c: CHECK dword [gs:H_VEC], 14
    mov eax, cr2
    mov [S_T + 0x44], eax
    mov eax, [gs:H_ERR]
.out:
    pop ecx
    pop ebx
    ret

; perm_table: for each combination (bit 0 PDE.RW, 1 PDE.US, 2 PTE.RW, 3
; PTE.US), each CR0.WP, the #PF error code (or -1) of a supervisor read,
; supervisor write, user read and user write (SDM 4.6, 4.7).
perm_table:
%assign p_c 0
%rep 16
%assign p_rw (p_c & 1) & ((p_c >> 2) & 1)
%assign p_us ((p_c >> 1) & 1) & ((p_c >> 3) & 1)
%assign p_wp 0
%rep 2
    dd -1
%if p_wp == 0 || p_rw
    dd -1
%else
    dd 3
%endif
%if p_us
    dd -1
%else
    dd 5
%endif
%if p_us && p_rw
    dd -1
%else
    dd 7
%endif
%assign p_wp p_wp + 1
%endrep
%assign p_c p_c + 1
%endrep
perm_table_end:

    HARNESS_CODE32
    SYS_CODE32
