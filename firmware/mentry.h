/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Assembly helpers shared by firmware/mentry.S and firmware/mfast.S.
 *
 * Register use on the guest-ecall fast path: tp = this hart's struct
 * sbi_scratch (the guest's tp is parked in mscratch), t0 is in the
 * scratch's TMP0 slot, t1 and t2 in the trap frame below the scratch
 * (the exception stack is unused while a lower mode runs). Everything
 * else is the guest's and is left alone unless a C helper is called.
 */
#ifndef SBIVISOR_MENTRY_H
#define SBIVISOR_MENTRY_H

#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_trap.h>
#include "masm-offsets.h"

/* Trap-frame slot of register x, relative to the scratch (tp) */
#define F(x) (SBI_TRAP_REGS_OFFSET(x) - SBI_TRAP_CONTEXT_SIZE)

#ifdef __ASSEMBLER__
/* clang-format off */

/*
 * t2 = the loaded guest's struct shv_guest, t1 = that pointer plus the
 * loaded vCPU's index times sizeof(struct shv_vcpu), so that the vCPU's
 * record is at SHV_GUEST_VCPU(t1). Forwards the call to HS when this
 * hart has no registered area. M re-checks on every call what HS may
 * change at any time: the guest pointer (against the last value that
 * passed the HS-region check, mfast_guest_check otherwise) and the vCPU
 * index (below SHV_MAX_VCPUS: the record lies inside the checked guest).
 */
.macro MFAST_VCPU
	csrr	t1, CSR_MHARTID
	sltiu	t0, t1, SHV_MAX_HARTS_N
	beqz	t0, mfast_forward
	slli	t1, t1, MHART_SHIFT_N
	lla	t0, mharts
	add	t1, t1, t0
	REG_L	t2, MHART_AREA(t1)
	beqz	t2, mfast_forward
	REG_L	t0, SHV_HART_VCPU(t2)
	REG_L	t2, SHV_HART_GUEST(t2)
	REG_L	t1, MHART_GUEST_OK(t1)
	beq	t1, t2, 1f
	jal	t1, mfast_guest_check
1:	sltiu	t1, t0, SHV_MAX_VCPUS_N
	beqz	t1, mfast_forward
	li	t1, SHV_VCPU_SIZE
	mul	t0, t0, t1
	add	t1, t2, t0
.endm

/* Forward to HS unless the guest was offered extension slot \bit */
.macro MFAST_EXT bit
	REG_L	t0, SHV_GUEST_EXT_AVAIL(t2)
	andi	t0, t0, 1 << \bit
	beqz	t0, mfast_forward
.endm

/*
 * One more call of this extension served in M. Only the hart the vCPU
 * is loaded on writes its M counters, so a plain increment will do.
 */
.macro MFAST_COUNT off
	REG_L	t0, (SHV_GUEST_VCPU + \off)(t1)
	addi	t0, t0, 1
	REG_S	t0, (SHV_GUEST_VCPU + \off)(t1)
.endm

/*
 * Before calling a C helper, which returns the SBI error and value in a0
 * and a1: save the registers it may clobber, run it on the exception
 * stack, and make mscratch the scratch again (sbi_scratch_thishart_ptr()),
 * the guest's tp going to the frame. t0-t2 are left as they are.
 */
.macro MFAST_C_ENTER
	REG_S	sp, F(sp)(tp)
	REG_S	ra, F(ra)(tp)
	REG_S	t3, F(t3)(tp)
	REG_S	t4, F(t4)(tp)
	REG_S	t5, F(t5)(tp)
	REG_S	t6, F(t6)(tp)
	REG_S	a2, F(a2)(tp)
	REG_S	a3, F(a3)(tp)
	REG_S	a4, F(a4)(tp)
	REG_S	a5, F(a5)(tp)
	REG_S	a6, F(a6)(tp)
	REG_S	a7, F(a7)(tp)
	addi	sp, tp, -SBI_TRAP_CONTEXT_SIZE
	csrrw	t3, CSR_MSCRATCH, tp
	REG_S	t3, F(tp)(tp)
.endm

/* \reg = this hart's struct mhart (MFAST_VCPU checked the hart id) */
.macro MFAST_MHART reg
	csrr	\reg, CSR_MHARTID
	slli	\reg, \reg, MHART_SHIFT_N
	lla	t3, mharts
	add	\reg, \reg, t3
.endm

/* clang-format on */
#endif
#endif
