// SPDX-License-Identifier: BSD-2-Clause
/*
 * An IPI and SBI flood (tests/system/test_multi.py): vCPU 0 sends IPIs to
 * vCPU 1 and makes SBI calls as fast as it can for flood.us microseconds
 * (bootargs, default 1000000) while vCPU 1 takes every IPI it gets. Placed
 * so that vCPU 1 shares a hart with another guest, it shows that a flood
 * costs that guest no more than its scheduling policy allows.
 *
 * Prints "# flood: ipis=N sbi=M taken=T".
 *
 * "flood.ignore": vCPU 1 never enables SSIE and sleeps in wfi, waking
 * only every 50 ms on its timer: the IPIs pile up on a vCPU that does not
 * take them, whose hart a victim guest shares. "flood.rfence": every
 * round also fences vCPU 1 (SBI RFENCE). "flood.plic": instead of IPIs,
 * vCPU 0 raises and lowers vCPU 1's external interrupt line through the
 * guest's own vPLIC (the UART's THR-empty interrupt pending, enabled for
 * vCPU 1's context, whose threshold it toggles). None of these may cost
 * the victim an exit per call (issue #9, defect 6 and its review).
 */
#include "guest.h"

#define START_TIMEOUT 20000000UL /* 2 s */

static volatile unsigned long stop, ready, ignore;

#define PLIC 0x0c000000UL
#define UART 0x10000000UL
#define UART_IRQ 10

static void w32(unsigned long a, unsigned int v)
{
	*(volatile unsigned int *)a = v;
}

/* Source 10 pending (THR empty) and enabled for context ctx */
static void plic_arm(unsigned long ctx)
{
	*(volatile unsigned char *)(UART + 1) = 0x02; /* IER.THRI */
	w32(PLIC + 4 * UART_IRQ, 1);
	w32(PLIC + 0x2000 + 0x80 * ctx, 1U << UART_IRQ);
}

static void plic_toggle(unsigned long ctx, unsigned long i)
{
	w32(PLIC + 0x200000 + 0x1000 * ctx, i & 1);
}

/* vCPU 1 with flood.ignore: asleep, SSIE off, a timer every 50 ms */
static void sleeper(void)
{
	csrs(sie, MIP_STIP);
	ready = 1;
	while (!stop) {
		sbi_set_timer(rdtime() + 500000);
		wfi();
	}
	sbi_set_timer(-1UL);
	csrc(sie, MIP_STIP);
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	(void)opaque;
	if (ignore) {
		sleeper();
		return;
	}
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

	int len, rfence, plic;

	dt_bootarg_ulong(fdt, "flood.us", &us);
	ignore = dt_bootarg(fdt, "flood.ignore", &len) != NULL;
	rfence = dt_bootarg(fdt, "flood.rfence", &len) != NULL;
	plic = dt_bootarg(fdt, "flood.plic", &len) != NULL;
	if (dt_nharts(fdt) < 2) {
		skip("flood_ipis", "needs two vCPUs");
		return;
	}
	check_eq("flood_start_peer",
		 sbi_hart_start(peer, (unsigned long)crt_secondary, 0).error,
		 0);
	check("flood_peer_ready", wait_until(&ready, 1, START_TIMEOUT));
	if (plic)
		plic_arm(peer);
	end = rdtime() + us * 10;
	while (rdtime() < end) {
		if (plic) {
			plic_toggle(peer, ipis++);
			continue;
		}
		r = sbi_send_ipi(1UL << peer, 0);
		ok &= !r.error;
		ipis++;
		if (rfence)
			r = ecall(SBI_EXT_RFENCE,
				  SBI_EXT_RFENCE_REMOTE_SFENCE_VMA, 1UL << peer,
				  0, 0, 4096, 0, 0);
		else
			r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_SPEC_VERSION,
				  0, 0, 0, 0, 0, 0);
		ok &= !r.error;
		sbi++;
	}
	stop = 1;
	if (plic)
		plic_toggle(peer, 1);
	sbi_send_ipi(1UL << peer, 0);
	check("flood_calls_ok", ok);
	check("flood_peer_stopped",
	      wait_hart_state(peer, SBI_HSM_STATE_STOPPED, START_TIMEOUT));
	gprintf("# flood: ipis=%lu sbi=%lu taken=%lu\n", ipis, sbi,
		irq_count[peer][IRQ_S_SOFT]);
	if (ignore)
		check_eq("flood_ipis_not_taken", irq_count[peer][IRQ_S_SOFT],
			 0);
	else
		check("flood_ipis",
		      ipis > 0 && irq_count[peer][IRQ_S_SOFT] > 0);
}
