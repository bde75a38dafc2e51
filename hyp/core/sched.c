// SPDX-License-Identifier: BSD-2-Clause
/*
 * Per-hart scheduler core: the run queue list, accounting of the running
 * entity, and the dispatch to the class policies (sched_rm.c, then
 * sched_rr.c). No allocation, no locks: the caller holds the run queue,
 * which only its own hart touches. Time is in ticks from the caller and
 * must not go backwards (a smaller value is treated as no time passing).
 *
 * Run queue: rq->head lists every entity homed here, runnable or not, in
 * one order that serves both classes: among RM entities it is insertion
 * (sched_add) order, the tie-break between equal periods; among RR
 * entities of one priority it is the round-robin order. Only RR entities
 * move (to the tail), which keeps the RM order intact.
 *
 * Accounting: every call that takes `now` first charges rq->cur with
 * now - rq->cur_since (runtime always, `used` as the class defines it)
 * and sets cur_since = now; then RM periods are brought up to now for
 * every entity. So statistics are exact whenever the scheduler is called,
 * not only at timer events. sched_block/sched_yield_turn/sched_remove of the
 * running entity account it and clear rq->cur; the caller then calls
 * sched_pick (as after sched_add and sched_wake, which never switch by
 * themselves).
 *
 * Choice (sched_pick): the first class, in precedence order RM then RR,
 * that has an eligible entity decides:
 *   RM: runnable, period and budget non-zero, used < budget this period;
 *       the shortest period wins, equal periods go by list order.
 *       `priority` is ignored.
 *   RR: runnable; the highest priority wins, equal priorities go by list
 *       order. A running RR entity is always the first runnable one of
 *       its priority in list order (woken, yielding and expired entities
 *       go to the tail), so it keeps the CPU until its slice ends unless
 *       something of higher precedence becomes eligible; a preempted RR
 *       entity keeps its position and the rest of its slice.
 * NULL (idle) when nothing is eligible.
 *
 * RR: `used` counts the current turn. When the running entity's used
 * reaches its slice it goes to the tail of the list with used = 0 (it
 * runs again at once if it is alone at the top priority). slice == 0
 * means no time slice (runs until it blocks, yields or is preempted).
 * Wake: used = 0, to the tail. Yield: used = 0, to the tail.
 *
 * RM: period k is [period_start, period_start + period). When now reaches
 * the end of the current period, period_start advances by whole periods
 * to the period containing now, and used = 0. A running entity whose
 * accounting interval spans period ends is charged per period (the part
 * before the end counts towards the old period). Deadline miss: a period
 * of an entity with a non-zero budget that ends (end <= now at the time
 * of accounting) while the entity is runnable and has used < budget of
 * it; periods skipped over entirely while runnable and never run count
 * one miss each. A blocked or removed entity, or one that yielded in that
 * period, misses nothing. Yield forfeits the rest of the period's budget
 * (used is raised to budget: the job is done; it runs again at its next
 * period). Wake aligns the period to the one containing now (no misses
 * for periods spent blocked), keeping used if that period is unchanged.
 * budget > period is allowed but then misses every period it is busy.
 *
 * sched_next_event(rq, now) accounts up to now and returns now if a pick
 * would not choose rq->cur (a reschedule is already due), else the
 * earliest of: the end of cur's RR slice when another runnable RR entity
 * of the same or higher priority exists; the end of cur's RM budget; the
 * next period start of every runnable RM entity, out of budget, that
 * would then preempt cur (cur is idle or RR, or the entity's period is
 * shorter than cur's, or equal and earlier in the list). All ones when
 * nothing is due. The result may be early (e.g. a budget end that a new
 * period moves back); a pick at that time then just returns cur again.
 *
 * Migration: an entity with `affinity` bits may be moved by the caller
 * (sched_remove here, sched_add there) while it waits: runnable, not
 * rq->cur. sched_migrant() offers the first such entity, in list order,
 * whose affinity has the target hart; RR class only, since rate-monotonic
 * entities are partitioned (the per-hart RM schedulability analysis only
 * holds while an entity stays on its hart).
 *
 * sched_add homes an entity (not runnable; used = 0, period_start = now;
 * runtime and deadline_misses are kept, the owner zeroes them once) and
 * ignores one already queued anywhere. Wake, block and remove ignore
 * entities not on this run queue, and are idempotent.
 */
#include "core/sched.h"
#include "core/sched_policy.h"

/* Precedence order: an eligible RM entity beats any RR entity */
static const struct sched_policy *const sched_policies[] = {
	&sched_rm_policy,
	&sched_rr_policy,
};

static const struct sched_policy *sched_policy_of(struct sched_entity *se)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sched_policies); i++)
		if (sched_policies[i]->cls == se->cls)
			return sched_policies[i];
	return NULL;
}

/* Close RM periods that ended by now (with se's runnable state so far) */
static void sched_update(struct sched_entity *se, u64 now)
{
	const struct sched_policy *p = sched_policy_of(se);

	if (p && p->update)
		p->update(se, now);
}

static bool sched_on_rq(struct sched_rq *rq, struct sched_entity *se)
{
	struct sched_entity *e;

	if (!se || !se->queued)
		return false;
	for (e = rq->head; e; e = e->next)
		if (e == se)
			return true;
	return false;
}

static void sched_unlink(struct sched_rq *rq, struct sched_entity *se)
{
	struct sched_entity **pp;

	for (pp = &rq->head; *pp; pp = &(*pp)->next) {
		if (*pp == se) {
			*pp = se->next;
			se->next = NULL;
			return;
		}
	}
}

static void sched_link_tail(struct sched_rq *rq, struct sched_entity *se)
{
	struct sched_entity **pp;

	for (pp = &rq->head; *pp; pp = &(*pp)->next)
		;
	se->next = NULL;
	*pp = se;
}

void sched_requeue_tail(struct sched_rq *rq, struct sched_entity *se)
{
	sched_unlink(rq, se);
	sched_link_tail(rq, se);
}

/* Charge rq->cur for [cur_since, now) */
static void sched_charge(struct sched_rq *rq, u64 now)
{
	struct sched_entity *se = rq->cur;
	const struct sched_policy *p;
	u64 from = rq->cur_since;

	if (now <= from)
		return;
	rq->cur_since = now;
	if (!se)
		return;
	se->runtime += now - from;
	p = sched_policy_of(se);
	if (p)
		p->charge(rq, se, from, now);
}

static void sched_account(struct sched_rq *rq, u64 now)
{
	struct sched_entity *se;

	sched_charge(rq, now);
	for (se = rq->head; se; se = se->next)
		sched_update(se, now);
}

static struct sched_entity *sched_choose(struct sched_rq *rq)
{
	struct sched_entity *se;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sched_policies); i++) {
		se = sched_policies[i]->pick(rq);
		if (se)
			return se;
	}
	return NULL;
}

/* Account the running entity up to now and stop running it */
static void sched_put_cur(struct sched_rq *rq, u64 now)
{
	sched_charge(rq, now);
	rq->cur = NULL;
}

void sched_rq_init(struct sched_rq *rq)
{
	rq->head = NULL;
	rq->cur = NULL;
	rq->cur_since = 0;
}

void sched_add(struct sched_rq *rq, struct sched_entity *se, u64 now)
{
	if (!se || se->queued)
		return;
	se->runnable = false;
	se->used = 0;
	se->period_start = now;
	se->queued = true;
	sched_link_tail(rq, se);
}

void sched_remove(struct sched_rq *rq, struct sched_entity *se, u64 now)
{
	if (!sched_on_rq(rq, se))
		return;
	if (se == rq->cur)
		sched_put_cur(rq, now);
	sched_update(se, now);
	sched_unlink(rq, se);
	se->runnable = false;
	se->queued = false;
}

void sched_wake(struct sched_rq *rq, struct sched_entity *se, u64 now)
{
	const struct sched_policy *p;

	if (!sched_on_rq(rq, se) || se->runnable)
		return;
	sched_update(se, now); /* while still blocked: no misses */
	se->runnable = true;
	p = sched_policy_of(se);
	if (p && p->wake)
		p->wake(rq, se);
}

void sched_block(struct sched_rq *rq, struct sched_entity *se, u64 now)
{
	if (!sched_on_rq(rq, se))
		return;
	if (se == rq->cur)
		sched_put_cur(rq, now);
	if (!se->runnable)
		return;
	sched_update(se, now); /* periods ended while runnable */
	se->runnable = false;
}

void sched_yield_turn(struct sched_rq *rq, u64 now)
{
	struct sched_entity *se = rq->cur;
	const struct sched_policy *p;

	if (!se)
		return;
	sched_put_cur(rq, now);
	p = sched_policy_of(se);
	if (p)
		p->yield(rq, se);
}

struct sched_entity *sched_pick(struct sched_rq *rq, u64 now)
{
	sched_account(rq, now);
	rq->cur = sched_choose(rq);
	return rq->cur;
}

u64 sched_next_event(struct sched_rq *rq, u64 now)
{
	u64 ev = SCHED_NEVER;
	unsigned int i;

	sched_account(rq, now);
	if (sched_choose(rq) != rq->cur)
		return now;
	for (i = 0; i < ARRAY_SIZE(sched_policies); i++)
		ev = sched_min(ev, sched_policies[i]->next_event(rq, now));
	return ev;
}

static bool sched_waiting(struct sched_rq *rq, struct sched_entity *se)
{
	return se->runnable && se != rq->cur && se->cls == SCHED_RR;
}

unsigned long sched_waiting_mask(struct sched_rq *rq)
{
	struct sched_entity *se;
	unsigned long mask = 0;

	for (se = rq->head; se; se = se->next)
		if (sched_waiting(rq, se))
			mask |= se->affinity;
	return mask;
}

struct sched_entity *sched_migrant(struct sched_rq *rq, unsigned long to)
{
	struct sched_entity *se;

	if (to >= 8 * sizeof(se->affinity))
		return NULL;
	for (se = rq->head; se; se = se->next)
		if (sched_waiting(rq, se) && ((se->affinity >> to) & 1))
			return se;
	return NULL;
}
