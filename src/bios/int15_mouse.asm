; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the PS/2 pointing device interface, INT 15h C2xxh (enable,
; reset, sample rate, resolution, type, initialise, status and scaling,
; far-call handler) and IRQ 12 (INT 74h), which gathers the mouse's packets
; and calls the handler with status, X and Y data on the stack. Commands
; go through the 8042 (D4h) with the keyboard held off. State lives in the
; EBDA (22h-2Fh). Spec: IBM PS/2 BIOS Interface Technical Reference
; (INT 15h C2h, INT 74h); IBM PS/2 Mouse Technical Reference (commands).

section fseg

MS_HANDLER      equ ebda.mouse + 0  ; far pointer
MS_FLAGS        equ ebda.mouse + 4  ; bit 0 enabled, bit 7 handler set
MS_SIZE         equ ebda.mouse + 5  ; packet size
MS_INDEX        equ ebda.mouse + 6
MS_DATA         equ ebda.mouse + 8  ; up to 6 bytes

mouse_rates:    db 10, 20, 40, 60, 80, 100, 200

mouse_service:
        push    ds
        push    bx
        push    cx
        push    dx
        call    ds_ebda
        cli
        cmp     al, 0x07
        ja      .badfn
        push    ax
        call    kbc_wait_input
        mov     al, 0xA8            ; the auxiliary port's clock on
        out     KBC_STATUS, al
        pop     ax
        cmp     al, 0x00
        je      .enable
        cmp     al, 0x01
        je      .reset
        cmp     al, 0x02
        je      .rate
        cmp     al, 0x03
        je      .resol
        cmp     al, 0x04
        je      .type
        cmp     al, 0x05
        je      .init
        cmp     al, 0x06
        je      .ext
        ; 07h: handler ES:BX
        mov     [MS_HANDLER], bx
        mov     [MS_HANDLER + 2], es
        and     byte [MS_FLAGS], 0x7F
        mov     cx, es
        or      cx, bx
        jz      .ok
        or      byte [MS_FLAGS], 0x80
        jmp     .ok
.enable:
        cmp     bh, 1
        ja      .badin
        je      .on
        mov     al, 0xF5            ; disable reporting
        call    mouse_cmd
        jc      .iface
        and     byte [MS_FLAGS], 0xFE
        call    mouse_irq_off
        jmp     .ok
.on:    test    byte [MS_FLAGS], 0x80
        jz      .nohandler
        mov     byte [MS_INDEX], 0
        call    mouse_irq_on
        mov     al, 0xF4            ; enable reporting
        call    mouse_cmd
        jc      .iface
        or      byte [MS_FLAGS], 0x01
        jmp     .ok
.init:  cmp     bh, 1
        jb      .badin
        cmp     bh, 6
        ja      .badin
        mov     [MS_SIZE], bh
.reset: mov     byte [MS_INDEX], 0
        and     byte [MS_FLAGS], 0xFE
        call    mouse_irq_off
        mov     al, 0xFF
        call    mouse_cmd
        jc      .iface
        call    mouse_byte          ; AAh: self test passed
        jc      .iface
        call    mouse_byte          ; device ID
        jc      .iface
        cmp     byte [MS_SIZE], 0
        jne     .rs
        mov     byte [MS_SIZE], 3
.rs:    pop     dx
        pop     cx
        pop     bx
        mov     bh, al
        mov     bl, 0xAA
        push    bx
        push    cx
        push    dx
        jmp     .ok
.rate:  cmp     bh, 6
        ja      .badin
        movzx   bx, bh
        mov     al, 0xF3
        call    mouse_cmd
        jc      .iface
        mov     al, [cs:mouse_rates + bx]
        call    mouse_cmd
        jc      .iface
        jmp     .ok
.resol: cmp     bh, 3
        ja      .badin
        mov     al, 0xE8
        call    mouse_cmd
        jc      .iface
        mov     al, bh
        call    mouse_cmd
        jc      .iface
        jmp     .ok
.type:  mov     al, 0xF2
        call    mouse_cmd
        jc      .iface
        call    mouse_byte
        jc      .iface
        pop     dx
        pop     cx
        pop     bx
        mov     bh, al
        push    bx
        push    cx
        push    dx
        jmp     .ok
.ext:   cmp     bh, 0
        jne     .scale
        mov     al, 0xE9            ; status request: status, resolution, rate
        call    mouse_cmd
        jc      .iface
        call    mouse_byte
        jc      .iface
        mov     bl, al
        call    mouse_byte
        jc      .iface
        mov     cl, al
        call    mouse_byte
        jc      .iface
        mov     dl, al
        add     sp, 6               ; BX, CX, DX are results
        jmp     .okr
.scale: cmp     bh, 2
        ja      .badin
        mov     al, 0xE6            ; 1:1
        cmp     bh, 1
        je      .sc
        mov     al, 0xE7            ; 2:1
.sc:    call    mouse_cmd
        jc      .iface
.ok:    pop     dx
        pop     cx
        pop     bx
.okr:   pop     ds
        sti
        xor     ah, ah
        clc
        jmp     iret_cf
.badfn: mov     ah, 0x01
        jmp     .err
.badin: mov     ah, 0x02
        jmp     .err
.iface: mov     ah, 0x03
        jmp     .err
.nohandler:
        mov     ah, 0x05
.err:   pop     dx
        pop     cx
        pop     bx
        pop     ds
        sti
        stc
        jmp     iret_cf

; Send AL to the mouse and take its acknowledge (interrupts off). CF = 1
; when it does not answer FAh.
mouse_cmd:
        push    ax
        call    kbc_wait_input
        mov     al, 0xAD            ; keyboard off while the mouse talks
        out     KBC_STATUS, al
        call    kbc_wait_input
        mov     al, 0xD4            ; next byte to the auxiliary device
        out     KBC_STATUS, al
        call    kbc_wait_input
        pop     ax
        push    ax
        out     KBC_DATA, al
        call    mouse_byte
        jc      .r
        cmp     al, 0xFA
        je      .r                  ; CF = 0
        stc
.r:     pushf
        call    kbc_wait_input
        mov     al, 0xAE
        out     KBC_STATUS, al
        popf
        pop     ax
        ret

; Next byte from the auxiliary device into AL. CF = 1 on time-out.
mouse_byte:
        push    cx
        push    dx
        mov     dx, 8
.o:     mov     cx, 0xFFFF
.w:     in      al, KBC_STATUS
        and     al, 0x21
        cmp     al, 0x21            ; output full, from the mouse
        je      .ok
        loop    .w
        dec     dx
        jnz     .o
        pop     dx
        pop     cx
        stc
        ret
.ok:    in      al, KBC_DATA
        pop     dx
        pop     cx
        clc
        ret

; 8042 command byte: auxiliary interrupt and clock on (or off), IRQ 12 unmasked.
mouse_irq_on:
        push    ax
        call    kbc_get_command
        and     al, ~0x20
        or      al, 0x02
        call    kbc_set_command
        in      al, PIC2_DATA
        and     al, ~0x10
        out     PIC2_DATA, al
        in      al, PIC1_DATA
        and     al, ~0x04
        out     PIC1_DATA, al
        pop     ax
        ret

mouse_irq_off:
        push    ax
        call    kbc_get_command
        and     al, ~0x02
        call    kbc_set_command
        pop     ax
        ret

kbc_get_command:
        call    kbc_wait_input
        mov     al, 0x20
        out     KBC_STATUS, al
        call    kbc_wait_output
        in      al, KBC_DATA
        ret

kbc_set_command:
        push    ax
        call    kbc_wait_input
        mov     al, 0x60
        out     KBC_STATUS, al
        call    kbc_wait_input
        pop     ax
        out     KBC_DATA, al
        ret

; IRQ 12: one byte of a packet; a whole packet goes to the handler as
; (status, X, Y, 0) words on the stack.
int74_handler:
        push    ds
        pusha
        call    ds_ebda
        in      al, KBC_STATUS
        and     al, 0x21
        cmp     al, 0x21            ; a byte, and from the mouse
        jne     .eoi
        in      al, KBC_DATA
        test    byte [MS_FLAGS], 0x01
        jz      .eoi
        movzx   bx, byte [MS_INDEX]
        cmp     bx, 0
        jne     .store
        test    al, 0x08            ; the first byte always has bit 3 set
        jz      .eoi
.store: mov     [MS_DATA + bx], al
        inc     bx
        mov     [MS_INDEX], bl
        cmp     bl, [MS_SIZE]
        jb      .eoi
        mov     byte [MS_INDEX], 0
        test    byte [MS_FLAGS], 0x80
        jz      .eoi
        movzx   ax, byte [MS_DATA]
        push    ax
        mov     al, [MS_DATA + 1]
        push    ax
        mov     al, [MS_DATA + 2]
        push    ax
        xor     ax, ax
        push    ax
        sti
        call    far [MS_HANDLER]
        cli
        add     sp, 8
.eoi:   mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        popa
        pop     ds
        iret
