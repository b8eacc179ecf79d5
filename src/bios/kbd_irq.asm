; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the keyboard. POST sets up the 8042 (self test, translation to
; scan code set 1, IRQ 1) and resets the keyboard; IRQ 1 (INT 09h) turns
; set 1 scan codes into the BIOS key codes of the shift state and queues
; them for INT 16h: shift and lock keys, E0/E1 prefixes, Alt+keypad codes,
; Ctrl-Break, Pause, SysReq, Print Screen, Ctrl-Alt-Del, and INT 15h 4Fh
; (intercept). Spec: IBM PC AT Technical Reference (keyboard BIOS, scan
; code and character code tables), IBM PS/2 Technical Reference (8042).

section fseg

; ---- POST ----
kbd_post:
        push    ds
        mov     cx, 16              ; drain whatever is waiting
.drain: in      al, KBC_STATUS
        test    al, 0x01
        jz      .st
        in      al, KBC_DATA
        loop    .drain
.st:    cli
        call    kbc_wait_input
        mov     al, 0xAA            ; controller self test
        out     KBC_STATUS, al
        call    kbc_wait_output
        jc      .absent
        in      al, KBC_DATA
        cmp     al, 0x55
        jne     .absent
        mov     al, 0x60            ; command byte: translate, system flag, no IRQs yet
        mov     ah, 0x64
        call    kbc_command
        mov     al, 0xFF            ; keyboard reset: FAh, then AAh after its self test
        call    kbd_send
        jc      .nokbd
        call    kbc_wait_output
        jc      .nokbd
        call    kbc_wait_output
        in      al, KBC_DATA
        call    ds_ebda
        or      byte [ebda.kbd_ok], 0x01    ; bit 0: a keyboard answered
.nokbd: ; Is a PS/2 mouse port there? (A9h: interface test, 00h = good)
        call    kbc_wait_input
        mov     al, 0xA9
        out     KBC_STATUS, al
        call    kbc_wait_output
        jc      .cmd
        in      al, KBC_DATA
        test    al, al
        jnz     .cmd
        mov     ax, BDA_SEG
        mov     ds, ax
        or      word [BDA_EQUIP], 0x0004
.cmd:   mov     al, 0x60            ; translate, system flag, keyboard IRQ; mouse off
        mov     ah, 0x65
        call    kbc_command
.absent:
        sti
        pop     ds
        ret

; CF = 1 if the BIOS had polled a byte from the 8042 since the last IRQ 1;
; the mark is cleared.
kbc_clear_polled:
        push    ds
        call    ds_ebda
        test    byte [ebda.kbd_ok], 0x02
        jz      .no
        and     byte [ebda.kbd_ok], ~0x02
        pop     ds
        stc
        ret
.no:    pop     ds
        clc
        ret

; 8042 command AL with data byte AH.
kbc_command:
        call    kbc_wait_input
        out     KBC_STATUS, al
        call    kbc_wait_input
        mov     al, ah
        out     KBC_DATA, al
        ret

; ---- IRQ 1 ----
int09_handler:
        pusha
        push    ds
        push    es
        mov     ax, BDA_SEG
        mov     ds, ax
        ; Mouse bytes are IRQ 12's. An empty output buffer is either a byte
        ; the BIOS polled away (its edge stayed latched in the PIC: drop it)
        ; or one a hooked handler read before chaining here (use it).
        in      al, KBC_STATUS
        test    al, 0x01
        jz      .empty
        test    al, 0x20
        jnz     .eoi
        call    kbc_clear_polled
        jmp     .read
.empty: call    kbc_clear_polled
        jc      .eoi
.read:  in      al, KBC_DATA
        mov     ah, 0x4F            ; let INT 15h see (or eat) the scan code
        stc
        int     0x15
        jnc     .eoi
        cmp     al, 0xE0
        je      .prefix_e0
        cmp     al, 0xE1
        je      .prefix_e1
        cmp     al, 0xFA
        je      .ack
        cmp     al, 0xFE
        je      .resend
        cmp     al, 0x00
        je      .eoi
        cmp     al, 0xFF
        je      .eoi
        mov     bl, [BDA_KBFLAG2]
        and     byte [BDA_KBFLAG2], ~(KF2_E0 | KF2_E1)
        test    bl, KF2_E1
        jz      .noe1
        ; Pause is E1 1D 45: act on the 45, ignore the rest of the sequence.
        cmp     al, 0x45
        jne     .e1more
        call    .eoi_only
        or      byte [BDA_KBFLAG1], 0x08
        sti
.pause: test    byte [BDA_KBFLAG1], 0x08
        jz      .out
        hlt
        jmp     .pause
.e1more:
        cmp     al, 0x1D
        jne     .eoi
        or      byte [BDA_KBFLAG2], KF2_E1    ; still in the sequence
        jmp     .eoi
.noe1:  mov     bh, bl
        and     bh, KF2_E0          ; BH = E0 seen
        mov     ah, al
        and     al, 0x7F            ; AL = key, AH bit 7 = release
        ; A key press ends Pause.
        test    byte [BDA_KBFLAG1], 0x08
        jz      .nopause
        test    ah, 0x80
        jnz     .eoi
        and     byte [BDA_KBFLAG1], ~0x08
        jmp     .eoi
.nopause:
        call    kbd_shift_keys      ; CF = 1: handled
        jc      .eoi
        test    ah, 0x80
        jnz     .eoi                ; other releases mean nothing
        mov     cl, [BDA_KBFLAG0]
        ; Ctrl-Alt-Del: warm boot.
        cmp     al, 0x53
        jne     .n1
        mov     ch, cl
        and     ch, KF_CTRL | KF_ALT
        cmp     ch, KF_CTRL | KF_ALT
        jne     .n1
        mov     word [BDA_RESETFLAG], 0x1234
        call    .eoi_only           ; POST starts with IRQ 1 out of service
        jmp     BIOS_SEG:0xFFF0
.n1:    ; Ctrl-Break (Ctrl + Scroll Lock key or Ctrl + E0 46).
        cmp     al, 0x46
        jne     .n2
        test    cl, KF_CTRL
        jz      .n2
        mov     ax, [BDA_KBSTART]
        mov     [BDA_KBHEAD], ax
        mov     [BDA_KBTAIL], ax
        mov     byte [BDA_BREAK], 0x80
        call    .eoi_only
        int     0x1B
        xor     ax, ax
        call    kbd_put
        jmp     .out
.n2:    ; SysReq (Alt + Print Screen gives 54h).
        cmp     al, 0x54
        jne     .n3
        call    .eoi_only
        mov     ax, 0x8500
        sti
        int     0x15
        jmp     .out
.n3:    ; Print Screen: E0 37 (without Ctrl).
        cmp     al, 0x37
        jne     .n4
        test    bh, bh
        jz      .n4
        test    cl, KF_CTRL
        jnz     .n4
        call    .eoi_only
        sti
        int     0x05
        jmp     .out
.n4:    call    kbd_translate       ; AX = key code, 0 = none
        test    ax, ax
        jz      .eoi
        call    kbd_put
        jmp     .eoi
.prefix_e0:
        or      byte [BDA_KBFLAG2], KF2_E0
        jmp     .eoi
.prefix_e1:
        or      byte [BDA_KBFLAG2], KF2_E1
        jmp     .eoi
.ack:   or      byte [BDA_KBFLAG3], 0x10
        jmp     .eoi
.resend:
        or      byte [BDA_KBFLAG3], 0x20
.eoi:   cli
        call    .eoi_only
.out:   pop     es
        pop     ds
        popa
        iret
.eoi_only:
        push    ax
        mov     al, PIC_EOI
        out     PIC1_CMD, al
        pop     ax
        ret

; Shift, Ctrl, Alt and the lock keys. AL = key, AH bit 7 = release, BH =
; E0 prefix. CF = 1 when the key was one of them (nothing to queue).
kbd_shift_keys:
        cmp     al, 0x2A
        je      .lshift
        cmp     al, 0x36
        je      .rshift
        cmp     al, 0x1D
        je      .ctrl
        cmp     al, 0x38
        je      .alt
        cmp     al, 0x3A
        je      .caps
        cmp     al, 0x45
        je      .num
        cmp     al, 0x46
        je      .scroll
        cmp     al, 0x52
        je      .insert
        clc
        ret
.lshift:
        test    bh, bh              ; E0 2A: a fake shift around grey keys
        jnz     .done
        mov     cl, KF_LSHIFT
        jmp     .flag0
.rshift:
        test    bh, bh
        jnz     .done
        mov     cl, KF_RSHIFT
.flag0: or      [BDA_KBFLAG0], cl
        test    ah, 0x80
        jz      .done
        not     cl
        and     [BDA_KBFLAG0], cl
        jmp     .done
.ctrl:  mov     cl, 0x01            ; left Ctrl in 40:18, right in 40:96
        mov     di, BDA_KBFLAG1
        test    bh, bh
        jz      .c1
        mov     cl, KF2_RCTRL
        mov     di, BDA_KBFLAG2
.c1:    call    .setclr
        mov     cl, [BDA_KBFLAG1]
        and     cl, 0x01
        test    byte [BDA_KBFLAG2], KF2_RCTRL
        jz      .c2
        or      cl, 0x01
.c2:    and     byte [BDA_KBFLAG0], ~KF_CTRL
        shl     cl, 2
        or      [BDA_KBFLAG0], cl
        jmp     .done
.alt:   mov     cl, 0x02
        mov     di, BDA_KBFLAG1
        test    bh, bh
        jz      .a1
        mov     cl, KF2_RALT
        mov     di, BDA_KBFLAG2
.a1:    call    .setclr
        mov     cl, [BDA_KBFLAG1]
        shr     cl, 1
        and     cl, 0x01
        test    byte [BDA_KBFLAG2], KF2_RALT
        jz      .a2
        or      cl, 0x01
.a2:    and     byte [BDA_KBFLAG0], ~KF_ALT
        shl     cl, 3
        or      [BDA_KBFLAG0], cl
        ; Releasing Alt after keypad digits types the character.
        test    ah, 0x80
        jz      .done
        test    cl, cl
        jnz     .done
        mov     al, [BDA_ALTNUM]
        test    al, al
        jz      .done
        mov     byte [BDA_ALTNUM], 0
        xor     ah, ah
        call    kbd_put
        jmp     .done
.caps:  mov     cx, (KF_CAPS << 8) | 0x40
        jmp     .lock
.num:   test    bh, bh
        jnz     .done
        mov     cx, (KF_NUM << 8) | 0x20
        jmp     .lock
.scroll:
        test    byte [BDA_KBFLAG0], KF_CTRL
        jnz     .notmine            ; Ctrl-Break
        mov     cx, (KF_SCROLL << 8) | 0x10
        ; Toggle CH in 40:17 on the first press; CL in 40:18 while held.
.lock:  test    ah, 0x80
        jnz     .lrel
        test    [BDA_KBFLAG1], cl
        jnz     .done               ; typematic repeat
        or      [BDA_KBFLAG1], cl
        xor     [BDA_KBFLAG0], ch
        jmp     .done
.lrel:  not     cl
        and     [BDA_KBFLAG1], cl
        jmp     .done
.insert:
        ; Keypad 0 types a digit with Num Lock (xor Shift); Insert toggles.
        test    bh, bh
        jnz     .ins
        call    kbd_numpad_digits
        jnz     .notmine
.ins:   test    ah, 0x80
        jnz     .insrel
        test    byte [BDA_KBFLAG1], 0x80
        jnz     .notmine
        or      byte [BDA_KBFLAG1], 0x80
        xor     byte [BDA_KBFLAG0], KF_INSERT
        jmp     .notmine            ; and queue the Insert key too
.insrel:
        and     byte [BDA_KBFLAG1], 0x7F
        jmp     .done
.notmine:
        clc
        ret
.done:  stc
        ret
; Set (press) or clear (release) bits CL of the byte at DS:DI.
.setclr:
        test    ah, 0x80
        jnz     .clr
        or      [di], cl
        ret
.clr:   not     cl
        and     [di], cl
        not     cl
        ret

; ZF = 0 when the keypad types digits (Num Lock xor Shift).
kbd_numpad_digits:
        push    ax
        mov     al, [BDA_KBFLAG0]
        mov     ah, al
        and     al, KF_NUM
        setnz   al
        and     ah, KF_LSHIFT | KF_RSHIFT
        setnz   ah
        xor     al, ah
        pop     ax
        ret

; Queue key AX at the buffer tail; a full buffer drops it.
kbd_put:
        push    bx
        push    si
        mov     bx, [BDA_KBTAIL]
        mov     si, bx
        call    kbd_next
        cmp     bx, [BDA_KBHEAD]
        je      .full
        mov     [si], ax
        mov     [BDA_KBTAIL], bx
.full:  pop     si
        pop     bx
        ret

%include "kbd_tables.asm"
