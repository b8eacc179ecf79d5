; SPDX-License-Identifier: MIT
;
; Kiln BIOS: power-on self test. Resumes a shutdown reset (CMOS 0Fh) or
; brings up the machine: interrupt vectors, BDA/EBDA, 8259A pair, 8254,
; MC146818, x87, memory size from CMOS, PCI, 8042 and keyboard, video,
; serial ports, diskette and ATA drives, option ROMs; then INT 19h.
; Writes its stage to port 80h and its banner to port E9h. Never writes to
; the ROM segments. Spec: IBM PC AT Technical Reference (POST, CMOS map).

section fseg

post_start:
        cli
        cld
        ; A reset with a shutdown code set is a return from protected mode.
        mov     al, CMOS_SHUTDOWN | NMI_OFF
        out     CMOS_INDEX, al
        in      al, CMOS_DATA
        mov     ah, al
        mov     al, CMOS_SHUTDOWN | NMI_OFF
        out     CMOS_INDEX, al
        xor     al, al
        out     CMOS_DATA, al
        mov     al, 0x0D            ; re-enable NMI, leave the index on register D
        out     CMOS_INDEX, al
        xor     bx, bx
        mov     ds, bx
        cmp     ah, 0x05
        je      .resume_eoi
        cmp     ah, 0x0A
        je      .resume_jmp
        cmp     ah, 0x0B
        je      .resume_iret
        cmp     ah, 0x0C
        je      .resume_retf
        jmp     post_cold
.resume_eoi:
        mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
.resume_jmp:
        jmp     far [0x467]
.resume_iret:
        lss     sp, [0x467]
        iret
.resume_retf:
        lss     sp, [0x467]
        retf

post_cold:
        xor     ax, ax
        mov     ss, ax
        mov     sp, STACK_POST
        POST_CODE POST_START
        ; (POST_CODE left the code in AL: the segment and the fill are 0.)
        xor     ax, ax
        ; Keep the warm-boot flag across the clearing of the BDA.
        mov     ds, ax
        mov     bp, [0x400 + BDA_RESETFLAG]
        ; Interrupt vectors and BIOS data area: 0000:0000-0000:04FF.
        mov     es, ax
        xor     di, di
        mov     cx, 0x500 / 2
        rep     stosw
        mov     ax, EBDA_SEG
        mov     es, ax
        xor     di, di
        xor     ax, ax
        mov     cx, 1024 / 2
        rep     stosw

        call    dbg_banner
        POST_CODE POST_PIC
        call    pic_init
        POST_CODE POST_IVT
        call    ivt_init
        ; Interrupt masks for the running system (the handlers are in place):
        ; timer, keyboard, cascade, diskette on the master; RTC, x87, both
        ; IDE channels on the slave.
        mov     al, 0xB8
        out     PIC1_DATA, al
        mov     al, 0x1E
        out     PIC2_DATA, al
        call    bda_init
        mov     [es:BDA_RESETFLAG], bp      ; es = BDA after bda_init
        POST_CODE POST_PIT
        call    pit_init
        POST_CODE POST_RTC
        call    rtc_init
        call    fpu_init
        POST_CODE POST_MEMORY
        call    memory_init
        POST_CODE POST_PCI
        call    pci_post
        POST_CODE POST_KBC
        call    kbd_post
        POST_CODE POST_SERIAL
        call    serial_post
        POST_CODE POST_VIDEO
        call    video_post
        call    banner
        call    cpu_report
        POST_CODE POST_FLOPPY
        call    dma_init
        call    floppy_post
        POST_CODE POST_ATA
        call    ata_post
        POST_CODE POST_OPTROM
        call    optrom_scan
        sti
        POST_CODE POST_BOOT
        int     0x19
        jmp     $

; The first line on the debug console, before any device is set up.
dbg_banner:
        push    si
        mov     si, str_banner
.n:     mov     al, [cs:si]
        inc     si
        test    al, al
        jz      .d
        out     DEBUGCON, al
        jmp     .n
.d:     pop     si
        ret

str_banner:
        db      "Kiln BIOS ", KILN_BIOS_VERSION, 10, 0

; 8259A pair: edge triggered, cascaded on IRQ2, vectors 08h and 70h.
pic_init:
        mov     al, 0x11
        out     PIC1_CMD, al
        out     PIC2_CMD, al
        mov     al, 0x08
        out     PIC1_DATA, al
        mov     al, 0x70
        out     PIC2_DATA, al
        mov     al, 0x04
        out     PIC1_DATA, al
        mov     al, 0x02
        out     PIC2_DATA, al
        mov     al, 0x01
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     al, 0xFF            ; all masked until the vectors are set
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        ret

; 8237A pair: master clear, both enabled, channel 4 cascades channels 0-3.
dma_init:
        xor     al, al
        out     0x0D, al            ; master clear, controller 1
        out     0xDA, al            ; master clear, controller 2
        out     0x08, al            ; command: enabled, normal timing
        out     0xD0, al
        mov     al, 0xC0            ; channel 4: cascade mode
        out     0xD6, al
        xor     al, al
        out     0xD4, al            ; unmask channel 4
        ret

; 8254 counter 0: mode 3, count 65536 -> IRQ0 at 18.2 Hz.
pit_init:
        mov     al, 0x36
        out     PIT_MODE, al
        xor     al, al
        out     PIT_CH0, al
        out     PIT_CH0, al
        ret

; Every vector to the dummy IRET, the hardware IRQs to EOI handlers, then
; the BIOS services and data pointers from the table.
ivt_init:
        xor     ax, ax
        mov     es, ax
        xor     di, di
        mov     cx, 256
.all:   mov     ax, dummy_iret
        stosw
        mov     ax, BIOS_SEG
        stosw
        loop    .all
        mov     si, ivt_table
.tab:   movzx   di, byte [cs:si]
        mov     ax, [cs:si + 1]
        add     si, 3
        shl     di, 2
        mov     [es:di], ax
        mov     word [es:di + 2], BIOS_SEG
        cmp     si, ivt_table_end
        jb      .tab
        ; User vectors 60h-66h and 78h-FFh are zero, as programs probe them.
        mov     di, 0x60 * 4
        xor     ax, ax
        mov     cx, 7 * 2
        rep     stosw
        mov     di, 0x78 * 4
        mov     cx, (0x100 - 0x78) * 2
        rep     stosw
        ; INT 1Fh: upper half of the 8x8 font (E segment); INT 43h: lower half.
        mov     word [es:0x1F * 4], font8x8_hi
        mov     word [es:0x1F * 4 + 2], FONT_SEG
        mov     word [es:0x43 * 4], font8x8_lo
        mov     word [es:0x43 * 4 + 2], BIOS_SEG
        ret

ivt_table:
        db 0x02
        dw int02_handler
        db 0x05
        dw int05_entry
        db 0x08
        dw int08_entry
        db 0x09
        dw int09_entry
        db 0x0A
        dw irq_master_eoi
        db 0x0B
        dw irq_master_eoi
        db 0x0C
        dw irq_master_eoi
        db 0x0D
        dw irq_master_eoi
        db 0x0E
        dw int0e_entry
        db 0x0F
        dw irq7_handler
        db 0x10
        dw int10_entry
        db 0x11
        dw int11_entry
        db 0x12
        dw int12_entry
        db 0x13
        dw int13_entry
        db 0x14
        dw int14_entry
        db 0x15
        dw int15_entry
        db 0x16
        dw int16_entry
        db 0x17
        dw int17_entry
        db 0x18
        dw int18_handler
        db 0x19
        dw int19_entry
        db 0x1A
        dw int1a_entry
        db 0x1D
        dw cga_params
        db 0x1E
        dw diskette_params
        db 0x40
        dw int13fd_entry
        db 0x70
        dw int70_handler
        db 0x71
        dw int71_handler
        db 0x72
        dw irq_slave_eoi
        db 0x73
        dw irq_slave_eoi
        db 0x74
        dw int74_handler
        db 0x75
        dw int75_handler
        db 0x76
        dw int76_handler
        db 0x77
        dw int77_handler
ivt_table_end:

; BIOS data area and EBDA basics. Returns ES = BDA.
bda_init:
        mov     ax, BDA_SEG
        mov     es, ax
        mov     word [es:BDA_EBDA], EBDA_SEG
        mov     word [es:BDA_MEMKB], BASE_MEM_KB
        mov     word [es:BDA_KBHEAD], BDA_KBBUF
        mov     word [es:BDA_KBTAIL], BDA_KBBUF
        mov     word [es:BDA_KBSTART], BDA_KBBUF
        mov     word [es:BDA_KBEND], BDA_KBBUF + 32
        mov     byte [es:BDA_KBFLAG2], KF2_101
        mov     dword [es:BDA_LPT_TO], 0x14141414
        mov     dword [es:BDA_COM_TO], 0x01010101
        mov     word [es:BDA_EQUIP], 0x0020 ; 80x25 colour; more bits as devices are found
        push    ds
        mov     ax, EBDA_SEG
        mov     ds, ax
        mov     byte [ebda.size], EBDA_KB
        mov     byte [ebda.cd_dev], 0xFF
        mov     byte [ebda.et_drive], 0xFF  ; no El Torito boot yet
        mov     dword [ebda.hd_map], 0xFFFFFFFF
        pop     ds
        ret

; MC146818: 32.768 kHz time base, 1024 Hz periodic rate, 24-hour BCD,
; no interrupts yet; the BIOS tick count starts at the RTC's time of day.
rtc_init:
        mov     ax, 0x260A
        call    cmos_write
        mov     ax, 0x020B
        call    cmos_write
        mov     al, 0x0C
        call    cmos_read
        mov     al, 0x0D
        call    cmos_read
        call    rtc_wait_update
        mov     al, 0x04            ; hours
        call    cmos_read
        call    bcd_to_bin
        movzx   eax, al
        imul    ebx, eax, 3600
        mov     al, 0x02
        call    cmos_read
        call    bcd_to_bin
        movzx   eax, al
        imul    eax, eax, 60
        add     ebx, eax
        xor     al, al
        call    cmos_read
        call    bcd_to_bin
        movzx   eax, al
        add     eax, ebx
        ; ticks = seconds x 1193182 / 65536
        mov     ecx, 1193182
        mul     ecx
        shrd    eax, edx, 16
        push    ds
        push    word BDA_SEG
        pop     ds
        mov     [BDA_TICKS], eax
        pop     ds
        ret

; Wait (bounded) until the RTC is not about to update its time registers.
rtc_wait_update:
        push    cx
        mov     cx, 0xFFFF
.w:     mov     al, 0x0A
        call    cmos_read
        test    al, 0x80
        jz      .ok
        loop    .w
.ok:    pop     cx
        ret

; AL: BCD -> binary.
bcd_to_bin:
        push    cx
        mov     cl, al
        shr     al, 4
        mov     ch, 10
        mul     ch
        and     cl, 0x0F
        add     al, cl
        pop     cx
        ret

; The x87: initialise it; report it in the equipment word.
fpu_init:
        fninit
        sub     sp, 2
        mov     bp, sp
        mov     word [ss:bp], 0x5A5A
        fnstsw  [ss:bp]
        mov     ax, [ss:bp]
        add     sp, 2
        test    al, al
        jnz     .none
        or      word [es:BDA_EQUIP], 0x0002
.none:  ret

; Memory above 1 MiB from CMOS 34h/35h (64 KiB units above 16 MiB) or
; 30h/31h (KiB above 1 MiB) -> ebda.ram_top.
memory_init:
        mov     al, CMOS_HIGH_HI
        call    cmos_read
        mov     ah, al
        mov     al, CMOS_HIGH_LO
        call    cmos_read
        movzx   eax, ax
        test    eax, eax
        jz      .low
        shl     eax, 16
        add     eax, 0x1000000
        jmp     .set
.low:   mov     al, CMOS_EXT_HI
        call    cmos_read
        mov     ah, al
        mov     al, CMOS_EXT_LO
        call    cmos_read
        movzx   eax, ax
        shl     eax, 10
        add     eax, 0x100000
.set:   push    ds
        call    ds_ebda
        mov     [ebda.ram_top], eax
        pop     ds
        ret

; The first lines on the screen.
banner:
        PRINT   "Kiln BIOS ", KILN_BIOS_VERSION, " - built from source, no code from other BIOSes", 10
        PRINT   "Memory: 639 KiB base, "
        push    ds
        call    ds_ebda
        mov     eax, [ebda.ram_top]
        pop     ds
        sub     eax, 0x100000
        shr     eax, 10
        call    put_dec32
        PRINT   " KiB extended", 10
        ret

; The CPU's vendor and family from CPUID, when EFLAGS.ID can be toggled.
cpu_report:
        pushfd
        pop     eax
        mov     ecx, eax
        xor     eax, 0x00200000
        push    eax
        popfd
        pushfd
        pop     eax
        push    ecx
        popfd
        xor     eax, ecx
        test    eax, 0x00200000
        jz      .none
        PRINT   "CPU: "
        xor     eax, eax
        cpuid
        push    ecx
        push    edx
        push    ebx
        mov     cx, 12
        mov     bx, sp
.v:     mov     al, [ss:bx]
        call    putc
        inc     bx
        loop    .v
        add     sp, 12
        mov     eax, 1
        cpuid
        PRINT   " family "
        mov     ebx, eax
        shr     eax, 8
        and     eax, 0x0F
        call    put_dec32
        PRINT   " model "
        mov     eax, ebx
        shr     eax, 4
        and     eax, 0x0F
        call    put_dec32
        PRINT   10
        ret
.none:  PRINT   "CPU: no CPUID", 10
        ret

; Option ROMs in C0000-DFFFF: 55AAh, length in 512-byte units, a zero
; byte sum; each is called at offset 3 with a far call.
optrom_scan:
        mov     dx, 0xC000
.next:  mov     ds, dx
        cmp     word [0], 0xAA55
        jne     .skip
        movzx   cx, byte [2]
        test    cx, cx
        jz      .skip
        shl     cx, 9               ; bytes (up to 128 KiB wraps: limited to 64 KiB)
        xor     si, si
        xor     bl, bl
.sum:   add     bl, [si]
        inc     si
        loop    .sum
        test    bl, bl
        jnz     .skip
        ; far call DX:0003 through a stacked return address
        push    dx
        push    cs
        push    word .back
        push    dx
        push    word 3
        retf
.back:  pop     dx
        mov     ds, dx
        movzx   ax, byte [2]        ; next 2 KiB boundary after the ROM
        add     ax, 3
        and     ax, ~3
        shl     ax, 5
        add     dx, ax
        jmp     .chk
.skip:  add     dx, 0x80            ; 2 KiB
.chk:   cmp     dx, 0xE000
        jb      .next
        xor     ax, ax
        mov     ds, ax
        ret
