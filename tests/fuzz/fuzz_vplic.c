// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzzer for the vPLIC model (hyp/dev/vplic.c): guest register accesses at
 * any offset and width, device pulses and levels, resets, in any order.
 * A reference model written from the PLIC spec's rules (as vplic.h states
 * them) runs alongside: every read value, every claim, every completion
 * callback and every change of a context's line must match it; and a
 * claim may only return an enabled, pending source above the threshold,
 * with no higher-priority one left behind. Input: ndev, nctx, then
 * operations (an opcode byte and its operands).
 */
#include "fuzz.h"
#include <sbi/sbi_ecall_interface.h>
#include "../../hyp/dev/vplic.h"

#define NSRC VPLIC_MAX_SRC

/* The reference: one bool per source, per context */
static struct ref {
	u32 ndev, nctx;
	u32 prio[NSRC], threshold[VPLIC_MAX_CTX];
	bool level[NSRC], pending[NSRC], active[NSRC], queued[NSRC];
	bool enable[VPLIC_MAX_CTX][NSRC];
	bool line[VPLIC_MAX_CTX];
	unsigned long unimpl;
} r;

static struct vplic vp;
/* During one operation: what the callbacks saw, what the model expects */
static u32 notified[VPLIC_MAX_CTX], got[NSRC], ngot, want[NSRC], nwant;

static void cb_notify(struct virqchip *c, u32 ctx)
{
	struct vplic *p = vplic_of(c);

	FZ_CHECK(p == &vp && !spin_is_locked(&p->lock), "notify with the lock "
							"held");
	FZ_CHECK(ctx < r.nctx, "notify ctx %u", ctx);
	notified[ctx]++;
	/* a callback may come back in */
	FZ_CHECK(vplic_eip(p, ctx) == vplic_line(p, ctx), "line of ctx %u",
		 ctx);
}

static void cb_complete(struct virqchip *c, u32 src)
{
	struct vplic *p = vplic_of(c);

	FZ_CHECK(p == &vp && !spin_is_locked(&p->lock), "complete with the "
							"lock held");
	FZ_CHECK(ngot < NSRC, "too many completions");
	got[ngot++] = src;
}

static const struct virqchip_hooks ops_cb = { cb_notify, cb_complete };

static bool ref_valid(u32 src)
{
	return src >= 1 && src <= r.ndev;
}

/* Highest priority above the threshold, ties to the lowest ID; 0: none */
static u32 ref_best(u32 ctx)
{
	u32 s, best = 0;

	for (s = 1; s <= r.ndev; s++)
		if (r.pending[s] && r.enable[ctx][s] &&
		    r.prio[s] > r.threshold[ctx] &&
		    (!best || r.prio[s] > r.prio[best]))
			best = s;
	return best;
}

enum { R_HOLE, R_PRIO, R_PEND, R_ENABLE, R_THRESH, R_CLAIM };

/* The register at a 4-byte aligned offset; *ctx, *idx: its operands */
static int ref_reg(u64 off, u32 *ctx, u32 *idx)
{
	if (off < 0x1000) {
		*idx = off / 4;
		return *idx <= r.ndev ? R_PRIO : R_HOLE;
	}
	if (off < 0x1080) {
		*idx = (off - 0x1000) / 4; /* word: sources 32 idx .. +31 */
		return *idx * 32 <= r.ndev ? R_PEND : R_HOLE;
	}
	if (off >= 0x2000 && off < 0x200000) {
		*ctx = (off - 0x2000) / 0x80;
		*idx = (off - 0x2000) % 0x80 / 4;
		return *ctx < r.nctx && *idx * 32 <= r.ndev ? R_ENABLE : R_HOLE;
	}
	if (off >= 0x200000 && off < 0x4000000) {
		*ctx = (off - 0x200000) / 0x1000;
		if (*ctx >= r.nctx)
			return R_HOLE;
		if (off % 0x1000 == 0)
			return R_THRESH;
		return off % 0x1000 == 4 ? R_CLAIM : R_HOLE;
	}
	return R_HOLE;
}

static u32 ref_rd32(u64 off)
{
	u32 ctx = 0, idx = 0, v = 0, b, s;

	switch (ref_reg(off, &ctx, &idx)) {
	case R_PRIO:
		return r.prio[idx];
	case R_PEND:
	case R_ENABLE:
		for (b = 0; b < 32; b++) {
			s = idx * 32 + b;
			if (ref_valid(s) && (ref_reg(off, &ctx, &idx) == R_PEND
						     ? r.pending[s]
						     : r.enable[ctx][s]))
				v |= 1U << b;
		}
		return v;
	case R_THRESH:
		return r.threshold[ctx];
	case R_CLAIM:
		s = ref_best(ctx);
		FZ_CHECK(!s || (r.pending[s] && r.enable[ctx][s] &&
				r.prio[s] > r.threshold[ctx]),
			 "model claim");
		if (s) {
			r.pending[s] = false;
			r.active[s] = true;
		}
		return s;
	default:
		r.unimpl++;
		return 0;
	}
}

/* Returns the source a write completed, 0 if none */
static u32 ref_wr32(u64 off, u32 v)
{
	u32 ctx = 0, idx = 0, b;

	switch (ref_reg(off, &ctx, &idx)) {
	case R_PRIO:
		if (idx)
			r.prio[idx] = v & 7;
		return 0;
	case R_ENABLE:
		for (b = 0; b < 32; b++)
			if (ref_valid(idx * 32 + b))
				r.enable[ctx][idx * 32 + b] = (v >> b) & 1;
		return 0;
	case R_THRESH:
		r.threshold[ctx] = v & 7;
		return 0;
	case R_CLAIM:
		/* completion of a source not enabled here is ignored */
		if (!ref_valid(v) || !r.enable[ctx][v] || !r.active[v])
			return 0;
		r.active[v] = false;
		if (r.level[v] || r.queued[v])
			r.pending[v] = true;
		r.queued[v] = false;
		return v;
	case R_PEND:
		return 0;
	default:
		r.unimpl++;
		return 0;
	}
}

static void ref_reset(void)
{
	u32 ctx, s;

	for (s = 0; s < NSRC; s++) {
		if (r.pending[s] || r.active[s])
			want[nwant++] = s; /* retired as if completed */
		r.prio[s] = 0;
		r.level[s] = r.pending[s] = r.active[s] = r.queued[s] = false;
		for (ctx = 0; ctx < VPLIC_MAX_CTX; ctx++)
			r.enable[ctx][s] = false;
	}
	for (ctx = 0; ctx < VPLIC_MAX_CTX; ctx++)
		r.threshold[ctx] = 0;
	r.unimpl = 0;
}

/* An offset: mostly a real register of a random context, sometimes any */
static u64 pick_off(struct fz *f)
{
	u8 k = fz_u8(f);
	u32 ctx = fz_u8(f) % (VPLIC_MAX_CTX + 1), x = fz_u8(f);

	switch (k % 6) {
	case 0:
		return 4 * (x % NSRC);
	case 1:
		return 0x1000 + 4 * (x % 34);
	case 2:
		return 0x2000 + 0x80 * ctx + 4 * (x % 33);
	case 3:
		return 0x200000 + 0x1000 * ctx + (x & 1) * 4;
	case 4:
		return 0x200000 + 0x1000 * ctx + (x & 0xffc) + (k >> 6);
	default:
		return fz_u32(f) & (k & 0x80 ? 0x7ffffff : 0xffffffff);
	}
}

/* One guest access, checked against the model (the state: after it) */
static void access(u64 off, unsigned int len, u64 val, bool write)
{
	bool ok = (len == 4 || len == 8) && !(off % len);
	u64 expect;
	u32 done;
	int rc;

	if (write)
		rc = vplic_write(&vp, off, len, val);
	else
		rc = vplic_read(&vp, off, len, &val);
	FZ_CHECK(rc == (ok ? 0 : SBI_ERR_INVALID_PARAM), "access 0x%llx/%u: %d",
		 (unsigned long long)off, len, rc);
	if (!ok)
		return;
	if (write) {
		done = ref_wr32(off, (u32)val);
		if (len == 8)
			done |= ref_wr32(off + 4, (u32)(val >> 32));
		if (done)
			want[nwant++] = done;
		return;
	}
	expect = ref_rd32(off);
	if (len == 8)
		expect |= (u64)ref_rd32(off + 4) << 32;
	FZ_CHECK(val == expect, "read 0x%llx/%u: 0x%llx, expected 0x%llx",
		 (unsigned long long)off, len, (unsigned long long)val,
		 (unsigned long long)expect);
}

static void op_access(struct fz *f, bool write)
{
	static const unsigned int lens[8] = { 4, 4, 4, 8, 8, 1, 2, 0 };
	u64 off = pick_off(f), val = 0;
	unsigned int len = lens[fz_u8(f) % 8];

	if (write)
		val = fz_u8(f) & 1 ? fz_u64(f) : fz_u8(f);
	access(off, len, val, write);
}

/* A model bitmap as the vPLIC's words */
static u32 ref_word(const bool *map, u32 w)
{
	u32 b, v = 0;

	for (b = 0; b < 32; b++)
		v |= (u32)map[w * 32 + b] << b;
	return v;
}

/* After each operation: the callbacks, the lines, the whole state */
static void check_state(void)
{
	u32 ctx, s, i, w;
	bool line;

	FZ_CHECK(ngot == nwant, "%u completions, expected %u", ngot, nwant);
	for (i = 0; i < ngot; i++)
		FZ_CHECK(got[i] == want[i], "completed %u, expected %u", got[i],
			 want[i]);
	for (ctx = 0; ctx < VPLIC_MAX_CTX; ctx++) {
		line = ctx < r.nctx && ref_best(ctx);
		FZ_CHECK(vplic_line(&vp, ctx) == line &&
				 (ctx >= r.nctx || vplic_eip(&vp, ctx) == line),
			 "ctx %u line %d, expected %d", ctx,
			 vplic_line(&vp, ctx), line);
		FZ_CHECK(notified[ctx] == (line != r.line[ctx]),
			 "ctx %u notified %u times, line %d -> %d", ctx,
			 notified[ctx], r.line[ctx], line);
		r.line[ctx] = line;
	}
	for (w = 0; w < VPLIC_WORDS; w++) {
		FZ_CHECK(vp.pending[w] == ref_word(r.pending, w) &&
				 vp.active[w] == ref_word(r.active, w) &&
				 vp.queued[w] == ref_word(r.queued, w) &&
				 vp.level[w] == ref_word(r.level, w),
			 "pending/active/queued/level word %u", w);
		for (ctx = 0; ctx < r.nctx; ctx++)
			FZ_CHECK(vp.enable[ctx][w] ==
					 ref_word(r.enable[ctx], w),
				 "enable word %u of ctx %u", w, ctx);
	}
	for (s = 0; s < NSRC; s++)
		FZ_CHECK(vp.prio[s] == r.prio[s], "prio %u", s);
	FZ_CHECK(vp.unimpl == r.unimpl, "unimpl %lu, expected %lu", vp.unimpl,
		 r.unimpl);
}

/*
 * A claim, checked against the state before it on its own terms: an
 * enabled pending source above the threshold, none better left behind.
 */
static void op_claim(struct fz *f)
{
	static struct vplic before;
	u32 ctx = fz_u8(f) % r.nctx, s, b;
	u64 v;

	before = vp;
	FZ_CHECK(!vplic_read(&vp,
			     PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * ctx + 4,
			     4, &v),
		 "claim");
	FZ_CHECK(v == ref_rd32(PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * ctx +
			       4),
		 "claim: %llu", (unsigned long long)v);
	s = v;
	FZ_CHECK(s <= r.ndev, "claimed %u", s);
	for (b = 1; b <= r.ndev; b++) {
		if (!(before.pending[b / 32] & before.enable[ctx][b / 32] &
		      1U << b % 32) ||
		    before.prio[b] <= before.threshold[ctx])
			continue;
		FZ_CHECK(s && (before.prio[b] < before.prio[s] ||
			       (before.prio[b] == before.prio[s] && b >= s)),
			 "claimed %u over %u", s, b);
	}
	FZ_CHECK(!s || (before.pending[s / 32] & before.enable[ctx][s / 32] &
				1U << s % 32 &&
			before.prio[s] > before.threshold[ctx]),
		 "claimed %u: not enabled, pending and above threshold", s);
}

/* Between two operations: no callbacks seen, none expected yet */
static void begin(void)
{
	memset(notified, 0, sizeof(notified));
	ngot = nwant = 0;
}

static void level(u32 src, bool high)
{
	vplic_set_level(&vp, src, high);
	if (!ref_valid(src))
		return;
	/* "Interrupt Gateways": one request until completion */
	r.level[src] = high;
	if (high && !r.pending[src] && !r.active[src])
		r.pending[src] = true;
}

static void pulse(u32 src)
{
	vplic_pulse(&vp, src);
	if (!ref_valid(src))
		return;
	if (r.active[src])
		r.queued[src] = true;
	else
		r.pending[src] = true;
}

/*
 * A source made ready to interrupt a context, one guest write at a time
 * (priority, enable bit), then its line or an edge: states where claims
 * compete come in a few input bytes.
 */
static void op_raise(struct fz *f)
{
	u32 src = 1 + fz_u8(f) % r.ndev, ctx = fz_u8(f) % r.nctx;
	u8 how = fz_u8(f);

	begin();
	access(PLIC_PRIORITY_BASE + 4 * src, 4, how & 0xf, true);
	check_state();
	begin();
	access(PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * ctx + 4 * (src / 32), 4,
	       ref_word(r.enable[ctx], src / 32) | 1U << src % 32, true);
	check_state();
	begin();
	if (how & 0x10)
		level(src, !(how & 0x20));
	else
		pulse(src);
}

/* A completion, mostly of a source in service */
static void op_complete(struct fz *f)
{
	u32 ctx = fz_u8(f) % r.nctx, src = fz_u8(f), s;

	for (s = src & 0x7f; src & 0x80 && s <= r.ndev; s++)
		if (r.active[s])
			break;
	access(PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * ctx + 4, 4,
	       src & 0x80 ? s : src, true);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz f = { data, size };
	unsigned int ops = 0;

	memset(&r, 0, sizeof(r));
	r.ndev = 1 + fz_u8(&f) % (NSRC - 1);
	r.nctx = 1 + fz_u8(&f) % VPLIC_MAX_CTX;
	FZ_CHECK(!vplic_init(&vp, r.ndev, r.nctx, &ops_cb, NULL), "init");
	while (fz_more(&f) && ops++ < 256) {
		begin();
		switch (fz_u8(&f) % 10) {
		case 0:
			op_access(&f, false);
			break;
		case 1:
			op_claim(&f);
			break;
		case 2:
			op_access(&f, true);
			break;
		case 3:
			op_complete(&f);
			break;
		case 4:
			level(fz_u8(&f) % (NSRC + 2), fz_u8(&f) & 1);
			break;
		case 5:
			pulse(fz_u8(&f) % (NSRC + 2));
			break;
		case 6:
		case 7:
		case 8:
			op_raise(&f);
			break;
		default:
			vplic_reset(&vp);
			ref_reset();
			break;
		}
		check_state();
	}
	return 0;
}
