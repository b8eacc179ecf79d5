; SPDX-License-Identifier: MIT
;
; Kiln BIOS: INT 13h. The dispatcher sends drives 00h-7Fh to the diskette
; services (INT 40h), E0h-FFh to the CD-ROM, the El Torito emulated drive
; to its image, and serves the ATA hard disks (80h-83h): reset, status,
; CHS read/write/verify with the BIOS geometry, parameters, type, and the
; Enhanced Disk Drive services 41h-44h, 47h, 48h (EDD 3.0 with the device
; parameter table extension and device path). Spec: IBM PC AT Technical
; Reference (INT 13h fixed disk), Phoenix Enhanced Disk Drive
; Specification 3.0, T13 EDD (D1572).

section fseg

int13_handler:
        sti
        cld
        cmp     ah, 0x4B
        jne     .n4b
        jmp     et_service
.n4b:   push    ds
        call    ds_ebda
        cmp     byte [ebda.et_active], 0
        je      .plain
        cmp     dl, [ebda.et_drive]
        jne     .shift
        pop     ds
        jmp     cdemu_int13
.shift: ; the real drives of the emulated kind move up by one number
        test    dl, 0x80
        jnz     .hds
        cmp     byte [ebda.et_drive], 0x80
        jae     .plain
        pop     ds
        dec     dl
        int     0x40
        inc     dl                  ; (AH=08h: the count includes the image)
        jmp     iret_cf
.hds:   cmp     byte [ebda.et_drive], 0x80
        jne     .plain
        cmp     dl, 0xE0
        jae     .plain
        pop     ds
        dec     dl
        pushf
        push    cs
        call    hd_int13
        inc     dl
        jmp     iret_cf
.plain: pop     ds
        test    dl, 0x80
        jnz     .hd
        int     0x40
        jmp     iret_cf
.hd:    cmp     dl, 0xE0
        jb      hd_int13
        jmp     cd_int13

; Hard disks 80h-83h, as an interrupt handler.
hd_int13:
        pushad
        push    ds
        push    es
        mov     bp, sp
        push    fs                  ; (FS holds the EBDA here)
        push    word BDA_SEG
        pop     ds
        call    fs_ebda
        mov     al, dl
        and     al, 0x7F
        cmp     al, [fs:ebda.hd_count]
        jae     .nodrive
        movzx   bx, al
        movzx   si, byte [fs:ebda.hd_map + bx]
        shl     si, 5
        add     si, ebda.ata        ; FS:SI = the drive
        mov     ah, [bp + R_AH]
        cmp     ah, 0x01
        je      .status
        cmp     ah, 0x02
        jb      .ok
        cmp     ah, 0x04
        jbe     .chs
        cmp     ah, 0x08
        je      .params
        cmp     ah, 0x15
        je      .type
        cmp     ah, 0x41
        je      .edd_check
        cmp     ah, 0x42
        jb      .simple
        cmp     ah, 0x44
        jbe     .ext
        cmp     ah, 0x48
        je      .edd_params
        cmp     ah, 0x47
        je      .ok
        cmp     ah, 0x4E
        je      .ok
.simple:
        ; 05h format, 09h, 0Ch-11h, 14h: nothing to do for an ATA drive
        cmp     ah, 0x05
        je      .ok
        cmp     ah, 0x09
        je      .ok
        cmp     ah, 0x0C
        jb      .bad
        cmp     ah, 0x11
        jbe     .ok
        cmp     ah, 0x14
        je      .ok
.bad:   mov     ah, 0x01
        jmp     .done
.ok:    xor     ah, ah
        jmp     .done
.status:
        mov     ah, [BDA_HD_STATUS]
        mov     [bp + R_AH], ah
        jmp     .cf
.nodrive:
        mov     ah, [bp + R_AH]
        cmp     ah, 0x15
        jne     .nd1
        mov     byte [bp + R_AH], 0 ; no such drive
        jmp     .clc
.nd1:   cmp     ah, 0x08
        jne     .bad
        mov     al, [fs:ebda.hd_count]
        mov     [bp + R_DL], al
        mov     ah, 0x07
        jmp     .done
.chs:   ; AH = 2 read, 3 write, 4 verify; AL sectors at CH/CL/DH to ES:BX
        mov     al, [bp + R_AL]
        test    al, al
        jz      .bad
        movzx   eax, ch
        movzx   ebx, cl
        and     bl, 0xC0
        shl     bx, 2
        or      ax, bx              ; cylinder
        and     cx, 0x3F            ; sector
        jz      .nosect
        cmp     cx, [fs:si + atadev.lspt]
        ja      .nosect
        cmp     ax, [fs:si + atadev.lcyl]
        jae     .nosect
        movzx   bx, dh
        cmp     bx, [fs:si + atadev.lheads]
        jae     .nosect
        movzx   edx, word [fs:si + atadev.lheads]
        imul    eax, edx
        add     eax, ebx
        movzx   edx, word [fs:si + atadev.lspt]
        imul    eax, edx
        dec     cx
        movzx   ecx, cx
        add     eax, ecx            ; LBA
        xor     edx, edx
        movzx   cx, byte [bp + R_AL]
        mov     bl, [bp + R_AH]
        sub     bl, 2
        mov     di, [bp + R_BX]
        call    ata_rw
        mov     [bp + R_AL], cl
        jmp     .done
.nosect:
        mov     byte [bp + R_AL], 0
        mov     ah, 0x04
        jmp     .done
.params:
        mov     ax, [fs:si + atadev.lcyl]
        cmp     ax, 1024
        jbe     .p1
        mov     ax, 1024
.p1:    dec     ax
        mov     ch, al
        mov     cl, [fs:si + atadev.lspt]
        and     cl, 0x3F
        shr     ax, 2
        and     al, 0xC0
        or      cl, al
        mov     [bp + R_CX], cx
        mov     al, [fs:si + atadev.lheads]
        dec     al
        mov     [bp + R_DH], al
        mov     al, [fs:ebda.hd_count]
        mov     [bp + R_DL], al
        mov     word [bp + R_AX], 0
        xor     ah, ah
        jmp     .done
.type:  movzx   eax, word [fs:si + atadev.lcyl]
        movzx   ebx, word [fs:si + atadev.lheads]
        imul    eax, ebx
        movzx   ebx, word [fs:si + atadev.lspt]
        imul    eax, ebx
        mov     [bp + R_DX], ax
        shr     eax, 16
        mov     [bp + R_CX], ax
        mov     byte [bp + R_AH], 0x03  ; fixed disk
.clc:   and     byte [bp + R_FLAGS], 0xFE
        jmp     .out
.edd_check:
        cmp     word [bp + R_BX], 0x55AA
        jne     .bad
        mov     word [bp + R_BX], 0xAA55
        mov     word [bp + R_CX], 0x0005    ; extended access, EDD
        mov     byte [bp + R_AH], 0x30      ; EDD 3.0
        mov     byte [BDA_HD_STATUS], 0
        jmp     .clc
.ext:   ; 42h/43h/44h: the disk address packet at DS:SI
        push    ds
        mov     ds, [bp + R_DS]
        mov     di, [bp + R_SI]
        call    edd_transfer
        pop     ds
        jmp     .done
.edd_params:
        mov     es, [bp + R_DS]
        mov     di, [bp + R_SI]
        call    edd_fill_params
.done:  mov     [BDA_HD_STATUS], ah
        mov     [bp + R_AH], ah
.cf:    and     byte [bp + R_FLAGS], 0xFE
        test    ah, ah
        jz      .out
        or      byte [bp + R_FLAGS], 0x01
.out:   pop     fs
        pop     es
        pop     ds
        popad
        iret

; The transfer of the disk address packet DS:DI on drive FS:SI for
; function AH (42h read, 43h write, 44h verify). Returns AH = status.
edd_transfer:
        cmp     byte [di], 0x10
        jb      .bad
        mov     cx, [di + 2]
        les     bx, [di + 4]
        cmp     bx, 0xFFFF          ; a 64-bit flat buffer address: not supported
        jne     .go
        mov     ax, es
        cmp     ax, 0xFFFF
        je      .bad
.go:    push    di
        mov     eax, [di + 8]
        mov     edx, [di + 12]
        push    bx
        mov     bl, [bp + R_AH]
        sub     bl, 0x42
        pop     di
        call    ata_rw
        pop     di
        mov     [di + 2], cx
        ret
.bad:   mov     ah, 0x01
        ret

; EDD 48h: the result buffer at ES:DI for drive FS:SI (its size word says
; how much the caller wants). Returns AH = status.
edd_fill_params:
        mov     ax, [es:di]
        cmp     ax, 0x1A
        jb      .bad
        mov     cx, 0x1A
        cmp     ax, 0x1E
        jb      .base
        mov     cx, 0x1E
        cmp     ax, 0x42
        jb      .base
        mov     cx, 0x42
.base:  mov     [es:di], cx
        mov     word [es:di + 2], 0x0003        ; DMA boundaries handled, CHS valid
        cmp     byte [fs:si + atadev.type], ATA_ATAPI
        jne     .geo
        mov     word [es:di + 2], 0x0074        ; removable, change line, lockable, no CHS
        mov     dword [es:di + 4], 0
        mov     dword [es:di + 8], 0
        mov     dword [es:di + 12], 0
        mov     dword [es:di + 16], 0xFFFFFFFF
        mov     dword [es:di + 20], 0
        jmp     .bps
.geo:   movzx   eax, word [fs:si + atadev.lcyl]
        mov     [es:di + 4], eax
        movzx   eax, word [fs:si + atadev.lheads]
        mov     [es:di + 8], eax
        movzx   eax, word [fs:si + atadev.lspt]
        mov     [es:di + 12], eax
        mov     eax, [fs:si + atadev.sectors]
        mov     [es:di + 16], eax
        mov     eax, [fs:si + atadev.sectors + 4]
        mov     [es:di + 20], eax
.bps:   mov     ax, [fs:si + atadev.blksize]
        mov     [es:di + 24], ax
        cmp     cx, 0x1E
        jb      .ok
        call    edd_fill_dpte
        mov     word [es:di + 26], ebda.dpte
        mov     [es:di + 28], fs
        cmp     cx, 0x42
        jb      .ok
        ; EDD 3.0 device path: PCI 00:01.1, ATA or ATAPI, master or slave
        push    di
        mov     word [es:di + 0x1E], 0xBEDD
        mov     byte [es:di + 0x20], 0x24
        mov     byte [es:di + 0x21], 0
        mov     word [es:di + 0x22], 0
        mov     dword [es:di + 0x24], 'PCI '
        mov     dword [es:di + 0x28], 'ATA '
        mov     dword [es:di + 0x2C], '    '
        cmp     byte [fs:si + atadev.type], ATA_ATAPI
        jne     .ata
        mov     dword [es:di + 0x28], 'ATAP'
        mov     dword [es:di + 0x2C], 'I   '
.ata:   mov     dword [es:di + 0x30], 0x00010100    ; bus 0, device 1, function 1
        mov     al, [fs:si + atadev.channel]
        mov     [es:di + 0x33], al
        mov     dword [es:di + 0x34], 0
        mov     al, [fs:si + atadev.select]
        shr     al, 4
        and     al, 1
        movzx   eax, al
        mov     [es:di + 0x38], eax
        mov     dword [es:di + 0x3C], 0
        mov     byte [es:di + 0x40], 0
        xor     al, al
        push    cx
        mov     cx, 0x41 - 0x1E
        add     di, 0x1E
.sum:   sub     al, [es:di]
        inc     di
        loop    .sum
        mov     [es:di], al
        pop     cx
        pop     di
.ok:    xor     ah, ah
        ret
.bad:   mov     ah, 0x01
        ret

; The device parameter table extension of drive FS:SI in the EBDA.
edd_fill_dpte:
        push    ax
        push    bx
        mov     bx, ebda.dpte
        mov     ax, [fs:si + atadev.iobase]
        mov     [fs:bx], ax
        mov     ax, [fs:si + atadev.ctrl]
        mov     [fs:bx + 2], ax
        mov     al, [fs:si + atadev.select]
        and     al, 0x10
        or      al, 0xA0
        test    byte [fs:si + atadev.flags], ATAF_LBA
        jz      .l
        or      al, 0x40
.l:     mov     [fs:bx + 4], al
        mov     byte [fs:bx + 5], 0
        mov     al, 14
        add     al, [fs:si + atadev.channel]
        mov     [fs:bx + 6], al     ; IRQ
        mov     byte [fs:bx + 7], 1 ; one sector per block
        mov     word [fs:bx + 8], 0 ; no DMA, PIO mode 0
        xor     ax, ax
        test    byte [fs:si + atadev.flags], ATAF_TRANSLATED
        jz      .t
        or      al, 0x08            ; LBA-assisted translation
.t:     cmp     byte [fs:si + atadev.type], ATA_ATAPI
        jne     .o
        or      al, 0x60            ; ATAPI, removable
.o:     mov     [fs:bx + 10], ax
        mov     word [fs:bx + 12], 0
        mov     byte [fs:bx + 14], 0x11
        xor     al, al
        push    cx
        mov     cx, 15
.s:     sub     al, [fs:bx]
        inc     bx
        loop    .s
        mov     [fs:bx], al
        pop     cx
        pop     bx
        pop     ax
        ret
