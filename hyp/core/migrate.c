// SPDX-License-Identifier: BSD-2-Clause
/*
 * vCPU migration within an affinity set. A hart that has round-robin
 * vCPUs waiting for it hands one to an idle hart of their affinity; an
 * idle hart wakes a hart that has such vCPUs. Run queues stay private to
 * their hart (sched.c takes no locks): the giving hart takes the vCPU off
 * its queue and list and pushes it onto the receiver's inbox, a lock-free
 * stack; the receiver adopts it into its own queue from its scheduler
 * loop. Rate-monotonic vCPUs never move (sched.c: partitioned RM).
 *
 * Lost wake-ups: whoever signals a vCPU (M's IPI fast path, RFENCE, the
 * vPLIC, HSM start, a guest stop) first sets its bit in the vCPU, fences,
 * then reads v->hart or shared->hart and kicks that hart. A move writes
 * both, fences, and only then publishes the vCPU to the receiver, which
 * checks every reason to run after adopting it. So a signaller that read
 * the old hart set its bit early enough for the receiver to see it.
 */
#include "core/guest.h"
#include "core/migrate.h"

/* Some vCPU may move: without one, the loop skips balancing entirely */
static bool migrate_on;

void migrate_allow(struct vcpu *v, unsigned long mask)
{
	unsigned long i;

	mask &= platform.hart_mask;
	if (v->se.cls != SCHED_RR || !(mask & (mask - 1)))
		return; /* RM is partitioned; one hart is no choice */
	v->se.affinity = mask;
	v->guest->shared.hart_mask |= mask;
	migrate_on = true;
	/*
	 * M's IPI path kicks HS on harts where a vCPU other than the loaded
	 * one may be homed: any hart v may come to.
	 */
	for (i = 0; i < CONFIG_MAX_HARTS; i++)
		if ((mask >> i) & 1)
			harts[i].shared.others_homed = 1;
}

void migrate_adopt(struct hart *h, unsigned long now)
{
	struct vcpu *v, *next;

	if (!__atomic_load_n(&h->inbox, __ATOMIC_RELAXED))
		return;
	v = __atomic_exchange_n(&h->inbox, NULL, __ATOMIC_ACQUIRE);
	for (; v; v = next) {
		next = v->next_on_hart;
		v->next_on_hart = h->vcpus;
		h->vcpus = v;
		sched_add(&h->rq, &v->se, now);
	}
}

static void migrate_unlink(struct hart *h, struct vcpu *v)
{
	struct vcpu **pp;

	for (pp = &h->vcpus; *pp; pp = &(*pp)->next_on_hart) {
		if (*pp == v) {
			*pp = v->next_on_hart;
			return;
		}
	}
}

/* Move v (waiting on h's queue) to hart `to`, which is idle */
static void migrate_send(struct hart *h, struct vcpu *v, unsigned long to,
			 unsigned long now)
{
	struct hart *t = &harts[to];
	struct vcpu *old;

	if (v->loaded)
		vcpu_put(v); /* its CSRs and FP registers leave with it */
	sched_remove(&h->rq, &v->se, now);
	migrate_unlink(h, v);
	v->migrations++;
	__atomic_store_n(&v->hart, to, __ATOMIC_RELAXED);
	__atomic_store_n(&v->shared->hart, to, __ATOMIC_RELAXED);
	/* fence rw,rw: the new home is visible before v is handed over */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	old = __atomic_load_n(&t->inbox, __ATOMIC_RELAXED);
	do {
		v->next_on_hart = old;
	} while (!__atomic_compare_exchange_n(
		&t->inbox, &old, v, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	hart_kick(to);
}

/* Claim an idle hart in mask: one giver per idle period */
static long migrate_claim(unsigned long mask)
{
	unsigned long i;
	int idle;

	for (i = 0; i < CONFIG_MAX_HARTS; i++) {
		if (!((mask >> i) & 1) || !harts[i].online)
			continue;
		idle = 1;
		if (__atomic_compare_exchange_n(&harts[i].idle, &idle, 0, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			return i;
	}
	return NO_HART;
}

void migrate_push(struct hart *h, unsigned long now)
{
	struct sched_entity *se;
	unsigned long mask;
	long to;

	if (!migrate_on)
		return;
	for (;;) {
		mask = sched_waiting_mask(&h->rq) & ~(1UL << h->hartid);
		__atomic_store_n(&h->waiting, mask, __ATOMIC_RELAXED);
		/*
		 * fence rw,rw against migrate_idle(): it stores idle, then
		 * reads waiting; we store waiting, then read idle. One of
		 * the two sees the other, so work and an idle hart meet.
		 */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!mask)
			return;
		to = migrate_claim(mask);
		if (to == NO_HART)
			return;
		se = sched_migrant(&h->rq, to);
		if (!se) { /* mask came from the queue: cannot happen */
			__atomic_store_n(&harts[to].idle, 1, __ATOMIC_RELAXED);
			return;
		}
		migrate_send(h, se->owner, to, now);
	}
}

void migrate_idle(struct hart *h)
{
	unsigned long i, me = 1UL << h->hartid;

	if (!migrate_on)
		return;
	__atomic_store_n(&h->idle, 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* see migrate_push() */
	for (i = 0; i < CONFIG_MAX_HARTS; i++)
		if (i != h->hartid && harts[i].online &&
		    (__atomic_load_n(&harts[i].waiting, __ATOMIC_RELAXED) & me))
			hart_kick(i);
}
