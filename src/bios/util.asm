; SPDX-License-Identifier: MIT
;
; Kiln BIOS: small helpers every service uses: CMOS access, the debug
; console (port E9h), POST codes, console printing (debug console plus
; INT 10h teletype, which also reaches COM1), number formatting, waits on
; the BIOS tick count, and the EBDA segment. Touches no device state beyond
; the ports it names. Spec: IBM PC AT Technical Reference (CMOS, port 80h).

%macro POST_CODE 1
        mov     al, %1
        out     POST_PORT, al
%endmacro

; Print the zero-terminated string that follows the call site.
%macro PRINT 1+
        jmp     short %%skip
%%str:  db      %1, 0
%%skip: push    si
        mov     si, %%str
        call    puts
        pop     si
%endmacro

section fseg

; CMOS register AL (NMI stays as it was set: unmasked) -> AL.
cmos_read:
        out     CMOS_INDEX, al
        jmp     short $+2
        in      al, CMOS_DATA
        ret

; CMOS register AL <- AH.
cmos_write:
        out     CMOS_INDEX, al
        jmp     short $+2
        xchg    al, ah
        out     CMOS_DATA, al
        xchg    al, ah
        ret

; DS = EBDA segment (from 40:0E). Clobbers nothing else.
ds_ebda:
        push    ax
        mov     ax, BDA_SEG
        mov     ds, ax
        mov     ax, [BDA_EBDA]
        mov     ds, ax
        pop     ax
        ret

; ES = EBDA segment.
es_ebda:
        push    ax
        mov     ax, BDA_SEG
        mov     es, ax
        mov     ax, [es:BDA_EBDA]
        mov     es, ax
        pop     ax
        ret

; FS = EBDA segment, GS = BDA: for services that keep DS/ES for the caller.
fs_ebda:
        push    ax
        mov     ax, BDA_SEG
        mov     fs, ax
        mov     ax, [fs:BDA_EBDA]
        mov     fs, ax
        pop     ax
        ret

; Character AL to the debug console and the screen (INT 10h teletype,
; which copies it to the serial console).
putc:
        out     DEBUGCON, al
        push    ax
        push    bx
        mov     ah, 0x0E
        mov     bx, 0x0007
        int     0x10
        pop     bx
        pop     ax
        ret

; Zero-terminated string at CS:SI.
puts:
        push    ax
        push    si
.next:  mov     al, [cs:si]
        inc     si
        test    al, al
        jz      .done
        cmp     al, 10
        jne     .put
        mov     al, 13              ; LF -> CR LF on the screen and serial line
        push    ax
        mov     ah, 0x0E
        push    bx
        mov     bx, 7
        int     0x10
        pop     bx
        pop     ax
        mov     al, 10
.put:   call    putc
        jmp     .next
.done:  pop     si
        pop     ax
        ret

; Hex digits of AL's low nibble / AL / AX / EAX.
put_nibble:
        push    ax
        and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     .p
        add     al, 'A' - '9' - 1
.p:     call    putc
        pop     ax
        ret

put_hex8:
        push    ax
        push    ax
        shr     al, 4
        call    put_nibble
        pop     ax
        call    put_nibble
        pop     ax
        ret

put_hex16:
        xchg    al, ah
        call    put_hex8
        xchg    al, ah
        jmp     put_hex8

put_hex32:
        ror     eax, 16
        call    put_hex16
        ror     eax, 16
        jmp     put_hex16

; Unsigned decimal of EAX.
put_dec32:
        push    eax
        push    ecx
        push    edx
        mov     ecx, 10
        push    word 0xFFFF         ; end marker
.div:   xor     edx, edx
        div     ecx
        push    dx
        test    eax, eax
        jnz     .div
.out:   pop     ax
        cmp     ax, 0xFFFF
        je      .done
        add     al, '0'
        call    putc
        jmp     .out
.done:  pop     edx
        pop     ecx
        pop     eax
        ret

; Wait for CX timer ticks (about 55 ms each) with interrupts on. A
; midnight wrap of the count ends the wait early.
wait_ticks:
        push    ds
        push    eax
        push    ebx
        push    ecx
        mov     ax, BDA_SEG
        mov     ds, ax
        movzx   ecx, cx
        sti
        mov     ebx, [BDA_TICKS]
.w:     hlt
        mov     eax, [BDA_TICKS]
        sub     eax, ebx
        cmp     eax, ecx
        jb      .w
        pop     ecx
        pop     ebx
        pop     eax
        pop     ds
        ret

; Wait about CX x 15 us by counting refresh toggles of port 61h bit 4.
io_delay:
        push    ax
        push    cx
        in      al, PORT_B
        and     al, 0x10
        mov     ah, al
.t:     in      al, PORT_B
        and     al, 0x10
        cmp     al, ah
        je      .t
        mov     ah, al
        loop    .t
        pop     cx
        pop     ax
        ret
