; SPDX-License-Identifier: MIT
;
; Kiln BIOS: ATA and ATAPI drives on the two legacy IDE channels (1F0h/3F6h,
; 170h/376h), polled with interrupts masked at the drive (nIEN). POST
; resets each channel, finds the devices by signature, reads IDENTIFY
; (PACKET) DEVICE and picks the BIOS geometry (LBA-assisted translation
; above 1024 cylinders). PIO sector reads and writes use LBA28, LBA48 or
; CHS as the drive supports; ATAPI commands stream their data with bytes
; skipped and kept, so 512-byte pieces of 2048-byte sectors need no
; buffer. Spec: ATA/ATAPI-6 (task file, PIO data-in/out, PACKET protocol,
; IDENTIFY words 1, 3, 6, 27-46, 49, 60-61, 83, 100-103), SFF-8020i.

section fseg

ATA_SR_BSY      equ 0x80
ATA_SR_DRDY     equ 0x40
ATA_SR_DF       equ 0x20
ATA_SR_DRQ      equ 0x08
ATA_SR_ERR      equ 0x01
ATA_SCRATCH_SEG equ 0x0100          ; IDENTIFY data during POST (0000:1000)

ata_io_ports:   dw 0x1F0, 0x170
ata_ctrl_ports: dw 0x3F6, 0x376

; Wait until BSY clears on the device at FS:SI (about 5 s at most).
; AL = status; CF = 1 on time-out.
ata_wait:
        push    ebx
        push    ds
        push    dx
        push    word BDA_SEG
        pop     ds
        mov     ebx, [BDA_TICKS]
        add     ebx, 91
        mov     dx, [fs:si + atadev.iobase]
        add     dx, 7
.w:     in      al, dx
        test    al, ATA_SR_BSY
        jz      .ok
        cmp     [BDA_TICKS], ebx
        jb      .w
        stc
        jmp     .r
.ok:    clc
.r:     pop     dx
        pop     ds
        pop     ebx
        ret

; About 400 ns: four reads of the alternate status register.
ata_delay400:
        push    ax
        push    dx
        mov     dx, [fs:si + atadev.ctrl]
        in      al, dx
        in      al, dx
        in      al, dx
        in      al, dx
        pop     dx
        pop     ax
        ret

; AH = BIOS status for an ATA error (status AL).
ata_error_status:
        mov     ah, 0x80
        test    al, ATA_SR_BSY
        jnz     .r
        mov     ah, 0xCC            ; write fault
        test    al, ATA_SR_DF
        jnz     .r
        push    dx
        mov     dx, [fs:si + atadev.iobase]
        inc     dx
        in      al, dx
        pop     dx
        mov     ah, 0x10            ; uncorrectable data error
        test    al, 0x40
        jnz     .r
        mov     ah, 0x04            ; sector not found
        test    al, 0x10
        jnz     .r
        mov     ah, 0x01            ; command aborted
        test    al, 0x04
        jnz     .r
        mov     ah, 0x20
.r:     ret

; ---- POST ----
ata_post:
        push    ds
        push    es
        call    ds_ebda
        xor     bx, bx              ; device slot 0-3
.chan:  mov     di, bx
        shr     di, 1
        shl     di, 1
        mov     dx, [cs:ata_io_ports + di]
        mov     cx, [cs:ata_ctrl_ports + di]
        add     dx, 7
        in      al, dx
        cmp     al, 0xFF
        je      .skip2              ; no channel there
        cmp     al, 0x7F
        je      .skip2              ; a channel without devices
        ; software reset of both devices, interrupts off
        xchg    dx, cx
        mov     al, 0x06
        out     dx, al
        push    cx
        mov     cx, 2
        call    io_delay
        pop     cx
        mov     al, 0x02
        out     dx, al
        xchg    dx, cx
        sub     dx, 7
        call    ata_probe           ; unit 0 (slot BX)
        inc     bx
        call    ata_probe           ; unit 1
        inc     bx
        jmp     .nextc
.skip2: add     bx, 2
.nextc: cmp     bx, ATA_MAX_DEV
        jb      .chan
        ; BIOS drive numbers: the hard disks in channel order
        xor     cx, cx
        xor     bx, bx
.map:   mov     si, bx
        shl     si, 5
        add     si, ebda.ata
        cmp     byte [si + atadev.type], ATA_DISK
        jne     .cd
        cmp     cl, 4
        jae     .nx
        mov     di, cx
        mov     [ebda.hd_map + di], bl
        inc     cx
        jmp     .nx
.cd:    cmp     byte [si + atadev.type], ATA_ATAPI
        jne     .nx
        cmp     byte [ebda.cd_dev], 0xFF
        jne     .nx
        mov     [ebda.cd_dev], bl
.nx:    inc     bx
        cmp     bx, ATA_MAX_DEV
        jb      .map
        mov     [ebda.hd_count], cl
        push    ds
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     [BDA_HD_COUNT], cl
        pop     ds
        call    ata_fill_fdpt
        pop     es
        pop     ds
        ret

; Probe unit BX & 1 on the channel at DX (ctrl in CX) into slot BX. DS = EBDA.
ata_probe:
        pusha
        mov     si, bx
        shl     si, 5
        add     si, ebda.ata
        mov     [si + atadev.iobase], dx
        mov     [si + atadev.ctrl], cx
        mov     al, bl
        and     al, 1
        shl     al, 4
        or      al, 0xA0
        mov     [si + atadev.select], al
        mov     al, bl
        shr     al, 1
        mov     [si + atadev.channel], al
        push    fs
        push    ds
        pop     fs                  ; FS:SI = the device entry from here on
        mov     al, [si + atadev.select]
        add     dx, 6
        out     dx, al
        call    ata_delay400
        inc     dx
        ; Status 00h is no answer: a packet device out of reset shows it (BSY
        ; and DRDY clear), and so does device 0 when it answers for a missing
        ; device 1, mirroring its own signature (ATA-6 9.16.1). Only the
        ; IDENTIFY below tells them apart: a missing device never sets DRQ.
        call    ata_wait
        jc      .none
        ; signature: 00/00 ATA, 14/EB ATAPI
        sub     dx, 3
        in      al, dx
        mov     ah, al
        inc     dx
        in      al, dx
        add     dx, 2
        cmp     ax, 0x14EB
        je      .atapi
        test    ax, ax
        jnz     .none
        mov     al, 0xEC            ; IDENTIFY DEVICE
        mov     byte [si + atadev.type], ATA_DISK
        jmp     .ident
.atapi: mov     al, 0xA1            ; IDENTIFY PACKET DEVICE
        mov     byte [si + atadev.type], ATA_ATAPI
.ident: out     dx, al
        call    ata_delay400
        call    ata_wait
        jc      .gone
        test    al, ATA_SR_ERR
        jnz     .gone
        test    al, ATA_SR_DRQ
        jz      .gone
        sub     dx, 7
        mov     ax, ATA_SCRATCH_SEG
        mov     es, ax
        xor     di, di
        mov     cx, 256
        rep     insw
        call    ata_wait
        call    ata_use_identify
        call    ata_report
        jmp     .out
.gone:  mov     byte [si + atadev.type], ATA_NONE
        jmp     .out
.none:  mov     byte [si + atadev.type], ATA_NONE
.out:   pop     fs
        popa
        ret

; Take geometry, size and features from the IDENTIFY data at ES:0 into
; the device entry FS:SI.
ata_use_identify:
        pushad
        cmp     byte [fs:si + atadev.type], ATA_ATAPI
        jne     .disk
        mov     word [fs:si + atadev.blksize], 2048
        mov     byte [fs:si + atadev.flags], ATAF_REMOVABLE
        jmp     .r
.disk:  mov     word [fs:si + atadev.blksize], 512
        mov     ax, [es:1 * 2]
        mov     [fs:si + atadev.pcyl], ax
        mov     ax, [es:3 * 2]
        mov     [fs:si + atadev.pheads], ax
        mov     ax, [es:6 * 2]
        mov     [fs:si + atadev.pspt], ax
        ; total sectors: CHS product, or LBA28, or LBA48
        movzx   eax, word [fs:si + atadev.pcyl]
        movzx   ebx, word [fs:si + atadev.pheads]
        imul    eax, ebx
        movzx   ebx, word [fs:si + atadev.pspt]
        imul    eax, ebx
        xor     edx, edx
        test    word [es:49 * 2], 0x0200
        jz      .size
        or      byte [fs:si + atadev.flags], ATAF_LBA
        mov     eax, [es:60 * 2]
        test    word [es:83 * 2], 0x0400
        jz      .size
        or      byte [fs:si + atadev.flags], ATAF_LBA48
        mov     eax, [es:100 * 2]
        mov     edx, [es:102 * 2]
.size:  mov     [fs:si + atadev.sectors], eax
        mov     [fs:si + atadev.sectors + 4], edx
        ; BIOS geometry: the drive's own if it fits INT 13h, else LBA-assisted
        mov     ax, [fs:si + atadev.pcyl]
        mov     bx, [fs:si + atadev.pheads]
        mov     cx, [fs:si + atadev.pspt]
        cmp     ax, 1024
        ja      .xlat
        cmp     bx, 16
        ja      .xlat
        test    ax, ax
        jz      .xlat
        jmp     .geo
.xlat:  or      byte [fs:si + atadev.flags], ATAF_TRANSLATED
        test    edx, edx
        jz      .x1
        mov     eax, 0xFFFFFFFF
.x1:    mov     cx, 63
        mov     bx, 16
.hd:    ; cylinders = sectors / (heads x 63), at most 1024
        push    eax
        xor     edx, edx
        movzx   ebp, bx
        imul    ebp, 63
        div     ebp
        mov     ebp, eax
        pop     eax
        cmp     ebp, 1024
        jbe     .fit
        cmp     bx, 255
        je      .fit
        shl     bx, 1
        cmp     bx, 256
        jb      .hd
        mov     bx, 255
        jmp     .hd
.fit:   cmp     ebp, 1024
        jbe     .f1
        mov     ebp, 1024
.f1:    mov     ax, bp
.geo:   mov     [fs:si + atadev.lcyl], ax
        mov     [fs:si + atadev.lheads], bx
        mov     [fs:si + atadev.lspt], cx
.r:     popad
        ret

; One console line about the device FS:SI (IDENTIFY data at ES:0).
ata_report:
        pusha
        PRINT   "ata"
        mov     al, [fs:si + atadev.channel]
        add     al, '0'
        call    putc
        test    byte [fs:si + atadev.select], 0x10
        jnz     .slave
        PRINT   " master: "
        jmp     .model
.slave: PRINT   " slave:  "
.model:
        ; the model name, words 27-46, bytes swapped in each word
        mov     di, 27 * 2
        mov     cx, 20
.m:     mov     ax, [es:di]
        xchg    al, ah
        call    putc
        xchg    al, ah
        call    putc
        add     di, 2
        loop    .m
        cmp     byte [fs:si + atadev.type], ATA_ATAPI
        jne     .size
        PRINT   " (ATAPI)", 10
        popa
        ret
.size:  PRINT   " ("
        mov     eax, [fs:si + atadev.sectors]
        mov     edx, [fs:si + atadev.sectors + 4]
        shrd    eax, edx, 11        ; MiB
        call    put_dec32
        PRINT   " MiB)", 10
        popa
        ret

; Fixed disk parameter tables for drives 80h/81h in the EBDA (INT 41h/46h).
ata_fill_fdpt:
        push    es
        xor     ax, ax
        mov     es, ax
        xor     cx, cx
.d:     cmp     cl, [ebda.hd_count]
        jae     .done
        cmp     cl, 2
        jae     .done
        movzx   bx, cl
        movzx   si, byte [ebda.hd_map + bx]
        shl     si, 5
        add     si, ebda.ata
        mov     di, ebda.fdpt0
        test    cl, cl
        jz      .t
        mov     di, ebda.fdpt1
.t:     mov     ax, [si + atadev.lcyl]
        mov     [di + 0], ax
        mov     al, [si + atadev.lheads]
        mov     [di + 2], al
        mov     word [di + 3], 0
        mov     word [di + 5], 0xFFFF       ; no write precompensation
        mov     byte [di + 7], 0
        mov     byte [di + 8], 0x08         ; more than 8 heads
        mov     dword [di + 9], 0
        mov     ax, [si + atadev.lcyl]
        mov     [di + 12], ax               ; landing zone
        mov     al, [si + atadev.lspt]
        mov     [di + 14], al
        mov     byte [di + 15], 0
        ; INT 41h for drive 80h, INT 46h for 81h
        mov     bx, 0x41 * 4
        test    cl, cl
        jz      .v
        mov     bx, 0x46 * 4
.v:     mov     [es:bx], di
        mov     [es:bx + 2], ds
        inc     cx
        jmp     .d
.done:  pop     es
        ret
