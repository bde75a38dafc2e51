// SPDX-License-Identifier: BSD-2-Clause
/*
 * A CPU hog (tests/system/test_multi.py): every vCPU of the guest spins
 * without ever yielding - no wfi, no SBI call - for hog.us microseconds of
 * time (bootargs, default 1000000), counting loop iterations, then the
 * guest shuts down. Whatever else shares its harts runs only when the
 * hypervisor takes the CPU away from it: each vCPU counts the gaps in the
 * time it observes (longer than GAP_TICKS) and the longest one.
 *
 * Prints, per vCPU, "# hog: hart H iterations=N gaps=G max_gap_ticks=M".
 */
#include <libfdt.h>
#include "guest.h"

#define GAP_TICKS 1000		 /* 100 us at 10 MHz: the vCPU did not run */
#define START_TIMEOUT 20000000UL /* 2 s */

static unsigned long hog_ticks;
static volatile unsigned long finished;

static void hog(unsigned long hart)
{
	unsigned long start = rdtime(), end = start + hog_ticks, last = start;
	unsigned long now, iters = 0, gaps = 0, max_gap = 0;

	while ((now = rdtime()) < end) {
		iters++;
		if (now - last > GAP_TICKS)
			gaps++;
		if (now - last > max_gap)
			max_gap = now - last;
		last = now;
	}
	gprintf("# hog: hart %lu iterations=%lu gaps=%lu max_gap_ticks=%lu\n",
		hart, iters, gaps, max_gap);
	check("hog_progress", iters > 0);
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	(void)opaque;
	hog(hart);
	__atomic_add_fetch(&finished, 1, __ATOMIC_RELEASE);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long tpu = dt_timebase(fdt) / 1000000 ?: 1, us = 1000000, h;
	unsigned long n = dt_nharts(fdt), peers = 0;
	struct ret r;

	if (dt_bootarg_ulong(fdt, "hog.us", &us) < 0)
		check("hog_us_valid", 0);
	hog_ticks = us * tpu;
	gprintf("# hog: hart %lu, %lu vCPUs, %lu us\n", hart, n, us);
	for (h = 0; h < n && h < MAX_HARTS; h++) {
		if (h == hart)
			continue;
		r = sbi_hart_start(h, (unsigned long)crt_secondary, 0);
		check_eq("hog_peer_started", r.error, 0);
		peers += !r.error;
	}
	hog(hart);
	check("hog_peers_done",
	      wait_ge(&finished, peers, hog_ticks + START_TIMEOUT));
	for (h = 0; h < n && h < MAX_HARTS; h++)
		if (h != hart)
			wait_hart_state(h, SBI_HSM_STATE_STOPPED,
					START_TIMEOUT);
}
