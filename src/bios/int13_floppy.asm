; SPDX-License-Identifier: MIT
;
; Kiln BIOS: diskette services (INT 40h, reached through INT 13h for
; drives 00h-7Fh) on the 82077AA at 3F0h with DMA channel 2 and IRQ 6
; (INT 0Eh): reset, status, read/write/verify (split at track ends and
; 64 KiB DMA boundaries, through a bounce sector in the EBDA), format,
; drive parameters, type and change line. Drive types come from CMOS 10h;
; the medium's data rate, sectors per track and sides are found by
; probing (READ ID, VERIFY). Spec: Intel 82077AA datasheet (commands,
; MSR protocol), Intel 8237A datasheet, IBM PC AT Technical Reference.

section fseg

FDC_CCR         equ 0x3F7
FD_ST_TIMEOUT   equ 0x80
FD_ST_BADCMD    equ 0x01
FD_ST_CHANGED   equ 0x06
FD_ST_NOMEDIA   equ 0x0C

; Per CMOS drive type 1-5: cylinders, and the diskette parameter table.
fd_type_cyls:   db 0, 40, 80, 80, 80, 80
fd_type_table:  dw 0, fdpt_360, fdpt_1200, fdpt_720, diskette_params, fdpt_2880
fdpt_360:       db 0xDF, 0x02, 0x25, 0x02,  9, 0x2A, 0xFF, 0x50, 0xF6, 0x0F, 0x08
fdpt_1200:      db 0xDF, 0x02, 0x25, 0x02, 15, 0x1B, 0xFF, 0x54, 0xF6, 0x0F, 0x08
fdpt_720:       db 0xDF, 0x02, 0x25, 0x02,  9, 0x2A, 0xFF, 0x50, 0xF6, 0x0F, 0x08
fdpt_2880:      db 0xAF, 0x02, 0x25, 0x02, 36, 0x1B, 0xFF, 0x50, 0xF6, 0x0F, 0x08
; Media to try per drive type, best first: data rate (CCR), sectors per track.
fd_probe:       dw 0, fdp_1, fdp_2, fdp_3, fdp_4, fdp_5
fdp_1:          db 2, 9, 0xFF
fdp_2:          db 0, 15, 2, 9, 1, 9, 0xFF
fdp_3:          db 2, 9, 0xFF
fdp_4:          db 0, 18, 2, 9, 0xFF
fdp_5:          db 3, 36, 0, 18, 2, 9, 0xFF

; ---- IRQ 6 ----
int0e_handler:
        push    ds
        push    ax
        mov     ax, BDA_SEG
        mov     ds, ax
        or      byte [BDA_FD_RECAL], 0x80
        mov     al, PIC_EOI
        out     PIC1_CMD, al
        pop     ax
        pop     ds
        iret

; ---- POST ----
floppy_post:
        push    ds
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     al, CMOS_FLOPPY
        call    cmos_read
        mov     ah, al
        xor     cx, cx              ; drives
        mov     bl, 0
        test    ah, 0xF0
        jz      .b
        inc     cx
        or      bl, 0x07            ; drive 0: determined, multi-rate, change line
.b:     test    ah, 0x0F
        jz      .eq
        inc     cx
        or      bl, 0x70
.eq:    mov     [BDA_FD_INFO], bl
        and     word [BDA_EQUIP], ~0x00C1
        jcxz    .none
        mov     ax, cx
        dec     ax
        shl     ax, 6
        or      ax, 0x0001
        or      [BDA_EQUIP], ax
        call    fd_reset_controller
        ; INT 1Eh: the table of drive A's type
        mov     al, CMOS_FLOPPY
        call    cmos_read
        shr     al, 4
        call    fd_param_table
        push    ds
        xor     ax, ax
        mov     ds, ax
        mov     [0x1E * 4], di
        pop     ds
.none:  pop     ds
        ret

; CMOS type of drive DL (0-1) -> AL (0: none).
fd_drive_type:
        mov     al, CMOS_FLOPPY
        call    cmos_read
        test    dl, dl
        jnz     .b
        shr     al, 4
.b:     and     al, 0x0F
        cmp     dl, 1
        jbe     .r
        xor     al, al
.r:     ret

; CS:DI = diskette parameter table for CMOS type AL.
fd_param_table:
        push    bx
        movzx   bx, al
        cmp     bl, 5
        jbe     .ok
        mov     bl, 4
.ok:    test    bl, bl
        jnz     .t
        mov     bl, 4
.t:     shl     bx, 1
        mov     di, [cs:fd_type_table + bx]
        pop     bx
        ret

; ---- FDC primitives (DS = BDA) ----

; Send byte AL to the FIFO. CF = 1 on time-out.
fd_out:
        push    cx
        push    dx
        push    ax
        mov     dx, FDC_MSR
        mov     cx, 0xFFFF
.w:     in      al, dx
        and     al, 0xC0
        cmp     al, 0x80
        je      .go
        loop    .w
        pop     ax
        pop     dx
        pop     cx
        stc
        ret
.go:    pop     ax
        inc     dx
        out     dx, al
        pop     dx
        pop     cx
        clc
        ret

; Read a result byte into AL. CF = 1 on time-out.
fd_in:
        push    cx
        push    dx
        mov     dx, FDC_MSR
        mov     cx, 0xFFFF
.w:     in      al, dx
        and     al, 0xC0
        cmp     al, 0xC0
        je      .go
        loop    .w
        pop     dx
        pop     cx
        stc
        ret
.go:    inc     dx
        in      al, dx
        pop     dx
        pop     cx
        clc
        ret

; Wait for IRQ 6 for at most CX ticks. CF = 1 on time-out.
fd_wait_irq:
        push    eax
        push    ebx
        movzx   ebx, cx
        add     ebx, [BDA_TICKS]
.w:     cli
        test    byte [BDA_FD_RECAL], 0x80
        jnz     .ok
        mov     eax, [BDA_TICKS]
        cmp     eax, ebx
        jae     .to
        sti
        hlt
        jmp     .w
.ok:    and     byte [BDA_FD_RECAL], 0x7F
        sti
        pop     ebx
        pop     eax
        clc
        ret
.to:    sti
        pop     ebx
        pop     eax
        stc
        ret

; SENSE INTERRUPT STATUS: AL = ST0, AH = present cylinder.
fd_sense:
        mov     al, 0x08
        call    fd_out
        jc      .r
        call    fd_in
        jc      .r
        mov     ah, al
        call    fd_in
        xchg    al, ah
.r:     ret

; Reset the controller, acknowledge its interrupt, SPECIFY the drive timings.
fd_reset_controller:
        push    ax
        push    cx
        push    dx
        and     byte [BDA_FD_RECAL], 0x70   ; every drive needs recalibrating
        mov     dx, FDC_DOR
        mov     al, [BDA_FD_MOTOR]
        and     al, 0x30
        out     dx, al              ; reset asserted (motors kept)
        mov     cx, 4
        call    io_delay
        or      al, 0x0C
        out     dx, al
        mov     cx, 18
        call    fd_wait_irq
        mov     cx, 4               ; the polling interrupt: one status per drive
.s:     call    fd_sense
        loop    .s
        mov     al, 0x03            ; SPECIFY from the INT 1Eh table
        call    fd_out
        push    ds
        push    si
        xor     si, si
        mov     ds, si
        lds     si, [0x1E * 4]
        mov     al, [si]
        mov     ah, [si + 1]
        pop     si
        pop     ds
        call    fd_out
        mov     al, ah
        and     al, 0xFE            ; DMA mode
        call    fd_out
        mov     byte [BDA_FD_RATE], 0xFF    ; rate unknown: set before the next command
        pop     dx
        pop     cx
        pop     ax
        ret

; Motor on and drive DL selected (no spin-up wait: the medium is ready at once).
fd_motor_on:
        push    ax
        push    cx
        push    dx
        mov     byte [BDA_FD_MOTOR_TO], 0xFF
        mov     al, 0x10
        mov     cl, dl
        shl     al, cl
        or      [BDA_FD_MOTOR], al
        and     byte [BDA_FD_MOTOR], 0x33
        mov     al, [BDA_FD_MOTOR]
        and     al, 0x30
        or      al, 0x0C
        or      al, dl
        mov     dx, FDC_DOR
        out     dx, al
        pop     dx
        pop     cx
        pop     ax
        ret

fd_motor_off_later:
        mov     byte [BDA_FD_MOTOR_TO], FD_MOTOR_TICKS
        ret

; Data rate AL (CCR code) for the next command.
fd_set_rate:
        push    dx
        push    ax
        mov     ah, al
        shl     ah, 6
        cmp     [BDA_FD_RATE], ah
        je      .r
        mov     [BDA_FD_RATE], ah
        mov     dx, FDC_CCR
        out     dx, al
.r:     pop     ax
        pop     dx
        ret

; Recalibrate drive DL. CF = 1 on failure.
fd_recalibrate:
        push    ax
        push    bx
        push    cx
        mov     al, 0x07
        call    fd_out
        mov     al, dl
        call    fd_out
        mov     cx, 36
        call    fd_wait_irq
        jc      .r
        call    fd_sense
        jc      .r
        test    al, 0xC0
        jnz     .fail
        movzx   bx, dl
        mov     byte [BDA_FD_CYL + bx], 0
        mov     al, 1
        mov     cl, dl
        shl     al, cl
        or      [BDA_FD_RECAL], al
        clc
        jmp     .r
.fail:  stc
.r:     pop     cx
        pop     bx
        pop     ax
        ret

; Seek drive DL, head DH to cylinder CH. CF = 1 on failure.
fd_seek:
        push    ax
        push    bx
        push    cx
        mov     al, 1
        mov     cl, dl
        shl     al, cl
        test    [BDA_FD_RECAL], al
        jnz     .cal
        call    fd_recalibrate
        jc      .r
.cal:   pop     cx
        push    cx
        movzx   bx, dl
        cmp     [BDA_FD_CYL + bx], ch
        je      .ok
        mov     al, 0x0F
        call    fd_out
        mov     al, dh
        shl     al, 2
        or      al, dl
        call    fd_out
        mov     al, ch
        call    fd_out
        mov     cx, 36
        call    fd_wait_irq
        jc      .r
        call    fd_sense
        jc      .r
        pop     cx
        push    cx
        test    al, 0xC0
        jnz     .fail
        cmp     ah, ch
        jne     .fail
        mov     [BDA_FD_CYL + bx], ch
.ok:    clc
        jmp     .r
.fail:  stc
.r:     pop     cx
        pop     bx
        pop     ax
        ret

; Program DMA channel 2: mode AL, physical address EBX, CX bytes (> 0).
fd_dma_setup:
        push    ax
        push    dx
        mov     ah, al
        mov     al, 0x06
        out     DMA1_MASK, al
        out     DMA1_CLEARFF, al
        mov     al, ah
        out     DMA1_MODE, al
        mov     al, bl
        out     DMA1_ADDR2, al
        mov     al, bh
        out     DMA1_ADDR2, al
        mov     eax, ebx
        shr     eax, 16
        out     DMA_PAGE2, al
        out     DMA1_CLEARFF, al
        mov     ax, cx
        dec     ax
        out     DMA1_COUNT2, al
        mov     al, ah
        out     DMA1_COUNT2, al
        mov     al, 0x02
        out     DMA1_MASK, al
        pop     dx
        pop     ax
        ret

; Status byte for the result in 40:42 (ST0, ST1, ST2) -> AH, CF.
fd_result_status:
        mov     al, [BDA_FD_RESULT]
        test    al, 0xC0
        jz      .ok
        mov     al, [BDA_FD_RESULT + 1]
        mov     ah, 0x03            ; not writable
        test    al, 0x02
        jnz     .err
        mov     ah, 0x08            ; DMA overrun
        test    al, 0x10
        jnz     .err
        mov     ah, 0x10            ; CRC error
        test    al, 0x20
        jnz     .err
        mov     ah, 0x04            ; sector not found
        test    al, 0x84
        jnz     .err
        mov     ah, 0x02            ; address mark not found
        test    al, 0x01
        jnz     .err
        mov     ah, 0x20            ; controller failure
.err:   stc
        ret
.ok:    xor     ah, ah
        clc
        ret

; Read the 7 result bytes into 40:42. CF = 1 on time-out.
fd_read_result:
        push    cx
        push    di
        mov     di, BDA_FD_RESULT
        mov     cx, 7
.r:     call    fd_in
        jc      .out
        mov     [di], al
        inc     di
        loop    .r
        clc
.out:   pop     di
        pop     cx
        ret
