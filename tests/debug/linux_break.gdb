# Break in the Debian i386 kernel by address (-kernel, "nokaslr"): the
# 32-bit entry of the bzImage and the decompressed kernel's startup_32.
# Linux boot protocol (Documentation/arch/x86/boot.rst, 32-bit protocol):
# entry at code32_start = 100000h with CS = __BOOT_CS (10h), DS =
# __BOOT_DS (18h), paging off, ESI = struct boot_params, whose setup
# header has "HdrS" at offset 202h. The decompressor enters the kernel at
# LOAD_PHYSICAL_ADDR (CONFIG_PHYSICAL_START, 1000000h) with ESI unchanged.
printf "CHECK entry pc=%x cs=%x ds=%x pg=%x\n", $pc, $cs, $ds, ($cr0 >> 31) & 1
printf "CHECK header=%x\n", *(unsigned int *)($esi + 0x202)
break *0x1000000
continue
printf "CHECK kernel pc=%x cs=%x pg=%x header=%x\n", $pc, $cs, ($cr0 >> 31) & 1, *(unsigned int *)($esi + 0x202)
kill
