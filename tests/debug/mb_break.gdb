# Break in a 32-bit protected-mode Multiboot kernel by address
# (mb_break.asm) and check registers, the x87 stack, CR0 and memory; then
# break, read and watch at virtual addresses once it runs paged.
printf "CHECK entry pc=%x cs=%x\n", $pc, $cs
break *0x100040
continue
printf "CHECK pc=%x eax=%x ebx=%x ecx=%x\n", $pc, $eax, $ebx, $ecx
printf "CHECK cs=%x pe=%x\n", $cs, $cr0 & 1
printf "CHECK st0=%f top=%x st0-tag=%x st1-tag=%x\n", $st0, ($fstat >> 11) & 7, ($ftag >> 14) & 3, $ftag & 3
x/2i $pc
stepi
printf "CHECK pc=%x eax=%x\n", $pc, $eax
stepi
printf "CHECK result=%x\n", *(unsigned int *)0x100100
# Paging is still off: linear addresses are physical ones.
monitor v2p 0xc01000c0
break *0xc01000c0
continue
printf "CHECK high pc=%x pg=%x cr3=%x\n", $pc, ($cr0 >> 31) & 1, $cr3
monitor v2p 0xc01000c0
x/i $pc
stepi
printf "CHECK edx=%x mem=%x\n", $edx, *(unsigned int *)0xc0100100
watch *(unsigned int *)0xc0100104
continue
printf "CHECK watch pc=%x value=%x\n", $pc, *(unsigned int *)0xc0100104
monitor phys on
printf "CHECK physical=%x\n", *(unsigned int *)0x100104
monitor xp 0x100100 8
kill
