# Single-steps and external interrupts (boot_step.asm spins at 7C3Dh with
# IF = 1 while the BIOS's timer runs; -icount shift=10 makes the 55 ms
# timer period about 54000 instructions). With 'monitor stepirq off' no
# step enters the IRQ 0 handler; with 'on' a step stops at its first
# instruction, the IVT's vector 8, with the return frame on the stack.
break *0x7c3d
continue
delete
set suppress-cli-notifications on
monitor stepirq off
set $n = 0
while $pc == 0x7c3d && $n < 60000
  stepi
  set $n = $n + 1
end
printf "CHECK off pc=%x steps=%d\n", $pc, $n
monitor stepirq on
set $n = 0
while $pc == 0x7c3d && $n < 60000
  stepi
  set $n = $n + 1
end
printf "CHECK on pc-is-ivt8=%d sp=%x ret-ip=%x ret-cs=%x if=%x\n", $pc == *(unsigned short *)0x20 + (*(unsigned short *)0x22 << 4), $sp, *(unsigned short *)$sp, *(unsigned short *)($sp + 2), ($eflags >> 9) & 1
kill
