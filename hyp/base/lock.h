/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one spinlock of HS: a ticket lock, so that harts get it in the
 * order they asked and none starves. HS runs with interrupts off, so a
 * holder is never preempted; every holder keeps it for bounded work.
 */
#ifndef HYP_BASE_LOCK_H
#define HYP_BASE_LOCK_H

#include "base/types.h"

struct spinlock {
	unsigned int next, owner;
};

static inline void spin_lock(struct spinlock *l)
{
	unsigned int t = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != t)
		;
}

/* Taken only if free now: for callers that must never wait */
static inline bool spin_trylock(struct spinlock *l)
{
	unsigned int t = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

	return __atomic_compare_exchange_n(&l->next, &t, t + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(struct spinlock *l)
{
	return __atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
}

#endif
