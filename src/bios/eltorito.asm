; SPDX-License-Identifier: MIT
;
; Kiln BIOS: booting CDs. Finds the El Torito boot record (sector 17) and
; catalog, loads the default entry's image in no-emulation mode, or emulates
; a 1.2/1.44/2.88 MB diskette (drive 00h) or a hard disk (80h) on the
; image; serves INT 13h on the emulated drive (reads only), on the CD-ROM
; itself (drive E0h: EDD 41h/42h/48h with 2048-byte sectors) and 4Bh
; (terminate emulation / get status). Spec: "El Torito" Bootable CD-ROM
; Format Specification 1.0 (Phoenix/IBM), sections 2, 5 and 6.

section fseg

ET_BUF_SEG      equ 0x0060          ; 0000:0600, 2 KiB: boot record and catalog
CD_DRIVE        equ 0xE0

; FS:SI = the CD-ROM drive's entry (FS = EBDA). CF = 1 if there is none.
cd_device:
        call    fs_ebda
        movzx   si, byte [fs:ebda.cd_dev]
        cmp     si, ATA_MAX_DEV
        jae     .no
        shl     si, 5
        add     si, ebda.ata
        clc
        ret
.no:    stc
        ret

; Read 2048-byte sector EAX of the CD FS:SI into ET_BUF_SEG:0. CF on error.
cd_read_buf:
        push    es
        push    di
        push    bx
        push    ecx
        push    edx
        push    word ET_BUF_SEG
        pop     es
        xor     di, di
        mov     bx, 1
        xor     ecx, ecx
        mov     edx, 2048
        call    atapi_read
        pop     edx
        pop     ecx
        pop     bx
        pop     di
        pop     es
        ret

; Read CX 512-byte sectors of the emulated drive from sector EAX into ES:DI.
; FS:SI = the CD. CF = 1 on error.
cdemu_read:
        pushad
        movzx   edx, cx
        shl     edx, 9              ; bytes to keep
        mov     ebx, eax
        shr     eax, 2
        add     eax, [fs:ebda.et_lba]
        and     ebx, 3
        shl     ebx, 9
        mov     ecx, ebx            ; bytes to skip in the first CD sector
        lea     ebx, [ecx + edx + 2047]
        shr     ebx, 11             ; CD sectors
        call    atapi_read
        popad
        ret

; INT 19h: boot the CD. Returns only on failure (CF = 1); on success jumps
; to the image with DL = its drive.
cd_boot:
        call    cd_device
        jc      .fail
        call    atapi_ready
        jc      .fail
        mov     eax, 17             ; boot record volume descriptor
        call    cd_read_buf
        jc      .fail
        push    word ET_BUF_SEG
        pop     es
        cmp     dword [es:0], 0x30444300    ; 00 "CD0"
        jne     .fail
        cmp     word [es:4], 0x3130         ; "01"
        jne     .fail
        cmp     byte [es:6], 1              ; version 1
        jne     .fail
        cmp     dword [es:7], 'EL T'
        jne     .fail
        cmp     dword [es:11], 'ORIT'
        jne     .fail
        mov     eax, [es:0x47]      ; the boot catalog
        call    cd_read_buf
        jc      .fail
        ; validation entry: header 01h, key 55h AAh, words summing to 0
        cmp     byte [es:0], 0x01
        jne     .fail
        cmp     word [es:0x1E], 0xAA55
        jne     .fail
        xor     ax, ax
        xor     bx, bx
.sum:   add     ax, [es:bx]
        add     bx, 2
        cmp     bx, 32
        jb      .sum
        test    ax, ax
        jnz     .fail
        cmp     byte [es:0x20], 0x88        ; the default entry is bootable
        jne     .fail
        mov     al, [es:0x21]
        and     al, 0x0F
        mov     [fs:ebda.et_media], al
        mov     ax, [es:0x22]
        test    ax, ax
        jnz     .seg
        mov     ax, 0x07C0
.seg:   mov     [fs:ebda.et_loadseg], ax
        mov     ax, [es:0x26]
        mov     [fs:ebda.et_count], ax
        mov     eax, [es:0x28]
        mov     [fs:ebda.et_lba], eax
        mov     al, [fs:ebda.cd_dev]
        mov     [fs:ebda.et_dev], al
        mov     al, [fs:ebda.et_media]
        test    al, al
        jz      .noemu
        cmp     al, 4
        je      .hdemu
        ja      .fail
        ; diskette emulation: 80 cylinders, 2 heads, 15/18/36 sectors
        mov     word [fs:ebda.et_cyls], 80
        mov     byte [fs:ebda.et_heads], 2
        mov     bl, 15
        cmp     al, 1
        je      .spt
        mov     bl, 18
        cmp     al, 2
        je      .spt
        mov     bl, 36
.spt:   mov     [fs:ebda.et_spt], bl
        mov     byte [fs:ebda.et_drive], 0x00
        ; the equipment word counts the emulated drive
        push    ds
        push    word BDA_SEG
        pop     ds
        mov     ax, [BDA_EQUIP]
        test    al, 1
        jz      .fd1
        add     ax, 0x40            ; one drive more (at most four)
        test    ax, 0x0100
        jz      .fd2
        sub     ax, 0x40
        jmp     .fd2
.fd1:   or      ax, 0x0001
        and     ax, ~0x00C0
.fd2:   mov     [BDA_EQUIP], ax
        pop     ds
        jmp     .load
.hdemu: ; geometry from the image's partition table
        xor     eax, eax
        mov     cx, 1
        push    word ET_BUF_SEG
        pop     es
        xor     di, di
        mov     byte [fs:ebda.et_heads], 1
        call    cdemu_read
        jc      .fail
        mov     al, [es:0x1BE + 5]  ; last head of partition 1
        inc     al
        mov     [fs:ebda.et_heads], al
        mov     al, [es:0x1BE + 6]
        mov     ah, al
        and     al, 0x3F
        jz      .fail
        mov     [fs:ebda.et_spt], al
        shr     ah, 6
        mov     al, [es:0x1BE + 7]
        inc     ax
        mov     [fs:ebda.et_cyls], ax
        mov     byte [fs:ebda.et_drive], 0x80
        push    ds
        push    word BDA_SEG
        pop     ds
        inc     byte [BDA_HD_COUNT]
        pop     ds
.load:  mov     byte [fs:ebda.et_active], 1
        mov     es, [fs:ebda.et_loadseg]
        xor     di, di
        xor     eax, eax
        mov     cx, [fs:ebda.et_count]
        test    cx, cx
        jnz     .l1
        inc     cx
.l1:    call    cdemu_read
        jc      .undo
        mov     dl, [fs:ebda.et_drive]
        jmp     .go
.noemu: mov     byte [fs:ebda.et_drive], CD_DRIVE
        mov     es, [fs:ebda.et_loadseg]
        xor     di, di
        mov     eax, [fs:ebda.et_lba]
        movzx   edx, word [fs:ebda.et_count]
        shl     edx, 9
        mov     ebx, edx
        add     ebx, 2047
        shr     ebx, 11
        xor     ecx, ecx
        call    atapi_read
        jc      .fail
        mov     dl, CD_DRIVE
        ; the image's entry: 0000:7C00 for the usual 07C0h, else segment:0000
.go:    mov     bx, [fs:ebda.et_loadseg]
        xor     cx, cx
        cmp     bx, 0x07C0
        jne     .j
        xor     bx, bx
        mov     cx, 0x7C00
.j:     jmp     boot_jump
.undo:  mov     byte [fs:ebda.et_active], 0
.fail:  stc
        ret

; INT 13h on the emulated drive (an interrupt handler).
cdemu_int13:
        pushad
        push    ds
        push    es
        mov     bp, sp
        push    fs                  ; (FS holds the EBDA here)
        push    word BDA_SEG
        pop     ds
        call    cd_device
        mov     ah, [bp + R_AH]
        cmp     ah, 0x00
        je      .ok
        cmp     ah, 0x01
        je      .status
        cmp     ah, 0x02
        je      .read
        cmp     ah, 0x03
        je      .wp
        cmp     ah, 0x04
        je      .ok
        cmp     ah, 0x05
        je      .wp
        cmp     ah, 0x08
        je      .params
        cmp     ah, 0x15
        je      .type
        cmp     ah, 0x16
        je      .ok
        cmp     ah, 0x0C
        jb      .bad
        cmp     ah, 0x11
        jbe     .ok
.bad:   mov     ah, 0x01
        jmp     .done
.wp:    mov     ah, 0x03
        jmp     .done
.ok:    xor     ah, ah
        jmp     .done
.status:
        mov     ah, [BDA_FD_STATUS]
        mov     [bp + R_AH], ah
        jmp     .cf
.read:  mov     al, [bp + R_AL]
        test    al, al
        jz      .bad
        ; sector = (cylinder x heads + head) x spt + sector - 1
        movzx   eax, ch
        movzx   ebx, cl
        and     bl, 0xC0
        shl     bx, 2
        or      ax, bx
        and     cx, 0x3F
        jz      .nosect
        cmp     cl, [fs:ebda.et_spt]
        ja      .nosect
        cmp     dh, [fs:ebda.et_heads]
        jae     .nosect
        cmp     ax, [fs:ebda.et_cyls]
        jae     .nosect
        movzx   ebx, byte [fs:ebda.et_heads]
        imul    eax, ebx
        movzx   ebx, dh
        add     eax, ebx
        movzx   ebx, byte [fs:ebda.et_spt]
        imul    eax, ebx
        dec     cx
        movzx   ecx, cx
        add     eax, ecx
        movzx   cx, byte [bp + R_AL]
        mov     di, [bp + R_BX]
        call    cdemu_read
        mov     ah, 0x20
        jc      .rfail
        xor     ah, ah
        jmp     .done
.rfail: mov     byte [bp + R_AL], 0
        jmp     .done
.nosect:
        mov     byte [bp + R_AL], 0
        mov     ah, 0x04
        jmp     .done
.params:
        mov     ax, [fs:ebda.et_cyls]
        dec     ax
        mov     ch, al
        shr     ax, 2
        and     al, 0xC0
        or      al, [fs:ebda.et_spt]
        mov     cl, al
        mov     [bp + R_CX], cx
        mov     al, [fs:ebda.et_heads]
        dec     al
        mov     [bp + R_DH], al
        mov     word [bp + R_AX], 0
        cmp     byte [fs:ebda.et_drive], 0x80
        jae     .php
        mov     al, [BDA_EQUIP]
        shr     al, 6
        inc     al
        mov     [bp + R_DL], al
        mov     al, [fs:ebda.et_media]
        mov     bl, 2               ; 1.2M -> type 2, 1.44M -> 4, 2.88M -> 5
        cmp     al, 1
        je      .pt
        mov     bl, 4
        cmp     al, 2
        je      .pt
        mov     bl, 5
.pt:    mov     [bp + R_BL], bl
        mov     al, bl
        call    fd_param_table
        mov     [bp + R_DI], di
        mov     word [bp + R_ES], BIOS_SEG
        xor     ah, ah
        jmp     .done
.php:   mov     al, [BDA_HD_COUNT]
        mov     [bp + R_DL], al
        xor     ah, ah
        jmp     .done
.type:  mov     byte [bp + R_AH], 0x01      ; diskette without change line
        cmp     byte [fs:ebda.et_drive], 0x80
        jb      .clc
        mov     byte [bp + R_AH], 0x03
        movzx   eax, word [fs:ebda.et_cyls]
        movzx   ebx, byte [fs:ebda.et_heads]
        imul    eax, ebx
        movzx   ebx, byte [fs:ebda.et_spt]
        imul    eax, ebx
        mov     [bp + R_DX], ax
        shr     eax, 16
        mov     [bp + R_CX], ax
.clc:   and     byte [bp + R_FLAGS], 0xFE
        jmp     .out
.done:  mov     [BDA_FD_STATUS], ah
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

; INT 13h on the CD-ROM drive E0h (an interrupt handler): EDD with
; 2048-byte sectors.
cd_int13:
        pushad
        push    ds
        push    es
        mov     bp, sp
        push    fs                  ; (FS holds the EBDA here)
        push    word BDA_SEG
        pop     ds
        call    cd_device
        jc      .bad
        cmp     dl, CD_DRIVE
        jne     .bad
        mov     ah, [bp + R_AH]
        cmp     ah, 0x41
        je      .check
        cmp     ah, 0x42
        je      .read
        cmp     ah, 0x43
        je      .wp
        cmp     ah, 0x48
        je      .params
        cmp     ah, 0x00
        je      .ok
        cmp     ah, 0x44
        je      .ok
        cmp     ah, 0x45
        je      .lock
        cmp     ah, 0x46
        jb      .bad
        cmp     ah, 0x47
        jbe     .ok
        cmp     ah, 0x49
        je      .ok
        cmp     ah, 0x4E
        je      .ok
.bad:   mov     ah, 0x01
        jmp     .done
.wp:    mov     ah, 0x03
        jmp     .done
.ok:    xor     ah, ah
        jmp     .done
.lock:  mov     byte [bp + R_AL], 0 ; never locked
        jmp     .ok
.check: cmp     bx, 0x55AA
        jne     .bad
        mov     word [bp + R_BX], 0xAA55
        mov     word [bp + R_CX], 0x0007    ; extended access, removable, EDD
        mov     byte [bp + R_AH], 0x30
        and     byte [bp + R_FLAGS], 0xFE
        jmp     .out
.read:  push    ds
        mov     ds, [bp + R_DS]
        mov     bx, [bp + R_SI]
        cmp     byte [bx], 0x10
        jb      .rbad
        movzx   edx, word [bx + 2]
        les     di, [bx + 4]
        mov     eax, [bx + 8]
        push    bx
        mov     bx, dx
        shl     edx, 11
        xor     ecx, ecx
        call    atapi_read
        pop     bx
        jc      .rerr
        pop     ds
        jmp     .ok
.rerr:  mov     word [bx + 2], 0
        pop     ds
        mov     ah, 0x0C
        jmp     .done
.rbad:  pop     ds
        jmp     .bad
.params:
        mov     es, [bp + R_DS]
        mov     di, [bp + R_SI]
        call    edd_fill_params
.done:  mov     [bp + R_AH], ah
        and     byte [bp + R_FLAGS], 0xFE
        test    ah, ah
        jz      .out
        or      byte [bp + R_FLAGS], 0x01
.out:   pop     fs
        pop     es
        pop     ds
        popad
        iret

; INT 13h AH=4Bh: AL = 00h terminate the emulation, 01h status only;
; DS:SI = the 13h-byte specification packet.
et_service:
        push    ax
        push    fs
        call    fs_ebda
        cmp     byte [fs:ebda.et_drive], 0xFF
        je      .none
        cmp     al, 1
        ja      .none
        mov     byte [si], 0x13
        mov     ah, [fs:ebda.et_media]
        mov     [si + 1], ah
        mov     ah, [fs:ebda.et_drive]
        mov     [si + 2], ah
        mov     byte [si + 3], 0
        push    eax
        mov     eax, [fs:ebda.et_lba]
        mov     [si + 4], eax
        pop     eax
        push    bx
        movzx   bx, byte [fs:ebda.et_dev]
        shr     bx, 1
        mov     ah, bl              ; channel
        movzx   bx, byte [fs:ebda.et_dev]
        and     bl, 1
        mov     [si + 8], bl        ; 0 master, 1 slave
        mov     [si + 9], ah
        pop     bx
        mov     word [si + 0x0A], 0
        push    word [fs:ebda.et_loadseg]
        pop     word [si + 0x0C]
        push    word [fs:ebda.et_count]
        pop     word [si + 0x0E]
        push    ax
        mov     ax, [fs:ebda.et_cyls]
        dec     ax
        mov     [si + 0x10], al
        shr     ax, 2
        and     al, 0xC0
        or      al, [fs:ebda.et_spt]
        mov     [si + 0x11], al
        mov     al, [fs:ebda.et_heads]
        dec     al
        mov     [si + 0x12], al
        pop     ax
        cmp     al, 0
        jne     .ok
        cmp     byte [fs:ebda.et_active], 0
        je      .ok
        mov     byte [fs:ebda.et_active], 0
        cmp     byte [fs:ebda.et_drive], 0x80
        jne     .ok
        push    ds
        push    word BDA_SEG
        pop     ds
        dec     byte [BDA_HD_COUNT]
        pop     ds
.ok:    pop     fs
        pop     ax
        xor     ah, ah
        clc
        jmp     iret_cf
.none:  pop     fs
        pop     ax
        mov     ah, 0x01
        stc
        jmp     iret_cf
