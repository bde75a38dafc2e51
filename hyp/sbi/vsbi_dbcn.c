// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI DBCN (v2.0 §12). The buffer is a guest-physical range: it must lie
 * wholly inside the guest's RAM (overflow-safe check) before HS touches
 * it, and one call moves at most VSBI_DBCN_MAX bytes (partial transfers
 * are allowed by the spec: the count is returned), which bounds the time
 * the caller's hart spends here with interrupts off: a guest sharing the
 * hart (a rate-monotonic one) waits at most that long.
 */
#include "sbi/vsbi.h"

#define VSBI_DBCN_MAX 256UL

static enum vsbi_flow vsbi_dbcn_handle(struct vcpu *v, unsigned long eid,
				       unsigned long fid, struct vsbi_ret *ret)
{
	unsigned long n = vsbi_arg(v, 0), lo = vsbi_arg(v, 1);
	long done;
	hpa_t hpa;

	(void)eid;
	if (fid == SBI_EXT_DBCN_CONSOLE_WRITE_BYTE) {
		/* blocking (§12.3): with the ring full, the call is retried */
		if (!vsbi_console_putc(v, (char)vsbi_arg(v, 0)))
			return VSBI_YIELD;
		ret->error = SBI_SUCCESS;
		return VSBI_RET;
	}
	if (fid != SBI_EXT_DBCN_CONSOLE_WRITE &&
	    fid != SBI_EXT_DBCN_CONSOLE_READ)
		return VSBI_RET;
	/*
	 * The whole range must be guest RAM (§12.1: the caller must be
	 * allowed to access all num_bytes), and on RV64 a guest-physical
	 * address has no upper XLEN bits; only then is the transfer bounded.
	 */
	if (vsbi_arg(v, 2) || !guest_ram_range(v->guest, lo, n, &hpa)) {
		ret->error = SBI_ERR_INVALID_PARAM;
		return VSBI_RET;
	}
	if (n > VSBI_DBCN_MAX)
		n = VSBI_DBCN_MAX;
	if (!n) {
		ret->error = SBI_SUCCESS;
		return VSBI_RET;
	}
	if (fid == SBI_EXT_DBCN_CONSOLE_WRITE)
		/* non-blocking (§12.1): what the ring takes, maybe nothing */
		done = (long)guest_console->write(v->guest, (const char *)hpa,
						  n);
	else
		done = guest_console->read(v->guest, (char *)hpa, n);
	ret->error = done < 0 ? SBI_ERR_FAILED : SBI_SUCCESS;
	ret->value = done < 0 ? 0 : done;
	return VSBI_RET;
}

const struct vsbi_ext vsbi_dbcn = {
	.eid_min = SBI_EXT_DBCN,
	.eid_max = SBI_EXT_DBCN,
	.slot = SHV_EXT_DBCN,
	.handle = vsbi_dbcn_handle,
};
