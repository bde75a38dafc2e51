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

/*
 * Deliver the ecall to HS exactly as a delegated cause 10 would arrive
 * (priv. spec §9.6.3, "Trap entry" into HS from VS): scause, sepc, zero
 * stval/htval/htinst (QEMU 7.2 leaves mstatus.GVA and mtval2 stale on VS
 * ecalls, so nothing is taken from them, DESIGN.md §1), hstatus.SPV = 1,
 * SPVP = 1 (from VS), GVA = 0, sstatus.SPP = 1, SPIE = SIE, SIE = 0, and
 * the mret lands at stvec in HS. Only this one case, so it is done here
 * rather than through the general sbi_trap_redirect().
 */
static void mfast_forward(struct sbi_trap_regs *regs)
{
	unsigned long ms = regs->mstatus;

	csr_write(CSR_SCAUSE, CAUSE_VIRTUAL_SUPERVISOR_ECALL);
	csr_write(CSR_SEPC, regs->mepc);
	csr_write(CSR_STVAL, 0);
	csr_write(CSR_HTVAL, 0);
	csr_write(CSR_HTINST, 0);
	csr_write(CSR_HSTATUS, (csr_read(CSR_HSTATUS) & ~HSTATUS_GVA) |
				       HSTATUS_SPV | HSTATUS_SPVP);
	ms &= ~(MSTATUS_SPIE | MSTATUS_MPP | MSTATUS_MPV | MSTATUS_SIE);
	if (regs->mstatus & MSTATUS_SIE)
		ms |= MSTATUS_SPIE;
	ms |= MSTATUS_SPP | (PRV_S << MSTATUS_MPP_SHIFT);
	regs->mstatus = ms;
	regs->mepc = csr_read(CSR_STVEC) & ~3UL;
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
	    c.hart->vcpu >= SHV_MAX_VCPUS ||
	    !((c.guest->ext_avail >> slot) & 1))
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
