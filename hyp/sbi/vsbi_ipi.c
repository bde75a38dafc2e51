// SPDX-License-Identifier: BSD-2-Clause
/* SBI IPI (v2.0 §7) in HS: the same shared records M uses. */
#include "core/hart.h"
#include "sbi/vsbi.h"
#include "../../lib/vipi.h"

static enum vsbi_flow vsbi_ipi_handle(struct vcpu *v, unsigned long eid,
				      unsigned long fid, struct vsbi_ret *ret)
{
	struct hart *h = hart_self();
	unsigned long harts, me = 1UL << h->hartid;

	(void)eid;
	if (fid != SBI_EXT_IPI_SEND_IPI)
		return VSBI_RET;
	ret->error = vipi_post(&v->guest->shared, vsbi_arg(v, 0),
			       vsbi_arg(v, 1), &harts);
	if (ret->error)
		return VSBI_RET;
	if (harts & me) {
		vcpu_fold_pending(v);
		if (h->shared.others_homed)
			csr_set(CSR_SIP, MIP_SSIP);
		harts &= ~me;
	}
	if (harts)
		sbicall(SBI_EXT_IPI, SBI_EXT_IPI_SEND_IPI, harts, 0, 0, 0, 0);
	return VSBI_RET;
}

const struct vsbi_ext vsbi_ipi = {
	.eid_min = SBI_EXT_IPI,
	.eid_max = SBI_EXT_IPI,
	.slot = SHV_EXT_IPI,
	.handle = vsbi_ipi_handle,
};
