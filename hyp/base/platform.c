// SPDX-License-Identifier: BSD-2-Clause
/* The platform facts (platform.h) and the way out of the machine. */
#include "base/hyp.h"

struct platform platform;

void hyp_machine_reset(unsigned long type, unsigned long reason)
{
	long rc;

	/* implementation/vendor reasons are the guest's; OpenSBI takes 0, 1 */
	if (reason != SBI_SRST_RESET_REASON_SYSFAIL)
		reason = SBI_SRST_RESET_REASON_NONE;
	log_flush();
	rc = sbicall(SBI_EXT_SRST, SBI_EXT_SRST_RESET, type, reason, 0, 0, 0)
		     .error;
	hyp_printf("sbivisor: machine reset type %lu failed (%ld)\n", type, rc);
	if (type != SBI_SRST_RESET_TYPE_SHUTDOWN)
		sbicall(SBI_EXT_SRST, SBI_EXT_SRST_RESET,
			SBI_SRST_RESET_TYPE_SHUTDOWN,
			SBI_SRST_RESET_REASON_SYSFAIL, 0, 0, 0);
	for (;;)
		wfi();
}

void hyp_halt(const char *why)
{
	hyp_printf("sbivisor: halting: %s\n", why);
	hyp_machine_reset(SBI_SRST_RESET_TYPE_SHUTDOWN,
			  SBI_SRST_RESET_REASON_SYSFAIL);
}
