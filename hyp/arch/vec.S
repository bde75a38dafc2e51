/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest vector state (V 1.0), switched with the vCPU like the FP file
 * (hyp/core/vcpu.c). HS is built without V; these need sstatus.VS != Off.
 * Whole-register loads and stores ignore vl and vtype (V spec §7.9) but
 * start at vstart, so vstart is saved first and zeroed; vl and vtype
 * come back through vsetvl with the saved vl as the AVL, which gives the
 * same vl for a valid vtype and vill with vl = 0 for an invalid one
 * (V spec §6.3).
 */
#include <sbi/riscv_encoding.h>
#include "asm-offsets.h"

	.text
	.option push
	.option arch, +v
/* void vec_save(struct vcpu_vec *vs): vs->v holds 32 * vlenb bytes */
	.globl vec_save
vec_save:
	csrr	t0, CSR_VSTART
	sd	t0, VEC_VSTART(a0)
	csrr	t0, CSR_VL
	sd	t0, VEC_VL(a0)
	csrr	t0, CSR_VTYPE
	sd	t0, VEC_VTYPE(a0)
	csrr	t0, 0x00f		/* vcsr: vxrm and vxsat */
	sd	t0, VEC_VCSR(a0)
	csrw	CSR_VSTART, zero
	csrr	t1, CSR_VLENB
	slli	t1, t1, 3		/* bytes in a group of eight */
	addi	t0, a0, VEC_V
	vs8r.v	v0, (t0)
	add	t0, t0, t1
	vs8r.v	v8, (t0)
	add	t0, t0, t1
	vs8r.v	v16, (t0)
	add	t0, t0, t1
	vs8r.v	v24, (t0)
	ret

/* void vec_restore(const struct vcpu_vec *vs) */
	.globl vec_restore
vec_restore:
	csrw	CSR_VSTART, zero
	csrr	t1, CSR_VLENB
	slli	t1, t1, 3
	addi	t0, a0, VEC_V
	vl8re8.v v0, (t0)
	add	t0, t0, t1
	vl8re8.v v8, (t0)
	add	t0, t0, t1
	vl8re8.v v16, (t0)
	add	t0, t0, t1
	vl8re8.v v24, (t0)
	ld	t0, VEC_VL(a0)
	ld	t1, VEC_VTYPE(a0)
	vsetvl	zero, t0, t1
	ld	t0, VEC_VCSR(a0)
	csrw	0x00f, t0
	ld	t0, VEC_VSTART(a0)
	csrw	CSR_VSTART, t0
	ret
	.option pop
