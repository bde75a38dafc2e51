// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI TIME (v2.0 §6) for guests, served in M when the guest has Sstc:
 * writing vstimecmp makes the hardware raise (or clear) VSTIP itself.
 * Without Sstc the call goes to HS, which multiplexes its own timer.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_ecall_interface.h>
#include "mhyp.h"

static bool mtime_handle(struct mfast_call *c, unsigned long fid, long *err,
			 unsigned long *val)
{
	/* both menvcfg.STCE and this vCPU's henvcfg.STCE (DESIGN.md §2) */
	if (!mshare_stce || !(csr_read(CSR_HENVCFG) & ENVCFG_STCE))
		return false;
	*val = 0;
	if (fid != SBI_EXT_TIME_SET_TIMER) {
		*err = SBI_ERR_NOT_SUPPORTED;
		return true;
	}
	csr_write(SHV_CSR_VSTIMECMP, c->regs->a0);
	*err = SBI_SUCCESS;
	return true;
}

const struct mfast_ext mtime_ext = {
	.slot = SHV_EXT_TIME,
	.handle = mtime_handle,
};
