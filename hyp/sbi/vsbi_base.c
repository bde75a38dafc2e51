// SPDX-License-Identifier: BSD-2-Clause
/* SBI BASE (v2.0 §4) in HS: reached when the fast path is off. */
#include "sbi/vsbi.h"
#include "../../lib/sbibase.h"

struct sbibase_info vsbi_base_info;

static enum vsbi_flow vsbi_base_handle(struct vcpu *v, unsigned long eid,
				       unsigned long fid, struct vsbi_ret *ret)
{
	(void)eid;
	ret->error = sbibase_call(fid, vsbi_arg(v, 0),
				  v->guest->shared.ext_avail, &vsbi_base_info,
				  &ret->value);
	return VSBI_RET;
}

const struct vsbi_ext vsbi_base = {
	.eid_min = SBI_EXT_BASE,
	.eid_max = SBI_EXT_BASE,
	.slot = SHV_EXT_BASE,
	.handle = vsbi_base_handle,
};
