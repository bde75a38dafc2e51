/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_HART_H
#define HYP_HART_H

#include "base/hyp.h"
#include "core/thread.h"
#include "core/vcpu.h"

/* Per physical hart; tp points here while HS runs. */
struct hart {
	unsigned long tmp;     /* switch.S scratch */
	unsigned long hs_sp;   /* HS stack while the guest runs */
	struct vcpu_regs *ctx; /* regs of the vCPU being entered */
	unsigned long hartid;
	struct shv_hart shared; /* registered with M-mode */
	struct vcpu *cur;	/* vCPU whose CSRs are loaded */
	struct vcpu *vcpus;	/* vCPUs homed here */
	struct sched_rq rq;    /* their run queue (only this hart touches it) */
	struct vcpu *inbox;    /* vCPUs migrating here (migrate.c) */
	unsigned long waiting; /* harts that could take a waiting vCPU */
	int idle;	       /* nothing to run: waiting for an interrupt */
	struct thread *threads;	    /* hypervisor threads homed here */
	struct thread *thread;	    /* the one running now, or NULL */
	struct thread_ctx loop_ctx; /* hart_schedule while a thread runs */
	unsigned long timer;	    /* deadline HS programmed, -1 if none */
	int hlv_guard;		    /* switch.S: an HLV may fault */
	unsigned long hlv_cause;
	bool online;
};

extern struct hart harts[CONFIG_MAX_HARTS];

static inline struct hart *hart_self(void)
{
	struct hart *h;

	asm volatile("mv %0, tp" : "=r"(h));
	return h;
}

void hart_kick(unsigned long hartid);
/* Boot: who serves host external interrupts (SEIP) in the loop */
void hart_set_irq_handler(void (*fn)(unsigned long hartid));
void hart_ack_kick(void);
void hart_poll_irqs(struct hart *h);
void hart_schedule(void) __attribute__((noreturn));
void hart_set_timer(struct hart *h, unsigned long deadline);
void hart_timer_update(struct hart *h);

#endif
