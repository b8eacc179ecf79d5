; SPDX-License-Identifier: MIT
; A Multiboot kernel for the trace test (label debug): it takes a #UD, a
; software interrupt and a #PF through its own IDT, turns paging on, loops,
; writes to the debug console and exits through isa-debug-exit (iobase
; 0xf4, status 1). Labels the test looks for sit at fixed addresses.
; Spec: Multiboot 0.6.96 3.1-3.3; Intel SDM Vol. 3A 4.3 (paging), 6.11-6.13.
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010003

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, bss_end, start

start:                                  ; 100020
    mov esp, stack_top
    lidt [idt_desc]
    mov eax, 0x11111111
    mov ebx, 0x22222222
    jmp ud_site

    times 0x40 - ($ - $$) db 0x90
ud_site:                                ; 100040
    ud2                                 ; #UD: vector 6, no error code
    int 0x30                            ; 100042: software interrupt 30h
    add eax, ebx                        ; 100044: EAX = 33333333h
    ; Paging: one page table mapping the first 4 MiB identically.
    mov edi, page_table
    mov eax, 0x003
.map:
    mov [edi], eax
    add eax, 0x1000
    add edi, 4
    cmp edi, page_table + 4096
    jne .map
    mov dword [page_dir], page_table + 3
    mov eax, page_dir
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax                        ; paging on
    jmp pf_site

    times 0xa0 - ($ - $$) db 0x90
pf_site:                                ; 1000A0
    mov dword [0x800000], 1             ; #PF: not present, write: error 0002h
    mov ecx, 3                          ; 1000AA
.loop:
    dec ecx                             ; 1000AF
    jnz .loop                           ; 1000B0
    mov al, 'K'
    out 0xe9, al
    mov al, 0
    out 0xf4, al                        ; exit status (0 << 1) | 1 = 1
    hlt

    times 0xe0 - ($ - $$) db 0x90
ud_handler:                             ; 1000E0
    add dword [esp], 2                  ; skip the UD2
    iret
int30_handler:                          ; 1000E5
    iret
pf_handler:                             ; 1000E6
    add esp, 4                          ; drop the error code
    add dword [esp], 10                 ; skip the 10-byte MOV
    iret

%macro GATE 1
    dw (%1 - $$ + 0x100000) & 0xffff, 0x10, 0x8e00, (%1 - $$ + 0x100000) >> 16
%endmacro
    align 8
idt:
    times 6 dq 0
    GATE ud_handler                     ; 6
    times 7 dq 0
    GATE pf_handler                     ; 14
    times 0x30 - 15 dq 0
    GATE int30_handler                  ; 30h
idt_end:
idt_desc:
    dw idt_end - idt - 1
    dd idt
image_end:
    align 4096, db 0
page_dir: times 1024 dd 0
page_table: times 1024 dd 0
    times 1024 dd 0
stack_top:
bss_end:
