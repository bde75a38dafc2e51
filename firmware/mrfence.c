// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI RFENCE (v2.0 §8) for guests, served in M, and the remote fences HS
 * asks for (SHV_FID_GUEST_RFENCE).
 *
 * The fences run on the harts the target vCPUs were last loaded on
 * (docs/architecture.md, "RFENCE": every vCPU load flushes its VMID and
 * the I-cache on that hart) and the call returns only when all are done
 * (Linux relies on completion). hfence.vvma acts on the VMID in hgatp,
 * and with MODE=Bare the spec lets hardware ignore the VMID, so each hart
 * swaps the guest's full hgatp in around the fence (docs/sbi.md). The
 * request sits in the caller's own slot; each target gets a message
 * (firmware/mmsg.c) and counts it done.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_ecall_interface.h>
#include "mhyp.h"
#include "../lib/hmask.h"
#include "../lib/range.h"
#include "../lib/vipi.h"

/* Flush page by page up to this many pages, then the whole VMID */
#define MRFENCE_PAGE_LIMIT 64

/* binutils 2.40 takes H instructions only with the extension enabled */
#define MRFENCE_H(insn) ".option push\n.option arch,+h\n" insn "\n.option pop"

static inline void mrfence_vvma_va_asid(unsigned long va, unsigned long asid)
{
	__asm__ __volatile__(MRFENCE_H("hfence.vvma %0, %1")
			     :
			     : "r"(va), "r"(asid)
			     : "memory");
}

static inline void mrfence_vvma_va(unsigned long va)
{
	__asm__ __volatile__(MRFENCE_H("hfence.vvma %0, zero")
			     :
			     : "r"(va)
			     : "memory");
}

static inline void mrfence_vvma_asid(unsigned long asid)
{
	__asm__ __volatile__(MRFENCE_H("hfence.vvma zero, %0")
			     :
			     : "r"(asid)
			     : "memory");
}

static inline void mrfence_vvma_all(void)
{
	__asm__ __volatile__(MRFENCE_H("hfence.vvma zero, zero")
			     :
			     :
			     : "memory");
}

static inline void mrfence_gvma_vmid(unsigned long vmid)
{
	__asm__ __volatile__(MRFENCE_H("hfence.gvma zero, %0")
			     :
			     : "r"(vmid)
			     : "memory");
}

static inline __attribute__((always_inline)) void
mrfence_vvma(const struct mrfence_req *r)
{
	bool by_asid = r->type == SHV_RF_VVMA_ASID;
	unsigned long old, va, i;
	unsigned long n =
		range_pages(r->start, r->size, PAGE_SHIFT, MRFENCE_PAGE_LIMIT);

	old = csr_swap(CSR_HGATP, r->hgatp);
	if (n == RANGE_ALL && by_asid)
		mrfence_vvma_asid(r->asid);
	else if (n == RANGE_ALL)
		mrfence_vvma_all();
	/* a page count, not an end address: a cursor at the top would wrap */
	for (i = 0, va = r->start & ~(PAGE_SIZE - 1); n != RANGE_ALL && i < n;
	     i++, va += PAGE_SIZE) {
		if (by_asid)
			mrfence_vvma_va_asid(va, r->asid);
		else
			mrfence_vvma_va(va);
	}
	csr_write(CSR_HGATP, old);
}

static inline __attribute__((always_inline)) void
mrfence_do(const struct mrfence_req *r)
{
	switch (r->type) {
	case SHV_RF_FENCE_I:
		__asm__ __volatile__("fence.i" ::: "memory");
		break;
	case SHV_RF_VVMA:
	case SHV_RF_VVMA_ASID:
		mrfence_vvma(r);
		break;
	case SHV_RF_GVMA:
		mrfence_gvma_vmid((r->hgatp & HGATP_VMID_MASK) >>
				  HGATP_VMID_SHIFT);
		break;
	}
}

/*
 * The requests of the harts in from (bit per hart id), sent to this one:
 * run each, then count it done for its sender.
 */
void mrfence_serve(unsigned long from)
{
	struct mhart *s;

	for (s = mharts; from && s < mharts + SHV_MAX_HARTS; s++, from >>= 1) {
		if (!(from & 1))
			continue;
		mrfence_do(&s->req);
		/* release: the fence is done before the sender sees it */
		__atomic_fetch_sub(&s->outstanding, 1, __ATOMIC_RELEASE);
	}
}

/*
 * Run me->req on the harts in hart_ids (hart ids) that have a vCPU of g
 * loaded now, and wait for all. Elsewhere nothing can be stale: loading
 * a vCPU flushes its VMID (hyp/core/vcpu.c, vcpu_load), and that hart
 * publishes the load, fences, then flushes; we fence, then read what is
 * loaded. So either we see the load and send the fence, or its flush
 * comes after every store the caller made before asking. A hart HS has
 * not registered yet never ran a vCPU.
 */
void mrfence_run(struct mhart *me, unsigned long hart_ids,
		 const struct shv_guest *g)
{
	unsigned long self = 1UL << (me - mharts);
	struct shv_hart *area;
	struct mhart *to;

	if (hart_ids & self) {
		hart_ids &= ~self;
		mrfence_do(&me->req);
	}
	hart_ids &= SHV_HARTS_ALL;
	if (hart_ids)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (to = mharts; hart_ids; to++, hart_ids >>= 1) {
		if (!(hart_ids & 1))
			continue;
		area = __atomic_load_n(&to->area, __ATOMIC_ACQUIRE);
		if (!area ||
		    __atomic_load_n(&area->guest, __ATOMIC_RELAXED) != g)
			continue;
		/* counted before the message (which releases it) is sent */
		__atomic_fetch_add(&me->outstanding, 1, __ATOMIC_RELAXED);
		mmsg_post(to, self);
	}
	if (__atomic_load_n(&me->outstanding, __ATOMIC_ACQUIRE))
		mmsg_wait(me);
}

/* From mentry.S, on the hart of me: g passed the HS-region check */
struct mfast_ret mrfence_call(unsigned long mask, unsigned long base,
			      unsigned long start, unsigned long size,
			      unsigned long asid, struct shv_guest *g,
			      unsigned long fid, struct mhart *me)
{
	struct mfast_ret r = { SBI_SUCCESS, 0 };
	unsigned long targets;

	if (SHV_RF_OF(fid) == SHV_RF_NONE) {
		r.error = SBI_ERR_NOT_SUPPORTED;
		return r;
	}
	me->req.type = SHV_RF_OF(fid);
	r.error = hmask_resolve(mask, base, vipi_nvcpus(g), &targets);
	if (r.error || !targets)
		return r;
	me->req.hgatp = __atomic_load_n(&g->hgatp, __ATOMIC_RELAXED);
	me->req.start = start;
	me->req.size = size;
	me->req.asid = asid;
	mrfence_run(me,
		    vipi_harts_of(g, targets) &
			    __atomic_load_n(&g->hart_mask, __ATOMIC_RELAXED),
		    g);
	return r;
}
