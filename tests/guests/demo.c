// SPDX-License-Identifier: BSD-2-Clause
/*
 * `make run` demo: a small guest that greets from every vCPU and uses the
 * SBI calls sbivisor serves, then powers off (stats are printed on exit).
 */
#include "guest.h"

static volatile unsigned long hello[MAX_HARTS];

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	gprintf("demo: vCPU %lu started through SBI HSM (opaque 0x%lx)\n", hart,
		opaque);
	hello[hart] = 1;
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long n = dt_nharts(fdt), i, t0;
	struct ret r;

	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0,
		  0);
	gprintf("demo: hello from vCPU %lu of %lu; SBI v%lu.%lu\n", hart, n,
		r.value >> 24, r.value & 0xffffff);
	for (i = 0; i < n && i < MAX_HARTS; i++) {
		if (i == hart)
			continue;
		r = ecall(SBI_EXT_HSM, SBI_EXT_HSM_HART_START, i,
			  (unsigned long)crt_secondary, 0xd3d0 + i, 0, 0, 0);
		check_eq("demo_hart_start", r.error, 0);
		check("demo_secondary_ran", wait_until(&hello[i], 1, 20000000));
	}
	csrs(sie, MIP_STIP | MIP_SSIP);
	csrs(sstatus, SSTATUS_SIE);
	t0 = rdtime();
	ecall(SBI_EXT_TIME, SBI_EXT_TIME_SET_TIMER, t0 + 100000, 0, 0, 0, 0, 0);
	while (!irq_count[hart][IRQ_S_TIMER] && rdtime() < t0 + 20000000)
		__asm__ __volatile__("wfi");
	check("demo_timer_interrupt", irq_count[hart][IRQ_S_TIMER] > 0);
	r = ecall(SBI_EXT_IPI, SBI_EXT_IPI_SEND_IPI, 1UL << hart, 0, 0, 0, 0,
		  0);
	check("demo_self_ipi",
	      !r.error &&
		      wait_until(&irq_count[hart][IRQ_S_SOFT], 1, 20000000));
	r = ecall(SBI_EXT_RFENCE, SBI_EXT_RFENCE_REMOTE_FENCE_I, 0, -1UL, 0, 0,
		  0, 0);
	check_eq("demo_remote_fence_i", r.error, 0);
	gprintf("demo: timer fired %lu us after it was set; powering off\n",
		(irq_time[hart][IRQ_S_TIMER] - t0) / 10);
}
