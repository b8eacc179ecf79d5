; SPDX-License-Identifier: MIT
;
; Kiln BIOS: INT 15h system services, the dispatcher and the memory and
; configuration calls: E820h memory map, E801h/E881h, 88h extended memory,
; C0h configuration table, C1h EBDA segment, 24xxh A20 gate (port 92h and
; the 8042), 4Fh keyboard intercept, 85h SysReq, 90h/91h device busy/post.
; Block moves, waits, the protected-mode switch, APM and the PS/2 mouse
; are in int15_sys.asm. Spec: ACPI 1.0 (E820h address range types),
; Phoenix BIOS 4.0 (E801h), IBM PS/2 BIOS Technical Reference (INT 15h).

section fseg

SMAP            equ 0x534D4150
E820_RAM        equ 1
E820_RESERVED   equ 2

int15_handler:
        cmp     ah, 0x4F
        jne     .n1
        stc                         ; keep the scan code
        jmp     iret_cf
.n1:    cmp     ax, 0xE820
        je      e820
        cmp     ax, 0xE801
        je      e801
        cmp     ax, 0xE881
        je      e801
        cmp     ah, 0x88
        je      ext_mem88
        cmp     ah, 0x24
        je      a20_service
        cmp     ah, 0x86
        je      wait86
        cmp     ah, 0x83
        je      event_wait83
        cmp     ah, 0x87
        je      block_move87
        cmp     ah, 0x89
        je      pm_switch89
        cmp     ah, 0x53
        je      apm_service
        cmp     ah, 0xC2
        je      mouse_service
        cmp     ah, 0xC0
        je      .config
        cmp     ah, 0xC1
        je      .ebda
        cmp     ah, 0x85
        je      .ok
        cmp     ah, 0x90
        je      .ok
        cmp     ah, 0x91
        je      .ok
        mov     ah, 0x86            ; function not supported
        stc
        jmp     iret_cf
.ok:    xor     ah, ah
        clc
        jmp     iret_cf
.config:
        push    word BIOS_SEG
        pop     es
        mov     bx, config_table
        xor     ah, ah
        clc
        jmp     iret_cf
.ebda:  push    ax
        mov     ax, BDA_SEG
        mov     es, ax
        mov     es, [es:BDA_EBDA]
        pop     ax
        clc
        jmp     iret_cf

; E820h: one address range per call. EBX = continuation (entry index).
e820:
        cmp     edx, SMAP
        jne     .bad
        cmp     ecx, 20
        jb      .bad
        cmp     ebx, 4
        ja      .bad
        push    ds
        call    ds_ebda
        mov     eax, [ebda.ram_top] ; top of RAM
        pop     ds
        cmp     bl, 0
        je      .e0
        cmp     bl, 1
        je      .e1
        cmp     bl, 2
        je      .e2
        cmp     bl, 3
        je      .e3
        jmp     .e4
.bad:   mov     ah, 0x86
        stc
        jmp     iret_cf
.e0:    push    dword E820_RAM
        push    dword 0x9FC00
        push    dword 0
        jmp     .emit
.e1:    push    dword E820_RESERVED
        push    dword 0x400
        push    dword 0x9FC00
        jmp     .emit
.e2:    push    dword E820_RESERVED
        push    dword 0x20000
        push    dword 0xE0000
        jmp     .emit
.e3:    push    dword E820_RAM
        sub     eax, 0x100000
        push    eax
        push    dword 0x100000
        jmp     .emit
.e4:    push    dword E820_RESERVED
        push    dword 0x20000
        push    dword 0xFFFE0000
        ; Write base, length and type; EBX = next entry, 0 after the last.
.emit:  pop     dword [es:di]
        mov     dword [es:di + 4], 0
        pop     dword [es:di + 8]
        mov     dword [es:di + 12], 0
        pop     dword [es:di + 16]
        inc     ebx
        cmp     ebx, 5
        jb      .more
        xor     ebx, ebx
.more:  mov     eax, SMAP
        mov     ecx, 20
        clc
        jmp     iret_cf

; E801h: AX = CX = KiB from 1 to 16 MiB, BX = DX = 64 KiB blocks above 16 MiB.
e801:
        push    ds
        call    ds_ebda
        mov     edx, [ebda.ram_top]
        pop     ds
        cmp     edx, 0x1000000
        jbe     .low
        sub     edx, 0x1000000
        shr     edx, 16
        mov     bx, dx
        mov     ax, 0x3C00
        jmp     .out
.low:   sub     edx, 0x100000
        shr     edx, 10
        mov     ax, dx
        xor     bx, bx
        xor     dx, dx
.out:   mov     cx, ax
        mov     dx, bx
        clc
        jmp     iret_cf

; 88h: extended memory in KiB from CMOS 30h/31h.
ext_mem88:
        mov     al, CMOS_EXT_HI
        call    cmos_read
        mov     ah, al
        mov     al, CMOS_EXT_LO
        call    cmos_read
        clc
        jmp     iret_cf

; 24xxh: A20 gate. 00 disable, 01 enable, 02 status in AL, 03 methods in BX.
a20_service:
        cmp     al, 0x00
        je      .off
        cmp     al, 0x01
        je      .on
        cmp     al, 0x02
        je      .status
        cmp     al, 0x03
        je      .support
        mov     ah, 0x86
        stc
        jmp     iret_cf
.off:   push    ax
        xor     ah, ah
        call    a20_set
        pop     ax
        xor     ah, ah
        clc
        jmp     iret_cf
.on:    push    ax
        mov     ah, 1
        call    a20_set
        pop     ax
        xor     ah, ah
        clc
        jmp     iret_cf
.status:
        call    a20_test
        mov     al, 0
        jz      .st
        mov     al, 1
.st:    xor     ah, ah
        clc
        jmp     iret_cf
.support:
        mov     bx, 0x0003          ; 8042 and port 92h
        xor     ah, ah
        clc
        jmp     iret_cf

; Set the A20 gate on (AH != 0) or off through both port 92h and the 8042.
a20_set:
        push    ax
        in      al, SYSCTL_A
        and     al, 0xFC            ; never write the fast-reset bit
        test    ah, ah
        jz      .p
        or      al, 0x02
.p:     out     SYSCTL_A, al
        call    kbc_wait_input
        mov     al, 0xD1            ; write output port
        out     KBC_STATUS, al
        call    kbc_wait_input
        pop     ax
        push    ax
        mov     al, 0xDD
        test    ah, ah
        jz      .k
        mov     al, 0xDF
.k:     out     KBC_DATA, al
        call    kbc_wait_input
        pop     ax
        ret

; ZF = 0 when A20 is on: 0000:0500 and FFFF:0510 are different bytes.
; Keeps the caller's interrupt flag.
a20_test:
        push    ds
        push    es
        push    ax
        push    bx
        xor     ax, ax
        mov     ds, ax
        dec     ax
        mov     es, ax
        pushf
        cli
        mov     al, [0x500]
        mov     bl, 1
        mov     byte [0x500], 0x5A
        cmp     byte [es:0x510], 0x5A
        jne     .diff
        mov     byte [0x500], 0xA5
        cmp     byte [es:0x510], 0xA5
        jne     .diff
        xor     bl, bl
.diff:  mov     [0x500], al
        popf
        test    bl, bl
        pop     bx
        pop     ax
        pop     es
        pop     ds
        ret

; Wait (bounded) until the 8042 can take a byte.
kbc_wait_input:
        push    ax
        push    cx
        mov     cx, 0xFFFF
.w:     in      al, KBC_STATUS
        test    al, 0x02
        jz      .ok
        loop    .w
.ok:    pop     cx
        pop     ax
        ret

; Wait (bounded) until the 8042 has a byte for us. CF = 1 on time-out.
kbc_wait_output:
        push    ax
        push    cx
        push    dx
        mov     dx, 8               ; about 8 x 64K polls
.o:     mov     cx, 0xFFFF
.w:     in      al, KBC_STATUS
        test    al, 0x01
        jnz     .ok
        loop    .w
        dec     dx
        jnz     .o
        pop     dx
        pop     cx
        pop     ax
        stc
        ret
.ok:    push    ds
        call    ds_ebda
        or      byte [ebda.kbd_ok], 0x02    ; the caller takes this byte: see INT 09h
        pop     ds
        pop     dx
        pop     cx
        pop     ax
        clc
        ret
