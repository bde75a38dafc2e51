// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest SBI calls that reach HS: everything when FASTPATH=0, otherwise
 * what M forwarded. Guest arguments are never handed to OpenSBI's own
 * handlers (docs/sbi.md).
 */
#include "sbi/vsbi.h"

static const struct vsbi_ext *const vsbi_table[] = {
	&vsbi_base, &vsbi_time, &vsbi_ipi,  &vsbi_rfence,
	&vsbi_hsm,  &vsbi_srst, &vsbi_dbcn, &vsbi_legacy,
};

static enum vcpu_action vsbi_handle(struct vcpu *v, struct vcpu_exit *e)
{
	unsigned long eid = vsbi_arg(v, 7), fid = vsbi_arg(v, 6), i;
	const struct vsbi_ext *ext = NULL;
	struct vsbi_ret ret = { SBI_ERR_NOT_SUPPORTED, 0 };
	enum vsbi_flow flow = VSBI_RET;
	enum shv_ext slot = shv_ext_of(eid);

	(void)e;
	for (i = 0; i < ARRAY_SIZE(vsbi_table); i++) {
		if (eid >= vsbi_table[i]->eid_min &&
		    eid <= vsbi_table[i]->eid_max) {
			ext = vsbi_table[i];
			break;
		}
	}
	v->shared->calls[slot][SHV_WHERE_HS]++;
	if (ext && ((v->guest->shared.ext_avail >> ext->slot) & 1))
		flow = ext->handle(v, eid, fid, &ret);
	else if (eid <= 0xF)
		flow = VSBI_RET_A0; /* unknown legacy call: a0 only */

	switch (flow) {
	case VSBI_RET:
		v->regs.x[10] = ret.error;
		v->regs.x[11] = ret.value;
		vcpu_advance(v);
		return VCPU_RESUME;
	case VSBI_RET_A0:
		v->regs.x[10] = ret.error ? (unsigned long)ret.error
					  : ret.value;
		vcpu_advance(v);
		return VCPU_RESUME;
	case VSBI_RESUME:
		return VCPU_RESUME;
	default:
		return VCPU_YIELD;
	}
}

/* Guest ecalls (VS-mode, cause 10) reach the dispatcher */
void vsbi_init(void)
{
	exit_register(CAUSE_VIRTUAL_SUPERVISOR_ECALL, vsbi_handle);
}
