; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the VBE functions that adjust a set mode: logical scan line
; length (06h), display start (07h), DAC width (08h), palette data (09h),
; and the POST detection of the DISPI interface and its video memory.
; Spec: VESA BIOS Extension Core Functions Standard 3.0 (4F06h-4F09h);
; the DISPI register notes (virtual width, offsets, 8-bit DAC).

section fseg

; 06h: logical scan line length. BL = 0 set CX pixels, 1 get, 2 set CX
; bytes, 3 get maximum. Returns BX bytes, CX pixels, DX lines.
vbe_scanline:
        cmp     word [fs:ebda.vbe_mode], 0
        je      vbe_fail
        mov     cx, [fs:ebda.vbe_mode]
        call    vbe_find_mode
        jc      vbe_fail
        mov     cx, [bp + 8]
        cmp     bl, 3
        je      .max
        cmp     bl, 1
        je      .get
        cmp     bl, 2
        jne     .px
        ; bytes -> pixels
        movzx   eax, cx
        movzx   ecx, byte [cs:si + 6]
        cmp     cl, 4
        jne     .b
        shl     eax, 1
        jmp     .bset
.b:     add     ecx, 7
        shr     ecx, 3
        xor     edx, edx
        div     ecx
.bset:  mov     cx, ax
.px:    cmp     bl, 3
        ja      vbe_fail
        push    bx
        mov     bx, cx
        mov     ax, DISPI_VWIDTH
        call    dispi_write
        pop     bx
.get:   mov     ax, DISPI_VWIDTH
        call    dispi_read
        mov     cx, ax
        call    vbe_pitch
        mov     bx, ax
        mov     ax, DISPI_VHEIGHT
        call    dispi_read
        mov     dx, ax
        jmp     vbe_ok_regs
.max:   ; as wide as memory allows for the mode's height
        movzx   eax, word [fs:ebda.vram_64k]
        shl     eax, 16
        movzx   ecx, word [cs:si + 4]
        xor     edx, edx
        div     ecx
        cmp     eax, 0xFFFF
        jbe     .m1
        mov     ax, 0xFFFF
.m1:    mov     bx, ax
        movzx   ecx, byte [cs:si + 6]
        add     ecx, 7
        shr     ecx, 3
        xor     edx, edx
        div     ecx
        mov     cx, ax
        mov     dx, [bp + 4]
        jmp     vbe_ok_regs

; 07h: BL = 00h/80h set display start CX, DX; BL = 01h get it.
vbe_display_start:
        cmp     bl, 0x01
        je      .get
        test    bl, 0x7F
        jnz     vbe_fail
        push    bx
        mov     bx, cx
        mov     ax, DISPI_XOFF
        call    dispi_write
        mov     bx, dx
        mov     ax, DISPI_YOFF
        call    dispi_write
        pop     bx
        jmp     vbe_ok
.get:   mov     ax, DISPI_XOFF
        call    dispi_read
        mov     cx, ax
        mov     ax, DISPI_YOFF
        call    dispi_read
        mov     dx, ax
        xor     bh, bh
        jmp     vbe_ok_regs

; 08h: BL = 0 set DAC width BH (6 or 8), 1 get it.
vbe_dac_format:
        cmp     bl, 1
        je      .get
        test    bl, bl
        jnz     vbe_fail
        mov     ax, DISPI_ENABLE
        call    dispi_read
        and     ax, ~DISPI_8BITDAC
        cmp     bh, 8
        jb      .six
        or      ax, DISPI_8BITDAC
.six:   push    bx
        mov     bx, ax
        mov     ax, DISPI_ENABLE
        call    dispi_write
        pop     bx
.get:   mov     ax, DISPI_ENABLE
        call    dispi_read
        mov     bh, 6
        test    ax, DISPI_8BITDAC
        jz      .g
        mov     bh, 8
.g:     mov     cx, [bp + 8]
        mov     dx, [bp + 4]
        jmp     vbe_ok_regs

; 09h: BL = 00h/80h set, 01h get CX palette entries from DX at ES:DI
; (blue, green, red, pad).
vbe_palette:
        test    bl, 0x7E
        jnz     vbe_fail
        jcxz    .done
        mov     al, dl
        test    bl, 0x01
        jnz     .get
        push    dx
        mov     dx, 0x3C8
        out     dx, al
        inc     dx
.s:     mov     al, [es:di + 2]
        out     dx, al
        mov     al, [es:di + 1]
        out     dx, al
        mov     al, [es:di]
        out     dx, al
        add     di, 4
        loop    .s
        pop     dx
        jmp     .done
.get:   push    dx
        mov     dx, 0x3C7
        out     dx, al
        add     dx, 2
.g:     in      al, dx
        mov     [es:di + 2], al
        in      al, dx
        mov     [es:di + 1], al
        in      al, dx
        mov     [es:di], al
        mov     byte [es:di + 3], 0
        add     di, 4
        loop    .g
        pop     dx
.done:  jmp     vbe_ok

; POST: is the DISPI interface there, and how much video memory has it?
vbe_post:
        push    ds
        call    ds_ebda
        mov     ax, DISPI_ID
        mov     bx, 0xB0C5
        call    dispi_write
        mov     ax, DISPI_ID
        call    dispi_read
        and     ax, 0xFFF0
        cmp     ax, 0xB0C0
        jne     .none
        mov     ax, DISPI_VRAM64K
        call    dispi_read
        test    ax, ax
        jnz     .m
        mov     ax, 64              ; an old interface: assume 4 MiB
.m:     mov     [ebda.vram_64k], ax
        cmp     dword [ebda.lfb], 0
        jne     .none
        mov     dword [ebda.lfb], 0xE0000000
.none:  pop     ds
        ret
