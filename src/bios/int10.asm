; SPDX-License-Identifier: MIT
;
; Kiln BIOS: INT 10h video services, the dispatcher and the text services:
; set mode (00h), cursor shape and position (01h-03h), light pen (04h),
; display page (05h), scrolling (06h/07h), character read/write (08h-0Ah),
; CGA palette (0Bh), pixels (0Ch/0Dh), teletype (0Eh, copied to the serial
; console), mode query (0Fh), write string (13h), display combination
; (1Ah), state information (1Bh). Graphics-mode drawing is in vga_gfx.asm,
; palette/font/alternate-select in vga_font.asm, VBE (4Fh) in vbe.asm.
; Spec: IBM VGA Technical Reference (video BIOS), IBM PC AT Technical
; Reference (INT 10h); Ralf Brown's Interrupt List.

section fseg

; The caller's registers in the frame of INT 10h and INT 13h (BP = frame):
; ES, DS, then PUSHAD's EDI ... EAX, then the interrupt's IP, CS, FLAGS.
; Whole 32-bit registers are saved: real-mode callers keep data in the
; upper halves across BIOS calls.
R_ES    equ 0
R_DS    equ 2
R_DI    equ 4
R_SI    equ 8
R_BP    equ 12
R_BX    equ 20
R_BL    equ 20
R_BH    equ 21
R_DX    equ 24
R_DL    equ 24
R_DH    equ 25
R_CX    equ 28
R_CL    equ 28
R_CH    equ 29
R_AX    equ 32
R_AL    equ 32
R_AH    equ 33
R_FLAGS equ 40

int10_handler:
        sti
        cld
        cmp     ah, 0x4F
        jne     .std
        jmp     vbe_handler
.std:   pushad
        push    ds
        push    es
        mov     bp, sp
        push    word BDA_SEG
        pop     ds
        cmp     ah, 0x1C
        ja      .done
        movzx   si, ah
        shl     si, 1
        call    [cs:int10_table + si]
.done:  pop     es
        pop     ds
        popad
        iret

int10_table:
        dw v_set_mode, v_cursor_shape, v_set_cursor, v_get_cursor
        dw v_light_pen, v_set_page, v_scroll_up, v_scroll_down
        dw v_read_char, v_write_char_attr, v_write_char, v_cga_palette
        dw v_write_pixel, v_read_pixel, v_teletype, v_get_mode
        dw v_palette, v_font, v_alt_select, v_write_string
        dw v_none, v_none, v_none, v_none
        dw v_none, v_none, v_dcc, v_state_info
        dw v_save_state

v_none:
        ret

v_set_mode:
        call    vga_set_mode
        jc      .r
        mov     ah, al
        and     ah, 0x7F
        mov     al, 0x20
        cmp     ah, 7
        ja      .s
        mov     al, 0x30
        cmp     ah, 6
        jne     .s
        mov     al, 0x3F
.s:     mov     [bp + R_AL], al
.r:     ret

v_cursor_shape:
        ; fall into vga_set_cursor_shape with CX from the caller

; Cursor shape CX (start in CH, end in CL, CGA lines 0-7 scaled to the
; character height unless 40:87 bit 0 disables the emulation). DS = BDA.
vga_set_cursor_shape:
        push    ax
        push    bx
        push    cx
        push    dx
        mov     [BDA_VCURSHAPE], cx
        mov     ah, ch
        and     ah, 0x60
        cmp     ah, 0x20
        jne     .on
        mov     cx, 0x2000          ; cursor off
        jmp     .set
.on:    and     cx, 0x1F1F
        test    byte [BDA_VEGAMISC], 0x01
        jnz     .set
        mov     bl, [BDA_VCHARH]
        cmp     bl, 8
        jbe     .set
        cmp     ch, 7
        ja      .set
        cmp     cl, 7
        ja      .set
        ; end: line 7 (the CGA bottom) -> height - 2, others scaled
        mov     al, cl
        inc     al
        mul     bl
        shr     ax, 3
        dec     al
        cmp     cl, 7
        jne     .e
        mov     al, bl
        sub     al, 2
.e:     mov     dl, al
        ; start: near the bottom keeps its distance from the end
        mov     al, ch
        cmp     al, 4
        jb      .scale
        cmp     cl, 7
        jne     .scale
        mov     al, 8
        sub     al, ch
        mov     ah, bl
        sub     ah, al
        dec     ah
        mov     al, ah
        jmp     .s
.scale: mul     bl
        shr     ax, 3
.s:     mov     ch, al
        mov     cl, dl
.set:   mov     dx, [BDA_VCRTC]
        mov     al, 0x0A
        mov     ah, ch
        out     dx, ax
        mov     al, 0x0B
        mov     ah, cl
        out     dx, ax
        pop     dx
        pop     cx
        pop     bx
        pop     ax
        ret

v_set_cursor:
        and     bh, 7
        movzx   si, bh
        shl     si, 1
        mov     [BDA_VCURSOR + si], dx
        ; fall through: move the hardware cursor if BH is the active page

; Hardware cursor to the position of page BH, if it is the active page.
vga_update_cursor:
        pusha
        cmp     bh, [BDA_VPAGE]
        jne     .done
        movzx   si, bh
        shl     si, 1
        mov     dx, [BDA_VCURSOR + si]
        movzx   ax, dh
        mul     byte [BDA_VCOLS]
        movzx   dx, dl
        add     ax, dx
        mov     bx, [BDA_VPAGESTART]
        shr     bx, 1
        add     bx, ax
        mov     dx, [BDA_VCRTC]
        mov     al, 0x0E
        mov     ah, bh
        out     dx, ax
        mov     al, 0x0F
        mov     ah, bl
        out     dx, ax
.done:  popa
        ret

v_get_cursor:
        and     bh, 7
        movzx   si, bh
        shl     si, 1
        mov     ax, [BDA_VCURSOR + si]
        mov     [bp + R_DX], ax
        mov     ax, [BDA_VCURSHAPE]
        mov     [bp + R_CX], ax
        ret

v_light_pen:
        mov     byte [bp + R_AH], 0
        ret

v_set_page:
        call    vga_cur_mode
        jc      .r
        cmp     word [cs:si + vmode.pagesize], 0
        je      .r
        and     al, 7
        mov     [BDA_VPAGE], al
        movzx   ax, al
        mul     word [BDA_VPAGESIZE]
        mov     [BDA_VPAGESTART], ax
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        jne     .start
        shr     ax, 1
.start: mov     bx, ax
        mov     dx, [BDA_VCRTC]
        mov     al, 0x0C
        mov     ah, bh
        out     dx, ax
        mov     al, 0x0D
        mov     ah, bl
        out     dx, ax
        mov     bh, [BDA_VPAGE]
        call    vga_update_cursor
.r:     ret

v_scroll_up:
        xor     si, si
        jmp     vid_scroll
v_scroll_down:
        mov     si, 1

; Scroll the window CH,CL-DH,DL of the active page by AL lines (0: clear)
; up (SI = 0) or down, filling with attribute/colour BH.
vid_scroll:
        push    si
        call    vga_cur_mode
        pop     di
        jc      .r
        cmp     dh, [BDA_VROWS]
        jbe     .d1
        mov     dh, [BDA_VROWS]
.d1:    mov     ah, [BDA_VCOLS]
        dec     ah
        cmp     dl, ah
        jbe     .d2
        mov     dl, ah
.d2:    cmp     ch, dh
        ja      .r
        cmp     cl, dl
        ja      .r
        mov     ah, dh
        sub     ah, ch
        inc     ah                  ; window height
        test    al, al
        jz      .all
        cmp     al, ah
        jbe     .go
.all:   mov     al, ah
.go:    cmp     byte [cs:si + vmode.kind], VK_TEXT
        je      text_scroll
        jmp     gfx_scroll
.r:     ret

; Text scroll: AL lines, AH window height, CX/DX corners, BH attribute,
; DI = direction (0 up), CS:SI = mode.
text_scroll:
        push    ds
        push    es
        push    bp
        mov     es, [cs:si + vmode.seg]
        movzx   bp, byte [BDA_VCOLS]
        shl     bp, 1               ; BP = bytes per row
        push    di
        mov     bl, dl
        sub     bl, cl
        inc     bl                  ; BL = width, BH = attribute
        test    di, di
        jz      .first
        mov     ch, dh              ; scrolling down starts at the bottom row
.first: push    ax
        movzx   ax, ch
        mul     bp
        mov     di, ax
        movzx   ax, cl
        shl     ax, 1
        add     di, ax
        add     di, [BDA_VPAGESTART]
        pop     ax
        pop     dx
        test    dx, dx
        jz      .step
        neg     bp                  ; down: rows move towards lower addresses
.step:  push    ax
        movzx   ax, al
        imul    ax, bp
        mov     si, di
        add     si, ax              ; source row: AL rows away
        pop     ax
        mov     dl, ah
        sub     dl, al              ; DL = rows to move
        mov     dh, al              ; DH = rows to clear
        push    es
        pop     ds
.mrow:  test    dl, dl
        jz      .fill
        push    si
        push    di
        movzx   cx, bl
        rep     movsw
        pop     di
        pop     si
        add     si, bp
        add     di, bp
        dec     dl
        jmp     .mrow
.fill:  mov     ah, bh
        mov     al, ' '
.frow:  push    di
        movzx   cx, bl
        rep     stosw
        pop     di
        add     di, bp
        dec     dh
        jnz     .frow
        pop     bp
        pop     es
        pop     ds
        ret

; ES:DI = cell (row DH, column DL) of page BH in a text mode; CS:SI = mode.
text_cell:
        push    ax
        push    dx
        mov     es, [cs:si + vmode.seg]
        movzx   ax, bh
        mul     word [BDA_VPAGESIZE]
        mov     di, ax
        pop     dx
        push    dx
        movzx   ax, dh
        mul     byte [BDA_VCOLS]
        movzx   dx, dl
        add     ax, dx
        shl     ax, 1
        add     di, ax
        pop     dx
        pop     ax
        ret

; DX = cursor of page BH.
get_cursor_dx:
        push    si
        movzx   si, bh
        and     si, 7
        shl     si, 1
        mov     dx, [BDA_VCURSOR + si]
        pop     si
        ret

v_read_char:
        call    vga_cur_mode
        jc      .r
        call    get_cursor_dx
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        jne     .g
        call    text_cell
        mov     ax, [es:di]
        mov     [bp + R_AX], ax
.r:     ret
.g:     call    gfx_read_char
        mov     [bp + R_AX], ax
        ret

v_write_char_attr:
        mov     ah, 1
        jmp     vid_write_chars
v_write_char:
        xor     ah, ah

; CX copies of AL at the cursor of page BH (attribute/colour BL when AH = 1
; in text modes; graphics always use BL); the cursor does not move.
vid_write_chars:
        call    vga_cur_mode
        jc      .r
        call    get_cursor_dx
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        jne     .g
        call    text_cell
        jcxz    .r
.t:     mov     [es:di], al
        test    ah, ah
        jz      .t1
        mov     [es:di + 1], bl
.t1:    add     di, 2
        loop    .t
.r:     ret
.g:     jcxz    .r
.gl:    call    gfx_write_char
        inc     dl
        loop    .gl
        ret

v_write_pixel:
        call    vga_cur_mode
        jc      .r
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        je      .r
        call    gfx_put_pixel
.r:     ret

v_read_pixel:
        call    vga_cur_mode
        jc      .r
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        je      .r
        call    gfx_get_pixel
        mov     [bp + R_AL], al
.r:     ret

v_teletype:
        mov     bh, [BDA_VPAGE]     ; the active page, whatever BH holds
        xor     ah, ah
        call    serial_mirror_putc
        jmp     tty_put

; Teletype character AL on page BH: BEL, BS, LF and CR act; other
; characters are written (with attribute BL in text modes when AH = 1;
; in colour BL in graphics modes) and advance the cursor, scrolling at the
; bottom of the screen.
tty_put:
        pusha
        push    es
        call    vga_cur_mode
        jc      .r
        call    get_cursor_dx
        cmp     al, 0x07
        je      .r
        cmp     al, 0x08
        je      .bs
        cmp     al, 0x0A
        je      .lf
        cmp     al, 0x0D
        je      .cr
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        jne     .g
        push    es
        push    di
        call    text_cell
        mov     [es:di], al
        test    ah, ah
        jz      .t1
        mov     [es:di + 1], bl
.t1:    pop     di
        pop     es
        jmp     .adv
.g:     call    gfx_write_char
.adv:   inc     dl
        cmp     dl, [BDA_VCOLS]
        jb      .set
        xor     dl, dl
.lf:    inc     dh
        cmp     dh, [BDA_VROWS]
        jbe     .set
        mov     dh, [BDA_VROWS]
        call    tty_scroll
        jmp     .set
.bs:    test    dl, dl
        jz      .r
        dec     dl
        jmp     .set
.cr:    xor     dl, dl
.set:   push    si
        movzx   si, bh
        and     si, 7
        shl     si, 1
        mov     [BDA_VCURSOR + si], dx
        pop     si
        call    vga_update_cursor
.r:     pop     es
        popa
        ret

; Scroll the whole screen up one line for the teletype: text keeps the
; attribute of the cell at the cursor, graphics fill with colour 0.
tty_scroll:
        pusha
        push    es
        xor     bh, bh
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        jne     .go
        push    bx
        mov     bh, [BDA_VPAGE]
        call    text_cell
        pop     bx
        mov     bh, [es:di + 1]
.go:    mov     al, 1
        xor     cx, cx
        mov     dh, [BDA_VROWS]
        mov     dl, [BDA_VCOLS]
        dec     dl
        xor     si, si
        call    vid_scroll
        pop     es
        popa
        ret

v_get_mode:
        mov     al, [BDA_VMODE]
        mov     ah, [BDA_VEGAMISC]
        and     ah, 0x80
        or      al, ah
        mov     ah, [BDA_VCOLS]
        mov     [bp + R_AX], ax
        mov     al, [BDA_VPAGE]
        mov     [bp + R_BH], al
        ret

