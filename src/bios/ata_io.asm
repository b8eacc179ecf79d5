; SPDX-License-Identifier: MIT
;
; Kiln BIOS: ATA/ATAPI data transfers for INT 13h and El Torito: PIO
; READ/WRITE/VERIFY SECTORS (LBA28, LBA48 EXT or CHS addressing) and the
; ATAPI PACKET protocol with byte-count-limited DRQ blocks, READ(10),
; TEST UNIT READY and REQUEST SENSE. The device entry is FS:SI (ata.asm).
; Spec: ATA/ATAPI-6 sections 8 (commands) and 9 (PIO data-in, data-out,
; non-data and PACKET protocols); SFF-8020i; SCSI MMC-2 (READ(10)).

section fseg

; ES:DI -> the same address with DI below 10h.
norm_es_di:
        push    ax
        push    di
        shr     di, 4
        mov     ax, es
        add     ax, di
        mov     es, ax
        pop     di
        and     di, 0x0F
        pop     ax
        ret

; Select the drive, load the task file for BX sectors at LBA EDX:EAX and
; issue the command for operation CL (0 read, 1 write, 2 verify).
ata_command:
        pushad
        movzx   bp, cl              ; BP = operation
        mov     ecx, edx            ; ECX:EAX = LBA
        push    ax
        mov     dx, [fs:si + atadev.ctrl]
        mov     al, 0x02            ; nIEN: this BIOS polls
        out     dx, al
        pop     ax
        mov     dx, [fs:si + atadev.iobase]
        add     dx, 6
        test    byte [fs:si + atadev.flags], ATAF_LBA48
        jz      .lba28
        test    ecx, ecx
        jnz     .lba48
        push    eax
        add     eax, ebx
        cmp     eax, 0x0FFFFFFF
        pop     eax
        jbe     .lba28
.lba48: push    eax
        mov     al, [fs:si + atadev.select]
        or      al, 0x40
        out     dx, al
        call    ata_delay400
        call    ata_wait
        pop     eax
        sub     dx, 4               ; sector count, then LBA 3-5: the previous contents
        push    eax
        mov     al, bh
        out     dx, al
        inc     dx
        shr     eax, 24
        out     dx, al              ; LBA 31-24
        inc     dx
        mov     al, cl
        out     dx, al              ; LBA 39-32
        inc     dx
        mov     al, ch
        out     dx, al              ; LBA 47-40
        pop     eax
        sub     dx, 3
        push    ax
        mov     al, bl
        out     dx, al
        pop     ax
        call    .low24
        mov     al, 0x24
        cmp     bp, 1
        jb      .cmd
        mov     al, 0x34
        je      .cmd
        mov     al, 0x42
        jmp     .cmd
.lba28: test    byte [fs:si + atadev.flags], ATAF_LBA
        jz      .chs
        push    eax
        shr     eax, 24
        and     al, 0x0F
        or      al, [fs:si + atadev.select]
        or      al, 0x40
        out     dx, al
        call    ata_delay400
        call    ata_wait
        pop     eax
        sub     dx, 4
        push    ax
        mov     al, bl
        out     dx, al
        pop     ax
        call    .low24
        jmp     .cmd28
.chs:   ; cylinder = LBA / (heads x sectors), head, sector from the rest
        movzx   ecx, word [fs:si + atadev.pspt]
        xor     edx, edx
        div     ecx
        inc     dx
        mov     di, dx              ; sector
        movzx   ecx, word [fs:si + atadev.pheads]
        xor     edx, edx
        div     ecx                 ; EAX = cylinder, DX = head
        mov     cx, ax
        mov     al, dl
        mov     dx, [fs:si + atadev.iobase]
        add     dx, 6
        or      al, [fs:si + atadev.select]
        out     dx, al
        call    ata_delay400
        call    ata_wait
        sub     dx, 4
        mov     al, bl
        out     dx, al
        inc     dx
        mov     ax, di
        out     dx, al
        inc     dx
        mov     al, cl
        out     dx, al
        inc     dx
        mov     al, ch
        out     dx, al
        add     dx, 2
.cmd28: mov     al, 0x20
        cmp     bp, 1
        jb      .cmd
        mov     al, 0x30
        je      .cmd
        mov     al, 0x40
.cmd:   mov     dx, [fs:si + atadev.iobase]
        add     dx, 7
        out     dx, al
        call    ata_delay400
        popad
        ret
; LBA bits 0-23 to the registers after the sector count at DX (DX ends at
; the command register).
.low24: inc     dx
        out     dx, al
        inc     dx
        mov     al, ah
        out     dx, al
        inc     dx
        shr     eax, 16
        out     dx, al
        add     dx, 2
        ret

; Move CX sectors at LBA EDX:EAX of disk FS:SI to or from ES:DI (BL = 0
; read, 1 write, 2 verify). Returns CX = sectors moved, AH = status, CF;
; AL is kept, the upper half of EAX is not.
RW_LBA  equ -24                     ; working LBA (qword)
RW_LEFT equ -26
RW_DONE equ -28
RW_N    equ -30                     ; sectors in the current command
RW_OP   equ -8                      ; the caller's BL
RW_AL   equ -16
ata_rw:
        push    bp
        mov     bp, sp
        push    es                  ; bp-2
        push    di                  ; bp-4
        push    ebx                 ; bp-8
        push    edx                 ; bp-12
        push    eax                 ; bp-16
        push    edx                 ; bp-20
        push    eax                 ; bp-24
        push    cx                  ; bp-26
        push    word 0              ; bp-28
        push    word 0              ; bp-30
        call    norm_es_di
.chunk: mov     bx, [bp + RW_LEFT]
        test    bx, bx
        jz      .ok
        cmp     bx, 128
        jbe     .c1
        mov     bx, 128
.c1:    mov     [bp + RW_N], bx
        mov     eax, [bp + RW_LBA]
        mov     edx, [bp + RW_LBA + 4]
        mov     cl, [bp + RW_OP]
        call    ata_command
.sect:  call    ata_wait
        jc      .timeout
        test    al, ATA_SR_ERR | ATA_SR_DF
        jnz     .err
        cmp     byte [bp + RW_OP], 2
        je      .verified           ; no data phase
        test    al, ATA_SR_DRQ
        jz      .err
        mov     dx, [fs:si + atadev.iobase]
        mov     cx, 256
        cmp     byte [bp + RW_OP], 0
        jne     .out
        rep     insw
        jmp     .moved
.out:   push    si
        mov     si, di
        es rep  outsw
        mov     di, si
        pop     si
.moved: call    norm_es_di
        inc     word [bp + RW_DONE]
        dec     bx
        jnz     .sect
        call    ata_wait            ; a write ends when the drive is not busy
        jc      .timeout
        test    al, ATA_SR_ERR | ATA_SR_DF
        jnz     .err
        jmp     .next
.verified:
        mov     bx, [bp + RW_N]
        add     [bp + RW_DONE], bx
.next:  movzx   ebx, word [bp + RW_N]
        sub     [bp + RW_LEFT], bx
        add     [bp + RW_LBA], ebx
        adc     dword [bp + RW_LBA + 4], 0
        jmp     .chunk
.timeout:
        mov     ah, 0x80
        stc
        jmp     .r
.err:   call    ata_error_status
        stc
        jmp     .r
.ok:    xor     ah, ah
        clc
.r:     mov     cx, [bp + RW_DONE]
        mov     al, [bp + RW_AL]
        mov     ebx, [bp + RW_OP]
        mov     edx, [bp - 12]
        mov     di, [bp - 4]
        mov     es, [bp - 2]
        mov     sp, bp
        pop     bp
        ret

; ---- ATAPI ----

; Run the 12-byte packet at SS:BX on the device FS:SI, skipping the first
; ECX bytes of the data it returns and storing the next EDX bytes at ES:DI
; (the rest is read and dropped). CF = 1 on error or time-out.
atapi_packet:
        pushad
        push    es
        call    norm_es_di
        mov     ebp, edx            ; bytes still to keep
        mov     dx, [fs:si + atadev.ctrl]
        mov     al, 0x02
        out     dx, al
        mov     dx, [fs:si + atadev.iobase]
        add     dx, 6
        mov     al, [fs:si + atadev.select]
        out     dx, al
        call    ata_delay400
        call    ata_wait
        jc      .fail
        sub     dx, 5
        xor     al, al
        out     dx, al              ; features: PIO
        add     dx, 3
        mov     al, 0xFE
        out     dx, al              ; byte count limit FFFEh
        inc     dx
        mov     al, 0xFF
        out     dx, al
        add     dx, 2
        mov     al, 0xA0            ; PACKET
        out     dx, al
        call    ata_delay400
        call    ata_wait
        jc      .fail
        test    al, ATA_SR_ERR
        jnz     .fail
        test    al, ATA_SR_DRQ
        jz      .fail
        sub     dx, 7
        push    cx
        mov     cx, 6
.pk:    mov     ax, [ss:bx]
        out     dx, ax
        add     bx, 2
        loop    .pk
        pop     cx
.data:  call    ata_delay400
        call    ata_wait
        jc      .fail
        test    al, ATA_SR_ERR
        jnz     .fail
        test    al, ATA_SR_DRQ
        jz      .done
        mov     dx, [fs:si + atadev.iobase]
        add     dx, 4
        in      al, dx
        mov     bl, al
        inc     dx
        in      al, dx
        mov     bh, al              ; BX = bytes in this block
        sub     dx, 5
        inc     bx
        shr     bx, 1               ; words
        push    si
        mov     si, bx
.w:     in      ax, dx
        cmp     ecx, 2
        jb      .keep
        sub     ecx, 2
        jmp     .wn
.keep:  cmp     ebp, 2
        jb      .wn
        stosw
        sub     ebp, 2
        cmp     di, 0x8000
        jb      .wn
        call    norm_es_di
.wn:    dec     si
        jnz     .w
        pop     si
        jmp     .data
.done:  pop     es
        popad
        clc
        ret
.fail:  pop     es
        popad
        stc
        ret

; READ(10) of BX 2048-byte blocks from LBA EAX: skip ECX bytes, keep EDX
; bytes at ES:DI. CF = 1 on error.
atapi_read:
        push    bp
        push    bx
        sub     sp, 12
        mov     bp, sp
        mov     dword [ss:bp], 0x00000028
        mov     dword [ss:bp + 4], 0
        mov     dword [ss:bp + 8], 0
        push    eax
        bswap   eax
        mov     [ss:bp + 2], eax
        pop     eax
        xchg    bl, bh
        mov     [ss:bp + 7], bx
        xchg    bl, bh
        mov     bx, bp
        call    atapi_packet
        lea     sp, [bp + 12]
        pop     bx
        pop     bp
        ret

; Wait until the drive FS:SI is ready with a disc in (TEST UNIT READY,
; REQUEST SENSE after each failure to clear UNIT ATTENTION). CF = 1 if not.
atapi_ready:
        pushad
        push    es
        mov     bp, 20
.try:   sub     sp, 12
        mov     bx, sp
        mov     dword [ss:bx], 0
        mov     dword [ss:bx + 4], 0
        mov     dword [ss:bx + 8], 0
        xor     ecx, ecx
        xor     edx, edx
        call    atapi_packet
        jnc     .ok
        mov     byte [ss:bx], 0x03  ; REQUEST SENSE, 18 bytes, all dropped
        mov     byte [ss:bx + 4], 18
        call    atapi_packet
        add     sp, 12
        push    cx
        mov     cx, 2
        call    wait_ticks
        pop     cx
        dec     bp
        jnz     .try
        pop     es
        popad
        stc
        ret
.ok:    add     sp, 12
        pop     es
        popad
        clc
        ret
