; SPDX-License-Identifier: MIT
;
; Kiln BIOS: PCI bus 0 through configuration mechanism #1 (CF8h/CFCh).
; POST enumerates the functions, sizes and assigns the BARs (I/O from
; C000h, memory from E0000000h, naturally aligned), routes PIRQA-D of the
; PIIX3 to IRQ 10/11 (level-triggered in the ELCR), fills the interrupt
; line registers, enables decoding (and the PIIX3 IDE ports), and notes
; the VGA's BAR0 as the VBE framebuffer. INT 1Ah B1xxh is the PCI BIOS
; 2.1 real-mode interface. Spec: PCI Local Bus 2.1 (3.2.2.3.2, 6.2.5),
; PCI BIOS Specification 2.1, Intel 82371SB (PIIX3) datasheet (PIRQRC, IDETIM).

section fseg

PCI_IO_BASE     equ 0xC000
PCI_MEM_BASE    equ 0xE0000000
PIIX_IRQ_A      equ 10
PIIX_IRQ_B      equ 10
PIIX_IRQ_C      equ 11
PIIX_IRQ_D      equ 11

; Select register DI of function BX (bus << 8 | devfn); DX = data port.
pci_select:
        push    eax
        movzx   eax, bx
        shl     eax, 8
        or      eax, 0x80000000
        mov     dx, di
        and     dl, 0xFC
        or      al, dl
        mov     dx, PCI_ADDR
        out     dx, eax
        mov     dx, di
        and     dx, 3
        add     dx, PCI_DATA
        pop     eax
        ret

pci_read32:
        push    dx
        call    pci_select
        in      eax, dx
        pop     dx
        ret
pci_read16:
        push    dx
        call    pci_select
        in      ax, dx
        pop     dx
        ret
pci_read8:
        push    dx
        call    pci_select
        in      al, dx
        pop     dx
        ret
pci_write32:
        push    dx
        call    pci_select
        out     dx, eax
        pop     dx
        ret
pci_write16:
        push    dx
        call    pci_select
        out     dx, ax
        pop     dx
        ret
pci_write8:
        push    dx
        call    pci_select
        out     dx, al
        pop     dx
        ret

pirq_irqs:      db PIIX_IRQ_A, PIIX_IRQ_B, PIIX_IRQ_C, PIIX_IRQ_D

; POST: enumerate bus 0 and set every function up.
pci_post:
        push    ds
        call    ds_ebda
        mov     dx, PCI_ADDR
        mov     eax, 0x80000000
        out     dx, eax
        in      eax, dx
        cmp     eax, 0x80000000
        jne     .done               ; no configuration mechanism #1
        mov     ecx, PCI_MEM_BASE   ; next memory address
        mov     bp, PCI_IO_BASE     ; next I/O address
        xor     bx, bx              ; bus 0, devfn 0
.fn:    mov     di, 0x00
        call    pci_read16
        cmp     ax, 0xFFFF
        je      .absent
        call    pci_setup_function
        ; single-function devices: skip functions 1-7
        test    bl, 7
        jnz     .next
        mov     di, 0x0E
        call    pci_read8
        test    al, 0x80
        jnz     .next
        or      bl, 7
        jmp     .next
.absent:
        test    bl, 7
        jnz     .next
        or      bl, 7               ; no function 0: no device
.next:  inc     bl
        jnz     .fn
        ; PIIX3 PIRQ routing at 00:01.0 and level-triggered IRQs in the ELCR.
        mov     bx, 0x0008
        mov     di, 0x00
        call    pci_read32
        cmp     eax, 0x70008086
        jne     .done
        mov     di, 0x60
        mov     eax, PIIX_IRQ_A | (PIIX_IRQ_B << 8) | (PIIX_IRQ_C << 16) | (PIIX_IRQ_D << 24)
        call    pci_write32
        mov     dx, ELCR2
        in      al, dx
        or      al, (1 << (PIIX_IRQ_A - 8)) | (1 << (PIIX_IRQ_C - 8))
        out     dx, al
.done:  pop     ds
        ret

; One function BX: BARs from ECX (memory) and BP (I/O), interrupt line,
; command register. DS = EBDA.
pci_setup_function:
        push    si
        mov     di, 0x08
        call    pci_read32
        shr     eax, 16             ; AX = class (base << 8 | sub)
        mov     si, ax
        cmp     ah, 0x06            ; bridges: the chipset's own registers only
        je      .bridge
        mov     di, 0x0E
        call    pci_read8
        and     al, 0x7F
        jnz     .irq                ; not a type 0 header
        mov     di, 0x04            ; no decoding while the BARs move
        xor     ax, ax
        call    pci_write16
        mov     di, 0x10
.bar:   call    pci_size_bar
        add     di, 4
        cmp     di, 0x28
        jb      .bar
.irq:   mov     di, 0x3D
        call    pci_read8
        test    al, al
        jz      .cmd
        cmp     al, 4
        ja      .cmd
        ; device d, pin p -> PIRQ[(d + p - 2) mod 4]
        mov     ah, bl
        shr     ah, 3
        add     al, ah
        sub     al, 2
        and     al, 3
        push    bx
        movzx   bx, al
        mov     al, [cs:pirq_irqs + bx]
        pop     bx
        mov     di, 0x3C
        call    pci_write8
.cmd:   mov     di, 0x04
        call    pci_read16
        or      ax, 0x0007          ; I/O, memory, bus master
        call    pci_write16
        ; the VGA: its BAR0 is the linear framebuffer
        cmp     si, 0x0300
        jne     .ide
        cmp     dword [ebda.lfb], 0
        jne     .ide
        mov     di, 0x10
        call    pci_read32
        and     eax, 0xFFFFFFF0
        mov     [ebda.lfb], eax
.ide:   cmp     si, 0x0101
        jne     .r
        ; PIIX3 IDE: enable both channels' legacy ports (IDETIM bit 15)
        mov     di, 0x00
        call    pci_read16
        cmp     ax, 0x8086
        jne     .r
        mov     di, 0x40
        mov     ax, 0x8000
        call    pci_write16
        mov     di, 0x42
        call    pci_write16
.r:     pop     si
        ret
.bridge:
        jmp     .r

; Size and place BAR DI of function BX. A 64-bit BAR also takes DI+4
; (DI advances). ECX = next memory address, BP = next I/O port.
pci_size_bar:
        push    esi
        mov     eax, 0xFFFFFFFF
        call    pci_write32
        call    pci_read32
        test    eax, eax
        jz      .none
        test    al, 1
        jnz     .io
        mov     esi, eax            ; memory: size = ~(mask & ~0Fh) + 1
        and     eax, 0xFFFFFFF0
        neg     eax
        jz      .none
        dec     eax                 ; EAX = size - 1
        add     ecx, eax
        not     eax
        and     ecx, eax            ; align
        push    eax
        mov     eax, ecx
        call    pci_write32
        pop     eax
        not     eax
        inc     eax
        add     ecx, eax
        and     esi, 6
        cmp     esi, 4              ; 64-bit: the upper half is zero
        jne     .r
        add     di, 4
        xor     eax, eax
        call    pci_write32
        jmp     .r
.io:    or      eax, 0xFFFF0000     ; 16-bit I/O decoders read 0 above bit 15
        and     eax, 0xFFFFFFFC
        neg     eax
        jz      .none
        dec     eax
        add     bp, ax
        not     ax
        and     bp, ax
        push    eax
        movzx   eax, bp
        call    pci_write32
        pop     eax
        not     ax
        inc     ax
        add     bp, ax
        jmp     .r
.none:  xor     eax, eax
        call    pci_write32
.r:     pop     esi
        ret

; ---- INT 1Ah B1xxh: PCI BIOS ----
pcibios_handler:
        sti
        cmp     al, 0x01
        je      .present
        cmp     al, 0x02
        je      .find_dev
        cmp     al, 0x03
        je      .find_class
        cmp     al, 0x08
        jb      .unsup
        cmp     al, 0x0D
        jbe     .config
        cmp     al, 0x0E
        je      .routing
        cmp     al, 0x0F
        je      .set_irq
.unsup: mov     ah, 0x81
        stc
        jmp     iret_cf
.present:
        mov     ax, 0x0001          ; mechanism #1
        mov     bx, 0x0210          ; version 2.10
        xor     cl, cl              ; last bus
        mov     edx, 0x20494350     ; "PCI "
        xor     edi, edi            ; no protected-mode entry point
        clc
        jmp     iret_cf
.find_dev:
        cmp     dx, 0xFFFF
        jne     .fd
        mov     ah, 0x83
        stc
        jmp     iret_cf
.fd:    push    ecx
        push    esi
        push    di
        shl     ecx, 16
        mov     cx, dx              ; ECX = device << 16 | vendor
        xor     bx, bx
.fdn:   mov     di, 0
        call    pci_read32
        cmp     eax, ecx
        jne     .fdnext
        dec     si
        js      .found
.fdnext:
        inc     bl
        jnz     .fdn
        jmp     .notfound
.find_class:
        push    ecx
        push    esi
        push    di
        and     ecx, 0x00FFFFFF
        xor     bx, bx
.fcn:   mov     di, 0
        call    pci_read16
        cmp     ax, 0xFFFF
        je      .fcnext
        mov     di, 0x08
        call    pci_read32
        shr     eax, 8
        cmp     eax, ecx
        jne     .fcnext
        dec     si
        js      .found
.fcnext:
        inc     bl
        jnz     .fcn
.notfound:
        pop     di
        pop     esi
        pop     ecx
        mov     ah, 0x86
        stc
        jmp     iret_cf
.found: pop     di
        pop     esi
        pop     ecx
        xor     ah, ah
        clc
        jmp     iret_cf
.config:
        ; 08h/09h/0Ah read byte/word/dword into CL/CX/ECX; 0Bh-0Dh write.
        test    bh, bh
        jnz     .badreg             ; only bus 0 exists
        push    dx
        cmp     al, 0x08
        je      .rb
        cmp     al, 0x0B
        je      .wb
        test    di, 1
        jnz     .bad
        cmp     al, 0x09
        je      .rw
        cmp     al, 0x0C
        je      .ww
        test    di, 2
        jnz     .bad
        cmp     al, 0x0A
        je      .rd
        ; 0Dh
        call    pci_select
        mov     eax, ecx
        out     dx, eax
        jmp     .cok
.rb:    call    pci_select
        in      al, dx
        mov     cl, al
        jmp     .cok
.rw:    call    pci_select
        in      ax, dx
        mov     cx, ax
        jmp     .cok
.rd:    call    pci_select
        in      eax, dx
        mov     ecx, eax
        jmp     .cok
.wb:    call    pci_select
        mov     al, cl
        out     dx, al
        jmp     .cok
.ww:    call    pci_select
        mov     ax, cx
        out     dx, ax
.cok:   pop     dx
        xor     ah, ah
        clc
        jmp     iret_cf
.bad:   pop     dx
.badreg:
        mov     ah, 0x87
        stc
        jmp     iret_cf
.routing:
        ; ES:DI = {buffer size, far pointer}; BX = IRQs only PCI uses (none)
        push    ds
        push    si
        push    cx
        push    di
        mov     cx, pir_slots_end - pir_slots
        cmp     [es:di], cx
        mov     [es:di], cx
        jb      .small
        push    es
        les     di, [es:di + 2]
        push    cs
        pop     ds
        mov     si, pir_slots
        rep     movsb
        pop     es
        pop     di
        pop     cx
        pop     si
        pop     ds
        xor     bx, bx
        xor     ah, ah
        clc
        jmp     iret_cf
.small: pop     di
        pop     cx
        pop     si
        pop     ds
        mov     ah, 0x89
        stc
        jmp     iret_cf
.set_irq:
        ; BX = function, CL = pin (0Ah-0Dh), CH = IRQ
        push    bx
        push    di
        push    eax
        sub     cl, 0x0A
        cmp     cl, 3
        ja      .sbad
        mov     al, bl
        shr     al, 3
        add     al, cl
        dec     al                  ; (device + pin - 2) with pin counted from 1
        and     al, 3
        movzx   di, al
        add     di, 0x60
        mov     al, ch
        mov     bx, 0x0008
        call    pci_write8
        add     cl, 0x0A
        pop     eax
        pop     di
        pop     bx
        xor     ah, ah
        clc
        jmp     iret_cf
.sbad:  add     cl, 0x0A
        pop     eax
        pop     di
        pop     bx
        mov     ah, 0x87
        stc
        jmp     iret_cf
