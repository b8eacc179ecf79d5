; SPDX-License-Identifier: MIT
; Multiboot v1 test kernel for the monitor (tests/boot/monitor.sh): builds a
; state the test knows independently, says "ready" on port E9, then echoes
; every byte the keyboard controller delivers as two hex digits.
;   - RAM at 200000h-201FFFh holds byte (i * 7 + 3) & FFh at offset i;
;   - paging on: 0-4 MiB identity-mapped by one 4 MiB PSE page (supervisor,
;     writable); 40000000h -> 200000h (user, read-only) and 40001000h ->
;     201000h (supervisor, writable) through a page table; CR3 = 180000h;
;   - PIC pair at vectors 20h/28h, masks B8h/8Fh;
;   - 8042 command byte 44h: scan-code translation to set 1, no IRQ;
;   - EBX..EBP hold fixed values; the echo loop sits at 100400h.
; Spec: Multiboot 0.6.96; Intel SDM Vol. 3A 4.3; 8259A and 8042 datasheets.
%include "pic8259.inc"
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010003
PDIR     equ 0x180000
PTAB     equ 0x181000
DATA     equ 0x200000

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, image_end, start

start:
    cli
    mov esp, 0x170000
    ; the data pattern
    xor ecx, ecx
.fill:
    lea eax, [ecx * 8]
    sub eax, ecx
    add eax, 3
    mov [DATA + ecx], al
    inc ecx
    cmp ecx, 0x2000
    jb .fill
    ; page directory and table, cleared first
    mov edi, PDIR
    mov ecx, 2048
    xor eax, eax
    rep stosd
    mov dword [PDIR], 0x00000083               ; 4 MiB, present, writable
    mov dword [PDIR + (0x40000000 >> 22) * 4], PTAB | 0x07
    mov dword [PTAB], DATA | 0x05              ; user, read-only
    mov dword [PTAB + 4], (DATA + 0x1000) | 0x03 ; supervisor, writable
    mov eax, PDIR
    mov cr3, eax
    mov eax, cr4
    or eax, 0x10                               ; CR4.PSE
    mov cr4, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    ; PIC pair: vectors 20h and 28h, then the masks
    PIC_INIT 0x20, 0x28, 0xb8, 0x8f
    ; 8042: flush, then write command byte 44h
.flush:
    in al, 0x64
    test al, 1
    jz .flushed
    in al, 0x60
    jmp .flush
.flushed:
    call kbc_wait
    mov al, 0x60
    out 0x64, al
    call kbc_wait
    mov al, 0x44
    out 0x60, al
    ; the registers the test reads back
    mov ebx, 0x9abcdef0
    mov ecx, 0x0badf00d
    mov edx, 0xfeedface
    mov esi, 0x11111111
    mov edi, 0x22222222
    mov ebp, 0x33333333
    mov al, 'r'
    out 0xe9, al
    mov al, 'e'
    out 0xe9, al
    mov al, 'a'
    out 0xe9, al
    mov al, 'd'
    out 0xe9, al
    mov al, 'y'
    out 0xe9, al
    mov al, 10
    out 0xe9, al
    jmp echo

kbc_wait:
    in al, 0x64
    test al, 2
    jnz kbc_wait
    ret

    times 0x400 - ($ - $$) db 0x90
echo:                                          ; at 100400h
    in al, 0x64
    test al, 1
    jz echo
    in al, 0x60
    mov ah, al
    shr al, 4
    call hex_digit
    mov al, ah
    and al, 0x0f
    call hex_digit
    mov al, ' '
    out 0xe9, al
    jmp echo

hex_digit:
    add al, '0'
    cmp al, '9'
    jbe .out
    add al, 'a' - '9' - 1
.out:
    out 0xe9, al
    ret
image_end:
