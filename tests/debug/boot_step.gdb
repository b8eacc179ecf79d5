# Stop at the boot sector and single-step real-mode code (boot_step.asm).
# gdb connected in real mode: the stub described an i8086 target and
# reports EIP as the linear address CS.base + IP.
printf "CHECK reset pc=%x cs=%x\n", $pc, $cs
break *0x7c00
continue
printf "CHECK boot pc=%x cs=%x sp=%x dl=%x\n", $pc, $cs, $sp, $edx & 0xff
x/2i $pc
stepi
printf "CHECK pc=%x\n", $pc
stepi
stepi
stepi
printf "CHECK pc=%x ax=%x\n", $pc, $ax
stepi
stepi
printf "CHECK pc=%x ax=%x bx=%x arith-flags=%x\n", $pc, $ax, $bx, $eflags & 0x8d5
x/i $pc
stepi
printf "CHECK pc=%x word600=%x\n", $pc, *(unsigned short *)0x600
stepi
stepi
stepi
printf "CHECK pc=%x cx=%x word600=%x\n", $pc, $cx, *(unsigned short *)0x600
break *0x7c2a
continue
printf "CHECK int pc=%x dx=%x\n", $pc, $dx
x/i $pc
stepi
printf "CHECK handler pc=%x sp=%x ret-ip=%x ret-cs=%x\n", $pc, $sp, *(unsigned short *)($sp), *(unsigned short *)($sp + 2)
stepi
stepi
printf "CHECK back pc=%x si=%x sp=%x\n", $pc, $si, $sp
stepi
stepi
stepi
x/i $pc
# REP STOSB with CX = 4: each step is one iteration, EIP stays on the
# instruction until the last one (single-step on hardware, SDM 7.3.9.2).
stepi
printf "CHECK rep pc=%x cx=%x di=%x\n", $pc, $cx, $di
stepi
stepi
printf "CHECK rep pc=%x cx=%x di=%x\n", $pc, $cx, $di
stepi
printf "CHECK rep pc=%x cx=%x di=%x bytes=%x\n", $pc, $cx, $di, *(unsigned int *)0x700
# Writing registers: real mode lets gdb move CS; EIP stays linear.
set $eax = 0xcafe
printf "CHECK eax=%x\n", $eax
set $pc = 0x7c3d
printf "CHECK pc=%x\n", $pc
# REPE CMPSB written at 7E00h over "abcX" and "abcY" with CX = 8: three
# equal bytes keep EIP on it, the fourth (ZF = 0) ends it with CX = 4.
set *(unsigned int *)0x800 = 0x58636261
set *(unsigned int *)0x900 = 0x59636261
set *(unsigned short *)0x7e00 = 0xa6f3
set $pc = 0x7e00
set $esi = 0x800
set $edi = 0x900
set $ecx = 8
x/i $pc
stepi
stepi
stepi
printf "CHECK repe pc=%x cx=%x si=%x di=%x\n", $pc, $cx, $si, $di
stepi
printf "CHECK repe pc=%x cx=%x si=%x di=%x zf=%x\n", $pc, $cx, $si, $di, ($eflags >> 6) & 1
set $pc = 0x7c3d
# CLI; HLT written over the spin loop: the stub shows the dead halt to gdb
# before Kiln ends the run.
set *(unsigned short *)0x7c3d = 0xf4fa
x/2i $pc
continue
printf "CHECK halted pc=%x if=%x\n", $pc, ($eflags >> 9) & 1
kill
