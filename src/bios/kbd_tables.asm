; SPDX-License-Identifier: MIT
;
; Kiln BIOS: scan code set 1 to BIOS key codes (scan << 8 | character) for
; each shift state, and the translation that picks a column. 0 means the
; combination types nothing. Spec: IBM PC AT Technical Reference and IBM
; PS/2 Keyboard and Auxiliary Device Technical Reference (character codes,
; extended codes of the 101/102-key keyboard).

section fseg

; Key AL (make code, 01h-58h), E0 prefix in BH, shift flags in CL -> AX.
kbd_translate:
        cmp     al, 0x58
        ja      .none
        test    bh, bh
        jnz     .grey
        test    cl, KF_ALT
        jz      .noalt
        call    kbd_keypad_digit    ; Alt + keypad digits build a character code
        jc      .noalt
        push    dx
        mov     dl, al
        mov     al, [BDA_ALTNUM]
        mov     ah, 10
        mul     ah
        add     al, dl
        mov     [BDA_ALTNUM], al
        pop     dx
        jmp     .none
.noalt: movzx   si, al
        shl     si, 3
        mov     di, 6
        test    cl, KF_ALT
        jnz     .col
        mov     di, 4
        test    cl, KF_CTRL
        jnz     .col
        xor     di, di
        call    kbd_keypad_digit
        jc      .letters
        call    kbd_numpad_digits
        jz      .col
        mov     di, 2
        jmp     .col
.letters:
        test    cl, KF_LSHIFT | KF_RSHIFT
        jz      .l1
        mov     di, 2
.l1:    mov     al, [cs:kbd_table + si]     ; Caps Lock flips letters only
        cmp     al, 'a'
        jb      .col
        cmp     al, 'z'
        ja      .col
        test    cl, KF_CAPS
        jz      .col
        xor     di, 2
.col:   add     si, di
        mov     ax, [cs:kbd_table + si]
        ret
.grey:  cmp     al, 0x1C            ; keypad Enter
        jne     .g1
        mov     ax, 0xA600
        test    cl, KF_ALT
        jnz     .gret
        mov     ax, 0xE00A
        test    cl, KF_CTRL
        jnz     .gret
        mov     ax, 0xE00D
        ret
.g1:    cmp     al, 0x35            ; keypad /
        jne     .g2
        mov     ax, 0xA400
        test    cl, KF_ALT
        jnz     .gret
        mov     ax, 0x9500
        test    cl, KF_CTRL
        jnz     .gret
        mov     ax, 0xE02F
        ret
.g2:    cmp     al, 0x37            ; Ctrl + Print Screen
        jne     .g3
        mov     ax, 0x7200
        ret
.g3:    cmp     al, 0x47            ; the grey cursor block
        jb      .none
        cmp     al, 0x53
        ja      .none
        movzx   si, al
        mov     ah, [cs:kbd_grey_alt + si - 0x47]
        test    ah, ah
        jz      .none
        xor     al, al
        test    cl, KF_ALT
        jnz     .gret
        shl     si, 3
        mov     ax, [cs:kbd_table + si + 4]
        mov     al, 0xE0
        test    cl, KF_CTRL
        jnz     .gret
        shr     si, 3
        mov     ax, si
        mov     ah, al
        mov     al, 0xE0
.gret:  ret
.none:  xor     ax, ax
        ret

; Digit of keypad key AL in AL (CF = 0), or CF = 1 when AL is not one.
kbd_keypad_digit:
        cmp     al, 0x47
        jb      .no
        cmp     al, 0x52
        ja      .no
        push    bx
        movzx   bx, al
        mov     bl, [cs:kbd_keypad_digits + bx - 0x47]
        cmp     bl, 0xFF
        je      .nop
        mov     al, bl
        pop     bx
        clc
        ret
.nop:   pop     bx
.no:    stc
        ret

kbd_keypad_digits:
        db 7, 8, 9, 0xFF, 4, 5, 6, 0xFF, 1, 2, 3, 0
; Alt + grey key (47h-53h): the extended scan code; 0 = not a grey key.
kbd_grey_alt:
        db 0x97, 0x98, 0x99, 0, 0x9B, 0, 0x9D, 0, 0x9F, 0xA0, 0xA1, 0xA2, 0xA3

; One row per scan code: normal, Shift, Ctrl, Alt.
%macro K 4
        dw %1, %2, %3, %4
%endmacro
kbd_table:
        K 0,      0,      0,      0         ; 00
        K 0x011B, 0x011B, 0x011B, 0x0100    ; 01 Esc
        K 0x0231, 0x0221, 0,      0x7800    ; 02 1 !
        K 0x0332, 0x0340, 0x0300, 0x7900    ; 03 2 @
        K 0x0433, 0x0423, 0,      0x7A00    ; 04 3 #
        K 0x0534, 0x0524, 0,      0x7B00    ; 05 4 $
        K 0x0635, 0x0625, 0,      0x7C00    ; 06 5 %
        K 0x0736, 0x075E, 0x071E, 0x7D00    ; 07 6 ^
        K 0x0837, 0x0826, 0,      0x7E00    ; 08 7 &
        K 0x0938, 0x092A, 0,      0x7F00    ; 09 8 *
        K 0x0A39, 0x0A28, 0,      0x8000    ; 0A 9 (
        K 0x0B30, 0x0B29, 0,      0x8100    ; 0B 0 )
        K 0x0C2D, 0x0C5F, 0x0C1F, 0x8200    ; 0C - _
        K 0x0D3D, 0x0D2B, 0,      0x8300    ; 0D = +
        K 0x0E08, 0x0E08, 0x0E7F, 0x0E00    ; 0E Backspace
        K 0x0F09, 0x0F00, 0x9400, 0xA500    ; 0F Tab
        K 0x1071, 0x1051, 0x1011, 0x1000    ; 10 q
        K 0x1177, 0x1157, 0x1117, 0x1100    ; 11 w
        K 0x1265, 0x1245, 0x1205, 0x1200    ; 12 e
        K 0x1372, 0x1352, 0x1312, 0x1300    ; 13 r
        K 0x1474, 0x1454, 0x1414, 0x1400    ; 14 t
        K 0x1579, 0x1559, 0x1519, 0x1500    ; 15 y
        K 0x1675, 0x1655, 0x1615, 0x1600    ; 16 u
        K 0x1769, 0x1749, 0x1709, 0x1700    ; 17 i
        K 0x186F, 0x184F, 0x180F, 0x1800    ; 18 o
        K 0x1970, 0x1950, 0x1910, 0x1900    ; 19 p
        K 0x1A5B, 0x1A7B, 0x1A1B, 0x1A00    ; 1A [ {
        K 0x1B5D, 0x1B7D, 0x1B1D, 0x1B00    ; 1B ] }
        K 0x1C0D, 0x1C0D, 0x1C0A, 0x1C00    ; 1C Enter
        K 0,      0,      0,      0         ; 1D Ctrl
        K 0x1E61, 0x1E41, 0x1E01, 0x1E00    ; 1E a
        K 0x1F73, 0x1F53, 0x1F13, 0x1F00    ; 1F s
        K 0x2064, 0x2044, 0x2004, 0x2000    ; 20 d
        K 0x2166, 0x2146, 0x2106, 0x2100    ; 21 f
        K 0x2267, 0x2247, 0x2207, 0x2200    ; 22 g
        K 0x2368, 0x2348, 0x2308, 0x2300    ; 23 h
        K 0x246A, 0x244A, 0x240A, 0x2400    ; 24 j
        K 0x256B, 0x254B, 0x250B, 0x2500    ; 25 k
        K 0x266C, 0x264C, 0x260C, 0x2600    ; 26 l
        K 0x273B, 0x273A, 0,      0x2700    ; 27 ; :
        K 0x2827, 0x2822, 0,      0x2800    ; 28 ' "
        K 0x2960, 0x297E, 0,      0x2900    ; 29 ` ~
        K 0,      0,      0,      0         ; 2A left Shift
        K 0x2B5C, 0x2B7C, 0x2B1C, 0x2B00    ; 2B \ |
        K 0x2C7A, 0x2C5A, 0x2C1A, 0x2C00    ; 2C z
        K 0x2D78, 0x2D58, 0x2D18, 0x2D00    ; 2D x
        K 0x2E63, 0x2E43, 0x2E03, 0x2E00    ; 2E c
        K 0x2F76, 0x2F56, 0x2F16, 0x2F00    ; 2F v
        K 0x3062, 0x3042, 0x3002, 0x3000    ; 30 b
        K 0x316E, 0x314E, 0x310E, 0x3100    ; 31 n
        K 0x326D, 0x324D, 0x320D, 0x3200    ; 32 m
        K 0x332C, 0x333C, 0,      0x3300    ; 33 , <
        K 0x342E, 0x343E, 0,      0x3400    ; 34 . >
        K 0x352F, 0x353F, 0,      0x3500    ; 35 / ?
        K 0,      0,      0,      0         ; 36 right Shift
        K 0x372A, 0x372A, 0x9600, 0x3700    ; 37 keypad *
        K 0,      0,      0,      0         ; 38 Alt
        K 0x3920, 0x3920, 0x3920, 0x3920    ; 39 Space
        K 0,      0,      0,      0         ; 3A Caps Lock
        K 0x3B00, 0x5400, 0x5E00, 0x6800    ; 3B F1
        K 0x3C00, 0x5500, 0x5F00, 0x6900    ; 3C F2
        K 0x3D00, 0x5600, 0x6000, 0x6A00    ; 3D F3
        K 0x3E00, 0x5700, 0x6100, 0x6B00    ; 3E F4
        K 0x3F00, 0x5800, 0x6200, 0x6C00    ; 3F F5
        K 0x4000, 0x5900, 0x6300, 0x6D00    ; 40 F6
        K 0x4100, 0x5A00, 0x6400, 0x6E00    ; 41 F7
        K 0x4200, 0x5B00, 0x6500, 0x6F00    ; 42 F8
        K 0x4300, 0x5C00, 0x6600, 0x7000    ; 43 F9
        K 0x4400, 0x5D00, 0x6700, 0x7100    ; 44 F10
        K 0,      0,      0,      0         ; 45 Num Lock
        K 0,      0,      0,      0         ; 46 Scroll Lock
        K 0x4700, 0x4737, 0x7700, 0         ; 47 keypad 7 / Home
        K 0x4800, 0x4838, 0x8D00, 0         ; 48 keypad 8 / Up
        K 0x4900, 0x4939, 0x8400, 0         ; 49 keypad 9 / PgUp
        K 0x4A2D, 0x4A2D, 0x8E00, 0x4A00    ; 4A keypad -
        K 0x4B00, 0x4B34, 0x7300, 0         ; 4B keypad 4 / Left
        K 0x4C00, 0x4C35, 0x8F00, 0         ; 4C keypad 5
        K 0x4D00, 0x4D36, 0x7400, 0         ; 4D keypad 6 / Right
        K 0x4E2B, 0x4E2B, 0x9000, 0x4E00    ; 4E keypad +
        K 0x4F00, 0x4F31, 0x7500, 0         ; 4F keypad 1 / End
        K 0x5000, 0x5032, 0x9100, 0         ; 50 keypad 2 / Down
        K 0x5100, 0x5133, 0x7600, 0         ; 51 keypad 3 / PgDn
        K 0x5200, 0x5230, 0x9200, 0         ; 52 keypad 0 / Ins
        K 0x5300, 0x532E, 0x9300, 0         ; 53 keypad . / Del
        K 0,      0,      0,      0         ; 54 SysReq
        K 0,      0,      0,      0         ; 55
        K 0x565C, 0x567C, 0,      0         ; 56 102nd key \ |
        K 0x8500, 0x8700, 0x8900, 0x8B00    ; 57 F11
        K 0x8600, 0x8800, 0x8A00, 0x8C00    ; 58 F12
