/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef SBIVISOR_VIPI_H
#define SBIVISOR_VIPI_H

#include <sbivisor/shared.h>

#define VIPI_VSSIP (1UL << 2) /* hvip.VSSIP */

/*
 * Post a virtual IPI (SBI v2.0 §7.1 send_ipi) to the vCPUs named by the
 * hart mask: validate the whole mask first, then set VSSIP pending in
 * each target's shared record and, after a full fence, collect the ids
 * of the harts that must be kicked (DESIGN.md §2 ordering: a hart that
 * publishes "vCPU runs here", fences, then takes pending bits cannot miss
 * a bit set before our fence). Returns an SBI error code.
 */
long vipi_post(struct shv_guest *g, unsigned long mask, unsigned long base,
	       unsigned long *harts);

/* The harts the vCPUs in targets (bit per vCPU id) run on */
unsigned long vipi_harts(struct shv_guest *g, unsigned long targets);

/* Take (and clear) the bits waiting for vCPU v, to be ORed into hvip. */
static inline unsigned long vipi_take(struct shv_vcpu *v)
{
	if (!__atomic_load_n(&v->pending, __ATOMIC_RELAXED))
		return 0;
	return __atomic_exchange_n(&v->pending, 0, __ATOMIC_ACQ_REL);
}

#endif
