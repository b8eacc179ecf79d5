# Break in a 32-bit protected-mode Multiboot kernel by address
# (mb_break.asm) and check registers, the x87 stack, CR0 and memory.
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
printf "CHECK result=%x\n", *(unsigned int *)0x10004d
monitor v2p 0x100040
kill
