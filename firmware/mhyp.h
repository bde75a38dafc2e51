/* SPDX-License-Identifier: BSD-2-Clause */
/* M-mode part of sbivisor: internal interfaces (docs/architecture.md). */
#ifndef SBIVISOR_MHYP_H
#define SBIVISOR_MHYP_H

#include <sbi/riscv_asm.h>
#include <sbi/sbi_types.h>
#include <sbi/sbi_ipi.h>
#include <sbi/sbi_scratch.h>
#include <sbivisor/shared.h>
#include "mhart.h"

/* What a C helper of the fast path returns in a0 and a1 */
struct mfast_ret {
	long error;
	unsigned long value;
};

/* firmware/mentry.S */
void mentry_trap(void);

/* firmware/mshare.c */
extern bool mshare_fastpath;
int mshare_cold_init(struct sbi_scratch *scratch);
void mshare_hart_init(void);
unsigned long mshare_info(unsigned long which);

/*
 * A whole struct, aligned, in HS's shared window (include/sbivisor/
 * layout.h): the only HS memory M may touch (under Smepmp, the only HS
 * memory it can)
 */
static inline bool mshare_in_window(const void *p, unsigned long size)
{
	unsigned long a = (unsigned long)p;

	return !(a & (sizeof(long) - 1)) && a >= SHV_SHARED_BASE &&
	       size <= SHV_SHARED_SIZE &&
	       a - SHV_SHARED_BASE <= SHV_SHARED_SIZE - size;
}

static inline struct shv_guest *mshare_guest(struct shv_guest *g)
{
	return mshare_in_window(g, sizeof(*g)) ? g : NULL;
}

/* This hart's M state, or NULL if HS cannot run here */
static inline struct mhart *mhart_self(void)
{
	unsigned long id = current_hartid();

	return id < SHV_MAX_HARTS ? &mharts[id] : NULL;
}

/* firmware/mmsg.c */
extern bool mmsg_direct;
int mmsg_init(void);
void mmsg_kick_event(struct mhart *to);
void mmsg_wait(struct mhart *me);
void mmsg_irq(void);

/*
 * Send msg (MHART_MSG_*) to a hart. The interrupt is raised only when
 * its message word was empty: the receiver clears the interrupt before
 * it takes the whole word (firmware/mmsg.c).
 */
static inline void mmsg_kick(struct mhart *to)
{
	if (mmsg_direct)
		sbi_ipi_raw_send(to->index);
	else
		mmsg_kick_event(to);
}

static inline void mmsg_post(struct mhart *to, unsigned long msg)
{
	/* release: whatever the message refers to is written before it */
	if (!__atomic_fetch_or(&to->msg, msg, __ATOMIC_RELEASE))
		mmsg_kick(to);
}

void mipi_deliver(struct mhart *m, bool in_guest);
struct mfast_ret mipi_call(unsigned long mask, unsigned long base,
			   struct shv_guest *g, struct shv_vcpu *self,
			   unsigned long fid, struct mhart *me);

/* firmware/mrfence.c */
void mrfence_serve(unsigned long from);
void mrfence_run(struct mhart *me, unsigned long hart_ids,
		 const struct shv_guest *g);
struct mfast_ret mrfence_call(unsigned long mask, unsigned long base,
			      unsigned long start, unsigned long size,
			      unsigned long asid, struct shv_guest *g,
			      unsigned long fid, struct mhart *me);

#endif
