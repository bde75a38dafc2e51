/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * M-mode trap entry installed over OpenSBI's _trap_handler_hyp.
 *
 * Only cause 10 (ecall from VS, no longer delegated) takes the lean path:
 * it saves just what the C fast path may clobber (caller-saved registers,
 * mepc, mstatus) in a struct sbi_trap_regs frame, so the frame can also be
 * handed to sbi_trap_redirect(). Every other trap reaches OpenSBI's own
 * handler with all registers intact.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_trap.h>

#define R(x) SBI_TRAP_REGS_OFFSET(x)

	.section .entry, "ax", %progbits
	.align 3
	.globl mentry_trap
mentry_trap:
	csrrw	tp, CSR_MSCRATCH, tp
	REG_S	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	csrr	t0, CSR_MCAUSE
	addi	t0, t0, -CAUSE_VIRTUAL_SUPERVISOR_ECALL
	bnez	t0, 1f

	/* From VS: the exception stack below the scratch area is unused. */
	addi	t0, tp, -(SBI_TRAP_CONTEXT_SIZE)
	REG_S	sp, R(sp)(t0)
	mv	sp, t0
	REG_L	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	REG_S	t0, R(t0)(sp)
	csrrw	t0, CSR_MSCRATCH, tp
	REG_S	t0, R(tp)(sp)
	REG_S	ra, R(ra)(sp)
	REG_S	t1, R(t1)(sp)
	REG_S	t2, R(t2)(sp)
	REG_S	a0, R(a0)(sp)
	REG_S	a1, R(a1)(sp)
	REG_S	a2, R(a2)(sp)
	REG_S	a3, R(a3)(sp)
	REG_S	a4, R(a4)(sp)
	REG_S	a5, R(a5)(sp)
	REG_S	a6, R(a6)(sp)
	REG_S	a7, R(a7)(sp)
	REG_S	t3, R(t3)(sp)
	REG_S	t4, R(t4)(sp)
	REG_S	t5, R(t5)(sp)
	REG_S	t6, R(t6)(sp)
	csrr	t0, CSR_MEPC
	REG_S	t0, R(mepc)(sp)
	csrr	t0, CSR_MSTATUS
	REG_S	t0, R(mstatus)(sp)

	mv	a0, sp
	mv	a1, tp
	call	mfast_vs_ecall

	REG_L	t0, R(mstatus)(sp)
	csrw	CSR_MSTATUS, t0
	REG_L	t0, R(mepc)(sp)
	csrw	CSR_MEPC, t0
	REG_L	ra, R(ra)(sp)
	REG_L	tp, R(tp)(sp)
	REG_L	t0, R(t0)(sp)
	REG_L	t1, R(t1)(sp)
	REG_L	t2, R(t2)(sp)
	REG_L	a0, R(a0)(sp)
	REG_L	a1, R(a1)(sp)
	REG_L	a2, R(a2)(sp)
	REG_L	a3, R(a3)(sp)
	REG_L	a4, R(a4)(sp)
	REG_L	a5, R(a5)(sp)
	REG_L	a6, R(a6)(sp)
	REG_L	a7, R(a7)(sp)
	REG_L	t3, R(t3)(sp)
	REG_L	t4, R(t4)(sp)
	REG_L	t5, R(t5)(sp)
	REG_L	t6, R(t6)(sp)
	REG_L	sp, R(sp)(sp)
	mret

1:	REG_L	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	csrrw	tp, CSR_MSCRATCH, tp
	j	_trap_handler_hyp
