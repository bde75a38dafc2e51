// SPDX-License-Identifier: BSD-2-Clause
/* SBI BASE extension (v2.0 §4) and unknown-call behaviour. */
#include "guest.h"

void guest_main(unsigned long hart, const void *fdt)
{
	struct ret r;
	static const struct {
		const char *name;
		unsigned long eid;
	} exts[] = {
		{ "probe_time", SBI_EXT_TIME },
		{ "probe_ipi", SBI_EXT_IPI },
		{ "probe_rfence", SBI_EXT_RFENCE },
		{ "probe_hsm", SBI_EXT_HSM },
		{ "probe_srst", SBI_EXT_SRST },
		{ "probe_dbcn", SBI_EXT_DBCN },
	};
	unsigned long i;

	gprintf("# base: hart %lu, %lu harts\n", hart, dt_nharts(fdt));
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0,
		  0);
	check_eq("spec_version_ok", r.error, 0);
	check("spec_version_2_0", r.value >= 0x2000000 && !(r.value >> 31));
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_IMP_ID, 0, 0, 0, 0, 0, 0);
	check_eq("impl_id", r.value, 1);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_IMP_VERSION, 0, 0, 0, 0, 0, 0);
	check("impl_version", !r.error && r.value >= 0x10006);
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, exts[i].eid, 0,
			  0, 0, 0, 0);
		check(exts[i].name, !r.error && r.value != 0);
	}
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, 0x0A534256, 0, 0, 0, 0,
		  0);
	check("probe_firmware_private_hidden", !r.error && r.value == 0);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, 0x12345678, 0, 0, 0, 0,
		  0);
	check("probe_unknown_zero", !r.error && r.value == 0);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_MVENDORID, 0, 0, 0, 0, 0, 0);
	check_eq("mvendorid_ok", r.error, 0);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_MARCHID, 0, 0, 0, 0, 0, 0);
	check_eq("marchid_ok", r.error, 0);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_MIMPID, 0, 0, 0, 0, 0, 0);
	check_eq("mimpid_ok", r.error, 0);
	r = ecall(SBI_EXT_BASE, 99, 0, 0, 0, 0, 0, 0);
	check_eq("base_unknown_fid", r.error, SBI_ERR_NOT_SUPPORTED);
	r = ecall(0x12345678, 0, 0, 0, 0, 0, 0, 0);
	check_eq("unknown_extension", r.error, SBI_ERR_NOT_SUPPORTED);
	r = ecall(0x0A534256, 0, 0, 0, 0, 0, 0, 0);
	check_eq("firmware_private_refused", r.error, SBI_ERR_NOT_SUPPORTED);
}
