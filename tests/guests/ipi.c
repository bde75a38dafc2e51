// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI IPI (v2.0 §7, hart masks §3.1): send_ipi raises the supervisor
 * software interrupt on every hart named by hart_mask/hart_mask_base
 * (base -1: all harts, mask ignored); an empty mask is a no-op; any
 * invalid hart id fails the whole call with SBI_ERR_INVALID_PARAM, so
 * nothing is sent. The interrupt stays pending while masked, wakes a hart
 * in wfi, and none is lost in a ping-pong. Other harts are started with
 * SBI HSM (§9) and wait in wfi, counting their interrupts.
 */
#include "guest.h"

#define TIMEOUT 20000000UL    /* 2 s at 10 MHz */
#define QUIET 1000000UL	      /* 100 ms: nothing may arrive meanwhile */
#define PEER_LIFE 400000000UL /* 40 s: a peer never waits longer */
#define PINGS 100

static volatile unsigned long ready[MAX_HARTS], quit[MAX_HARTS];
static volatile unsigned long handled[MAX_HARTS];
static volatile unsigned long pong_to = -1UL;

#define SOFT(h) (&irq_count[h][IRQ_S_SOFT])

/*
 * Peer: sleep in wfi with SIE off (wfi still wakes on a pending SSIP),
 * then open SIE to take what is pending. A far timer bounds every wfi.
 */
void guest_secondary(unsigned long hart, unsigned long opaque)
{
	unsigned long end = rdtime() + PEER_LIFE, seen = 0;

	(void)opaque;
	csrs(sie, MIP_SSIP | MIP_STIP);
	sbi_set_timer(end);
	ready[hart] = 1;
	while (!quit[hart] && rdtime() < end) {
		if (seen == *SOFT(hart))
			wfi();
		csrs(sstatus, SSTATUS_SIE);
		csrc(sstatus, SSTATUS_SIE);
		while (seen < *SOFT(hart)) {
			seen++;
			if (pong_to != -1UL)
				sbi_send_ipi(1, pong_to);
		}
		handled[hart] = seen;
	}
	sbi_set_timer(-1UL);
	csrc(sie, MIP_SSIP | MIP_STIP);
}

/* Harts started here, as a bit mask */
static unsigned long started;

/* Snapshot the counts of every started hart */
static void snap(unsigned long *n)
{
	unsigned long h;

	for (h = 0; h < MAX_HARTS; h++)
		n[h] = *SOFT(h);
}

/* Did every hart in want get at least one more interrupt than in n? */
static int all_got_one(const unsigned long *n, unsigned long want)
{
	unsigned long h;
	int ok = 1;

	for (h = 0; h < MAX_HARTS; h++) {
		if (!(want >> h & 1))
			continue;
		if (!wait_ge(SOFT(h), n[h] + 1, TIMEOUT)) {
			gprintf("# hart %lu: no IPI\n", h);
			ok = 0;
		}
	}
	return ok;
}

/* No started hart got anything since n, after a quiet period */
static int none_got(const unsigned long *n)
{
	unsigned long h;
	int ok = 1;

	sleep_ticks(QUIET);
	for (h = 0; h < MAX_HARTS; h++)
		if ((started >> h & 1) && *SOFT(h) != n[h])
			ok = 0;
	return ok;
}

/*
 * An IPI to hart and to the first hart id past the last (nharts): one
 * mask, base 0 below 64 harts; with 64, a base that reaches past them
 * (hart 0 cannot share such a mask: the invalid hart goes alone)
 */
static struct ret ipi_with_invalid(unsigned long hart, unsigned long nharts)
{
	if (nharts < 64)
		return sbi_send_ipi(1UL << hart | 1UL << nharts, 0);
	if (!hart)
		return sbi_send_ipi(1UL << 63, nharts - 63);
	return sbi_send_ipi(1UL | 1UL << (nharts - hart), hart);
}

static void ipi_self(unsigned long me, unsigned long nharts)
{
	unsigned long n[MAX_HARTS];
	struct ret r;

	snap(n);
	r = sbi_send_ipi(1UL << me, 0);
	check_eq("ipi_self_ok", r.error, 0);
	check("ipi_self_delivered", all_got_one(n, 1UL << me));

	snap(n);
	r = sbi_send_ipi(1, me);
	check("ipi_self_base_offset", !r.error && all_got_one(n, 1UL << me));

	snap(n);
	r = sbi_send_ipi(0, 0);
	check_eq("ipi_empty_mask_ok", r.error, 0);
	check("ipi_empty_mask_nothing_sent", none_got(n));

	/* masked by sstatus.SIE: pending in sip, taken once SIE is set */
	csrc(sstatus, SSTATUS_SIE);
	snap(n);
	r = sbi_send_ipi(1UL << me, 0);
	sleep_ticks(QUIET);
	check("ipi_pending_while_masked",
	      !r.error && (csrr(sip) & MIP_SSIP) && *SOFT(me) == n[me]);
	csrs(sstatus, SSTATUS_SIE);
	check("ipi_taken_when_unmasked",
	      wait_ge(SOFT(me), n[me] + 1, TIMEOUT) && *SOFT(me) == n[me] + 1 &&
		      !(csrr(sip) & MIP_SSIP));

	/* any invalid hart fails the whole call: nothing is sent */
	snap(n);
	r = sbi_send_ipi(1, nharts);
	check_eq("ipi_invalid_base", r.error, SBI_ERR_INVALID_PARAM);
	r = sbi_send_ipi(1, -2UL);
	check_eq("ipi_invalid_huge_base", r.error, SBI_ERR_INVALID_PARAM);
	r = ipi_with_invalid(me, nharts);
	check_eq("ipi_invalid_mask_bit", r.error, SBI_ERR_INVALID_PARAM);
	check("ipi_invalid_nothing_sent", none_got(n));
}

static void ipi_all(unsigned long nharts)
{
	unsigned long n[MAX_HARTS];
	struct ret r;

	snap(n);
	r = sbi_send_ipi(0, -1UL); /* mask ignored with base -1 */
	check_eq("ipi_broadcast_ok", r.error, 0);
	check("ipi_broadcast_all", all_got_one(n, started));

	snap(n);
	r = sbi_send_ipi(nharts < 64 ? (1UL << nharts) - 1 : ~0UL, 0);
	check("ipi_all_mask", !r.error && all_got_one(n, started));
}

static void ipi_peers(unsigned long me, unsigned long nharts)
{
	unsigned long n[MAX_HARTS], h, peer = (me + 1) % nharts, p0, i;
	int each = 1, offset = 1, woke = 1, pp = 1;
	struct ret r;

	for (h = 0; h < nharts && h < MAX_HARTS; h++) {
		if (h == me)
			continue;
		snap(n);
		r = sbi_send_ipi(1UL << h, 0);
		each &= !r.error && all_got_one(n, 1UL << h);
		woke &= wait_ge(&handled[h], n[h] + 1, TIMEOUT);
		snap(n);
		r = sbi_send_ipi(1, h);
		offset &= !r.error && all_got_one(n, 1UL << h);
	}
	check("ipi_each_peer", each);
	check("ipi_peer_base_offset", offset);
	check("ipi_wakes_wfi", woke);

	snap(n);
	r = ipi_with_invalid(peer, nharts);
	check_eq("ipi_invalid_with_peer", r.error, SBI_ERR_INVALID_PARAM);
	check("ipi_invalid_spares_peer", none_got(n));

	/* ping-pong: the peer answers each IPI with one to us */
	wait_until(&handled[peer], *SOFT(peer), TIMEOUT);
	p0 = *SOFT(peer);
	pong_to = me;
	for (i = 0; i < PINGS && pp; i++) {
		snap(n);
		r = sbi_send_ipi(1, peer);
		pp = !r.error && wait_ge(SOFT(me), n[me] + 1, TIMEOUT);
	}
	pong_to = -1UL;
	if (!pp)
		gprintf("# ping-pong stopped at round %lu\n", i);
	check("ipi_ping_pong_100", pp);
	check_eq("ipi_ping_pong_exact", *SOFT(peer) - p0, PINGS);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long nharts = dt_nharts(fdt), h;

	gprintf("# ipi: hart %lu, %lu harts\n", hart, nharts);
	started = 1UL << hart;
	csrs(sie, MIP_SSIP);
	csrs(sstatus, SSTATUS_SIE);
	ipi_self(hart, nharts);

	for (h = 0; h < nharts && h < MAX_HARTS; h++) {
		if (h == hart)
			continue;
		if (sbi_hart_start(h, (unsigned long)crt_secondary, 0).error ||
		    !wait_until(&ready[h], 1, TIMEOUT))
			gprintf("# hart %lu did not start\n", h);
		else
			started |= 1UL << h;
	}
	ipi_all(nharts);
	if (nharts >= 2) {
		ipi_peers(hart, nharts);
	} else {
		skip("ipi_each_peer", "single hart");
		skip("ipi_peer_base_offset", "single hart");
		skip("ipi_wakes_wfi", "single hart");
		skip("ipi_invalid_with_peer", "single hart");
		skip("ipi_invalid_spares_peer", "single hart");
		skip("ipi_ping_pong_100", "single hart");
		skip("ipi_ping_pong_exact", "single hart");
	}

	for (h = 0; h < MAX_HARTS; h++) {
		if (h == hart || !(started >> h & 1))
			continue;
		quit[h] = 1;
		sbi_send_ipi(1, h);
		wait_hart_state(h, SBI_HSM_STATE_STOPPED, TIMEOUT);
	}
	csrc(sstatus, SSTATUS_SIE);
	csrc(sie, MIP_SSIP);
}
