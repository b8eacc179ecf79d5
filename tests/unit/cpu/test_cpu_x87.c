/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the guest-visible x87/MMX logic: FSAVE/FSTENV layouts in
 * real and protected mode at both operand sizes, stack overflow and
 * underflow, FXAM classes, integer and BCD stores out of range, FBLD/FBSTP,
 * #MF versus the FERR# freeze by CR0.NE, #NM/#UD from CR0.EM/TS/MP, MMX
 * aliasing, EMMS, FXSAVE, precise memory faults. The numeric results come
 * from the host kernel and are checked bit for bit by test_x87_diff.
 * Expected values: Intel SDM Vol. 1 ch. 8-9 (figures 8-9 to 8-13, tables
 * 8-6, 8-10, 9-2), Vol. 2A (FXAM, FIST, FBSTP, FXSAVE), Vol. 3A table 12-8.
 */
#include <check.h>
#include <string.h>

#include "cpu/cpu.h"
#include "cpu/interp.h"
#include "check_main.h"

#define RAM_SIZE (1u << 20)
#define CODE 0x1000u
#define SRC 0x3000u     /* [si] / [esi] */
#define DST 0x3400u     /* [di] / [edi] */
#define HANDLERS 0x9000u /* exception v lands at HANDLERS + 16 v */
#define STACK 0x8000u

static uint8_t ram[RAM_SIZE];
static struct cpu cpu;

static void put16(uint32_t a, uint32_t v)
{
    ram[a] = (uint8_t)v;
    ram[a + 1] = (uint8_t)(v >> 8);
}

static void put32(uint32_t a, uint32_t v)
{
    put16(a, v);
    put16(a + 2, v >> 16);
}

static uint32_t get16(uint32_t a)
{
    return (uint32_t)ram[a] | (uint32_t)ram[a + 1] << 8;
}

static uint32_t get32(uint32_t a)
{
    return get16(a) | get16(a + 2) << 16;
}

/* An 80-bit value into memory. */
static void put80(uint32_t a, uint16_t sexp, uint64_t mant)
{
    put32(a, (uint32_t)mant);
    put32(a + 4, (uint32_t)(mant >> 32));
    put16(a + 8, sexp);
}

/* Real mode at 0000:1000 (pentium2), SI = SRC, DI = DST, with an IVT whose
 * vectors lead to HANDLERS + 16 v. */
static void boot_real(const uint8_t *code, size_t n)
{
    memset(ram, 0, sizeof(ram));
    memcpy(ram + CODE, code, n);
    for (uint32_t v = 0; v < 32; v++)
        put32(v * 4, HANDLERS + 16 * v);
    struct cpu_bus bus = {.ram = ram, .ram_size = RAM_SIZE};
    cpu_init(&cpu, cpu_model_find("pentium2"), &bus);
    for (int s = 0; s < SEG_COUNT; s++)
        cpu_load_seg_real(&cpu, s, 0);
    cpu.eip = CODE;
    cpu.r[R_ESP] = STACK;
    cpu.r[R_ESI] = SRC;
    cpu.r[R_EDI] = DST;
}

/* Flat 32-bit protected mode (caches set directly; GDT and IDT in RAM). */
static void boot_pm32(const uint8_t *code, size_t n)
{
    boot_real(code, n);
    put32(0x500 + 8, 0x0000ffff);
    put32(0x500 + 12, 0x00cf9b00);
    put32(0x500 + 16, 0x0000ffff);
    put32(0x500 + 20, 0x00cf9300);
    for (uint32_t v = 0; v < 32; v++) {
        put32(0x800 + 8 * v, 0x00080000 | ((HANDLERS + 16 * v) & 0xffff));
        put32(0x800 + 8 * v + 4, ((HANDLERS + 16 * v) & 0xffff0000) | 0x8e00);
    }
    cpu.gdtr = (struct dtr){0x500, 23};
    cpu.idtr = (struct dtr){0x800, 255};
    cpu.cr[0] |= CR0_PE;
    for (int s = 0; s < SEG_COUNT; s++)
        cpu.seg[s] = (struct seg_cache){0x10, 0xcf93, 0, 0xffffffff};
    cpu.seg[SEG_CS] = (struct seg_cache){0x08, 0xcf9b, 0, 0xffffffff};
}

/* Run 'steps' instructions; returns the vector of the first exception
 * delivered, or -1. */
static int run(int steps)
{
    for (int i = 0; i < steps; i++) {
        uint32_t eip = cpu.eip;
        enum step_result r = interp_step(&cpu);
        if (r != STEP_OK)
            return 100 + (int)r;
        if (eip < HANDLERS && cpu.eip >= HANDLERS && cpu.eip < HANDLERS + 512)
            return (int)(cpu.eip - HANDLERS) / 16;
    }
    return -1;
}

static int phys_of_st(int i)
{
    return (((cpu.fpu.sw >> 11) & 7) + i) & 7;
}

/* FNINIT; FLD1; FLDPI at 1004; FADD m32 [esi] at 1006 (a data pointer);
 * then the store under test. */
static const uint8_t prologue32[] = {0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xeb, 0xd8, 0x06};

START_TEST(test_fsave_protected_32)
{
    uint8_t code[16];
    memcpy(code, prologue32, sizeof(prologue32));
    code[8] = 0xdd; /* fnsave [edi] */
    code[9] = 0x37;
    boot_pm32(code, 10);
    put32(SRC, 0); /* +0.0f */
    ck_assert_int_eq(run(5), -1);
    /* SDM Vol. 1 figure 8-9, then figure 8-13's register area. */
    ck_assert_uint_eq(get32(DST + 0), 0xffff037f);
    ck_assert_uint_eq(get16(DST + 4), 0x3000);   /* TOP = 6, no flags: pi + 0 is exact */
    ck_assert_uint_eq(get16(DST + 8), 0x0fff);   /* R6, R7 valid, the rest empty */
    ck_assert_uint_eq(get32(DST + 12), CODE + 6); /* last non-control instruction */
    ck_assert_uint_eq(get16(DST + 16), 0x08);
    ck_assert_uint_eq(get16(DST + 18), 0x006);    /* FOP: D8 06 -> 0 06 */
    ck_assert_uint_eq(get32(DST + 20), SRC);
    ck_assert_uint_eq(get16(DST + 24), 0x10);
    ck_assert_uint_eq(get32(DST + 28), 0x2168c235); /* ST0 = pi, round to nearest */
    ck_assert_uint_eq(get32(DST + 32), 0xc90fdaa2);
    ck_assert_uint_eq(get16(DST + 36), 0x4000);
    ck_assert_uint_eq(get32(DST + 42), 0x80000000); /* ST1 = 1.0 */
    ck_assert_uint_eq(get16(DST + 46), 0x3fff);
    /* FNSAVE ends with FNINIT. */
    ck_assert_uint_eq(cpu.fpu.cw, 0x037f);
    ck_assert_uint_eq(cpu.fpu.sw, 0);
    ck_assert_uint_eq(cpu.fpu.tw, 0xffff);
}
END_TEST

START_TEST(test_fstenv_protected_16)
{
    uint8_t code[16];
    memcpy(code, prologue32, sizeof(prologue32));
    code[8] = 0x66; /* fnstenv [edi], 16-bit operand size */
    code[9] = 0xd9;
    code[10] = 0x37;
    boot_pm32(code, 11);
    ck_assert_int_eq(run(5), -1);
    /* SDM Vol. 1 figure 8-11: 14 bytes, no opcode. */
    ck_assert_uint_eq(get16(DST + 0), 0x037f);
    ck_assert_uint_eq(get16(DST + 2), 0x3000);
    ck_assert_uint_eq(get16(DST + 4), 0x0fff);
    ck_assert_uint_eq(get16(DST + 6), CODE + 6);
    ck_assert_uint_eq(get16(DST + 8), 0x08);
    ck_assert_uint_eq(get16(DST + 10), SRC);
    ck_assert_uint_eq(get16(DST + 12), 0x10);
    ck_assert_uint_eq(get16(DST + 14), 0); /* nothing past the 14 bytes */
    /* FNSTENV masks every exception afterwards; the stack is kept. */
    ck_assert_uint_eq(cpu.fpu.cw, 0x037f);
    ck_assert_uint_eq((cpu.fpu.sw >> 11) & 7, 6);
}
END_TEST

/* Real mode, CS = 0050h (base 500h): the image holds 20-bit linear
 * addresses. FNINIT; FLD1; FADD dword [si]; FNSTENV [di] (16 and 32-bit). */
START_TEST(test_fstenv_real)
{
    static const uint8_t code16[] = {0xdb, 0xe3, 0xd9, 0xe8, 0xd8, 0x04, 0xd9, 0x35};
    boot_real(code16, sizeof(code16));
    cpu_load_seg_real(&cpu, SEG_CS, 0x50);
    cpu_load_seg_real(&cpu, SEG_DS, 0x1000); /* data at 10000h + offset */
    cpu.eip = CODE - 0x500;
    ram[0x10000 + SRC + 3] = 0x3f;              /* 0.5f */
    ck_assert_int_eq(run(4), -1);
    uint32_t dst = 0x10000 + DST, fip = CODE + 4, fdp = 0x10000 + SRC;
    /* SDM Vol. 1 figure 8-12. */
    ck_assert_uint_eq(get16(dst + 0), 0x037f);
    ck_assert_uint_eq(get16(dst + 4), 0x3fff);             /* R7 valid */
    ck_assert_uint_eq(get16(dst + 6), fip & 0xffff);
    ck_assert_uint_eq(get16(dst + 8), (fip >> 16) << 12 | 0x004); /* FOP D8 04 */
    ck_assert_uint_eq(get16(dst + 10), fdp & 0xffff);
    ck_assert_uint_eq(get16(dst + 12), (fdp >> 16) << 12);

    static const uint8_t code32[] = {0xdb, 0xe3, 0xd9, 0xe8, 0xd8, 0x04, 0x66, 0xd9, 0x35};
    boot_real(code32, sizeof(code32));
    cpu_load_seg_real(&cpu, SEG_CS, 0x50);
    cpu_load_seg_real(&cpu, SEG_DS, 0x1000);
    cpu.eip = CODE - 0x500;
    ck_assert_int_eq(run(4), -1);
    /* SDM Vol. 1 figure 8-10. */
    ck_assert_uint_eq(get16(dst + 0), 0x037f);
    ck_assert_uint_eq(get16(dst + 8), 0x3fff);
    ck_assert_uint_eq(get32(dst + 12), fip & 0xffff);
    ck_assert_uint_eq(get32(dst + 16), (fip >> 16) << 12 | 0x004);
    ck_assert_uint_eq(get32(dst + 20), fdp & 0xffff);
    ck_assert_uint_eq(get32(dst + 24), (fdp >> 16) << 12);
}
END_TEST

/* FRSTOR of a real-mode 94-byte image, then FNSAVE: the same bytes back. */
START_TEST(test_frstor_real_roundtrip)
{
    static const uint8_t code[] = {0xdd, 0x24, 0xdd, 0x35}; /* frstor [si]; fnsave [di] */
    boot_real(code, sizeof(code));
    put16(SRC + 0, 0x0b7f);                  /* RC up, all masked */
    put16(SRC + 2, 0x2800 | 0x4100 | 0x20);  /* TOP 5, C3 C0, PE */
    put16(SRC + 4, 0xa7ff);                  /* R5 valid, R6 special, R7 zero... */
    put16(SRC + 6, 0x2345);
    put16(SRC + 8, 0x1000 | 0x5d9);          /* FIP bits 16-19, FOP */
    put16(SRC + 10, 0x6789);
    put16(SRC + 12, 0x2000);
    put80(SRC + 14, 0x3fff, 0x8000000000000000ull);      /* ST0 = R5: 1.0 (valid) */
    put80(SRC + 24, 0x7fff, 0x8000000000000000ull);      /* ST1 = R6: +inf (special) */
    put80(SRC + 34, 0x0000, 0);                          /* ST2 = R7: +0 (zero) */
    ck_assert_int_eq(run(2), -1);
    /* The tag word is re-derived from the contents: R5 00, R6 10, R7 01. */
    ck_assert_uint_eq(get16(DST + 4), 0x63ff);
    ck_assert_uint_eq(get16(DST + 0), 0x0b7f);
    ck_assert_uint_eq(get16(DST + 2), 0x2800 | 0x4100 | 0x20);
    ck_assert_uint_eq(get16(DST + 6), 0x2345);
    ck_assert_uint_eq(get16(DST + 8), 0x15d9);
    ck_assert_uint_eq(get16(DST + 10), 0x6789);
    ck_assert_uint_eq(get16(DST + 12), 0x2000);
    ck_assert_mem_eq(ram + DST + 14, ram + SRC + 14, 80);
}
END_TEST

START_TEST(test_stack_overflow)
{
    uint8_t code[20] = {0xdb, 0xe3};
    for (int i = 0; i < 9; i++) {
        code[2 + 2 * i] = 0xd9;
        code[3 + 2 * i] = 0xe8; /* fld1 */
    }
    boot_real(code, sizeof(code));
    ck_assert_int_eq(run(10), -1);
    /* Ninth push: IE, SF, C1 = 1 (overflow); masked: the indefinite. */
    ck_assert_uint_eq(cpu.fpu.sw, 0x3800 | 0x0200 | 0x0041);
    ck_assert_uint_eq(cpu.fpu.reg[7].sexp, 0xffff);
    ck_assert_uint_eq(cpu.fpu.reg[7].mant, 0xc000000000000000ull);
    ck_assert_uint_eq((cpu.fpu.tw >> 14) & 3, 2); /* special */
}
END_TEST

START_TEST(test_stack_underflow)
{
    /* FNINIT; FADD ST0, ST1 on an empty stack. */
    static const uint8_t code[] = {0xdb, 0xe3, 0xd8, 0xc1};
    boot_real(code, sizeof(code));
    ck_assert_int_eq(run(1), -1);
    cpu.fpu.sw = 0x0200; /* C1 set beforehand: underflow clears it */
    ck_assert_int_eq(run(1), -1);
    ck_assert_uint_eq(cpu.fpu.sw, 0x0041);
    ck_assert_uint_eq(cpu.fpu.reg[0].sexp, 0xffff);
    ck_assert_uint_eq(cpu.fpu.reg[0].mant, 0xc000000000000000ull);
    ck_assert_uint_eq(cpu.fpu.tw, 0xfffe); /* ST0 now special, not empty */
}
END_TEST

/* Unmasked underflow: no result, ES and B; the next waiting instruction
 * raises #MF (CR0.NE = 1) with the state untouched; FNSTSW still runs. */
START_TEST(test_unmasked_mf)
{
    static const uint8_t code[] = {0xdb, 0xe3, 0xd9, 0x2c, 0xd8, 0xc1, 0xdf, 0xe0, 0xd9, 0xe8};
    boot_real(code, sizeof(code)); /* fninit; fldcw [si]; fadd st0,st1; fnstsw ax; fld1 */
    cpu.cr[0] |= CR0_NE;
    put16(SRC, 0x037e);
    ck_assert_int_eq(run(4), -1);
    ck_assert_uint_eq(cpu.fpu.sw, 0x80c1);
    ck_assert_uint_eq(cpu.r[R_EAX] & 0xffff, 0x80c1);
    ck_assert_uint_eq(cpu.fpu.tw, 0xffff);
    ck_assert_uint_eq(cpu.fpu.ferr, 1);
    ck_assert_int_eq(run(1), 16);
    ck_assert_uint_eq(get16(STACK - 6), CODE + 8); /* the FLD1 is the faulting instruction */
    ck_assert_uint_eq(cpu.fpu.tw, 0xffff);
}
END_TEST

/* CR0.NE = 0: the waiting instruction freezes with FERR# asserted; IGNNE#
 * lets it run; FNCLEX drops FERR#. */
START_TEST(test_ferr_freeze)
{
    static const uint8_t code[] = {0xdb, 0xe3, 0xd9, 0x2c, 0xd8, 0xc1, 0xd9, 0xe8, 0xdb, 0xe2};
    boot_real(code, sizeof(code));
    cpu.cr[0] &= ~(uint32_t)CR0_NE;
    put16(SRC, 0x037e);
    ck_assert_int_eq(run(3), -1);
    ck_assert_uint_eq(cpu.fpu.ferr, 1);
    ck_assert_int_eq(interp_step(&cpu), STEP_HALT); /* FLD1 freezes */
    ck_assert_uint_eq(cpu.eip, CODE + 6);
    ck_assert_uint_eq(cpu.fpu.tw, 0xffff);
    ck_assert_int_eq(interp_step(&cpu), STEP_HALT);
    cpu.halted = 0; /* what taking IRQ13 would do */
    cpu.fpu.ignne = 1;
    ck_assert_int_eq(run(1), -1);
    ck_assert_uint_eq(cpu.eip, CODE + 8);
    ck_assert_uint_eq(cpu.fpu.tw, 0x3fff); /* the FLD1 ran */
    ck_assert_int_eq(run(1), -1);           /* FNCLEX */
    ck_assert_uint_eq(cpu.fpu.ferr, 0);
    ck_assert_uint_eq(cpu.fpu.sw & 0x80ff, 0);
}
END_TEST

/* FXAM on each class (SDM Vol. 2A FXAM table): C3 C2 C0, and C1 = sign. */
START_TEST(test_fxam_classes)
{
    static const struct {
        uint16_t sexp;
        uint64_t mant;
        uint16_t cc; /* C3 C2 C1 C0 in SW position */
    } cases[] = {
        {0x0000, 0, 0x4000},                          /* +0 */
        {0x8000, 0, 0x4200},                          /* -0 */
        {0x0000, 1, 0x4400},                          /* denormal */
        {0x0000, 0x8000000000000000ull, 0x4400},      /* pseudo-denormal: denormal */
        {0xbfff, 0x8000000000000000ull, 0x0600},      /* -1.0: normal */
        {0x7fff, 0x8000000000000000ull, 0x0500},      /* +inf */
        {0xffff, 0xc000000000000000ull, 0x0300},      /* -QNaN */
        {0x7fff, 0x8000000000000001ull, 0x0100},      /* SNaN */
        {0x3fff, 0x4000000000000000ull, 0x0000},      /* unnormal: unsupported */
        {0x7fff, 0x0000000000000001ull, 0x0000},      /* pseudo-NaN: unsupported */
        {0x7fff, 0, 0x0000},                          /* pseudo-infinity: unsupported */
    };
    /* fninit; fld tbyte [si]; fxam */
    static const uint8_t code[] = {0xdb, 0xe3, 0xdb, 0x2c, 0xd9, 0xe5};
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        boot_real(code, sizeof(code));
        put80(SRC, cases[i].sexp, cases[i].mant);
        ck_assert_int_eq(run(3), -1);
        ck_assert_msg((cpu.fpu.sw & 0x4700) == cases[i].cc, "case %u: sw %04x", i, cpu.fpu.sw);
    }
    /* Empty: C3 = C0 = 1; C1 is the sign left in the register. */
    static const uint8_t empty[] = {0xdb, 0xe3, 0xd9, 0xe5};
    boot_real(empty, sizeof(empty));
    ck_assert_int_eq(run(2), -1);
    ck_assert_uint_eq(cpu.fpu.sw & 0x4700, 0x4100);
}
END_TEST

/* FISTP of values beyond the destination: masked IE stores the integer
 * indefinite and pops; unmasked stores nothing and keeps the operand. */
START_TEST(test_fist_out_of_range)
{
    /* fninit; fld tbyte [si]; fistp word [di] */
    static const uint8_t code16[] = {0xdb, 0xe3, 0xdb, 0x2c, 0xdf, 0x1d};
    boot_real(code16, sizeof(code16));
    put80(SRC, 0x400e, 0x9c40000000000000ull); /* 40000.0 */
    put16(DST, 0x1234);
    ck_assert_int_eq(run(3), -1);
    ck_assert_uint_eq(get16(DST), 0x8000);
    ck_assert_uint_eq(cpu.fpu.sw & 0x3fff, 0x0001); /* IE, TOP back to 0 */
    ck_assert_uint_eq(cpu.fpu.tw, 0xffff);
    /* fninit; fld tbyte [si]; fistp dword [di]: a NaN */
    static const uint8_t code32[] = {0xdb, 0xe3, 0xdb, 0x2c, 0xdb, 0x1d};
    boot_real(code32, sizeof(code32));
    put80(SRC, 0x7fff, 0xc000000000000000ull);
    ck_assert_int_eq(run(3), -1);
    ck_assert_uint_eq(get32(DST), 0x80000000);
    /* fninit; fld tbyte [si]; fistp qword [di]: 2^63 */
    static const uint8_t code64[] = {0xdb, 0xe3, 0xdb, 0x2c, 0xdf, 0x3d};
    boot_real(code64, sizeof(code64));
    put80(SRC, 0x403e, 0x8000000000000000ull);
    ck_assert_int_eq(run(3), -1);
    ck_assert_uint_eq(get32(DST), 0);
    ck_assert_uint_eq(get32(DST + 4), 0x80000000);
    /* Unmasked: fninit; fldcw [bx]; fld tbyte [si]; fistp word [di] */
    static const uint8_t unmasked[] = {0xdb, 0xe3, 0xd9, 0x2f, 0xdb, 0x2c, 0xdf, 0x1d};
    boot_real(unmasked, sizeof(unmasked));
    cpu.r[R_EBX] = 0x3800;
    put16(0x3800, 0x037e);
    put80(SRC, 0x400e, 0x9c40000000000000ull);
    put16(DST, 0x1234);
    ck_assert_int_eq(run(4), -1);
    ck_assert_uint_eq(get16(DST), 0x1234);
    ck_assert_uint_eq((cpu.fpu.sw >> 11) & 7, 7); /* not popped */
    ck_assert_uint_eq(cpu.fpu.sw & 0x80ff, 0x8081);
}
END_TEST

START_TEST(test_fbld_fbstp)
{
    /* fninit; fbld [si]; fbstp [di] */
    static const uint8_t code[] = {0xdb, 0xe3, 0xdf, 0x24, 0xdf, 0x35};
    static const uint8_t bcd[10] = {0x78, 0x56, 0x34, 0x12, 0x90, 0x78, 0x56, 0x34, 0x12, 0x80};
    boot_real(code, sizeof(code));
    memcpy(ram + SRC, bcd, 10); /* -123456789012345678 */
    ck_assert_int_eq(run(2), -1);
    /* 123456789012345678 = 1B69B4BA630F34Eh (57 bits), normalised. */
    ck_assert_uint_eq(cpu.fpu.reg[phys_of_st(0)].sexp, 0xc037);
    ck_assert_uint_eq(cpu.fpu.reg[phys_of_st(0)].mant, 0xdb4da5d31879a700ull);
    ck_assert_int_eq(run(1), -1);
    ck_assert_mem_eq(ram + DST, bcd, 10);
    ck_assert_uint_eq(cpu.fpu.tw, 0xffff);
    /* 10^18 does not fit: masked IE stores the packed BCD indefinite. */
    static const uint8_t big[] = {0xdb, 0xe3, 0xdb, 0x2c, 0xdf, 0x35};
    boot_real(big, sizeof(big));
    put80(SRC, 0x403a, 0xde0b6b3a76400000ull); /* 1e18 */
    ck_assert_int_eq(run(3), -1);
    static const uint8_t indefinite[10] = {0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff};
    ck_assert_mem_eq(ram + DST, indefinite, 10);
    ck_assert_uint_eq(cpu.fpu.sw & 1, 1);
}
END_TEST

START_TEST(test_cr0_em_ts)
{
    static const uint8_t fld1[] = {0xd9, 0xe8};
    boot_real(fld1, sizeof(fld1));
    cpu.cr[0] |= CR0_EM;
    ck_assert_int_eq(run(1), 7); /* x87 with EM: #NM */
    static const uint8_t emms[] = {0x0f, 0x77};
    boot_real(emms, sizeof(emms));
    cpu.cr[0] |= CR0_EM;
    ck_assert_int_eq(run(1), 6); /* MMX with EM: #UD */
    boot_real(emms, sizeof(emms));
    cpu.cr[0] |= CR0_TS;
    ck_assert_int_eq(run(1), 7); /* MMX with TS: #NM */
    boot_real(fld1, sizeof(fld1));
    cpu.cr[0] |= CR0_TS;
    ck_assert_int_eq(run(1), 7);
    static const uint8_t fwait[] = {0x9b};
    boot_real(fwait, sizeof(fwait));
    cpu.cr[0] |= CR0_TS;
    ck_assert_int_eq(run(1), -1); /* WAIT: only MP and TS together */
    boot_real(fwait, sizeof(fwait));
    cpu.cr[0] |= CR0_TS | CR0_MP;
    ck_assert_int_eq(run(1), 7);
    boot_real(fwait, sizeof(fwait));
    cpu.cr[0] |= CR0_EM;
    ck_assert_int_eq(run(1), -1); /* EM alone does not stop WAIT */
    static const uint8_t fxsave[] = {0x0f, 0xae, 0x05};
    boot_real(fxsave, sizeof(fxsave));
    cpu.cr[0] |= CR0_EM;
    ck_assert_int_eq(run(1), 6);
}
END_TEST

/* MMX registers are the significands of R0-R7 (not of ST(i)). */
START_TEST(test_mmx_aliasing)
{
    /* fninit; fld1 (R7); movq mm0,[si]; movd eax,mm7; movq [di],mm0; fnsave [di+16] */
    static const uint8_t code[] = {0xdb, 0xe3, 0xd9, 0xe8, 0x0f, 0x6f, 0x04, 0x0f, 0x7e,
                                   0xf8, 0x0f, 0x7f, 0x05, 0xdd, 0x75, 0x10};
    boot_real(code, sizeof(code));
    put32(SRC, 0x89abcdef);
    put32(SRC + 4, 0x01234567);
    ck_assert_int_eq(run(4), -1);
    ck_assert_uint_eq(cpu.fpu.reg[0].mant, 0x0123456789abcdefull);
    ck_assert_uint_eq(cpu.fpu.reg[0].sexp, 0xffff); /* an MMX write sets exponent and sign */
    ck_assert_uint_eq(cpu.fpu.reg[7].sexp, 0x3fff);  /* only written registers change */
    ck_assert_uint_eq((cpu.fpu.sw >> 11) & 7, 0);    /* TOP = 0 */
    for (int p = 0; p < 8; p++)
        ck_assert_uint_ne((cpu.fpu.tw >> (2 * p)) & 3, 3); /* every register full */
    ck_assert_uint_eq(cpu.r[R_EAX], 0);                 /* low half of 1.0's significand */
    ck_assert_int_eq(run(2), -1);
    ck_assert_uint_eq(get32(DST), 0x89abcdef);
    ck_assert_uint_eq(get32(DST + 4), 0x01234567);
    /* FSAVE after MMX: ST0 = R0 with exponent FFFF (tag special). */
    ck_assert_uint_eq(get16(DST + 16 + 2) >> 11 & 7, 0);
    ck_assert_uint_eq(get16(DST + 16 + 14 + 8), 0xffff);
    ck_assert_uint_eq(get16(DST + 16 + 4) & 3, 2);
}
END_TEST

START_TEST(test_emms)
{
    /* fninit; fld1; fld1; pxor mm1,mm1; emms */
    static const uint8_t code[] = {0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xe8,
                                   0x0f, 0xef, 0xc9, 0x0f, 0x77};
    boot_real(code, sizeof(code));
    ck_assert_int_eq(run(4), -1);
    ck_assert_uint_ne(cpu.fpu.tw, 0xffff);
    ck_assert_int_eq(run(1), -1);
    ck_assert_uint_eq(cpu.fpu.tw, 0xffff);
    ck_assert_uint_eq((cpu.fpu.sw >> 11) & 7, 0);
    ck_assert_uint_eq(cpu.fpu.reg[1].mant, 0); /* contents stay */
}
END_TEST

START_TEST(test_fxsave_layout)
{
    /* fninit; fld1; fldz; fxsave [di] */
    static const uint8_t code[] = {0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xee, 0x0f, 0xae, 0x05};
    boot_real(code, sizeof(code));
    memset(ram + DST, 0xaa, 512);
    ck_assert_int_eq(run(4), -1);
    ck_assert_uint_eq(get16(DST + 0), 0x037f);
    ck_assert_uint_eq(get16(DST + 2), 0x3000);
    ck_assert_uint_eq(ram[DST + 4], 0xc0);      /* abridged: R6, R7 full */
    ck_assert_uint_eq(get16(DST + 6), 0x1ee);   /* FOP of FLDZ */
    ck_assert_uint_eq(get32(DST + 24), 0);      /* no MXCSR on a Pentium II */
    ck_assert_uint_eq(get16(DST + 32 + 8), 0);  /* ST0 = +0 */
    ck_assert_uint_eq(get16(DST + 48 + 8), 0x3fff); /* ST1 = 1.0 */
    ck_assert_uint_eq(ram[DST + 160], 0xaa);    /* the XMM area is not written */
    /* Misaligned: #GP(0). */
    boot_real(code, sizeof(code));
    cpu.r[R_EDI] = DST + 8;
    ck_assert_int_eq(run(4), 13);
}
END_TEST

/* A memory fault is precise: a store past the segment limit (real mode:
 * #GP, vector 13) writes no byte and leaves the FPU as it was; so does a
 * state load that runs past it. */
START_TEST(test_memory_fault_precise)
{
    /* fninit; fld1; fstp qword [bx] with BX = FFFC */
    static const uint8_t store[] = {0xdb, 0xe3, 0xd9, 0xe8, 0xdd, 0x1f};
    boot_real(store, sizeof(store));
    cpu.r[R_EBX] = 0xfffc;
    memset(ram + 0xfff0, 0x5a, 16);
    ck_assert_int_eq(run(2), -1);
    struct fpu before = cpu.fpu;
    ck_assert_int_eq(run(1), 13);
    ck_assert_mem_eq(&cpu.fpu, &before, sizeof(before));
    for (int i = 0; i < 16; i++)
        ck_assert_uint_eq(ram[0xfff0 + i], 0x5a);
    /* frstor [bx] with 94 bytes from FFC0 */
    static const uint8_t load[] = {0xdb, 0xe3, 0xd9, 0xe8, 0xdd, 0x27};
    boot_real(load, sizeof(load));
    cpu.r[R_EBX] = 0xffc0;
    ck_assert_int_eq(run(2), -1);
    before = cpu.fpu;
    ck_assert_int_eq(run(1), 13);
    ck_assert_mem_eq(&cpu.fpu, &before, sizeof(before));
}
END_TEST

/* The 386 model has the same x87 (rows from G386) but no FCMOV or MMX. */
START_TEST(test_386_model)
{
    /* fninit; fldpi; fcmovb st0,st1 */
    static const uint8_t code[] = {0xdb, 0xe3, 0xd9, 0xeb, 0xda, 0xc1};
    boot_real(code, sizeof(code));
    struct cpu_bus bus = {.ram = ram, .ram_size = RAM_SIZE};
    cpu_init(&cpu, cpu_model_find("386"), &bus);
    for (int s = 0; s < SEG_COUNT; s++)
        cpu_load_seg_real(&cpu, s, 0);
    cpu.eip = CODE;
    cpu.r[R_ESP] = STACK;
    ck_assert_int_eq(run(2), -1);
    ck_assert_uint_eq(cpu.fpu.reg[7].mant, 0xc90fdaa22168c235ull);
    ck_assert_int_eq(run(1), 6);
}
END_TEST

/* #AC at CPL 3 (CR0.AM, EFLAGS.AC) by the x87 operand's own alignment:
 * m64 needs 8, m32 4, the 16-bit environment 2. Exceptions go through a
 * conforming code segment, so no stack switch is needed. */
static int ac_run(const uint8_t *code, size_t n, uint32_t esi)
{
    boot_pm32(code, n);
    put32(0x500 + 24, 0x0000ffff); /* 18h: conforming code, DPL 0 */
    put32(0x500 + 28, 0x00cf9e00);
    cpu.gdtr.limit = 31;
    for (uint32_t v = 0; v < 32; v++)
        put32(0x800 + 8 * v, 0x00180000 | ((HANDLERS + 16 * v) & 0xffff));
    for (int s = 0; s < SEG_COUNT; s++)
        cpu.seg[s] = (struct seg_cache){0x13, 0xcff3, 0, 0xffffffff};
    cpu.seg[SEG_CS] = (struct seg_cache){0x0b, 0xcffb, 0, 0xffffffff};
    cpu.cpl = 3;
    cpu.cr[0] |= CR0_AM;
    cpu.eflags |= FL_AC;
    cpu.r[R_ESI] = esi;
    return run(2);
}

START_TEST(test_alignment_check)
{
    static const uint8_t fld64[] = {0xdb, 0xe3, 0xdd, 0x06}; /* fninit; fld qword [esi] */
    ck_assert_int_eq(ac_run(fld64, sizeof(fld64), SRC + 8), -1);
    ck_assert_int_eq(ac_run(fld64, sizeof(fld64), SRC + 4), 17);
    ck_assert_uint_eq(cpu.fpu.tw, 0xffff); /* nothing loaded */
    static const uint8_t fld32[] = {0xdb, 0xe3, 0xd9, 0x06};
    ck_assert_int_eq(ac_run(fld32, sizeof(fld32), SRC + 4), -1);
    static const uint8_t env16[] = {0xdb, 0xe3, 0x66, 0xd9, 0x36}; /* o16 fnstenv [esi] */
    ck_assert_int_eq(ac_run(env16, sizeof(env16), SRC + 2), -1);
    ck_assert_int_eq(ac_run(env16, sizeof(env16), SRC + 1), 17);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu_x87");
    TCase *tc = tcase_create("x87");
    tcase_add_test(tc, test_fsave_protected_32);
    tcase_add_test(tc, test_fstenv_protected_16);
    tcase_add_test(tc, test_fstenv_real);
    tcase_add_test(tc, test_frstor_real_roundtrip);
    tcase_add_test(tc, test_stack_overflow);
    tcase_add_test(tc, test_stack_underflow);
    tcase_add_test(tc, test_unmasked_mf);
    tcase_add_test(tc, test_ferr_freeze);
    tcase_add_test(tc, test_fxam_classes);
    tcase_add_test(tc, test_fist_out_of_range);
    tcase_add_test(tc, test_fbld_fbstp);
    tcase_add_test(tc, test_cr0_em_ts);
    tcase_add_test(tc, test_mmx_aliasing);
    tcase_add_test(tc, test_emms);
    tcase_add_test(tc, test_fxsave_layout);
    tcase_add_test(tc, test_memory_fault_precise);
    tcase_add_test(tc, test_386_model);
    tcase_add_test(tc, test_alignment_check);
    suite_add_tcase(s, tc);
    return check_run(s);
}
