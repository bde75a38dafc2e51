/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest FP registers, switched when a hart changes vCPU (docs/architecture.md "HS inside").
 * HS itself is built without FP; these need sstatus.FS != Off.
 */
#include "asm-offsets.h"

#define F(n) (FP_F + (n) * 8)

	.text
	.option push
	.option arch, +d
/* void fpu_save(struct vcpu_fp *fp) */
	.globl fpu_save
fpu_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, F(\n)(a0)
	.endr
	frcsr	t0
	sd	t0, FP_FCSR(a0)
	ret

/* void fpu_restore(const struct vcpu_fp *fp) */
	.globl fpu_restore
fpu_restore:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, F(\n)(a0)
	.endr
	ld	t0, FP_FCSR(a0)
	fscsr	t0
	ret
	.option pop
