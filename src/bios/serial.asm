; SPDX-License-Identifier: MIT
;
; Kiln BIOS: serial ports. Finds the 16550A UARTs at 3F8/2F8/3E8/2E8 for
; the BDA, sets COM1 to 115200 8N1 with FIFOs, and serves INT 14h
; (initialise, send, receive, status). COM1 also carries a copy of the
; INT 10h teletype output (serial console), so a headless machine shows
; the BIOS and DOS text. Spec: IBM PC AT Technical Reference (INT 14h),
; National Semiconductor PC16550D datasheet (registers).

section fseg

UART_LSR_DR     equ 0x01
UART_LSR_THRE   equ 0x20

serial_ports:   dw 0x3F8, 0x2F8, 0x3E8, 0x2E8

serial_post:
        push    ds
        push    es
        mov     ax, BDA_SEG
        mov     es, ax
        xor     bx, bx              ; ports found
        xor     si, si
.probe: mov     dx, [cs:serial_ports + si]
        add     dx, 7               ; scratch register
        mov     al, 0x5A
        out     dx, al
        in      al, dx
        cmp     al, 0x5A
        jne     .next
        mov     al, 0xA5
        out     dx, al
        in      al, dx
        cmp     al, 0xA5
        jne     .next
        sub     dx, 7
        mov     di, bx
        shl     di, 1
        mov     [es:BDA_COM + di], dx
        inc     bx
.next:  add     si, 2
        cmp     si, 8
        jb      .probe
        mov     ax, bx
        shl     ax, 9
        and     word [es:BDA_EQUIP], ~0x0E00
        or      [es:BDA_EQUIP], ax
        ; COM1 at 3F8: 115200 baud, 8N1, FIFOs, DTR and RTS; the serial console.
        cmp     word [es:BDA_COM], 0x3F8
        jne     .done
        mov     dx, 0x3FB
        mov     al, 0x80
        out     dx, al
        mov     dx, 0x3F8
        mov     al, 1
        out     dx, al
        inc     dx
        xor     al, al
        out     dx, al
        mov     dx, 0x3FB
        mov     al, 0x03
        out     dx, al
        mov     dx, 0x3FA
        mov     al, 0x07
        out     dx, al
        mov     dx, 0x3FC
        mov     al, 0x03
        out     dx, al
        mov     dx, 0x3F9
        xor     al, al
        out     dx, al
        call    ds_ebda
        mov     word [ebda.serial_mirror], 0x3F8
        mov     byte [ebda.serial_lcr], 0x03
.done:  pop     es
        pop     ds
        ret

; Copy character AL to the serial console, if there is one. The console
; ends for good once software programs the port itself (line control
; other than what this BIOS set, INT 14h included; interrupts enabled;
; loopback): the port is then someone else's. A transmitter that stays
; busy for long loses the character rather than hang the caller.
serial_mirror_putc:
        push    ds
        push    dx
        push    ecx
        push    ax
        call    ds_ebda
        mov     dx, [ebda.serial_mirror]
        test    dx, dx
        jz      .done
        add     dx, 3
        in      al, dx
        cmp     al, [ebda.serial_lcr]
        jne     .stop
        sub     dx, 2
        in      al, dx
        test    al, al
        jnz     .stop
        add     dx, 3
        in      al, dx
        test    al, 0x10
        jnz     .stop
        inc     dx
        mov     ecx, 0x40000
.wait:  in      al, dx
        test    al, UART_LSR_THRE
        jnz     .send
        dec     ecx
        jnz     .wait
        jmp     .done
.send:  sub     dx, 5
        pop     ax
        push    ax
        out     dx, al
.done:  pop     ax
        pop     ecx
        pop     dx
        pop     ds
        ret
.stop:  mov     word [ebda.serial_mirror], 0
        jmp     .done

; CF = 0 and DX = the console port when the serial console is still the
; BIOS's (same checks as serial_mirror_putc, which stops it otherwise).
serial_console_port:
        push    ds
        push    ax
        call    ds_ebda
        mov     dx, [ebda.serial_mirror]
        test    dx, dx
        jz      .no
        add     dx, 3
        in      al, dx
        cmp     al, [ebda.serial_lcr]
        jne     .no
        sub     dx, 2
        in      al, dx
        test    al, al
        jnz     .no
        dec     dx
        pop     ax
        pop     ds
        clc
        ret
.no:    pop     ax
        pop     ds
        stc
        ret

; Byte waiting on the console port DX -> AL, CF = 0; CF = 1 if none.
serial_getc:
        push    dx
        add     dx, 5
        in      al, dx
        sub     dx, 5
        test    al, UART_LSR_DR
        jz      .none
        in      al, dx
        pop     dx
        clc
        ret
.none:  pop     dx
        stc
        ret

; Keys typed on the serial console go into the keyboard buffer: ASCII
; through the key tables (so programs see the usual scan codes), DEL as
; Backspace, and the terminal sequences ESC [ A-D, H, F as the cursor keys.
; Bytes stay in the UART while the buffer is full, so that a fast typist (or
; a pasted line) waits there, held back by the host, instead of being lost.
; DS = BDA.
serial_console_poll:
        push    ax
        push    dx
        push    si
        call    serial_console_port
        jc      .r
.next:  call    kbd_buffer_full
        jc      .r
        call    serial_getc
        jc      .r
        cmp     al, 0x1B
        jne     .ascii
        call    serial_getc         ; a sequence arrives in one burst
        jc      .esc
        cmp     al, '['
        jne     .esc2
        call    serial_getc
        jc      .esc
        mov     si, serial_csi_keys
.csi:   cmp     byte [cs:si], 0
        je      .next
        cmp     al, [cs:si]
        je      .csik
        add     si, 2
        jmp     .csi
.csik:  mov     ah, [cs:si + 1]
        xor     al, al
        call    kbd_put
        jmp     .next
.esc2:  push    ax
        mov     ax, 0x011B
        call    kbd_put
        pop     ax
        jmp     .ascii
.esc:   mov     ax, 0x011B
        call    kbd_put
        jmp     .next
.ascii: cmp     al, 0x7F
        jne     .a1
        mov     al, 0x08
.a1:    call    serial_key_code
        call    kbd_put
        jmp     .next
.r:     pop     si
        pop     dx
        pop     ax
        ret

serial_csi_keys:
        db 'A', 0x48, 'B', 0x50, 'C', 0x4D, 'D', 0x4B, 'H', 0x47, 'F', 0x4F, 0

; CF = 1 when the keyboard buffer has no room for another key. DS = BDA.
kbd_buffer_full:
        push    bx
        mov     bx, [BDA_KBTAIL]
        call    kbd_next
        cmp     bx, [BDA_KBHEAD]
        pop     bx
        je      .full
        clc
        ret
.full:  stc
        ret

; AX = the key code of character AL: the first key whose normal, Shift or
; Ctrl code types it (scan code 0 if none does).
serial_key_code:
        push    si
        mov     si, 8
.k:     cmp     [cs:kbd_table + si], al
        je      .found
        cmp     [cs:kbd_table + si + 2], al
        je      .found2
        cmp     [cs:kbd_table + si + 4], al
        je      .found4
        add     si, 8
        cmp     si, 0x59 * 8
        jb      .k
        xor     ah, ah
        pop     si
        ret
.found4:
        add     si, 2
.found2:
        add     si, 2
.found: mov     ax, [cs:kbd_table + si]
        pop     si
        ret

; INT 14h. DX = port number 0-3.
int14_handler:
        sti
        push    ds
        push    bx
        push    cx
        push    si
        cmp     dx, 3
        ja      .bad
        mov     bx, BDA_SEG
        mov     ds, bx
        mov     si, dx
        mov     cl, [BDA_COM_TO + si]       ; timeout in about 1 s units
        shl     si, 1
        mov     si, [BDA_COM + si]
        test    si, si
        jz      .bad
        xchg    dx, si              ; DX = base port, SI = caller's DX
        cmp     ah, 0
        je      .init
        cmp     ah, 1
        je      .send
        cmp     ah, 2
        je      .recv
        cmp     ah, 3
        je      .status
        jmp     .restore
.init:  mov     bl, al
        add     dx, 3
        mov     al, 0x80
        out     dx, al              ; DLAB
        sub     dx, 3
        movzx   bx, bl
        shr     bx, 5
        shl     bx, 1
        mov     ax, [cs:baud_table + bx]
        out     dx, al
        inc     dx
        mov     al, ah
        out     dx, al
        add     dx, 2
        mov     al, bl
        and     al, 0x1F            ; word length, stop bits, parity map onto the LCR
        out     dx, al
        call    serial_note_lcr
        sub     dx, 3
        jmp     .status
.send:  mov     bl, al
        call    .wait_setup
.sw:    add     dx, 5
        in      al, dx
        sub     dx, 5
        test    al, UART_LSR_THRE
        jnz     .sok
        call    .expired
        jnc     .sw
        mov     ah, al
        or      ah, 0x80
        mov     al, bl
        jmp     .restore
.sok:   mov     al, bl
        out     dx, al
        add     dx, 5
        in      al, dx
        mov     ah, al
        mov     al, bl
        jmp     .restore
.recv:  call    .wait_setup
.rw:    add     dx, 5
        in      al, dx
        sub     dx, 5
        test    al, UART_LSR_DR
        jnz     .rok
        call    .expired
        jnc     .rw
        mov     ah, al
        or      ah, 0x80
        jmp     .restore
.rok:   and     al, 0x1E
        mov     ah, al
        in      al, dx
        jmp     .restore
.status:
        add     dx, 5
        in      al, dx
        mov     ah, al
        inc     dx
        in      al, dx
        jmp     .restore
.restore:
        mov     dx, si
        pop     si
        pop     cx
        pop     bx
        pop     ds
        iret
.bad:   mov     ah, 0x80
        pop     si
        pop     cx
        pop     bx
        pop     ds
        iret
; Timeout: CL x 18 ticks from now, kept in CX (low word of the target).
.wait_setup:
        mov     al, 18
        mul     cl
        add     ax, [BDA_TICKS]
        mov     cx, ax
        ret
; CF = 1 once the tick count passed CX.
.expired:
        push    ax
        mov     ax, [BDA_TICKS]
        sub     ax, cx
        cmp     ax, 0x8000
        pop     ax
        ret

baud_table:     dw 1047, 768, 384, 192, 96, 48, 24, 12

; INT 14h set line control AL on port DX+3: if that is the console port,
; the console follows the new settings (the port is still the BIOS's).
serial_note_lcr:
        push    ds
        push    dx
        call    ds_ebda
        sub     dx, 3
        cmp     dx, [ebda.serial_mirror]
        jne     .r
        mov     [ebda.serial_lcr], al
.r:     pop     dx
        pop     ds
        ret
