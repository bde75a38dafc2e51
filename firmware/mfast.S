/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest SBI calls served in assembly, reached from mentry_trap with the
 * registers of firmware/mentry.h: BASE (SBI v2.0 §4) and TIME (§6) with
 * Sstc. Each ends at mfast_return (served: a0 = error, a1 = value) or
 * mfast_forward (HS serves it).
 */
#include "mentry.h"

	.section .entry, "ax", %progbits

/*
 * TIME. With Sstc in both menvcfg and this vCPU's henvcfg (STCE is bit
 * 63 of each), writing vstimecmp sets the deadline and clears or raises
 * VSTIP in hardware (Sstc spec; DESIGN.md §2). Without it, HS multiplexes
 * its own timer: forward.
 */
	.globl mfast_time
mfast_time:
	MFAST_VCPU
	MFAST_EXT SHV_EXT_TIME_BIT
	csrr	t0, CSR_MENVCFG
	bgez	t0, mfast_forward
	csrr	t0, CSR_HENVCFG
	bgez	t0, mfast_forward
	MFAST_COUNT SHV_VCPU_CALLS_M_TIME
	bnez	a6, mfast_not_supported
	csrw	SHV_VSTIMECMP, a0
	li	a1, 0
	/* fall through */

	.globl mfast_success
mfast_success:
	li	a0, 0
	j	mfast_return

	.globl mfast_not_supported
mfast_not_supported:
	li	a0, M_ERR_NOT_SUPPORTED
	li	a1, 0
	j	mfast_return

/*
 * BASE, every function of v2.0: the host's IDs come from the M-mode
 * CSRs, the implementation is OpenSBI (ID 1) with OpenSBI's version, and
 * probe answers from the extensions the guest is offered (the bitmap HS
 * publishes), for M- and HS-served ones alike.
 */
	.globl mfast_base
mfast_base:
	MFAST_VCPU
	MFAST_EXT SHV_EXT_BASE_BIT
	MFAST_COUNT SHV_VCPU_CALLS_M_BASE
	beqz	a6, .Lspec_version
	li	t0, M_BASE_PROBE_EXT
	beq	a6, t0, .Lprobe
	li	t0, M_BASE_GET_IMP_ID
	beq	a6, t0, .Limp_id
	li	t0, M_BASE_GET_IMP_VERSION
	beq	a6, t0, .Limp_version
	li	t0, M_BASE_GET_MVENDORID
	beq	a6, t0, .Lmvendorid
	li	t0, M_BASE_GET_MARCHID
	beq	a6, t0, .Lmarchid
	li	t0, M_BASE_GET_MIMPID
	bne	a6, t0, mfast_not_supported
	csrr	a1, CSR_MIMPID
	j	mfast_success
.Lmarchid:
	csrr	a1, CSR_MARCHID
	j	mfast_success
.Lmvendorid:
	csrr	a1, CSR_MVENDORID
	j	mfast_success
.Limp_version:
	li	a1, M_OPENSBI_VERSION
	j	mfast_success
.Limp_id:
	li	a1, M_IMPL_ID
	j	mfast_success
.Lspec_version:
	li	a1, SHV_SPEC_VERSION
	j	mfast_success

/*
 * probe_extension(a0): the extension's slot bit in t1 (the mapping of
 * shv_ext_of() in include/sbivisor/shared.h, most-probed first), then
 * whether the guest is offered it. Unknown IDs answer 0.
 */
.macro PROBE eid, bit
	li	t1, 1 << \bit
	li	t0, \eid
	beq	a0, t0, .Lprobe_found
.endm

.Lprobe:
	PROBE	M_EXT_TIME, SHV_EXT_TIME_BIT
	PROBE	M_EXT_IPI, SHV_EXT_IPI_BIT
	PROBE	M_EXT_RFENCE, SHV_EXT_RFENCE_BIT
	PROBE	M_EXT_HSM, SHV_EXT_HSM_BIT
	PROBE	M_EXT_SRST, SHV_EXT_SRST_BIT
	PROBE	M_EXT_DBCN, SHV_EXT_DBCN_BIT
	PROBE	M_EXT_BASE, SHV_EXT_BASE_BIT
	PROBE	M_EXT_0_1_CONSOLE_PUTCHAR, SHV_EXT_LEGACY_BIT
	PROBE	M_EXT_0_1_CONSOLE_GETCHAR, SHV_EXT_LEGACY_BIT
	PROBE	M_EXT_0_1_SHUTDOWN, SHV_EXT_LEGACY_BIT
	li	a1, 0
	j	mfast_success
.Lprobe_found:
	REG_L	t0, SHV_GUEST_EXT_AVAIL(t2)
	and	t0, t0, t1
	snez	a1, t0
	j	mfast_success
