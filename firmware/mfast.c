// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest SBI fast path: ecalls from VS (cause 10) arrive here straight from
 * the guest. BASE, TIME, IPI and RFENCE are served in M; anything else is
 * redirected to HS exactly as if cause 10 had been delegated.
 */
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_trap.h>
#include "mhyp.h"

static const struct mfast_ext *const mfast_table[] = {
	[SHV_EXT_BASE] = &mbase_ext,
	[SHV_EXT_TIME] = &mtime_ext,
	[SHV_EXT_IPI] = &mipi_ext,
	[SHV_EXT_RFENCE] = &mrfence_ext,
};

static void mfast_forward(struct sbi_trap_regs *regs)
{
	/*
	 * QEMU 7.2 leaves mstatus.GVA and mtval2 stale on VS ecalls, so
	 * hand HS zeros rather than what the CSRs hold (DESIGN.md §1).
	 */
	struct sbi_trap_info trap = {
		.cause = CAUSE_VIRTUAL_SUPERVISOR_ECALL,
	};

	sbi_trap_redirect(regs, &trap);
}

void mfast_vs_ecall(struct sbi_trap_regs *regs, struct sbi_scratch *scratch)
{
	struct mfast_call c;
	const struct mfast_ext *ext;
	enum shv_ext slot = shv_ext_of(regs->a7);
	unsigned long val = 0;
	long err = 0;

	if (slot >= array_size(mfast_table) || !mfast_table[slot])
		goto forward;
	c.hart = mshare_hart(scratch->hartindex);
	if (!c.hart)
		goto forward;
	c.guest = mshare_guest(c.hart->guest);
	if (!c.guest || c.hart->vcpu >= c.guest->nvcpus ||
	    c.hart->vcpu >= SHV_MAX_VCPUS || !((c.guest->ext_avail >> slot) & 1))
		goto forward;
	c.vcpu = &c.guest->vcpu[c.hart->vcpu];
	c.regs = regs;
	c.scratch = scratch;
	ext = mfast_table[slot];
	if (!ext->handle(&c, regs->a6, &err, &val))
		goto forward;
	c.vcpu->calls[slot][SHV_WHERE_M]++;
	regs->a0 = err;
	regs->a1 = val;
	regs->mepc += 4;
	return;
forward:
	mfast_forward(regs);
}
