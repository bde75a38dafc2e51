/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include "base/hyp.h"
#include "core/sched.h"

struct guest;

/* Saved guest GPRs (x[0] unused) and pc; asm-offsets.c names offsets */
struct vcpu_regs {
	unsigned long x[32];
	unsigned long pc;
};

/* VS-level CSRs switched when a vCPU is loaded or put (docs/architecture.md "HS
 * inside") */
struct vcpu_csrs {
	unsigned long vsstatus, vsie, vstvec, vsscratch, vsepc, vscause;
	unsigned long vstval, vsatp, hvip, vstimecmp, henvcfg, scounteren;
	unsigned long senvcfg;
};

/*
 * FP and vector state: loaded with the vCPU, saved when HS's own
 * sstatus.FS/VS says the guest dirtied it (hyp/core/vcpu.c).
 */
struct vcpu_fp {
	u64 f[32];
	unsigned long fcsr;
};

struct vcpu_vec {
	unsigned long vstart, vl, vtype, vcsr;
	u8 v[32 * CONFIG_MAX_VLENB] __attribute__((aligned(16)));
};

struct vcpu {
	struct vcpu_regs regs;
	struct vcpu_csrs csrs;
	struct vcpu_fp fp;
	struct vcpu_vec vec;
	struct guest *guest;
	struct shv_vcpu *shared;   /* this vCPU's record in guest->shared */
	struct vcpu *next_on_hart; /* also the inbox link while migrating */
	unsigned long id;	   /* vCPU id = the guest's hart id */
	unsigned long hart;	   /* home hart: its run queue holds v */
	int state;		   /* SBI_HSM_STATE_*; changed with atomics */
	bool loaded;		   /* CSRs live on the hart */
	bool running; /* in vcpu_run on its hart (a reboot waits for it) */
	bool spp;     /* guest was in VS (1) or VU (0) at its last exit */
	unsigned long start_pc, start_arg; /* pending hart_start/resume */
	int start_posted; /* start_pc/start_arg written for a pending start */
	unsigned long timer;	/* deadline when HS emulates the timer */
	struct sched_entity se; /* on its home hart's run queue */
	int wait;		/* VCPU_WAIT_*: why it is blocked */
	const bool *ext_line;	/* its external interrupt line's level, kept
				   by the interrupt controller (NULL: none) */
	int line_kicked;	/* a kick for its external line is on its way */
	unsigned long stall_until; /* VCPU_WAIT_STALL: retry by then */
	int unstall;		   /* ... or at once: the device has room */
	unsigned long exits[32];   /* guest exits by exception cause */
	unsigned long irqs[16];	   /* guest exits by interrupt */
	unsigned long migrations;  /* moves to another hart */
};

/* Exit handling verdicts */
enum vcpu_action {
	VCPU_RESUME, /* back into the guest */
	VCPU_YIELD,  /* back to the scheduler: stopped, blocked or preempted */
};

/* Why a started vCPU does not run: it waits for an interrupt */
enum vcpu_wait {
	VCPU_WAIT_NONE,
	VCPU_WAIT_WFI,	   /* guest WFI (hstatus.VTW) */
	VCPU_WAIT_SUSPEND, /* HSM retentive suspend: resumes after ecall */
	VCPU_WAIT_SUSPEND_NONRET, /* HSM non-retentive: restarts at start_pc */
	VCPU_WAIT_STALL, /* an access a device could not take yet: retried */
};

void vcpu_init(struct vcpu *v, struct guest *g, unsigned long id,
	       unsigned long hart);
void vcpu_reset(struct vcpu *v, unsigned long pc, unsigned long a0,
		unsigned long a1, bool resume);
void vcpu_run(struct vcpu *v);
void vcpu_inject_exception(struct vcpu *v, unsigned long cause,
			   unsigned long tval);
void vcpu_fold_pending(struct vcpu *v);
bool vcpu_has_interrupt(struct vcpu *v);
bool vcpu_irq_pending(struct vcpu *v, unsigned long now);
void vcpu_block(struct vcpu *v, int wait);
bool vcpu_line_wakes(struct vcpu *v);
/*
 * The vCPU interrupt-line interface: a guest interrupt controller gives
 * each vCPU the level word of its external line and calls
 * vcpu_line_changed() after changing it; the vCPU reads only that word.
 */
void vcpu_attach_line(struct vcpu *v, const bool *level);
void vcpu_line_changed(struct vcpu *v);
static inline bool vcpu_line(struct vcpu *v)
{
	const bool *l = __atomic_load_n(&v->ext_line, __ATOMIC_ACQUIRE);

	return l && __atomic_load_n(l, __ATOMIC_ACQUIRE);
}
/*
 * The instruction (an ecall or a store) is retried when the device that
 * refused it calls vcpu_unstall(), or after a millisecond.
 */
void vcpu_stall(struct vcpu *v);
void vcpu_unstall(struct vcpu *v);
void vcpu_wake_check(struct vcpu *v, unsigned long now);
unsigned long vcpu_wake_deadline(struct vcpu *v, unsigned long now);
void vcpu_advance(struct vcpu *v);

void vcpu_put(struct vcpu *v);
void vcpu_hart_init(void);

/* switch.S */
void switch_enter_guest(struct vcpu_regs *regs);

/* fpu.S, vec.S */
void fpu_save(struct vcpu_fp *fp);
void fpu_restore(const struct vcpu_fp *fp);
void vec_save(struct vcpu_vec *vs);
void vec_restore(const struct vcpu_vec *vs);

#endif
