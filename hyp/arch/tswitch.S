/* SPDX-License-Identifier: BSD-2-Clause */
/* Switching between the scheduler loop and hypervisor threads. */
#include "asm-offsets.h"

#define S(n) (TCTX_S + (n) * 8)

	.text
/* void thread_switch(struct thread_ctx *save, struct thread_ctx *load) */
	.globl thread_switch
thread_switch:
	sd	ra, TCTX_RA(a0)
	sd	sp, TCTX_SP(a0)
	sd	s0, S(0)(a0)
	sd	s1, S(1)(a0)
	sd	s2, S(2)(a0)
	sd	s3, S(3)(a0)
	sd	s4, S(4)(a0)
	sd	s5, S(5)(a0)
	sd	s6, S(6)(a0)
	sd	s7, S(7)(a0)
	sd	s8, S(8)(a0)
	sd	s9, S(9)(a0)
	sd	s10, S(10)(a0)
	sd	s11, S(11)(a0)
	ld	ra, TCTX_RA(a1)
	ld	sp, TCTX_SP(a1)
	ld	s0, S(0)(a1)
	ld	s1, S(1)(a1)
	ld	s2, S(2)(a1)
	ld	s3, S(3)(a1)
	ld	s4, S(4)(a1)
	ld	s5, S(5)(a1)
	ld	s6, S(6)(a1)
	ld	s7, S(7)(a1)
	ld	s8, S(8)(a1)
	ld	s9, S(9)(a1)
	ld	s10, S(10)(a1)
	ld	s11, S(11)(a1)
	ret

/* First switch into a thread: s0 = the thread (thread_create) */
	.globl thread_start
thread_start:
	mv	a0, s0
	call	thread_main
	/* thread_main never returns */
1:	j	1b
