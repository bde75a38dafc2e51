// SPDX-License-Identifier: BSD-2-Clause
/*
 * An IPI and SBI flood (tests/system/test_multi.py): vCPU 0 sends IPIs to
 * vCPU 1 and makes SBI calls as fast as it can for flood.us microseconds
 * (bootargs, default 1000000) while vCPU 1 takes every IPI it gets. Placed
 * so that vCPU 1 shares a hart with another guest, it shows that a flood
 * costs that guest no more than its scheduling policy allows.
 *
 * Prints "# flood: ipis=N sbi=M taken=T".
 */
#include "guest.h"

#define START_TIMEOUT 20000000UL /* 2 s */

static volatile unsigned long stop, ready;

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	(void)opaque;
	csrs(sie, MIP_SSIP);
	csrs(sstatus, SSTATUS_SIE);
	ready = 1;
	while (!stop)
		wfi();
	csrc(sstatus, SSTATUS_SIE);
	gprintf("# flood: vcpu %lu took %lu IPIs\n", hart,
		irq_count[hart][IRQ_S_SOFT]);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long us = 1000000, end, ipis = 0, sbi = 0, peer = !hart;
	struct ret r;
	int ok = 1;

	dt_bootarg_ulong(fdt, "flood.us", &us);
	if (dt_nharts(fdt) < 2) {
		skip("flood_ipis", "needs two vCPUs");
		return;
	}
	check_eq("flood_start_peer",
		 sbi_hart_start(peer, (unsigned long)crt_secondary, 0).error,
		 0);
	check("flood_peer_ready", wait_until(&ready, 1, START_TIMEOUT));
	end = rdtime() + us * 10;
	while (rdtime() < end) {
		r = sbi_send_ipi(1UL << peer, 0);
		ok &= !r.error;
		ipis++;
		r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_SPEC_VERSION, 0, 0, 0,
			  0, 0, 0);
		ok &= !r.error;
		sbi++;
	}
	stop = 1;
	sbi_send_ipi(1UL << peer, 0);
	check("flood_calls_ok", ok);
	check("flood_peer_stopped",
	      wait_hart_state(peer, SBI_HSM_STATE_STOPPED, START_TIMEOUT));
	gprintf("# flood: ipis=%lu sbi=%lu taken=%lu\n", ipis, sbi,
		irq_count[peer][IRQ_S_SOFT]);
	check("flood_ipis", ipis > 0 && irq_count[peer][IRQ_S_SOFT] > 0);
}
