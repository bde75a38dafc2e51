/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef SBIVISOR_HMASK_H
#define SBIVISOR_HMASK_H

/*
 * Resolve an SBI hart mask (SBI v2.0 §3.1: hart_mask, hart_mask_base)
 * over the vCPU ids 0..nvcpus-1 (nvcpus <= bits per long) into a bitmap.
 * Returns SBI_SUCCESS, or SBI_ERR_INVALID_PARAM if any hart id built from
 * the pair is not a vCPU of the guest; nothing is resolved then.
 */
long hmask_resolve(unsigned long mask, unsigned long base, unsigned long nvcpus,
		   unsigned long *out);

#endif
