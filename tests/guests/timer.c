// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI TIME (v2.0 §6): a deadline raises the S timer interrupt no earlier
 * than asked, a past deadline fires at once, a far deadline clears a
 * pending one, and the interrupt wakes wfi. Every hart has its own timer.
 */
#include "guest.h"

#define DELTA 100000UL	   /* 10 ms at 10 MHz */
#define TIMEOUT 20000000UL /* 2 s */
#define REPEAT 5

/* sie.STIE has the bit position of sip.STIP */
#define SIE_STIE MIP_STIP

static volatile unsigned long peer_done[MAX_HARTS], peer_ok[MAX_HARTS];

/* Arm a deadline DELTA ahead and wait for its interrupt (SIE on) */
static int timer_once(int report)
{
	unsigned long h = hartid(), n = irq_count[h][IRQ_S_TIMER];
	unsigned long deadline = rdtime() + DELTA;
	struct ret r = sbi_set_timer(deadline);
	int taken = wait_ge(&irq_count[h][IRQ_S_TIMER], n + 1, TIMEOUT);
	int late = taken && irq_time[h][IRQ_S_TIMER] >= deadline;

	if (report) {
		check_eq("timer_set_ok", r.error, 0);
		check("timer_irq_taken", taken);
		check("timer_irq_after_deadline", late);
	}
	return !r.error && taken && late;
}

static void timer_past(unsigned long h)
{
	unsigned long n = irq_count[h][IRQ_S_TIMER], t0 = rdtime();
	struct ret r = sbi_set_timer(t0 - 1);
	int taken = wait_ge(&irq_count[h][IRQ_S_TIMER], n + 1, TIMEOUT);

	check("timer_past_fires", !r.error && taken);
	if (taken)
		gprintf("# past deadline taken after %lu ticks\n",
			irq_time[h][IRQ_S_TIMER] - t0);
}

/*
 * Pending-but-masked timers are observed by unmasking, not by reading
 * sip: QEMU 7.2 hides vsip.STIP from VS-mode reads (docs/testing.md).
 */
static int timer_taken_on_unmask(unsigned long h, unsigned long n)
{
	int taken;

	csrs(sstatus, SSTATUS_SIE);
	taken = wait_ge(&irq_count[h][IRQ_S_TIMER], n + 1, DELTA);
	csrc(sstatus, SSTATUS_SIE);
	return taken;
}

/* With SIE off the interrupt waits; a far deadline withdraws it (§6.1) */
static void timer_clear(unsigned long h)
{
	unsigned long n;

	csrc(sstatus, SSTATUS_SIE);
	n = irq_count[h][IRQ_S_TIMER];
	sbi_set_timer(rdtime() - 1);
	sleep_ticks(DELTA);
	check("timer_masked_not_taken", irq_count[h][IRQ_S_TIMER] == n);
	check("timer_pending_masked", timer_taken_on_unmask(h, n));

	n = irq_count[h][IRQ_S_TIMER];
	sbi_set_timer(rdtime() - 1);
	sleep_ticks(DELTA);
	sbi_set_timer(-1UL);
	check("timer_far_clears_pending", !timer_taken_on_unmask(h, n));
	csrs(sstatus, SSTATUS_SIE);
	sleep_ticks(DELTA);
	check("timer_far_no_irq", irq_count[h][IRQ_S_TIMER] == n);
	/* a deadline years away: no interrupt now (QEMU 7.2 overflows) */
	sbi_set_timer(rdtime() + (1UL << 62));
	sleep_ticks(DELTA);
	check("timer_huge_no_irq", irq_count[h][IRQ_S_TIMER] == n);
	sbi_set_timer(-1UL);
}

/*
 * wfi returns once the timer is pending: with SIE on the interrupt is
 * taken; with SIE off it only wakes the hart (priv. spec §3.3.3), and is
 * taken once SIE is set again.
 */
static void timer_wfi(unsigned long h)
{
	unsigned long n = irq_count[h][IRQ_S_TIMER], deadline, end;

	deadline = rdtime() + DELTA;
	end = deadline + TIMEOUT;
	sbi_set_timer(deadline);
	while (irq_count[h][IRQ_S_TIMER] == n && rdtime() < end)
		wfi();
	check("timer_wakes_wfi", irq_count[h][IRQ_S_TIMER] == n + 1);

	n = irq_count[h][IRQ_S_TIMER];
	csrc(sstatus, SSTATUS_SIE);
	deadline = rdtime() + DELTA;
	end = deadline + TIMEOUT;
	sbi_set_timer(deadline);
	/* wfi may return early (spec): sleep again until the deadline */
	while (rdtime() < deadline)
		wfi();
	check("timer_wfi_masked_no_irq", irq_count[h][IRQ_S_TIMER] == n);
	check("timer_wakes_wfi_masked",
	      rdtime() < end && timer_taken_on_unmask(h, n));
	sbi_set_timer(-1UL);
	csrs(sstatus, SSTATUS_SIE);
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	int i, ok = 1;

	(void)opaque;
	csrs(sie, SIE_STIE);
	csrs(sstatus, SSTATUS_SIE);
	for (i = 0; i < REPEAT; i++)
		ok &= timer_once(0);
	csrc(sstatus, SSTATUS_SIE);
	peer_ok[hart] = ok;
	peer_done[hart] = 1;
}

/* All harts run timers at once: each deadline must reach its own hart */
static void timer_all_harts(unsigned long me, unsigned long nharts)
{
	unsigned long h;
	int i, ok = 1;

	for (h = 0; h < nharts && h < MAX_HARTS; h++)
		if (h != me)
			ok &= !sbi_hart_start(h, (unsigned long)crt_secondary,
					      0)
				       .error;
	if (!ok)
		gprintf("# timer: hart_start failed\n");
	for (i = 0; i < REPEAT; i++)
		ok &= timer_once(0);
	for (h = 0; h < nharts && h < MAX_HARTS; h++) {
		if (h == me)
			continue;
		if (!wait_until(&peer_done[h], 1, TIMEOUT) || !peer_ok[h]) {
			gprintf("# hart %lu: timers failed\n", h);
			ok = 0;
		}
		wait_hart_state(h, SBI_HSM_STATE_STOPPED, TIMEOUT);
	}
	check("timer_all_harts", ok);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long nharts = dt_nharts(fdt);
	int i, ok = 1;

	gprintf("# timer: hart %lu, %lu harts\n", hart, nharts);
	csrs(sie, SIE_STIE);
	csrs(sstatus, SSTATUS_SIE);
	timer_once(1);
	for (i = 0; i < REPEAT; i++)
		ok &= timer_once(0);
	check("timer_repeat_5", ok);
	timer_past(hart);
	timer_clear(hart);
	timer_wfi(hart);
	if (nharts >= 2)
		timer_all_harts(hart, nharts);
	else
		skip("timer_all_harts", "single hart");
	csrc(sstatus, SSTATUS_SIE);
	sbi_set_timer(-1UL);
}
