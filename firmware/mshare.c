// SPDX-License-Identifier: BSD-2-Clause
/*
 * The M side of the shared-area ABI (include/sbivisor/shared.h): the
 * firmware-specific SBI extension HS calls to register its per-hart areas
 * and learn boot facts, and installing the trap entry.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_console.h>
#include <sbi/sbi_domain.h>
#include <sbi/sbi_ecall.h>
#include <sbi/sbi_ecall_interface.h>
#include <sbi/sbi_hart.h>
#include <sbi/sbi_hartmask.h>
#include <sbi/sbi_platform.h>
#include <sbi/sbi_version.h>
#include "mhyp.h"

#ifndef SHV_FASTPATH
#define SHV_FASTPATH 1
#endif

bool mshare_fastpath;
static bool mshare_stce;
static unsigned long mshare_kernel_addr;
static unsigned long mshare_fw_end;

unsigned long mshare_info(unsigned long which)
{
	switch (which) {
	case SHV_INFO_ABI:
		return SHV_ABI_VERSION;
	case SHV_INFO_KERNEL_ADDR:
		return mshare_kernel_addr;
	case SHV_INFO_FASTPATH:
		return mshare_fastpath;
	case SHV_INFO_MVENDORID:
		return csr_read(CSR_MVENDORID);
	case SHV_INFO_MARCHID:
		return csr_read(CSR_MARCHID);
	case SHV_INFO_MIMPID:
		return csr_read(CSR_MIMPID);
	case SHV_INFO_IMPL_VERSION:
		return OPENSBI_VERSION;
	case SHV_INFO_STCE:
		return mshare_stce;
	case SHV_INFO_FW_END:
		return mshare_fw_end;
	case SHV_INFO_SMSTATEEN:
		return sbi_hart_has_extension(sbi_scratch_thishart_ptr(),
					      SBI_HART_EXT_SMSTATEEN);
	default:
		return 0;
	}
}

/*
 * Per hart, at every (re)start (_start_warm resets mtvec): the trap entry
 * always, since cross-hart messages arrive through it (firmware/mmsg.c);
 * guest ecalls come to M only with the fast path on.
 */
void mshare_hart_init(void)
{
	if (!misa_extension('H'))
		return;
	csr_write(CSR_MTVEC, (unsigned long)mentry_trap);
	if (mshare_fastpath)
		csr_clear(CSR_MEDELEG, BIT(CAUSE_VIRTUAL_SUPERVISOR_ECALL));
}

/*
 * HS's area for this hart. Checked once, here, and kept in M's own
 * per-hart state with the facts M takes from it only now (idle_pc);
 * what HS may change later (the loaded guest and vCPU) is checked on
 * every use (firmware/mentry.S, mipi_deliver).
 */
static int mshare_register(unsigned long area)
{
	struct shv_hart *h = (struct shv_hart *)area;
	struct mhart *m = mhart_self();
	unsigned long pc;

	if (!mshare_in_window(h, sizeof(*h)) || h->abi != SHV_ABI_VERSION)
		return SBI_ERR_INVALID_ADDRESS;
	if (!m)
		return SBI_ERR_FAILED;
	pc = h->idle_pc;
	m->idle_pc = pc >= SHV_HS_BASE + 4 && !(pc & 1) &&
				     pc - SHV_HS_BASE < SHV_HS_SIZE
			     ? pc
			     : 0;
	m->index = current_hartindex();
	m->guest_ok = SHV_SHARED_BASE; /* passes the check, never matches */
	mshare_hart_init();
	/* last: other harts send messages only to registered harts */
	__atomic_store_n(&m->area, h, __ATOMIC_RELEASE);
	return SBI_SUCCESS;
}

static int mshare_guest_rfence(struct sbi_trap_regs *regs)
{
	struct shv_guest *g = mshare_guest((struct shv_guest *)regs->a0);
	struct mhart *me = mhart_self();

	if (!g || regs->a1 > SHV_RF_GVMA || !me)
		return SBI_ERR_INVALID_PARAM;
	me->req.type = regs->a1;
	me->req.hgatp = g->hgatp;
	me->req.start = regs->a2;
	me->req.size = regs->a3;
	me->req.asid = regs->a4;
	/* a5: the harts HS asks for, never outside the guest's own */
	mrfence_run(me, regs->a5 & g->hart_mask, g);
	return SBI_SUCCESS;
}

/* Reached only by HS ecalls: guest ecalls never get to OpenSBI. */
static int mshare_handle(unsigned long extid, unsigned long funcid,
			 struct sbi_trap_regs *regs,
			 struct sbi_ecall_return *out)
{
	switch (funcid) {
	case SHV_FID_GET_INFO:
		out->value = mshare_info(regs->a0);
		return SBI_SUCCESS;
	case SHV_FID_REGISTER_HART:
		return mshare_register(regs->a0);
	case SHV_FID_GUEST_RFENCE:
		return mshare_guest_rfence(regs);
	default:
		return SBI_ERR_NOT_SUPPORTED;
	}
}

static struct sbi_ecall_extension mshare_ecall = {
	.name = "sbivisr",
	.extid_start = SHV_EID,
	.extid_end = SHV_EID,
	.handle = mshare_handle,
};

/*
 * Whether a root-domain rule keeps S-mode from any of HS's memory, and
 * which: OpenSBI's own region grows with the hart count (stacks, scratch,
 * heap) and its PMP rules are naturally aligned powers of two, so past
 * the build's hart count its rule covers HS although its end does not.
 */
static bool mshare_hs_blocked(unsigned long *base, unsigned long *end)
{
	const unsigned long su_rw = SBI_DOMAIN_MEMREGION_SU_READABLE |
				    SBI_DOMAIN_MEMREGION_SU_WRITABLE;
	const unsigned long hs_end = SHV_HS_BASE + SHV_HS_SIZE;
	struct sbi_domain_memregion *r;
	unsigned long rb, re;

	sbi_domain_for_each_memregion(&root, r) {
		rb = r->base;
		re = r->order >= __riscv_xlen ? ~0UL : rb + (1UL << r->order);
		if ((r->flags & su_rw) == su_rw || re <= SHV_HS_BASE ||
		    rb >= hs_end)
			continue;
		*base = rb;
		*end = re;
		return true;
	}
	return false;
}

int mshare_cold_init(struct sbi_scratch *scratch)
{
	unsigned long fw_end = scratch->fw_start + scratch->fw_size, rb, re;
	int rc;

	if (!misa_extension('H')) {
		sbi_printf("sbivisor: this CPU has no H extension\n");
		return SBI_ENOTSUPP;
	}
	if (fw_end > SHV_HS_BASE || mshare_hs_blocked(&rb, &re)) {
		if (fw_end > SHV_HS_BASE)
			sbi_printf("sbivisor: OpenSBI ends at 0x%lx, past HS "
				   "at 0x%lx\n",
				   fw_end, (unsigned long)SHV_HS_BASE);
		else
			sbi_printf("sbivisor: OpenSBI keeps 0x%lx-0x%lx from "
				   "S-mode, over HS at 0x%lx\n",
				   rb, re - 1, (unsigned long)SHV_HS_BASE);
		sbi_printf("sbivisor: too many harts for this build "
			   "(MAX_HARTS=%d): build with make MAX_HARTS=64\n",
			   SHV_MAX_HARTS);
		return SBI_ENOSPC;
	}
	mshare_fw_end = fw_end;
	mshare_fastpath = SHV_FASTPATH;
	mshare_stce = (csr_read(CSR_MENVCFG) & ENVCFG_STCE) != 0;
	rc = mmsg_init();
	if (!rc)
		rc = sbi_ecall_register_extension(&mshare_ecall);
	if (rc)
		return rc;
	/* The loader's kernel becomes the default guest; HS boots first. */
	mshare_kernel_addr = scratch->next_addr;
	scratch->next_addr = SHV_HS_BASE;
	scratch->next_mode = PRV_S;
	sbi_printf("sbivisor: guest SBI fast path %s, HS at 0x%lx, kernel at "
		   "0x%lx\n",
		   mshare_fastpath ? "on" : "off", (unsigned long)SHV_HS_BASE,
		   mshare_kernel_addr);
	return 0;
}
