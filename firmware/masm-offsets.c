// SPDX-License-Identifier: BSD-2-Clause
/*
 * Compiled to assembly only: the Makefile turns the markers into
 * build/fp<N>/gen/masm-offsets.h, so firmware assembly never hard-codes
 * an offset of the shared area or of M's own per-hart state.
 */
#include <sbi/sbi_ecall_interface.h>
#include <sbi/sbi_version.h>
#include <sbivisor/shared.h>
#include "mhart.h"
#include "../lib/sbibase.h"

#define DEFINE(sym, val) asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(struct str, mem))

void masm_offsets(void);
void masm_offsets(void)
{
	OFFSET(SHV_HART_GUEST, shv_hart, guest);
	OFFSET(SHV_HART_VCPU, shv_hart, vcpu);
	OFFSET(SHV_GUEST_EXT_AVAIL, shv_guest, ext_avail);
	OFFSET(SHV_GUEST_VCPU, shv_guest, vcpu);
	DEFINE(SHV_GUEST_SIZE, sizeof(struct shv_guest));
	OFFSET(SHV_VCPU_CALLS, shv_vcpu, calls);
	DEFINE(SHV_VCPU_SIZE, sizeof(struct shv_vcpu));
	/* calls[slot][SHV_WHERE_M] from the start of a struct shv_vcpu */
	DEFINE(SHV_VCPU_CALLS_M_BASE,
	       __builtin_offsetof(struct shv_vcpu, calls[SHV_EXT_BASE][0]));
	DEFINE(SHV_VCPU_CALLS_M_TIME,
	       __builtin_offsetof(struct shv_vcpu, calls[SHV_EXT_TIME][0]));
	DEFINE(SHV_VCPU_CALLS_M_IPI,
	       __builtin_offsetof(struct shv_vcpu, calls[SHV_EXT_IPI][0]));
	DEFINE(SHV_VCPU_CALLS_M_RFENCE,
	       __builtin_offsetof(struct shv_vcpu, calls[SHV_EXT_RFENCE][0]));
	DEFINE(SHV_EXT_BASE_BIT, SHV_EXT_BASE);
	DEFINE(SHV_EXT_TIME_BIT, SHV_EXT_TIME);
	DEFINE(SHV_EXT_IPI_BIT, SHV_EXT_IPI);
	DEFINE(SHV_EXT_RFENCE_BIT, SHV_EXT_RFENCE);
	DEFINE(SHV_EXT_HSM_BIT, SHV_EXT_HSM);
	DEFINE(SHV_EXT_SRST_BIT, SHV_EXT_SRST);
	DEFINE(SHV_EXT_DBCN_BIT, SHV_EXT_DBCN);
	DEFINE(SHV_EXT_LEGACY_BIT, SHV_EXT_LEGACY);
	DEFINE(SHV_MAX_HARTS_N, SHV_MAX_HARTS);
	DEFINE(SHV_MAX_VCPUS_N, SHV_MAX_VCPUS);
	DEFINE(SHV_VSTIMECMP, SHV_CSR_VSTIMECMP);
	DEFINE(SHV_SPEC_VERSION, SBIBASE_SPEC_VERSION);
	/* SBI v2.0 numbers (OpenSBI's header is C-only) */
	DEFINE(M_EXT_BASE, SBI_EXT_BASE);
	DEFINE(M_EXT_TIME, SBI_EXT_TIME);
	DEFINE(M_EXT_IPI, SBI_EXT_IPI);
	DEFINE(M_EXT_RFENCE, SBI_EXT_RFENCE);
	DEFINE(M_EXT_HSM, SBI_EXT_HSM);
	DEFINE(M_EXT_SRST, SBI_EXT_SRST);
	DEFINE(M_EXT_DBCN, SBI_EXT_DBCN);
	DEFINE(M_EXT_0_1_CONSOLE_PUTCHAR, SBI_EXT_0_1_CONSOLE_PUTCHAR);
	DEFINE(M_EXT_0_1_CONSOLE_GETCHAR, SBI_EXT_0_1_CONSOLE_GETCHAR);
	DEFINE(M_EXT_0_1_SHUTDOWN, SBI_EXT_0_1_SHUTDOWN);
	DEFINE(M_BASE_GET_IMP_ID, SBI_EXT_BASE_GET_IMP_ID);
	DEFINE(M_BASE_GET_IMP_VERSION, SBI_EXT_BASE_GET_IMP_VERSION);
	DEFINE(M_BASE_PROBE_EXT, SBI_EXT_BASE_PROBE_EXT);
	DEFINE(M_BASE_GET_MVENDORID, SBI_EXT_BASE_GET_MVENDORID);
	DEFINE(M_BASE_GET_MARCHID, SBI_EXT_BASE_GET_MARCHID);
	DEFINE(M_BASE_GET_MIMPID, SBI_EXT_BASE_GET_MIMPID);
	DEFINE(M_ERR_NOT_SUPPORTED, SBI_ERR_NOT_SUPPORTED);
	/* BASE implementation ID 1: the firmware is OpenSBI (docs/sbi.md) */
	DEFINE(M_IMPL_ID, 1);
	DEFINE(M_OPENSBI_VERSION, OPENSBI_VERSION);
	OFFSET(MHART_AREA, mhart, area);
	OFFSET(MHART_GUEST_OK, mhart, guest_ok);
	DEFINE(MHART_SHIFT_N, MHART_SHIFT);
}
