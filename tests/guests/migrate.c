// SPDX-License-Identifier: BSD-2-Clause
/*
 * IPIs and remote fences while the hypervisor moves vCPUs between harts.
 * Meant for more vCPUs than host harts (tests/configs/migrate.dts: 4
 * vCPUs on 2 harts): every vCPU, for migrate.rounds rounds (bootargs,
 * default 400), works for a while
 * (runnable), fences every other vCPU (SBI RFENCE, v2.0 §8), passes a
 * token to the next vCPU with an IPI (§7), and sleeps in wfi until its
 * own token arrives. A lost IPI stops the ring and the checks time out;
 * sleeping vCPUs leave harts idle while others wait for one, which is
 * when the hypervisor migrates them. The ring also checks that each
 * vCPU received exactly one IPI per round.
 */
#include "guest.h"

#define ROUNDS_DEFAULT 400
#define ROUNDS_MAX 100000
#define TIMEOUT 50000000UL /* 5 s at 10 MHz: a round never takes that */

static volatile unsigned long ready[MAX_HARTS], done[MAX_HARTS];
static volatile unsigned long call_errors[MAX_HARTS], lost[MAX_HARTS];
static volatile unsigned long rounds_done[MAX_HARTS];
static unsigned long nvcpus, rounds = ROUNDS_DEFAULT;

#define SOFT(h) (&irq_count[h][IRQ_S_SOFT])

static struct ret rfence(unsigned long fid, unsigned long mask,
			 unsigned long start, unsigned long size)
{
	return ecall(SBI_EXT_RFENCE, fid, mask, 0, start, size, 0, 0);
}

/* Busy for a pseudo-random 0.02..1.5 ms (xorshift on the vCPU's seed) */
static void work(unsigned long *seed)
{
	unsigned long end;

	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	end = rdtime() + 200 + *seed % 15000;
	while (rdtime() < end)
		;
}

/*
 * The ring: wait (wfi, SIE off: wfi still wakes on a pending SSIP) until
 * this vCPU's IPI count reaches want; then take the interrupt.
 */
static int wait_token(unsigned long me, unsigned long want)
{
	unsigned long end = rdtime() + TIMEOUT;

	while (*SOFT(me) < want && rdtime() < end) {
		if (!(csrr(sip) & MIP_SSIP))
			wfi();
		csrs(sstatus, SSTATUS_SIE);
		csrc(sstatus, SSTATUS_SIE);
	}
	return *SOFT(me) >= want;
}

static void ring(unsigned long me)
{
	unsigned long next = (me + 1) % nvcpus, all = (1UL << nvcpus) - 1;
	unsigned long seed = 0x9e3779b97f4a7c15UL * (me + 1), i, page;
	struct ret r;

	page = (unsigned long)&ready & ~0xfffUL;
	for (i = 0; i < rounds; i++) {
		work(&seed);
		r = rfence(SBI_EXT_RFENCE_REMOTE_FENCE_I, all & ~(1UL << me), 0,
			   0);
		call_errors[me] += r.error != 0;
		r = rfence(SBI_EXT_RFENCE_REMOTE_SFENCE_VMA, all, page, 4096);
		call_errors[me] += r.error != 0;
		/*
		 * One token goes round: vCPU 0 sends first, the others
		 * wait for theirs, so IPIs to one vCPU never coalesce.
		 */
		if (me || i)
			if (!wait_token(me, me ? i + 1 : i)) {
				lost[me] = i + 1;
				return;
			}
		r = sbi_send_ipi(1UL << next, 0);
		call_errors[me] += r.error != 0;
		rounds_done[me] = i + 1;
	}
	if (!me && !wait_token(me, rounds))
		lost[me] = rounds + 1;
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	(void)opaque;
	csrs(sie, MIP_SSIP);
	ready[hart] = 1;
	ring(hart);
	done[hart] = 1;
	csrc(sie, MIP_SSIP);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long h, errors = 0, lost_any = 0, got = 1;

	nvcpus = dt_nharts(fdt);
	if (dt_bootarg_ulong(fdt, "migrate.rounds", &rounds) < 0 || !rounds ||
	    rounds > ROUNDS_MAX) {
		check("migrate_rounds_valid", 0);
		return;
	}
	gprintf("# migrate: vcpu %lu of %lu, %lu rounds\n", hart, nvcpus,
		rounds);
	if (hart || nvcpus < 2 || nvcpus > MAX_HARTS) {
		skip("migrate_ring", "needs vCPU 0 of 2..8");
		return;
	}
	csrs(sie, MIP_SSIP);
	for (h = 1; h < nvcpus; h++)
		if (sbi_hart_start(h, (unsigned long)crt_secondary, 0).error ||
		    !wait_until(&ready[h], 1, TIMEOUT))
			got = 0;
	check("migrate_all_started", got);
	ring(0);
	for (h = 1; h < nvcpus; h++)
		if (!wait_until(&done[h], 1, TIMEOUT))
			lost_any = 1;
	for (h = 0; h < nvcpus; h++) {
		errors += call_errors[h];
		if (lost[h]) {
			gprintf("# vcpu %lu: no token in round %lu "
				"(ipis=%lu)\n",
				h, lost[h] - 1, *SOFT(h));
			lost_any = 1;
		}
	}
	check("migrate_ring_complete", !lost_any);
	check_eq("migrate_calls_ok", errors, 0);
	for (h = 0, got = 1; h < nvcpus; h++)
		if (rounds_done[h] != rounds)
			got = 0;
	check("migrate_every_round", got);
	for (h = 0, got = 1; h < nvcpus; h++)
		if (*SOFT(h) != rounds)
			got = 0;
	check("migrate_one_ipi_per_round", got);
	for (h = 1; h < nvcpus; h++)
		wait_hart_state(h, SBI_HSM_STATE_STOPPED, TIMEOUT);
	csrc(sie, MIP_SSIP);
}
