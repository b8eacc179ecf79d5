; SPDX-License-Identifier: MIT
;
; Kiln BIOS: VESA BIOS Extensions 3.0 (INT 10h AH=4Fh) on the Bochs/QEMU
; DISPI interface (ports 1CEh/1CFh): controller information (00h), mode
; information (01h), set/get mode with the linear framebuffer at the VGA's
; PCI BAR0 (02h/03h), bank switching (05h and the far-call window
; function); 06h-09h are in vbe_ctrl.asm. Spec: VESA BIOS Extension (VBE)
; Core Functions Standard 3.0; the DISPI register notes (Bochs vbe.txt).

section fseg

; Mode list: number, width, height, bits per pixel.
%macro VBEMODE 4
        dw %1, %2, %3
        db %4, 0
%endmacro
vbe_modes:
        ; 32 bits per pixel first: software that takes the first match of a
        ; resolution gets the deepest mode
        VBEMODE 0x140,  320,  200, 32
        VBEMODE 0x141,  640,  400, 32
        VBEMODE 0x142,  640,  480, 32
        VBEMODE 0x143,  800,  600, 32
        VBEMODE 0x144, 1024,  768, 32
        VBEMODE 0x145, 1280, 1024, 32
        VBEMODE 0x147, 1600, 1200, 32
        VBEMODE 0x148, 1152,  864, 32
        VBEMODE 0x149, 1280,  720, 32
        VBEMODE 0x14A, 1280,  800, 32
        VBEMODE 0x14B, 1440,  900, 32
        VBEMODE 0x14C, 1680, 1050, 32
        VBEMODE 0x14D, 1920, 1080, 32
        VBEMODE 0x14E, 1920, 1200, 32
        VBEMODE 0x100,  640,  400,  8
        VBEMODE 0x101,  640,  480,  8
        VBEMODE 0x102,  800,  600,  4
        VBEMODE 0x103,  800,  600,  8
        VBEMODE 0x105, 1024,  768,  8
        VBEMODE 0x107, 1280, 1024,  8
        VBEMODE 0x10D,  320,  200, 15
        VBEMODE 0x10E,  320,  200, 16
        VBEMODE 0x10F,  320,  200, 24
        VBEMODE 0x110,  640,  480, 15
        VBEMODE 0x111,  640,  480, 16
        VBEMODE 0x112,  640,  480, 24
        VBEMODE 0x113,  800,  600, 15
        VBEMODE 0x114,  800,  600, 16
        VBEMODE 0x115,  800,  600, 24
        VBEMODE 0x116, 1024,  768, 15
        VBEMODE 0x117, 1024,  768, 16
        VBEMODE 0x118, 1024,  768, 24
        VBEMODE 0x119, 1280, 1024, 15
        VBEMODE 0x11A, 1280, 1024, 16
        VBEMODE 0x11B, 1280, 1024, 24
        VBEMODE 0x146,  320,  200,  8
        VBEMODE 0x150, 1280,  720, 16
        VBEMODE 0x151, 1920, 1080, 16
        VBEMODE 0x152, 1600, 1200, 16
        VBEMODE 0x153, 1600, 1200,  8
        VBEMODE 0x154, 1152,  864, 16
vbe_modes_end:

vbe_oem_string:     db "Kiln VBE (DISPI)", 0
vbe_vendor_string:  db "Kiln", 0
vbe_product_string: db "Kiln emulated VGA", 0
vbe_rev_string:     db "0.1", 0

; Turn the DISPI display off (a VGA mode is being set). DS = BDA.
vbe_disable:
        push    ds
        push    ax
        push    dx
        call    ds_ebda
        cmp     word [ebda.vram_64k], 0
        je      .r
        mov     word [ebda.vbe_mode], 0
        mov     ax, DISPI_ENABLE
        mov     dx, VBE_INDEX
        out     dx, ax
        inc     dx
        xor     ax, ax
        out     dx, ax
.r:     pop     dx
        pop     ax
        pop     ds
        ret

; DISPI register AX <- BX / -> AX.
dispi_write:
        push    dx
        mov     dx, VBE_INDEX
        out     dx, ax
        inc     dx
        mov     ax, bx
        out     dx, ax
        pop     dx
        ret
dispi_read:
        push    dx
        mov     dx, VBE_INDEX
        out     dx, ax
        inc     dx
        in      ax, dx
        pop     dx
        ret

; CS:SI = entry of VBE mode CX (bits 9-15 ignored); CF = 1 if none.
vbe_find_mode:
        push    cx
        and     cx, 0x1FF
        mov     si, vbe_modes
.n:     cmp     [cs:si], cx
        je      .ok
        add     si, 8
        cmp     si, vbe_modes_end
        jb      .n
        pop     cx
        stc
        ret
.ok:    pop     cx
        clc
        ret

; EAX = bytes per scan line of width AX at the bpp of mode CS:SI.
vbe_pitch:
        movzx   eax, ax
        push    edx
        movzx   edx, byte [cs:si + 6]
        cmp     dl, 4
        jne     .n4
        shr     eax, 1              ; four planes of width/8 bytes
        jmp     .r
.n4:    add     edx, 7
        shr     edx, 3
        imul    eax, edx
.r:     pop     edx
        ret

; CF = 1 when mode CS:SI does not fit in video memory. FS = EBDA.
vbe_mode_fits:
        push    eax
        push    edx
        mov     ax, [cs:si + 2]
        call    vbe_pitch
        movzx   edx, word [cs:si + 4]
        imul    eax, edx
        movzx   edx, word [fs:ebda.vram_64k]
        shl     edx, 16
        cmp     edx, eax
        pop     edx
        pop     eax
        ret

vbe_handler:
        push    ds
        push    fs
        push    bp
        push    esi
        push    edi
        push    ecx
        push    edx
        push    ebx
        mov     bx, BDA_SEG
        mov     ds, bx
        call    fs_ebda
        mov     bp, sp              ; [bp]: EBX, [bp+4]: EDX, [bp+8]: ECX
        mov     ebx, [bp]
        cmp     word [fs:ebda.vram_64k], 0
        je      vbe_fail
        cmp     al, 0x00
        je      vbe_info
        cmp     al, 0x01
        je      vbe_mode_info
        cmp     al, 0x02
        je      vbe_set_mode
        cmp     al, 0x03
        je      vbe_get_mode
        cmp     al, 0x05
        je      vbe_bank
        cmp     al, 0x06
        je      vbe_scanline
        cmp     al, 0x07
        je      vbe_display_start
        cmp     al, 0x08
        je      vbe_dac_format
        cmp     al, 0x09
        je      vbe_palette
vbe_fail:
        mov     ax, 0x014F
        jmp     vbe_out
vbe_ok: mov     ax, 0x004F
vbe_out:
        pop     ebx
        pop     edx
        pop     ecx
        pop     edi
        pop     esi
        pop     bp
        pop     fs
        pop     ds
        iret
; Success, returning BX, CX and DX as the function set them.
vbe_ok_regs:
        mov     ax, 0x004F
        add     sp, 12              ; drop the saved EBX, EDX, ECX
        pop     edi
        pop     esi
        pop     bp
        pop     fs
        pop     ds
        iret

; 00h: controller information into ES:DI.
vbe_info:
        cmp     dword [es:di], 'VBE2'
        sete    bl                  ; BL = 1: a 512-byte buffer
        mov     cx, 256
        cmp     bl, 1
        jne     .c
        mov     cx, 512
.c:     push    di
        xor     al, al
        rep     stosb
        pop     di
        mov     dword [es:di], 'VESA'
        mov     word [es:di + 0x04], 0x0300
        mov     dword [es:di + 0x0A], 0x00000001    ; DAC width switchable
        lea     ax, [di + 0x22]
        mov     [es:di + 0x0E], ax
        mov     [es:di + 0x10], es
        mov     ax, [fs:ebda.vram_64k]
        mov     [es:di + 0x12], ax
        mov     word [es:di + 0x14], 0x0001
        mov     si, vbe_oem_string
        mov     bp, 0x06
        mov     dx, 0x100
        call    .str
        cmp     bl, 1
        jne     .list
        mov     si, vbe_vendor_string
        mov     bp, 0x16
        mov     dx, 0x120
        call    .str
        mov     si, vbe_product_string
        mov     bp, 0x1A
        mov     dx, 0x140
        call    .str
        mov     si, vbe_rev_string
        mov     bp, 0x1E
        mov     dx, 0x160
        call    .str
.list:  ; the modes that fit, in the reserved area (room for 110)
        push    di
        add     di, 0x22
        mov     si, vbe_modes
.m:     call    vbe_mode_fits
        jc      .skip
        mov     ax, [cs:si]
        stosw
.skip:  add     si, 8
        cmp     si, vbe_modes_end
        jb      .m
        mov     ax, 0xFFFF
        stosw
        pop     di
        jmp     vbe_ok
; The far pointer at ES:DI+BP -> string CS:SI: in ROM for a VBE 1.x
; caller, else copied to ES:DI+DX inside OemData.
.str:   cmp     bl, 1
        je      .copy
        mov     [es:di + bp], si
        mov     word [es:di + bp + 2], BIOS_SEG
        ret
.copy:  push    di
        add     dx, di
        mov     [es:di + bp], dx
        mov     [es:di + bp + 2], es
        mov     di, dx
.cc:    mov     al, [cs:si]
        stosb
        inc     si
        test    al, al
        jnz     .cc
        pop     di
        ret

; 01h: information on mode CX into ES:DI.
vbe_mode_info:
        call    vbe_find_mode
        jc      vbe_fail
        push    di
        mov     cx, 128
        xor     ax, ax
        rep     stosw
        pop     di
        mov     ax, 0x009B          ; supported, colour, graphics, linear framebuffer
        call    vbe_mode_fits
        jnc     .fits
        and     al, 0xFE
.fits:  mov     [es:di + 0x00], ax
        mov     word [es:di + 0x02], 0x0007     ; window A: exists, readable, writable
        mov     word [es:di + 0x04], 64
        mov     word [es:di + 0x06], 64
        mov     word [es:di + 0x08], 0xA000
        mov     word [es:di + 0x0C], vbe_bank_far
        mov     word [es:di + 0x0E], BIOS_SEG
        mov     ax, [cs:si + 2]
        call    vbe_pitch
        mov     [es:di + 0x10], ax
        mov     [es:di + 0x32], ax
        mov     bx, ax              ; BX = pitch
        mov     ax, [cs:si + 2]
        mov     [es:di + 0x12], ax
        mov     ax, [cs:si + 4]
        mov     [es:di + 0x14], ax
        mov     word [es:di + 0x16], 0x1008     ; 8x16 character cell
        mov     al, [cs:si + 6]
        mov     [es:di + 0x19], al
        mov     byte [es:di + 0x18], 1
        mov     byte [es:di + 0x1A], 1
        mov     byte [es:di + 0x1B], 4          ; packed pixel
        cmp     al, 4
        jne     .n4
        mov     byte [es:di + 0x18], 4
        mov     byte [es:di + 0x1B], 3          ; planar
.n4:    cmp     al, 8
        jbe     .pages
        mov     byte [es:di + 0x1B], 6          ; direct colour
        ; field sizes and positions: R, G, B, reserved
        push    si
        mov     si, vbe_masks_15
        cmp     al, 15
        je      .mask
        mov     si, vbe_masks_16
        cmp     al, 16
        je      .mask
        mov     si, vbe_masks_24
        cmp     al, 24
        je      .mask
        mov     si, vbe_masks_32
.mask:  mov     cx, 8
        push    di
        add     di, 0x1F
.mk:    mov     al, [cs:si]
        mov     [es:di], al
        mov     [es:di + 0x36 - 0x1F], al       ; the linear-mode copy
        inc     si
        inc     di
        loop    .mk
        pop     di
        pop     si
        cmp     byte [cs:si + 6], 32
        jne     .pages
        mov     byte [es:di + 0x27], 0x02       ; reserved field usable
.pages: ; image pages = video memory / (pitch x height) - 1, at most 255
        movzx   eax, bx
        movzx   ecx, word [cs:si + 4]
        imul    ecx, eax
        movzx   eax, word [fs:ebda.vram_64k]
        shl     eax, 16
        xor     edx, edx
        div     ecx
        dec     eax
        cmp     eax, 255
        jbe     .pg
        mov     al, 255
.pg:    mov     [es:di + 0x1D], al
        mov     [es:di + 0x34], al
        mov     [es:di + 0x35], al
        mov     byte [es:di + 0x1E], 1
        mov     eax, [fs:ebda.lfb]
        mov     [es:di + 0x28], eax
        jmp     vbe_ok

vbe_masks_15:   db 5, 10, 5, 5, 5, 0, 1, 15
vbe_masks_16:   db 5, 11, 6, 5, 5, 0, 0, 0
vbe_masks_24:   db 8, 16, 8, 8, 8, 0, 0, 0
vbe_masks_32:   db 8, 16, 8, 8, 8, 0, 8, 24

; 02h: set mode BX (bit 14: linear framebuffer, bit 15: keep memory).
vbe_set_mode:
        mov     cx, bx
        and     cx, 0x1FF
        cmp     cx, 0x100
        jae     .vbe
        mov     al, bl              ; a VGA mode
        and     al, 0x7F
        test    bh, 0x80
        jz      .vga
        or      al, 0x80
.vga:   call    vga_set_mode
        jc      vbe_fail
        jmp     vbe_ok
.vbe:   mov     cx, bx
        call    vbe_find_mode
        jc      vbe_fail
        call    vbe_mode_fits
        jc      vbe_fail
        ; the DAC width survives the mode change
        mov     ax, DISPI_ENABLE
        call    dispi_read
        and     ax, DISPI_8BITDAC
        mov     di, ax
        push    bx
        mov     ax, DISPI_ENABLE
        xor     bx, bx
        call    dispi_write
        mov     ax, DISPI_XRES
        mov     bx, [cs:si + 2]
        call    dispi_write
        mov     ax, DISPI_YRES
        mov     bx, [cs:si + 4]
        call    dispi_write
        mov     ax, DISPI_BPP
        movzx   bx, byte [cs:si + 6]
        call    dispi_write
        mov     ax, DISPI_BANK
        xor     bx, bx
        call    dispi_write
        pop     bx
        push    bx
        cmp     byte [cs:si + 6], 8
        ja      .en
        test    di, di
        jnz     .en
        mov     al, VP_256          ; 256-colour modes start with the default palette
        call    vga_load_palette
.en:    pop     bx
        mov     ax, DISPI_EN
        or      ax, di
        test    bh, 0x40
        jz      .nl
        or      al, DISPI_LFB
.nl:    test    bh, 0x80
        jz      .nc
        or      al, DISPI_NOCLEAR
.nc:    push    bx
        mov     bx, ax
        mov     ax, DISPI_ENABLE
        call    dispi_write
        pop     bx
        and     bx, 0x41FF
        mov     [fs:ebda.vbe_mode], bx
        jmp     vbe_ok

; 03h: current mode in BX.
vbe_get_mode:
        mov     bx, [fs:ebda.vbe_mode]
        test    bx, bx
        jnz     .r
        movzx   bx, byte [BDA_VMODE]
.r:     mov     cx, [bp + 8]       ; keep the caller's CX and DX
        mov     dx, [bp + 4]
        jmp     vbe_ok_regs

; 05h: BH = 0: bank DX of window BL (0 only); BH = 1: bank -> DX.
vbe_bank:
        test    bl, bl
        jnz     vbe_fail
        cmp     bh, 1
        je      .get
        test    bh, bh
        jnz     vbe_fail
        push    bx
        mov     bx, dx
        mov     ax, DISPI_BANK
        call    dispi_write
        pop     bx
        jmp     vbe_ok
.get:   mov     ax, DISPI_BANK
        call    dispi_read
        mov     dx, ax
        mov     cx, [bp + 8]
        jmp     vbe_ok_regs

; The window function for far calls (WinFuncPtr): BX = 0, DX = bank.
vbe_bank_far:
        push    ax
        push    bx
        mov     bx, dx
        mov     ax, DISPI_BANK
        call    dispi_write
        pop     bx
        pop     ax
        retf

