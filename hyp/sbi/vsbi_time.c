// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI TIME (v2.0 §6) in HS: with Sstc the guest's vstimecmp is written
 * directly; without it HS multiplexes its own timer and injects VSTIP
 * through hvip (docs/sbi.md).
 */
#include "core/hart.h"
#include "sbi/vsbi.h"

static enum vsbi_flow vsbi_time_handle(struct vcpu *v, unsigned long eid,
				       unsigned long fid, struct vsbi_ret *ret)
{
	unsigned long when = vsbi_arg(v, 0);

	(void)eid;
	if (fid != SBI_EXT_TIME_SET_TIMER)
		return VSBI_RET; /* NOT_SUPPORTED */
	if (v->csrs.henvcfg & ENVCFG_STCE) {
		csr_write(SHV_CSR_VSTIMECMP, when);
	} else {
		/* a new deadline clears the pending timer (§6.1) */
		csr_clear(CSR_HVIP, MIP_VSTIP);
		v->timer = when;
		hart_timer_update(hart_self());
	}
	ret->error = SBI_SUCCESS;
	return VSBI_RET;
}

const struct vsbi_ext vsbi_time = {
	.eid_min = SBI_EXT_TIME,
	.eid_max = SBI_EXT_TIME,
	.slot = SHV_EXT_TIME,
	.handle = vsbi_time_handle,
};
