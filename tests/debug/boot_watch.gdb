# Watchpoints on words the boot sector writes and reads (boot_step.asm):
# each stop comes right after the accessing instruction, EIP on the next.
break *0x7c00
continue
delete 1
watch *(unsigned short *)0x600
continue
printf "CHECK write pc=%x word600=%x\n", $pc, *(unsigned short *)0x600
continue
printf "CHECK write pc=%x word600=%x cx=%x\n", $pc, *(unsigned short *)0x600, $cx
delete 2
rwatch *(unsigned short *)0x600
continue
printf "CHECK read pc=%x word600=%x cx=%x\n", $pc, *(unsigned short *)0x600, $cx
delete 3
awatch *(unsigned char *)0x601
continue
printf "CHECK access pc=%x word600=%x cx=%x\n", $pc, *(unsigned short *)0x600, $cx
delete 4
rwatch *(unsigned short *)0x600
continue
printf "CHECK read pc=%x dx=%x\n", $pc, $dx
delete 5
watch *(unsigned short *)0x610
continue
printf "CHECK write pc=%x word610=%x\n", $pc, *(unsigned short *)0x610
x/i $pc
kill
