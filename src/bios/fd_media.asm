; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the diskette in the drive: before a transfer, the drive is
; made ready (motor, change line) and an unknown or changed medium is
; identified by probing: the data rates the drive type can read (READ
; ID), 8 or 9 sectors per track (VERIFY of sector 9), one or two sides.
; Spec: Intel 82077AA datasheet (READ ID, VERIFY, DIR change line);
; IBM PC AT Technical Reference (media states in 40:90).

section fseg

; Medium of drive DL: rate BL, BH sectors per track, two sides, established.
fd_set_media:
        push    ds
        push    bx
        movzx   si, dl
        mov     al, bl
        ror     al, 2               ; rate in bits 7-6
        or      al, 0x17            ; established, "other" medium
        mov     [BDA_FD_MEDIA + si], al
        call    ds_ebda
        mov     [ebda.fd_rate + si], bl
        mov     [ebda.fd_spt + si], bh
        mov     byte [ebda.fd_heads + si], 2
        pop     bx
        pop     ds
        ret

; Drive DL ready for a transfer: motor on, medium known, data rate set.
; CF = 1 with AH = status on failure.
fd_prepare:
        call    fd_drive_type
        test    al, al
        jz      .none
        call    fd_motor_on
        movzx   si, dl
        push    dx
        mov     dx, FDC_DIR
        in      al, dx
        pop     dx
        test    al, 0x80
        jnz     .detect             ; the diskette was changed (or is missing)
        test    byte [BDA_FD_MEDIA + si], 0x10
        jnz     .rate
.detect:
        call    fd_detect
        jc      .r
.rate:  push    ds
        call    ds_ebda
        mov     al, [ebda.fd_rate + si]
        pop     ds
        call    fd_set_rate
        clc
.r:     ret
.none:  mov     ah, FD_ST_TIMEOUT
        stc
        ret

; Find the medium in drive DL (motor on): its data rate, sectors per
; track and sides. CF = 1 with AH = status when there is none.
fd_detect:
        push    bx
        push    cx
        push    dx
        push    si
        push    di
        movzx   si, dl
        and     byte [BDA_FD_MEDIA + si], 0xEF
        ; Step pulses clear the change line, unless no diskette is in.
        call    fd_recalibrate
        jc      .ctrl
        mov     cx, 0x0100
        push    dx
        xor     dh, dh
        call    fd_seek
        xor     ch, ch
        call    fd_seek
        pop     dx
        push    dx
        mov     dx, FDC_DIR
        in      al, dx
        pop     dx
        test    al, 0x80
        jnz     .nodisk
        ; Try the media this drive reads, best first.
        call    fd_drive_type
        movzx   bx, al
        shl     bx, 1
        mov     di, [cs:fd_probe + bx]
.try:   mov     al, [cs:di]
        cmp     al, 0xFF
        je      .unknown
        call    fd_set_rate
        xor     dh, dh
        call    fd_read_id
        jnc     .found
        add     di, 2
        jmp     .try
.found: mov     bl, [cs:di]
        mov     bh, [cs:di + 1]
        cmp     bh, 9               ; 8 or 9 sectors?
        jne     .sides
        mov     cx, 0x0009
        call    fd_verify_sector
        jnc     .sides
        mov     bh, 8
.sides: call    fd_set_media
        mov     dh, 1
        call    fd_read_id
        jnc     .ok
        push    ds
        call    ds_ebda
        mov     byte [ebda.fd_heads + si], 1
        pop     ds
.ok:    clc
        jmp     .r
.nodisk:
        mov     ah, FD_ST_TIMEOUT
        stc
        jmp     .r
.unknown:
        mov     ah, FD_ST_NOMEDIA
        stc
        jmp     .r
.ctrl:  call    fd_reset_controller
        mov     ah, 0x20
        stc
.r:     pop     di
        pop     si
        pop     dx
        pop     cx
        pop     bx
        ret

; READ ID on drive DL, head DH. CF = 1 when no ID was found.
fd_read_id:
        push    cx
        mov     al, 0x4A
        call    fd_out
        mov     al, dh
        shl     al, 2
        or      al, dl
        call    fd_out
        mov     cx, 12
        call    fd_wait_irq
        jc      .to
        call    fd_read_result
        jc      .to
        test    byte [BDA_FD_RESULT], 0xC0
        jz      .ok
        stc
.ok:    pop     cx
        ret
.to:    call    fd_reset_controller
        stc
        pop     cx
        ret

; VERIFY sector CL of cylinder CH, head 0, drive DL. CF = 1 if it is not there.
fd_verify_sector:
        push    cx
        push    cx
        mov     al, 0x56
        call    fd_out
        mov     al, dl
        call    fd_out
        pop     cx
        mov     al, ch
        call    fd_out
        xor     al, al
        call    fd_out
        mov     al, cl
        call    fd_out
        mov     al, 2
        call    fd_out
        mov     al, cl
        call    fd_out
        mov     al, 0x1B
        call    fd_out
        mov     al, 0xFF
        call    fd_out
        mov     cx, 12
        call    fd_wait_irq
        jc      .to
        call    fd_read_result
        jc      .to
        test    byte [BDA_FD_RESULT], 0xC0
        jz      .ok
        stc
.ok:    pop     cx
        ret
.to:    call    fd_reset_controller
        stc
        pop     cx
        ret

