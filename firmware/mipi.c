// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI IPI (v2.0 §7) for guests, served in M. The whole hart mask is
 * validated before anything is sent (OpenSBI's own send_ipi skips invalid
 * harts). Pending bits live in the target's shared record; the hart that
 * runs or owns the target is kicked with an OpenSBI IPI event.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbi/sbi_ipi.h>
#include <sbi/sbi_hartmask.h>
#include "mhyp.h"
#include "../lib/vipi.h"

static u32 mipi_event;

/* Inject what is pending for the vCPU loaded here, or kick HS. */
static void mipi_deliver(struct shv_hart *h, bool in_guest)
{
	struct shv_guest *g;
	unsigned long bits;

	if (h && in_guest) {
		g = mshare_guest(h->guest);
		if (g && h->vcpu < g->nvcpus && h->vcpu < SHV_MAX_VCPUS) {
			bits = vipi_take(&g->vcpu[h->vcpu]);
			if (bits)
				csr_set(CSR_HVIP, bits);
			if (!h->shared)
				return;
		}
	}
	/* HS folds pending bits into hvip on its next guest entry */
	csr_set(CSR_MIP, MIP_SSIP);
}

static void mipi_process(struct sbi_scratch *scratch)
{
	/* MPV says whether the interrupted context was the guest */
	mipi_deliver(mshare_hart(scratch->hartindex),
		     csr_read(CSR_MSTATUS) & MSTATUS_MPV);
}

static const struct sbi_ipi_event_ops mipi_ops = {
	.name = "sbivisor-vipi",
	.process = mipi_process,
};

int mipi_init(void)
{
	int ev = sbi_ipi_event_create(&mipi_ops);

	if (ev < 0)
		return ev;
	mipi_event = ev;
	return 0;
}

static bool mipi_handle(struct mfast_call *c, unsigned long fid, long *err,
			unsigned long *val)
{
	unsigned long harts, me = current_hartid();

	*val = 0;
	if (fid != SBI_EXT_IPI_SEND_IPI) {
		*err = SBI_ERR_NOT_SUPPORTED;
		return true;
	}
	*err = vipi_post(c->guest, c->regs->a0, c->regs->a1, &harts);
	if (*err)
		return true;
	if (me < BITS_PER_LONG && (harts & BIT(me))) {
		mipi_deliver(c->hart, true);
		harts &= ~BIT(me);
	}
	if (harts)
		sbi_ipi_send_many(harts, 0, mipi_event, NULL);
	return true;
}

const struct mfast_ext mipi_ext = {
	.slot = SHV_EXT_IPI,
	.handle = mipi_handle,
};
