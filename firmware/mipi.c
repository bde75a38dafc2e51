// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI IPI (v2.0 §7) for guests, served in M. As DESIGN.md §2 orders:
 * the whole hart mask is validated first (any id that is not a vCPU of
 * the guest: SBI_ERR_INVALID_PARAM and nothing is sent; OpenSBI's own
 * send_ipi skips invalid harts), then VSSIP is set pending in each
 * target's shared record with an AMO, a full fence, and only then is it
 * read where the targets run. The caller's own hart takes the bits of
 * its loaded vCPU at once; other harts get a message (firmware/mmsg.c).
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_ecall_interface.h>
#include "mhyp.h"
#include "../lib/hmask.h"
#include "../lib/vipi.h"

/* Kick HS when other vCPUs are homed here: one may have a bit now */
static void mipi_kick_hs(struct mhart *m)
{
	if (__atomic_load_n(&m->area->shared, __ATOMIC_RELAXED))
		csr_set(CSR_MIP, MIP_SSIP);
}

/*
 * A vIPI message on this hart: if it interrupted (or is serving) the
 * guest, the loaded vCPU's bits go into hvip; otherwise, or if other
 * vCPUs live here, HS is kicked (SSIP) and folds the bits into hvip on
 * its next guest entry (vcpu_fold_pending).
 */
void mipi_deliver(struct mhart *m, bool in_guest)
{
	struct shv_hart *a = m->area;
	struct shv_guest *g;
	unsigned long idx, bits;

	if (a && in_guest) {
		g = mshare_guest(__atomic_load_n(&a->guest, __ATOMIC_RELAXED));
		idx = __atomic_load_n(&a->vcpu, __ATOMIC_RELAXED);
		if (g && idx < SHV_MAX_VCPUS) {
			bits = vipi_take(&g->vcpu[idx]);
			if (bits)
				csr_set(CSR_HVIP, bits);
			mipi_kick_hs(m);
			return;
		}
	}
	csr_set(CSR_MIP, MIP_SSIP);
}

/*
 * send_ipi from the guest's loaded vCPU, whose record is self, on the
 * hart of me; g passed the HS-region check (mentry.S).
 */
struct mfast_ret mipi_call(unsigned long mask, unsigned long base,
			   struct shv_guest *g, struct shv_vcpu *self,
			   unsigned long fid, struct mhart *me)
{
	struct mfast_ret r = { SBI_SUCCESS, 0 };
	struct mhart *to;
	unsigned long harts, bits, h;

	if (fid != SBI_EXT_IPI_SEND_IPI) {
		r.error = SBI_ERR_NOT_SUPPORTED;
		return r;
	}
	r.error = vipi_post(g, mask, base, &harts);
	if (r.error)
		return r;
	h = me - mharts;
	if (harts & (1UL << h)) {
		bits = vipi_take(self);
		if (bits)
			csr_set(CSR_HVIP, bits);
		mipi_kick_hs(me);
	}
	harts &= ~(1UL << h);
	/* a hart HS has not registered yet runs no vCPU: it folds later */
	for (h = 0, to = mharts; harts && h < SHV_MAX_HARTS;
	     h++, to++, harts >>= 1)
		if ((harts & 1) && __atomic_load_n(&to->area, __ATOMIC_RELAXED))
			mmsg_post(to, MHART_MSG_VIPI);
	return r;
}
