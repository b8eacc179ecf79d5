# Watchpoints on words the boot sector writes (boot_step.asm): each stop
# comes right after the writing instruction, EIP on the next one.
break *0x7c00
continue
delete 1
watch *(unsigned short *)0x600
continue
printf "CHECK pc=%x word600=%x\n", $pc, *(unsigned short *)0x600
continue
printf "CHECK pc=%x word600=%x cx=%x\n", $pc, *(unsigned short *)0x600, $cx
delete 2
watch *(unsigned short *)0x610
continue
printf "CHECK pc=%x word610=%x\n", $pc, *(unsigned short *)0x610
x/i $pc
kill
