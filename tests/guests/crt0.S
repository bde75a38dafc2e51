/* SPDX-License-Identifier: BSD-2-Clause */
/* Test-guest runtime: boot hart entry, secondary entry, trap entry. */
#define STACK_SIZE 4096
#define MAX_HARTS 8

	.section .text.start, "ax", %progbits
	.globl _start
_start:
	/* a0 = hart id, a1 = device tree */
	la	t0, _bss_start
	la	t1, _bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	crt_setup
	call	guest_main
	tail	guest_exit

	/* harts started through SBI HSM: a0 = hart id, a1 = opaque */
	.globl crt_secondary
crt_secondary:
	call	crt_setup
	call	guest_secondary
	tail	guest_exit_secondary

crt_setup:
	li	t0, MAX_HARTS
	bgeu	a0, t0, 3f
	la	sp, crt_stacks
	li	t0, STACK_SIZE
	addi	t1, a0, 1
	mul	t0, t0, t1
	add	sp, sp, t0
	la	t0, crt_trap
	csrw	stvec, t0
	mv	tp, a0
	ret
3:	wfi
	j	3b

	.align 2
crt_trap:
	addi	sp, sp, -34 * 8
	sd	ra, 1 * 8(sp)
	sd	gp, 3 * 8(sp)
	sd	t0, 5 * 8(sp)
	sd	t1, 6 * 8(sp)
	sd	t2, 7 * 8(sp)
	sd	s0, 8 * 8(sp)
	sd	s1, 9 * 8(sp)
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
	csrr	t0, sepc
	sd	t0, 32 * 8(sp)
	mv	a0, sp
	call	guest_trap
	ld	t0, 32 * 8(sp)
	csrw	sepc, t0
	ld	ra, 1 * 8(sp)
	ld	gp, 3 * 8(sp)
	ld	t0, 5 * 8(sp)
	ld	t1, 6 * 8(sp)
	ld	t2, 7 * 8(sp)
	ld	s0, 8 * 8(sp)
	ld	s1, 9 * 8(sp)
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
	addi	sp, sp, 34 * 8
	sret

	.bss
	.align 4
crt_stacks:
	.space STACK_SIZE * MAX_HARTS
