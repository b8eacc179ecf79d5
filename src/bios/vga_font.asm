; SPDX-License-Identifier: MIT
;
; Kiln BIOS: INT 10h 10h (palette registers and DAC), 11h (character
; generator: user and ROM fonts into plane 2, text-mode recalculation for
; 8x8/8x14/8x16 fonts, graphics font pointers, font information) and 12h
; (alternate select: EGA information, scan lines, palette loading, cursor
; emulation, screen on/off). Spec: IBM VGA Technical Reference (video BIOS
; functions 10h-12h, sequencer and character map select).

section fseg

; ---- Plane 2 access for the character generator ----
vga_font_begin:
        push    ax
        push    dx
        mov     dx, 0x3C4
        mov     ax, 0x0402          ; write plane 2 only
        out     dx, ax
        mov     ax, 0x0604          ; sequential addressing, no chain-4
        out     dx, ax
        mov     dx, 0x3CE
        mov     ax, 0x0204          ; read plane 2
        out     dx, ax
        mov     ax, 0x0005
        out     dx, ax
        mov     ax, 0x0406          ; A0000h, 64 KiB, no odd/even
        out     dx, ax
        pop     dx
        pop     ax
        ret

vga_font_end:
        push    ax
        push    dx
        mov     dx, 0x3C4
        mov     ax, 0x0302
        out     dx, ax
        mov     ax, 0x0204
        out     dx, ax
        mov     dx, 0x3CE
        mov     ax, 0x0004
        out     dx, ax
        mov     ax, 0x1005
        out     dx, ax
        mov     ax, 0x0E06          ; B8000h, odd/even
        cmp     word [BDA_VCRTC], 0x3B4
        jne     .c
        mov     ax, 0x0A06          ; B0000h for the monochrome mode
.c:     out     dx, ax
        pop     dx
        pop     ax
        ret

; Load CX characters of BH bytes from FS:SI, starting at character DX, into
; font block BL (0-7). DS = BDA.
vga_load_font:
        pusha
        push    es
        call    vga_font_begin
        mov     ax, 0xA000
        mov     es, ax
        movzx   ax, bl
        and     al, 3
        shl     ax, 14              ; blocks 0-3 at 16 KiB steps...
        test    bl, 4
        jz      .b
        add     ax, 0x2000          ; ...blocks 4-7 8 KiB above them
.b:     shl     dx, 5
        add     ax, dx
        mov     di, ax
        jcxz    .done
.ch:    push    cx
        push    di
        movzx   cx, bh
.by:    mov     al, [fs:si]
        inc     si
        stosb
        loop    .by
        mov     cx, 32              ; clear the rest of the 32-byte cell
        sub     cl, bh
        jbe     .nz
        xor     al, al
        rep     stosb
.nz:    pop     di
        add     di, 32
        pop     cx
        loop    .ch
.done:  call    vga_font_end
        pop     es
        popa
        ret

; Load the ROM font of height AL (8, 14 or 16) into block BL.
vga_load_rom_font:
        pusha
        push    fs
        mov     bh, al
        xor     dx, dx
        mov     cx, 256
        push    word FONT_SEG
        pop     fs
        mov     si, font8x16
        cmp     al, 16
        je      .load
        mov     si, font8x14
        cmp     al, 14
        je      .load
        mov     si, font8x8
.load:  call    vga_load_font
        pop     fs
        popa
        ret

; Text mode geometry for character height BH: rows that fit in the
; displayed lines, CRTC maximum scan line, cursor and underline, BDA.
vga_text_recalc:
        pusha
        mov     dx, [BDA_VCRTC]
        ; displayed lines = VDE + 1 (bits 8 and 9 in the overflow register)
        mov     al, 0x07
        out     dx, al
        inc     dx
        in      al, dx
        dec     dx
        mov     ah, al
        mov     al, 0x12
        out     dx, al
        inc     dx
        in      al, dx
        dec     dx
        mov     cl, ah
        xor     ah, ah
        test    cl, 0x02
        jz      .v8
        or      ah, 1
.v8:    test    cl, 0x40
        jz      .v9
        or      ah, 2
.v9:    inc     ax
        movzx   cx, bh
        xor     dx, dx
        div     cx                  ; AX = rows
        mov     bl, al
        dec     al
        mov     [BDA_VROWS], al
        mov     [BDA_VCHARH], cx
        movzx   ax, bl
        mul     byte [BDA_VCOLS]
        shl     ax, 1
        add     ax, 0xFF
        xor     al, al
        mov     [BDA_VPAGESIZE], ax
        ; displayed lines = rows x height, so no partial row shows
        movzx   ax, bl
        mul     bh
        dec     ax
        mov     cx, ax
        mov     dx, [BDA_VCRTC]
        mov     al, 0x12
        mov     ah, cl
        out     dx, ax
        mov     al, 0x11            ; unlock CRTC 0-7 for the overflow bits
        out     dx, al
        inc     dx
        in      al, dx
        mov     bl, al
        and     al, 0x7F
        out     dx, al
        dec     dx
        mov     al, 0x07
        out     dx, al
        inc     dx
        in      al, dx
        and     al, ~0x42
        test    ch, 1
        jz      .o8
        or      al, 0x02
.o8:    test    ch, 2
        jz      .o9
        or      al, 0x40
.o9:    out     dx, al
        dec     dx
        mov     al, 0x11
        mov     ah, bl
        out     dx, ax
        mov     al, 0x09
        out     dx, al
        inc     dx
        in      al, dx
        and     al, 0xE0
        mov     ah, bh
        dec     ah
        or      al, ah
        out     dx, al
        dec     dx
        cmp     dx, 0x3B4           ; underline on the last line (monochrome only)
        jne     .cur
        mov     al, 0x14
        out     dx, ax
.cur:   mov     al, 0x0A
        mov     ah, bh
        sub     ah, 2
        out     dx, ax
        mov     al, 0x0B
        inc     ah
        out     dx, ax
        popa
        ret

v_font:
        cmp     al, 0x30
        je      .info
        cmp     al, 0x03
        je      .block
        cmp     al, 0x20
        jae     .gfx
        ; 00h-14h: load a font into the character generator
        mov     ah, al
        and     ah, 0x0F
        cmp     ah, 0x00
        je      .user
        cmp     ah, 0x01
        mov     dl, 14
        je      .rom
        cmp     ah, 0x02
        mov     dl, 8
        je      .rom
        cmp     ah, 0x04
        mov     dl, 16
        je      .rom
        ret
.user:  push    fs
        push    es
        pop     fs
        mov     si, [bp + R_BP]
        mov     dx, [bp + R_DX]
        call    vga_load_font
        pop     fs
        jmp     .recalc
.rom:   push    ax
        mov     al, dl
        call    vga_load_rom_font
        pop     ax
        mov     bh, dl
.recalc:
        test    al, 0x10
        jz      .r
        call    vga_text_recalc
.r:     ret
.block: mov     dx, 0x3C4
        mov     al, 0x03
        mov     ah, bl
        out     dx, ax
        ret
.gfx:   ; 20h: INT 1Fh; 21h-24h: INT 43h and the rows of the screen
        push    ds
        xor     si, si
        mov     ds, si
        cmp     al, 0x20
        jne     .g1
        mov     si, [bp + R_BP]
        mov     [0x1F * 4], si
        mov     [0x1F * 4 + 2], es
        pop     ds
        ret
.g1:    mov     si, [bp + R_BP]
        mov     di, es
        cmp     al, 0x21
        je      .g2
        mov     di, FONT_SEG
        mov     cx, 14
        mov     si, font8x14
        cmp     al, 0x22
        je      .g2
        mov     cx, 16
        mov     si, font8x16
        cmp     al, 0x24
        je      .g2
        mov     cx, 8
        mov     si, font8x8
.g2:    mov     [0x43 * 4], si
        mov     [0x43 * 4 + 2], di
        pop     ds
        mov     [BDA_VCHARH], cx
        mov     al, dl              ; BL: 0 = DL rows, 1 = 14, 2 = 25, 3 = 43
        cmp     bl, 1
        jb      .g3
        mov     al, 14
        je      .g3
        mov     al, 25
        cmp     bl, 2
        je      .g3
        mov     al, 43
.g3:    dec     al
        mov     [BDA_VROWS], al
        ret
.info:  mov     ax, [BDA_VCHARH]
        mov     [bp + R_CX], ax
        mov     al, [BDA_VROWS]
        mov     [bp + R_DL], al
        push    ds
        xor     si, si
        mov     ds, si
        mov     ax, FONT_SEG
        cmp     bh, 0
        jne     .i1
        les     si, [0x1F * 4]
        jmp     .iset
.i1:    cmp     bh, 1
        jne     .i2
        les     si, [0x43 * 4]
        jmp     .iset
.i2:    mov     es, ax
        mov     si, font8x14
        cmp     bh, 2
        je      .iset
        cmp     bh, 5
        je      .iset
        mov     si, font8x8_hi
        cmp     bh, 4
        je      .iset
        mov     si, font8x16
        cmp     bh, 6
        je      .iset
        cmp     bh, 7
        je      .iset
        mov     ax, BIOS_SEG
        mov     es, ax
        mov     si, font8x8_lo
.iset:  pop     ds
        mov     [bp + R_ES], es
        mov     [bp + R_BP], si
        ret

; ---- 12h: alternate select ----
v_alt_select:
        cmp     bl, 0x10
        jne     .n1
        mov     bx, 0x0003          ; colour, 256 KiB
        cmp     word [BDA_VCRTC], 0x3B4
        jne     .c
        mov     bh, 1
.c:     mov     [bp + R_BX], bx
        mov     cl, [BDA_VSWITCHES]
        and     cl, 0x0F
        xor     ch, ch
        mov     [bp + R_CX], cx
        ret
.n1:    mov     byte [bp + R_AL], 0x12
        cmp     bl, 0x20
        je      .r
        cmp     bl, 0x30
        je      .r                  ; scan lines: text modes keep 400 lines
        cmp     bl, 0x31
        jne     .n2
        and     byte [BDA_VGAFLAGS], ~0x08
        test    al, al
        jz      .r
        or      byte [BDA_VGAFLAGS], 0x08
        ret
.n2:    cmp     bl, 0x32
        je      .r
        cmp     bl, 0x33
        jne     .n3
        and     byte [BDA_VGAFLAGS], ~0x02
        test    al, al
        jnz     .r
        or      byte [BDA_VGAFLAGS], 0x02
        ret
.n3:    cmp     bl, 0x34
        jne     .n4
        and     byte [BDA_VEGAMISC], ~0x01
        test    al, al
        jz      .r
        or      byte [BDA_VEGAMISC], 0x01
        ret
.n4:    cmp     bl, 0x35
        je      .r
        cmp     bl, 0x36
        jne     .none
        mov     ah, al
        mov     dx, 0x3C4
        mov     al, 0x01
        out     dx, al
        inc     dx
        in      al, dx
        and     al, ~0x20
        test    ah, ah
        jz      .on
        or      al, 0x20
.on:    out     dx, al
        mov     byte [bp + R_AL], 0x12
.r:     ret
.none:  mov     byte [bp + R_AL], 0
        ret

; ---- 10h: palette ----
v_palette:
        cmp     al, 0x00
        jne     .n1
        mov     ah, bl
        mov     al, bh
        and     ah, 0x0F
        jmp     vga_ac_write
.n1:    cmp     al, 0x01
        jne     .n2
        mov     ax, 0x1100
        mov     al, bh
        jmp     vga_ac_write
.n2:    cmp     al, 0x02
        jne     .n3
        mov     si, dx
        xor     ah, ah
.p17:   mov     al, [es:si]
        inc     si
        call    vga_ac_write
        inc     ah
        cmp     ah, 16
        jb      .p17
        mov     al, [es:si]
        mov     ah, 0x11
        jmp     vga_ac_write
.n3:    cmp     al, 0x03
        jne     .n7
        mov     ah, 0x10
        call    vga_ac_read
        and     al, ~0x08
        test    bl, bl
        jz      .bl
        or      al, 0x08
.bl:    jmp     vga_ac_write
.n7:    cmp     al, 0x07
        jne     .n8
        mov     ah, bl
        and     ah, 0x1F
        call    vga_ac_read
        mov     [bp + R_BH], al
        ret
.n8:    cmp     al, 0x08
        jne     .n9
        mov     ah, 0x11
        call    vga_ac_read
        mov     [bp + R_BH], al
        ret
.n9:    cmp     al, 0x09
        jne     .n10
        mov     di, dx
        xor     ah, ah
.r17:   call    vga_ac_read
        stosb
        inc     ah
        cmp     ah, 16
        jb      .r17
        mov     ah, 0x11
        call    vga_ac_read
        stosb
        ret
.n10:   cmp     al, 0x10
        jne     .n12
        mov     al, bl
        mov     dx, 0x3C8
        out     dx, al
        inc     dx
        mov     al, [bp + R_DH]
        out     dx, al
        mov     al, ch
        out     dx, al
        mov     al, cl
        out     dx, al
        ret
.n12:   cmp     al, 0x12
        jne     .n13
        mov     si, dx
        mov     al, bl
        mov     dx, 0x3C8
        out     dx, al
        inc     dx
        jcxz    .r
.w3:    mov     al, [es:si]
        out     dx, al
        mov     al, [es:si + 1]
        out     dx, al
        mov     al, [es:si + 2]
        out     dx, al
        add     si, 3
        loop    .w3
.r:     ret
.n13:   cmp     al, 0x13
        jne     .n15
        test    bl, bl
        jnz     .page
        mov     ah, 0x10
        call    vga_ac_read
        and     al, 0x7F
        test    bh, bh
        jz      .m
        or      al, 0x80
.m:     jmp     vga_ac_write
.page:  mov     al, bh
        mov     ah, 0x14
        jmp     vga_ac_write
.n15:   cmp     al, 0x15
        jne     .n17
        mov     al, bl
        mov     dx, 0x3C7
        out     dx, al
        add     dx, 2
        in      al, dx
        mov     [bp + R_DH], al
        in      al, dx
        mov     [bp + R_CH], al
        in      al, dx
        mov     [bp + R_CL], al
        ret
.n17:   cmp     al, 0x17
        jne     .n18
        mov     di, dx
        mov     al, bl
        mov     dx, 0x3C7
        out     dx, al
        add     dx, 2
        jcxz    .r
.rd3:   in      al, dx
        stosb
        in      al, dx
        stosb
        in      al, dx
        stosb
        loop    .rd3
        ret
.n18:   cmp     al, 0x18
        jne     .n19
        mov     al, bl
        mov     dx, 0x3C6
        out     dx, al
        ret
.n19:   cmp     al, 0x19
        jne     .n1a
        mov     dx, 0x3C6
        in      al, dx
        mov     [bp + R_BL], al
        ret
.n1a:   cmp     al, 0x1A
        jne     .n1b
        mov     ah, 0x10
        call    vga_ac_read
        shr     al, 7
        mov     [bp + R_BL], al
        mov     ah, 0x14
        call    vga_ac_read
        mov     [bp + R_BH], al
        ret
.n1b:   cmp     al, 0x1B
        jne     .r
        ; grey = 30% red + 59% green + 11% blue, for CX registers from BX
        test    cx, cx
        jz      .r
.gs:    mov     dx, 0x3C7
        mov     al, bl
        out     dx, al
        add     dx, 2
        in      al, dx
        mov     ah, 77              ; 0.30 x 256
        mul     ah
        mov     di, ax
        in      al, dx
        mov     ah, 151             ; 0.59 x 256
        mul     ah
        add     di, ax
        in      al, dx
        mov     ah, 28              ; 0.11 x 256
        mul     ah
        add     ax, di
        add     ax, 0x80
        mov     al, ah
        mov     dx, 0x3C8
        push    ax
        mov     al, bl
        out     dx, al
        pop     ax
        inc     dx
        out     dx, al
        out     dx, al
        out     dx, al
        inc     bx
        loop    .gs
        ret
