// SPDX-License-Identifier: BSD-2-Clause
/*
 * Physical harts: the per-hart run loop (vCPUs homed on this hart, which
 * may move within their affinity: migrate.c, and hypervisor threads:
 * thread.c), cross-hart kicks, the HS timer multiplexed for vCPUs whose
 * timer HS emulates, and traps taken in HS itself.
 */
#include "core/migrate.h"
#include "arch/entry.h"
#include "core/guest.h"
#include "core/hart.h"

/* each holds the area it registers with M (struct shv_hart) */
struct hart harts[CONFIG_MAX_HARTS] SHV_SHARED_DATA;
char hyp_stacks[CONFIG_MAX_HARTS][CONFIG_STACK_SIZE]
	__attribute__((aligned(16)));

/* Host external interrupts: the host interrupt controller's driver */
static void (*hart_irq_handler)(unsigned long hartid);

void hart_set_irq_handler(void (*fn)(unsigned long hartid))
{
	hart_irq_handler = fn;
}

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
	if ((csr_read(CSR_SIP) & MIP_SEIP) && hart_irq_handler)
		hart_irq_handler(h->hartid);
}

/*
 * No deadline: the timer interrupt is masked rather than set far away.
 * QEMU 7.2 converts stimecmp = -1 into a wrapped expiry time and raises
 * STIP at some arbitrary moment; with the interrupt masked, a spurious
 * STIP neither exits the guest nor wakes WFI. A deadline already
 * programmed is written again only if it has fired (STIP pending).
 */
void hart_set_timer(struct hart *h, unsigned long deadline)
{
	/*
	 * A deadline further away than a day (a guest's stimecmp near
	 * 2^64) is armed a day from now and re-armed then: QEMU 7.2 turns
	 * such values into an overflowed expiry that fires at once.
	 */
	unsigned long now, far = platform.timebase * 86400UL, arm = deadline;

	if (deadline == -1UL) {
		csr_clear(CSR_SIE, MIP_STIP);
		h->timer = -1UL;
		return;
	}
	csr_set(CSR_SIE, MIP_STIP);
	if (deadline == h->timer && !(csr_read(CSR_SIP) & MIP_STIP))
		return;
	h->timer = deadline;
	now = hyp_time();
	if (deadline > now && deadline - now > far)
		arm = now + far;
	sbicall(SBI_EXT_TIME, SBI_EXT_TIME_SET_TIMER, arm, 0, 0, 0, 0);
}

/* Inject VSTIP for expired emulated timers (vCPUs without Sstc) */
static void hart_expire_timers(struct hart *h, unsigned long now)
{
	struct vcpu *v;

	for (v = h->vcpus; v; v = v->next_on_hart) {
		if (v->timer == -1UL || now < v->timer)
			continue;
		v->timer = -1UL;
		if (v->loaded && h->cur == v)
			csr_set(CSR_HVIP, MIP_VSTIP);
		else
			v->csrs.hvip |= MIP_VSTIP;
	}
}

/*
 * Program HS's timer for the next thing this hart must do: the
 * scheduler's next event (slice or budget end, a period start) and the
 * deadlines of vCPUs whose timer is not live in the hardware and of
 * sleeping threads.
 */
static void hart_arm_timer(struct hart *h, unsigned long now)
{
	unsigned long next = sched_next_event(&h->rq, now), t;
	struct vcpu *v;

	t = thread_wake_deadline(h);
	if (t < next)
		next = t;
	for (v = h->vcpus; v; v = v->next_on_hart) {
		t = vcpu_wake_deadline(v, now);
		if (t < next)
			next = t;
	}
	hart_set_timer(h, next);
}

void hart_timer_update(struct hart *h)
{
	unsigned long now = hyp_time();

	hart_expire_timers(h, now);
	hart_arm_timer(h, now);
}

/*
 * The per-hart scheduler loop: collect events (kicks, host interrupts,
 * expired timers, vCPUs handed over), let every homed vCPU start, wake or
 * park and every thread wake, pick one and run it until it blocks, stops,
 * yields or an interrupt brings HS back here.
 */
void hart_schedule(void)
{
	struct hart *h = hart_self();
	struct sched_entity *se;
	unsigned long now;
	struct vcpu *v;

	for (;;) {
		__atomic_store_n(&h->idle, 0, __ATOMIC_RELAXED);
		hart_ack_kick();
		hart_poll_irqs(h);
		now = hyp_time();
		migrate_adopt(h, now);
		hart_expire_timers(h, now);
		for (v = h->vcpus; v; v = v->next_on_hart)
			vcpu_wake_check(v, now);
		thread_wake_check(h, now);
		se = sched_pick(&h->rq, now);
		migrate_push(h, now);
		hart_arm_timer(h, now);
		if (se && se->kind == SCHED_THREAD) {
			thread_run(h, se->owner);
			continue;
		}
		if (se) {
			vcpu_run(se->owner);
			continue;
		}
		migrate_idle(h);
		hyp_wfi();
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
