/* SPDX-License-Identifier: MIT */
/*
 * Capstone 4 as the reference decoder. Translates Capstone's detail into
 * struct ref_insn and classifies each instruction as Pentium II ISA (integer,
 * system, x87, MMX) or a later extension, first by Capstone's instruction
 * groups, then by mnemonic for instructions Capstone files under no
 * extension group. Owns the Capstone handles; never calls Kiln.
 * Extension dates: Intel SDM Vol. 1 ch. 5 (instruction summary by extension)
 * and Vol. 2 instruction pages (CPUID feature flag of each instruction).
 */
#include "ref_decode.h"

#include <capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"

struct ref_decoder {
    csh handle[2]; /* [0]: 16-bit, [1]: 32-bit */
    cs_insn *insn[2];
};

/* Capstone groups that only name extensions newer than the Pentium II. */
static const struct {
    unsigned group;
    const char *name;
} later_groups[] = {
    {X86_GRP_VM, "vmx/svm"},        {X86_GRP_3DNOW, "3dnow"}, {X86_GRP_AES, "aes"},
    {X86_GRP_ADX, "adx"},           {X86_GRP_AVX, "avx"},     {X86_GRP_AVX2, "avx2"},
    {X86_GRP_AVX512, "avx512"},     {X86_GRP_BMI, "bmi"},     {X86_GRP_BMI2, "bmi2"},
    {X86_GRP_F16C, "f16c"},         {X86_GRP_FMA, "fma"},     {X86_GRP_FMA4, "fma4"},
    {X86_GRP_FSGSBASE, "fsgsbase"}, {X86_GRP_HLE, "hle"},     {X86_GRP_MODE64, "x86-64"},
    {X86_GRP_RTM, "rtm"},           {X86_GRP_SHA, "sha"},     {X86_GRP_SSE1, "sse"},
    {X86_GRP_SSE2, "sse2"},         {X86_GRP_SSE3, "sse3"},   {X86_GRP_SSE41, "sse4.1"},
    {X86_GRP_SSE42, "sse4.2"},      {X86_GRP_SSE4A, "sse4a"}, {X86_GRP_SSSE3, "ssse3"},
    {X86_GRP_PCLMUL, "pclmul"},     {X86_GRP_XOP, "xop"},     {X86_GRP_CDI, "avx512"},
    {X86_GRP_ERI, "avx512"},        {X86_GRP_TBM, "tbm"},     {X86_GRP_SGX, "sgx"},
    {X86_GRP_DQI, "avx512"},        {X86_GRP_BWI, "avx512"},  {X86_GRP_PFI, "avx512"},
    {X86_GRP_VLX, "avx512"},        {X86_GRP_SMAP, "smap"},   {X86_GRP_NOVLX, "avx"},
};

/*
 * Later instructions that Capstone 4 files under no extension group, with
 * the feature that introduced them. UD0/UD1 are listed too: Capstone names
 * them, but the SDM defines them as raising #UD on every processor.
 */
static const struct {
    const char *mnem;
    const char *name;
} later_mnems[] = {
    {"syscall", "amd-syscall"},
    {"sysret", "amd-syscall"},
    {"sysretq", "amd-syscall"},
    {"swapgs", "x86-64"},
    {"rdtscp", "rdtscp"},
    {"monitor", "sse3"},
    {"mwait", "sse3"},
    {"xgetbv", "xsave"},
    {"xsetbv", "xsave"},
    {"xsave", "xsave"},
    {"xrstor", "xsave"},
    {"xsaveopt", "xsave"},
    {"xsavec", "xsave"},
    {"xsaves", "xsave"},
    {"xrstors", "xsave"},
    {"clflush", "sse2"},
    {"clflushopt", "clflushopt"},
    {"clwb", "clwb"},
    {"pcommit", "pcommit"},
    {"lfence", "sse2"},
    {"mfence", "sse2"},
    {"sfence", "sse"},
    {"popcnt", "popcnt"},
    {"lzcnt", "abm"},
    {"tzcnt", "bmi"},
    {"movbe", "movbe"},
    {"crc32", "sse4.2"},
    {"rdrand", "rdrand"},
    {"rdseed", "rdseed"},
    {"getsec", "smx"},
    {"invpcid", "invpcid"},
    {"prefetch", "3dnow"},
    {"prefetchw", "3dnow"},
    {"femms", "3dnow"},
    {"clac", "smap"},
    {"stac", "smap"},
    {"cmpxchg16b", "x86-64"},
    {"ud0", "undefined"},
    {"ud1", "undefined"},
    {"ud2b", "undefined"},
    {"pause", "sse2"},
    {"rdpkru", "pku"},
    {"wrpkru", "pku"},
    {"vmfunc", "vmx/svm"},
    {"xabort", "rtm"},
    {"xbegin", "rtm"},
    {"xend", "rtm"},
    {"xtest", "rtm"},
    {"encls", "sgx"},
    {"enclu", "sgx"},
    {"prefetchwt1", "prefetchwt1"},
    {"xsha1", "padlock"},
    {"xsha256", "padlock"},
    {"montmul", "padlock"},
    {"xstorerng", "padlock"},
    {"xcryptecb", "padlock"},
    {"xcryptcbc", "padlock"},
    {"xcryptctr", "padlock"},
    {"xcryptcfb", "padlock"},
    {"xcryptofb", "padlock"},
    {"endbr32", "cet"},
    {"endbr64", "cet"},
    {"fisttp", "sse3"},
    {"movnti", "sse2"},
    {"rdfsbase", "fsgsbase"},
    {"rdgsbase", "fsgsbase"},
    {"wrfsbase", "fsgsbase"},
    {"wrgsbase", "fsgsbase"},
};

/* The 47 MMX instructions of the Pentium II (SDM Vol. 1 5.4). Capstone's MMX
 * group also holds the SSE/SSE2 additions that operate on MMX registers. */
static const char *const p2_mmx[] = {
    "emms",      "movd",      "movq",      "packsswb",  "packssdw", "packuswb",  "paddb",
    "paddw",     "paddd",     "paddsb",    "paddsw",    "paddusb",  "paddusw",   "pand",
    "pandn",     "pcmpeqb",   "pcmpeqw",   "pcmpeqd",   "pcmpgtb",  "pcmpgtw",   "pcmpgtd",
    "pmaddwd",   "pmulhw",    "pmullw",    "por",       "psllw",    "pslld",     "psllq",
    "psraw",     "psrad",     "psrlw",     "psrld",     "psrlq",    "psubb",     "psubw",
    "psubd",     "psubsb",    "psubsw",    "psubusb",   "psubusw",  "punpckhbw", "punpckhwd",
    "punpckhdq", "punpcklbw", "punpcklwd", "punpckldq", "pxor",
};

/* Capstone files these under a later group, yet the Pentium II has them:
 * FXSAVE/FXRSTOR arrived with the Pentium II (CPUID.01H:EDX.FXSR). */
static const char *const p2_despite_group[] = {"fxsave", "fxrstor"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *const *list, size_t n, const char *m)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], m)) return true;
    return false;
}

/* XMM, YMM, ZMM and opmask registers: none exists on a Pentium II. */
static bool later_register(const cs_x86 *x)
{
    for (int i = 0; i < x->op_count; i++) {
        x86_reg r = x->operands[i].reg;
        if (x->operands[i].type == X86_OP_REG &&
            ((r >= X86_REG_XMM0 && r <= X86_REG_ZMM31) || (r >= X86_REG_K0 && r <= X86_REG_K7)))
            return true;
    }
    return false;
}

static const char *classify(csh h, const cs_insn *in, const char *mnem)
{
    if (in_list(p2_despite_group, COUNT(p2_despite_group), mnem)) return NULL;
    for (size_t i = 0; i < COUNT(later_groups); i++)
        if (cs_insn_group(h, in, later_groups[i].group)) return later_groups[i].name;
    if (later_register(&in->detail->x86)) return "sse/avx-register";
    for (size_t i = 0; i < COUNT(later_mnems); i++)
        if (!strcmp(later_mnems[i].mnem, mnem)) return later_mnems[i].name;
    if (cs_insn_group(h, in, X86_GRP_MMX) && !in_list(p2_mmx, COUNT(p2_mmx), mnem))
        return "sse-mmx";
    return NULL;
}

/* Kiln's number for a Capstone address register; size 0 when Kiln has none. */
static uint8_t kiln_reg(x86_reg r, uint8_t *size)
{
    static const x86_reg r32[8] = {X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX,
                                   X86_REG_ESP, X86_REG_EBP, X86_REG_ESI, X86_REG_EDI};
    static const x86_reg r16[8] = {X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX,
                                   X86_REG_SP, X86_REG_BP, X86_REG_SI, X86_REG_DI};
    for (uint8_t i = 0; i < 8; i++) {
        if (r == r32[i]) {
            *size = 4;
            return i;
        }
        if (r == r16[i]) {
            *size = 2;
            return i;
        }
    }
    *size = 0;
    return REF_NOREG;
}

static uint8_t kiln_seg(x86_reg r)
{
    switch (r) {
    case X86_REG_ES: return SEG_ES;
    case X86_REG_CS: return SEG_CS;
    case X86_REG_SS: return SEG_SS;
    case X86_REG_DS: return SEG_DS;
    case X86_REG_FS: return SEG_FS;
    case X86_REG_GS: return SEG_GS;
    default: return SEG_NONE;
    }
}

static void fill_mem(const x86_op_mem *m, struct ref_mem *out)
{
    uint8_t bsize = 0, isize = 0;
    out->present = true;
    out->seg = kiln_seg(m->segment);
    out->base = REF_NOREG;
    out->index = REF_NOREG;
    if (m->base != X86_REG_INVALID) {
        out->base = kiln_reg(m->base, &bsize);
        out->odd_reg |= bsize == 0;
    }
    if (m->index != X86_REG_INVALID) {
        out->index = kiln_reg(m->index, &isize);
        out->odd_reg |= isize == 0;
    }
    out->reg_size = bsize ? bsize : isize;
    out->scale = (uint8_t)(m->scale == 8 ? 3 : m->scale == 4 ? 2 : m->scale == 2 ? 1 : 0);
    out->disp = (uint32_t)m->disp;
}

/* Copy the last word of Capstone's mnemonic: "lock add" -> "add". */
static void bare_mnemonic(const char *m, char *out)
{
    const char *sp = strrchr(m, ' ');
    snprintf(out, REF_MNEM_MAX, "%s", sp ? sp + 1 : m);
}

struct ref_decoder *ref_open(void)
{
    struct ref_decoder *rd = calloc(1, sizeof(*rd));
    if (!rd) return NULL;
    static const cs_mode modes[2] = {CS_MODE_16, CS_MODE_32};
    for (int i = 0; i < 2; i++) {
        if (cs_open(CS_ARCH_X86, modes[i], &rd->handle[i]) != CS_ERR_OK) {
            ref_close(rd);
            return NULL;
        }
        cs_option(rd->handle[i], CS_OPT_DETAIL, CS_OPT_ON);
        rd->insn[i] = cs_malloc(rd->handle[i]);
        if (!rd->insn[i]) {
            ref_close(rd);
            return NULL;
        }
    }
    return rd;
}

void ref_version(char *out, size_t size)
{
    int major = 0, minor = 0;
    cs_version(&major, &minor);
    snprintf(out, size, "%d.%d", major, minor);
}

void ref_close(struct ref_decoder *rd)
{
    if (!rd) return;
    for (int i = 0; i < 2; i++) {
        if (rd->insn[i]) cs_free(rd->insn[i], 1);
        if (rd->handle[i]) cs_close(&rd->handle[i]);
    }
    free(rd);
}

void ref_decode(struct ref_decoder *rd, int code_size, const uint8_t *buf, size_t len,
                struct ref_insn *out)
{
    int m = code_size == 4;
    csh h = rd->handle[m];
    cs_insn *in = rd->insn[m];
    memset(out, 0, sizeof(*out));
    const uint8_t *code = buf;
    size_t size = len;
    uint64_t addr = 0;
    if (!cs_disasm_iter(h, &code, &size, &addr, in)) return;
    out->valid = true;
    out->len = in->size;
    bare_mnemonic(in->mnemonic, out->mnem);
    snprintf(out->text, sizeof(out->text), "%s%s%s", in->mnemonic, in->op_str[0] ? " " : "",
             in->op_str);
    out->ext = classify(h, in, out->mnem);
    const cs_x86 *x = &in->detail->x86;
    out->addr_size = x->addr_size;
    out->mem_dest = x->op_count > 0 && x->operands[0].type == X86_OP_MEM;
    for (int i = 0; i < x->op_count; i++) {
        const cs_x86_op *op = &x->operands[i];
        if (op->type == X86_OP_MEM && !out->mem.present)
            fill_mem(&op->mem, &out->mem);
        else if (op->type == X86_OP_IMM && out->n_imm < 2)
            out->imm[out->n_imm++] = (uint32_t)op->imm;
    }
}
