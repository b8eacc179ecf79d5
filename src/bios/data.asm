; SPDX-License-Identifier: MIT
;
; Kiln BIOS: shared constants. The BIOS data area (segment 40h) as DOS and
; other OSes read it, the extended BIOS data area (EBDA, 1 KiB at 9FC0:0,
; segment in 40:0E) with Kiln's private state after the standard fields,
; and the I/O ports of the PC/AT chipset. Emits no bytes.
; Spec: IBM PC AT Technical Reference (BIOS data area), IBM PS/2 BIOS
; Interface Technical Reference (EBDA), Ralf Brown's Interrupt List (MEMORY.LST).

; ---- Segments and fixed addresses ----
BDA_SEG         equ 0x40
EBDA_SEG        equ 0x9FC0          ; 639 KiB of base memory below it
EBDA_KB         equ 1
BASE_MEM_KB     equ 639
BIOS_SEG        equ 0xF000
FONT_SEG        equ 0xE000          ; fonts and VBE tables live in the E segment
STACK_POST      equ 0x7000          ; POST stack: 0000:7000 grows down

; ---- BIOS data area (offsets in segment 40h) ----
BDA_COM         equ 0x00            ; 4 words: COM1-4 base ports
BDA_LPT         equ 0x08            ; 3 words: LPT1-3 base ports
BDA_EBDA        equ 0x0E            ; word: EBDA segment
BDA_EQUIP       equ 0x10            ; word: equipment list (INT 11h)
BDA_MEMKB       equ 0x13            ; word: base memory KiB (INT 12h)
BDA_KBFLAG0     equ 0x17            ; shift flags
BDA_KBFLAG1     equ 0x18            ; shift key-down flags
BDA_ALTNUM      equ 0x19            ; Alt + keypad accumulator
BDA_KBHEAD      equ 0x1A
BDA_KBTAIL      equ 0x1C
BDA_KBBUF       equ 0x1E            ; 16 words
BDA_FD_RECAL    equ 0x3E            ; bit 7: IRQ6 seen; bits 0-3: drive recalibrated
BDA_FD_MOTOR    equ 0x3F            ; bits 0-3 motor on, bit 7 write operation
BDA_FD_MOTOR_TO equ 0x40            ; ticks until motor off
BDA_FD_STATUS   equ 0x41            ; last floppy status
BDA_FD_RESULT   equ 0x42            ; 7 bytes of FDC result
BDA_VMODE       equ 0x49
BDA_VCOLS       equ 0x4A            ; word
BDA_VPAGESIZE   equ 0x4C            ; word
BDA_VPAGESTART  equ 0x4E            ; word
BDA_VCURSOR     equ 0x50            ; 8 words: col | row << 8
BDA_VCURSHAPE   equ 0x60            ; word: end | start << 8
BDA_VPAGE       equ 0x62
BDA_VCRTC       equ 0x63            ; word: 3D4h or 3B4h
BDA_VMODECTL    equ 0x65            ; CGA mode control register value
BDA_VPALETTE    equ 0x66            ; CGA colour select value
BDA_RESUME      equ 0x67            ; dword: resume vector after a shutdown reset
BDA_TICKS       equ 0x6C            ; dword
BDA_MIDNIGHT    equ 0x70
BDA_BREAK       equ 0x71
BDA_RESETFLAG   equ 0x72            ; word: 1234h = warm boot
BDA_HD_STATUS   equ 0x74
BDA_HD_COUNT    equ 0x75
BDA_HD_CONTROL  equ 0x76
BDA_LPT_TO      equ 0x78            ; 3 bytes (+1)
BDA_COM_TO      equ 0x7C            ; 4 bytes
BDA_KBSTART     equ 0x80            ; word
BDA_KBEND       equ 0x82            ; word
BDA_VROWS       equ 0x84            ; rows - 1
BDA_VCHARH      equ 0x85            ; word: character height
BDA_VEGAMISC    equ 0x87            ; bit 7: mode set without clearing, bit 0: no cursor emulation
BDA_VSWITCHES   equ 0x88
BDA_VGAFLAGS    equ 0x89            ; bit 4: 400 lines, bit 3: no default palette, bit 0: VGA active
BDA_VDCC        equ 0x8A            ; display combination code index
BDA_FD_RATE     equ 0x8B            ; last data rate sent to the FDC (bits 7-6)
BDA_HD_INTR     equ 0x8E            ; fixed disk interrupt flag
BDA_FD_INFO     equ 0x8F            ; drive capability bits
BDA_FD_MEDIA    equ 0x90            ; 2 bytes: media state of drives 0, 1
BDA_FD_CYL      equ 0x94            ; 2 bytes: current cylinder of drives 0, 1
BDA_KBFLAG2     equ 0x96            ; E0/E1 prefix, right Ctrl/Alt, 101-key
BDA_KBFLAG3     equ 0x97            ; LED state and command bits
BDA_WAIT_PTR    equ 0x98            ; dword: user wait flag (INT 15h 83h)
BDA_WAIT_COUNT  equ 0x9C            ; dword: microseconds left
BDA_WAIT_FLAG   equ 0xA0            ; bit 0: wait active, bit 7: posted
BDA_VSAVEPTR    equ 0xA8            ; dword: video save pointer table

; Shift flags (40:17).
KF_RSHIFT       equ 0x01
KF_LSHIFT       equ 0x02
KF_CTRL         equ 0x04
KF_ALT          equ 0x08
KF_SCROLL       equ 0x10
KF_NUM          equ 0x20
KF_CAPS         equ 0x40
KF_INSERT       equ 0x80
; 40:96
KF2_E1          equ 0x01
KF2_E0          equ 0x02
KF2_RCTRL       equ 0x04
KF2_RALT        equ 0x08
KF2_101         equ 0x10

; ---- EBDA layout ----
ATA_DEV_SIZE    equ 32
ATA_MAX_DEV     equ 4

struc ebda
  .size         resb 1              ; 00: KiB
                resb 0x21
  .mouse        resb 14             ; 22: pointing device data (INT 15h C2)
                resb 0x0D           ; 30
  .fdpt0        resb 16             ; 3D: fixed disk parameter table, drive 80h (INT 41h)
  .fdpt1        resb 16             ; 4D: drive 81h (INT 46h)
                resb 0x80 - 0x5D
  ; ---- Kiln private state from 80h ----
  .ram_top      resd 1              ; 80: first byte above RAM (below 4 GiB)
  .lfb          resd 1              ; 84: VBE linear framebuffer (VGA BAR0)
  .vram_64k     resw 1              ; 88: video memory in 64 KiB units (0: no DISPI)
  .vbe_mode     resw 1              ; 8A: current VBE mode (0: a VGA mode)
  .serial_mirror resw 1             ; 8C: port that teletype output is copied to, 0 = none
  .hd_count     resb 1              ; 8E
  .cd_dev       resb 1              ; 8F: ATA index of the first CD-ROM, FFh if none
  .hd_map       resb 4              ; 90: ATA index of BIOS drives 80h-83h
  .fd_spt       resb 2              ; 94: per floppy drive: media sectors per track (0: unknown)
  .fd_heads     resb 2              ; 96
  .fd_cyls      resb 2              ; 98
  .fd_rate      resb 2              ; 9A: data rate code (CCR) of the media
  .boot_drive   resb 1              ; 9C
  .pci_lastbus  resb 1              ; 9D
  .kbd_ok       resb 1              ; 9E: bit 0 keyboard found, bit 1 a byte was polled
  .serial_lcr   resb 1              ; 9F: line control the BIOS gave the console port
  .et_active    resb 1              ; A0: El Torito emulation active (1)
  .et_media     resb 1              ; A1: boot media type (0 none, 1-3 floppy, 4 HD)
  .et_drive     resb 1              ; A2: emulated drive number
  .et_dev       resb 1              ; A3: ATA index of the CD
  .et_lba       resd 1              ; A4: image start (2048-byte sector)
  .et_loadseg   resw 1              ; A8
  .et_count     resw 1              ; AA: 512-byte sectors loaded at boot
  .et_cyls      resw 1              ; AC: emulated geometry
  .et_heads     resb 1              ; AE
  .et_spt       resb 1              ; AF
  .ata          resb ATA_DEV_SIZE * ATA_MAX_DEV  ; B0-12F
  .dpte         resb 16             ; 130: EDD device parameter table extension (AH=48h)
  .fd_status    resb 1              ; 140: scratch
                resb 0x200 - 0x141
  .bounce       resb 512            ; 200: floppy DMA bounce sector
endstruc

; One ATA device (ebda.ata + n * ATA_DEV_SIZE).
struc atadev
  .type         resb 1              ; 0 none, 1 ATA disk, 2 ATAPI
  .flags        resb 1              ; ATAF_*
  .iobase       resw 1
  .ctrl         resw 1              ; device control / alternate status port
  .select       resb 1              ; A0h / B0h
  .channel      resb 1              ; 0 / 1, unit in bit 4 of select
  .lcyl         resw 1              ; BIOS (logical) geometry
  .lheads       resw 1
  .lspt         resw 1
  .pcyl         resw 1              ; IDENTIFY geometry
  .pheads       resw 1
  .pspt         resw 1
  .sectors      resd 2              ; total sectors (64-bit)
  .blksize      resw 1              ; 512 or 2048
  .pad          resw 1
endstruc
ATAF_LBA        equ 0x01
ATAF_LBA48      equ 0x02
ATAF_REMOVABLE  equ 0x04
ATAF_TRANSLATED equ 0x08

ATA_NONE        equ 0
ATA_DISK        equ 1
ATA_ATAPI       equ 2

; ---- Ports ----
PIC1_CMD        equ 0x20
PIC1_DATA       equ 0x21
PIC2_CMD        equ 0xA0
PIC2_DATA       equ 0xA1
PIC_EOI         equ 0x20
ELCR1           equ 0x4D0
ELCR2           equ 0x4D1
PIT_CH0         equ 0x40
PIT_CH1         equ 0x41
PIT_CH2         equ 0x42
PIT_MODE        equ 0x43
KBC_DATA        equ 0x60
KBC_STATUS      equ 0x64
PORT_B          equ 0x61
CMOS_INDEX      equ 0x70
CMOS_DATA       equ 0x71
POST_PORT       equ 0x80
SYSCTL_A        equ 0x92
DEBUGCON        equ 0xE9
PCI_ADDR        equ 0xCF8
PCI_DATA        equ 0xCFC
VBE_INDEX       equ 0x1CE
VBE_DATA        equ 0x1CF
FDC_DOR         equ 0x3F2
FDC_MSR         equ 0x3F4
FDC_FIFO        equ 0x3F5
FDC_DIR         equ 0x3F7           ; read: digital input; write: CCR
DMA1_ADDR2      equ 0x04
DMA1_COUNT2     equ 0x05
DMA1_MASK       equ 0x0A
DMA1_MODE       equ 0x0B
DMA1_CLEARFF    equ 0x0C
DMA_PAGE2       equ 0x81

; CMOS registers.
CMOS_SHUTDOWN   equ 0x0F
CMOS_FLOPPY     equ 0x10
CMOS_DISK       equ 0x12
CMOS_EQUIP      equ 0x14
CMOS_EXT_LO     equ 0x30
CMOS_EXT_HI     equ 0x31
CMOS_CENTURY    equ 0x32
CMOS_HIGH_LO    equ 0x34
CMOS_HIGH_HI    equ 0x35
CMOS_BOOT3      equ 0x38            ; high nibble: third boot device
CMOS_BOOT12     equ 0x3D            ; low nibble first, high nibble second
NMI_OFF         equ 0x80            ; OR into the CMOS index to keep NMI masked

; DISPI registers.
DISPI_ID        equ 0
DISPI_XRES      equ 1
DISPI_YRES      equ 2
DISPI_BPP       equ 3
DISPI_ENABLE    equ 4
DISPI_BANK      equ 5
DISPI_VWIDTH    equ 6
DISPI_VHEIGHT   equ 7
DISPI_XOFF      equ 8
DISPI_YOFF      equ 9
DISPI_VRAM64K   equ 0x0A
DISPI_EN        equ 0x01
DISPI_8BITDAC   equ 0x20
DISPI_LFB       equ 0x40
DISPI_NOCLEAR   equ 0x80

; POST codes (port 80h).
POST_START      equ 0x01
POST_PIC        equ 0x02
POST_PIT        equ 0x03
POST_RTC        equ 0x04
POST_IVT        equ 0x05
POST_MEMORY     equ 0x06
POST_KBC        equ 0x07
POST_PCI        equ 0x08
POST_VIDEO      equ 0x09
POST_SERIAL     equ 0x0A
POST_FLOPPY     equ 0x0B
POST_ATA        equ 0x0C
POST_OPTROM     equ 0x0D
POST_BOOT       equ 0x0E
POST_NOBOOT     equ 0xEE

; Default diskette motor-off delay in ticks (about 2 s).
FD_MOTOR_TICKS  equ 37
