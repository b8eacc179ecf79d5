; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the smaller INT 10h services: CGA palette (0Bh), write string
; (13h), display combination (1Ah), functionality/state information (1Bh),
; save/restore state (1Ch, not supported), the attribute controller
; accessors the palette functions share, and the POST video set-up.
; Spec: IBM VGA Technical Reference (video BIOS functions 0Bh, 13h, 1Ah,
; 1Bh); Ralf Brown's Interrupt List (INT 10h).

section fseg

; 0Bh: BH = 0: background (graphics) or border (text) colour BL, whose
; bit 4 also selects the bright CGA palette; BH = 1: CGA palette BL.
v_cga_palette:
        call    vga_cur_mode
        jc      .r
        test    bh, bh
        jnz     .pal
        mov     al, [BDA_VPALETTE]
        and     al, 0xE0
        mov     ah, bl
        and     ah, 0x1F
        or      al, ah
        mov     [BDA_VPALETTE], al
        mov     al, bl
        and     al, 0x07
        test    bl, 0x08
        jz      .b1
        or      al, 0x10            ; intensity, as the CGA-compatible DAC reads it
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        jne     .b1
        or      al, 0x38            ; the 64-colour set's bright colours
        and     al, 0x3F
.b1:    cmp     byte [cs:si + vmode.kind], VK_TEXT
        je      .border
        xor     ah, ah
        call    vga_ac_write        ; graphics: the background is palette 0
.border:
        mov     ah, 0x11
        call    vga_ac_write
        cmp     byte [cs:si + vmode.kind], VK_CGA2
        jne     .r
        mov     bl, [BDA_VPALETTE]
        shr     bl, 5
        jmp     .set
.pal:   cmp     byte [cs:si + vmode.kind], VK_CGA2
        jne     .r
        mov     al, [BDA_VPALETTE]
        and     al, 0xDF
        and     bl, 1
        shl     bl, 5
        or      al, bl
        mov     [BDA_VPALETTE], al
        shr     bl, 5
        ; palette 0: green, red, brown; palette 1: cyan, magenta, white
.set:   and     bl, 1
        mov     al, 2
        add     al, bl
        test    byte [BDA_VPALETTE], 0x10
        jz      .p2
        or      al, 0x10
.p2:    mov     ah, 1
.p3:    call    vga_ac_write
        add     al, 2
        inc     ah
        cmp     ah, 4
        jb      .p3
.r:     ret

; Attribute controller register AH <- AL (keeps the screen on).
vga_ac_write:
        push    ax
        push    dx
        push    ax
        mov     dx, [BDA_VCRTC]
        add     dx, 6
        in      al, dx
        mov     dx, 0x3C0
        pop     ax
        xchg    al, ah
        out     dx, al
        xchg    al, ah
        out     dx, al
        mov     al, 0x20
        out     dx, al
        pop     dx
        pop     ax
        ret

; Attribute controller register AH -> AL.
vga_ac_read:
        push    dx
        push    bx
        mov     bh, ah
        mov     dx, [BDA_VCRTC]
        add     dx, 6
        in      al, dx              ; reset the index/data flip-flop
        mov     dx, 0x3C0
        mov     al, bh
        out     dx, al
        inc     dx
        in      al, dx
        mov     bl, al
        mov     dx, [BDA_VCRTC]
        add     dx, 6
        in      al, dx
        mov     dx, 0x3C0
        mov     al, 0x20
        out     dx, al
        mov     al, bl
        pop     bx
        pop     dx
        ret

; 13h: write the string at ES:BP (caller's BP) of CX characters at DH,DL
; on page BH; AL bit 0 moves the cursor, bit 1: characters and attributes.
v_write_string:
        mov     si, [bp + R_BP]
        and     bh, 7
        push    ax
        call    get_cursor_dx
        mov     di, dx              ; saved cursor
        pop     ax
        mov     dx, [bp + R_DX]
        push    si
        movzx   si, bh
        shl     si, 1
        mov     [BDA_VCURSOR + si], dx
        pop     si
        mov     dl, al              ; DL = mode
        jcxz    .end
.next:  mov     al, [es:si]
        inc     si
        test    dl, 0x02
        jz      .put
        mov     bl, [es:si]
        inc     si
.put:   call    serial_mirror_putc
        mov     ah, 1
        call    tty_put
        loop    .next
.end:   test    dl, 0x01
        jnz     .r
        movzx   si, bh
        shl     si, 1
        mov     [BDA_VCURSOR + si], di
        call    vga_update_cursor
.r:     ret

; 1Ah: display combination code: VGA with a colour (or mono) display.
v_dcc:
        cmp     al, 1
        ja      .r
        mov     byte [bp + R_AL], 0x1A
        je      .r                  ; set: accepted
        mov     bx, 0x0008
        cmp     byte [BDA_VMODE], 7
        jne     .c
        mov     bl, 0x07
.c:     mov     [bp + R_BX], bx
.r:     ret

; 1Bh: functionality/state information into ES:DI (64 bytes).
v_state_info:
        test    bx, bx
        jnz     .r
        mov     word [es:di], vga_static_func
        mov     word [es:di + 2], BIOS_SEG
        push    di
        add     di, 4
        mov     si, BDA_VMODE
        mov     cx, 30
        rep     movsb               ; 40:49-66
        mov     al, [BDA_VROWS]
        inc     al
        stosb
        mov     ax, [BDA_VCHARH]
        stosw
        mov     al, [BDA_VDCC]
        stosb
        xor     al, al
        stosb                       ; inactive display
        mov     ax, 16              ; colours
        cmp     byte [BDA_VMODE], 0x13
        jne     .c
        mov     ax, 256
.c:     stosw
        mov     al, 8
        stosb                       ; pages
        mov     al, 2               ; 400 scan lines
        stosb
        xor     ax, ax
        stosw                       ; font blocks 0 and 0
        mov     al, 0x21            ; all modes on all displays, blinking
        stosb
        xor     al, al
        mov     cx, 3
        rep     stosb
        mov     al, 0x03            ; 256 KiB
        stosb
        xor     al, al
        mov     cx, 14
        rep     stosb
        pop     di
        mov     byte [bp + R_AL], 0x1B
.r:     ret

; 1Ch: save/restore video state is not supported (AL stays unchanged).
v_save_state:
        ret

; Static functionality table (INT 10h 1Bh).
vga_static_func:
        db 0xFF, 0xE0, 0x0F         ; modes 00h-13h
        db 0, 0, 0, 0
        db 0x07                     ; 200, 350, 400 scan lines
        db 2                        ; font blocks in text modes
        db 8                        ; active at once
        db 0xFF, 0x0E               ; misc functions
        db 0, 0
        db 0x3F                     ; save pointer functions
        db 0

; POST: find the VBE interface, then the 80x25 colour text mode.
video_post:
        call    vbe_post
        mov     ax, 0x0003
        int     0x10
        ret
