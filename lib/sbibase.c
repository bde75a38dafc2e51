// SPDX-License-Identifier: BSD-2-Clause
/* SBI BASE extension logic (SBI v2.0 §4), shared by M-mode and HS. */
#include <sbi/sbi_ecall_interface.h>
#include <sbivisor/shared.h>
#include "sbibase.h"

long sbibase_call(unsigned long fid, unsigned long arg0,
		  unsigned long ext_avail, const struct sbibase_info *info,
		  unsigned long *value)
{
	enum shv_ext e;

	switch (fid) {
	case SBI_EXT_BASE_GET_SPEC_VERSION:
		*value = SBIBASE_SPEC_VERSION;
		return SBI_SUCCESS;
	case SBI_EXT_BASE_GET_IMP_ID:
		*value = info->impl_id;
		return SBI_SUCCESS;
	case SBI_EXT_BASE_GET_IMP_VERSION:
		*value = info->impl_version;
		return SBI_SUCCESS;
	case SBI_EXT_BASE_PROBE_EXT:
		e = shv_ext_of(arg0);
		*value = e != SHV_EXT_OTHER && ((ext_avail >> e) & 1);
		return SBI_SUCCESS;
	case SBI_EXT_BASE_GET_MVENDORID:
		*value = info->mvendorid;
		return SBI_SUCCESS;
	case SBI_EXT_BASE_GET_MARCHID:
		*value = info->marchid;
		return SBI_SUCCESS;
	case SBI_EXT_BASE_GET_MIMPID:
		*value = info->mimpid;
		return SBI_SUCCESS;
	default:
		*value = 0;
		return SBI_ERR_NOT_SUPPORTED;
	}
}
