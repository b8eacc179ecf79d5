; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the bootstrap loader (INT 19h) and what follows a failed boot
; (INT 18h). The boot order is read from CMOS 3Dh (low nibble first, high
; nibble second) and 38h (high nibble third), device codes 1 = diskette A,
; 2 = first hard disk, 3 = CD-ROM, as on QEMU/Bochs machines; with no
; order set, A, C, CD. A diskette boots from its first sector, a hard disk
; when that sector ends in 55h AAh, a CD through El Torito.
; Spec: IBM PC AT Technical Reference (INT 19h); BIOS Boot Specification
; 1.01 (INT 18h after the last device); El Torito 1.0.

section fseg

int19_handler:
        sti
        cld
        xor     ax, ax
        mov     ds, ax
        mov     ss, ax
        mov     sp, STACK_POST
        mov     al, CMOS_BOOT12
        call    cmos_read
        mov     bl, al
        mov     al, CMOS_BOOT3
        call    cmos_read
        shr     al, 4
        mov     bh, al              ; BL: first | second << 4, BH: third
        mov     ax, bx
        and     ax, 0x0FFF
        jnz     .order
        mov     bx, 0x0321          ; nothing set: A, C, CD
.order: mov     cx, 3
.next:  mov     al, bl
        and     al, 0x0F
        push    bx
        push    cx
        cmp     al, 1
        jne     .n2
        call    boot_floppy
        jmp     .failed
.n2:    cmp     al, 2
        jne     .n3
        call    boot_disk
        jmp     .failed
.n3:    cmp     al, 3
        jne     .failed
        PRINT   "Booting from CD-ROM...", 10
        call    cd_boot
        PRINT   "CD-ROM boot failed", 10
.failed:
        pop     cx
        pop     bx
        shr     bx, 4
        loop    .next
        PRINT   "No bootable device.", 10
        int     0x18
        jmp     int19_handler

; Diskette A: its first sector, three tries. Returns on failure.
boot_floppy:
        push    ds
        mov     ax, BDA_SEG
        mov     ds, ax
        test    byte [BDA_EQUIP], 0x01
        pop     ds
        jz      .r
        PRINT   "Booting from floppy...", 10
        mov     si, 3
.try:   xor     ax, ax
        xor     dx, dx
        int     0x13
        xor     ax, ax
        mov     es, ax
        mov     bx, 0x7C00
        mov     ax, 0x0201
        mov     cx, 0x0001
        xor     dx, dx
        int     0x13
        jnc     .go
        dec     si
        jnz     .try
        PRINT   "Floppy boot failed", 10
.r:     ret
.go:    xor     bx, bx
        mov     cx, 0x7C00
        xor     dl, dl
        jmp     boot_jump

; The first hard disk's master boot record, if it has the 55h AAh mark.
boot_disk:
        push    ds
        mov     ax, BDA_SEG
        mov     ds, ax
        cmp     byte [BDA_HD_COUNT], 0
        pop     ds
        je      .r
        PRINT   "Booting from hard disk...", 10
        xor     ax, ax
        mov     es, ax
        mov     bx, 0x7C00
        mov     ax, 0x0201
        mov     cx, 0x0001
        mov     dx, 0x0080
        int     0x13
        jc      .fail
        cmp     word [es:0x7DFE], 0xAA55
        jne     .nosig
        xor     bx, bx
        mov     cx, 0x7C00
        mov     dl, 0x80
        jmp     boot_jump
.nosig: PRINT   "Hard disk: no boot signature", 10
        ret
.fail:  PRINT   "Hard disk boot failed", 10
.r:     ret

; Start the boot code at BX:CX with DL = its drive and a clean register set.
boot_jump:
        push    ds
        call    ds_ebda
        mov     [ebda.boot_drive], dl
        pop     ds
        POST_CODE 0x00
        cli
        xor     ax, ax
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     sp, 0x7C00
        push    bx
        push    cx
        xor     bx, bx
        xor     cx, cx
        xor     si, si
        xor     di, di
        xor     bp, bp
        xor     dh, dh
        sti
        retf

; INT 18h: no device would boot. Wait for a key and try again.
int18_handler:
        sti
        PRINT   "Press a key to try again.", 10
        xor     ax, ax
        int     0x16
        int     0x19
        iret
