/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef SBIVISOR_SBIBASE_H
#define SBIVISOR_SBIBASE_H

/* What the BASE extension reports; filled once at boot. */
struct sbibase_info {
	unsigned long impl_id;
	unsigned long impl_version;
	unsigned long mvendorid;
	unsigned long marchid;
	unsigned long mimpid;
};

/* SBI specification version we implement: v2.0 (BASE §4.1 encoding) */
#define SBIBASE_SPEC_VERSION ((2UL << 24) | 0UL)

/*
 * Serve one BASE call for a guest whose offered extensions are ext_avail
 * (bits of enum shv_ext). Returns an SBI error; *value is the a1 result.
 */
long sbibase_call(unsigned long fid, unsigned long arg0,
		  unsigned long ext_avail, const struct sbibase_info *info,
		  unsigned long *value);

#endif
