/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef SBIVISOR_VIPI_H
#define SBIVISOR_VIPI_H

#include <sbivisor/shared.h>
#include "hmask.h"

#define VIPI_VSSIP (1UL << 2) /* hvip.VSSIP */

/* vCPUs of g that a hart mask may name: at most SHV_MAX_VCPUS */
static inline unsigned long vipi_nvcpus(struct shv_guest *g)
{
	unsigned long n = __atomic_load_n(&g->nvcpus, __ATOMIC_RELAXED);

	return n < SHV_MAX_VCPUS ? n : SHV_MAX_VCPUS;
}

/* The harts the vCPUs in targets (vCPU ids of g only) run on */
static inline unsigned long vipi_harts_of(struct shv_guest *g,
					  unsigned long targets)
{
	unsigned long hm = 0, i, h;

	for (i = 0; targets; i++, targets >>= 1) {
		if (!(targets & 1))
			continue;
		h = __atomic_load_n(&g->vcpu[i].hart, __ATOMIC_RELAXED);
		if (h < 8 * sizeof(hm))
			hm |= 1UL << h;
	}
	return hm;
}

/* The harts the vCPUs in targets (bit per vCPU id) run on */
static inline unsigned long vipi_harts(struct shv_guest *g,
				       unsigned long targets)
{
	/* bits beyond the guest's vCPUs name no vCPU */
	return vipi_harts_of(g, targets & ((1UL << vipi_nvcpus(g)) - 1));
}

/*
 * Post a virtual IPI (SBI v2.0 §7.1 send_ipi) to the vCPUs named by the
 * hart mask: validate the whole mask first, then set VSSIP pending in
 * each target's shared record and, after a full fence, collect the ids
 * of the harts that must be kicked (docs/sbi.md ordering: a hart that
 * publishes "vCPU runs here", fences, then takes pending bits cannot miss
 * a bit set before our fence). Only a 0 -> 1 change kicks: a bit already
 * pending has a kick on its way from whoever set it, and a storm aimed at
 * a vCPU that does not take its bits must not interrupt the hart's other
 * guests over and over. Returns an SBI error code.
 */
static inline long vipi_post(struct shv_guest *g, unsigned long mask,
			     unsigned long base, unsigned long *harts)
{
	unsigned long targets, t, i, changed = 0;
	long rc = hmask_resolve(mask, base, vipi_nvcpus(g), &targets);

	if (rc)
		return rc;
	for (t = targets, i = 0; t; t >>= 1, i++)
		if ((t & 1) &&
		    !(__atomic_fetch_or(&g->vcpu[i].pending, VIPI_VSSIP,
					__ATOMIC_RELAXED) &
		      VIPI_VSSIP))
			changed |= 1UL << i;
	/* fence rw,rw: pending bits visible before we read where they run */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*harts = vipi_harts_of(g, changed);
	return SBI_SUCCESS;
}

/* Take (and clear) the bits waiting for vCPU v, to be ORed into hvip. */
static inline unsigned long vipi_take(struct shv_vcpu *v)
{
	if (!__atomic_load_n(&v->pending, __ATOMIC_RELAXED))
		return 0;
	return __atomic_exchange_n(&v->pending, 0, __ATOMIC_ACQ_REL);
}

#endif
