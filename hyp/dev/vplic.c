// SPDX-License-Identifier: BSD-2-Clause
/*
 * Virtual PLIC (see vplic.h). "Quoted" sections are those of the RISC-V
 * PLIC spec 1.0.0 (github.com/riscv/riscv-plic-spec). State changes are
 * made under p->lock; callbacks run after its release, so that they may
 * call back into the vPLIC (vplic_eip, vplic_set_level).
 */
#include <sbi/sbi_ecall_interface.h>
#include "dev/vplic.h"

/* A bitmap of all 1024 possible sources: pending, one context's enables */
#define VPLIC_BITMAP_SIZE 0x80

/* What an offset decodes to */
enum vplic_kind {
	VPLIC_K_HOLE, /* not modelled: reads 0, counted in unimpl */
	VPLIC_K_PRIO, /* source 0's is hardwired 0: it does not exist */
	VPLIC_K_PENDING,
	VPLIC_K_ENABLE,
	VPLIC_K_THRESHOLD,
	VPLIC_K_CLAIM,
};

struct vplic_reg {
	enum vplic_kind kind;
	u32 ctx;
	u32 idx; /* source for PRIO, word for PENDING and ENABLE */
};

static void vplic_lock(struct vplic *p)
{
	spin_lock(&p->lock);
}

static void vplic_unlock(struct vplic *p)
{
	spin_unlock(&p->lock);
}

static bool vplic_test(const u32 *map, u32 src)
{
	return map[src / 32] & (1U << (src % 32));
}

static void vplic_put(u32 *map, u32 src, bool on)
{
	if (on)
		map[src / 32] |= 1U << (src % 32);
	else
		map[src / 32] &= ~(1U << (src % 32));
}

/*
 * Bits of pending/enable word w that name sources 1..ndev. Bit 0 of word
 * 0 (source 0) and bits above ndev are hardwired 0 ("Interrupt Enables").
 */
static u32 vplic_word_mask(const struct vplic *p, u32 w)
{
	u32 first = w * 32, m;

	if (first > p->ndev)
		return 0;
	m = p->ndev - first >= 31 ? ~0U : (1U << (p->ndev - first + 1)) - 1;
	return w ? m : m & ~1U;
}

static struct vplic_reg vplic_decode(const struct vplic *p, unsigned long off)
{
	struct vplic_reg r = { VPLIC_K_HOLE, 0, 0 };
	unsigned long rel;

	if (off < PLIC_PENDING_BASE) {
		r.idx = off / 4;
		if (r.idx <= p->ndev)
			r.kind = VPLIC_K_PRIO;
	} else if (off < PLIC_PENDING_BASE + VPLIC_BITMAP_SIZE) {
		r.idx = (off - PLIC_PENDING_BASE) / 4;
		if (vplic_word_mask(p, r.idx))
			r.kind = VPLIC_K_PENDING;
	} else if (off >= PLIC_ENABLE_BASE && off < PLIC_CONTEXT_BASE) {
		rel = off - PLIC_ENABLE_BASE;
		r.ctx = rel / PLIC_ENABLE_STRIDE;
		r.idx = (rel % PLIC_ENABLE_STRIDE) / 4;
		if (r.ctx < p->nctx && vplic_word_mask(p, r.idx))
			r.kind = VPLIC_K_ENABLE;
	} else if (off >= PLIC_CONTEXT_BASE && off < PLIC_SIZE) {
		rel = off - PLIC_CONTEXT_BASE;
		r.ctx = rel / PLIC_CONTEXT_STRIDE;
		rel %= PLIC_CONTEXT_STRIDE;
		if (r.ctx < p->nctx && rel == 0)
			r.kind = VPLIC_K_THRESHOLD;
		else if (r.ctx < p->nctx && rel == 4)
			r.kind = VPLIC_K_CLAIM;
	}
	return r;
}

/*
 * Highest-priority pending source enabled for ctx, ties to the lowest ID
 * ("Interrupt Identifiers"); 0: none. Its priority must exceed ctx's
 * threshold for claims too, as in QEMU ("Interrupt Claim Process" says a
 * claim ignores it). Pending excludes active: in service never shows.
 */
static u32 vplic_best(const struct vplic *p, u32 ctx)
{
	u32 w, b, bits, src, best = 0, best_prio = p->threshold[ctx];

	for (w = 0; w < VPLIC_WORDS; w++) {
		bits = p->pending[w] & p->enable[ctx][w];
		for (b = 0; bits; b++, bits >>= 1) {
			src = w * 32 + b;
			/* strict: an equal priority later never wins */
			if ((bits & 1) && p->prio[src] > best_prio) {
				best = src;
				best_prio = p->prio[src];
			}
		}
	}
	return best;
}

static u32 vplic_claim(struct vplic *p, u32 ctx)
{
	u32 src = vplic_best(p, ctx);

	if (src) {
		vplic_put(p->pending, src, false);
		vplic_put(p->active, src, true);
	}
	return src;
}

/* "Interrupt Completion": IDs not enabled for ctx are silently ignored */
static bool vplic_complete(struct vplic *p, u32 ctx, u32 src)
{
	if (!src || src > p->ndev || !vplic_test(p->enable[ctx], src) ||
	    !vplic_test(p->active, src))
		return false;
	vplic_put(p->active, src, false);
	/* "Interrupt Gateways": a level still asserted is a new request */
	if (vplic_test(p->level, src) || vplic_test(p->queued, src))
		vplic_put(p->pending, src, true);
	vplic_put(p->queued, src, false);
	return true;
}

static u32 vplic_rd32(struct vplic *p, unsigned long off)
{
	struct vplic_reg r = vplic_decode(p, off);

	switch (r.kind) {
	case VPLIC_K_PRIO:
		return p->prio[r.idx];
	case VPLIC_K_PENDING:
		return p->pending[r.idx];
	case VPLIC_K_ENABLE:
		return p->enable[r.ctx][r.idx];
	case VPLIC_K_THRESHOLD:
		return p->threshold[r.ctx];
	case VPLIC_K_CLAIM:
		return vplic_claim(p, r.ctx);
	default:
		p->unimpl++;
		return 0;
	}
}

/* *done: the source this write completed, if any */
static void vplic_wr32(struct vplic *p, unsigned long off, u32 v, u32 *done)
{
	struct vplic_reg r = vplic_decode(p, off);

	switch (r.kind) {
	case VPLIC_K_PRIO:
		if (r.idx)
			p->prio[r.idx] = v & VPLIC_PRIO_MASK;
		break;
	case VPLIC_K_ENABLE:
		p->enable[r.ctx][r.idx] = v & vplic_word_mask(p, r.idx);
		break;
	case VPLIC_K_THRESHOLD:
		p->threshold[r.ctx] = v & VPLIC_PRIO_MASK;
		break;
	case VPLIC_K_CLAIM:
		if (vplic_complete(p, r.ctx, v))
			*done = v;
		break;
	case VPLIC_K_PENDING: /* read-only: cleared by claims only */
		break;
	default:
		p->unimpl++;
		break;
	}
}

/* Recompute every line; returns the mask of contexts whose line changed */
static u32 vplic_update(struct vplic *p)
{
	u32 ctx, changed = 0;
	bool line;

	for (ctx = 0; ctx < p->nctx; ctx++) {
		line = vplic_best(p, ctx) != 0;
		if (line != p->eip[ctx]) {
			/* read without the lock by the vCPU's hart */
			__atomic_store_n(&p->eip[ctx], line, __ATOMIC_RELEASE);
			changed |= 1U << ctx;
		}
	}
	return changed;
}

/* Called with the lock released */
static void vplic_callback(struct vplic *p, u32 changed, u32 done)
{
	const struct virqchip_hooks *h = p->chip.hooks;
	u32 ctx;

	if (!h)
		return;
	if (done && h->complete)
		h->complete(&p->chip, done);
	for (ctx = 0; h->notify && ctx < p->nctx; ctx++)
		if (changed & (1U << ctx))
			h->notify(&p->chip, ctx);
}

/* Everything but ndev, nctx, chip, the lock and eip[] to zero */
static void vplic_clear(struct vplic *p)
{
	u32 i, w;

	for (i = 0; i < VPLIC_MAX_SRC; i++)
		p->prio[i] = 0;
	for (w = 0; w < VPLIC_WORDS; w++) {
		p->level[w] = 0;
		p->pending[w] = 0;
		p->active[w] = 0;
		p->queued[w] = 0;
		for (i = 0; i < VPLIC_MAX_CTX; i++)
			p->enable[i][w] = 0;
	}
	for (i = 0; i < VPLIC_MAX_CTX; i++)
		p->threshold[i] = 0;
	p->unimpl = 0;
}

int vplic_init(struct vplic *p, u32 ndev, u32 nctx,
	       const struct virqchip_hooks *hooks, void *priv)
{
	u32 i;

	if (!ndev || ndev >= VPLIC_MAX_SRC || !nctx || nctx > VPLIC_MAX_CTX)
		return SBI_ERR_INVALID_PARAM;
	p->lock = (struct spinlock){ 0, 0 };
	p->ndev = ndev;
	p->nctx = nctx;
	p->chip = (struct virqchip){ .ops = &vplic_chip_ops,
				     .hooks = hooks,
				     .priv = priv,
				     .nsrc = ndev,
				     .nctx = nctx };
	vplic_clear(p);
	for (i = 0; i < VPLIC_MAX_CTX; i++)
		p->eip[i] = false;
	return 0;
}

void vplic_reset(struct vplic *p)
{
	u32 changed, inflight[VPLIC_WORDS], w, b;

	vplic_lock(p);
	/*
	 * Requests in the gateway (pending, or claimed and not completed)
	 * are retired as if completed: a forwarded host interrupt behind
	 * one stays claimed on the host until its completion, and the
	 * guest that was to complete it is gone.
	 */
	for (w = 0; w < VPLIC_WORDS; w++)
		inflight[w] = p->pending[w] | p->active[w];
	vplic_clear(p);
	/* lines that were up go down: tell their owners */
	changed = vplic_update(p);
	vplic_unlock(p);
	for (w = 0; p->chip.hooks && p->chip.hooks->complete && w < VPLIC_WORDS;
	     w++)
		for (b = 0; b < 32; b++)
			if (inflight[w] & (1U << b))
				p->chip.hooks->complete(&p->chip, w * 32 + b);
	vplic_callback(p, changed, 0);
}

/* The PLIC is a 32-bit device ("Memory Map"); 8 bytes is two registers */
static bool vplic_access_ok(unsigned long off, unsigned int len)
{
	return (len == 4 || len == 8) && !(off & (len - 1));
}

int vplic_read(struct vplic *p, unsigned long off, unsigned int len, u64 *val)
{
	u32 changed;
	u64 v;

	if (!vplic_access_ok(off, len))
		return SBI_ERR_INVALID_PARAM;
	vplic_lock(p);
	v = vplic_rd32(p, off);
	if (len == 8)
		v |= (u64)vplic_rd32(p, off + 4) << 32;
	/* a claim is a read */
	changed = vplic_update(p);
	vplic_unlock(p);
	*val = v;
	vplic_callback(p, changed, 0);
	return 0;
}

int vplic_write(struct vplic *p, unsigned long off, unsigned int len, u64 val)
{
	/* at most one completion: claim/complete is at +4 of a 4 KiB page */
	u32 changed, done = 0;

	if (!vplic_access_ok(off, len))
		return SBI_ERR_INVALID_PARAM;
	vplic_lock(p);
	vplic_wr32(p, off, (u32)val, &done);
	if (len == 8)
		vplic_wr32(p, off + 4, (u32)(val >> 32), &done);
	changed = vplic_update(p);
	vplic_unlock(p);
	vplic_callback(p, changed, done);
	return 0;
}

void vplic_set_level(struct vplic *p, u32 src, bool high)
{
	u32 changed;

	if (!src || src > p->ndev)
		return;
	vplic_lock(p);
	vplic_put(p->level, src, high);
	/*
	 * "Interrupt Gateways": one request until completion; a request
	 * already forwarded is not retracted when the level drops.
	 */
	if (high && !vplic_test(p->pending, src) && !vplic_test(p->active, src))
		vplic_put(p->pending, src, true);
	changed = vplic_update(p);
	vplic_unlock(p);
	vplic_callback(p, changed, 0);
}

void vplic_pulse(struct vplic *p, u32 src)
{
	u32 changed;

	if (!src || src > p->ndev)
		return;
	vplic_lock(p);
	/*
	 * An edge, whole under the lock: pending until claimed; an edge while
	 * the source is in service waits in the gateway and becomes pending
	 * at completion. Edges before a claim coalesce. Two set_level calls
	 * instead would leave the level high between them, and every
	 * completion meanwhile would re-arm the request.
	 */
	vplic_put(vplic_test(p->active, src) ? p->queued : p->pending, src,
		  true);
	changed = vplic_update(p);
	vplic_unlock(p);
	vplic_callback(p, changed, 0);
}

bool vplic_eip(struct vplic *p, u32 ctx)
{
	bool line;

	if (ctx >= p->nctx)
		return false;
	vplic_lock(p);
	line = vplic_best(p, ctx) != 0;
	vplic_unlock(p);
	return line;
}

/* ---- the guest interrupt-controller interface (virqchip.h) ---- */

static int vplic_mmio_read(struct vdev *d, unsigned long off, unsigned int len,
			   u64 *val)
{
	return vplic_read(vplic_of(d->priv), off, len, val);
}

static int vplic_mmio_write(struct vdev *d, unsigned long off, unsigned int len,
			    u64 val)
{
	return vplic_write(vplic_of(d->priv), off, len, val);
}

static void vplic_mmio_reset(struct vdev *d)
{
	vplic_reset(vplic_of(d->priv));
}

static const struct vdev_ops vplic_mmio = {
	.name = "plic",
	.read = vplic_mmio_read,
	.write = vplic_mmio_write,
	.reset = vplic_mmio_reset,
};

static void vplic_chip_set_level(struct virqchip *c, u32 src, bool high)
{
	vplic_set_level(vplic_of(c), src, high);
}

static void vplic_chip_pulse(struct virqchip *c, u32 src)
{
	vplic_pulse(vplic_of(c), src);
}

static void vplic_chip_reset(struct virqchip *c)
{
	vplic_reset(vplic_of(c));
}

static const bool *vplic_chip_line(struct virqchip *c, u32 ctx)
{
	return ctx < VPLIC_MAX_CTX ? &vplic_of(c)->eip[ctx] : NULL;
}

static unsigned long vplic_chip_unimpl(struct virqchip *c)
{
	return __atomic_load_n(&vplic_of(c)->unimpl, __ATOMIC_RELAXED);
}

const struct virqchip_ops vplic_chip_ops = {
	.kind = VIRQCHIP_PLIC,
	.mmio = &vplic_mmio,
	.set_level = vplic_chip_set_level,
	.pulse = vplic_chip_pulse,
	.reset = vplic_chip_reset,
	.line = vplic_chip_line,
	.unimpl = vplic_chip_unimpl,
};
