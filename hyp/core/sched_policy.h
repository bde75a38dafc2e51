/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal to the scheduler (sched.c, sched_rr.c, sched_rm.c): one ops
 * table per scheduling class. The core keeps the run queue list, charges
 * the running entity and asks the classes, in precedence order (RM, then
 * RR), whom to run and when to look again. See sched.c for the semantics.
 */
#ifndef HYP_SCHED_POLICY_H
#define HYP_SCHED_POLICY_H

#include "core/sched.h"

#define SCHED_NEVER (~0ULL)

struct sched_policy {
	enum sched_class cls;
	/* se (the running entity) ran during [from, to), from < to */
	void (*charge)(struct sched_rq *rq, struct sched_entity *se, u64 from,
		       u64 to);
	/* Bring time-driven state (periods) up to now; may be NULL */
	void (*update)(struct sched_entity *se, u64 now);
	/* se has just become runnable; may be NULL */
	void (*wake)(struct sched_rq *rq, struct sched_entity *se);
	/* se, the running entity, gives up the rest of its turn */
	void (*yield)(struct sched_rq *rq, struct sched_entity *se);
	/* The entity of this class that should run now, or NULL */
	struct sched_entity *(*pick)(struct sched_rq *rq);
	/* When this class needs a pick while rq->cur runs; SCHED_NEVER */
	u64 (*next_event)(struct sched_rq *rq, u64 now);
};

extern const struct sched_policy sched_rr_policy;
extern const struct sched_policy sched_rm_policy;

/* Move se (queued on rq) to the tail of rq's list */
void sched_requeue_tail(struct sched_rq *rq, struct sched_entity *se);

static inline u64 sched_add_sat(u64 a, u64 b)
{
	return a + b < a ? SCHED_NEVER : a + b;
}

static inline u64 sched_min(u64 a, u64 b)
{
	return a < b ? a : b;
}

#endif
