// SPDX-License-Identifier: BSD-2-Clause
/*
 * Scheduler: RR order, priorities, slices, yield, block/wake; RM budgets,
 * periods, preemption of RR, ordering, deadline misses; simulations that
 * drive it like the hypervisor does (pick, sleep until next_event or an
 * external interrupt, repeat).
 */
#include "unit.h"
#include <string.h>
#include "../../hyp/core/sched.h"

#define NEVER (~0ULL)
#define MS 10000ULL /* ticks per millisecond (10 MHz timebase) */

static struct sched_rq rq;
static struct sched_entity e[4];
static struct sched_entity *A = &e[0], *B = &e[1], *C = &e[2], *D = &e[3];

static int setup(void **state)
{
	(void)state;
	memset(e, 0, sizeof(e));
	memset(&rq, 0xa5, sizeof(rq));
	sched_rq_init(&rq);
	return 0;
}

static void rr(struct sched_entity *se, u32 prio, u64 slice, u64 now)
{
	se->cls = SCHED_RR;
	se->priority = prio;
	se->slice = slice;
	sched_add(&rq, se, now);
	sched_wake(&rq, se, now);
}

static void rm(struct sched_entity *se, u64 period, u64 budget, u64 now)
{
	se->cls = SCHED_RM;
	se->period = period;
	se->budget = budget;
	sched_add(&rq, se, now);
	sched_wake(&rq, se, now);
}

static int rq_len(void)
{
	struct sched_entity *se;
	int n = 0;

	for (se = rq.head; se; se = se->next)
		n++;
	return n;
}

static void test_empty_and_null(void **state)
{
	(void)state;
	assert_null(sched_pick(&rq, 0));
	assert_true(sched_next_event(&rq, 0) == NEVER);
	sched_yield_turn(&rq, 5);
	/* not queued: ignored */
	A->cls = SCHED_RR;
	sched_wake(&rq, A, 1);
	assert_false(A->runnable);
	sched_block(&rq, A, 1);
	sched_remove(&rq, A, 1);
	assert_null(rq.head);
	/* double add, double wake, double block */
	rr(A, 1, 10, 2);
	sched_add(&rq, A, 2);
	assert_int_equal(rq_len(), 1);
	sched_wake(&rq, A, 3);
	assert_true(A->runnable);
	assert_ptr_equal(sched_pick(&rq, 3), A);
	sched_block(&rq, A, 4);
	sched_block(&rq, A, 5);
	assert_false(A->runnable);
	assert_null(rq.cur);
	assert_int_equal(A->runtime, 1);
	assert_null(sched_pick(&rq, 6));
	assert_true(sched_next_event(&rq, 6) == NEVER);
	/* remove twice; re-add */
	sched_remove(&rq, A, 7);
	sched_remove(&rq, A, 7);
	assert_false(A->queued);
	assert_null(rq.head);
	rr(A, 1, 10, 8);
	assert_ptr_equal(sched_pick(&rq, 8), A);
	/* removing the running entity charges it and idles */
	sched_remove(&rq, A, 10);
	assert_null(rq.cur);
	assert_int_equal(A->runtime, 3);
	assert_null(sched_pick(&rq, 11));
	/* time going backwards charges nothing */
	rr(B, 1, 10, 20);
	assert_ptr_equal(sched_pick(&rq, 20), B);
	assert_ptr_equal(sched_pick(&rq, 15), B);
	assert_int_equal(B->runtime, 0);
	assert_ptr_equal(sched_pick(&rq, 22), B);
	assert_int_equal(B->runtime, 2);
}

/* Only waiting (runnable, not running) RR entities are offered to move */
static void test_migrant(void **state)
{
	struct sched_rq other;

	(void)state;
	assert_int_equal(sched_waiting_mask(&rq), 0);
	assert_null(sched_migrant(&rq, 1));
	rr(A, 1, 10, 0);
	rr(B, 1, 10, 0);
	rr(C, 1, 10, 0);
	rm(D, 100, 10, 0);
	A->affinity = 0x3;
	B->affinity = 0x5;
	C->affinity = 0;   /* pinned */
	D->affinity = 0x3; /* RM: partitioned, never offered */
	assert_ptr_equal(sched_pick(&rq, 0), D);
	assert_int_equal(sched_waiting_mask(&rq), 0x7);
	assert_ptr_equal(sched_migrant(&rq, 1), A);
	assert_ptr_equal(sched_migrant(&rq, 2), B);
	assert_null(sched_migrant(&rq, 3));
	assert_null(sched_migrant(&rq, 64));
	/* the running entity stays */
	sched_block(&rq, D, 1);
	assert_ptr_equal(sched_pick(&rq, 1), A);
	assert_int_equal(sched_waiting_mask(&rq), 0x5);
	assert_null(sched_migrant(&rq, 1));
	assert_ptr_equal(sched_migrant(&rq, 0), B);
	/* blocked entities stay */
	sched_block(&rq, B, 2);
	assert_int_equal(sched_waiting_mask(&rq), 0);
	/* moving: remove here, add and wake there; runtime goes along */
	sched_wake(&rq, B, 3);
	assert_ptr_equal(sched_migrant(&rq, 2), B);
	sched_remove(&rq, B, 3);
	sched_rq_init(&other);
	sched_add(&other, B, 3);
	sched_wake(&other, B, 3);
	assert_ptr_equal(sched_pick(&other, 3), B);
	assert_ptr_equal(sched_pick(&other, 5), B);
	assert_int_equal(B->runtime, 2);
	assert_null(sched_migrant(&rq, 2));
	assert_ptr_equal(sched_pick(&rq, 5), A);
}

static void test_rr_round_robin(void **state)
{
	(void)state;
	rr(A, 1, 10, 0);
	rr(B, 1, 10, 0);
	rr(C, 1, 10, 0);
	assert_ptr_equal(sched_pick(&rq, 0), A);
	/* picks before the slice ends keep the running entity */
	assert_ptr_equal(sched_pick(&rq, 4), A);
	assert_int_equal(sched_next_event(&rq, 4), 10);
	assert_ptr_equal(sched_pick(&rq, 10), B);
	assert_int_equal(A->used, 0);
	assert_int_equal(sched_next_event(&rq, 10), 20);
	assert_ptr_equal(sched_pick(&rq, 20), C);
	assert_ptr_equal(sched_pick(&rq, 30), A);
	assert_ptr_equal(sched_pick(&rq, 40), B);
	assert_int_equal(A->runtime, 20);
	assert_int_equal(B->runtime, 10);
	assert_int_equal(C->runtime, 10);
}

static void test_rr_priority(void **state)
{
	(void)state;
	rr(A, 1, 10, 0);
	rr(C, 1, 10, 0);
	B->cls = SCHED_RR;
	B->priority = 2;
	B->slice = 10;
	sched_add(&rq, B, 0);
	assert_ptr_equal(sched_pick(&rq, 0), A);
	/* a higher priority wakes: a reschedule is due at once */
	sched_wake(&rq, B, 4);
	assert_int_equal(sched_next_event(&rq, 4), 4);
	assert_ptr_equal(sched_pick(&rq, 4), B);
	/* B alone at its level: no slice event although lower ones wait */
	assert_true(sched_next_event(&rq, 4) == NEVER);
	assert_ptr_equal(sched_pick(&rq, 50), B);
	sched_block(&rq, B, 60);
	/* A resumes the rest of its slice, before C */
	assert_ptr_equal(sched_pick(&rq, 60), A);
	assert_int_equal(A->used, 4);
	assert_int_equal(sched_next_event(&rq, 60), 66);
	assert_ptr_equal(sched_pick(&rq, 66), C);
	assert_int_equal(A->runtime, 10);
	assert_int_equal(B->runtime, 56);
}

static void test_rr_slice_next_event(void **state)
{
	(void)state;
	rr(A, 1, 10, 0);
	assert_ptr_equal(sched_pick(&rq, 0), A);
	/* alone: no need to preempt */
	assert_true(sched_next_event(&rq, 0) == NEVER);
	/* a lower priority does not need A's slice end either */
	rr(B, 0, 10, 3);
	assert_true(sched_next_event(&rq, 3) == NEVER);
	/* running alone for long wraps the turn: used restarts */
	assert_ptr_equal(sched_pick(&rq, 25), A);
	assert_int_equal(A->used, 0);
	rr(C, 1, 10, 27);
	assert_ptr_equal(sched_pick(&rq, 27), A);
	assert_int_equal(sched_next_event(&rq, 27), 35);
	/* next_event accounts: asked late, the event is due now */
	assert_int_equal(sched_next_event(&rq, 40), 40);
	assert_ptr_equal(sched_pick(&rq, 40), C);
	assert_int_equal(A->runtime, 40);
	/* slice 0: no time slice */
	C->slice = 0;
	assert_true(sched_next_event(&rq, 41) == NEVER);
	assert_ptr_equal(sched_pick(&rq, 1000), C);
}

static void test_rr_yield(void **state)
{
	(void)state;
	rr(A, 1, 10, 0);
	rr(B, 1, 10, 0);
	assert_ptr_equal(sched_pick(&rq, 0), A);
	sched_yield_turn(&rq, 3);
	assert_null(rq.cur);
	assert_int_equal(A->runtime, 3);
	assert_int_equal(A->used, 0);
	assert_ptr_equal(sched_pick(&rq, 3), B);
	assert_int_equal(sched_next_event(&rq, 3), 13);
	assert_ptr_equal(sched_pick(&rq, 13), A);
	assert_int_equal(sched_next_event(&rq, 13), 23);
	/* yielding alone runs again */
	sched_block(&rq, B, 14);
	assert_ptr_equal(sched_pick(&rq, 14), A);
	sched_yield_turn(&rq, 15);
	assert_ptr_equal(sched_pick(&rq, 15), A);
	assert_int_equal(A->runtime, 5);
}

static void test_block_wake(void **state)
{
	(void)state;
	rr(A, 1, 10, 0);
	rr(B, 1, 10, 0);
	rr(C, 1, 10, 0);
	assert_ptr_equal(sched_pick(&rq, 0), A);
	/* blocking the running entity: it is charged and not picked */
	sched_block(&rq, A, 2);
	assert_null(rq.cur);
	assert_int_equal(A->runtime, 2);
	assert_ptr_equal(sched_pick(&rq, 2), B);
	/* a woken entity goes to the back, with a fresh turn */
	sched_wake(&rq, A, 3);
	assert_int_equal(A->used, 0);
	assert_ptr_equal(sched_pick(&rq, 3), B);
	assert_ptr_equal(sched_pick(&rq, 12), C);
	assert_ptr_equal(sched_pick(&rq, 22), A);
	/* double wake does not reorder */
	sched_wake(&rq, B, 23);
	assert_ptr_equal(sched_pick(&rq, 32), B);
	/* everyone blocked: idle, no event */
	sched_block(&rq, A, 33);
	sched_block(&rq, B, 33);
	sched_block(&rq, C, 33);
	assert_null(sched_pick(&rq, 33));
	assert_true(sched_next_event(&rq, 33) == NEVER);
	/* idle time is charged to no one */
	sched_wake(&rq, C, 50);
	assert_int_equal(sched_next_event(&rq, 50), 50);
	assert_ptr_equal(sched_pick(&rq, 50), C);
	assert_int_equal(A->runtime + B->runtime + C->runtime, 33);
}

static void test_rm_budget_replenish(void **state)
{
	(void)state;
	rm(A, 100, 30, 0);
	assert_ptr_equal(sched_pick(&rq, 0), A);
	assert_int_equal(sched_next_event(&rq, 0), 30);
	assert_ptr_equal(sched_pick(&rq, 10), A);
	assert_int_equal(sched_next_event(&rq, 10), 30);
	/* out of budget: idle until its next period */
	assert_null(sched_pick(&rq, 30));
	assert_int_equal(A->used, 30);
	assert_int_equal(sched_next_event(&rq, 30), 100);
	assert_ptr_equal(sched_pick(&rq, 100), A);
	assert_int_equal(A->period_start, 100);
	assert_int_equal(A->used, 0);
	assert_int_equal(sched_next_event(&rq, 100), 130);
	assert_null(sched_pick(&rq, 130));
	assert_ptr_equal(sched_pick(&rq, 200), A);
	assert_int_equal(A->runtime, 60);
	assert_int_equal(A->deadline_misses, 0);
	/* period or budget 0: never picked, no events */
	sched_remove(&rq, A, 200);
	rm(B, 0, 10, 200);
	rm(C, 100, 0, 200);
	assert_null(sched_pick(&rq, 200));
	assert_true(sched_next_event(&rq, 200) == NEVER);
	assert_null(sched_pick(&rq, 1000));
	assert_int_equal(C->deadline_misses, 0);
}

static void test_rm_preempts_rr(void **state)
{
	(void)state;
	rr(A, 1000, 10, 0);
	A->slice = 0;
	B->cls = SCHED_RM;
	B->period = 100;
	B->budget = 20;
	sched_add(&rq, B, 0);
	assert_ptr_equal(sched_pick(&rq, 0), A);
	assert_true(sched_next_event(&rq, 0) == NEVER);
	/* woken mid-period: the period aligned to its start stays */
	sched_wake(&rq, B, 50);
	assert_int_equal(B->period_start, 0);
	assert_int_equal(sched_next_event(&rq, 50), 50);
	assert_ptr_equal(sched_pick(&rq, 50), B);
	assert_int_equal(sched_next_event(&rq, 50), 70);
	assert_ptr_equal(sched_pick(&rq, 70), A);
	/* B out of budget but runnable: its replenishment preempts A */
	assert_int_equal(sched_next_event(&rq, 70), 100);
	assert_ptr_equal(sched_pick(&rq, 100), B);
	assert_ptr_equal(sched_pick(&rq, 120), A);
	assert_int_equal(A->runtime, 80);
	assert_int_equal(B->runtime, 40);
	assert_int_equal(B->deadline_misses, 0);
	/* a blocked RM entity sets no event */
	sched_block(&rq, B, 130);
	assert_true(sched_next_event(&rq, 130) == NEVER);
}

static void test_rm_order_by_period(void **state)
{
	(void)state;
	rm(A, 200, 20, 0);
	rm(B, 100, 10, 0);
	rm(C, 100, 10, 0); /* same period as B, added later */
	assert_ptr_equal(sched_pick(&rq, 0), B);
	assert_int_equal(sched_next_event(&rq, 0), 10);
	assert_ptr_equal(sched_pick(&rq, 10), C);
	assert_int_equal(sched_next_event(&rq, 10), 20);
	assert_ptr_equal(sched_pick(&rq, 20), A);
	assert_int_equal(sched_next_event(&rq, 20), 40);
	assert_null(sched_pick(&rq, 40));
	assert_int_equal(sched_next_event(&rq, 40), 100);
	assert_ptr_equal(sched_pick(&rq, 100), B);
	assert_ptr_equal(sched_pick(&rq, 110), C);
	/* A is out of budget until 200 */
	assert_null(sched_pick(&rq, 120));
	assert_int_equal(sched_next_event(&rq, 120), 200);
	assert_ptr_equal(sched_pick(&rq, 200), B);
	assert_ptr_equal(sched_pick(&rq, 210), C);
	assert_ptr_equal(sched_pick(&rq, 220), A);
	assert_int_equal(A->runtime, 20);
	assert_int_equal(B->runtime, 30);
	assert_int_equal(C->runtime, 30);
	assert_int_equal(A->deadline_misses + B->deadline_misses +
				 C->deadline_misses,
			 0);
}

static void test_rm_next_event_preemptors(void **state)
{
	(void)state;
	rm(A, 100, 50, 0);
	rm(B, 30, 10, 0);
	assert_ptr_equal(sched_pick(&rq, 0), B);
	assert_ptr_equal(sched_pick(&rq, 10), A);
	/* A's budget ends at 60, but B's next period (30) preempts A */
	assert_int_equal(sched_next_event(&rq, 10), 30);
	assert_ptr_equal(sched_pick(&rq, 30), B);
	/* B runs: A (lower priority, budget left) sets no event */
	assert_int_equal(sched_next_event(&rq, 30), 40);
	sched_yield_turn(&rq, 35);
	assert_ptr_equal(sched_pick(&rq, 35), A);
	assert_int_equal(B->used, 10);
	assert_int_equal(sched_next_event(&rq, 35), 60);
	assert_ptr_equal(sched_pick(&rq, 60), B);
	assert_int_equal(B->deadline_misses, 0);

	/* equal periods: the earlier entity's replenishment preempts */
	setup(NULL);
	rm(B, 100, 10, 0);
	rm(C, 100, 95, 0);
	assert_ptr_equal(sched_pick(&rq, 0), B);
	assert_ptr_equal(sched_pick(&rq, 10), C);
	assert_int_equal(sched_next_event(&rq, 10), 100);
	assert_ptr_equal(sched_pick(&rq, 100), B);
	assert_int_equal(C->deadline_misses, 1); /* 90 of 95 */
	/* ... the later one's does not */
	setup(NULL);
	rm(C, 100, 95, 0);
	rm(B, 100, 10, 0);
	assert_ptr_equal(sched_pick(&rq, 0), C);
	assert_ptr_equal(sched_pick(&rq, 95), B);
	assert_ptr_equal(sched_pick(&rq, 100), C);
	assert_int_equal(B->deadline_misses, 1); /* 5 of 10 */
	assert_int_equal(sched_next_event(&rq, 100), 195);
}

static void test_rm_wake_aligns(void **state)
{
	(void)state;
	A->cls = SCHED_RM;
	A->period = 100;
	A->budget = 10;
	sched_add(&rq, A, 0);
	sched_wake(&rq, A, 350);
	assert_int_equal(A->period_start, 300);
	assert_int_equal(A->used, 0);
	assert_int_equal(A->deadline_misses, 0);
	assert_ptr_equal(sched_pick(&rq, 350), A);
	sched_block(&rq, A, 355);
	/* woken in the same period: the rest of the budget */
	sched_wake(&rq, A, 380);
	assert_int_equal(A->period_start, 300);
	assert_int_equal(A->used, 5);
	assert_ptr_equal(sched_pick(&rq, 380), A);
	assert_int_equal(sched_next_event(&rq, 380), 385);
	assert_null(sched_pick(&rq, 385));
	/* double wake keeps the state */
	sched_wake(&rq, A, 390);
	assert_int_equal(A->used, 10);
	assert_int_equal(sched_next_event(&rq, 390), 400);
	assert_int_equal(A->deadline_misses, 0);
}

static void test_rm_deadline_miss(void **state)
{
	(void)state;
	/* B (period 10, budget 10) starves A while runnable */
	rm(A, 100, 30, 0);
	rm(B, 10, 10, 0);
	sched_block(&rq, B, 0);
	assert_ptr_equal(sched_pick(&rq, 0), A);
	/* blocked at the period end with work left: no miss */
	sched_block(&rq, A, 20);
	assert_null(sched_pick(&rq, 20));
	assert_null(sched_pick(&rq, 150));
	assert_int_equal(A->deadline_misses, 0);
	/* runnable and preempted at the end of its period: one miss */
	sched_wake(&rq, A, 150);
	assert_ptr_equal(sched_pick(&rq, 150), A);
	sched_wake(&rq, B, 160);
	assert_ptr_equal(sched_pick(&rq, 160), B);
	assert_ptr_equal(sched_pick(&rq, 199), B);
	assert_int_equal(A->deadline_misses, 0);
	assert_ptr_equal(sched_pick(&rq, 200), B);
	assert_int_equal(A->deadline_misses, 1);
	/* starved through whole periods: one miss each */
	assert_ptr_equal(sched_pick(&rq, 450), B);
	assert_int_equal(A->deadline_misses, 3);
	assert_int_equal(A->period_start, 400);
	assert_int_equal(B->deadline_misses, 0);
	/* gets its budget: no miss */
	sched_block(&rq, B, 450);
	assert_ptr_equal(sched_pick(&rq, 450), A);
	assert_null(sched_pick(&rq, 480));
	assert_ptr_equal(sched_pick(&rq, 500), A);
	assert_int_equal(A->deadline_misses, 3);
	/* yields (job done) with budget left: no miss */
	sched_yield_turn(&rq, 505);
	assert_null(sched_pick(&rq, 505));
	assert_int_equal(sched_next_event(&rq, 505), 600);
	assert_ptr_equal(sched_pick(&rq, 600), A);
	assert_int_equal(A->deadline_misses, 3);
	/* blocked exactly at the period end, work left: that is a miss */
	sched_wake(&rq, B, 620);
	assert_ptr_equal(sched_pick(&rq, 620), B);
	sched_block(&rq, A, 700);
	assert_int_equal(A->deadline_misses, 4);
	assert_int_equal(A->runtime, 20 + 10 + 30 + 5 + 20);
	/* removed while runnable: misses up to removal are counted */
	sched_wake(&rq, A, 700);
	sched_remove(&rq, A, 900);
	assert_int_equal(A->deadline_misses, 6);
	assert_false(A->runnable);
	sched_add(&rq, A, 900);
	assert_int_equal(A->period_start, 900);
	assert_int_equal(A->deadline_misses, 6);
	assert_false(A->runnable);
}

static void test_rm_charge_across_periods(void **state)
{
	(void)state;
	/* the caller was late: time split at the period ends */
	A->cls = SCHED_RM;
	A->period = 100;
	A->budget = 30;
	sched_add(&rq, A, 0);
	sched_wake(&rq, A, 90);
	assert_ptr_equal(sched_pick(&rq, 90), A);
	assert_null(sched_pick(&rq, 150));
	assert_int_equal(A->deadline_misses, 1); /* only 10 in [0,100) */
	assert_int_equal(A->used, 50);
	assert_int_equal(A->period_start, 100);
	assert_ptr_equal(sched_pick(&rq, 290), A);
	/* ran through [300,400) entirely: no miss there */
	assert_ptr_equal(sched_pick(&rq, 420), A);
	assert_int_equal(A->deadline_misses, 2); /* 10 in [200,300) */
	assert_int_equal(A->period_start, 400);
	assert_int_equal(A->used, 20);
	assert_int_equal(A->runtime, 60 + 130);
	assert_int_equal(sched_next_event(&rq, 420), 430);
}

/* ---- simulations ---- */

static u64 sim_idle;
static unsigned int sim_steps;

/*
 * Run like the hypervisor: pick, then sleep until the next scheduler
 * event or an external interrupt (every ext ticks), which also picks.
 */
static void sim(u64 now, u64 end, u64 ext,
		void (*check)(u64 now, struct sched_entity *cur))
{
	u64 next_ext = ext ? now + ext : NEVER, ev, next;
	struct sched_entity *cur;

	sim_idle = 0;
	sim_steps = 0;
	while (now < end) {
		cur = sched_pick(&rq, now);
		if (check)
			check(now, cur);
		ev = sched_next_event(&rq, now);
		assert_true(ev > now); /* consistent with the pick */
		next = ev < next_ext ? ev : next_ext;
		if (next > end)
			next = end;
		if (next == next_ext)
			next_ext += ext;
		if (!cur)
			sim_idle += next - now;
		now = next;
		sim_steps++;
	}
	cur = sched_pick(&rq, now);
	if (check)
		check(now, cur);
}

#define RM_P (10 * MS)
#define RM_B (2 * MS)
static unsigned int sim_boundaries;

static void check_rm_hog(u64 now, struct sched_entity *cur)
{
	u64 k = now / RM_P, x = now % RM_P;

	/* A (RM) has had exactly its budget in every period so far */
	assert_int_equal(A->runtime, k * RM_B + (x < RM_B ? x : RM_B));
	assert_int_equal(B->runtime, now - A->runtime);
	assert_ptr_equal(cur, x < RM_B ? A : B);
	if (!x)
		sim_boundaries++;
}

static void test_sim_rm_and_hog(void **state)
{
	(void)state;
	rm(A, RM_P, RM_B, 0);
	rr(B, 5, 5 * MS, 0); /* CPU hog */
	sim_boundaries = 0;
	sim(0, 1000 * MS, 33 * MS / 10, check_rm_hog);
	assert_int_equal(sim_boundaries, 101); /* 0, 10 ms, ..., 1 s */
	assert_int_equal(A->runtime, 100 * RM_B);
	assert_int_equal(B->runtime, 1000 * MS - 100 * RM_B);
	assert_int_equal(A->deadline_misses, 0);
	assert_int_equal(sim_idle, 0);
	assert_true(sim_steps < 600); /* ~200 scheduler + 303 external */
}

static void check_rr_fair(u64 now, struct sched_entity *cur)
{
	u64 a = A->runtime, b = B->runtime;

	assert_true((a > b ? a - b : b - a) <= MS);
	assert_int_equal(a + b, now);
	assert_int_equal(C->runtime, 0);
	assert_true(cur == A || cur == B);
}

static void test_sim_rr_fair(void **state)
{
	(void)state;
	rr(A, 3, MS, 0);
	rr(B, 3, MS, 0);
	rr(C, 2, MS, 0);
	sim(0, 1000 * MS, 7 * MS / 10, check_rr_fair);
	assert_int_equal(A->runtime, 500 * MS);
	assert_int_equal(B->runtime, 500 * MS);
	assert_int_equal(sim_idle, 0);
}

static void test_sim_rm_overload(void **state)
{
	(void)state;
	/* U = 6/10 + 10/20 = 1.1: the shorter period always wins */
	rm(A, 10 * MS, 6 * MS, 0);
	rm(B, 20 * MS, 10 * MS, 0);
	rr(C, 100, MS, 0);
	sim(0, 1000 * MS, 0, NULL);
	assert_int_equal(A->runtime, 600 * MS);
	assert_int_equal(A->deadline_misses, 0);
	/* B gets 8 of its 10 ms in every one of its 50 periods */
	assert_int_equal(B->runtime, 400 * MS);
	assert_int_equal(B->deadline_misses, 50);
	assert_int_equal(C->runtime, 0);
	assert_int_equal(sim_idle, 0);
}

static void test_sim_rm_underload(void **state)
{
	(void)state;
	/* U = 0.7, harmonic periods: schedulable, the rest goes to RR */
	rm(A, 10 * MS, 2 * MS, 0);
	rm(B, 20 * MS, 5 * MS, 0);
	rm(D, 40 * MS, 10 * MS, 0);
	rr(C, 1, MS, 0);
	sim(0, 1000 * MS, 13 * MS / 10, NULL);
	assert_int_equal(A->runtime, 200 * MS);
	assert_int_equal(B->runtime, 250 * MS);
	assert_int_equal(D->runtime, 250 * MS);
	assert_int_equal(C->runtime, 300 * MS);
	assert_int_equal(A->deadline_misses + B->deadline_misses +
				 D->deadline_misses,
			 0);
}

/* Random wakes, blocks, yields and interrupts: invariants hold */
static void test_random_ops(void **state)
{
	u64 now = 0, last = 0, idle = 0, ev, sum;
	unsigned int seed = 12345, i, r;
	struct sched_entity *cur = NULL, *se;

	(void)state;
	rm(A, 10 * MS, 3 * MS, 0);
	rm(B, 25 * MS, 5 * MS, 0);
	rr(C, 1, 2 * MS, 0);
	rr(D, 1, MS, 0);
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		r = seed >> 16;
		se = &e[r % 4];
		switch ((r >> 2) % 5) {
		case 0:
			sched_block(&rq, se, now);
			break;
		case 1:
		case 2:
			sched_wake(&rq, se, now);
			break;
		case 3:
			sched_yield_turn(&rq, now);
			break;
		default:
			break;
		}
		if (!cur)
			idle += now - last;
		cur = sched_pick(&rq, now);
		last = now;
		sum = A->runtime + B->runtime + C->runtime + D->runtime;
		assert_int_equal(sum + idle, now);
		for (se = e; se < e + 4; se++) {
			if (!se->runnable || se == cur)
				continue;
			/* nobody eligible is passed over */
			if (se->cls == SCHED_RM)
				assert_true(se->used >= se->budget ||
					    (cur && cur->cls == SCHED_RM &&
					     cur->period <= se->period));
			else
				assert_true(cur &&
					    (cur->cls == SCHED_RM ||
					     cur->priority >= se->priority));
		}
		assert_true(!cur || cur->runnable);
		ev = sched_next_event(&rq, now);
		assert_true(ev > now);
		/* sleep until the event or an interrupt, whichever first */
		seed = seed * 1103515245 + 12345;
		r = (seed >> 16) % (4 * MS);
		now = ev - now < r ? ev : now + r;
	}
	assert_true(A->deadline_misses + B->deadline_misses > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty_and_null, setup),
		cmocka_unit_test_setup(test_rr_round_robin, setup),
		cmocka_unit_test_setup(test_rr_priority, setup),
		cmocka_unit_test_setup(test_rr_slice_next_event, setup),
		cmocka_unit_test_setup(test_rr_yield, setup),
		cmocka_unit_test_setup(test_block_wake, setup),
		cmocka_unit_test_setup(test_rm_budget_replenish, setup),
		cmocka_unit_test_setup(test_rm_preempts_rr, setup),
		cmocka_unit_test_setup(test_rm_order_by_period, setup),
		cmocka_unit_test_setup(test_rm_next_event_preemptors, setup),
		cmocka_unit_test_setup(test_rm_wake_aligns, setup),
		cmocka_unit_test_setup(test_rm_deadline_miss, setup),
		cmocka_unit_test_setup(test_rm_charge_across_periods, setup),
		cmocka_unit_test_setup(test_sim_rm_and_hog, setup),
		cmocka_unit_test_setup(test_sim_rr_fair, setup),
		cmocka_unit_test_setup(test_sim_rm_overload, setup),
		cmocka_unit_test_setup(test_sim_rm_underload, setup),
		cmocka_unit_test_setup(test_random_ops, setup),
		cmocka_unit_test_setup(test_migrant, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
