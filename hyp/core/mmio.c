// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest load/store guest-page faults (causes 21, 23): emulated device
 * windows are left unmapped in stage 2, so their accesses land here. The
 * access is decoded from htinst when it holds a transformed instruction,
 * else from the instruction fetched with HLVX; then the device emulates
 * it and the guest continues after the instruction.
 */
#include "core/exit.h"
#include "core/guest.h"
#include "arch/gwalk.h"
#include "arch/insn.h"
#include "core/mmio.h"
#include "../../lib/range.h"

static struct vdev *mmio_find(struct guest *g, gpa_t gpa)
{
	unsigned long i;

	for (i = 0; i < g->ndevs; i++)
		if (gpa - g->devs[i].base < g->devs[i].size)
			return &g->devs[i];
	return NULL;
}

static const char mmio_walk[] = "guest page table in device memory";

/*
 * Stop the guest with its one-line report, from the exit's own trap
 * values: a guarded HLVX that faulted meanwhile changed the CSRs.
 */
static enum vcpu_action mmio_fail(struct vcpu *v, struct vcpu_exit *e,
				  const char *why)
{
	guest_report_exit(v, why, e->cause, e->stval, e->htval,
			  why == mmio_walk);
	guest_stop(v->guest, "fault");
	return VCPU_YIELD;
}

/* Sign- or zero-extend a loaded value of len bytes to XLEN */
static unsigned long mmio_extend(u64 val, unsigned int len, bool sign)
{
	unsigned int shift = 64 - 8 * len;

	if (len == 8)
		return val;
	if (sign)
		return (unsigned long)((long)(val << shift) >> shift);
	return val & ((1UL << (8 * len)) - 1);
}

/*
 * A PTE the hardware walk could read: where stage 2 maps host RAM
 * readable for the guest (its RAM, shared-memory windows), as the walk
 * itself would; never a passed-through device's registers, where a read
 * has side effects.
 */
static int mmio_read_pte(void *ctx, gpa_t gpa, u64 *pte)
{
	struct guest *g = ctx;
	unsigned long prot;
	hpa_t hpa;

	if (gstage_lookup(&g->gs, gpa, &hpa, &prot) || !(prot & GSTAGE_R) ||
	    !range_within(platform.mem_base, platform.mem_size, hpa,
			  sizeof(*pte)))
		return SBI_ERR_INVALID_ADDRESS;
	*pte = *(volatile u64 *)hpa;
	return 0;
}

/*
 * The access that faulted: from htinst when it holds a transformed
 * instruction, else fetched (QEMU 7.2 leaves htinst 0 for load/store
 * guest-page faults). NULL, or why it cannot be emulated.
 */
static const char *mmio_decode(struct vcpu *v, struct vcpu_exit *e, gpa_t gpa,
			       struct insn_access *a)
{
	unsigned long insn;
	int rc;

	if (!e->htinst) {
		/* htinst 0 does not rule out a page-table walk (gwalk.c) */
		switch (gwalk_classify(csr_read(CSR_VSATP), e->stval, gpa,
				       mmio_read_pte, v->guest)) {
		case GWALK_EXPLICIT:
			break;
		case GWALK_IMPLICIT:
			return mmio_walk;
		default:
			return "neither the access nor its page-table walk "
			       "maps to this address";
		}
		if (!exit_fetch_insn(v->regs.pc, &insn))
			return "cannot fetch the instruction";
		rc = (insn & 3) == 3 ? insn_decode32(insn, a)
				     : insn_decode(insn, a);
		return rc ? "unsupported instruction for MMIO" : NULL;
	}
	rc = insn_decode_htinst(e->htinst, a);
	if (rc == INSN_HT_IMPLICIT)
		return mmio_walk;
	return rc == INSN_HT_DECODED ? NULL
				     : "unsupported instruction for MMIO";
}

enum vcpu_action mmio_exit(struct vcpu *v, struct vcpu_exit *e)
{
	/* htval holds GPA >> 2; the low bits come from stval (§9.4.4) */
	gpa_t gpa = (e->htval << 2) | (e->stval & 3);
	bool store = e->cause == CAUSE_STORE_GUEST_PAGE_FAULT;
	struct guest *g = v->guest;
	struct vdev *d = __atomic_load_n(&g->mmio_hit, __ATOMIC_RELAXED);
	struct insn_access a;
	const char *why;
	u64 val = 0;
	int rc;

	/* the device hit last time first: a driver polls one register */
	if (!d || gpa - d->base >= d->size) {
		d = mmio_find(g, gpa);
		if (!d)
			return mmio_fail(v, e,
					 "no memory or device at this "
					 "address");
		__atomic_store_n(&g->mmio_hit, d, __ATOMIC_RELAXED);
	}
	why = mmio_decode(v, e, gpa, &a);
	if (why)
		return mmio_fail(v, e, why);
	if (a.store != store)
		return mmio_fail(v, e, "unsupported instruction for MMIO");
	if (!range_within(d->base, d->size, gpa, a.len))
		return mmio_fail(v, e, "access crosses the device's end");
	if (store) {
		d->writes++;
		rc = d->ops->write(d, gpa - d->base, a.len,
				   mmio_extend(v->regs.x[a.reg], a.len, false));
	} else {
		d->reads++;
		rc = d->ops->read(d, gpa - d->base, a.len, &val);
		if (!rc && a.reg)
			v->regs.x[a.reg] = mmio_extend(val, a.len, a.sign);
	}
	if (rc == VDEV_RETRY) {
		vcpu_stall(v);
		return VCPU_YIELD;
	}
	if (rc)
		return mmio_fail(v, e, "access the device does not support");
	v->regs.pc += a.ilen;
	return VCPU_RESUME;
}

int mmio_add(struct guest *g, gpa_t base, unsigned long size,
	     const struct vdev_ops *ops, void *priv)
{
	struct vdev *d;

	if (g->ndevs >= ARRAY_SIZE(g->devs) || !size ||
	    base + size - 1 < base || mmio_find(g, base) ||
	    mmio_find(g, base + size - 1))
		return SBI_ERR_INVALID_PARAM;
	d = &g->devs[g->ndevs++];
	d->base = base;
	d->size = size;
	d->ops = ops;
	d->priv = priv;
	return 0;
}

void mmio_reset_all(struct guest *g)
{
	unsigned long i;

	for (i = 0; i < g->ndevs; i++)
		if (g->devs[i].ops->reset)
			g->devs[i].ops->reset(&g->devs[i]);
}
