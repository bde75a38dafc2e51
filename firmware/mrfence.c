// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI RFENCE (v2.0 §8) for guests, served in M.
 *
 * TLBs are VMID-tagged, so a guest's stale translations may sit on every
 * hart it may run on, not only the harts running it now: all of them are
 * flushed, and the call returns only when every one is done (Linux relies
 * on completion). hfence.vvma acts on the VMID in hgatp, and with
 * MODE=Bare the spec lets hardware ignore the VMID, so each hart swaps the
 * guest's full hgatp in around the fence (DESIGN.md §2).
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/riscv_barrier.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbi/sbi_hartmask.h>
#include <sbi/sbi_ipi.h>
#include <sbi/sbi_scratch.h>
#include "mhyp.h"
#include "../lib/hmask.h"
#include "../lib/vipi.h"

/* Flush page by page up to this many pages, then the whole VMID */
#define MRFENCE_PAGE_LIMIT 64

struct mrfence_slot {
	unsigned long busy;  /* claimed by a sender */
	unsigned long ready; /* request filled in */
	struct mrfence_req req;
};

static struct mrfence_slot mrfence_slots[SBI_HARTMASK_MAX_BITS];
static unsigned long mrfence_outstanding[SBI_HARTMASK_MAX_BITS];
static u32 mrfence_event;

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

static void mrfence_vvma(const struct mrfence_req *r)
{
	bool by_asid = r->type == SHV_RF_VVMA_ASID;
	unsigned long old, va, end = r->start + r->size;
	bool all = (r->start == 0 && r->size == 0) || r->size == -1UL ||
		   end < r->start || r->size / PAGE_SIZE >= MRFENCE_PAGE_LIMIT;

	old = csr_swap(CSR_HGATP, r->hgatp);
	if (all && by_asid)
		mrfence_vvma_asid(r->asid);
	else if (all)
		mrfence_vvma_all();
	for (va = r->start & ~(PAGE_SIZE - 1); !all && va < end;
	     va += PAGE_SIZE) {
		if (by_asid)
			mrfence_vvma_va_asid(va, r->asid);
		else
			mrfence_vvma_va(va);
	}
	csr_write(CSR_HGATP, old);
}

static void mrfence_do(const struct mrfence_req *r)
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

/* Serve the request queued for this hart, if any. */
static void mrfence_poll(u32 hartindex)
{
	struct mrfence_slot *s = &mrfence_slots[hartindex];
	unsigned long *done;

	if (!__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE))
		return;
	mrfence_do(&s->req);
	done = s->req.done;
	__atomic_store_n(&s->ready, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&s->busy, 0, __ATOMIC_RELEASE);
	__atomic_fetch_sub(done, 1, __ATOMIC_RELEASE);
}

static int mrfence_update(struct sbi_scratch *scratch,
			  struct sbi_scratch *remote_scratch,
			  u32 remote_hartindex, void *data)
{
	struct mrfence_slot *s = &mrfence_slots[remote_hartindex];
	struct mrfence_req *r = data;

	/* Keep serving our own slot while we wait: two harts may cross */
	while (__atomic_exchange_n(&s->busy, 1, __ATOMIC_ACQUIRE))
		mrfence_poll(scratch->hartindex);
	s->req = *r;
	__atomic_fetch_add(r->done, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
	return SBI_IPI_UPDATE_SUCCESS;
}

static void mrfence_sync(struct sbi_scratch *scratch)
{
	u32 me = scratch->hartindex;

	while (__atomic_load_n(&mrfence_outstanding[me], __ATOMIC_ACQUIRE))
		mrfence_poll(me);
}

static void mrfence_process(struct sbi_scratch *scratch)
{
	mrfence_poll(scratch->hartindex);
}

static const struct sbi_ipi_event_ops mrfence_ops = {
	.name = "sbivisor-rfence",
	.update = mrfence_update,
	.sync = mrfence_sync,
	.process = mrfence_process,
};

int mrfence_init(void)
{
	int ev = sbi_ipi_event_create(&mrfence_ops);

	if (ev < 0)
		return ev;
	mrfence_event = ev;
	return 0;
}

void mrfence_run(struct mrfence_req *req, unsigned long hart_ids)
{
	struct sbi_scratch *scratch = sbi_scratch_thishart_ptr();
	unsigned long me = current_hartid();

	req->done = &mrfence_outstanding[scratch->hartindex];
	if (me < BITS_PER_LONG && (hart_ids & BIT(me))) {
		hart_ids &= ~BIT(me);
		mrfence_do(req);
	}
	if (hart_ids)
		sbi_ipi_send_many(hart_ids, 0, mrfence_event, req);
}

static bool mrfence_handle(struct mfast_call *c, unsigned long fid, long *err,
			   unsigned long *val)
{
	struct sbi_trap_regs *regs = c->regs;
	struct mrfence_req req = {
		.hgatp = c->guest->hgatp,
		.start = regs->a2,
		.size = regs->a3,
		.asid = regs->a4,
	};
	unsigned long targets;

	*val = 0;
	switch (fid) {
	case SBI_EXT_RFENCE_REMOTE_FENCE_I:
		req.type = SHV_RF_FENCE_I;
		break;
	case SBI_EXT_RFENCE_REMOTE_SFENCE_VMA:
		req.type = SHV_RF_VVMA;
		break;
	case SBI_EXT_RFENCE_REMOTE_SFENCE_VMA_ASID:
		req.type = SHV_RF_VVMA_ASID;
		break;
	default:
		/* remote_hfence_*: guests get no nested virtualization */
		*err = SBI_ERR_NOT_SUPPORTED;
		return true;
	}
	*err = hmask_resolve(regs->a0, regs->a1, c->guest->nvcpus, &targets);
	if (*err || !targets)
		return true;
	/*
	 * The harts the targets run on, whether running now or not: a vCPU's
	 * translations and fetched code can be stale only where it was last
	 * loaded, because loading a vCPU on a hart flushes its VMID and the
	 * I-cache there (hyp/vcpu.c vcpu_load, priv. spec §9.3.3).
	 */
	mrfence_run(&req, vipi_harts(c->guest, targets) & c->guest->hart_mask);
	return true;
}

const struct mfast_ext mrfence_ext = {
	.slot = SHV_EXT_RFENCE,
	.handle = mrfence_handle,
};
