// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hypervisor threads (thread.h). The scheduler loop of a hart runs on
 * the hart's boot stack; running a thread is a switch from the loop's
 * context (hart->loop_ctx) to the thread's, and the thread switches back
 * when it waits, yields or ends. Stacks are static, sized by
 * configuration: nothing is allocated after boot.
 */
#include <sbi/sbi_string.h>
#include "core/hart.h"
#include "core/thread.h"

static struct thread threads[CONFIG_MAX_THREADS];
static char thread_stacks[CONFIG_MAX_THREADS][CONFIG_THREAD_STACK]
	__attribute__((aligned(16)));
static unsigned long threads_used;

struct thread *thread_create(const char *name, unsigned long hart, u32 priority,
			     thread_fn fn, void *arg)
{
	struct thread *t;
	struct hart *h;

	if (threads_used >= CONFIG_MAX_THREADS || hart >= CONFIG_MAX_HARTS) {
		hyp_printf("sbivisor: no room for thread '%s'\n", name);
		return NULL;
	}
	t = &threads[threads_used];
	sbi_memset(t, 0, sizeof(*t));
	t->ctx.ra = (unsigned long)thread_start;
	t->ctx.sp = (unsigned long)(thread_stacks[threads_used] +
				    CONFIG_THREAD_STACK);
	t->ctx.s[0] = (unsigned long)t; /* thread_start's argument */
	threads_used++;
	t->name = name;
	t->fn = fn;
	t->arg = arg;
	t->hart = hart;
	t->wake = 1; /* runs once at start */
	t->wake_at = -1UL;
	t->se.cls = SCHED_RR;
	t->se.kind = SCHED_THREAD;
	t->se.priority = priority;
	t->se.slice = platform.timebase * CONFIG_SLICE_US / USEC_PER_SEC;
	t->se.owner = t;
	h = &harts[hart];
	t->next_on_hart = h->threads;
	h->threads = t;
	sched_add(&h->rq, &t->se, hyp_time());
	return t;
}

/* Back to the scheduler loop of this hart */
static void thread_leave(struct hart *h, struct thread *t)
{
	thread_switch(&t->ctx, &h->loop_ctx);
}

void thread_main(struct thread *t);
void thread_main(struct thread *t)
{
	struct hart *h;

	t->fn(t, t->arg);
	h = hart_self();
	hyp_printf("sbivisor: thread '%s' ended\n", t->name);
	t->dead = true;
	sched_block(&h->rq, &t->se, hyp_time());
	thread_leave(h, t);
	hyp_halt("a dead thread was run");
}

void thread_wait(void)
{
	struct hart *h = hart_self();
	struct thread *t = h->thread;

	/*
	 * A wake between the exchange and the block is not lost: the wake
	 * kicks this hart, whose loop runs thread_wake_check() after we
	 * have switched back to it.
	 */
	while (!__atomic_exchange_n(&t->wake, 0, __ATOMIC_ACQ_REL)) {
		sched_block(&h->rq, &t->se, hyp_time());
		thread_leave(h, t);
	}
}

void thread_sleep(unsigned long ticks)
{
	struct hart *h = hart_self();
	struct thread *t = h->thread;
	unsigned long now = hyp_time();

	t->wake_at = now + ticks < now ? -1UL : now + ticks;
	while (!__atomic_exchange_n(&t->wake, 0, __ATOMIC_ACQ_REL) &&
	       hyp_time() < t->wake_at) {
		sched_block(&h->rq, &t->se, hyp_time());
		thread_leave(h, t);
	}
	t->wake_at = -1UL;
}

void thread_yield(void)
{
	struct hart *h = hart_self();
	struct thread *t = h->thread;

	sched_yield_turn(&h->rq, hyp_time());
	thread_leave(h, t);
}

void thread_wake(struct thread *t)
{
	/* one kick per wake: a waker that finds it set, finds it kicked */
	if (!t || __atomic_exchange_n(&t->wake, 1, __ATOMIC_SEQ_CST))
		return;
	hart_kick(t->hart);
}

void thread_wake_check(struct hart *h, unsigned long now)
{
	struct thread *t;

	for (t = h->threads; t; t = t->next_on_hart)
		if (!t->dead && (__atomic_load_n(&t->wake, __ATOMIC_ACQUIRE) ||
				 now >= t->wake_at))
			sched_wake(&h->rq, &t->se, now);
}

unsigned long thread_wake_deadline(struct hart *h)
{
	unsigned long next = -1UL;
	struct thread *t;

	/*
	 * Only threads still asleep: a woken one waits for the scheduler,
	 * and its past wake_at would re-fire the timer at once, over and
	 * over, under whatever runs meanwhile.
	 */
	for (t = h->threads; t; t = t->next_on_hart)
		if (!t->dead && !t->se.runnable && t->wake_at < next)
			next = t->wake_at;
	return next;
}

void thread_run(struct hart *h, struct thread *t)
{
	h->thread = t;
	thread_switch(&h->loop_ctx, &t->ctx);
	h->thread = NULL;
}

struct thread *thread_next(struct thread *after)
{
	unsigned long i = after ? (unsigned long)(after - threads) + 1 : 0;

	return i < threads_used ? &threads[i] : NULL;
}
