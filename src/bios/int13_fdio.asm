; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the INT 40h diskette functions on top of the FDC primitives
; of int13_floppy.asm: the dispatcher, sector transfers (one command per
; track piece, a bounce sector where DMA would cross a 64 KiB boundary),
; format, parameters, drive type and change line; the medium is found by
; fd_media.asm. Spec: IBM PC AT Technical Reference (INT 13h diskette
; services, status codes); Intel 82077AA datasheet (READ DATA, WRITE
; DATA, FORMAT TRACK).

section fseg

int13_floppy:
        sti
        cld
        pushad
        push    ds
        push    es
        mov     bp, sp
        push    word BDA_SEG
        pop     ds
        cmp     ah, 0x01
        je      .status
        cmp     ah, 0x08
        je      .params
        cmp     ah, 0x15
        je      .type
        cmp     dl, 1
        ja      .bad
        cmp     ah, 0x00
        je      .reset
        cmp     ah, 0x02
        jb      .bad
        cmp     ah, 0x04
        jbe     .rw
        cmp     ah, 0x05
        je      .format
        cmp     ah, 0x16
        je      .change
        cmp     ah, 0x17
        je      .set_type
        cmp     ah, 0x18
        je      .set_media
.bad:   mov     ah, FD_ST_BADCMD
        jmp     .done
.reset: call    fd_reset_controller
        xor     ah, ah
        jmp     .done
.status:
        mov     ah, [BDA_FD_STATUS]
        mov     [bp + R_AH], ah
        jmp     .cf
.rw:    test    al, al
        jz      .bad
        push    ax
        call    fd_prepare
        pop     bx
        jc      .done
        mov     ax, bx
        mov     bx, [bp + R_BX]
        call    fd_transfer
        mov     [bp + R_AL], al
        jmp     .done
.format:
        call    fd_format
        jmp     .done
.params:
        call    fd_params
        jmp     .out
.type:  call    fd_drive_type
        cmp     dl, 1
        ja      .t0
        test    al, al
        jz      .t0
        mov     byte [bp + R_AH], 0x02      ; diskette with change line
        jmp     .clc
.t0:    mov     byte [bp + R_AH], 0x00
.clc:   and     byte [bp + R_FLAGS], 0xFE
        jmp     .out
.change:
        call    fd_drive_type
        mov     ah, FD_ST_TIMEOUT
        test    al, al
        jz      .done
        call    fd_motor_on
        call    fd_motor_off_later
        mov     dx, FDC_DIR
        in      al, dx
        xor     ah, ah
        test    al, 0x80
        jz      .done
        mov     ah, FD_ST_CHANGED
        jmp     .done
.set_type:
        ; AL: 1 = 360K medium in 360K drive, 2 = 360K in 1.2M, 3 = 1.2M, 4 = 720K
        mov     bx, 0x0902
        cmp     al, 3
        jne     .st
        mov     bx, 0x0F00
.st:    call    fd_set_media
        xor     ah, ah
        jmp     .done
.set_media:
        ; CH = last cylinder, CL = sectors per track: find the medium's rate
        mov     bl, 2
        and     cl, 0x3F
        cmp     cl, 9
        je      .sm
        mov     bl, 0
        cmp     cl, 15
        je      .sm
        cmp     cl, 18
        je      .sm
        mov     bl, 3
        cmp     cl, 36
        je      .sm
        mov     ah, FD_ST_NOMEDIA
        jmp     .done
.sm:    mov     bh, cl
        call    fd_set_media
        mov     al, 1               ; a table with the right sectors per track
        cmp     cl, 9
        je      .smt
        mov     al, 2
        cmp     cl, 15
        je      .smt
        mov     al, 4
        cmp     cl, 18
        je      .smt
        mov     al, 5
.smt:   call    fd_param_table
        mov     [bp + R_DI], di
        mov     word [bp + R_ES], BIOS_SEG
        xor     ah, ah
.done:  mov     [BDA_FD_STATUS], ah
        mov     [bp + R_AH], ah
.cf:    and     byte [bp + R_FLAGS], 0xFE
        test    ah, ah
        jz      .out
        or      byte [bp + R_FLAGS], 0x01
.out:   pop     es
        pop     ds
        popad
        iret

; Move AL sectors from cylinder CH, sector CL, head DH of drive DL to or
; from ES:BX (AH = 2 read, 3 write, 4 verify). Returns AL = sectors moved
; and AH = status (CF = 1 on error).
FT_OP   equ -2
FT_SPT  equ -4
FT_HDS  equ -6
FT_CNT  equ -8
fd_transfer:
        push    bp
        mov     bp, sp
        sub     sp, 8
        push    si
        push    di
        movzx   si, ah
        mov     [bp + FT_OP], si
        movzx   si, al
        mov     [bp + FT_CNT], si   ; sectors left
        xor     di, di              ; sectors done
        push    ds
        call    ds_ebda
        movzx   si, dl
        movzx   ax, byte [ebda.fd_spt + si]
        mov     [bp + FT_SPT], ax
        mov     al, [ebda.fd_heads + si]
        mov     [bp + FT_HDS], ax
        pop     ds
        mov     ax, es
        movzx   ebx, bx
        movzx   eax, ax
        shl     eax, 4
        add     ebx, eax            ; EBX = linear buffer address
        and     cl, 0x3F
.next:  cmp     word [bp + FT_CNT], 0
        je      .ok
        ; sectors left on this track
        mov     ax, [bp + FT_SPT]
        sub     al, cl
        inc     al
        cmp     al, [bp + FT_SPT]
        jbe     .t1
        mov     al, 1               ; a sector beyond the track: let the FDC say so
.t1:    xor     ah, ah
        cmp     ax, [bp + FT_CNT]
        jbe     .t2
        mov     ax, [bp + FT_CNT]
.t2:    ; sectors before the next 64 KiB boundary
        push    ax
        mov     eax, ebx
        neg     ax                  ; bytes to the boundary (0 = 64 KiB)
        shr     ax, 9
        mov     si, ax
        pop     ax
        test    si, si
        jz      .t3
        cmp     si, ax
        jae     .t4
        mov     ax, si
        jmp     .t4
.t3:    ; the boundary is inside the next sector (or the buffer starts at it)
        mov     si, bx
        and     si, 0xFFFF
        jz      .t4a                ; aligned on 64 KiB: a full 64 KiB is fine
        mov     ax, 1
        call    fd_sector_bounced
        jc      .fail
        jmp     .moved
.t4a:   cmp     ax, 128
        jbe     .t4
        mov     ax, 128
.t4:    call    fd_sectors_direct
        jc      .fail
.moved: ; AX sectors moved: advance the buffer, the count and the address
        add     di, ax
        sub     [bp + FT_CNT], ax
        movzx   esi, ax
        shl     esi, 9
        add     ebx, esi
        add     cl, al
        cmp     cl, [bp + FT_SPT]
        jbe     .next
        mov     cl, 1
        inc     dh
        cmp     dh, [bp + FT_HDS]
        jb      .next
        xor     dh, dh
        inc     ch
        jmp     .next
.ok:    xor     ah, ah
        clc
        jmp     .r
.fail:  stc
.r:     call    fd_motor_off_later  ; (flags kept)
        mov     [bp + FT_CNT], di
        pop     di
        pop     si
        mov     al, [bp + FT_CNT]
        mov     sp, bp
        pop     bp
        ret

; AX sectors between the FDC and linear EBX (no 64 KiB boundary inside),
; in fd_transfer's frame. CF = 1 with AH = status on failure.
fd_sectors_direct:
        push    ax
        call    fd_seek
        jc      .seek
        push    cx
        mov     cx, ax
        shl     cx, 9               ; bytes (0 = 64 KiB)
        call    fd_dma_mode
        call    fd_dma_setup
        pop     cx
        pop     ax
        push    ax
        call    fd_rw_command
        jc      .err
        pop     ax
        ret
.err:   pop     si                  ; drop the count; AH = status, CF = 1
        ret
.seek:  pop     ax
        mov     ah, 0x40
        stc
        ret

; One sector through the EBDA bounce buffer, in fd_transfer's frame.
fd_sector_bounced:
        push    ebx
        push    cx
        push    ds
        call    ds_ebda
        mov     ax, ds
        movzx   eax, ax
        shl     eax, 4
        add     eax, ebda.bounce
        pop     ds
        push    eax                 ; bounce buffer, linear
        cmp     byte [bp + FT_OP], 3
        jne     .nocopy
        mov     esi, ebx            ; write: caller's data into the bounce buffer
        mov     edi, eax
        call    fd_copy512
.nocopy:
        pop     ebx
        push    ebx
        call    fd_seek
        jc      .seek
        mov     cx, 512
        call    fd_dma_mode
        call    fd_dma_setup
        pop     ebx
        pop     cx
        push    cx
        mov     ax, 1
        call    fd_rw_command
        jc      .r
        cmp     byte [bp + FT_OP], 2
        jne     .r1
        mov     esi, ebx            ; read: the sector to the caller's buffer
        pop     cx
        pop     edi
        push    edi
        push    cx
        call    fd_copy512
.r1:    mov     ax, 1
        clc
.r:     pop     cx
        pop     ebx
        ret
.seek:  pop     ebx
        mov     ah, 0x40
        stc
        jmp     .r

; Copy 512 bytes from linear ESI to linear EDI (both below 1 MiB + 64 KiB).
fd_copy512:
        push    ds
        push    es
        push    cx
        push    esi
        push    edi
        mov     eax, esi
        shr     eax, 4
        mov     ds, ax
        and     si, 0x0F
        mov     eax, edi
        shr     eax, 4
        mov     es, ax
        and     di, 0x0F
        mov     cx, 512
        cld
        rep     movsb
        pop     edi
        pop     esi
        pop     cx
        pop     es
        pop     ds
        ret

; AL = DMA mode for the operation at [bp + FT_OP].
fd_dma_mode:
        mov     al, 0x46            ; read: the FDC writes memory
        cmp     byte [bp + FT_OP], 3
        jne     .v
        mov     al, 0x4A            ; write: the FDC reads memory
.v:     cmp     byte [bp + FT_OP], 4
        jne     .r
        mov     al, 0x42            ; verify: no memory cycles
.r:     ret

; READ DATA or WRITE DATA of AX sectors from CH/DH/CL on drive DL (DMA
; already set up); the result lands in 40:42. CF = 1 with AH = status.
fd_rw_command:
        push    cx
        push    ax
        mov     al, 0x46            ; MFM READ DATA
        cmp     byte [bp + FT_OP], 3
        jne     .c
        mov     al, 0x45            ; MFM WRITE DATA
.c:     call    fd_out
        mov     al, dh
        shl     al, 2
        or      al, dl
        call    fd_out
        mov     al, ch
        call    fd_out
        mov     al, dh
        call    fd_out
        mov     al, cl
        call    fd_out
        mov     al, 2               ; 512 bytes
        call    fd_out
        pop     ax
        push    ax
        add     al, cl
        dec     al                  ; EOT: the last sector of this piece
        call    fd_out
        mov     al, 0x1B
        call    fd_out
        mov     al, 0xFF
        call    fd_out
        mov     cx, 36
        call    fd_wait_irq
        jc      .to
        call    fd_read_result
        jc      .to
        call    fd_result_status
        pop     cx
        mov     al, cl
        pop     cx
        ret
.to:    call    fd_reset_controller
        pop     ax
        pop     cx
        mov     ah, FD_ST_TIMEOUT
        stc
        ret

; 05h: format track CH, head DH of drive DL with AL sectors; ES:BX = the
; C, H, R, N address fields. Returns AH = status.
fd_format:
        push    ax
        call    fd_drive_type
        test    al, al
        jz      .none
        call    fd_motor_on
        movzx   si, dl
        test    byte [BDA_FD_MEDIA + si], 0x10
        jnz     .rate
        call    fd_detect           ; an unformatted diskette: the drive's own medium
        jnc     .rate
        call    fd_drive_type
        movzx   bx, al
        shl     bx, 1
        mov     di, [cs:fd_probe + bx]
        mov     bx, [cs:di]         ; BL = rate, BH = sectors per track
        call    fd_set_media
.rate:  push    ds
        call    ds_ebda
        mov     al, [ebda.fd_rate + si]
        pop     ds
        call    fd_set_rate
        call    fd_seek
        jc      .seek
        pop     ax
        push    ax
        push    cx
        movzx   cx, al
        shl     cx, 2
        mov     ax, es
        movzx   eax, ax
        shl     eax, 4
        movzx   ebx, word [bp + R_BX]
        add     ebx, eax
        mov     al, 0x4A
        call    fd_dma_setup
        pop     cx
        mov     al, 0x4D            ; MFM FORMAT TRACK
        call    fd_out
        mov     al, dh
        shl     al, 2
        or      al, dl
        call    fd_out
        mov     al, 2
        call    fd_out
        pop     ax
        call    fd_out              ; sectors per track
        push    ds
        xor     si, si
        mov     ds, si
        lds     si, [0x1E * 4]
        mov     al, [si + 7]        ; gap length for format
        mov     ah, [si + 8]        ; filler byte
        pop     ds
        call    fd_out
        mov     al, ah
        call    fd_out
        mov     cx, 36
        call    fd_wait_irq
        jc      .to
        call    fd_read_result
        jc      .to
        call    fd_result_status
        call    fd_motor_off_later
        ret
.to:    call    fd_reset_controller
        mov     ah, FD_ST_TIMEOUT
        ret
.seek:  pop     ax
        mov     ah, 0x40
        ret
.none:  pop     ax
        mov     ah, FD_ST_TIMEOUT
        ret

; 08h: drive parameters into the INT 40h frame.
fd_params:
        mov     al, [BDA_EQUIP]
        xor     ah, ah
        test    al, 1
        jz      .cnt
        shr     al, 6
        inc     al
        mov     ah, al
.cnt:   mov     [bp + R_DL], ah     ; number of drives
        mov     word [bp + R_AX], 0
        and     byte [bp + R_FLAGS], 0xFE
        mov     byte [BDA_FD_STATUS], 0
        call    fd_drive_type
        test    al, al
        jnz     .have
        mov     word [bp + R_BX], 0
        mov     word [bp + R_CX], 0
        mov     byte [bp + R_DH], 0
        mov     word [bp + R_ES], 0
        mov     word [bp + R_DI], 0
        ret
.have:  movzx   bx, al
        mov     [bp + R_BX], bx
        call    fd_param_table
        mov     [bp + R_DI], di
        mov     word [bp + R_ES], BIOS_SEG
        mov     ah, [cs:fd_type_cyls + bx]
        dec     ah
        mov     al, [cs:di + 4]     ; sectors per track
        mov     [bp + R_CX], ax
        mov     byte [bp + R_DH], 1
        ret
