; SPDX-License-Identifier: MIT
;
; Kiln BIOS: VGA modes. The standard IBM VGA register sets of modes 00h-07h
; and 0Dh-13h, the mode set (sequencer, CRTC, graphics and attribute
; controllers, DAC), the default palettes (the 64-colour EGA set, grey
; shades for monochrome, the 256-colour default of mode 13h), clearing
; video memory, loading the text font into plane 2 and the BDA video
; fields. Spec: IBM VGA Technical Reference (register values of the BIOS
; modes, default DAC contents), IBM PC AT Technical Reference (BDA).

section fseg

; Mode kinds.
VK_TEXT         equ 0
VK_CGA2         equ 1               ; 2 bits per pixel, CGA banks (04h, 05h)
VK_CGA1         equ 2               ; 1 bit per pixel, CGA banks (06h)
VK_PLANAR       equ 3               ; four planes (0Dh-12h)
VK_256          equ 4               ; chain-4 (13h)

; Palette kinds.
VP_EGA          equ 0
VP_MONO         equ 1
VP_256          equ 2
VP_CGA          equ 3               ; 200-line modes: bit 4 is intensity

struc vmode
  .mode         resb 1
  .kind         resb 1
  .cols         resb 1
  .rows         resb 1
  .charh        resb 1
  .pal          resb 1
  .seg          resw 1
  .pagesize     resw 1
  .regs         resw 1
  .cgamode      resb 1              ; 40:65
  .cgapal       resb 1              ; 40:66
  .bpl          resw 1              ; bytes per scan line (graphics)
endstruc

%macro VMODE 12
        db %1, %2, %3, %4, %5, %6
        dw %7, %8, %9
        db %10, %11
        dw %12
%endmacro
vmode_table:
        VMODE 0x00, VK_TEXT,   40, 25, 16, VP_EGA,  0xB800, 0x0800, vregs_40x25, 0x2C, 0x30, 0
        VMODE 0x01, VK_TEXT,   40, 25, 16, VP_EGA,  0xB800, 0x0800, vregs_40x25, 0x28, 0x30, 0
        VMODE 0x02, VK_TEXT,   80, 25, 16, VP_EGA,  0xB800, 0x1000, vregs_80x25, 0x2D, 0x30, 0
        VMODE 0x03, VK_TEXT,   80, 25, 16, VP_EGA,  0xB800, 0x1000, vregs_80x25, 0x29, 0x30, 0
        VMODE 0x04, VK_CGA2,   40, 25,  8, VP_CGA,  0xB800, 0x4000, vregs_04,    0x2A, 0x30, 80
        VMODE 0x05, VK_CGA2,   40, 25,  8, VP_CGA,  0xB800, 0x4000, vregs_04,    0x2E, 0x30, 80
        VMODE 0x06, VK_CGA1,   80, 25,  8, VP_CGA,  0xB800, 0x4000, vregs_06,    0x1E, 0x3F, 80
        VMODE 0x07, VK_TEXT,   80, 25, 16, VP_MONO, 0xB000, 0x1000, vregs_07,    0x29, 0x30, 0
        VMODE 0x0D, VK_PLANAR, 40, 25,  8, VP_CGA,  0xA000, 0x2000, vregs_0d,    0x29, 0x30, 40
        VMODE 0x0E, VK_PLANAR, 80, 25,  8, VP_CGA,  0xA000, 0x4000, vregs_0e,    0x29, 0x30, 80
        VMODE 0x0F, VK_PLANAR, 80, 25, 14, VP_MONO, 0xA000, 0x8000, vregs_0f,    0x29, 0x30, 80
        VMODE 0x10, VK_PLANAR, 80, 25, 14, VP_EGA,  0xA000, 0x8000, vregs_10,    0x29, 0x30, 80
        VMODE 0x11, VK_PLANAR, 80, 30, 16, VP_EGA,  0xA000, 0x0000, vregs_11,    0x29, 0x30, 80
        VMODE 0x12, VK_PLANAR, 80, 30, 16, VP_EGA,  0xA000, 0x0000, vregs_12,    0x29, 0x30, 80
        VMODE 0x13, VK_256,    40, 25,  8, VP_256,  0xA000, 0x0000, vregs_13,    0x29, 0x30, 320
vmode_table_end:

; Register sets: misc output, sequencer 1-4, CRTC 00h-18h, graphics
; controller 0-8, attribute controller 00h-13h (+14h = 0).
vregs_40x25:
        db 0x67
        db 0x08, 0x03, 0x00, 0x02
        db 0x2D, 0x27, 0x28, 0x90, 0x2B, 0xA0, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x14, 0x1F, 0x96, 0xB9, 0xA3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F
        db 0x0C, 0x00, 0x0F, 0x08
vregs_80x25:
        db 0x67
        db 0x00, 0x03, 0x00, 0x02
        db 0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F
        db 0x0C, 0x00, 0x0F, 0x08
vregs_04:
        db 0x63
        db 0x09, 0x03, 0x00, 0x02
        db 0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xA2, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x30, 0x0F, 0x00, 0xFF
        db 0x00, 0x13, 0x15, 0x17, 0x02, 0x04, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17
        db 0x01, 0x00, 0x03, 0x00
vregs_06:
        db 0x63
        db 0x01, 0x01, 0x00, 0x06
        db 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0xC1, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x00, 0x96, 0xB9, 0xC2, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0D, 0x00, 0xFF
        db 0x00, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17
        db 0x01, 0x00, 0x01, 0x00
vregs_07:
        db 0x66
        db 0x00, 0x03, 0x00, 0x02
        db 0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00, 0x4F, 0x0D, 0x0E, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x0F, 0x96, 0xB9, 0xA3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0A, 0x00, 0xFF
        db 0x00, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x10, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18
        db 0x0E, 0x00, 0x0F, 0x08
vregs_0d:
        db 0x63
        db 0x09, 0x0F, 0x00, 0x06
        db 0x2D, 0x27, 0x28, 0x90, 0x2B, 0x80, 0xBF, 0x1F, 0x00, 0xC0, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x14, 0x00, 0x96, 0xB9, 0xE3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17
        db 0x01, 0x00, 0x0F, 0x00
vregs_0e:
        db 0x63
        db 0x01, 0x0F, 0x00, 0x06
        db 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0xC0, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x00, 0x96, 0xB9, 0xE3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17
        db 0x01, 0x00, 0x0F, 0x00
vregs_0f:
        db 0xA2
        db 0x01, 0x0F, 0x00, 0x06
        db 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x40, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0x83, 0x85, 0x5D, 0x28, 0x0F, 0x63, 0xBA, 0xE3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x05, 0xFF
        db 0x00, 0x08, 0x00, 0x00, 0x18, 0x18, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00
        db 0x0B, 0x00, 0x05, 0x00
vregs_10:
        db 0xA3
        db 0x01, 0x0F, 0x00, 0x06
        db 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x40, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0x83, 0x85, 0x5D, 0x28, 0x0F, 0x63, 0xBA, 0xE3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F
        db 0x01, 0x00, 0x0F, 0x00
vregs_11:
        db 0xE3
        db 0x01, 0x0F, 0x00, 0x06
        db 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00, 0x40, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0xEA, 0x8C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xC3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF
        db 0x00, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F, 0x3F
        db 0x01, 0x00, 0x0F, 0x00
vregs_12:
        db 0xE3
        db 0x01, 0x0F, 0x00, 0x06
        db 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00, 0x40, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0xEA, 0x8C, 0xDF, 0x28, 0x00, 0xE7, 0x04, 0xE3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F
        db 0x01, 0x00, 0x0F, 0x00
vregs_13:
        db 0x63
        db 0x01, 0x0F, 0x00, 0x0E
        db 0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00, 0x41, 0x00, 0x00, 0x00
        db 0x00, 0x00, 0x00, 0x9C, 0x8E, 0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF
        db 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF
        db 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F
        db 0x41, 0x00, 0x0F, 0x00

VR_MISC         equ 0
VR_SEQ          equ 1
VR_CRTC         equ 5
VR_GC           equ 30
VR_AC           equ 39
VR_SIZE         equ 59

; CS:SI = entry of mode AL (bit 7 ignored); CF = 1 when there is none.
vga_find_mode:
        push    ax
        and     al, 0x7F
        mov     si, vmode_table
.n:     cmp     [cs:si + vmode.mode], al
        je      .ok
        add     si, vmode_size
        cmp     si, vmode_table_end
        jb      .n
        pop     ax
        stc
        ret
.ok:    pop     ax
        clc
        ret

; CS:SI = entry of the current mode (40:49); CF = 1 outside the VGA modes.
; DS = BDA.
vga_cur_mode:
        push    ax
        mov     al, [BDA_VMODE]
        call    vga_find_mode
        pop     ax
        ret

; Set VGA mode AL (bit 7: keep video memory). DS = BDA. CF = 1: no such mode.
vga_set_mode:
        pusha
        push    es
        call    vga_find_mode
        jc      .bad
        ; 40:87 bit 7 remembers a mode set without clearing memory.
        mov     ah, [BDA_VEGAMISC]
        and     ah, 0x7F
        test    al, 0x80
        jz      .keep
        or      ah, 0x80
.keep:  or      ah, 0x60            ; 256 KiB of video memory
        mov     [BDA_VEGAMISC], ah
        call    vbe_disable
        mov     bx, [cs:si + vmode.regs]
        ; Sequencer held in reset while the clocks change.
        mov     dx, 0x3C4
        mov     ax, 0x0100
        out     dx, ax
        mov     dx, 0x3C2
        mov     al, [cs:bx + VR_MISC]
        out     dx, al
        mov     dx, 0x3C4
        mov     cx, 4
        mov     ah, 1
        lea     di, [bx + VR_SEQ]
.seq:   mov     al, ah
        out     dx, al
        inc     dx
        mov     al, [cs:di]
        out     dx, al
        dec     dx
        inc     di
        inc     ah
        loop    .seq
        mov     ax, 0x0300
        out     dx, ax
        ; CRTC: unlock registers 0-7 first.
        mov     dx, 0x3D4
        test    byte [cs:bx + VR_MISC], 1
        jnz     .crtc
        mov     dx, 0x3B4
.crtc:  mov     [BDA_VCRTC], dx
        mov     ax, 0x0011
        out     dx, ax
        xor     ah, ah
        lea     di, [bx + VR_CRTC]
        mov     cx, 25
.crt:   mov     al, ah
        out     dx, al
        inc     dx
        mov     al, [cs:di]
        out     dx, al
        dec     dx
        inc     di
        inc     ah
        loop    .crt
        ; Graphics controller.
        mov     dx, 0x3CE
        xor     ah, ah
        lea     di, [bx + VR_GC]
        mov     cx, 9
.gc:    mov     al, ah
        out     dx, al
        inc     dx
        mov     al, [cs:di]
        out     dx, al
        dec     dx
        inc     di
        inc     ah
        loop    .gc
        ; Attribute controller: the flip-flop is reset by reading input status 1.
        mov     dx, [BDA_VCRTC]
        add     dx, 6
        in      al, dx
        mov     dx, 0x3C0
        xor     ah, ah
        lea     di, [bx + VR_AC]
        mov     cx, 20
.ac:    mov     al, ah
        out     dx, al
        mov     al, [cs:di]
        out     dx, al
        inc     di
        inc     ah
        loop    .ac
        mov     al, 0x14
        out     dx, al
        xor     al, al
        out     dx, al
        mov     al, 0x20            ; palette address source: the screen shows
        out     dx, al
        ; DAC.
        mov     dx, 0x3C6
        mov     al, 0xFF
        out     dx, al
        test    byte [BDA_VGAFLAGS], 0x08
        jnz     .nopal
        mov     al, [cs:si + vmode.pal]
        call    vga_load_palette
.nopal: ; BDA.
        mov     al, [cs:si + vmode.mode]
        mov     [BDA_VMODE], al
        movzx   ax, byte [cs:si + vmode.cols]
        mov     [BDA_VCOLS], ax
        mov     ax, [cs:si + vmode.pagesize]
        mov     [BDA_VPAGESIZE], ax
        mov     word [BDA_VPAGESTART], 0
        mov     al, [cs:si + vmode.rows]
        dec     al
        mov     [BDA_VROWS], al
        movzx   ax, byte [cs:si + vmode.charh]
        mov     [BDA_VCHARH], ax
        mov     al, [cs:si + vmode.cgamode]
        mov     [BDA_VMODECTL], al
        mov     al, [cs:si + vmode.cgapal]
        mov     [BDA_VPALETTE], al
        mov     byte [BDA_VPAGE], 0
        push    ds
        pop     es
        mov     di, BDA_VCURSOR
        xor     ax, ax
        mov     cx, 8
        rep     stosw
        mov     byte [BDA_VSWITCHES], 0xF9
        and     byte [BDA_VGAFLAGS], 0x0F
        or      byte [BDA_VGAFLAGS], 0x11   ; VGA active, 400-line text
        mov     byte [BDA_VDCC], 0x08
        ; Equipment word: monochrome or colour 80x25.
        and     word [BDA_EQUIP], ~0x0030
        mov     ax, 0x0020
        cmp     byte [cs:si + vmode.mode], 7
        jne     .eq
        mov     ax, 0x0030
.eq:    or      [BDA_EQUIP], ax
        ; Video memory and fonts.
        test    byte [BDA_VEGAMISC], 0x80
        jnz     .noclear
        call    vga_clear_memory
.noclear:
        cmp     byte [cs:si + vmode.kind], VK_TEXT
        jne     .gfx
        mov     al, [cs:si + vmode.charh]
        xor     bl, bl
        call    vga_load_rom_font
        mov     cx, 0x0607
        call    vga_set_cursor_shape
        jmp     .cursor
.gfx:   ; INT 43h: the font for characters in this graphics mode.
        push    ds
        xor     ax, ax
        mov     ds, ax
        mov     al, [cs:si + vmode.charh]
        mov     word [0x43 * 4 + 2], BIOS_SEG
        mov     word [0x43 * 4], font8x8_lo
        cmp     byte [cs:si + vmode.kind], VK_CGA1
        jbe     .f                  ; CGA modes: the upper half through INT 1Fh
        mov     word [0x43 * 4 + 2], FONT_SEG
        mov     word [0x43 * 4], font8x8
        cmp     al, 8
        je      .f
        mov     word [0x43 * 4 + 2], FONT_SEG
        mov     word [0x43 * 4], font8x14
        cmp     al, 14
        je      .f
        mov     word [0x43 * 4], font8x16
.f:     pop     ds
.cursor:
        xor     bh, bh
        call    vga_update_cursor
        pop     es
        popa
        clc
        ret
.bad:   pop     es
        popa
        stc
        ret

; Fill the mode's video memory: blanks with attribute 07h in text modes,
; zeros in graphics. CS:SI = mode entry.
vga_clear_memory:
        push    es
        pusha
        mov     es, [cs:si + vmode.seg]
        xor     di, di
        mov     al, [cs:si + vmode.kind]
        cmp     al, VK_TEXT
        jne     .g
        mov     ax, 0x0720
        mov     cx, 0x4000
        rep     stosw
        jmp     .done
.g:     cmp     al, VK_PLANAR
        jne     .z
        mov     dx, 0x3C4
        mov     ax, 0x0F02          ; all planes
        out     dx, ax
.z:     xor     ax, ax
        mov     cx, 0x8000
        cmp     word [cs:si + vmode.seg], 0xA000
        je      .w
        mov     cx, 0x4000
.w:     rep     stosw
.done:  popa
        pop     es
        ret

; Load DAC palette kind AL (VP_*).
vga_load_palette:
        pusha
        mov     dx, 0x3C8
        mov     bl, al
        xor     al, al
        out     dx, al
        inc     dx
        cmp     bl, VP_256
        je      .p256
        ; 64 entries from rgbRGB bits: primary 2/3, secondary 1/3 intensity.
        xor     cx, cx
.e:     cmp     bl, VP_MONO
        je      .mono
        cmp     bl, VP_CGA
        je      .cga
        mov     al, cl
        shr     al, 2
        call    .two
        out     dx, al
        mov     al, cl
        shr     al, 1
        call    .two
        out     dx, al
        mov     al, cl
        call    .two
        out     dx, al
        jmp     .enext
.cga:   ; bits 2-0: red, green, blue at 2/3; bit 4: all three plus 1/3; 6 is brown
        mov     al, cl
        shr     al, 2
        call    .cgac
        out     dx, al
        mov     al, cl
        shr     al, 1
        call    .cgac
        mov     ah, cl
        and     ah, 0x17
        cmp     ah, 0x06
        jne     .cg
        mov     al, 0x15
.cg:    out     dx, al
        mov     al, cl
        call    .cgac
        out     dx, al
        jmp     .enext
.mono:  mov     al, cl              ; video (bit 3) 2/3, intensity (bit 4) 1/3
        shr     al, 3
        and     al, 1
        mov     ah, 0x2A
        mul     ah
        test    cl, 0x10
        jz      .m1
        add     al, 0x15
.m1:    out     dx, al
        out     dx, al
        out     dx, al
.enext: inc     cx
        cmp     cx, 64
        jb      .e
        popa
        ret
; AL bit 0 -> 2Ah, AL bit 3 -> 15h (the same colour's secondary bit).
.two:   push    bx
        mov     bl, al
        xor     al, al
        test    bl, 0x01
        jz      .t1
        mov     al, 0x2A
.t1:    test    bl, 0x08
        jz      .t2
        add     al, 0x15
.t2:    pop     bx
        ret
; AL bit 0 -> 2Ah, plus 15h when CL bit 4 (intensity) is set.
.cgac:  and     al, 1
        jz      .c0
        mov     al, 0x2A
.c0:    test    cl, 0x10
        jz      .c1
        add     al, 0x15
.c1:    ret
.p256:  ; 0-15: the 16 text colours; 16-31: grey ramp; 32-247: 9 hue rings; rest black.
        xor     si, si
.c16:   mov     al, [cs:ega16_index + si]
        mov     cl, al
        shr     al, 2
        call    .two
        out     dx, al
        mov     al, cl
        shr     al, 1
        call    .two
        out     dx, al
        mov     al, cl
        call    .two
        out     dx, al
        inc     si
        cmp     si, 16
        jb      .c16
        xor     si, si
.grey:  mov     al, [cs:grey_ramp + si]
        out     dx, al
        out     dx, al
        out     dx, al
        inc     si
        cmp     si, 16
        jb      .grey
        ; Each ring: 24 hues from five levels (low to high) of one block.
        mov     bx, hue_levels
.ring:  xor     si, si
.hue:   mov     cx, 3
.comp:  movzx   di, byte [cs:hue_shape + si]
        mov     al, [cs:bx + di]
        out     dx, al
        inc     si
        loop    .comp
        cmp     si, 72
        jb      .hue
        add     bx, 5
        cmp     bx, hue_levels_end
        jb      .ring
        mov     cx, 8 * 3
        xor     al, al
.blk:   out     dx, al
        loop    .blk
        popa
        ret

ega16_index:    db 0, 1, 2, 3, 4, 5, 20, 7, 56, 57, 58, 59, 60, 61, 62, 63
grey_ramp:      db 0, 5, 8, 11, 14, 17, 20, 24, 28, 32, 36, 40, 45, 50, 56, 63
; Level indexes (R, G, B) around the colour circle: blue, magenta, red,
; yellow, green, cyan and back.
hue_shape:
        db 0,0,4, 1,0,4, 2,0,4, 3,0,4, 4,0,4, 4,0,3, 4,0,2, 4,0,1
        db 4,0,0, 4,1,0, 4,2,0, 4,3,0, 4,4,0, 3,4,0, 2,4,0, 1,4,0
        db 0,4,0, 0,4,1, 0,4,2, 0,4,3, 0,4,4, 0,3,4, 0,2,4, 0,1,4
; Three intensities x three saturations.
hue_levels:
        db 0x00, 0x10, 0x1F, 0x2F, 0x3F
        db 0x1F, 0x27, 0x2F, 0x37, 0x3F
        db 0x2D, 0x31, 0x36, 0x3A, 0x3F
        db 0x00, 0x07, 0x0E, 0x15, 0x1C
        db 0x0E, 0x11, 0x15, 0x18, 0x1C
        db 0x14, 0x16, 0x18, 0x1A, 0x1C
        db 0x00, 0x04, 0x08, 0x0C, 0x10
        db 0x08, 0x0A, 0x0C, 0x0E, 0x10
        db 0x0B, 0x0C, 0x0D, 0x0F, 0x10
hue_levels_end:
