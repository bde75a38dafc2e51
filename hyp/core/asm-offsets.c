// SPDX-License-Identifier: BSD-2-Clause
/* Compiled to assembly only: the Makefile turns the markers into
 * build/.../asm-offsets.h so assembly never hard-codes an offset. */
#include "core/hart.h"
#include "core/thread.h"
#include "core/vcpu.h"

#define DEFINE(sym, val) asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(struct str, mem))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(HART_TMP, hart, tmp);
	OFFSET(HART_HS_SP, hart, hs_sp);
	OFFSET(HART_CTX, hart, ctx);
	OFFSET(HART_HLV_GUARD, hart, hlv_guard);
	DEFINE(HART_SIZE, sizeof(struct hart));
	OFFSET(REGS_X0, vcpu_regs, x);
	OFFSET(REGS_PC, vcpu_regs, pc);
	OFFSET(FP_F, vcpu_fp, f);
	OFFSET(FP_FCSR, vcpu_fp, fcsr);
	OFFSET(VEC_VSTART, vcpu_vec, vstart);
	OFFSET(VEC_VL, vcpu_vec, vl);
	OFFSET(VEC_VTYPE, vcpu_vec, vtype);
	OFFSET(VEC_VCSR, vcpu_vec, vcsr);
	OFFSET(VEC_V, vcpu_vec, v);
	OFFSET(TCTX_RA, thread_ctx, ra);
	OFFSET(TCTX_SP, thread_ctx, sp);
	OFFSET(TCTX_S, thread_ctx, s);
	DEFINE(CFG_MAX_HARTS, CONFIG_MAX_HARTS);
	DEFINE(CFG_STACK_SIZE, CONFIG_STACK_SIZE);
}
