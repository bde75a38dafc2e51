// SPDX-License-Identifier: BSD-2-Clause
/*
 * Rate-monotonic class (semantics and the deadline-miss definition in
 * sched.c): budget per period, shorter period = higher priority, equal
 * periods by list (insertion) order.
 */
#include "core/sched_policy.h"

static bool sched_rm_valid(const struct sched_entity *se)
{
	return se->cls == SCHED_RM && se->period && se->budget;
}

/* a preempts b: shorter period, or equal period and earlier in the list */
static bool sched_rm_before(struct sched_rq *rq, struct sched_entity *a,
			    struct sched_entity *b)
{
	struct sched_entity *se;

	if (a->period != b->period)
		return a->period < b->period;
	for (se = rq->head; se; se = se->next) {
		if (se == a)
			return se != b;
		if (se == b)
			return false;
	}
	return false;
}

/*
 * Close every period that ended at or before now, with the runnable state
 * the entity had since the scheduler last saw it.
 */
static void sched_rm_update(struct sched_entity *se, u64 now)
{
	u64 k;

	if (!se->period || now < se->period_start ||
	    now - se->period_start < se->period)
		return;
	k = (now - se->period_start) / se->period;
	if (se->runnable && se->budget) {
		if (se->used < se->budget)
			se->deadline_misses++;
		se->deadline_misses += k - 1; /* never ran in these */
	}
	se->period_start += k * se->period;
	se->used = 0;
}

static void sched_rm_charge(struct sched_rq *rq, struct sched_entity *se,
			    u64 from, u64 to)
{
	u64 end, k;

	(void)rq;
	if (!se->period)
		return;
	sched_rm_update(se, from);
	if (to <= se->period_start)
		return;
	if (from < se->period_start)
		from = se->period_start;
	end = se->period_start + se->period;
	if (to < end) {
		se->used += to - from;
		return;
	}
	/* The rest of this period, whole periods run through, then a part */
	se->used += end - from;
	sched_rm_update(se, end);
	k = (to - end) / se->period;
	if (se->budget > se->period)
		se->deadline_misses += k;
	se->period_start += k * se->period;
	se->used = to - se->period_start;
}

/* The job of this period is done: nothing left to miss until the next */
static void sched_rm_yield(struct sched_rq *rq, struct sched_entity *se)
{
	(void)rq;
	if (se->used < se->budget)
		se->used = se->budget;
}

static struct sched_entity *sched_rm_pick(struct sched_rq *rq)
{
	struct sched_entity *se, *best = NULL;

	for (se = rq->head; se; se = se->next) {
		if (!sched_rm_valid(se) || !se->runnable ||
		    se->used >= se->budget)
			continue;
		if (!best || se->period < best->period)
			best = se;
	}
	return best;
}

/* cur's budget end; replenishments of entities that would preempt cur */
static u64 sched_rm_next_event(struct sched_rq *rq, u64 now)
{
	struct sched_entity *cur = rq->cur, *se;
	bool cur_rm = cur && cur->cls == SCHED_RM;
	u64 ev = SCHED_NEVER;

	if (cur_rm && sched_rm_valid(cur))
		ev = cur->used < cur->budget
			     ? sched_add_sat(now, cur->budget - cur->used)
			     : now;
	for (se = rq->head; se; se = se->next) {
		if (!sched_rm_valid(se) || !se->runnable ||
		    se->used < se->budget)
			continue;
		if (cur_rm && se != cur && !sched_rm_before(rq, se, cur))
			continue;
		ev = sched_min(ev, sched_add_sat(se->period_start, se->period));
	}
	return ev;
}

const struct sched_policy sched_rm_policy = {
	.cls = SCHED_RM,
	.charge = sched_rm_charge,
	.update = sched_rm_update,
	.wake = NULL, /* update() already aligned the period */
	.yield = sched_rm_yield,
	.pick = sched_rm_pick,
	.next_event = sched_rm_next_event,
};
