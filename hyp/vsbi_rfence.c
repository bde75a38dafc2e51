// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI RFENCE (v2.0 §8) in HS: the mask is checked here, the fences are
 * run by M-mode's remote-fence machinery with the guest's full hgatp
 * (the same code the fast path uses).
 */
#include "vsbi.h"
#include "../lib/hmask.h"
#include "../lib/vipi.h"

static enum vsbi_flow vsbi_rfence_handle(struct vcpu *v, unsigned long eid,
					 unsigned long fid,
					 struct vsbi_ret *ret)
{
	struct guest *g = v->guest;
	unsigned long targets, type;

	(void)eid;
	switch (fid) {
	case SBI_EXT_RFENCE_REMOTE_FENCE_I:
		type = SHV_RF_FENCE_I;
		break;
	case SBI_EXT_RFENCE_REMOTE_SFENCE_VMA:
		type = SHV_RF_VVMA;
		break;
	case SBI_EXT_RFENCE_REMOTE_SFENCE_VMA_ASID:
		type = SHV_RF_VVMA_ASID;
		break;
	default:
		return VSBI_RET; /* remote_hfence_*: no nested guests */
	}
	ret->error = hmask_resolve(vsbi_arg(v, 0), vsbi_arg(v, 1), g->nvcpus,
				   &targets);
	if (ret->error || !targets)
		return VSBI_RET;
	ret->error = sbicall6(SHV_EID, SHV_FID_GUEST_RFENCE,
			      (unsigned long)&g->shared, type, vsbi_arg(v, 2),
			      vsbi_arg(v, 3), vsbi_arg(v, 4),
			      vipi_harts(&g->shared, targets))
			     .error;
	return VSBI_RET;
}

const struct vsbi_ext vsbi_rfence = {
	.eid_min = SBI_EXT_RFENCE,
	.eid_max = SBI_EXT_RFENCE,
	.slot = SHV_EXT_RFENCE,
	.handle = vsbi_rfence_handle,
};
