// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI RFENCE (v2.0 §8) in HS: the mask is checked here, the fences are
 * run by M-mode's remote-fence machinery with the guest's full hgatp
 * (the same code the fast path uses).
 */
#include "sbi/vsbi.h"
#include "../../lib/hmask.h"
#include "../../lib/vipi.h"

static enum vsbi_flow vsbi_rfence_handle(struct vcpu *v, unsigned long eid,
					 unsigned long fid,
					 struct vsbi_ret *ret)
{
	struct guest *g = v->guest;
	unsigned long targets;
	long type = SHV_RF_OF(fid);

	(void)eid;
	if (type == SHV_RF_NONE)
		return VSBI_RET; /* NOT_SUPPORTED */
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
