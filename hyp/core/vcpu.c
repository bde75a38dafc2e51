// SPDX-License-Identifier: BSD-2-Clause
/* vCPU state, guest entry/exit and the exit table indexed by cause. */
#include <sbi/sbi_string.h>
#include "core/exit.h"
#include "core/guest.h"
#include "core/hart.h"
#include "../../lib/vipi.h"

/* sstatus.FS and .VS: Clean and Dirty (priv. spec §3.1.6.6) */
#define VCPU_FS_CLEAN (2UL << 13)
#define VCPU_VS_CLEAN (2UL << 9)
#define VCPU_HIDELEG (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)
/* misaligned, illegal, breakpoint, U-ecall, page faults go straight to VS */
#define VCPU_HEDELEG                                                           \
	((1UL << CAUSE_MISALIGNED_FETCH) |                                     \
	 (1UL << CAUSE_ILLEGAL_INSTRUCTION) | (1UL << CAUSE_BREAKPOINT) |      \
	 (1UL << CAUSE_MISALIGNED_LOAD) | (1UL << CAUSE_MISALIGNED_STORE) |    \
	 (1UL << CAUSE_USER_ECALL) | (1UL << CAUSE_FETCH_PAGE_FAULT) |         \
	 (1UL << CAUSE_LOAD_PAGE_FAULT) | (1UL << CAUSE_STORE_PAGE_FAULT))

void vcpu_init(struct vcpu *v, struct guest *g, unsigned long id,
	       unsigned long hart)
{
	sbi_memset(v, 0, sizeof(*v));
	v->guest = g;
	v->id = id;
	v->hart = hart;
	v->shared = &g->shared.vcpu[id];
	v->shared->hart = hart;
	v->state = SBI_HSM_STATE_STOPPED;
	v->timer = -1UL;
	v->csrs.vstimecmp = -1UL;
	v->csrs.henvcfg = platform.henvcfg |
			  (platform.has_sstc ? ENVCFG_STCE : 0);
	v->vec.vtype = 1UL << (__riscv_xlen - 1); /* vill, as at reset */
	v->next_on_hart = harts[hart].vcpus;
	harts[hart].vcpus = v;
	if (v->next_on_hart)
		harts[hart].shared.others_homed = 1;
	/* default policy: round-robin, 10 ms slices */
	v->se.cls = SCHED_RR;
	v->se.slice = platform.timebase * CONFIG_SLICE_US / USEC_PER_SEC;
	v->se.owner = v;
	sched_add(&harts[hart].rq, &v->se, hyp_time());
}

/*
 * Registers at start and non-retentive resume (SBI v2.0 §9.1, §9.4). A
 * start begins with no interrupt pending; a resume keeps the one that
 * woke it (and any other) pending, as a real hart would: the guest
 * takes it once it enables it again at resume_addr.
 */
void vcpu_reset(struct vcpu *v, unsigned long pc, unsigned long a0,
		unsigned long a1, bool resume)
{
	sbi_memset(&v->regs, 0, sizeof(v->regs));
	v->regs.pc = pc;
	v->regs.x[10] = a0;
	v->regs.x[11] = a1;
	v->spp = 1;
	/* satp = 0 and sstatus.SIE = 0; FP on, as OpenSBI hands S-mode */
	v->csrs.vsstatus = MSTATUS_FS;
	v->csrs.vsatp = 0;
	v->csrs.vsie = 0;
	/* U-mode may read cycle, time, instret: what OpenSBI gives S-mode */
	v->csrs.scounteren = 0x7;
	if (!resume) {
		v->csrs.hvip = 0;
		__atomic_store_n(&v->shared->pending, 0, __ATOMIC_RELAXED);
		v->timer = -1UL;
		v->csrs.vstimecmp = -1UL;
	}
	if (v->loaded) {
		csr_write(CSR_VSSTATUS, v->csrs.vsstatus);
		csr_write(CSR_VSATP, 0);
		csr_write(CSR_VSIE, 0);
		csr_write(CSR_SCOUNTEREN, v->csrs.scounteren);
		if (!resume) {
			csr_write(CSR_HVIP, 0);
			if (platform.has_sstc)
				csr_write(SHV_CSR_VSTIMECMP, -1UL);
		}
	}
}

/*
 * FP and vector registers. When V=1 a guest write to them sets both
 * vsstatus.FS/VS and HS's own sstatus.FS/VS to Dirty (priv. spec §9.2.1,
 * "vsstatus"), so HS's field, which the guest cannot write, says whether
 * the registers changed since the load: the guest's own field may be Off
 * or Clean while its registers hold values it will read again. The load
 * always restores the vCPU's own values whatever its vsstatus says,
 * so no vCPU ever sees another's (a guest may set FS=Off, be switched
 * out, and set FS=Initial again), and leaves HS's fields Clean.
 */
static void vcpu_ext_save(struct vcpu *v)
{
	unsigned long s = csr_read(CSR_SSTATUS);

	if ((s & SSTATUS_FS) == SSTATUS_FS)
		fpu_save(&v->fp);
	if (platform.vlenb && (s & SSTATUS_VS) == SSTATUS_VS)
		vec_save(&v->vec);
}

static void vcpu_ext_load(struct vcpu *v)
{
	unsigned long s = csr_read(CSR_SSTATUS) & ~(SSTATUS_FS | SSTATUS_VS);

	csr_write(CSR_SSTATUS,
		  s | SSTATUS_FS | (platform.vlenb ? SSTATUS_VS : 0));
	fpu_restore(&v->fp);
	if (platform.vlenb)
		vec_restore(&v->vec);
	csr_write(CSR_SSTATUS,
		  s | VCPU_FS_CLEAN | (platform.vlenb ? VCPU_VS_CLEAN : 0));
}

/*
 * Take v off this hart: its VS CSRs and (if the guest dirtied them) FP
 * and vector registers go back into the vCPU, so another vCPU can be loaded.
 */
void vcpu_put(struct vcpu *v)
{
	struct hart *h = hart_self();
	struct vcpu_csrs *c = &v->csrs;

	if (!v->loaded)
		return;
	c->vsstatus = csr_read(CSR_VSSTATUS);
	c->vsie = csr_read(CSR_VSIE);
	c->vstvec = csr_read(CSR_VSTVEC);
	c->vsscratch = csr_read(CSR_VSSCRATCH);
	c->vsepc = csr_read(CSR_VSEPC);
	c->vscause = csr_read(CSR_VSCAUSE);
	c->vstval = csr_read(CSR_VSTVAL);
	c->vsatp = csr_read(CSR_VSATP);
	c->hvip = csr_read(CSR_HVIP);
	c->scounteren = csr_read(CSR_SCOUNTEREN);
	c->senvcfg = csr_read(CSR_SENVCFG);
	if (platform.has_sstc)
		c->vstimecmp = csr_read(SHV_CSR_VSTIMECMP);
	vcpu_ext_save(v);
	v->loaded = false;
	h->cur = NULL;
	h->shared.guest = NULL;
}

/*
 * Per hart, once, before any vCPU is loaded: what is the same for every
 * vCPU. hideleg must be set before vsie and hvip are written: bits of
 * vsie that hideleg does not delegate are read-only zero (priv. spec
 * §9.2.3), so a vsie restored first would lose its enables.
 */
void vcpu_hart_init(void)
{
	csr_write(CSR_HEDELEG, VCPU_HEDELEG);
	csr_write(CSR_HIDELEG, VCPU_HIDELEG);
	csr_write(CSR_HCOUNTEREN, 0x7); /* cycle, time, instret */
}

static void vcpu_load(struct vcpu *v)
{
	struct hart *h = hart_self();
	struct vcpu_csrs *c = &v->csrs;

	if (h->cur)
		vcpu_put(h->cur);
	vcpu_ext_load(v);
	csr_write(CSR_HGATP, v->guest->shared.hgatp);
	csr_write(CSR_VSSTATUS, c->vsstatus);
	csr_write(CSR_VSIE, c->vsie);
	csr_write(CSR_VSTVEC, c->vstvec);
	csr_write(CSR_VSSCRATCH, c->vsscratch);
	csr_write(CSR_VSEPC, c->vsepc);
	csr_write(CSR_VSCAUSE, c->vscause);
	csr_write(CSR_VSTVAL, c->vstval);
	csr_write(CSR_VSATP, c->vsatp);
	csr_write(CSR_HVIP, c->hvip);
	/* htimedelta before vstimecmp: QEMU 7.2 re-arms only on the latter */
	csr_write(CSR_HTIMEDELTA, 0);
	csr_write(CSR_HENVCFG, c->henvcfg);
	if (platform.has_sstc)
		csr_write(SHV_CSR_VSTIMECMP, c->vstimecmp);
	csr_write(CSR_SCOUNTEREN, c->scounteren);
	csr_write(CSR_SENVCFG, c->senvcfg);
	csr_clear(CSR_HSTATUS, HSTATUS_VTVM | HSTATUS_VTSR | HSTATUS_HU);
	csr_set(CSR_HSTATUS, HSTATUS_VTW | HSTATUS_SPVP);
	h->shared.guest = &v->guest->shared;
	h->shared.vcpu = v->id;
	__atomic_store_n(&v->shared->hart, h->hartid, __ATOMIC_RELAXED);
	/*
	 * fence rw,rw between publishing where the vCPU runs and taking its
	 * pending bits (vcpu_fold_pending, on entry): a sender sets a bit,
	 * fences, then reads where it runs, so one of us sees the other.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	h->cur = v;
	v->loaded = true;
	/*
	 * A guest's sfence.vma/fence.i reach only the hart it ran on, and
	 * TLBs are VMID-tagged: flush this VMID's G-stage and VS-stage
	 * entries (hfence.vvma acts on the VMID now in hgatp) and the
	 * I-cache before the vCPU runs here (priv. spec §9.3.2, §9.3.3).
	 * M's remote fences skip harts where the guest is not loaded and
	 * rely on this flush, which follows the fence above.
	 */
	__asm__ __volatile__(".option push\n.option arch,+h\n"
			     "hfence.gvma zero, %0\nhfence.vvma zero, zero\n"
			     ".option pop\nfence.i"
			     :
			     : "r"(v->guest->vmid)
			     : "memory");
}

void vcpu_advance(struct vcpu *v)
{
	v->regs.pc += 4;
}

/* Trap into the guest's VS handler (priv. spec §9.6.2) */
void vcpu_inject_exception(struct vcpu *v, unsigned long cause,
			   unsigned long tval)
{
	unsigned long vs = csr_read(CSR_VSSTATUS);

	csr_write(CSR_VSEPC, v->regs.pc);
	csr_write(CSR_VSCAUSE, cause);
	csr_write(CSR_VSTVAL, tval);
	vs &= ~(SSTATUS_SPP | SSTATUS_SPIE);
	if (v->spp)
		vs |= SSTATUS_SPP;
	if (vs & SSTATUS_SIE)
		vs |= SSTATUS_SPIE;
	vs &= ~SSTATUS_SIE;
	csr_write(CSR_VSSTATUS, vs);
	v->regs.pc = csr_read(CSR_VSTVEC) & ~3UL;
	v->spp = 1;
}

/*
 * This hart looks at v's external line now: a kick sent for it has done
 * its job, and a later change must kick again (vcpu_line_changed). The
 * latch is cleared before the line is read, so no change is missed.
 */
static void vcpu_line_seen(struct vcpu *v)
{
	if (__atomic_load_n(&v->line_kicked, __ATOMIC_RELAXED)) {
		__atomic_store_n(&v->line_kicked, 0, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
}

/*
 * Runs before every guest entry, so hvip is written only when a bit
 * changes: a read is cheap everywhere, while QEMU serializes every write
 * of an interrupt-pending CSR with all its harts and its timers (its
 * global lock). It did not measurably change the soak's misses
 * (docs/security.md).
 */
void vcpu_fold_pending(struct vcpu *v)
{
	unsigned long bits = vipi_take(v->shared), hvip;
	bool line;

	if (bits)
		csr_set(CSR_HVIP, bits);
	if (!v->ext_line)
		return;
	vcpu_line_seen(v);
	/* level, not edge: follows its interrupt controller's line */
	line = vcpu_line(v);
	hvip = csr_read(CSR_HVIP);
	if (line && !(hvip & MIP_VSEIP))
		csr_set(CSR_HVIP, MIP_VSEIP);
	else if (!line && (hvip & MIP_VSEIP))
		csr_clear(CSR_HVIP, MIP_VSEIP);
}

bool vcpu_has_interrupt(struct vcpu *v)
{
	unsigned long pend;

	vcpu_fold_pending(v);
	pend = csr_read(CSR_HVIP) | csr_read(CSR_HIP);
	if (platform.has_sstc && (v->csrs.henvcfg & ENVCFG_STCE) &&
	    hyp_time() >= csr_read(SHV_CSR_VSTIMECMP))
		pend |= MIP_VSTIP;
	return (pend & csr_read(CSR_HIE) & VCPU_HIDELEG) != 0;
}

/*
 * The guest state is read after `running` was set (vcpu_run), both
 * sequentially consistent: a reboot that saw the vCPU not running has
 * its new state seen here (guest_restart).
 */
static bool vcpu_should_run(struct vcpu *v)
{
	return __atomic_load_n(&v->guest->state, __ATOMIC_SEQ_CST) ==
		       GUEST_RUNNING &&
	       !v->wait &&
	       __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) ==
		       SBI_HSM_STATE_STARTED;
}

/*
 * Whether v has an interrupt pending that it enabled (vsie), loaded or
 * not: what wakes a WFI or a suspend, whatever sstatus.SIE says (priv.
 * spec §3.3.3). Saved VS interrupt bits sit one position above vsie's.
 */
bool vcpu_irq_pending(struct vcpu *v, unsigned long now)
{
	struct vcpu_csrs *c = &v->csrs;
	unsigned long pend;

	if (v->loaded && hart_self()->cur == v)
		return vcpu_has_interrupt(v);
	vcpu_line_seen(v);
	pend = c->hvip | __atomic_load_n(&v->shared->pending, __ATOMIC_ACQUIRE);
	if (vcpu_line(v))
		pend |= MIP_VSEIP;
	if (platform.has_sstc && (c->henvcfg & ENVCFG_STCE) &&
	    now >= c->vstimecmp)
		pend |= MIP_VSTIP;
	return (pend & (c->vsie << 1) & VCPU_HIDELEG) != 0;
}

/* v stops running until vcpu_wake_check() finds a reason (on its hart) */
void vcpu_block(struct vcpu *v, int wait)
{
	/* what it waits for, for vcpu_line_wakes() on other harts */
	if (v->loaded && hart_self()->cur == v)
		__atomic_store_n(&v->csrs.vsie, csr_read(CSR_VSIE),
				 __ATOMIC_RELAXED);
	__atomic_store_n(&v->wait, wait, __ATOMIC_SEQ_CST);
	sched_block(&harts[v->hart].rq, &v->se, hyp_time());
}

void vcpu_stall(struct vcpu *v)
{
	v->stall_until = hyp_time() + platform.timebase / MSEC_PER_SEC;
	vcpu_block(v, VCPU_WAIT_STALL);
}

/* Any hart; a stale unstall costs one early retry */
void vcpu_unstall(struct vcpu *v)
{
	__atomic_store_n(&v->unstall, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->wait, __ATOMIC_SEQ_CST) == VCPU_WAIT_STALL)
		hart_kick(v->hart);
}

void vcpu_attach_line(struct vcpu *v, const bool *level)
{
	__atomic_store_n(&v->ext_line, level, __ATOMIC_RELEASE);
}

/*
 * The device changed v's line (the level word it attached). Kick v's
 * hart when v must act on the change now: it runs there (it exits and
 * sees the line) or waits there for an interrupt it enabled (the
 * scheduler loop wakes it), whichever hart changed the line: a vCPU
 * homed on this hart but not loaded would otherwise wait until
 * something else ran the loop. The level was stored before; the fence
 * orders that store before we look at the vCPU (vcpu_line_wakes). A
 * vCPU moving to another hart reads the line there (migrate.c).
 */
void vcpu_line_changed(struct vcpu *v)
{
	unsigned long hart = __atomic_load_n(&v->hart, __ATOMIC_ACQUIRE);

	if (hart == hart_self()->hartid && v->loaded && hart_self()->cur == v) {
		vcpu_fold_pending(v);
		return;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vcpu_line_wakes(v))
		hart_kick(hart);
}

/*
 * Whether a change of v's external interrupt line (already stored, then
 * fenced) must kick v's hart: only when v is in vcpu_run there (it must
 * exit to see the line) or waits for an interrupt it enabled (SEIE in
 * the vsie it blocked with). A stopped vCPU, or a runnable one that is
 * not running, folds the line in when it next runs. Kicking in every case
 * let a guest toggle a sleeping vCPU's line through its own vPLIC and
 * interrupt the other guests on that hart at will. vcpu_run sets
 * `running`, and vcpu_block `wait`, before they read the line. At most
 * one kick is on its way (line_kicked, cleared where the line is read):
 * kicks sent while v ran must not land, one per line change, on the
 * guest that runs there next.
 */
bool vcpu_line_wakes(struct vcpu *v)
{
	int st = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);

	if (st != SBI_HSM_STATE_STARTED && st != SBI_HSM_STATE_SUSPENDED)
		return false;
	if (!__atomic_load_n(&v->running, __ATOMIC_SEQ_CST) &&
	    !(__atomic_load_n(&v->wait, __ATOMIC_SEQ_CST) &&
	      (__atomic_load_n(&v->csrs.vsie, __ATOMIC_RELAXED) & MIP_SEIP)))
		return false;
	return !__atomic_exchange_n(&v->line_kicked, 1, __ATOMIC_SEQ_CST);
}

/*
 * On v's home hart, from the scheduler loop: start a vCPU that HSM asked
 * to start, wake one whose wait is over, park one that stopped.
 */
void vcpu_wake_check(struct vcpu *v, unsigned long now)
{
	struct sched_rq *rq = &harts[v->hart].rq;
	int state = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);

	if (v->guest->state != GUEST_RUNNING) {
		/* a reboot's module copy runs as vCPU 0 (guest_load_step) */
		if (v->guest->state == GUEST_LOADING && !v->id)
			sched_wake(rq, &v->se, now);
		else
			sched_block(rq, &v->se, now);
		return;
	}
	if (state == SBI_HSM_STATE_START_PENDING) {
		/*
		 * A starter takes the vCPU (its CAS to START_PENDING), then
		 * writes start_pc/start_arg and posts them: until then, wait
		 * (the post kicks this hart).
		 */
		if (!__atomic_load_n(&v->start_posted, __ATOMIC_ACQUIRE) ||
		    !__atomic_compare_exchange_n(
			    &v->state, &state, SBI_HSM_STATE_STARTED, false,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			sched_block(rq, &v->se, now);
			return;
		}
		__atomic_store_n(&v->start_posted, 0, __ATOMIC_RELAXED);
		/* a0 = hart id, a1 = opaque (SBI v2.0 §9.1) */
		vcpu_reset(v, v->start_pc, v->id, v->start_arg, false);
		v->wait = VCPU_WAIT_NONE;
		sched_wake(rq, &v->se, now);
		return;
	}
	if (state != SBI_HSM_STATE_STARTED &&
	    state != SBI_HSM_STATE_SUSPENDED) {
		sched_block(rq, &v->se, now);
		return;
	}
	if (v->wait == VCPU_WAIT_STALL) {
		if (__atomic_exchange_n(&v->unstall, 0, __ATOMIC_SEQ_CST) ||
		    now >= v->stall_until)
			v->wait = VCPU_WAIT_NONE;
	} else if (v->wait && vcpu_irq_pending(v, now)) {
		/*
		 * A suspend ends only if the vCPU is still SUSPENDED: a
		 * reboot may have reset it to STOPPED since we looked.
		 */
		state = SBI_HSM_STATE_SUSPENDED;
		if (v->wait != VCPU_WAIT_WFI &&
		    !__atomic_compare_exchange_n(
			    &v->state, &state, SBI_HSM_STATE_STARTED, false,
			    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			sched_block(rq, &v->se, now);
			return;
		}
		if (v->wait == VCPU_WAIT_SUSPEND_NONRET)
			/* like a start: a0 = hartid, a1 = opaque (§9.4) */
			vcpu_reset(v, v->start_pc, v->id, v->start_arg, true);
		v->wait = VCPU_WAIT_NONE;
	}
	if (!v->wait)
		sched_wake(rq, &v->se, now);
}

/*
 * When HS must look at v again, or NO_DEADLINE: the emulated timer of the vCPU
 * running here or of a blocked one, and the Sstc deadline of a blocked
 * one (a runnable vCPU in the queue gets its timer when it is loaded).
 * A deadline already past that did not wake it is masked (vsie.STIE off):
 * arming for it would only interrupt the hart over and over.
 */
unsigned long vcpu_wake_deadline(struct vcpu *v, unsigned long now)
{
	unsigned long t = v->timer, cmp;

	if (!v->wait && !(v->loaded && hart_self()->cur == v))
		return NO_DEADLINE;
	if (v->wait == VCPU_WAIT_STALL && v->stall_until < t)
		t = v->stall_until;
	if (platform.has_sstc && v->wait) {
		cmp = v->loaded ? csr_read(SHV_CSR_VSTIMECMP)
				: v->csrs.vstimecmp;
		if (cmp > now && cmp < t)
			t = cmp;
	}
	return t;
}

void vcpu_run(struct vcpu *v)
{
	struct hart *h = hart_self();
	struct vcpu_exit e;

	if (__atomic_load_n(&v->guest->state, __ATOMIC_ACQUIRE) ==
	    GUEST_LOADING) {
		if (!v->id)
			guest_load_step(v->guest);
		return;
	}
	__atomic_store_n(&v->running, true, __ATOMIC_SEQ_CST);
	if (h->cur != v)
		vcpu_load(v);
	while (vcpu_should_run(v)) {
		vcpu_fold_pending(v);
		if (v->spp)
			csr_set(CSR_SSTATUS, SSTATUS_SPP);
		else
			csr_clear(CSR_SSTATUS, SSTATUS_SPP);
		csr_set(CSR_HSTATUS, HSTATUS_SPV);
		switch_enter_guest(&v->regs);
		e.cause = csr_read(CSR_SCAUSE);
		e.stval = csr_read(CSR_STVAL);
		e.htval = csr_read(CSR_HTVAL);
		e.htinst = csr_read(CSR_HTINST);
		v->spp = (csr_read(CSR_SSTATUS) & SSTATUS_SPP) != 0;
		if (exit_handle(v, &e) == VCPU_YIELD)
			break;
	}
	__atomic_store_n(&v->running, false, __ATOMIC_RELEASE);
}
