/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypervisor threads: HS code with a stack of its own (the shell, device
 * back ends), scheduled on a hart's run queue like a vCPU, under the same
 * policies. Threads are cooperative: HS runs with interrupts off, so a
 * thread runs until it waits or yields; its time is accounted all the
 * same. A thread stays on the hart it was created for.
 */
#ifndef HYP_THREAD_H
#define HYP_THREAD_H

#include "base/hyp.h"
#include "core/sched.h"

/* Callee-saved state across thread_switch (tswitch.S) */
struct thread_ctx {
	unsigned long ra, sp;
	unsigned long s[12];
};

struct thread;
typedef void (*thread_fn)(struct thread *t, void *arg);

struct thread {
	struct thread_ctx ctx;
	struct sched_entity se;
	const char *name;
	thread_fn fn;
	void *arg;
	unsigned long hart;
	int wake; /* thread_wake() came: the next wait returns at once */
	unsigned long wake_at; /* thread_sleep(): time it runs again, or -1 */
	bool dead;	       /* fn returned */
	struct thread *next_on_hart;
};

/* A thread on hart's run queue, runnable at once (before harts start) */
struct thread *thread_create(const char *name, unsigned long hart, u32 priority,
			     thread_fn fn, void *arg);
/* From the thread: sleep until thread_wake() (returns at once if due) */
void thread_wait(void);
/* From the thread: as thread_wait(), for ticks of the timebase at most */
void thread_sleep(unsigned long ticks);
/* From the thread: let others of its priority run */
void thread_yield(void);
/* From anywhere, any hart */
void thread_wake(struct thread *t);

/* Scheduler loop (hart.c) */
struct hart;
void thread_wake_check(struct hart *h, unsigned long now);
unsigned long thread_wake_deadline(struct hart *h); /* -1: none */
void thread_run(struct hart *h, struct thread *t);
struct thread *thread_next(struct thread *after); /* NULL: first */

/* tswitch.S */
void thread_switch(struct thread_ctx *save, struct thread_ctx *load);
void thread_start(void);

#endif
