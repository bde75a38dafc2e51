// SPDX-License-Identifier: BSD-2-Clause
/* SBI BASE (v2.0 §4) for guests, served in M. */
#include "mhyp.h"
#include "../lib/sbibase.h"

static struct sbibase_info mbase_info;

void mbase_init(void)
{
	/* Implementation ID 1: the firmware is OpenSBI (docs/sbi.md) */
	mbase_info.impl_id = 1;
	mbase_info.impl_version = mshare_info(SHV_INFO_IMPL_VERSION);
	mbase_info.mvendorid = mshare_info(SHV_INFO_MVENDORID);
	mbase_info.marchid = mshare_info(SHV_INFO_MARCHID);
	mbase_info.mimpid = mshare_info(SHV_INFO_MIMPID);
}

static bool mbase_handle(struct mfast_call *c, unsigned long fid, long *err,
			 unsigned long *val)
{
	*err = sbibase_call(fid, c->regs->a0, c->guest->ext_avail, &mbase_info,
			    val);
	return true;
}

const struct mfast_ext mbase_ext = {
	.slot = SHV_EXT_BASE,
	.handle = mbase_handle,
};
