// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fixed-priority round-robin class (semantics in sched.c): the highest
 * priority runnable entity, the first of its priority in list order; the
 * list tail is the back of every priority level.
 */
#include "core/sched_policy.h"

static void sched_rr_charge(struct sched_rq *rq, struct sched_entity *se,
			    u64 from, u64 to)
{
	se->used += to - from;
	if (se->slice && se->used >= se->slice) {
		se->used = 0;
		sched_requeue_tail(rq, se);
	}
}

static void sched_rr_wake(struct sched_rq *rq, struct sched_entity *se)
{
	se->used = 0;
	sched_requeue_tail(rq, se);
}

static void sched_rr_yield(struct sched_rq *rq, struct sched_entity *se)
{
	se->used = 0;
	sched_requeue_tail(rq, se);
}

static struct sched_entity *sched_rr_pick(struct sched_rq *rq)
{
	struct sched_entity *se, *best = NULL;

	for (se = rq->head; se; se = se->next) {
		if (se->cls != SCHED_RR || !se->runnable)
			continue;
		if (!best || se->priority > best->priority)
			best = se;
	}
	return best;
}

/* End of cur's slice, if someone of its priority is waiting for it */
static u64 sched_rr_next_event(struct sched_rq *rq, u64 now)
{
	struct sched_entity *cur = rq->cur, *se;

	if (!cur || cur->cls != SCHED_RR || !cur->slice)
		return SCHED_NEVER;
	for (se = rq->head; se; se = se->next) {
		if (se == cur || se->cls != SCHED_RR || !se->runnable ||
		    se->priority < cur->priority)
			continue;
		if (cur->used >= cur->slice)
			return now;
		return sched_add_sat(now, cur->slice - cur->used);
	}
	return SCHED_NEVER;
}

const struct sched_policy sched_rr_policy = {
	.cls = SCHED_RR,
	.charge = sched_rr_charge,
	.update = NULL, /* no time-driven state */
	.wake = sched_rr_wake,
	.yield = sched_rr_yield,
	.pick = sched_rr_pick,
	.next_event = sched_rr_next_event,
};
