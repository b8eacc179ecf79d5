# Reverse execution on rev_guest.asm (recorded with -record): single steps
# forwards and back across a timer interrupt must give the same states,
# register for register; reverse-continue goes back to earlier breakpoint
# and watchpoint hits.
define state
  echo === $arg0\n
  info all-registers
  x/2wx 0x100100
end
printf "CHECK entry pc=%x\n", $pc
# The second timer interrupt: stop inside its handler, after 'inc [ticks]'.
watch *(unsigned int *)0x100104
continue
continue
printf "CHECK watch pc=%x ticks=%d\n", $pc, *(unsigned int *)0x100104
delete
# Back out of the handler and across the interrupt's delivery.
reverse-stepi
printf "CHECK rsi pc=%x ticks=%d\n", $pc, *(unsigned int *)0x100104
reverse-stepi
printf "CHECK rsi pc=%x frame-cs=%x frame-eip-in-loop=%d\n", $pc, *(unsigned int *)($esp + 4), *(unsigned int *)$esp >= 0x1000c0 && *(unsigned int *)$esp < 0x1000d1
reverse-stepi
printf "CHECK rsi in-loop=%d\n", $pc >= 0x1000c0 && $pc < 0x1000d1
reverse-stepi
printf "CHECK rsi in-loop=%d\n", $pc >= 0x1000c0 && $pc < 0x1000d1
# Ten steps forwards (into the handler, through it, back to the loop)...
state F0
stepi
state F1
stepi
state F2
stepi
state F3
stepi
state F4
stepi
state F5
stepi
state F6
stepi
state F7
stepi
state F8
stepi
state F9
stepi
state F10
printf "CHECK after ten steps ticks=%d\n", *(unsigned int *)0x100104
# ... and ten back: each state must be the forward one, exactly.
reverse-stepi
state R9
reverse-stepi
state R8
reverse-stepi
state R7
reverse-stepi
state R6
reverse-stepi
state R5
reverse-stepi
state R4
reverse-stepi
state R3
reverse-stepi
state R2
reverse-stepi
state R1
reverse-stepi
state R0
# reverse-continue to earlier breakpoint hits: at 'bump' EAX holds the
# counter just loaded, and each earlier hit has a counter one less.
break *0x1000c5
continue
set $c = *(unsigned int *)0x100100
printf "CHECK bp pc=%x eax-is-counter=%d\n", $pc, $eax == $c
reverse-continue
printf "CHECK rc1 pc=%x back-one=%d eax-is-counter=%d\n", $pc, *(unsigned int *)0x100100 == $c - 1, $eax == *(unsigned int *)0x100100
reverse-continue
printf "CHECK rc2 pc=%x back-two=%d\n", $pc, *(unsigned int *)0x100100 == $c - 2
continue
printf "CHECK c pc=%x forward-one=%d\n", $pc, *(unsigned int *)0x100100 == $c - 1
delete
# A watchpoint going backwards stops at the write, before it.
watch *(unsigned int *)0x100100
reverse-continue
printf "CHECK rw pc=%x before-write=%d\n", $pc, *(unsigned int *)0x100100 == $c - 2
stepi
printf "CHECK rw+1 pc=%x written=%d\n", $pc, *(unsigned int *)0x100100 == $c - 1
delete
# Back past the first checkpoint: the start of the history.
reverse-continue
printf "CHECK begin pc=%x counter=%d\n", $pc, *(unsigned int *)0x100100
kill
