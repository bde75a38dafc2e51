// SPDX-License-Identifier: BSD-2-Clause
/*
 * A periodic real-time task, for a guest scheduled rate-monotonic
 * ("sbivisor,sched" = "rm") next to CPU hogs (tests/system/test_multi.py).
 * Every period the task arms the SBI timer for the next release, waits in
 * wfi, and when woken runs a fixed amount of work: a loop whose iteration
 * count was calibrated to take rt.work_us of CPU time when nothing else
 * runs. Per period it measures
 *   release jitter  wake time - release time
 *   response time   completion time - release time
 * and counts a deadline miss when the work completes after the next
 * release (deadline = period). Times are in timebase ticks.
 *
 * Bootargs (defaults in brackets):
 *   rt.period_us=N  [10000]  period
 *   rt.work_us=N    [1000]   work per period
 *   rt.periods=N    [100]    number of periods
 * Prints "# rt: periods=N misses=M max_jitter_ticks=J
 * max_response_ticks=R" and the checks rt_no_early_wake and
 * rt_no_deadline_miss.
 */
#include <libfdt.h>
#include "guest.h"

#define CAL_MIN_TICKS 2000 /* a calibration run lasts at least this */
#define CAL_RUNS 8
#define WAKE_TIMEOUT_PERIODS 100 /* a release never waits longer */

static unsigned long bootarg(const void *fdt, const char *key,
			     unsigned long def)
{
	unsigned long v = def;

	if (dt_bootarg_ulong(fdt, key, &v) < 0 || !v) {
		gprintf("# rt: bad %s, using %lu\n", key, def);
		v = def;
	}
	return v;
}

/* The work: n iterations the compiler cannot drop */
static void __attribute__((noinline)) work(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory");
}

/* Ticks n iterations take at best (the fastest of several runs) */
static unsigned long measure(unsigned long n)
{
	unsigned long best = -1UL, t, k;

	for (k = 0; k < CAL_RUNS; k++) {
		t = rdtime();
		work(n);
		t = rdtime() - t;
		if (t < best)
			best = t;
	}
	return best;
}

/* Iterations for `ticks` of CPU time; 0 if the clock does not move */
static unsigned long calibrate(unsigned long ticks)
{
	unsigned long n = 256, t = 0;

	while (n < (1UL << 40)) {
		t = measure(n);
		if (t >= CAL_MIN_TICKS)
			break;
		n *= 2;
	}
	if (!t)
		return 0;
	gprintf("# rt: %lu iterations in %lu ticks\n", n, t);
	return (ticks * n + t / 2) / t;
}

/* wfi until the timer interrupt counter passes n; 0 on timeout */
static int wait_timer(unsigned long h, unsigned long n, unsigned long until)
{
	while (irq_count[h][IRQ_S_TIMER] == n) {
		if (rdtime() > until)
			return 0;
		wfi();
		/* take what is pending (the handler disarms the timer) */
		csrs(sstatus, SSTATUS_SIE);
		csrc(sstatus, SSTATUS_SIE);
	}
	return 1;
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long tpu = dt_timebase(fdt) / 1000000 ?: 1;
	unsigned long period = bootarg(fdt, "rt.period_us", 10000) * tpu;
	unsigned long work_ticks = bootarg(fdt, "rt.work_us", 1000) * tpu;
	unsigned long periods = bootarg(fdt, "rt.periods", 100);
	unsigned long h = hart < MAX_HARTS ? hart : 0, iters, t0, i, n;
	unsigned long release, wake, done, jitter, resp;
	unsigned long misses = 0, early = 0, lost = 0;
	unsigned long max_jitter = 0, max_resp = 0;

	gprintf("# rt: hart %lu, period %lu ticks, work %lu ticks, %lu "
		"periods\n",
		hart, period, work_ticks, periods);
	iters = calibrate(work_ticks);
	check("rt_calibrated", iters > 0);
	if (!iters)
		return;
	csrs(sie, MIP_STIP);
	t0 = rdtime() + period;
	for (i = 0; i < periods; i++) {
		release = t0 + i * period;
		n = irq_count[h][IRQ_S_TIMER];
		sbi_set_timer(release);
		if (!wait_timer(h, n,
				release + WAKE_TIMEOUT_PERIODS * period)) {
			lost++;
			break;
		}
		wake = rdtime();
		if (wake < release) {
			early++;
			continue;
		}
		work(iters);
		done = rdtime();
		jitter = wake - release;
		resp = done - release;
		if (jitter > max_jitter)
			max_jitter = jitter;
		if (resp > max_resp)
			max_resp = resp;
		if (done > release + period) {
			misses++;
			gprintf("# rt: period %lu: deadline miss, jitter %lu, "
				"response %lu ticks\n",
				i, jitter, resp);
		}
	}
	csrc(sie, MIP_STIP);
	sbi_set_timer(-1UL);
	gprintf("# rt: periods=%lu misses=%lu max_jitter_ticks=%lu "
		"max_response_ticks=%lu\n",
		i, misses, max_jitter, max_resp);
	check("rt_all_releases_woke", !lost && i == periods);
	check_eq("rt_no_early_wake", early, 0);
	check_eq("rt_no_deadline_miss", misses, 0);
}
