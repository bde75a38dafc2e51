/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The M <-> HS shared-area ABI (docs/architecture.md, "Shared area").
 *
 * HS owns every structure here and publishes one struct shv_hart per
 * physical hart through SHV_FID_REGISTER_HART. M-mode reads them on the
 * SBI fast path and checks every pointer against the HS region first.
 * Rules (docs/architecture.md "Privilege split"): M never takes a lock HS may
 * hold; each field has a single writer or is updated with AMOs.
 *
 * This header is included by M-mode code (built by OpenSBI), by HS and by
 * host unit tests, so it uses only plain C types, and OpenSBI's SBI
 * numbers (sbi_ecall_interface.h: macros only).
 */
#ifndef SBIVISOR_SHARED_H
#define SBIVISOR_SHARED_H

#include <sbi/sbi_ecall_interface.h>
#include <sbivisor/layout.h>

#define SHV_ABI_VERSION 2UL

/* Firmware-specific extension space (SBI v2.0 §3): "SBV" */
#define SHV_EID 0x0A534256UL
#define SHV_FID_GET_INFO 0	/* a0 = SHV_INFO_* -> value */
#define SHV_FID_REGISTER_HART 1 /* a0 = struct shv_hart * */
#define SHV_FID_GUEST_RFENCE                                                   \
	2 /* a0 = guest, a1 = type, a2..a4 = args,                             \
	   * a5 = harts to fence */

#define SHV_INFO_ABI 0
#define SHV_INFO_KERNEL_ADDR 1 /* next_addr QEMU/loader gave OpenSBI */
#define SHV_INFO_FASTPATH 2    /* 1 when cause 10 is served in M */
#define SHV_INFO_MVENDORID 3
#define SHV_INFO_MARCHID 4
#define SHV_INFO_MIMPID 5
#define SHV_INFO_IMPL_VERSION 6
#define SHV_INFO_STCE 7	     /* menvcfg.STCE was set by OpenSBI */
#define SHV_INFO_FW_END 8    /* end of OpenSBI's region (PMP-covered) */
#define SHV_INFO_SMSTATEEN 9 /* the harts have Smstateen (hstateen0) */

/* Types for SHV_FID_GUEST_RFENCE and M's remote-fence requests */
#define SHV_RF_FENCE_I 0
#define SHV_RF_VVMA 1	   /* a2 = start, a3 = size */
#define SHV_RF_VVMA_ASID 2 /* a2 = start, a3 = size, a4 = asid */
#define SHV_RF_GVMA 3	   /* whole VMID: after stage-2 changes */
#define SHV_RF_NONE -1	   /* remote_hfence_*: guests get no nested guests */

/*
 * The fence an SBI RFENCE function asks for, for M's fast path and HS
 * alike (users include OpenSBI's sbi_ecall_interface.h)
 */
#define SHV_RF_OF(fid)                                                         \
	((fid) == SBI_EXT_RFENCE_REMOTE_FENCE_I		  ? SHV_RF_FENCE_I     \
	 : (fid) == SBI_EXT_RFENCE_REMOTE_SFENCE_VMA	  ? SHV_RF_VVMA        \
	 : (fid) == SBI_EXT_RFENCE_REMOTE_SFENCE_VMA_ASID ? SHV_RF_VVMA_ASID   \
							  : SHV_RF_NONE)

/* vstimecmp (Sstc), which OpenSBI 1.6's riscv_encoding.h lacks */
#define SHV_CSR_VSTIMECMP 0x24D

/* vCPUs of one guest: at least one per hart (the default guest's) */
#define SHV_MAX_VCPUS (SHV_MAX_HARTS > 16 ? SHV_MAX_HARTS : 16)

/* SBI extensions accounted separately; also bit numbers in ext masks */
enum shv_ext {
	SHV_EXT_BASE,
	SHV_EXT_TIME,
	SHV_EXT_IPI,
	SHV_EXT_RFENCE,
	SHV_EXT_HSM,
	SHV_EXT_SRST,
	SHV_EXT_DBCN,
	SHV_EXT_LEGACY,
	SHV_EXT_OTHER,
	SHV_EXT_COUNT
};

#define SHV_WHERE_M 0
#define SHV_WHERE_HS 1

/* Guest flags */
#define SHV_G_SSTC 1UL /* henvcfg.STCE=1 for every vCPU of this guest */

struct shv_vcpu {
	/* hvip bits waiting for injection: set with amoor, taken with amoswap
	 */
	unsigned long pending;
	/* hart index this vCPU is loaded on, or last ran on (HS writes) */
	unsigned long hart;
	/* SBI calls served, by extension and by where (M or HS) */
	unsigned long calls[SHV_EXT_COUNT][2];
};

struct shv_guest {
	unsigned long hgatp; /* full hgatp: mode, VMID, root */
	unsigned long nvcpus;
	unsigned long flags;	 /* SHV_G_* */
	unsigned long ext_avail; /* bit SHV_EXT_*: extension offered */
	unsigned long hart_mask; /* bit per hart index it may run on */
	struct shv_vcpu vcpu[SHV_MAX_VCPUS];
};

struct shv_hart {
	unsigned long abi;	 /* SHV_ABI_VERSION */
	struct shv_guest *guest; /* guest loaded on this hart, or 0 */
	unsigned long vcpu;	 /* index of the loaded vCPU in guest */
	/* nonzero when other vCPUs are homed here (IPIs must also kick HS) */
	unsigned long others_homed;
	/*
	 * Address right after HS's idle wfi (read once, at registration): an
	 * M-mode interrupt that woke it and left HS nothing to do returns to
	 * the wfi instead (docs/architecture.md, "Cross-hart messages").
	 */
	unsigned long idle_pc;
};

/* Layout checks: M and HS are separate binaries built with one header */
#define SHV_OFF(t, f) __builtin_offsetof(struct t, f)
_Static_assert(SHV_OFF(shv_vcpu, pending) == 0, "shv_vcpu layout");
_Static_assert(SHV_OFF(shv_vcpu, calls) == 16, "shv_vcpu layout");
_Static_assert(sizeof(struct shv_vcpu) == 16 + SHV_EXT_COUNT * 16, "shv_vcpu "
								   "size");
_Static_assert(SHV_OFF(shv_guest, vcpu) == 40, "shv_guest layout");
_Static_assert(sizeof(struct shv_hart) == 40, "shv_hart size");

/* Map an SBI extension ID to its accounting slot (v2.0 §3, §5). */
static inline enum shv_ext shv_ext_of(unsigned long eid)
{
	switch (eid) {
	case SBI_EXT_BASE:
		return SHV_EXT_BASE;
	case SBI_EXT_TIME:
		return SHV_EXT_TIME;
	case SBI_EXT_IPI:
		return SHV_EXT_IPI;
	case SBI_EXT_RFENCE:
		return SHV_EXT_RFENCE;
	case SBI_EXT_HSM:
		return SHV_EXT_HSM;
	case SBI_EXT_SRST:
		return SHV_EXT_SRST;
	case SBI_EXT_DBCN:
		return SHV_EXT_DBCN;
	case SBI_EXT_0_1_CONSOLE_PUTCHAR:
	case SBI_EXT_0_1_CONSOLE_GETCHAR:
	case SBI_EXT_0_1_SHUTDOWN:
		return SHV_EXT_LEGACY;
	default:
		return SHV_EXT_OTHER;
	}
}

#endif
