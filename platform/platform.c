// SPDX-License-Identifier: BSD-2-Clause
/*
 * sbivisor's OpenSBI platform: OpenSBI's generic FDT platform, used in
 * place from the OpenSBI source tree, with our hooks chained in front of
 * its early/final init. Board-specific generic overrides are not built.
 */
#define fw_platform_init generic_fw_platform_init
#include <platform/generic/platform.c>
#undef fw_platform_init

#include <sbi/sbi_console.h>
#include <sbi/sbi_domain.h>
#include "../firmware/mhyp.h"

const struct platform_override *const platform_override_modules[] = { NULL };

static struct sbi_platform_operations shvplat_ops;

/*
 * HS's shared window (include/sbivisor/layout.h) gets a root-domain rule
 * of its own, read/write for M and S: under Smepmp M may touch S memory
 * only through such a rule. Only here: rules are added before the
 * domains are finalized.
 */
static int shvplat_early_init(bool cold_boot)
{
	int rc = generic_early_init(cold_boot);

	if (rc || !cold_boot)
		return rc;
	rc = sbi_domain_root_add_memrange(SHV_SHARED_BASE, SHV_SHARED_SIZE,
					  SHV_SHARED_SIZE,
					  SBI_DOMAIN_MEMREGION_SHARED_SURW_MRW);
	if (rc)
		sbi_printf("sbivisor: no PMP rule for HS's shared window "
			   "(%d)\n",
			   rc);
	return rc;
}

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
	shvplat_ops.early_init = shvplat_early_init;
	shvplat_ops.final_init = shvplat_final_init;
	platform.platform_ops_addr = (unsigned long)&shvplat_ops;
	return ret;
}
