// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI HSM (v2.0 §9): hart_get_status (§9.3), hart_start (§9.1) with its
 * register state (a0 = hartid, a1 = opaque, satp = 0, sstatus.SIE = 0)
 * and errors, hart_stop (§9.2) then a new start, hart_suspend (§9.4):
 * retentive returns after an interrupt, non-retentive resumes at
 * resume_addr with the start register state; reserved and unimplemented
 * platform-specific types are INVALID_PARAM; addresses that are not
 * executable RAM are INVALID_ADDRESS.
 */
#include <libfdt.h>
#include "guest.h"

#define TIMEOUT 20000000UL /* 2 s at 10 MHz */
#define DELTA 100000UL	   /* 10 ms */
#define HOLD 100000000UL   /* 10 s: a held peer never waits longer */
#define OPAQUE 0x5a5aa5a5c3c30f0fUL
#define RESUMED 1L /* hsm_suspend_call came back via hsm_resume */

enum {
	JOB_NONE,
	JOB_HOLD,
	JOB_SUSPEND,
	JOB_BAD_RESUME,
	JOB_NONRET_IPI,
	JOB_IPI_AT_START
};

struct entry {
	unsigned long a0, a1, satp, sstatus, n;
};
static volatile struct entry ent[MAX_HARTS];
static volatile unsigned long job[MAX_HARTS], release[MAX_HARTS];
static volatile long result[MAX_HARTS], result_sip[MAX_HARTS];
static unsigned long bad_resume;

/*
 * long hsm_suspend_call(type, resume_addr, opaque): hart_suspend that
 * saves the callee-saved state first, so that a non-retentive resume at
 * hsm_resume returns RESUMED from this call (resume state in hsm_regs).
 */
long hsm_suspend_call(unsigned long type, unsigned long resume,
		      unsigned long opaque);
void hsm_resume(void);
unsigned long hsm_ctx[16], hsm_regs[5];
__asm__(".text\n.align 2\n.globl hsm_suspend_call\nhsm_suspend_call:\n"
	"la t0, hsm_ctx\nsd sp, 0(t0)\nsd ra, 8(t0)\nsd s0, 16(t0)\n"
	"sd s1, 24(t0)\nsd s2, 32(t0)\nsd s3, 40(t0)\nsd s4, 48(t0)\n"
	"sd s5, 56(t0)\nsd s6, 64(t0)\nsd s7, 72(t0)\nsd s8, 80(t0)\n"
	"sd s9, 88(t0)\nsd s10, 96(t0)\nsd s11, 104(t0)\nsd tp, 112(t0)\n"
	"csrr t1, stvec\nsd t1, 120(t0)\n"
	"li a6, 3\nli a7, 0x48534D\necall\nret\n"
	".align 2\n.globl hsm_resume\nhsm_resume:\n"
	"la t0, hsm_regs\nsd a0, 0(t0)\nsd a1, 8(t0)\ncsrr t1, satp\n"
	"sd t1, 16(t0)\ncsrr t1, sstatus\nsd t1, 24(t0)\n"
	"csrr t1, sip\nsd t1, 32(t0)\n"
	"la t0, hsm_ctx\nld sp, 0(t0)\nld ra, 8(t0)\nld s0, 16(t0)\n"
	"ld s1, 24(t0)\nld s2, 32(t0)\nld s3, 40(t0)\nld s4, 48(t0)\n"
	"ld s5, 56(t0)\nld s6, 64(t0)\nld s7, 72(t0)\nld s8, 80(t0)\n"
	"ld s9, 88(t0)\nld s10, 96(t0)\nld s11, 104(t0)\nld tp, 112(t0)\n"
	"ld t1, 120(t0)\ncsrw stvec, t1\nli a0, 1\nret\n");

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	ent[hart].a0 = hart;
	ent[hart].a1 = opaque;
	ent[hart].satp = csrr(satp);
	ent[hart].sstatus = csrr(sstatus);
	__atomic_add_fetch(&ent[hart].n, 1, __ATOMIC_RELEASE);
	if (job[hart] == JOB_HOLD) {
		wait_until(&release[hart], 1, HOLD);
	} else if (job[hart] == JOB_SUSPEND) {
		/* retentive, SIE off: an IPI ends it, the ecall returns */
		csrs(sie, MIP_SSIP);
		result[hart] = ecall(SBI_EXT_HSM, SBI_EXT_HSM_HART_SUSPEND, 0,
				     0, 0, 0, 0, 0)
				       .error;
		result_sip[hart] = !!(csrr(sip) & MIP_SSIP);
		csrc(sip, MIP_SSIP);
		csrc(sie, MIP_SSIP);
		__atomic_store_n(&job[hart], JOB_NONE, __ATOMIC_RELEASE);
	} else if (job[hart] == JOB_NONRET_IPI) {
		/*
		 * non-retentive, woken by an IPI: it resumes at hsm_resume
		 * with the IPI still pending (SBI v2.0 §9.4), never lost
		 */
		csrs(sie, MIP_SSIP);
		result[hart] = hsm_suspend_call(SBI_HSM_SUSPEND_NON_RET_DEFAULT,
						(unsigned long)hsm_resume,
						OPAQUE);
		result_sip[hart] = !!(hsm_regs[4] & MIP_SSIP);
		csrc(sip, MIP_SSIP);
		csrc(sie, MIP_SSIP);
		__atomic_store_n(&job[hart], JOB_NONE, __ATOMIC_RELEASE);
	} else if (job[hart] == JOB_IPI_AT_START) {
		/* an IPI sent while it was stopped must not greet it */
		unsigned long n = irq_count[hart][IRQ_S_SOFT];

		csrs(sie, MIP_SSIP);
		csrs(sstatus, SSTATUS_SIE);
		sleep_ticks(DELTA / 10);
		csrc(sstatus, SSTATUS_SIE);
		csrc(sie, MIP_SSIP);
		result[hart] = irq_count[hart][IRQ_S_SOFT] - n;
		__atomic_store_n(&job[hart], JOB_NONE, __ATOMIC_RELEASE);
	} else if (job[hart] == JOB_BAD_RESUME) {
		/* no timer: if wrongly accepted, the hart just stays asleep */
		result[hart] = ecall(SBI_EXT_HSM, SBI_EXT_HSM_HART_SUSPEND,
				     SBI_HSM_SUSPEND_NON_RET_DEFAULT,
				     bad_resume, 0, 0, 0, 0)
				       .error;
		__atomic_store_n(&job[hart], JOB_NONE, __ATOMIC_RELEASE);
	}
}

/* Start hart h for job j; wait until it has entered guest_secondary */
static int start(unsigned long h, int j, unsigned long opaque, long *err)
{
	unsigned long n = ent[h].n;
	struct ret r;

	job[h] = j;
	release[h] = 0;
	r = sbi_hart_start(h, (unsigned long)crt_secondary, opaque);
	if (err)
		*err = r.error;
	return !r.error && wait_ge(&ent[h].n, n + 1, TIMEOUT);
}

/* Suspend with a timer DELTA ahead (sie.STIE on, sstatus.SIE off) */
static long suspend_timed(unsigned long type, unsigned long resume,
			  unsigned long *deadline)
{
	unsigned long sie = csrr(sie);
	long rc;

	csrc(sstatus, SSTATUS_SIE);
	csrs(sie, MIP_STIP);
	*deadline = rdtime() + DELTA;
	sbi_set_timer(*deadline);
	rc = hsm_suspend_call(type, resume, OPAQUE);
	sbi_set_timer(-1UL);
	csrw(sie, sie);
	return rc;
}

/*
 * Non-retentive suspend woken by the timer: at resume_addr the timer
 * interrupt is still pending, so enabling it again takes it (SBI v2.0
 * §9.4: the wake-up interrupt is not consumed). Taken, not read from
 * sip: QEMU 7.2 hides STIP from VS-mode reads of sip.
 */
static int nonret_timer_kept(unsigned long me)
{
	unsigned long before = irq_count[me][IRQ_S_TIMER], sie = csrr(sie);
	long rc;

	csrc(sstatus, SSTATUS_SIE);
	csrs(sie, MIP_STIP);
	sbi_set_timer(rdtime() + DELTA);
	rc = hsm_suspend_call(SBI_HSM_SUSPEND_NON_RET_DEFAULT,
			      (unsigned long)hsm_resume, OPAQUE);
	/* sie itself need not survive a non-retentive suspend */
	csrs(sie, MIP_STIP);
	csrs(sstatus, SSTATUS_SIE);
	csrc(sstatus, SSTATUS_SIE);
	sbi_set_timer(-1UL);
	csrw(sie, sie);
	return rc == RESUMED && irq_count[me][IRQ_S_TIMER] > before;
}

static void hsm_suspend_self(unsigned long me, unsigned long fw)
{
	static const struct {
		const char *name;
		unsigned long type;
	} bad[] = {
		{ "hsm_suspend_reserved_00000001", 0x00000001 },
		{ "hsm_suspend_reserved_0fffffff", 0x0fffffff },
		{ "hsm_suspend_reserved_80000001", 0x80000001 },
		{ "hsm_suspend_reserved_8fffffff", 0x8fffffff },
		{ "hsm_suspend_platform_10000000", 0x10000000 },
		{ "hsm_suspend_platform_7fffffff", 0x7fffffff },
		{ "hsm_suspend_platform_90000000", 0x90000000 },
		{ "hsm_suspend_platform_ffffffff", 0xffffffff },
	};
	unsigned long deadline, i, scratch = csrr(sscratch), stvec;
	long rc;

	csrw(sscratch, OPAQUE);
	stvec = csrr(stvec);
	rc = suspend_timed(SBI_HSM_SUSPEND_RET_DEFAULT, 0, &deadline);
	check_eq("hsm_suspend_ret_ok", rc, 0);
	check("hsm_suspend_ret_after_irq", rdtime() >= deadline);
	check("hsm_suspend_ret_csrs_kept",
	      csrr(sscratch) == OPAQUE && csrr(stvec) == stvec);
	csrw(sscratch, scratch);

	rc = suspend_timed(SBI_HSM_SUSPEND_NON_RET_DEFAULT,
			   (unsigned long)hsm_resume, &deadline);
	check_eq("hsm_suspend_nonret_resumed", rc, RESUMED);
	check_eq("hsm_suspend_nonret_a0_hartid", hsm_regs[0], me);
	check_eq("hsm_suspend_nonret_a1_opaque", hsm_regs[1], OPAQUE);
	check_eq("hsm_suspend_nonret_satp_zero", hsm_regs[2], 0);
	check_eq("hsm_suspend_nonret_sie_zero", hsm_regs[3] & SSTATUS_SIE, 0);
	check("hsm_suspend_nonret_wake_pending", nonret_timer_kept(me));

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_eq(bad[i].name,
			 suspend_timed(bad[i].type, (unsigned long)hsm_resume,
				       &deadline),
			 SBI_ERR_INVALID_PARAM);
	if (fw)
		check_eq("hsm_suspend_nonret_fw_region",
			 suspend_timed(SBI_HSM_SUSPEND_NON_RET_DEFAULT, fw,
				       &deadline),
			 SBI_ERR_INVALID_ADDRESS);
	else
		skip("hsm_suspend_nonret_fw_region", "no reserved memory");
}

static void hsm_peers(unsigned long me, unsigned long nharts)
{
	unsigned long p = (me + 1) % nharts, h;
	int ok = 1, st;
	long err;
	struct ret r;

	st = start(p, JOB_HOLD, OPAQUE, &err);
	check_eq("hsm_start_ok", err, 0);
	check("hsm_start_entered", st);
	check_eq("hsm_start_a0_hartid", ent[p].a0, p);
	check_eq("hsm_start_a1_opaque", ent[p].a1, OPAQUE);
	check_eq("hsm_start_satp_zero", ent[p].satp, 0);
	check_eq("hsm_start_sie_zero", ent[p].sstatus & SSTATUS_SIE, 0);
	r = sbi_hart_status(p);
	check("hsm_status_started",
	      !r.error && r.value == SBI_HSM_STATE_STARTED);
	r = sbi_hart_start(p, (unsigned long)crt_secondary, 0);
	check_eq("hsm_start_started_peer", r.error, SBI_ERR_ALREADY_AVAILABLE);
	release[p] = 1;
	check("hsm_stop_status_stopped",
	      wait_hart_state(p, SBI_HSM_STATE_STOPPED, TIMEOUT));

	/* started again: it suspends until our IPI wakes it */
	st = start(p, JOB_SUSPEND, ~OPAQUE, &err);
	check("hsm_restart", st && ent[p].a1 == ~OPAQUE);
	check("hsm_status_suspended",
	      st && wait_hart_state(p, SBI_HSM_STATE_SUSPENDED, TIMEOUT));
	sbi_send_ipi(1, p);
	st = st && wait_until(&job[p], JOB_NONE, TIMEOUT);
	check("hsm_suspend_ipi_wakes", st && !result[p] && result_sip[p]);
	wait_hart_state(p, SBI_HSM_STATE_STOPPED, TIMEOUT);

	/* an IPI to a stopped hart is not pending when it starts (§9.1) */
	sbi_send_ipi(1UL << p, 0);
	st = start(p, JOB_IPI_AT_START, 0, &err);
	st = st && wait_until(&job[p], JOB_NONE, TIMEOUT);
	check("hsm_start_no_stale_ipi", st && result[p] == 0);
	wait_hart_state(p, SBI_HSM_STATE_STOPPED, TIMEOUT);

	/* non-retentive this time: the IPI must survive the resume */
	st = start(p, JOB_NONRET_IPI, 0, &err);
	st = st && wait_hart_state(p, SBI_HSM_STATE_SUSPENDED, TIMEOUT);
	sbi_send_ipi(1, p);
	st = st && wait_until(&job[p], JOB_NONE, TIMEOUT);
	check("hsm_suspend_nonret_ipi_pending_at_resume",
	      st && result[p] == RESUMED && result_sip[p]);
	wait_hart_state(p, SBI_HSM_STATE_STOPPED, TIMEOUT);

	/* every other hart at once, each with its own a0 and opaque */
	for (h = 0; h < nharts && h < MAX_HARTS; h++)
		if (h != me)
			ok &= !sbi_hart_start(h, (unsigned long)crt_secondary,
					      0x100 + h)
				       .error;
	for (h = 0; h < nharts && h < MAX_HARTS; h++)
		if (h != me)
			ok &= wait_hart_state(h, SBI_HSM_STATE_STOPPED,
					      TIMEOUT) &&
			      ent[h].a0 == h && ent[h].a1 == 0x100 + h;
	check("hsm_start_all", ok);
}

static const char *const multi[] = {
	"hsm_start_ok",
	"hsm_start_entered",
	"hsm_start_a0_hartid",
	"hsm_start_a1_opaque",
	"hsm_start_satp_zero",
	"hsm_start_sie_zero",
	"hsm_status_started",
	"hsm_start_started_peer",
	"hsm_stop_status_stopped",
	"hsm_restart",
	"hsm_status_suspended",
	"hsm_suspend_ipi_wakes",
	"hsm_start_all",
	"hsm_start_fw_region",
	"hsm_suspend_nonret_past_ram",
	"hsm_start_addr_zero",
	"hsm_start_past_ram",
};

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long nharts = dt_nharts(fdt), fw = dt_reserved(fdt);
	unsigned long h, p = (hart + 1) % nharts, base = 0, size = 0;
	struct ret r;
	int ok = 1;

	gprintf("# hsm: hart %lu, %lu harts\n", hart, nharts);
	r = sbi_hart_status(hart);
	check("hsm_status_self", !r.error && r.value == SBI_HSM_STATE_STARTED);
	for (h = 0; h < nharts; h++)
		if (h != hart)
			ok &= sbi_hart_status(h).value == SBI_HSM_STATE_STOPPED;
	check("hsm_status_stopped", ok);
	check_eq("hsm_status_invalid", sbi_hart_status(nharts).error,
		 SBI_ERR_INVALID_PARAM);
	check_eq("hsm_status_invalid_huge", sbi_hart_status(-1UL).error,
		 SBI_ERR_INVALID_PARAM);
	r = sbi_hart_start(nharts, (unsigned long)crt_secondary, 0);
	check_eq("hsm_start_invalid_hart", r.error, SBI_ERR_INVALID_PARAM);
	r = sbi_hart_start(hart, (unsigned long)crt_secondary, 0);
	check_eq("hsm_start_self", r.error, SBI_ERR_ALREADY_AVAILABLE);

	hsm_suspend_self(hart, fw);

	if (nharts < 2) {
		for (h = 0; h < sizeof(multi) / sizeof(multi[0]); h++)
			skip(multi[h], "single hart");
		return;
	}
	hsm_peers(hart, nharts);
	if (fw) {
		r = sbi_hart_start(p, fw, 0);
		check_eq("hsm_start_fw_region", r.error,
			 SBI_ERR_INVALID_ADDRESS);
	} else {
		skip("hsm_start_fw_region", "no reserved memory");
	}
	/* last: stock OpenSBI accepts these, so harts go off into the void */
	dt_ram(fdt, &base, &size);
	bad_resume = base + size;
	h = nharts >= 3 ? (hart + 2) % nharts : p;
	ok = start(h, JOB_BAD_RESUME, 0, NULL) &&
	     wait_until(&job[h], JOB_NONE, TIMEOUT);
	check_eq("hsm_suspend_nonret_past_ram", ok ? result[h] : 1,
		 SBI_ERR_INVALID_ADDRESS);
	wait_hart_state(h, SBI_HSM_STATE_STOPPED, TIMEOUT);
	r = sbi_hart_start(p, 0, 0);
	check_eq("hsm_start_addr_zero", r.error, SBI_ERR_INVALID_ADDRESS);
	r = sbi_hart_start(p, base + size, 0);
	check_eq("hsm_start_past_ram", r.error, SBI_ERR_INVALID_ADDRESS);
}
