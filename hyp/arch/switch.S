/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest entry and exit. While a guest runs, sscratch holds this hart's
 * struct hart; while HS runs, sscratch is 0, which is how switch_trap
 * tells a guest exit from a trap taken in HS itself.
 */
#include <sbi/riscv_encoding.h>
#include "asm-offsets.h"

#define X(n) (REGS_X0 + (n) * 8)

	.text
/* void switch_enter_guest(struct vcpu_regs *regs): returns on guest exit */
	.globl switch_enter_guest
switch_enter_guest:
	addi	sp, sp, -14 * 8
	sd	ra, 0 * 8(sp)
	sd	s0, 1 * 8(sp)
	sd	s1, 2 * 8(sp)
	sd	s2, 3 * 8(sp)
	sd	s3, 4 * 8(sp)
	sd	s4, 5 * 8(sp)
	sd	s5, 6 * 8(sp)
	sd	s6, 7 * 8(sp)
	sd	s7, 8 * 8(sp)
	sd	s8, 9 * 8(sp)
	sd	s9, 10 * 8(sp)
	sd	s10, 11 * 8(sp)
	sd	s11, 12 * 8(sp)
	sd	gp, 13 * 8(sp)
	sd	sp, HART_HS_SP(tp)
	sd	a0, HART_CTX(tp)
	ld	t0, REGS_PC(a0)
	csrw	CSR_SEPC, t0
	csrw	CSR_SSCRATCH, tp
	ld	ra, X(1)(a0)
	ld	sp, X(2)(a0)
	ld	gp, X(3)(a0)
	ld	tp, X(4)(a0)
	ld	t0, X(5)(a0)
	ld	t1, X(6)(a0)
	ld	t2, X(7)(a0)
	ld	s0, X(8)(a0)
	ld	s1, X(9)(a0)
	ld	a1, X(11)(a0)
	ld	a2, X(12)(a0)
	ld	a3, X(13)(a0)
	ld	a4, X(14)(a0)
	ld	a5, X(15)(a0)
	ld	a6, X(16)(a0)
	ld	a7, X(17)(a0)
	ld	s2, X(18)(a0)
	ld	s3, X(19)(a0)
	ld	s4, X(20)(a0)
	ld	s5, X(21)(a0)
	ld	s6, X(22)(a0)
	ld	s7, X(23)(a0)
	ld	s8, X(24)(a0)
	ld	s9, X(25)(a0)
	ld	s10, X(26)(a0)
	ld	s11, X(27)(a0)
	ld	t3, X(28)(a0)
	ld	t4, X(29)(a0)
	ld	t5, X(30)(a0)
	ld	t6, X(31)(a0)
	ld	a0, X(10)(a0)
	sret

	.align 2
	.globl switch_trap
switch_trap:
	csrrw	tp, CSR_SSCRATCH, tp
	beqz	tp, .Lhs_trap
	/* guest exit: tp = struct hart, guest tp parked in sscratch */
	sd	t0, HART_TMP(tp)
	ld	t0, HART_CTX(tp)
	sd	ra, X(1)(t0)
	sd	sp, X(2)(t0)
	sd	gp, X(3)(t0)
	sd	t1, X(6)(t0)
	sd	t2, X(7)(t0)
	sd	s0, X(8)(t0)
	sd	s1, X(9)(t0)
	sd	a0, X(10)(t0)
	sd	a1, X(11)(t0)
	sd	a2, X(12)(t0)
	sd	a3, X(13)(t0)
	sd	a4, X(14)(t0)
	sd	a5, X(15)(t0)
	sd	a6, X(16)(t0)
	sd	a7, X(17)(t0)
	sd	s2, X(18)(t0)
	sd	s3, X(19)(t0)
	sd	s4, X(20)(t0)
	sd	s5, X(21)(t0)
	sd	s6, X(22)(t0)
	sd	s7, X(23)(t0)
	sd	s8, X(24)(t0)
	sd	s9, X(25)(t0)
	sd	s10, X(26)(t0)
	sd	s11, X(27)(t0)
	sd	t3, X(28)(t0)
	sd	t4, X(29)(t0)
	sd	t5, X(30)(t0)
	sd	t6, X(31)(t0)
	ld	t1, HART_TMP(tp)
	sd	t1, X(5)(t0)
	csrrw	t1, CSR_SSCRATCH, zero
	sd	t1, X(4)(t0)
	csrr	t1, CSR_SEPC
	sd	t1, REGS_PC(t0)
	ld	sp, HART_HS_SP(tp)
	ld	ra, 0 * 8(sp)
	ld	s0, 1 * 8(sp)
	ld	s1, 2 * 8(sp)
	ld	s2, 3 * 8(sp)
	ld	s3, 4 * 8(sp)
	ld	s4, 5 * 8(sp)
	ld	s5, 6 * 8(sp)
	ld	s6, 7 * 8(sp)
	ld	s7, 8 * 8(sp)
	ld	s8, 9 * 8(sp)
	ld	s9, 10 * 8(sp)
	ld	s10, 11 * 8(sp)
	ld	s11, 12 * 8(sp)
	ld	gp, 13 * 8(sp)
	addi	sp, sp, 14 * 8
	ret

.Lhs_trap:
	/* a trap in HS itself (HS runs with interrupts off): restore tp */
	csrrw	tp, CSR_SSCRATCH, tp
	addi	sp, sp, -32 * 8
	sd	ra, 1 * 8(sp)
	sd	t0, 5 * 8(sp)
	sd	t1, 6 * 8(sp)
	sd	t2, 7 * 8(sp)
	sd	a0, 10 * 8(sp)
	sd	a1, 11 * 8(sp)
	sd	a2, 12 * 8(sp)
	sd	a3, 13 * 8(sp)
	sd	a4, 14 * 8(sp)
	sd	a5, 15 * 8(sp)
	sd	a6, 16 * 8(sp)
	sd	a7, 17 * 8(sp)
	sd	t3, 28 * 8(sp)
	sd	t4, 29 * 8(sp)
	sd	t5, 30 * 8(sp)
	sd	t6, 31 * 8(sp)
	mv	a0, sp
	call	trap_from_hs
	ld	ra, 1 * 8(sp)
	ld	t0, 5 * 8(sp)
	ld	t1, 6 * 8(sp)
	ld	t2, 7 * 8(sp)
	ld	a0, 10 * 8(sp)
	ld	a1, 11 * 8(sp)
	ld	a2, 12 * 8(sp)
	ld	a3, 13 * 8(sp)
	ld	a4, 14 * 8(sp)
	ld	a5, 15 * 8(sp)
	ld	a6, 16 * 8(sp)
	ld	a7, 17 * 8(sp)
	ld	t3, 28 * 8(sp)
	ld	t4, 29 * 8(sp)
	ld	t5, 30 * 8(sp)
	ld	t6, 31 * 8(sp)
	addi	sp, sp, 32 * 8
	sret
