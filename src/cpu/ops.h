/* SPDX-License-Identifier: MIT */
/*
 * Shared by the instruction semantics (ops_*.c): operand access (registers,
 * ModRM memory, stack), control-transfer helpers, and the prototype of every
 * handler named in opcodes.def. A handler returns 0 or CPU_FAULT and must
 * change no architectural state before its last possible fault, except the
 * GPRs and flags that the interpreter restores on a fault.
 */
#ifndef KILN_CPU_OPS_H
#define KILN_CPU_OPS_H

#include "common/bits.h"
#include "cpu/cpu.h"
#include "cpu/flags.h"
#include "cpu/insn.h"
#include "cpu/mem.h"
#include "cpu/opcodes.h"

#define OP(id, mnem, map, opc, reg, rm, mod, imm, gen, flags, handler)                             \
    KILN_MUST_CHECK int op_##handler(struct cpu *c, const struct insn *in);
#include "cpu/opcodes.def"
#undef OP

/* The sixteen conditions of Jcc, SETcc and CMOVcc, for the forms of each:
 * X(the short Jcc's op id, the mnemonic's stem, the condition code). */
#define CONDITIONS(X)                                                                              \
    X(JO, o, 0x0) X(JNO, no, 0x1) X(JB, b, 0x2) X(JAE, ae, 0x3) X(JE, e, 0x4) X(JNE, ne, 0x5)      \
    X(JBE, be, 0x6) X(JA, a, 0x7) X(JS, s, 0x8) X(JNS, ns, 0x9) X(JP, p, 0xa) X(JNP, np, 0xb)      \
    X(JL, l, 0xc) X(JGE, ge, 0xd) X(JLE, le, 0xe) X(JG, g, 0xf)

/* The specialised handlers of forms.def: form_<stem>_reg, _b32 and _bi32. */
#define FORM(id, stem)                                                                             \
    KILN_MUST_CHECK int form_##stem##_reg(struct cpu *c, const struct insn *in);                  \
    FORM_MEM(id, stem)
#define FORM_MEM(id, stem)                                                                         \
    KILN_MUST_CHECK int form_##stem##_b32(struct cpu *c, const struct insn *in);                  \
    KILN_MUST_CHECK int form_##stem##_bi32(struct cpu *c, const struct insn *in);
#define FORM_REG(id, stem) KILN_MUST_CHECK int form_##stem##_reg(struct cpu *c, const struct insn *in);
#include "cpu/forms.def"
#undef FORM
#undef FORM_MEM
#undef FORM_REG

/* Define those of 'stem': a handler's form for 32-bit operands (or a byte
 * op's, in 32-bit code), once per operand shape (FORMS32_REG: only the
 * register or no-ModRM one); 'expr' is its body, with the shape in 'sh'.
 * The generic handler runs the same inline semantics with EA_ANY. */
#define FORMS32_MEM(stem, expr)                                                                    \
    int form_##stem##_b32(struct cpu *c, const struct insn *in)                                    \
    {                                                                                              \
        const enum ea_shape sh = EA_B32;                                                           \
        return (expr);                                                                             \
    }                                                                                              \
    int form_##stem##_bi32(struct cpu *c, const struct insn *in)                                   \
    {                                                                                              \
        const enum ea_shape sh = EA_BI32;                                                          \
        return (expr);                                                                             \
    }
#define FORMS32_REG(stem, expr)                                                                    \
    int form_##stem##_reg(struct cpu *c, const struct insn *in)                                    \
    {                                                                                              \
        const enum ea_shape sh = EA_REG;                                                           \
        (void)sh;                                                                                  \
        return (expr);                                                                             \
    }
#define FORMS32(stem, expr)                                                                        \
    FORMS32_REG(stem, expr)                                                                        \
    FORMS32_MEM(stem, expr)

/* Operand width of the form in bytes: 1 for byte forms, else the operand size. */
static inline int insn_width(const struct insn *in)
{
    return (opc_rows[in->op].flags & F_BYTE) ? 1 : in->opsize;
}

/* General register 'reg' at 'size' (1: AL..BH encoding, 2, 4). */
static inline uint32_t reg_get(const struct cpu *c, int reg, int size)
{
    if (size == 1)
        return reg < 4 ? c->r[reg] & 0xff : (c->r[reg - 4] >> 8) & 0xff;
    return size == 2 ? c->r[reg] & 0xffff : c->r[reg];
}

static inline void reg_set(struct cpu *c, int reg, int size, uint32_t v)
{
    if (size == 1) {
        if (reg < 4)
            c->r[reg] = (c->r[reg] & ~0xffu) | (v & 0xff);
        else
            c->r[reg - 4] = (c->r[reg - 4] & ~0xff00u) | ((v & 0xff) << 8);
    } else if (size == 2) {
        c->r[reg] = (c->r[reg] & ~0xffffu) | (v & 0xffff);
    } else {
        c->r[reg] = v;
    }
}

/* The shape of a ModRM operand, when a handler is specialised for one
 * (forms.c picks them as the interpreter's runs are built); the generic
 * handlers take EA_ANY. The memory shapes are 32-bit addressing with a
 * base register and no index (EA_B32), or with both (EA_BI32). */
enum ea_shape { EA_ANY, EA_REG, EA_B32, EA_BI32 };

/* Offset of the ModRM memory operand, wrapped to the address size. */
static KILN_ALWAYS_INLINE uint32_t ea_offset_as(const struct cpu *c, const struct insn *in,
                                                enum ea_shape sh)
{
    if (sh == EA_B32)
        return in->disp + c->r[in->base];
    if (sh == EA_BI32)
        return in->disp + c->r[in->base] + (c->r[in->index] << in->scale);
    uint32_t off = in->disp;
    if (in->base != INSN_NOREG)
        off += c->r[in->base];
    if (in->index != INSN_NOREG)
        off += c->r[in->index] << in->scale;
    return in->addrsize == 2 ? off & 0xffff : off;
}

static inline uint32_t ea_offset(const struct cpu *c, const struct insn *in)
{
    return ea_offset_as(c, in, EA_ANY);
}

/* Read/write the ModRM operand (register or memory) of 'size' bytes, of
 * shape 'sh'. */
KILN_MUST_CHECK static KILN_ALWAYS_INLINE int e_read_as(struct cpu *c, const struct insn *in,
                                                        enum ea_shape sh, int size, uint32_t *v)
{
    if (sh == EA_REG || (sh == EA_ANY && !in->is_mem)) {
        *v = reg_get(c, in->rm, size);
        return 0;
    }
    return mem_read(c, in->seg, ea_offset_as(c, in, sh), size, v);
}

KILN_MUST_CHECK static KILN_ALWAYS_INLINE int e_write_as(struct cpu *c, const struct insn *in,
                                                         enum ea_shape sh, int size, uint32_t v)
{
    if (sh == EA_REG || (sh == EA_ANY && !in->is_mem)) {
        reg_set(c, in->rm, size, v);
        return 0;
    }
    return mem_write(c, in->seg, ea_offset_as(c, in, sh), size, v);
}

KILN_MUST_CHECK static inline int e_read(struct cpu *c, const struct insn *in, int size,
                                         uint32_t *v)
{
    return e_read_as(c, in, EA_ANY, size, v);
}

KILN_MUST_CHECK static inline int e_write(struct cpu *c, const struct insn *in, int size,
                                          uint32_t v)
{
    return e_write_as(c, in, EA_ANY, size, v);
}

/* Store the result of a read-modify-write of the ModRM operand whose flags
 * are already computed: when the store faults, the flags go back to
 * 'before' (see struct flags_saved), so that nothing has changed. */
KILN_MUST_CHECK static KILN_ALWAYS_INLINE int e_write_rmw_as(struct cpu *c, const struct insn *in,
                                                             enum ea_shape sh, int size, uint32_t v,
                                                             const struct flags_saved *before)
{
    int rc = e_write_as(c, in, sh, size, v);
    if (KILN_UNLIKELY(rc))
        flags_restore(c, before);
    return rc;
}

KILN_MUST_CHECK static inline int e_write_rmw(struct cpu *c, const struct insn *in, int size,
                                              uint32_t v, const struct flags_saved *before)
{
    return e_write_rmw_as(c, in, EA_ANY, size, v, before);
}

/* Stack pointer at the stack's width (SS.B). */
uint32_t sp_get(const struct cpu *c);
void sp_set(struct cpu *c, uint32_t v);

/* Push/pop one value of 'size' bytes. */
KILN_MUST_CHECK int stack_push(struct cpu *c, int size, uint32_t v);
KILN_MUST_CHECK int stack_pop(struct cpu *c, int size, uint32_t *v);

/* Push n values, checking every slot before writing any (precise faults). */
KILN_MUST_CHECK int stack_push_n(struct cpu *c, int size, const uint32_t *vals, int n);

/* Read the value 'index' slots above the stack top without popping. */
KILN_MUST_CHECK int stack_peek(struct cpu *c, int size, int index, uint32_t *v);

/* Load segment register 'seg' with 'sel' in the current mode (real mode:
 * base = sel << 4; protected mode: descriptor load with checks). */
KILN_MUST_CHECK int seg_load(struct cpu *c, int seg, uint16_t sel);

/* Continue at 'target' (truncated to 'opsize') after a near transfer;
 * #GP(0) when it lies beyond the CS limit. */
KILN_MUST_CHECK int jump_near(struct cpu *c, uint32_t target, int opsize);

/* Far JMP (call = false) or CALL to sel:off in the current mode: real-mode
 * CS loads, or in protected mode code segments, call gates, task gates and
 * TSS descriptors. CALL pushes the return address. */
KILN_MUST_CHECK int far_transfer(struct cpu *c, uint16_t sel, uint32_t off, int opsize, bool call);

struct desc;

/* Load CS from descriptor 'd' at privilege 'cpl' and continue at 'off'. */
KILN_MUST_CHECK int load_cs(struct cpu *c, uint16_t sel, struct desc *d, unsigned cpl,
                            uint32_t off);

/* Load SS:ESP for privilege 'cpl' with the checks of a stack switch to an
 * inner ring (#TS, #SS); 'ext' sets EXT in their error codes. */
KILN_MUST_CHECK int load_stack_for_cpl(struct cpu *c, unsigned cpl, uint16_t ss, uint32_t esp,
                                       bool ext);

/* Push n values on the stack just switched to: a limit fault there is #SS
 * with the new SS selector (+EXT), not #SS(0) (SDM Vol. 2, CALL, INT n). */
KILN_MUST_CHECK int stack_push_switched(struct cpu *c, int size, const uint32_t *vals, int n,
                                        bool ext);

/* The SS:ESP the current TSS holds for privilege 'dpl' (0-2). */
KILN_MUST_CHECK int tss_stack(struct cpu *c, unsigned dpl, uint16_t *ss, uint32_t *esp);

/* Store EFLAGS from a POPF/IRET image, keeping bits the mode protects. */
void eflags_write(struct cpu *c, uint32_t val, int size);

/* EFLAGS as PUSHF shows it (fixed bits, no RF/VM). */
uint32_t eflags_for_push(struct cpu *c);

/* Deliver interrupt 'vector' with 'ret_eip' as the return address (INT n,
 * exceptions): real-mode IVT or protected-mode IDT. */
KILN_MUST_CHECK int cpu_interrupt(struct cpu *c, int vector, uint32_t ret_eip, bool has_err,
                                  uint32_t err, bool software);

/* How a task switch was started; decides busy bits, NT and the back link. */
enum task_source { TASK_JMP, TASK_CALL, TASK_IRET, TASK_INT };

/* Switch to the task whose TSS descriptor 'd' was read through 'sel'.
 * 'ret_eip' is saved as the outgoing task's EIP; an error code, if any, is
 * pushed on the new task's stack. */
KILN_MUST_CHECK int task_switch(struct cpu *c, uint16_t sel, struct desc *d, enum task_source src,
                                uint32_t ret_eip, bool has_err, uint32_t err);

/* Ring-0-only instructions: #GP(0) at CPL > 0 in protected mode and in V86 mode. */
KILN_MUST_CHECK int cpu_need_cpl0(struct cpu *c);

/* Port I/O with the privilege checks of the current mode. */
KILN_MUST_CHECK int io_read(struct cpu *c, uint16_t port, int size, uint32_t *v);
KILN_MUST_CHECK int io_write(struct cpu *c, uint16_t port, int size, uint32_t v);

/* Address of a string operand register (SI/DI or ESI/EDI) by address size. */
static inline uint32_t addr_reg_get(const struct cpu *c, int reg, int asize)
{
    return asize == 2 ? c->r[reg] & 0xffff : c->r[reg];
}

static inline void addr_reg_set(struct cpu *c, int reg, int asize, uint32_t v)
{
    reg_set(c, reg, asize, v);
}

#endif
