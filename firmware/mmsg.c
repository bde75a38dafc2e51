// SPDX-License-Identifier: BSD-2-Clause
/*
 * Messages between the M-mode parts of sbivisor on different harts: a
 * virtual IPI to deliver, remote fences to run (docs/architecture.md,
 * "Cross-hart messages"); and guest SBI IPI (v2.0 §7), served in M, which
 * is mostly one such message.
 *
 * Each hart has one message word in its M-private state (struct mhart):
 * MHART_MSG_VIPI, and one bit per hart whose fence request (in that
 * hart's own slot) waits to be run. A sender sets its bits with an AMO
 * and raises the machine software interrupt only when the word was
 * empty: the receiver clears the interrupt before it takes the whole
 * word with one swap, so a message is never left without an interrupt
 * on its way (the scheme OpenSBI uses for its own IPI events).
 *
 * The interrupt is raised with OpenSBI's raw IPI send and lands in
 * mentry_trap, which runs OpenSBI's IPI processing first (its own events
 * share the interrupt), then mmsg_irq(): no full trap frame, no event
 * bookkeeping, one hart's MSWI register written per message. Where IPIs
 * are not machine software interrupts (an IMSIC), the messages go as an
 * OpenSBI IPI event instead, found out once at boot.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbi/sbi_ipi.h>
#include "mhyp.h"
#include "../lib/hmask.h"
#include "../lib/vipi.h"

struct mhart mharts[SHV_MAX_HARTS];

/* Raw IPIs raise mip.MSIP here; otherwise an OpenSBI event carries them */
bool mmsg_direct;
static u32 mmsg_event;

/*
 * Take this hart's messages. in_guest: the interrupted or calling context
 * is the guest (mstatus.MPV), so a vIPI can go straight into hvip.
 */
static inline __attribute__((always_inline)) void mmsg_serve(struct mhart *m,
							     bool in_guest)
{
	unsigned long msg;

	if (!__atomic_load_n(&m->msg, __ATOMIC_RELAXED))
		return;
	/* acquire: the senders' requests and pending bits are visible */
	msg = __atomic_exchange_n(&m->msg, 0, __ATOMIC_ACQUIRE);
	if (msg & ~MHART_MSG_VIPI)
		mrfence_serve(msg & ~MHART_MSG_VIPI);
	if (msg & MHART_MSG_VIPI)
		mipi_deliver(m, in_guest);
}

static bool mmsg_in_guest(void)
{
	return (csr_read(CSR_MSTATUS) & MSTATUS_MPV) != 0;
}

void mmsg_kick_event(struct mhart *to)
{
	sbi_ipi_send_many(1UL << (to - mharts), 0, mmsg_event, NULL);
}

/*
 * Wait until every fence this hart asked for is done. Meanwhile serve
 * what reaches this hart, OpenSBI's own IPI events included: two harts
 * may be waiting for each other.
 */
void mmsg_wait(struct mhart *me)
{
	while (__atomic_load_n(&me->outstanding, __ATOMIC_ACQUIRE)) {
		/* raw IPIs: a message here always has MSIP on its way */
		if (csr_read(CSR_MIP) & MIP_MSIP)
			sbi_ipi_process();
		else if (mmsg_direct)
			continue;
		mmsg_serve(me, mmsg_in_guest());
	}
}

/*
 * The machine software interrupt, from mentry_trap: OpenSBI's processing
 * clears it first, then the messages are taken.
 *
 * HS waits for work in wfi (hyp_wfi, its address published as idle_pc).
 * An M interrupt ends that wfi even when it leaves HS nothing to do (a
 * remote fence), and HS would run its whole scheduler loop for nothing.
 * So when no interrupt is pending that mie (hence sie) enables, the
 * interrupted HS goes back to the wfi instead. That is safe even if one
 * became pending in between: a wfi with a locally enabled interrupt
 * pending does not wait (priv. spec §3.3.3, "regardless of the global
 * interrupt enable"). When something is pending (an SSIP raised for a
 * vIPI), HS just goes on: a wfi that ends at once costs more than that on
 * QEMU, where it also ends the hart's turn under icount.
 */
void mmsg_irq(void)
{
	struct mhart *m;
	unsigned long ms;

	sbi_ipi_process();
	m = mhart_self();
	if (!m)
		return;
	ms = csr_read(CSR_MSTATUS);
	mmsg_serve(m, (ms & MSTATUS_MPV) != 0);
	if (!(ms & MSTATUS_MPV) &&
	    (ms & MSTATUS_MPP) == (PRV_S << MSTATUS_MPP_SHIFT) &&
	    csr_read(CSR_MEPC) == m->idle_pc && m->idle_pc &&
	    !(csr_read(CSR_MIP) & csr_read(CSR_MIE)))
		csr_write(CSR_MEPC, m->idle_pc - 4);
}

static void mmsg_process(struct sbi_scratch *scratch)
{
	struct mhart *m = mhart_self();

	if (m)
		mmsg_serve(m, mmsg_in_guest());
}

static const struct sbi_ipi_event_ops mmsg_ops = {
	.name = "sbivisor-msg",
	.process = mmsg_process,
};

/*
 * Cold boot. A raw IPI to this hart shows whether IPIs are machine
 * software interrupts (ACLINT MSWI, which mentry_trap catches) or
 * something else, such as an IMSIC's external interrupt, that only
 * OpenSBI's handler sees.
 */
int mmsg_init(void)
{
	int ev = sbi_ipi_event_create(&mmsg_ops), i;

	if (ev < 0)
		return ev;
	mmsg_event = ev;
	sbi_ipi_raw_send(current_hartindex());
	for (i = 0; i < 1000 && !mmsg_direct; i++)
		mmsg_direct = (csr_read(CSR_MIP) & MIP_MSIP) != 0;
	sbi_ipi_raw_clear();
	return 0;
}

/*
 * Guest SBI IPI, as docs/sbi.md orders: the whole hart mask is validated
 * first (any id that is not a vCPU of the guest: SBI_ERR_INVALID_PARAM
 * and nothing is sent; OpenSBI's own send_ipi skips invalid harts), then
 * VSSIP is set pending in each target's shared record with an AMO, a full
 * fence, and only then is it read where the targets run. The caller's own
 * hart takes the bits of its loaded vCPU at once; other harts get a vIPI
 * message.
 */

/* Kick HS when other vCPUs are homed here: one may have a bit now */
static void mipi_kick_hs(struct mhart *m)
{
	if (__atomic_load_n(&m->area->others_homed, __ATOMIC_RELAXED))
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
		if ((harts & 1) && __atomic_load_n(&to->area, __ATOMIC_ACQUIRE))
			mmsg_post(to, MHART_MSG_VIPI);
	return r;
}
