/* SPDX-License-Identifier: MIT */
/*
 * kiln-jitfuzz template table: every instruction template with its weight
 * and the modes it is drawn in, the list of templates excluded while a
 * translator bug they expose is open, and the weighted draw.
 */
#include "jit_fuzz_forms.h"

#include <string.h>

/* ==== KNOWN TRANSLATOR BUGS ================================================== * How the fuzzer
 * steers clear of open translator bugs, each recorded with its minimal reproducer in docs/findings/jitfuzz.md:
 * templates left out of the streams (by name), and switches that narrow what the generator draws.
 * Empty the list and set a switch to false once its bug is fixed. */
static const char *const fz_excluded[] = {
    NULL,
};

/* Finding 1 (docs/findings/jitfuzz.md): when an instruction run through a helper faults
 * and the exception handler's offset equals the EIP of the next instruction
 * in the block, the block goes on in the handler's code segment (the helper
 * compares EIP only). While true, 16-bit code never runs at the handlers'
 * offsets, so that no handler entry coincides with a stream instruction. */
const bool fz_avoid_handler_eips = false;

/* Finding 2 (docs/findings/jitfuzz.md): an inline PUSH or CALL with an SS whose base is
 * not 0 writes the linear address of the new top of stack into ESP. While * true, SS keeps base 0
 * (real mode loads SS only with 0; no POP SS or LSS), and a difference in a run where wild code
 * gave SS a base anyway is reported as "from open findings", not as a failure. */
const bool fz_avoid_ss_base = false;

/* Finding 3 (docs/findings/jitfuzz.md): an inline shift or rotate of a memory operand by
 * a count that masks to 0 writes the operand back (the page becomes dirty;
 * an MMIO register would see a write); the interpreter does not write.
 * While true, shifts of memory operands get counts of 1 to 7. */
const bool fz_avoid_zero_shift_mem = false;
/* ========================================================================== */

/* ---- the table ---- */

const struct fz_form fz_forms[] = {
    /* index 0 also marks the setup units (MOV reg, imm) */
    {"mov_r_imm", 3, FZ_M_ALL, fz_f_mov_r_imm},
    {"mov_rm_r", 6, FZ_M_ALL, fz_f_mov_rm_r},
    {"mov_r_rm", 6, FZ_M_ALL, fz_f_mov_r_rm},
    {"mov_rm_imm", 4, FZ_M_ALL, fz_f_mov_rm_imm},
    {"mov_moffs", 2, FZ_M_ALL, fz_f_mov_moffs},
    {"movzx_movsx", 4, FZ_M_ALL, fz_f_movzx_movsx},
    {"xchg_rm_r", 2, FZ_M_ALL, fz_f_xchg_rm_r},
    {"xchg_acc", 1, FZ_M_ALL, fz_f_xchg_acc},
    {"alu_rm_r", 8, FZ_M_ALL, fz_f_alu_rm_r},
    {"alu_r_rm", 8, FZ_M_ALL, fz_f_alu_r_rm},
    {"alu_acc_imm", 3, FZ_M_ALL, fz_f_alu_acc_imm},
    {"alu_rm_imm", 8, FZ_M_ALL, fz_f_alu_rm_imm},
    {"test_rm_r", 2, FZ_M_ALL, fz_f_test_rm_r},
    {"test_acc_imm", 1, FZ_M_ALL, fz_f_test_acc_imm},
    {"test_rm_imm", 2, FZ_M_ALL, fz_f_test_rm_imm},
    {"incdec_r", 3, FZ_M_ALL, fz_f_incdec_r},
    {"incdec_rm", 3, FZ_M_ALL, fz_f_incdec_rm},
    {"not_neg", 2, FZ_M_ALL, fz_f_not_neg},
    {"lea", 4, FZ_M_ALL, fz_f_lea},
    {"shift_1", 2, FZ_M_ALL, fz_f_shift_1},
    {"shift_cl", 3, FZ_M_ALL, fz_f_shift_cl},
    {"shift_imm", 3, FZ_M_ALL, fz_f_shift_imm},
    {"shld_shrd", 2, FZ_M_ALL, fz_f_shld_shrd},
    {"imul_r_rm", 2, FZ_M_ALL, fz_f_imul_r_rm},
    {"imul_r_rm_imm", 2, FZ_M_ALL, fz_f_imul_r_rm_imm},
    {"mul_div", 3, FZ_M_ALL, fz_f_mul_div},
    {"push_r", 3, FZ_M_ALL | FZ_NOBODY, fz_f_push_r},
    {"pop_r", 3, FZ_M_ALL | FZ_NOBODY, fz_f_pop_r},
    {"push_imm", 2, FZ_M_ALL | FZ_NOBODY, fz_f_push_imm},
    {"push_rm", 2, FZ_M_ALL | FZ_NOBODY, fz_f_push_rm},
    {"pop_rm", 2, FZ_M_ALL | FZ_NOBODY, fz_f_pop_rm},
    {"pushf_popf", 1, FZ_M_ALL | FZ_NOBODY, fz_f_pushf_popf},
    {"pusha_popa", 1, FZ_M_ALL | FZ_NOBODY, fz_f_pusha_popa},
    {"push_sreg", 1, FZ_M_ALL | FZ_NOBODY, fz_f_push_sreg},
    {"pop_sreg", 1, FZ_M_ALL | FZ_NOBODY, fz_f_pop_sreg},
    {"mov_sreg_rm", 2, FZ_M_ALL, fz_f_mov_sreg_rm},
    {"mov_rm_sreg", 1, FZ_M_ALL, fz_f_mov_rm_sreg},
    {"jcc8", 6, FZ_M_ALL | FZ_NOBODY, fz_f_jcc8},
    {"jmp8", 1, FZ_M_ALL | FZ_NOBODY, fz_f_jmp8},
    {"jcc_near", 2, FZ_M_ALL | FZ_NOBODY, fz_f_jcc_near},
    {"jmp_near", 1, FZ_M_ALL | FZ_NOBODY, fz_f_jmp_near},
    {"loop_jcxz", 2, FZ_M_ALL | FZ_NOBODY, fz_f_loop},
    {"call_rel", 3, FZ_M_ALL | FZ_NOBODY, fz_f_call_rel},
    {"call_reg", 2, FZ_M_ALL | FZ_NOBODY, fz_f_call_reg},
    {"setcc", 3, FZ_M_ALL, fz_f_setcc},
    {"cmovcc", 3, FZ_M_ALL, fz_f_cmovcc},
    {"string", 6, FZ_M_ALL, fz_f_string},
    {"cpuid", 1, FZ_M_ALL, fz_f_cpuid},
    {"flag_ops", 2, FZ_M_ALL, fz_f_flag_ops},
    {"lahf_sahf", 1, FZ_M_ALL, fz_f_lahf_sahf},
    {"cbw_cwd", 1, FZ_M_ALL, fz_f_cbw_cwd},
    {"bcd", 1, FZ_M_ALL, fz_f_bcd},
    {"aam_aad", 1, FZ_M_ALL, fz_f_aam_aad},
    {"xlat", 1, FZ_M_ALL, fz_f_xlat},
    {"nop_salc", 1, FZ_M_ALL, fz_f_nop_salc},
    {"bswap", 1, FZ_M_ALL, fz_f_bswap},
    {"bt_rm_r", 2, FZ_M_ALL, fz_f_bt_rm_r},
    {"bt_rm_imm", 2, FZ_M_ALL, fz_f_bt_rm_imm},
    {"bsf_bsr", 2, FZ_M_ALL, fz_f_bsf_bsr},
    {"xadd", 1, FZ_M_ALL, fz_f_xadd},
    {"cmpxchg", 1, FZ_M_ALL, fz_f_cmpxchg},
    {"cmpxchg8b", 1, FZ_M_ALL, fz_f_cmpxchg8b},
    {"rdtsc", 1, FZ_M_ALL, fz_f_rdtsc},
    {"bound", 1, FZ_M_ALL, fz_f_bound},
    {"jmp_far", 1, FZ_M_ALL | FZ_NOBODY, fz_f_jmp_far},
    {"call_far", 1, FZ_M_ALL | FZ_NOBODY, fz_f_call_far},
    {"int", 1, FZ_M_ALL, fz_f_int},
    {"in_out", 1, FZ_M_ALL, fz_f_in_out},
    {"enter_leave", 1, FZ_M_ALL | FZ_NOBODY, fz_f_enter_leave},
    {"x87_mem", 1, FZ_M_ALL, fz_f_x87_mem},
    {"x87_reg", 1, FZ_M_ALL, fz_f_x87_reg},
    {"mmx", 1, FZ_M_ALL, fz_f_mmx},
    {"smc_next", 2, FZ_M_ALL | FZ_NOBODY, fz_f_smc_next},
    {"remap", 2, FZ_M_PAGING, fz_f_remap},
    {"cr_ops", 1, FZ_M_PROT, fz_f_cr_ops},
    {"iret_retf", 1, FZ_M_ALL | FZ_NOBODY, fz_f_iret_retf},
    {"load_far", 1, FZ_M_ALL, fz_f_load_far},
    {"desc", 1, FZ_M_ALL, fz_f_desc},
    {"sti_hlt", 1, FZ_M_ALL | FZ_NOBODY | FZ_IRQ_ONLY, fz_f_sti_hlt},
    /* last: the units of a replayed stream (--stream), never drawn */
    {"given", 0, 0, NULL},
};

const int fz_form_count = (int)(sizeof(fz_forms) / sizeof(fz_forms[0]));

static bool excluded(int form)
{
    for (size_t i = 0; fz_excluded[i]; i++)
        if (!strcmp(fz_excluded[i], fz_forms[form].name)) return true;
    return false;
}

static bool allowed(const struct fz_gen *g, int f)
{
    unsigned m = fz_forms[f].modes;
    return (m & (1u << g->st->mode)) && !(g->body && (m & FZ_NOBODY)) &&
           !(!g->st->irq_period && (m & FZ_IRQ_ONLY)) && !excluded(f);
}

int fz_pick_form(struct fz_gen *g)
{
    int total = 0;
    for (int f = 0; f < fz_form_count; f++)
        if (allowed(g, f)) total += fz_forms[f].weight;
    int k = (int)fz_u(g, (uint32_t)total);
    for (int f = 0; f < fz_form_count; f++) {
        if (!allowed(g, f)) continue;
        if (k < fz_forms[f].weight) return f;
        k -= fz_forms[f].weight;
    }
    return 0;
}

void fz_gen_form(struct fz_gen *g, int form)
{
    struct fz_unit u = {.form = (uint16_t)form};
    fz_forms[form].fn(g, &u);
    if (u.len) fz_push(g, &u);
}
