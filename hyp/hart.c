// SPDX-License-Identifier: BSD-2-Clause
/*
 * Physical harts: the per-hart run loop (vCPUs homed on this hart,
 * pinned), cross-hart kicks, the HS timer multiplexed for vCPUs whose
 * timer HS emulates, and traps taken in HS itself.
 */
#include "guest.h"
#include "hart.h"
#include "hostirq.h"

struct hart harts[CONFIG_MAX_HARTS];
char hyp_stacks[CONFIG_MAX_HARTS][CONFIG_STACK_SIZE]
	__attribute__((aligned(16)));

void hart_kick(unsigned long hartid)
{
	if (hartid == hart_self()->hartid)
		csr_set(CSR_SIP, MIP_SSIP);
	else
		sbicall(SBI_EXT_IPI, SBI_EXT_IPI_SEND_IPI, 1UL << hartid, 0, 0,
			0, 0);
}

void hart_ack_kick(void)
{
	csr_clear(CSR_SIP, MIP_SSIP);
}

/* HS runs with SIE off: host interrupts that woke it are served here */
void hart_poll_irqs(struct hart *h)
{
	if (csr_read(CSR_SIP) & MIP_SEIP)
		hostirq_handle(h->hartid);
}

void hart_set_timer(struct hart *h, unsigned long deadline)
{
	if (deadline == h->timer)
		return;
	h->timer = deadline;
	sbicall(SBI_EXT_TIME, SBI_EXT_TIME_SET_TIMER, deadline, 0, 0, 0, 0);
}

/* Inject VSTIP for expired emulated timers, re-arm for the nearest one */
void hart_timer_update(struct hart *h)
{
	unsigned long now = hyp_time(), next = -1UL;
	struct vcpu *v;

	for (v = h->vcpus; v; v = v->next_on_hart) {
		if (v->timer == -1UL)
			continue;
		if (now >= v->timer) {
			v->timer = -1UL;
			if (v->loaded && h->cur == v)
				csr_set(CSR_HVIP, MIP_VSTIP);
			else
				v->csrs.hvip |= MIP_VSTIP;
		} else if (v->timer < next) {
			next = v->timer;
		}
	}
	hart_set_timer(h, next);
}

static struct vcpu *hart_pick(struct hart *h)
{
	struct vcpu *v;
	int pending;

	for (v = h->vcpus; v; v = v->next_on_hart) {
		if (v->guest->state != GUEST_RUNNING)
			continue;
		pending = SBI_HSM_STATE_START_PENDING;
		if (__atomic_compare_exchange_n(&v->state, &pending,
						SBI_HSM_STATE_STARTED, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			/* a0 = hart id, a1 = opaque (SBI v2.0 §9.1) */
			vcpu_reset(v, v->start_pc, v->id, v->start_arg);
			return v;
		}
		if (pending == SBI_HSM_STATE_STARTED)
			return v;
	}
	return NULL;
}

void hart_schedule(void)
{
	struct hart *h = hart_self();
	struct vcpu *v;

	for (;;) {
		hart_ack_kick();
		hart_poll_irqs(h);
		v = hart_pick(h);
		if (v) {
			vcpu_run(v);
			continue;
		}
		hart_timer_update(h);
		wfi();
	}
}

/* A trap in HS: an HLV/HLVX under guard, or a hypervisor bug. */
void trap_from_hs(unsigned long *frame);
void trap_from_hs(unsigned long *frame)
{
	struct hart *h = hart_self();
	unsigned long cause = csr_read(CSR_SCAUSE);

	(void)frame;
	if (h->hlv_guard && !(cause >> (__riscv_xlen - 1))) {
		h->hlv_guard = 0;
		h->hlv_cause = cause;
		csr_write(CSR_SEPC, csr_read(CSR_SEPC) + 4);
		return;
	}
	hyp_printf("sbivisor: HS trap on hart %lu: cause 0x%lx sepc 0x%lx "
		   "stval 0x%lx\n",
		   h->hartid, cause, csr_read(CSR_SEPC), csr_read(CSR_STVAL));
	hyp_halt("hypervisor fault");
}
