// SPDX-License-Identifier: BSD-2-Clause
/* Virtual PLIC: registers, gateway, claim/complete, line notifications. */
#include "unit.h"
#include <sbi/sbi_ecall_interface.h>
#include "../../hyp/dev/vplic.h"

#define NDEV 40 /* two enable words: bits 0..8 of word 1 are real */
#define NCTX 2
#define PRIO(src) (PLIC_PRIORITY_BASE + 4 * (src))
#define PEND(w) (PLIC_PENDING_BASE + 4 * (w))
#define ENABLE(ctx, w) (PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * (ctx) + 4 * (w))
#define THRESH(ctx) (PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * (ctx))
#define CLAIM(ctx) (THRESH(ctx) + 4)

static struct vplic vp;
static int priv_token;
static int notified[VPLIC_MAX_CTX], nnotify, ncomplete;
static u32 last_complete;
static u32 completed[VPLIC_WORDS]; /* every source completed, as a set */
static bool line_seen[VPLIC_MAX_CTX];

static void fake_notify(struct virqchip *c, u32 ctx)
{
	struct vplic *p = vplic_of(c);

	/* the lock is released: vplic_eip would deadlock otherwise */
	assert_false(spin_is_locked(&p->lock));
	assert_true(ctx < p->nctx);
	notified[ctx]++;
	nnotify++;
	line_seen[ctx] = vplic_eip(p, ctx);
	assert_true(line_seen[ctx] == p->eip[ctx]);
}

static void fake_complete(struct virqchip *c, u32 src)
{
	struct vplic *p = vplic_of(c);

	assert_false(spin_is_locked(&p->lock));
	ncomplete++;
	last_complete = src;
	assert_true(src && src < VPLIC_MAX_SRC);
	completed[src / 32] |= 1U << (src % 32);
}

static const struct virqchip_hooks fake_ops = { fake_notify, fake_complete };

static void clear_counts(void)
{
	int i;

	for (i = 0; i < VPLIC_MAX_CTX; i++) {
		notified[i] = 0;
		line_seen[i] = false;
	}
	nnotify = 0;
	ncomplete = 0;
	last_complete = 0;
	for (i = 0; i < VPLIC_WORDS; i++)
		completed[i] = 0;
}

static int setup(void **state)
{
	(void)state;
	clear_counts();
	assert_int_equal(vplic_init(&vp, NDEV, NCTX, &fake_ops, &priv_token),
			 0);
	return 0;
}

static void wr(unsigned long off, u32 v)
{
	assert_int_equal(vplic_write(&vp, off, 4, v), 0);
}

static u32 rd(unsigned long off)
{
	u64 v = ~0ULL;

	assert_int_equal(vplic_read(&vp, off, 4, &v), 0);
	assert_true(v <= 0xffffffffULL);
	return (u32)v;
}

/* src at priority prio, enabled for ctx, line raised */
static void raise_src(u32 ctx, u32 src, u32 prio)
{
	wr(PRIO(src), prio);
	wr(ENABLE(ctx, src / 32), rd(ENABLE(ctx, src / 32)) | 1U << src % 32);
	vplic_set_level(&vp, src, true);
}

/* Edges: latched whole, kept while in service, coalesced before a claim */
static void test_pulse(void **state)
{
	(void)state;
	wr(PRIO(5), 1);
	wr(ENABLE(0, 0), 1U << 5);
	vplic_pulse(&vp, 5);
	assert_true(vplic_line(&vp, 0));
	assert_int_equal(notified[0], 1);
	vplic_pulse(&vp, 5); /* coalesces */
	assert_int_equal(rd(CLAIM(0)), 5);
	assert_false(vplic_line(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 0);
	/* completing does not re-arm: the level never stayed high */
	wr(CLAIM(0), 5);
	assert_false(vplic_line(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 0);
	/* an edge during service is served after completion */
	vplic_pulse(&vp, 5);
	assert_int_equal(rd(CLAIM(0)), 5);
	vplic_pulse(&vp, 5);
	assert_false(vplic_line(&vp, 0)); /* in service: not shown */
	wr(CLAIM(0), 5);
	assert_true(vplic_line(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 5);
	wr(CLAIM(0), 5);
	assert_int_equal(rd(CLAIM(0)), 0);
	/* bad sources are ignored */
	vplic_pulse(&vp, 0);
	vplic_pulse(&vp, NDEV + 1);
	assert_int_equal(rd(PEND(0)), 0);
	assert_false(vplic_line(&vp, 1));
	assert_false(vplic_line(&vp, VPLIC_MAX_CTX));
}

static void test_init_args(void **state)
{
	static struct vplic p;

	(void)state;
	assert_int_equal(vplic_init(&p, 0, 1, NULL, NULL),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(vplic_init(&p, VPLIC_MAX_SRC, 1, NULL, NULL),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(vplic_init(&p, 1, 0, NULL, NULL),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(vplic_init(&p, 1, VPLIC_MAX_CTX + 1, NULL, NULL),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(vplic_init(&p, VPLIC_MAX_SRC - 1, VPLIC_MAX_CTX, NULL,
				    NULL),
			 0);
	assert_int_equal(p.ndev, VPLIC_MAX_SRC - 1);
	assert_int_equal(p.nctx, VPLIC_MAX_CTX);
	/* the last source of the last context works, with no ops at all */
	assert_int_equal(vplic_write(&p, PRIO(127), 4, 1), 0);
	assert_int_equal(vplic_write(&p, ENABLE(15, 3), 4, 1U << 31), 0);
	vplic_set_level(&p, 127, true);
	assert_true(vplic_eip(&p, 15));
	assert_false(vplic_eip(&p, 0));
	assert_false(vplic_eip(&p, VPLIC_MAX_CTX));
	assert_int_equal(p.unimpl, 0);
}

static void test_null_callbacks(void **state)
{
	static const struct virqchip_hooks none = { NULL, NULL };
	u64 v;

	(void)state;
	assert_int_equal(vplic_init(&vp, NDEV, NCTX, &none, NULL), 0);
	raise_src(0, 3, 1);
	assert_int_equal(vplic_read(&vp, CLAIM(0), 4, &v), 0);
	assert_int_equal(v, 3);
	assert_false(vplic_eip(&vp, 0));
	assert_int_equal(vplic_write(&vp, CLAIM(0), 4, 3), 0);
	/* re-pended: the level is still high */
	assert_true(vplic_eip(&vp, 0));
}

static void test_priority_regs(void **state)
{
	(void)state;
	wr(PRIO(0), 5);
	assert_int_equal(rd(PRIO(0)), 0);
	wr(PRIO(1), 0xffffffff);
	assert_int_equal(rd(PRIO(1)), VPLIC_PRIO_MASK);
	wr(PRIO(NDEV), 0x13);
	assert_int_equal(rd(PRIO(NDEV)), 3);
	assert_int_equal(vp.unimpl, 0);
	/* beyond ndev: not modelled */
	wr(PRIO(NDEV + 1), 7);
	assert_int_equal(rd(PRIO(NDEV + 1)), 0);
	assert_int_equal(rd(PRIO(1023)), 0);
	assert_int_equal(vp.unimpl, 3);
	assert_int_equal(nnotify, 0);
}

static void test_pending_read_only(void **state)
{
	(void)state;
	vplic_set_level(&vp, 1, true);
	vplic_set_level(&vp, 33, true);
	vplic_set_level(&vp, NDEV, true);
	assert_int_equal(rd(PEND(0)), 1U << 1);
	assert_int_equal(rd(PEND(1)), 1U << 1 | 1U << (NDEV - 32));
	wr(PEND(0), 0);
	wr(PEND(1), ~0U);
	assert_int_equal(rd(PEND(0)), 1U << 1);
	assert_int_equal(rd(PEND(1)), 1U << 1 | 1U << (NDEV - 32));
	assert_int_equal(vp.unimpl, 0);
	/* word 2 holds sources 64..95 > ndev */
	assert_int_equal(rd(PEND(2)), 0);
	assert_int_equal(rd(PEND(31)), 0);
	assert_int_equal(vp.unimpl, 2);
}

static void test_enable_regs(void **state)
{
	(void)state;
	wr(ENABLE(0, 0), ~0U);
	assert_int_equal(rd(ENABLE(0, 0)), ~1U);
	wr(ENABLE(1, 1), ~0U);
	assert_int_equal(rd(ENABLE(1, 1)), (1U << (NDEV - 32 + 1)) - 1);
	assert_int_equal(rd(ENABLE(0, 1)), 0);
	assert_int_equal(rd(ENABLE(1, 0)), 0);
	assert_int_equal(vp.unimpl, 0);
	wr(ENABLE(0, 2), ~0U);
	assert_int_equal(rd(ENABLE(0, 2)), 0);
	wr(ENABLE(NCTX, 0), ~0U);
	assert_int_equal(rd(ENABLE(NCTX, 0)), 0);
	assert_int_equal(vp.unimpl, 4);
	assert_int_equal(vp.enable[NCTX][0], 0);
}

static void test_threshold_regs(void **state)
{
	(void)state;
	wr(THRESH(1), 0xfffffffe);
	assert_int_equal(rd(THRESH(1)), 6);
	assert_int_equal(rd(THRESH(0)), 0);
	assert_int_equal(vp.unimpl, 0);
	wr(THRESH(NCTX), 3);
	assert_int_equal(rd(THRESH(NCTX)), 0);
	assert_int_equal(rd(CLAIM(NCTX)), 0);
	assert_int_equal(vp.threshold[NCTX], 0);
	assert_int_equal(vp.unimpl, 3);
}

static void test_holes(void **state)
{
	static const unsigned long holes[] = {
		PLIC_PENDING_BASE + 0x80,
		PLIC_ENABLE_BASE - 4,
		PLIC_CONTEXT_BASE - 4,
		THRESH(0) + 8,
		THRESH(1) + 0xffc,
		PLIC_SIZE - 4,
		PLIC_SIZE,
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(holes); i++) {
		wr(holes[i], ~0U);
		assert_int_equal(rd(holes[i]), 0);
	}
	assert_int_equal(vp.unimpl, 2 * ARRAY_SIZE(holes));
	assert_int_equal(nnotify, 0);
}

static void test_claim_priority_then_lowest_id(void **state)
{
	(void)state;
	raise_src(0, 5, 2);
	raise_src(0, 9, 3);
	raise_src(0, 7, 3);
	raise_src(0, 35, 1);
	assert_int_equal(rd(CLAIM(0)), 7);
	assert_int_equal(rd(CLAIM(0)), 9);
	assert_int_equal(rd(CLAIM(0)), 5);
	assert_int_equal(rd(CLAIM(0)), 35);
	assert_int_equal(rd(CLAIM(0)), 0);
	assert_int_equal(rd(PEND(0)), 0);
	assert_int_equal(rd(PEND(1)), 0);
	assert_int_equal(vp.active[0], 1U << 5 | 1U << 7 | 1U << 9);
	assert_int_equal(vp.active[1], 1U << 3);
}

static void test_claim_nothing(void **state)
{
	(void)state;
	assert_int_equal(rd(CLAIM(0)), 0);
	/* pending but not enabled */
	wr(PRIO(4), 1);
	vplic_set_level(&vp, 4, true);
	assert_int_equal(rd(CLAIM(0)), 0);
	assert_int_equal(rd(PEND(0)), 1U << 4);
	assert_int_equal(nnotify, 0);
	assert_int_equal(vp.unimpl, 0);
}

static void test_threshold_filters(void **state)
{
	(void)state;
	wr(THRESH(0), 3);
	raise_src(0, 2, 3);
	assert_false(vplic_eip(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 0);
	raise_src(0, 6, 4);
	assert_true(vplic_eip(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 6);
	assert_false(vplic_eip(&vp, 0));
	/* lowering the threshold exposes source 2 */
	wr(THRESH(0), 2);
	assert_true(vplic_eip(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 2);
}

static void test_priority_zero_never(void **state)
{
	(void)state;
	raise_src(0, 3, 0);
	assert_int_equal(rd(PEND(0)), 1U << 3);
	assert_false(vplic_eip(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 0);
	assert_int_equal(rd(PEND(0)), 1U << 3);
	assert_int_equal(nnotify, 0);
	wr(PRIO(3), 1);
	assert_int_equal(notified[0], 1);
	assert_int_equal(rd(CLAIM(0)), 3);
}

static void test_complete_repends_if_level_high(void **state)
{
	(void)state;
	raise_src(0, 8, 1);
	assert_int_equal(rd(CLAIM(0)), 8);
	assert_int_equal(rd(PEND(0)), 0);
	wr(CLAIM(0), 8);
	assert_int_equal(ncomplete, 1);
	assert_int_equal(last_complete, 8);
	assert_int_equal(vp.active[0], 0);
	assert_int_equal(rd(PEND(0)), 1U << 8);
	assert_true(vplic_eip(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 8);
}

static void test_complete_no_repend_if_low(void **state)
{
	(void)state;
	raise_src(0, 8, 1);
	assert_int_equal(rd(CLAIM(0)), 8);
	vplic_set_level(&vp, 8, false);
	wr(CLAIM(0), 8);
	assert_int_equal(ncomplete, 1);
	assert_int_equal(last_complete, 8);
	assert_int_equal(vp.active[0], 0);
	assert_int_equal(rd(PEND(0)), 0);
	assert_false(vplic_eip(&vp, 0));
}

static void test_level_low_keeps_pending(void **state)
{
	(void)state;
	raise_src(0, 8, 1);
	vplic_set_level(&vp, 8, false);
	/* "Interrupt Gateways": a request cannot be retracted */
	assert_int_equal(rd(PEND(0)), 1U << 8);
	assert_true(vplic_eip(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 8);
	/* invalid sources are ignored */
	vplic_set_level(&vp, 0, true);
	vplic_set_level(&vp, NDEV + 1, true);
	assert_int_equal(rd(PEND(0)), 0);
	assert_int_equal(rd(PEND(1)), 0);
	assert_int_equal(vp.level[1], 0);
}

static void test_complete_ignored(void **state)
{
	(void)state;
	raise_src(0, 8, 1);
	raise_src(0, 9, 1);
	/* 9 is pending, not active */
	wr(CLAIM(0), 9);
	assert_int_equal(rd(CLAIM(0)), 8);
	/* 8 is active but not enabled for ctx 1 */
	wr(CLAIM(1), 8);
	/* invalid IDs */
	wr(CLAIM(0), 0);
	wr(CLAIM(0), NDEV + 1);
	wr(CLAIM(0), 8 + 64);
	assert_int_equal(vp.active[0], 1U << 8);
	/* disabled after the claim: the completion is lost too */
	wr(ENABLE(0, 0), 1U << 9);
	wr(CLAIM(0), 8);
	assert_int_equal(vp.active[0], 1U << 8);
	assert_int_equal(ncomplete, 0);
	assert_int_equal(vp.unimpl, 0);
	/* another context with 8 enabled may complete it */
	wr(ENABLE(1, 0), 1U << 8);
	wr(CLAIM(1), 8);
	assert_int_equal(ncomplete, 1);
	assert_int_equal(last_complete, 8);
	assert_int_equal(vp.active[0], 0);
}

static void test_active_not_reforwarded(void **state)
{
	(void)state;
	raise_src(0, 8, 1);
	assert_int_equal(rd(CLAIM(0)), 8);
	/* a new edge while in service is not a new request */
	vplic_set_level(&vp, 8, false);
	vplic_set_level(&vp, 8, true);
	assert_int_equal(rd(PEND(0)), 0);
	assert_false(vplic_eip(&vp, 0));
	assert_int_equal(rd(CLAIM(0)), 0);
	wr(CLAIM(0), 8);
	assert_int_equal(rd(PEND(0)), 1U << 8);
	assert_true(vplic_eip(&vp, 0));
}

static void test_per_context_enables(void **state)
{
	(void)state;
	raise_src(1, 12, 1);
	assert_false(vplic_eip(&vp, 0));
	assert_true(vplic_eip(&vp, 1));
	assert_int_equal(notified[0], 0);
	assert_int_equal(notified[1], 1);
	assert_int_equal(rd(CLAIM(0)), 0);
	assert_int_equal(rd(CLAIM(1)), 12);
	assert_int_equal(notified[0], 0);
	assert_int_equal(notified[1], 2);
	/* per-context thresholds too */
	wr(ENABLE(0, 0), 1U << 13);
	wr(ENABLE(1, 0), 1U << 13);
	wr(THRESH(1), 1);
	raise_src(0, 13, 1);
	assert_true(vplic_eip(&vp, 0));
	assert_false(vplic_eip(&vp, 1));
}

static void test_notify_on_line_change(void **state)
{
	(void)state;
	wr(PRIO(3), 2);
	wr(ENABLE(0, 0), 1U << 3);
	wr(ENABLE(1, 0), 1U << 3);
	assert_int_equal(nnotify, 0);
	/* multicast: both lines rise */
	vplic_set_level(&vp, 3, true);
	assert_int_equal(notified[0], 1);
	assert_int_equal(notified[1], 1);
	assert_true(line_seen[0] && line_seen[1]);
	/* no change, no call */
	vplic_set_level(&vp, 3, true);
	wr(PRIO(3), 3);
	assert_int_equal(nnotify, 2);
	/* a threshold write lowers ctx 1's line only */
	wr(THRESH(1), 3);
	assert_int_equal(notified[1], 2);
	assert_false(line_seen[1]);
	/* the claim lowers ctx 0's; ctx 1's is already down */
	assert_int_equal(rd(CLAIM(0)), 3);
	assert_int_equal(notified[0], 2);
	assert_false(line_seen[0]);
	assert_int_equal(nnotify, 4);
	/* completion with the level still high raises ctx 0 again */
	wr(CLAIM(0), 3);
	assert_int_equal(notified[0], 3);
	assert_true(line_seen[0]);
	/* disabling drops it; a priority write raises ctx 1 */
	wr(ENABLE(0, 0), 0);
	assert_int_equal(notified[0], 4);
	wr(PRIO(3), 4);
	assert_int_equal(notified[1], 3);
	assert_true(line_seen[1]);
	assert_int_equal(nnotify, 7);
	assert_true(vp.eip[1] && !vp.eip[0]);
}

static void test_complete_callback(void **state)
{
	(void)state;
	raise_src(0, 40, 7);
	assert_int_equal(rd(CLAIM(0)), 40);
	vplic_set_level(&vp, 40, false);
	assert_int_equal(ncomplete, 0);
	wr(CLAIM(0), 40);
	assert_int_equal(ncomplete, 1);
	assert_int_equal(last_complete, 40);
	/* a second completion of the same ID is not active any more */
	wr(CLAIM(0), 40);
	assert_int_equal(ncomplete, 1);
}

static void test_8byte_access(void **state)
{
	u64 v;

	(void)state;
	/* priorities 2 and 3 in one access, masked each */
	assert_int_equal(vplic_write(&vp, PRIO(2), 8, 0x0000000f00000005ULL),
			 0);
	assert_int_equal(rd(PRIO(2)), 5);
	assert_int_equal(rd(PRIO(3)), 7);
	assert_int_equal(vplic_read(&vp, PRIO(2), 8, &v), 0);
	assert_true(v == 0x0000000700000005ULL);
	/* source 0 is hardwired in the low half */
	assert_int_equal(vplic_read(&vp, PRIO(0), 8, &v), 0);
	assert_true(v == 0);
	/* enables of ctx 0, both words */
	assert_int_equal(vplic_write(&vp, ENABLE(0, 0), 8, ~0ULL), 0);
	assert_true(vp.enable[0][0] == ~1U);
	assert_true(vp.enable[0][1] == 0x1ff);
	/* threshold (low) and claim (high) */
	vplic_set_level(&vp, 3, true);
	assert_int_equal(vplic_read(&vp, THRESH(0), 8, &v), 0);
	assert_true(v == 3ULL << 32);
	assert_int_equal(notified[0], 2);
	/* threshold 1 and complete 3 */
	assert_int_equal(vplic_write(&vp, THRESH(0), 8, 3ULL << 32 | 9), 0);
	assert_int_equal(rd(THRESH(0)), 1);
	assert_int_equal(ncomplete, 1);
	assert_int_equal(last_complete, 3);
	assert_int_equal(rd(PEND(0)), 1U << 3);
	assert_int_equal(vp.unimpl, 0);
	/* the high half may be a hole */
	assert_int_equal(vplic_read(&vp, PRIO(NDEV), 8, &v), 0);
	assert_true(v == 0);
	assert_int_equal(vp.unimpl, 1);
}

static void test_bad_width_or_alignment(void **state)
{
	static const struct {
		unsigned long off;
		unsigned int len;
	} bad[] = {
		{ PRIO(1), 1 },	    { PRIO(1), 2 },	  { PRIO(1), 3 },
		{ PRIO(1), 0 },	    { PRIO(1), 16 },	  { PRIO(1) + 2, 4 },
		{ PRIO(1) + 1, 4 }, { PRIO(1), 8 },	  { CLAIM(0), 8 },
		{ PRIO(2) + 4, 8 }, { PLIC_SIZE + 2, 4 },
	};
	unsigned int i;
	u64 v;

	(void)state;
	raise_src(0, 1, 1);
	clear_counts();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 0x1234;
		assert_int_equal(vplic_read(&vp, bad[i].off, bad[i].len, &v),
				 SBI_ERR_INVALID_PARAM);
		assert_true(v == 0x1234);
		assert_int_equal(vplic_write(&vp, bad[i].off, bad[i].len, 0),
				 SBI_ERR_INVALID_PARAM);
	}
	/* nothing claimed, nothing written */
	assert_int_equal(rd(PRIO(1)), 1);
	assert_int_equal(rd(PEND(0)), 1U << 1);
	assert_int_equal(vp.unimpl, 0);
	assert_int_equal(nnotify, 0);
}

static void test_reset(void **state)
{
	unsigned int i;

	(void)state;
	raise_src(0, 4, 2);
	raise_src(1, 5, 2);
	raise_src(1, 6, 2);
	assert_int_equal(rd(CLAIM(1)), 5);
	wr(THRESH(0), 1);
	rd(THRESH(NCTX));
	assert_int_equal(vp.unimpl, 1);
	raise_src(1, 33, 1); /* pending in the second word */
	clear_counts();
	vplic_reset(&vp);
	/*
	 * every request in flight is retired as completed, once: 4, 6 and
	 * 33 pending, 5 in service (forwarded host sources stay claimed on
	 * the host until then)
	 */
	assert_int_equal(ncomplete, 4);
	assert_int_equal(completed[0], 1U << 4 | 1U << 5 | 1U << 6);
	assert_int_equal(completed[1], 1U << (33 - 32));
	/* both lines were up: both owners hear they went down */
	assert_int_equal(notified[0], 1);
	assert_int_equal(notified[1], 1);
	assert_false(line_seen[0] || line_seen[1]);
	assert_int_equal(vp.ndev, NDEV);
	assert_int_equal(vp.nctx, NCTX);
	assert_ptr_equal(vp.chip.hooks, &fake_ops);
	assert_ptr_equal(vp.chip.priv, &priv_token);
	assert_false(spin_is_locked(&vp.lock));
	assert_int_equal(vp.unimpl, 0);
	for (i = 0; i < VPLIC_MAX_SRC; i++)
		assert_int_equal(vp.prio[i], 0);
	for (i = 0; i < VPLIC_WORDS; i++) {
		assert_int_equal(vp.level[i], 0);
		assert_int_equal(vp.pending[i], 0);
		assert_int_equal(vp.active[i], 0);
		assert_int_equal(vp.enable[0][i], 0);
		assert_int_equal(vp.enable[1][i], 0);
	}
	assert_int_equal(vp.threshold[0], 0);
	assert_false(vp.eip[0] || vp.eip[1]);
	/* completing the pre-reset claim does nothing */
	clear_counts();
	wr(ENABLE(1, 0), 1U << 5);
	wr(CLAIM(1), 5);
	assert_int_equal(ncomplete, 0);
	/* and it works as new */
	raise_src(0, 4, 1);
	assert_int_equal(rd(CLAIM(0)), 4);
	/* a reset with every line down and nothing in flight calls nobody */
	vplic_set_level(&vp, 4, false);
	wr(CLAIM(0), 4);
	clear_counts();
	vplic_reset(&vp);
	assert_int_equal(nnotify, 0);
	assert_int_equal(ncomplete, 0);
}

/* A level still high at reset is dropped: nothing pending afterwards */
static void test_reset_retires_once(void **state)
{
	(void)state;
	raise_src(0, 7, 1);
	assert_int_equal(rd(CLAIM(0)), 7);
	vplic_set_level(&vp, 7, true); /* in service: not forwarded again */
	clear_counts();
	vplic_reset(&vp);
	assert_int_equal(ncomplete, 1);
	assert_int_equal(last_complete, 7);
	/* a request arriving after the reset is a new one */
	clear_counts();
	raise_src(0, 7, 1);
	assert_int_equal(rd(CLAIM(0)), 7);
	wr(CLAIM(0), 7);
	assert_int_equal(ncomplete, 1);
	vplic_reset(&vp);
	assert_int_equal(ncomplete, 1 + 1); /* level still high: pending */
}

/*
 * The guest interrupt-controller interface (dev/virqchip.h) reaches the
 * same model: registers through the MMIO device, lines, resets
 */
static void test_chip_interface(void **state)
{
	struct virqchip *c = &vp.chip;
	struct vdev d = { .priv = c };
	u64 v = 0;

	(void)state;
	assert_ptr_equal(vplic_of(c), &vp);
	assert_int_equal(c->ops->kind, VIRQCHIP_PLIC);
	assert_int_equal(c->nsrc, NDEV);
	assert_int_equal(c->nctx, NCTX);
	assert_ptr_equal(c->priv, &priv_token);
	assert_false(virqchip_src_ok(c, 0));
	assert_true(virqchip_src_ok(c, NDEV));
	assert_false(virqchip_src_ok(c, NDEV + 1));
	assert_ptr_equal(c->ops->line(c, 1), &vp.eip[1]);
	assert_null(c->ops->line(c, VPLIC_MAX_CTX));
	assert_int_equal(c->ops->mmio->write(&d, PRIO(7), 4, 2), 0);
	assert_int_equal(c->ops->mmio->write(&d, ENABLE(1, 0), 4, 1U << 7), 0);
	virqchip_set_level(c, 7, true);
	assert_true(*c->ops->line(c, 1));
	assert_int_equal(notified[1], 1);
	assert_int_equal(c->ops->mmio->read(&d, CLAIM(1), 4, &v), 0);
	assert_int_equal(v, 7);
	virqchip_set_level(c, 7, false);
	assert_int_equal(c->ops->mmio->write(&d, CLAIM(1), 4, 7), 0);
	assert_int_equal(last_complete, 7);
	assert_false(*c->ops->line(c, 1));
	/* an edge, then a reset retires it */
	virqchip_pulse(c, 7);
	assert_true(*c->ops->line(c, 1));
	ncomplete = 0;
	virqchip_reset(c);
	assert_int_equal(ncomplete, 1);
	assert_int_equal(last_complete, 7);
	assert_false(*c->ops->line(c, 1));
	/* the statistics see accesses to registers it does not model */
	assert_int_equal(c->ops->unimpl(c), 0);
	assert_int_equal(c->ops->mmio->read(&d, 0x1ff000, 4, &v), 0);
	assert_int_equal(c->ops->unimpl(c), 1);
	/* the vdev reset is the model's */
	c->ops->mmio->reset(&d);
	assert_int_equal(c->ops->unimpl(c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_args, setup),
		cmocka_unit_test_setup(test_null_callbacks, setup),
		cmocka_unit_test_setup(test_priority_regs, setup),
		cmocka_unit_test_setup(test_pending_read_only, setup),
		cmocka_unit_test_setup(test_enable_regs, setup),
		cmocka_unit_test_setup(test_threshold_regs, setup),
		cmocka_unit_test_setup(test_holes, setup),
		cmocka_unit_test_setup(test_claim_priority_then_lowest_id,
				       setup),
		cmocka_unit_test_setup(test_claim_nothing, setup),
		cmocka_unit_test_setup(test_threshold_filters, setup),
		cmocka_unit_test_setup(test_priority_zero_never, setup),
		cmocka_unit_test_setup(test_complete_repends_if_level_high,
				       setup),
		cmocka_unit_test_setup(test_complete_no_repend_if_low, setup),
		cmocka_unit_test_setup(test_level_low_keeps_pending, setup),
		cmocka_unit_test_setup(test_complete_ignored, setup),
		cmocka_unit_test_setup(test_active_not_reforwarded, setup),
		cmocka_unit_test_setup(test_per_context_enables, setup),
		cmocka_unit_test_setup(test_notify_on_line_change, setup),
		cmocka_unit_test_setup(test_complete_callback, setup),
		cmocka_unit_test_setup(test_8byte_access, setup),
		cmocka_unit_test_setup(test_bad_width_or_alignment, setup),
		cmocka_unit_test_setup(test_reset, setup),
		cmocka_unit_test_setup(test_pulse, setup),
		cmocka_unit_test_setup(test_chip_interface, setup),
		cmocka_unit_test_setup(test_reset_retires_once, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
