; SPDX-License-Identifier: MIT
;
; Kiln BIOS: time of day. IRQ 0 (INT 08h) keeps the BIOS tick count at
; 40:6C with its midnight flag and the diskette motor time-out, then calls
; INT 1Ch; IRQ 8 (INT 70h) serves the RTC periodic interrupt for INT 15h
; 83h/86h waits and the alarm (INT 4Ah); INT 1Ah reads and sets the tick
; count, the RTC time, date and alarm, and forwards B1xxh to the PCI BIOS.
; Spec: IBM PC AT Technical Reference (INT 1Ah, MC146818A registers).

section fseg

TICKS_PER_DAY   equ 0x1800B0

; Return from an interrupt with the current CF in the caller's flags.
iret_cf:
        push    bp
        mov     bp, sp
        jc      .set
        and     byte [bp + 6], 0xFE
        pop     bp
        iret
.set:   or      byte [bp + 6], 0x01
        pop     bp
        iret

; Return from an interrupt with the current ZF in the caller's flags.
iret_zf:
        push    bp
        mov     bp, sp
        jz      .set
        and     byte [bp + 6], 0xBF
        pop     bp
        iret
.set:   or      byte [bp + 6], 0x40
        pop     bp
        iret

int08_handler:
        push    ds
        push    eax
        push    dx
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     eax, [BDA_TICKS]
        inc     eax
        cmp     eax, TICKS_PER_DAY
        jb      .store
        xor     eax, eax
        inc     byte [BDA_MIDNIGHT]
.store: mov     [BDA_TICKS], eax
        cmp     byte [BDA_FD_MOTOR_TO], 0
        je      .user
        dec     byte [BDA_FD_MOTOR_TO]
        jnz     .user
        and     byte [BDA_FD_MOTOR], 0xF0
        mov     dx, FDC_DOR
        mov     al, 0x0C            ; motors off, controller enabled, DMA/IRQ on
        out     dx, al
.user:  int     0x1C
        mov     al, PIC_EOI
        out     PIC1_CMD, al
        pop     dx
        pop     eax
        pop     ds
        iret

; IRQ 8: periodic interrupt (the 976 us tick of INT 15h waits) and alarm.
int70_handler:
        push    ds
        push    eax
        push    bx
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     al, 0x0C
        call    cmos_read           ; reading C acknowledges the interrupt
        mov     ah, al
        mov     al, 0x0B
        call    cmos_read
        and     ah, al              ; only the enabled sources
        test    ah, 0x40
        jz      .alarm
        test    byte [BDA_WAIT_FLAG], 0x01
        jz      .alarm
        sub     dword [BDA_WAIT_COUNT], 976
        jnc     .alarm
        ; Time is up: post the user's flag and stop the periodic interrupt.
        and     byte [BDA_WAIT_FLAG], 0xFE
        push    ds
        lds     bx, [BDA_WAIT_PTR]
        or      byte [bx], 0x80
        pop     ds
        push    ax
        mov     al, 0x0B
        call    cmos_read
        and     al, 0xBF
        mov     ah, al
        mov     al, 0x0B
        call    cmos_write
        pop     ax
.alarm: test    ah, 0x20
        jz      .eoi
        push    ax
        mov     al, PIC_EOI         ; the user's alarm runs with IRQ 8 serviced
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        sti
        int     0x4A
        cli
        pop     ax
        jmp     .done
.eoi:   mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
.done:  mov     al, 0x0D            ; leave the index on a harmless register
        out     CMOS_INDEX, al
        pop     bx
        pop     eax
        pop     ds
        iret

int1a_handler:
        cmp     ah, 0xB1
        jne     .time
        jmp     pcibios_handler
.time:  sti
        push    ds
        push    bx
        mov     bx, BDA_SEG
        mov     ds, bx
        cmp     ah, 0x00
        je      .get_ticks
        cmp     ah, 0x01
        je      .set_ticks
        cmp     ah, 0x02
        je      .get_time
        cmp     ah, 0x03
        je      .set_time
        cmp     ah, 0x04
        je      .get_date
        cmp     ah, 0x05
        je      .set_date
        cmp     ah, 0x06
        je      .set_alarm
        cmp     ah, 0x07
        je      .reset_alarm
        stc
        jmp     .ret
.get_ticks:
        cli
        mov     dx, [BDA_TICKS]
        mov     cx, [BDA_TICKS + 2]
        mov     al, [BDA_MIDNIGHT]
        mov     byte [BDA_MIDNIGHT], 0
        sti
        clc
        jmp     .ret
.set_ticks:
        cli
        mov     [BDA_TICKS], dx
        mov     [BDA_TICKS + 2], cx
        mov     byte [BDA_MIDNIGHT], 0
        sti
        clc
        jmp     .ret
.get_time:
        call    rtc_ready
        jc      .ret
        mov     al, 0x00
        call    cmos_read
        mov     dh, al
        mov     al, 0x02
        call    cmos_read
        mov     cl, al
        mov     al, 0x04
        call    cmos_read
        mov     ch, al
        mov     al, 0x0B
        call    cmos_read
        and     al, 0x01
        mov     dl, al
        clc
        jmp     .ret
.set_time:
        call    rtc_set_begin
        mov     al, 0x00
        mov     ah, dh
        call    cmos_write
        mov     al, 0x02
        mov     ah, cl
        call    cmos_write
        mov     al, 0x04
        mov     ah, ch
        call    cmos_write
        mov     al, 0x0B            ; 24-hour BCD, DST as the caller says
        call    cmos_read
        and     al, 0x60            ; keep PIE and AIE
        or      al, 0x02
        and     dl, 0x01
        or      al, dl
        mov     ah, al
        mov     al, 0x0B
        call    cmos_write
        clc
        jmp     .ret
.get_date:
        call    rtc_ready
        jc      .ret
        mov     al, 0x07
        call    cmos_read
        mov     dl, al
        mov     al, 0x08
        call    cmos_read
        mov     dh, al
        mov     al, 0x09
        call    cmos_read
        mov     cl, al
        mov     al, CMOS_CENTURY
        call    cmos_read
        mov     ch, al
        clc
        jmp     .ret
.set_date:
        call    rtc_set_begin
        mov     al, 0x07
        mov     ah, dl
        call    cmos_write
        mov     al, 0x08
        mov     ah, dh
        call    cmos_write
        mov     al, 0x09
        mov     ah, cl
        call    cmos_write
        mov     al, CMOS_CENTURY
        mov     ah, ch
        call    cmos_write
        mov     al, 0x0B
        call    cmos_read
        and     al, 0x7F            ; clear SET: the clock runs again
        mov     ah, al
        mov     al, 0x0B
        call    cmos_write
        clc
        jmp     .ret
.set_alarm:
        mov     al, 0x0B
        call    cmos_read
        test    al, 0x20
        stc
        jnz     .ret                ; an alarm is already set
        mov     al, 0x01
        mov     ah, dh
        call    cmos_write
        mov     al, 0x03
        mov     ah, cl
        call    cmos_write
        mov     al, 0x05
        mov     ah, ch
        call    cmos_write
        mov     al, 0x0B
        call    cmos_read
        or      al, 0x20
        mov     ah, al
        mov     al, 0x0B
        call    cmos_write
        in      al, PIC2_DATA
        and     al, 0xFE
        out     PIC2_DATA, al
        clc
        jmp     .ret
.reset_alarm:
        mov     al, 0x0B
        call    cmos_read
        and     al, 0x57            ; clear AIE (and SET)
        mov     ah, al
        mov     al, 0x0B
        call    cmos_write
        clc
.ret:   pop     bx
        pop     ds
        jmp     iret_cf

; CF = 0 when the RTC is running and not about to update; waits for the
; update-in-progress flag to clear (at most about 2 ms of an update).
rtc_ready:
        push    cx
        push    ax
        mov     cx, 0xFFFF
.w:     mov     al, 0x0A
        call    cmos_read
        test    al, 0x80
        jz      .ok
        loop    .w
        pop     ax
        pop     cx
        stc
        ret
.ok:    pop     ax
        pop     cx
        clc
        ret

; Stop the RTC's updates (B.SET) and put the divider in its normal state.
rtc_set_begin:
        push    ax
        mov     ax, 0x260A
        call    cmos_write
        mov     al, 0x0B
        call    cmos_read
        or      al, 0x82            ; SET, 24-hour
        and     al, 0xFB            ; BCD
        mov     ah, al
        mov     al, 0x0B
        call    cmos_write
        pop     ax
        ret
