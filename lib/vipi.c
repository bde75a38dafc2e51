// SPDX-License-Identifier: BSD-2-Clause
#include <sbi/sbi_ecall_interface.h>
#include "hmask.h"
#include "vipi.h"

long vipi_post(struct shv_guest *g, unsigned long mask, unsigned long base,
	       unsigned long *harts)
{
	unsigned long targets, i, n = g->nvcpus;
	long rc;

	if (n > SHV_MAX_VCPUS)
		n = SHV_MAX_VCPUS;
	rc = hmask_resolve(mask, base, n, &targets);
	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		if ((targets >> i) & 1)
			__atomic_fetch_or(&g->vcpu[i].pending, VIPI_VSSIP,
					  __ATOMIC_RELAXED);
	/* fence rw,rw: pending bits visible before we read where they run */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*harts = vipi_harts(g, targets);
	return SBI_SUCCESS;
}

unsigned long vipi_harts(struct shv_guest *g, unsigned long targets)
{
	unsigned long hm = 0, i, h, n = g->nvcpus;

	if (n > SHV_MAX_VCPUS)
		n = SHV_MAX_VCPUS;
	for (i = 0; i < n; i++) {
		if (!((targets >> i) & 1))
			continue;
		h = __atomic_load_n(&g->vcpu[i].hart, __ATOMIC_RELAXED);
		if (h < 8 * sizeof(hm))
			hm |= 1UL << h;
	}
	return hm;
}
