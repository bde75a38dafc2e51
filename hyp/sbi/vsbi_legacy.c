// SPDX-License-Identifier: BSD-2-Clause
/*
 * Legacy v0.1 console and shutdown (SBI v2.0 §5): Linux's hvc0 and
 * earlycon=sbi use them. Results come back in a0 only.
 */
#include "sbi/vsbi.h"

#define VSBI_LEGACY_PUTCHAR 0x01
#define VSBI_LEGACY_GETCHAR 0x02
#define VSBI_LEGACY_SHUTDOWN 0x08

static enum vsbi_flow vsbi_legacy_handle(struct vcpu *v, unsigned long eid,
					 unsigned long fid,
					 struct vsbi_ret *ret)
{
	(void)fid;
	switch (eid) {
	case VSBI_LEGACY_PUTCHAR:
		/* it blocks (§5.2): with the ring full, the call is retried */
		if (!vsbi_console_putc(v, (char)vsbi_arg(v, 0)))
			return VSBI_YIELD;
		ret->error = 0;
		ret->value = 0;
		return VSBI_RET_A0;
	case VSBI_LEGACY_GETCHAR:
		ret->error = 0;
		ret->value = (unsigned long)(long)guest_console->getc(v->guest);
		return VSBI_RET_A0;
	case VSBI_LEGACY_SHUTDOWN:
		guest_stop(v->guest, "shutdown");
		return VSBI_YIELD;
	default:
		return VSBI_RET_A0; /* NOT_SUPPORTED */
	}
}

const struct vsbi_ext vsbi_legacy = {
	.eid_min = 0x00,
	.eid_max = 0x0F,
	.slot = SHV_EXT_LEGACY,
	.handle = vsbi_legacy_handle,
};
