// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbivisor's OpenSBI platform: OpenSBI's generic FDT platform, used in
 * place from the OpenSBI source tree, with our hooks chained in front of
 * its early/final init. Board-specific generic overrides are not built.
 */
#define fw_platform_init generic_fw_platform_init
#include <platform/generic/platform.c>
#undef fw_platform_init

#include "../firmware/mhyp.h"

const struct platform_override *const platform_override_modules[] = { NULL };

static struct sbi_platform_operations shvplat_ops;

static int shvplat_final_init(bool cold_boot)
{
	int rc = generic_final_init(cold_boot);

	if (rc)
		return rc;
	if (cold_boot) {
		rc = mshare_cold_init(sbi_scratch_thishart_ptr());
		if (rc)
			return rc;
	}
	mshare_hart_init();
	return 0;
}

unsigned long fw_platform_init(unsigned long arg0, unsigned long arg1,
			       unsigned long arg2, unsigned long arg3,
			       unsigned long arg4)
{
	unsigned long ret =
		generic_fw_platform_init(arg0, arg1, arg2, arg3, arg4);

	shvplat_ops = platform_ops;
	shvplat_ops.final_init = shvplat_final_init;
	platform.platform_ops_addr = (unsigned long)&shvplat_ops;
	return ret;
}
