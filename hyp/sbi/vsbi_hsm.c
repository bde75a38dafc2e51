// SPDX-License-Identifier: BSD-2-Clause
/* SBI HSM (v2.0 §9): vCPU start, stop, status and suspend. */
#include "core/hart.h"
#include "sbi/vsbi.h"

static struct vcpu *vsbi_hsm_target(struct vcpu *v, unsigned long id)
{
	return id < v->guest->nvcpus ? v->guest->vcpu[id] : NULL;
}

/* An address the vCPU may start executing at: inside its RAM */
static bool vsbi_hsm_valid_pc(struct vcpu *v, unsigned long pc)
{
	hpa_t hpa;

	return !(pc & 1) && guest_ram_range(v->guest, pc, 2, &hpa);
}

static enum vsbi_flow vsbi_hsm_start(struct vcpu *v, struct vsbi_ret *ret)
{
	struct vcpu *t = vsbi_hsm_target(v, vsbi_arg(v, 0));
	int stopped = SBI_HSM_STATE_STOPPED;

	if (!t) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return VSBI_RET;
	}
	if (!vsbi_hsm_valid_pc(v, vsbi_arg(v, 1))) {
		ret->error = SBI_ERR_INVALID_ADDRESS;
		return VSBI_RET;
	}
	if (!__atomic_compare_exchange_n(&t->state, &stopped,
					 SBI_HSM_STATE_START_PENDING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
		ret->error = SBI_ERR_ALREADY_AVAILABLE;
		return VSBI_RET;
	}
	t->start_pc = vsbi_arg(v, 1);
	t->start_arg = vsbi_arg(v, 2);
	/* the target's hart may see START_PENDING already: it waits for this */
	__atomic_store_n(&t->start_posted, 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	hart_kick(__atomic_load_n(&t->hart, __ATOMIC_RELAXED));
	ret->error = SBI_SUCCESS;
	return VSBI_RET;
}

static enum vsbi_flow vsbi_hsm_suspend(struct vcpu *v, struct vsbi_ret *ret)
{
	u32 type = (u32)vsbi_arg(v, 0);
	unsigned long resume = vsbi_arg(v, 1), opaque = vsbi_arg(v, 2);
	bool nonret = type == SBI_HSM_SUSPEND_NON_RET_DEFAULT;

	/*
	 * Reserved types and platform-specific ones we do not implement are
	 * both INVALID_PARAM (SBI v2.0 §9.4, errors of hart_suspend).
	 */
	if (type != SBI_HSM_SUSPEND_RET_DEFAULT && !nonret) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return VSBI_RET;
	}
	if (nonret && !vsbi_hsm_valid_pc(v, resume)) {
		ret->error = SBI_ERR_INVALID_ADDRESS;
		return VSBI_RET;
	}
	__atomic_store_n(&v->state, SBI_HSM_STATE_SUSPENDED, __ATOMIC_RELEASE);
	if (nonret) {
		/* resumes like a start: a0 = hartid, a1 = opaque (§9.4) */
		v->start_pc = resume;
		v->start_arg = opaque;
		vcpu_block(v, VCPU_WAIT_SUSPEND_NONRET);
		return VSBI_YIELD;
	}
	/* retentive: the call returns SUCCESS once an interrupt wakes it */
	v->regs.x[10] = SBI_SUCCESS;
	v->regs.x[11] = 0;
	vcpu_advance(v);
	vcpu_block(v, VCPU_WAIT_SUSPEND);
	return VSBI_YIELD;
}

static enum vsbi_flow vsbi_hsm_handle(struct vcpu *v, unsigned long eid,
				      unsigned long fid, struct vsbi_ret *ret)
{
	struct vcpu *t;

	(void)eid;
	switch (fid) {
	case SBI_EXT_HSM_HART_START:
		return vsbi_hsm_start(v, ret);
	case SBI_EXT_HSM_HART_STOP:
		__atomic_store_n(&v->state, SBI_HSM_STATE_STOPPED,
				 __ATOMIC_RELEASE);
		vcpu_block(v, VCPU_WAIT_NONE);
		return VSBI_YIELD;
	case SBI_EXT_HSM_HART_GET_STATUS:
		t = vsbi_hsm_target(v, vsbi_arg(v, 0));
		if (!t) {
			ret->error = SBI_ERR_INVALID_PARAM;
			return VSBI_RET;
		}
		ret->error = SBI_SUCCESS;
		ret->value = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
		return VSBI_RET;
	case SBI_EXT_HSM_HART_SUSPEND:
		return vsbi_hsm_suspend(v, ret);
	default:
		return VSBI_RET;
	}
}

const struct vsbi_ext vsbi_hsm = {
	.eid_min = SBI_EXT_HSM,
	.eid_max = SBI_EXT_HSM,
	.slot = SHV_EXT_HSM,
	.handle = vsbi_hsm_handle,
};
