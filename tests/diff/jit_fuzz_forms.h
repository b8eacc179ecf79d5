/* SPDX-License-Identifier: MIT */
/*
 * kiln-jitfuzz instruction templates (jit_fuzz_forms.c, jit_fuzz_forms_sys.c),
 * listed by jit_fuzz_table.c. Each writes one unit of its form with random
 * operands, emitting setup units before it as needed.
 */
#ifndef KILN_TESTS_JIT_FUZZ_FORMS_H
#define KILN_TESTS_JIT_FUZZ_FORMS_H

#include "jit_fuzz_gen.h"

void fz_f_mov_r_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_mov_rm_r(struct fz_gen *g, struct fz_unit *u);
void fz_f_mov_r_rm(struct fz_gen *g, struct fz_unit *u);
void fz_f_mov_rm_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_mov_moffs(struct fz_gen *g, struct fz_unit *u);
void fz_f_movzx_movsx(struct fz_gen *g, struct fz_unit *u);
void fz_f_xchg_rm_r(struct fz_gen *g, struct fz_unit *u);
void fz_f_xchg_acc(struct fz_gen *g, struct fz_unit *u);
void fz_f_alu_rm_r(struct fz_gen *g, struct fz_unit *u);
void fz_f_alu_r_rm(struct fz_gen *g, struct fz_unit *u);
void fz_f_alu_acc_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_alu_rm_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_test_rm_r(struct fz_gen *g, struct fz_unit *u);
void fz_f_test_acc_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_test_rm_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_incdec_r(struct fz_gen *g, struct fz_unit *u);
void fz_f_incdec_rm(struct fz_gen *g, struct fz_unit *u);
void fz_f_not_neg(struct fz_gen *g, struct fz_unit *u);
void fz_f_lea(struct fz_gen *g, struct fz_unit *u);
void fz_f_shift_1(struct fz_gen *g, struct fz_unit *u);
void fz_f_shift_cl(struct fz_gen *g, struct fz_unit *u);
void fz_f_shift_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_shld_shrd(struct fz_gen *g, struct fz_unit *u);
void fz_f_imul_r_rm(struct fz_gen *g, struct fz_unit *u);
void fz_f_imul_r_rm_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_mul_div(struct fz_gen *g, struct fz_unit *u);
void fz_f_push_r(struct fz_gen *g, struct fz_unit *u);
void fz_f_pop_r(struct fz_gen *g, struct fz_unit *u);
void fz_f_push_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_push_rm(struct fz_gen *g, struct fz_unit *u);
void fz_f_pop_rm(struct fz_gen *g, struct fz_unit *u);
void fz_f_pushf_popf(struct fz_gen *g, struct fz_unit *u);
void fz_f_pusha_popa(struct fz_gen *g, struct fz_unit *u);
void fz_f_push_sreg(struct fz_gen *g, struct fz_unit *u);
void fz_f_pop_sreg(struct fz_gen *g, struct fz_unit *u);
void fz_f_mov_sreg_rm(struct fz_gen *g, struct fz_unit *u);
void fz_f_mov_rm_sreg(struct fz_gen *g, struct fz_unit *u);
void fz_f_jcc8(struct fz_gen *g, struct fz_unit *u);
void fz_f_jmp8(struct fz_gen *g, struct fz_unit *u);
void fz_f_jcc_near(struct fz_gen *g, struct fz_unit *u);
void fz_f_jmp_near(struct fz_gen *g, struct fz_unit *u);
void fz_f_loop(struct fz_gen *g, struct fz_unit *u);
void fz_f_call_rel(struct fz_gen *g, struct fz_unit *u);
void fz_f_call_reg(struct fz_gen *g, struct fz_unit *u);
void fz_f_setcc(struct fz_gen *g, struct fz_unit *u);
void fz_f_cmovcc(struct fz_gen *g, struct fz_unit *u);
void fz_f_string(struct fz_gen *g, struct fz_unit *u);
void fz_f_cpuid(struct fz_gen *g, struct fz_unit *u);
void fz_f_flag_ops(struct fz_gen *g, struct fz_unit *u);
void fz_f_lahf_sahf(struct fz_gen *g, struct fz_unit *u);
void fz_f_cbw_cwd(struct fz_gen *g, struct fz_unit *u);
void fz_f_bcd(struct fz_gen *g, struct fz_unit *u);
void fz_f_aam_aad(struct fz_gen *g, struct fz_unit *u);
void fz_f_xlat(struct fz_gen *g, struct fz_unit *u);
void fz_f_nop_salc(struct fz_gen *g, struct fz_unit *u);
void fz_f_bswap(struct fz_gen *g, struct fz_unit *u);
void fz_f_bt_rm_r(struct fz_gen *g, struct fz_unit *u);
void fz_f_bt_rm_imm(struct fz_gen *g, struct fz_unit *u);
void fz_f_bsf_bsr(struct fz_gen *g, struct fz_unit *u);
void fz_f_xadd(struct fz_gen *g, struct fz_unit *u);
void fz_f_cmpxchg(struct fz_gen *g, struct fz_unit *u);
void fz_f_cmpxchg8b(struct fz_gen *g, struct fz_unit *u);
void fz_f_rdtsc(struct fz_gen *g, struct fz_unit *u);
void fz_f_bound(struct fz_gen *g, struct fz_unit *u);

void fz_f_jmp_far(struct fz_gen *g, struct fz_unit *u);
void fz_f_call_far(struct fz_gen *g, struct fz_unit *u);
void fz_f_int(struct fz_gen *g, struct fz_unit *u);
void fz_f_in_out(struct fz_gen *g, struct fz_unit *u);
void fz_f_enter_leave(struct fz_gen *g, struct fz_unit *u);
void fz_f_x87_mem(struct fz_gen *g, struct fz_unit *u);
void fz_f_x87_reg(struct fz_gen *g, struct fz_unit *u);
void fz_f_mmx(struct fz_gen *g, struct fz_unit *u);

void fz_f_smc_next(struct fz_gen *g, struct fz_unit *u);
void fz_f_remap(struct fz_gen *g, struct fz_unit *u);
void fz_f_cr_ops(struct fz_gen *g, struct fz_unit *u);

void fz_f_iret_retf(struct fz_gen *g, struct fz_unit *u);
void fz_f_load_far(struct fz_gen *g, struct fz_unit *u);
void fz_f_desc(struct fz_gen *g, struct fz_unit *u);
void fz_f_sti_hlt(struct fz_gen *g, struct fz_unit *u);

#endif
