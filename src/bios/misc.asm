; SPDX-License-Identifier: MIT
;
; Kiln BIOS: the small services and the default hardware interrupt
; handlers: INT 02h (NMI), 05h (print screen: no printer), 11h (equipment),
; 12h (memory size), 17h (printer: none present), and the EOI-only handlers
; for unused IRQs, IRQ 2/9 redirection (INT 71h -> INT 0Ah), x87 errors
; (IRQ 13 -> INT 02h) and the IDE channels (IRQ 14/15).
; Spec: IBM PC AT Technical Reference; Ralf Brown's Interrupt List.

section fseg

; NMI: memory parity or I/O channel check. Nothing raises it here.
int02_handler:
        iret

; Print screen: no printer is attached; report an error in 50:00.
int05_handler:
        push    ds
        push    ax
        mov     ax, 0x50
        mov     ds, ax
        mov     byte [0], 0xFF
        pop     ax
        pop     ds
        iret

int11_handler:
        push    ds
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     ax, [BDA_EQUIP]
        pop     ds
        iret

int12_handler:
        push    ds
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     ax, [BDA_MEMKB]
        pop     ds
        iret

; Printer services: no parallel port exists, so every call reports a
; time-out with the printer not selected.
int17_handler:
        cmp     ah, 2
        ja      .ret
        mov     ah, 0x01
.ret:   iret

; IRQ without a driver on the master PIC.
irq_master_eoi:
        push    ax
        mov     al, PIC_EOI
        out     PIC1_CMD, al
        pop     ax
        iret

; IRQ without a driver on the slave PIC.
irq_slave_eoi:
        push    ax
        mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        pop     ax
        iret

; IRQ 7: a spurious interrupt leaves ISR bit 7 clear and must get no EOI.
irq7_handler:
        push    ax
        mov     al, 0x0B
        out     PIC1_CMD, al
        in      al, PIC1_CMD
        test    al, 0x80
        jz      .spurious
        mov     al, PIC_EOI
        out     PIC1_CMD, al
.spurious:
        pop     ax
        iret

; IRQ 9 is the AT's IRQ 2: EOI the slave, then run the INT 0Ah handler.
int71_handler:
        push    ax
        mov     al, PIC_EOI
        out     PIC2_CMD, al
        pop     ax
        int     0x0A
        iret

; IRQ 13: x87 error. Clear the busy latch and report it as an NMI, as the
; AT does for software written for the 8087.
int75_handler:
        push    ax
        xor     al, al
        out     0xF0, al
        mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        pop     ax
        int     0x02
        iret

; IRQ 14/15: the fixed disk interrupt. Reading the status register
; acknowledges the drive; 40:8E records it for polling code.
int76_handler:
        push    dx
        mov     dx, 0x1F7
        jmp     ide_irq_common
int77_handler:
        push    dx
        mov     dx, 0x177
ide_irq_common:
        push    ax
        push    ds
        in      al, dx
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     byte [BDA_HD_INTR], 0xFF
        mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        pop     ds
        pop     ax
        pop     dx
        iret
