// SPDX-License-Identifier: BSD-2-Clause
#include <sbi/sbi_ecall_interface.h>
#include "hmask.h"

#define HMASK_BITS (8 * sizeof(unsigned long))

long hmask_resolve(unsigned long mask, unsigned long base, unsigned long nvcpus,
		   unsigned long *out)
{
	unsigned long bits = 0, i, id;

	if (nvcpus > HMASK_BITS)
		nvcpus = HMASK_BITS;
	/* base == -1: every hart, and hart_mask is ignored (§3.1) */
	if (base == -1UL) {
		*out = nvcpus == HMASK_BITS ? ~0UL : (1UL << nvcpus) - 1;
		return SBI_SUCCESS;
	}
	for (i = 0; mask; i++, mask >>= 1) {
		if (!(mask & 1))
			continue;
		id = base + i;
		if (id < base || id >= nvcpus)
			return SBI_ERR_INVALID_PARAM;
		bits |= 1UL << id;
	}
	*out = bits;
	return SBI_SUCCESS;
}
