/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Per-hart scheduling of vCPUs and hypervisor threads behind one
 * policy interface: fixed-priority round-robin with time slices, and
 * rate-monotonic with period and budget. Pure logic over a clock in
 * timebase ticks, unit-tested on the host; the caller programs the timer
 * for sched_next_event() and calls back on every event.
 */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H

#include "base/types.h"

struct sched_rq;

enum sched_class { SCHED_RR, SCHED_RM };
/* What an entity runs: the caller's business, the policies ignore it */
enum sched_kind { SCHED_VCPU, SCHED_THREAD };

/* One schedulable entity (a vCPU or a thread); embedded in its owner */
struct sched_entity {
	enum sched_class cls;
	enum sched_kind kind;
	u32 priority;	    /* RR: higher first; RM: derived from period */
	u64 slice;	    /* RR: ticks per turn */
	u64 period, budget; /* RM: ticks */
	/* state kept by the scheduler */
	bool runnable; /* wants the CPU (not stopped, not blocked) */
	bool queued;
	u64 used;	  /* RR: ticks used of this turn; RM: of this period */
	u64 period_start; /* RM: start of the current period */
	u64 deadline_misses;	   /* RM: periods ended with work left */
	u64 runtime;		   /* total ticks run */
	unsigned long affinity;	   /* bit per hart it may move to; 0: pinned */
	struct sched_entity *next; /* run-queue link */
	void *owner;
};

struct sched_rq {
	struct sched_entity *head; /* all entities homed on this hart */
	struct sched_entity *cur;  /* running now, or NULL (idle) */
	u64 cur_since;		   /* when cur was picked */
};

void sched_rq_init(struct sched_rq *rq);
/* Home an entity on this run queue (not runnable until woken) */
void sched_add(struct sched_rq *rq, struct sched_entity *se, u64 now);
void sched_remove(struct sched_rq *rq, struct sched_entity *se, u64 now);
/* Becomes runnable (start, wake from WFI/suspend) or not (stop, block) */
void sched_wake(struct sched_rq *rq, struct sched_entity *se, u64 now);
void sched_block(struct sched_rq *rq, struct sched_entity *se, u64 now);
/* The running entity gives up the rest of its turn (guest WFI yield) */
void sched_yield_turn(struct sched_rq *rq, u64 now);
/*
 * Account cur's time up to now and choose who runs next (NULL: idle).
 * RM entities before RR ones; among RM, the shortest period with budget
 * left this period; an RM entity out of budget waits for its next period.
 * Among RR, the highest priority, round-robin within a priority when a
 * slice is used up.
 */
struct sched_entity *sched_pick(struct sched_rq *rq, u64 now);
/*
 * When the scheduler must run again if nothing else happens: the end of
 * cur's slice or budget, or the next period start of an RM entity that
 * would preempt; -1 (all ones) when no event is due.
 */
u64 sched_next_event(struct sched_rq *rq, u64 now);
/*
 * Migration support (migrate.c): the harts that could take over an
 * entity that is runnable but not running here (union of their
 * affinities), and the first such entity that may run on hart `to`.
 */
unsigned long sched_waiting_mask(struct sched_rq *rq);
struct sched_entity *sched_migrant(struct sched_rq *rq, unsigned long to);

#endif
