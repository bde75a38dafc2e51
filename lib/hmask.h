/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef SBIVISOR_HMASK_H
#define SBIVISOR_HMASK_H

#include <sbi/sbi_ecall_interface.h>

#define HMASK_BITS (8 * sizeof(unsigned long))

/*
 * Resolve an SBI hart mask (SBI v2.0 §3.1: hart_mask, hart_mask_base)
 * over the vCPU ids 0..nvcpus-1 (nvcpus <= bits per long) into a bitmap.
 * Returns SBI_SUCCESS, or SBI_ERR_INVALID_PARAM if any hart id built from
 * the pair is not a vCPU of the guest; nothing is resolved then.
 *
 * In closed form (it is on the M fast path): every id base + i with bit
 * i set is a vCPU exactly when base < nvcpus and no bit at or above
 * nvcpus - base is set; base + i can then not wrap around either.
 */
static inline long hmask_resolve(unsigned long mask, unsigned long base,
				 unsigned long nvcpus, unsigned long *out)
{
	unsigned long room;

	if (nvcpus > HMASK_BITS)
		nvcpus = HMASK_BITS;
	/* base == -1: every hart, and hart_mask is ignored (§3.1) */
	if (base == -1UL) {
		*out = nvcpus == HMASK_BITS ? ~0UL : (1UL << nvcpus) - 1;
		return SBI_SUCCESS;
	}
	if (mask) {
		if (base >= nvcpus)
			return SBI_ERR_INVALID_PARAM;
		room = nvcpus - base;
		if (room < HMASK_BITS && (mask >> room))
			return SBI_ERR_INVALID_PARAM;
	}
	*out = mask << (base < HMASK_BITS ? base : 0);
	return SBI_SUCCESS;
}

#define HMASK_NONE (-1L) /* hmask_nth of an empty mask */

/* The n-th set bit of mask, counting cyclically; HMASK_NONE if empty */
static inline long hmask_nth(unsigned long mask, unsigned long n)
{
	unsigned long i, count = 0;

	for (i = 0; i < HMASK_BITS; i++)
		count += (mask >> i) & 1;
	if (!count)
		return HMASK_NONE;
	n %= count;
	for (i = 0; i < HMASK_BITS; i++)
		if (((mask >> i) & 1) && !n--)
			break;
	return i;
}

#endif
