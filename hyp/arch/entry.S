/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HS entry points. OpenSBI enters the cold-boot hart at _hyp_start
 * (a0 = hart id, a1 = host FDT); HS starts every other hart at
 * _hyp_secondary through SBI HSM (a0 = hart id, a1 = opaque).
 */
#include <sbi/riscv_encoding.h>
#include "asm-offsets.h"

	.section .text.entry, "ax", %progbits
	.globl _hyp_start
_hyp_start:
	csrw	CSR_SIE, zero
	li	t0, CFG_MAX_HARTS
	bgeu	a0, t0, hyp_handover
	la	t0, _bss_start
	la	t1, _bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	t0, _shv_shared_start
	la	t1, _shv_shared_end
3:	bgeu	t0, t1, 4f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	3b
4:	call	entry_setup_hart
	tail	hyp_cold_main

	.globl _hyp_secondary
_hyp_secondary:
	csrw	CSR_SIE, zero
	li	t0, CFG_MAX_HARTS
	bgeu	a0, t0, hyp_park
	call	entry_setup_hart
	tail	hyp_secondary_main

/* tp = &harts[a0], sp = top of this hart's stack, stvec, sscratch = 0 */
entry_setup_hart:
	la	tp, harts
	li	t0, HART_SIZE
	mul	t0, t0, a0
	add	tp, tp, t0
	la	sp, hyp_stacks
	li	t0, CFG_STACK_SIZE
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	la	t0, switch_trap
	csrw	CSR_STVEC, t0
	csrw	CSR_SSCRATCH, zero
	ret

/*
 * HS's idle wfi (hart_schedule). M may resume an interrupted HS at the
 * wfi instead of hyp_wfi_resume, so it must stay one instruction.
 */
	.globl hyp_wfi, hyp_wfi_resume
hyp_wfi:
	wfi
hyp_wfi_resume:
	ret

/*
 * OpenSBI's boot-hart lottery picked a hart id HS has no room for: hand
 * the cold boot to the first hart below CFG_MAX_HARTS that SBI HSM will
 * start (it enters _hyp_start with a0 = its id, a1 = the FDT), then stop
 * this one. No stack needed; boot then names this hart as parked.
 */
hyp_handover:
	mv	s0, a1
	li	s1, 0
1:	li	t0, CFG_MAX_HARTS
	bgeu	s1, t0, hyp_park
	mv	a0, s1
	la	a1, _hyp_start
	mv	a2, s0
	li	a6, 0			/* SBI_EXT_HSM_HART_START */
	li	a7, 0x48534D		/* SBI_EXT_HSM */
	ecall
	beqz	a0, 2f
	addi	s1, s1, 1
	j	1b
2:	li	a6, 1			/* SBI_EXT_HSM_HART_STOP */
	li	a7, 0x48534D
	ecall

	/* a hart id we have no room for: never used */
hyp_park:
	wfi
	j	hyp_park
