; SPDX-License-Identifier: MIT
;
; Kiln BIOS: INT 15h services that switch modes or wait: 83h/86h waits on
; the RTC periodic interrupt, 87h extended memory block move and 89h switch
; to protected mode (through the caller's GDT), and the APM 1.2 BIOS
; (53xxh) with its 32-bit protected-mode entry point. Spec: IBM PS/2 BIOS
; Interface Technical Reference (INT 15h 83h/86h/87h/89h), Intel/Microsoft
; Advanced Power Management BIOS Interface Specification 1.2.

section fseg

; Turn on the RTC periodic interrupt (1024 Hz) and unmask IRQ 8 and IRQ 2.
rtc_pie_on:
        push    ax
        mov     al, 0x0B
        call    cmos_read
        or      al, 0x40
        mov     ah, al
        mov     al, 0x0B
        call    cmos_write
        in      al, PIC2_DATA
        and     al, 0xFE
        out     PIC2_DATA, al
        in      al, PIC1_DATA
        and     al, 0xFB
        out     PIC1_DATA, al
        pop     ax
        ret

rtc_pie_off:
        push    ax
        mov     al, 0x0B
        call    cmos_read
        and     al, 0xBF
        mov     ah, al
        mov     al, 0x0B
        call    cmos_write
        pop     ax
        ret

; 86h: wait CX:DX microseconds.
wait86:
        push    ds
        push    bx
        mov     bx, BDA_SEG
        mov     ds, bx
        cli
        test    byte [BDA_WAIT_FLAG], 0x01
        jnz     .busy
        mov     byte [BDA_WAIT_FLAG], 0x01
        mov     word [BDA_WAIT_PTR], BDA_WAIT_FLAG
        mov     word [BDA_WAIT_PTR + 2], BDA_SEG
        mov     [BDA_WAIT_COUNT], dx
        mov     [BDA_WAIT_COUNT + 2], cx
        call    rtc_pie_on
.w:     cli
        test    byte [BDA_WAIT_FLAG], 0x80
        jnz     .done
        sti                         ; the interrupt shadow covers the HLT
        hlt
        jmp     .w
.done:  mov     byte [BDA_WAIT_FLAG], 0
        sti
        pop     bx
        pop     ds
        xor     ah, ah
        clc
        jmp     iret_cf
.busy:  sti
        pop     bx
        pop     ds
        mov     ah, 0x83
        stc
        jmp     iret_cf

; 83h: AL = 0: post bit 7 of ES:BX after CX:DX microseconds; AL = 1: cancel.
event_wait83:
        push    ds
        push    si
        mov     si, BDA_SEG
        mov     ds, si
        cmp     al, 1
        je      .cancel
        cli
        test    byte [BDA_WAIT_FLAG], 0x01
        jnz     .busy
        mov     byte [BDA_WAIT_FLAG], 0x01
        mov     [BDA_WAIT_PTR], bx
        mov     [BDA_WAIT_PTR + 2], es
        mov     [BDA_WAIT_COUNT], dx
        mov     [BDA_WAIT_COUNT + 2], cx
        call    rtc_pie_on
        sti
        pop     si
        pop     ds
        clc
        jmp     iret_cf
.cancel:
        cli
        mov     byte [BDA_WAIT_FLAG], 0
        call    rtc_pie_off
        sti
        pop     si
        pop     ds
        clc
        jmp     iret_cf
.busy:  sti
        pop     si
        pop     ds
        mov     ah, 0x80
        stc
        jmp     iret_cf

; Fill the descriptor at ES:DI: base EAX, limit 0FFFFh, access byte DL.
set_desc16:
        mov     word [es:di], 0xFFFF
        mov     [es:di + 2], ax
        push    eax
        shr     eax, 16
        mov     [es:di + 4], al
        mov     [es:di + 5], dl
        mov     byte [es:di + 6], 0
        mov     [es:di + 7], ah
        pop     eax
        ret

; 87h: copy CX words between the source (ES:SI+10h) and destination
; (ES:SI+18h) descriptors of the caller's GDT, in protected mode.
block_move87:
        cli
        pushad
        push    ds
        push    es
        call    a20_test
        pushf                       ; ZF = 0: A20 was on
        mov     ah, 1
        call    a20_set
        ; GDT entry 08h describes the GDT itself.
        mov     ax, es
        movzx   eax, ax
        shl     eax, 4
        movzx   ebx, si
        add     eax, ebx
        lea     di, [si + 0x08]
        mov     dl, 0x93
        call    set_desc16
        mov     word [es:si + 0x08], 0x2F
        ; 20h: this code (base F0000h); 28h: the caller's stack.
        mov     eax, BIOS_SEG << 4
        lea     di, [si + 0x20]
        mov     dl, 0x9B
        call    set_desc16
        mov     ax, ss
        movzx   eax, ax
        shl     eax, 4
        lea     di, [si + 0x28]
        mov     dl, 0x93
        call    set_desc16
        lgdt    [es:si + 0x08]      ; 16-bit operand: a 24-bit base (byte 5 is the access byte)
        mov     dx, ss
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     0x20:.pm
.pm:    mov     ax, 0x28
        mov     ss, ax
        mov     ax, 0x10
        mov     ds, ax
        mov     ax, 0x18
        mov     es, ax
        xor     si, si
        xor     di, di
        rep     movsw
        mov     ax, 0x28            ; 64 KiB limits for real mode again
        mov     ds, ax
        mov     es, ax
        mov     eax, cr0
        and     al, 0xFE
        mov     cr0, eax
        jmp     BIOS_SEG:.rm
.rm:    mov     ss, dx
        popf
        jnz     .a20kept
        xor     ah, ah
        call    a20_set
.a20kept:
        pop     es
        pop     ds
        popad
        xor     ah, ah
        sti
        clc
        jmp     iret_cf

; 89h: switch to protected mode. BH/BL = PIC vector bases, ES:SI = GDT
; with the caller's IDT (08h GDT, 10h IDT, 18h DS, 20h ES, 28h SS, 30h CS);
; this BIOS fills 38h with its own code segment. Returns to CS = 30h.
pm_switch89:
        cli
        mov     ah, 1
        call    a20_set
        lea     di, [si + 0x38]
        mov     eax, BIOS_SEG << 4
        mov     dl, 0x9B
        call    set_desc16
        lgdt    [es:si + 0x08]
        lidt    [es:si + 0x10]
        mov     al, 0x11
        out     PIC1_CMD, al
        out     PIC2_CMD, al
        mov     al, bh
        out     PIC1_DATA, al
        mov     al, bl
        out     PIC2_DATA, al
        mov     al, 0x04
        out     PIC1_DATA, al
        mov     al, 0x02
        out     PIC2_DATA, al
        mov     al, 0x01
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     al, 0xFF
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     0x38:.pm
.pm:    mov     ax, 0x18
        mov     ds, ax
        mov     ax, 0x20
        mov     es, ax
        mov     ax, 0x28
        mov     ss, ax
        pop     bp                  ; the caller's IP; drop CS and FLAGS
        add     sp, 4
        push    word 0x30
        push    bp
        xor     ah, ah
        retf

; ---- APM 1.2 ----
APM_VERSION     equ 0x0102

apm_service:
        cmp     al, 0x00
        je      .check
        cmp     al, 0x03
        je      .connect32
        cmp     al, 0x02
        je      .no16
        cmp     al, 0x10
        ja      .unsupported
        call    apm_common
        jmp     iret_cf
.check: test    bx, bx
        jnz     .baddev
        mov     ax, APM_VERSION
        mov     bx, 0x504D          ; "PM"
        mov     cx, 0x0002          ; 32-bit protected-mode interface
        clc
        jmp     iret_cf
.connect32:
        test    bx, bx
        jnz     .baddev
        mov     ax, BIOS_SEG        ; 32-bit code segment (real-mode base)
        mov     ebx, apm32_entry
        mov     cx, BIOS_SEG        ; 16-bit code segment
        mov     dx, BDA_SEG         ; data segment
        mov     esi, 0xFFFFFFFF     ; both code segment lengths 64 KiB
        mov     di, 0x0100
        clc
        jmp     iret_cf
.no16:  mov     ah, 0x06
        stc
        jmp     iret_cf
.baddev:
        mov     ah, 0x09
        stc
        jmp     iret_cf
.unsupported:
        mov     ah, 0x86
        stc
        jmp     iret_cf

; The APM functions shared by the real-mode and 32-bit interfaces.
; AL = function; returns CF and registers.
apm_common:
        cmp     al, 0x05            ; CPU idle: wait for the next interrupt
        jne     .n1
        sti
        hlt
        clc
        ret
.n1:    cmp     al, 0x07
        jne     .n2
        cmp     cx, 0x0003          ; off: not possible from here
        jb      .ok
        mov     ah, 0x60
        stc
        ret
.n2:    cmp     al, 0x0A            ; power status: on AC, no battery
        jne     .n3
        mov     bx, 0x01FF
        mov     cx, 0x80FF
        mov     dx, 0xFFFF
        clc
        ret
.n3:    cmp     al, 0x0B            ; no power-management events
        jne     .n4
        mov     ah, 0x80
        stc
        ret
.n4:    cmp     al, 0x0C
        jne     .n5
        xor     cx, cx
        clc
        ret
.n5:    cmp     al, 0x0E
        jne     .n6
        mov     ax, APM_VERSION
        clc
        ret
.n6:    cmp     al, 0x10
        jne     .ok
        xor     bl, bl
        xor     cx, cx
        clc
        ret
.ok:    xor     ah, ah
        clc
        ret

; The 32-bit entry point (far call from 32-bit protected mode, CPL 0).
        bits    32
apm32_entry:
        pushfd
        push    ebp
        call    apm32_dispatch
        pop     ebp
        jc      .err
        popfd
        clc
        retf
.err:   popfd
        stc
        retf
apm32_dispatch:
        cmp     al, 0x05
        jne     .n1
        sti
        hlt
        clc
        ret
.n1:    cmp     al, 0x0A
        jne     .n2
        mov     bx, 0x01FF
        mov     cx, 0x80FF
        mov     dx, 0xFFFF
        clc
        ret
.n2:    cmp     al, 0x0B
        jne     .n3
        mov     ah, 0x80
        stc
        ret
.n3:    cmp     al, 0x0E
        jne     .n4
        mov     ax, APM_VERSION
        clc
        ret
.n4:    cmp     al, 0x07
        jne     .ok
        cmp     cx, 3
        jb      .ok
        mov     ah, 0x60
        stc
        ret
.ok:    xor     ah, ah
        clc
        ret
        bits    16
