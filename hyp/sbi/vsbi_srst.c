// SPDX-License-Identifier: BSD-2-Clause
/* SBI SRST (v2.0 §10): shut down or reboot this guest only. */
#include "sbi/vsbi.h"

/* SBI §10.1: reasons from here on are SBI- or vendor-specific */
#define VSBI_SRST_REASON_SBI_BASE 0xE0000000U

static bool vsbi_srst_valid(u32 type, u32 reason)
{
	if (type > SBI_SRST_RESET_TYPE_LAST)
		return false; /* reserved, or vendor types we do not have */
	/* 2..0xDFFFFFFF are reserved; SBI/vendor-specific reasons pass */
	return reason <= SBI_SRST_RESET_REASON_SYSFAIL ||
	       reason >= VSBI_SRST_REASON_SBI_BASE;
}

static enum vsbi_flow vsbi_srst_handle(struct vcpu *v, unsigned long eid,
				       unsigned long fid, struct vsbi_ret *ret)
{
	u32 type = (u32)vsbi_arg(v, 0), reason = (u32)vsbi_arg(v, 1);

	(void)eid;
	if (fid != SBI_EXT_SRST_RESET)
		return VSBI_RET;
	if (!vsbi_srst_valid(type, reason)) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return VSBI_RET;
	}
	guest_reset_request(v->guest, type, reason);
	return VSBI_YIELD;
}

const struct vsbi_ext vsbi_srst = {
	.eid_min = SBI_EXT_SRST,
	.eid_max = SBI_EXT_SRST,
	.slot = SHV_EXT_SRST,
	.handle = vsbi_srst_handle,
};
