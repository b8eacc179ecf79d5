; SPDX-License-Identifier: MIT
;
; Kiln BIOS: INT 16h keyboard services: read and check a key (00h/01h for
; 83/84-key software, 10h/11h for enhanced keys), shift flags (02h, 12h),
; typematic rate (03h), store a keystroke (05h), capabilities (09h),
; keyboard ID (0Ah); and the keyboard LEDs, sent from here rather than from
; the IRQ handler. The buffer is filled by INT 09h (kbd_irq.asm).
; Spec: IBM PC AT Technical Reference and IBM PS/2 BIOS Interface
; Technical Reference (INT 16h); Ralf Brown's Interrupt List.

section fseg

int16_handler:
        sti
        push    ds
        push    bx
        mov     bx, BDA_SEG
        mov     ds, bx
        call    kbd_update_leds
        call    serial_console_poll
        cmp     ah, 0x00
        je      .read
        cmp     ah, 0x10
        je      .read_ext
        cmp     ah, 0x01
        je      .check
        cmp     ah, 0x11
        je      .check_ext
        cmp     ah, 0x02
        je      .flags
        cmp     ah, 0x12
        je      .flags_ext
        cmp     ah, 0x03
        je      .typematic
        cmp     ah, 0x05
        je      .store
        cmp     ah, 0x09
        je      .caps
        cmp     ah, 0x0A
        je      .id
        cmp     ah, 0x92
        je      .caps92
.ret:   pop     bx
        pop     ds
        iret

.read:  call    kbd_wait_key
        call    kbd_pop
        call    kbd_to_standard
        jc      .read               ; an enhanced-only key: dropped
        jmp     .ret
.read_ext:
        call    kbd_wait_key
        call    kbd_pop
        call    kbd_to_extended
        jmp     .ret
.check: call    serial_console_poll
        cli
        mov     bx, [BDA_KBHEAD]
        cmp     bx, [BDA_KBTAIL]
        je      .none
        mov     ax, [bx]
        call    kbd_to_standard
        jnc     .found
        call    kbd_pop             ; drop it and look at the next one
        jmp     .check
.check_ext:
        cli
        mov     bx, [BDA_KBHEAD]
        cmp     bx, [BDA_KBTAIL]
        je      .none
        mov     ax, [bx]
        call    kbd_to_extended
.found: sti
        or      bx, 1               ; ZF = 0: a key is waiting
        pop     bx
        pop     ds
        jmp     iret_zf
.none:  sti
        pop     bx
        pop     ds
        cmp     ax, ax              ; ZF = 1
        jmp     iret_zf
.flags: mov     al, [BDA_KBFLAG0]
        jmp     .ret
.flags_ext:
        mov     al, [BDA_KBFLAG1]
        mov     ah, al
        and     ah, 0x73            ; Scroll/Num/Caps down (bits 4-6), left Ctrl/Alt (0-1)
        test    al, 0x04
        jz      .f1
        or      ah, 0x80            ; SysReq down
.f1:    mov     bl, [BDA_KBFLAG2]
        and     bl, KF2_RCTRL | KF2_RALT
        or      ah, bl
        mov     al, [BDA_KBFLAG0]
        jmp     .ret
.typematic:
        cmp     al, 0x05
        jne     .ret
        push    ax
        mov     al, bh
        and     al, 0x03
        shl     al, 5
        mov     ah, bl
        and     ah, 0x1F
        or      ah, al
        mov     al, 0xF3
        cli
        call    kbd_send
        mov     al, ah
        call    kbd_send
        sti
        pop     ax
        jmp     .ret
.store: cli
        mov     bx, [BDA_KBTAIL]
        push    bx
        call    kbd_next
        cmp     bx, [BDA_KBHEAD]
        je      .full
        mov     [BDA_KBTAIL], bx
        pop     bx
        mov     [bx], cx
        sti
        xor     al, al
        jmp     .ret
.full:  pop     bx
        sti
        mov     al, 1
        jmp     .ret
.caps:  mov     al, 0x31            ; 03h/05h, 0Ah, 10h-12h
        jmp     .ret
.id:    add     sp, 2               ; BX is the result: drop the saved one
        pop     ds
        mov     bx, 0x41AB          ; MF2 keyboard, translated
        iret
.caps92:
        mov     ah, 0x80            ; 10h-12h supported
        jmp     .ret

; Wait until the buffer holds a key (sleeping between interrupts).
kbd_wait_key:
        call    serial_console_poll
        cli
        mov     bx, [BDA_KBHEAD]
        cmp     bx, [BDA_KBTAIL]
        jne     .have
        sti                         ; the interrupt shadow covers the HLT
        hlt
        jmp     kbd_wait_key
.have:  sti
        ret

; AX = the key at the head of the buffer, which is removed.
kbd_pop:
        cli
        mov     bx, [BDA_KBHEAD]
        mov     ax, [bx]
        call    kbd_next
        mov     [BDA_KBHEAD], bx
        sti
        ret

; BX = the buffer position after BX.
kbd_next:
        add     bx, 2
        cmp     bx, [BDA_KBEND]
        jb      .ok
        mov     bx, [BDA_KBSTART]
.ok:    ret

; Key AX as 83/84-key functions give it. CF = 1: the key only exists on
; the enhanced keyboard and is not returned.
kbd_to_standard:
        cmp     ah, 0xE0            ; keypad Enter and /
        jne     .n1
        mov     ah, 0x1C
        cmp     al, 0x2F
        jne     .ok
        mov     ah, 0x35
        jmp     .ok
.n1:    cmp     ah, 0x84
        jbe     .n2
        stc                         ; F11, F12 and the new Ctrl/Alt combinations
        ret
.n2:    cmp     al, 0xF0
        jne     .n3
        test    ah, ah
        jz      .ok
        stc
        ret
.n3:    cmp     al, 0xE0
        jne     .ok
        test    ah, ah
        jz      .ok
        xor     al, al              ; grey cursor keys look like the keypad's
.ok:    clc
        ret

; Key AX as the enhanced functions give it.
kbd_to_extended:
        cmp     al, 0xF0
        jne     .ok
        test    ah, ah
        jz      .ok
        xor     al, al
.ok:    ret

; Send the LED state when the lock flags changed (interrupts off while the
; keyboard answers). DS = BDA.
kbd_update_leds:
        push    ax
        mov     al, [BDA_KBFLAG0]
        shr     al, 4
        and     al, 0x07
        mov     ah, [BDA_KBFLAG3]
        and     ah, 0x07
        cmp     al, ah
        je      .done
        test    byte [BDA_KBFLAG3], 0x40
        jnz     .done
        push    ds
        call    ds_ebda
        test    byte [ebda.kbd_ok], 0x01
        pop     ds
        jz      .done
        pushf
        cli
        or      byte [BDA_KBFLAG3], 0x40
        mov     ah, al
        mov     al, 0xED
        call    kbd_send
        jc      .fail
        mov     al, ah
        call    kbd_send
.fail:  and     byte [BDA_KBFLAG3], 0xF8 & ~0x40
        or      [BDA_KBFLAG3], ah
        popf
.done:  pop     ax
        ret

; Send AL to the keyboard and wait for its acknowledge. CF = 1 without one.
; Call with interrupts off.
kbd_send:
        push    ax
        call    kbc_wait_input
        out     KBC_DATA, al
        call    kbc_wait_output
        jc      .out
        in      al, KBC_DATA
        cmp     al, 0xFA
        je      .out                ; CF = 0 from the compare
        stc
.out:   pop     ax
        ret
