; SPDX-License-Identifier: MIT
;
; Kiln BIOS: drawing in the VGA graphics modes for INT 10h: pixels (0Ch,
; 0Dh), characters from the INT 43h font (09h, 0Ah, 0Eh, and 08h by
; matching the font), and window scrolling, for the CGA layouts (04h-06h,
; two interleaved banks), the planar modes (0Dh-12h, through the graphics
; controller's write mode 1/2, set/reset and bit mask) and mode 13h. Only
; display page 0 is drawn in graphics modes. Spec: IBM VGA Technical
; Reference (graphics controller, memory organisation of the BIOS modes).

section fseg

; AX = offset of pixel line AX in the mode at CS:BX. Clobbers DX.
gfx_line_offset:
        cmp     byte [cs:bx + vmode.kind], VK_PLANAR
        jae     .linear
        mov     dx, ax              ; CGA: even lines at 0, odd lines at 2000h
        shr     ax, 1
        imul    ax, ax, 80
        test    dl, 1
        jz      .r
        add     ax, 0x2000
.r:     ret
.linear:
        mul     word [cs:bx + vmode.bpl]
        ret

; Graphics controller register AL <- AH.
gc_write:
        push    dx
        mov     dx, 0x3CE
        out     dx, ax
        pop     dx
        ret

; Bytes per character column of mode CS:BX -> AX.
gfx_col_bytes:
        mov     ax, 1
        cmp     byte [cs:bx + vmode.kind], VK_CGA2
        jne     .n
        mov     al, 2
.n:     cmp     byte [cs:bx + vmode.kind], VK_256
        jne     .r
        mov     al, 8
.r:     ret

; Scroll: AL lines, AH window height, CX/DX corners, BH colour, DI = 0 up
; or 1 down, CS:SI = mode, DS = BDA.
GS_K    equ -2                      ; bytes per character column
GS_H    equ -4                      ; pixel lines per character row
GS_W    equ -6                      ; window width in bytes
GS_LEFT equ -8                      ; left edge in bytes
GS_FILL equ -10
GS_STEP equ -12
GS_DST  equ -14
GS_MOVE equ -16
GS_CLR  equ -18
GS_AX   equ -20
GS_CX   equ -22
gfx_scroll:
        push    bp
        mov     bp, sp
        sub     sp, 22
        push    ds
        push    es
        mov     [bp + GS_AX], ax
        mov     [bp + GS_CX], cx
        mov     [bp + GS_FILL], bh  ; the colour, until it becomes the fill byte
        mov     es, [cs:si + vmode.seg]
        movzx   ax, byte [BDA_VCHARH]
        mov     [bp + GS_H], ax
        mov     bx, si
        call    gfx_col_bytes
        mov     [bp + GS_K], ax
        push    dx
        movzx   ax, dl
        sub     al, cl
        inc     ax
        mul     word [bp + GS_K]
        mov     [bp + GS_W], ax
        movzx   ax, cl
        mul     word [bp + GS_K]
        mov     [bp + GS_LEFT], ax
        pop     dx
        ; fill byte
        mov     al, [bp + GS_FILL]
        cmp     byte [cs:si + vmode.kind], VK_CGA2
        jne     .f1
        and     al, 3
        mov     ah, 0x55
        mul     ah
        jmp     .f3
.f1:    cmp     byte [cs:si + vmode.kind], VK_CGA1
        jne     .f3
        and     al, 1
        neg     al
.f3:    mov     [bp + GS_FILL], al
        mov     ax, [bp + GS_AX]
        movzx   cx, ah
        sub     cl, al
        mov     [bp + GS_MOVE], cx
        movzx   cx, al
        mov     [bp + GS_CLR], cx
        mov     cx, [bp + GS_CX]
        mov     word [bp + GS_STEP], 1
        movzx   cx, ch
        test    di, di
        jz      .d
        mov     word [bp + GS_STEP], -1
        movzx   cx, dh
.d:     mov     [bp + GS_DST], cx
        ; planar copies go through the latches (write mode 1)
        cmp     byte [cs:si + vmode.kind], VK_PLANAR
        jne     .mv
        mov     ax, 0x0105
        call    gc_write
.mv:    push    es
        pop     ds
        mov     bx, si              ; BX = mode from here on
.mrow:  cmp     word [bp + GS_MOVE], 0
        je      .clear
        mov     ax, [bp + GS_AX]
        movzx   ax, al
        imul    ax, [bp + GS_STEP]
        add     ax, [bp + GS_DST]   ; source character row
        xor     cx, cx
.mline: push    cx
        push    ax
        mul     word [bp + GS_H]
        add     ax, cx
        call    gfx_line_offset
        add     ax, [bp + GS_LEFT]
        mov     si, ax
        mov     ax, [bp + GS_DST]
        mul     word [bp + GS_H]
        pop     dx
        pop     cx
        push    cx
        push    dx
        add     ax, cx
        call    gfx_line_offset
        add     ax, [bp + GS_LEFT]
        mov     di, ax
        mov     cx, [bp + GS_W]
        rep     movsb
        pop     ax
        pop     cx
        inc     cx
        cmp     cx, [bp + GS_H]
        jb      .mline
        mov     ax, [bp + GS_STEP]
        add     [bp + GS_DST], ax
        dec     word [bp + GS_MOVE]
        jmp     .mrow
.clear: cmp     byte [cs:bx + vmode.kind], VK_PLANAR
        jne     .crow
        mov     ax, 0x0005          ; write mode 0 with set/reset = colour
        call    gc_write
        mov     ah, [bp + GS_FILL]
        xor     al, al
        call    gc_write
        mov     ax, 0x0F01
        call    gc_write
.crow:  cmp     word [bp + GS_CLR], 0
        je      .done
        xor     cx, cx
.cline: push    cx
        mov     ax, [bp + GS_DST]
        mul     word [bp + GS_H]
        add     ax, cx
        call    gfx_line_offset
        add     ax, [bp + GS_LEFT]
        mov     di, ax
        mov     cx, [bp + GS_W]
        mov     al, [bp + GS_FILL]
        rep     stosb
        pop     cx
        inc     cx
        cmp     cx, [bp + GS_H]
        jb      .cline
        mov     ax, [bp + GS_STEP]
        add     [bp + GS_DST], ax
        dec     word [bp + GS_CLR]
        jmp     .crow
.done:  cmp     byte [cs:bx + vmode.kind], VK_PLANAR
        jne     .out
        mov     ax, 0x0001
        call    gc_write
        xor     ax, ax
        call    gc_write
.out:   pop     es
        pop     ds
        mov     sp, bp
        pop     bp
        ret

; Character AL in colour BL (bit 7: XOR) at row DH, column DL, using the
; INT 43h font; CS:SI = mode, DS = BDA. Keeps all registers.
gfx_write_char:
        pusha
        push    es
        push    fs
        push    bx                  ; the colour
        mov     bx, si              ; BX = mode
        movzx   cx, byte [BDA_VCHARH]
        xor     si, si
        mov     es, si
        mov     fs, [es:0x43 * 4 + 2]
        mov     si, [es:0x43 * 4]
        cmp     byte [cs:bx + vmode.kind], VK_CGA1
        ja      .font
        test    al, al              ; CGA modes: 80h-FFh come from INT 1Fh
        jns     .font
        mov     fs, [es:0x1F * 4 + 2]
        mov     si, [es:0x1F * 4]
        sub     al, 0x80
.font:  movzx   ax, al
        push    dx
        mul     cx
        pop     dx
        add     si, ax              ; FS:SI = glyph
        mov     es, [cs:bx + vmode.seg]
        push    dx
        movzx   ax, dh
        mul     cx
        pop     dx
        mov     di, ax              ; DI = first pixel line
        pop     ax                  ; DH = colour from now on; DL = column
        mov     dh, al
        cmp     byte [cs:bx + vmode.kind], VK_PLANAR
        je      .planar
.line:  push    cx
        push    dx
        mov     ax, di
        call    gfx_line_offset
        pop     dx
        push    di
        mov     di, ax
        mov     al, [fs:si]         ; glyph row
        inc     si
        mov     cl, [cs:bx + vmode.kind]
        cmp     cl, VK_CGA2
        je      .cga2
        cmp     cl, VK_CGA1
        je      .cga1
        ; 256 colours: one byte per pixel
        movzx   cx, dl
        shl     cx, 3
        add     di, cx
        mov     ah, al
        mov     cx, 8
.p8:    xor     al, al
        shl     ah, 1
        jnc     .p8s
        mov     al, dh
.p8s:   stosb
        loop    .p8
        jmp     .next
.cga1:  movzx   cx, dl
        add     di, cx
        test    dh, 1
        jnz     .c1
        xor     al, al
.c1:    test    dh, 0x80
        jz      .c1s
        xor     [es:di], al
        jmp     .next
.c1s:   mov     [es:di], al
        jmp     .next
.cga2:  movzx   cx, dl
        shl     cx, 1
        add     di, cx
        ; two bits per pixel: spread the glyph row with the colour
        push    bx
        mov     ah, al
        xor     bx, bx
        mov     cx, 8
.sp:    shl     bx, 2
        shl     ah, 1
        jnc     .sp1
        mov     al, dh
        and     al, 3
        or      bl, al
.sp1:   loop    .sp
        test    dh, 0x80
        jz      .sps
        xor     [es:di], bh
        xor     [es:di + 1], bl
        pop     bx
        jmp     .next
.sps:   mov     [es:di], bh
        mov     [es:di + 1], bl
        pop     bx
.next:  pop     di
        inc     di
        pop     cx
        dec     cx
        jnz     .line
        jmp     .out
.planar:
        mov     ax, 0x0205          ; write mode 2: the CPU byte is a colour
        call    gc_write
        test    dh, 0x80
        jz      .pl
        mov     ax, 0x1803          ; XOR
        call    gc_write
.pl:    push    cx
        push    dx
        mov     ax, di
        call    gfx_line_offset
        pop     dx
        push    di
        movzx   di, dl
        add     di, ax
        mov     ah, [fs:si]
        inc     si
        mov     al, 0x08
        call    gc_write            ; bit mask = glyph row
        mov     al, [es:di]         ; load the latches
        mov     al, dh
        and     al, 0x0F
        mov     [es:di], al
        test    dh, 0x80
        jnz     .pn
        not     ah
        mov     al, 0x08
        call    gc_write            ; the other pixels: colour 0
        mov     al, [es:di]
        mov     byte [es:di], 0
.pn:    pop     di
        inc     di
        pop     cx
        loop    .pl
        mov     ax, 0xFF08
        call    gc_write
        mov     ax, 0x0003
        call    gc_write
        mov     ax, 0x0005
        call    gc_write
.out:   pop     fs
        pop     es
        popa
        ret

; Pixel colour AL (bit 7: XOR) at column CX, line DX; CS:SI = mode.
gfx_put_pixel:
        pusha
        push    es
        mov     bx, si
        mov     es, [cs:bx + vmode.seg]
        push    ax
        mov     ax, dx
        call    gfx_line_offset
        mov     di, ax
        pop     ax
        mov     dl, [cs:bx + vmode.kind]
        cmp     dl, VK_256
        jne     .n256
        add     di, cx
        mov     [es:di], al
        jmp     .out
.n256:  cmp     dl, VK_PLANAR
        je      .planar
        cmp     dl, VK_CGA1
        je      .cga1
        ; CGA2: four pixels per byte, leftmost in bits 7-6
        mov     dx, cx
        shr     dx, 2
        add     di, dx
        and     cl, 3
        mov     ch, 3
        sub     ch, cl
        mov     cl, ch
        shl     cl, 1               ; shift
        mov     ah, al
        and     al, 3
        shl     al, cl
        mov     dl, 3
        shl     dl, cl
        jmp     .store
.cga1:  mov     dx, cx
        shr     dx, 3
        add     di, dx
        and     cl, 7
        mov     dl, 0x80
        shr     dl, cl
        mov     ah, al
        and     al, 1
        neg     al
        and     al, dl
.store: test    ah, 0x80
        jz      .set
        xor     [es:di], al
        jmp     .out
.set:   not     dl
        and     [es:di], dl
        or      [es:di], al
        jmp     .out
.planar:
        mov     dx, cx
        shr     dx, 3
        add     di, dx
        and     cl, 7
        mov     ah, 0x80
        shr     ah, cl
        push    ax
        mov     al, 0x08
        call    gc_write
        mov     ax, 0x0205
        call    gc_write
        pop     ax
        test    al, 0x80
        jz      .pw
        push    ax
        mov     ax, 0x1803
        call    gc_write
        pop     ax
.pw:    mov     ah, [es:di]
        and     al, 0x0F
        mov     [es:di], al
        mov     ax, 0xFF08
        call    gc_write
        mov     ax, 0x0003
        call    gc_write
        mov     ax, 0x0005
        call    gc_write
.out:   pop     es
        popa
        ret

; AL = colour of the pixel at column CX, line DX; CS:SI = mode.
gfx_get_pixel:
        push    bx
        push    cx
        push    dx
        push    di
        push    es
        mov     bx, si
        mov     es, [cs:bx + vmode.seg]
        mov     ax, dx
        call    gfx_line_offset
        mov     di, ax
        mov     dl, [cs:bx + vmode.kind]
        cmp     dl, VK_256
        jne     .n256
        add     di, cx
        mov     al, [es:di]
        jmp     .out
.n256:  cmp     dl, VK_PLANAR
        je      .planar
        cmp     dl, VK_CGA1
        je      .cga1
        mov     dx, cx
        shr     dx, 2
        add     di, dx
        and     cl, 3
        mov     ch, 3
        sub     ch, cl
        mov     cl, ch
        shl     cl, 1
        mov     al, [es:di]
        shr     al, cl
        and     al, 3
        jmp     .out
.cga1:  mov     dx, cx
        shr     dx, 3
        add     di, dx
        and     cl, 7
        mov     al, [es:di]
        shl     al, cl
        shr     al, 7
        jmp     .out
.planar:
        mov     dx, cx
        shr     dx, 3
        add     di, dx
        and     cl, 7
        mov     ch, 0x80
        shr     ch, cl              ; CH = bit
        xor     bl, bl
        mov     ax, 0x0304          ; read map 3 down to 0
.rp:    call    gc_write
        shl     bl, 1
        test    [es:di], ch
        jz      .rz
        or      bl, 1
.rz:    sub     ah, 1
        jnc     .rp
        xor     ax, ax
        mov     al, 0x04
        call    gc_write
        mov     al, bl
.out:   pop     es
        pop     di
        pop     dx
        pop     cx
        pop     bx
        ret

; AX = character at row DH, column DL (AH = 0), found by matching the
; pixels against the INT 43h font; 0 when nothing matches. CS:SI = mode.
gfx_read_char:
        push    bp
        mov     bp, sp
        sub     sp, 16              ; the cell as glyph rows
        push    bx
        push    cx
        push    dx
        push    di
        push    es
        movzx   bx, byte [BDA_VCHARH]
        push    dx
        movzx   ax, dh
        mul     bx
        mov     di, ax              ; first pixel line
        pop     dx
        movzx   cx, dl
        shl     cx, 3               ; first pixel column
        xor     bx, bx
.row:   xor     ah, ah
        push    cx
        push    dx
        mov     dx, 8
.px:    push    ax
        push    dx
        mov     dx, di
        add     dx, bx
        call    gfx_get_pixel
        test    al, al
        pop     dx
        pop     ax
        setnz   al
        shl     ah, 1
        or      ah, al
        inc     cx
        dec     dx
        jnz     .px
        pop     dx
        pop     cx
        push    di
        lea     di, [bp - 16]
        add     di, bx
        mov     [ss:di], ah
        pop     di
        inc     bx
        cmp     bl, [BDA_VCHARH]
        jb      .row
        ; compare with the font
        xor     ax, ax
        mov     es, ax
        les     di, [es:0x43 * 4]
        movzx   dx, byte [BDA_VCHARH]
        mov     bx, 256             ; the CGA modes' INT 43h font has 128
        cmp     byte [cs:si + vmode.kind], VK_CGA1
        ja      .lim
        mov     bx, 128
.lim:   xor     ax, ax              ; candidate
.cand:  push    di
        push    si
        lea     si, [bp - 16]
        mov     cx, dx
        push    ds
        push    ss
        pop     ds
        repe    cmpsb
        pop     ds
        pop     si
        pop     di
        je      .found
        add     di, dx
        inc     ax
        cmp     ax, bx
        jb      .cand
        xor     ax, ax
.found: pop     es
        pop     di
        pop     dx
        pop     cx
        pop     bx
        mov     sp, bp
        pop     bp
        ret
