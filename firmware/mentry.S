/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * M-mode trap entry installed over OpenSBI's _trap_handler_hyp (mtvec).
 *
 * Two causes take a path of their own; every other trap reaches
 * OpenSBI's handler with all registers intact:
 *
 *  - cause 10, ecall from VS (not delegated when the fast path is on):
 *    dispatched on a7 before anything else is saved. BASE and TIME are
 *    served in assembly (below), IPI and RFENCE by C helpers called with
 *    only the caller-saved registers saved, and everything else is handed
 *    to HS as a delegated cause 10 would have arrived;
 *  - the machine software interrupt: OpenSBI's IPI processing, then
 *    sbivisor's own cross-hart messages (firmware/mmsg.c), with no full
 *    trap frame.
 *
 * Register use on the guest-ecall fast path: tp = this hart's struct
 * sbi_scratch (the guest's tp is parked in mscratch), t0 is in the
 * scratch's TMP0 slot, t1 and t2 in the trap frame below the scratch
 * (the exception stack is unused while a lower mode runs). Everything
 * else is the guest's and is left alone unless a C helper is called.
 */
#include <sbi/riscv_asm.h>
#include <sbi/riscv_encoding.h>
#include <sbi/sbi_scratch.h>
#include <sbi/sbi_trap.h>
#include <sbivisor/layout.h>
#include "masm-offsets.h"

/* Trap-frame slot of register x, relative to the scratch (tp) */
#define F(x) (SBI_TRAP_REGS_OFFSET(x) - SBI_TRAP_CONTEXT_SIZE)

/*
 * t2 = the loaded guest's struct shv_guest, t1 = that pointer plus the
 * loaded vCPU's index times sizeof(struct shv_vcpu), so that the vCPU's
 * record is at SHV_GUEST_VCPU(t1). Forwards the call to HS when this
 * hart has no registered area. M re-checks on every call what HS may
 * change at any time: the guest pointer (against the last value that
 * passed the HS-region check, mfast_guest_check otherwise) and the vCPU
 * index (below SHV_MAX_VCPUS: the record lies inside the checked guest).
 */
.macro MFAST_VCPU
	csrr	t1, CSR_MHARTID
	sltiu	t0, t1, SHV_MAX_HARTS_N
	beqz	t0, mfast_forward
	slli	t1, t1, MHART_SHIFT_N
	lla	t0, mharts
	add	t1, t1, t0
	REG_L	t2, MHART_AREA(t1)
	beqz	t2, mfast_forward
	REG_L	t0, SHV_HART_VCPU(t2)
	REG_L	t2, SHV_HART_GUEST(t2)
	REG_L	t1, MHART_GUEST_OK(t1)
	beq	t1, t2, 1f
	jal	t1, mfast_guest_check
1:	sltiu	t1, t0, SHV_MAX_VCPUS_N
	beqz	t1, mfast_forward
	li	t1, SHV_VCPU_SIZE
	mul	t0, t0, t1
	add	t1, t2, t0
.endm

/* Forward to HS unless the guest was offered extension slot \bit */
.macro MFAST_EXT bit
	REG_L	t0, SHV_GUEST_EXT_AVAIL(t2)
	andi	t0, t0, 1 << \bit
	beqz	t0, mfast_forward
.endm

/*
 * One more call of this extension served in M. Only the hart the vCPU
 * is loaded on writes its M counters, so a plain increment will do.
 */
.macro MFAST_COUNT off
	REG_L	t0, (SHV_GUEST_VCPU + \off)(t1)
	addi	t0, t0, 1
	REG_S	t0, (SHV_GUEST_VCPU + \off)(t1)
.endm

/*
 * Before calling a C helper, which returns the SBI error and value in a0
 * and a1: save the registers it may clobber, run it on the exception
 * stack, and make mscratch the scratch again (sbi_scratch_thishart_ptr()),
 * the guest's tp going to the frame. t0-t2 are left as they are.
 */
.macro MFAST_C_ENTER
	REG_S	sp, F(sp)(tp)
	REG_S	ra, F(ra)(tp)
	REG_S	t3, F(t3)(tp)
	REG_S	t4, F(t4)(tp)
	REG_S	t5, F(t5)(tp)
	REG_S	t6, F(t6)(tp)
	REG_S	a2, F(a2)(tp)
	REG_S	a3, F(a3)(tp)
	REG_S	a4, F(a4)(tp)
	REG_S	a5, F(a5)(tp)
	REG_S	a6, F(a6)(tp)
	REG_S	a7, F(a7)(tp)
	addi	sp, tp, -SBI_TRAP_CONTEXT_SIZE
	csrrw	t3, CSR_MSCRATCH, tp
	REG_S	t3, F(tp)(tp)
.endm

/* \reg = this hart's struct mhart (MFAST_VCPU checked the hart id) */
.macro MFAST_MHART reg
	csrr	\reg, CSR_MHARTID
	slli	\reg, \reg, MHART_SHIFT_N
	lla	t3, mharts
	add	\reg, \reg, t3
.endm

	.section .entry, "ax", %progbits
	.align 3
	.globl mentry_trap
mentry_trap:
	csrrw	tp, CSR_MSCRATCH, tp
	REG_S	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	csrr	t0, CSR_MCAUSE
	addi	t0, t0, -CAUSE_VIRTUAL_SUPERVISOR_ECALL
	bnez	t0, .Lnot_vs_ecall
	REG_S	t1, F(t1)(tp)
	REG_S	t2, F(t2)(tp)
	/* SBI v2.0 §3: the extension ID is in a7, the function ID in a6 */
	li	t0, M_EXT_TIME
	beq	a7, t0, mfast_time
	li	t0, M_EXT_RFENCE
	beq	a7, t0, .Lrfence
	li	t0, M_EXT_IPI
	beq	a7, t0, .Lipi
	li	t0, M_EXT_BASE
	beq	a7, t0, mfast_base
	j	mfast_forward

.Lrfence:
	MFAST_VCPU
	MFAST_EXT SHV_EXT_RFENCE_BIT
	MFAST_COUNT SHV_VCPU_CALLS_M_RFENCE
	MFAST_C_ENTER
	/* a0-a4: mask, base, start, size, asid; a5 = guest; a6 = fid */
	mv	a5, t2
	MFAST_MHART a7
	call	mrfence_call
	j	.Lc_return

.Lipi:
	MFAST_VCPU
	MFAST_EXT SHV_EXT_IPI_BIT
	MFAST_COUNT SHV_VCPU_CALLS_M_IPI
	MFAST_C_ENTER
	/* a0, a1: mask, base; a2 = guest, a3 = own record, a4 = fid */
	mv	a2, t2
	addi	a3, t1, SHV_GUEST_VCPU
	MFAST_MHART a5
	mv	a4, a6
	call	mipi_call

.Lc_return:
	REG_L	t0, F(tp)(tp)
	csrw	CSR_MSCRATCH, t0
	REG_L	ra, F(ra)(tp)
	REG_L	t3, F(t3)(tp)
	REG_L	t4, F(t4)(tp)
	REG_L	t5, F(t5)(tp)
	REG_L	t6, F(t6)(tp)
	REG_L	a2, F(a2)(tp)
	REG_L	a3, F(a3)(tp)
	REG_L	a4, F(a4)(tp)
	REG_L	a5, F(a5)(tp)
	REG_L	a6, F(a6)(tp)
	REG_L	a7, F(a7)(tp)
	REG_L	sp, F(sp)(tp)
	/* fall through */

/* Served: a0/a1 hold the result; resume after the ecall. */
	.globl mfast_return
mfast_return:
	csrr	t0, CSR_MEPC
	addi	t0, t0, 4
	csrw	CSR_MEPC, t0
	REG_L	t1, F(t1)(tp)
	REG_L	t2, F(t2)(tp)
	REG_L	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	csrrw	tp, CSR_MSCRATCH, tp
	mret

/*
 * Not served in M: deliver the ecall to HS exactly as a delegated cause
 * 10 would arrive (priv. spec §9.6.3 (trap entry into HS from VS), with
 * the §3.1.6.1 stack of interrupt enables): scause = 10, sepc = the
 * ecall, stval = htval = htinst = 0 (QEMU 7.2 leaves mstatus.GVA and
 * mtval2 stale on VS ecalls, so nothing is taken from them:
 * docs/architecture.md "Privilege split"), hstatus.SPV = 1, SPVP = 1 (from VS), GVA = 0; sstatus.SPP = 1,
 * SPIE = SIE, SIE = 0; and mret lands at stvec's base in HS (V = 0).
 */
	.globl mfast_forward
mfast_forward:
	csrr	t0, CSR_MEPC
	csrw	CSR_SEPC, t0
	li	t0, CAUSE_VIRTUAL_SUPERVISOR_ECALL
	csrw	CSR_SCAUSE, t0
	csrw	CSR_STVAL, zero
	csrw	CSR_HTVAL, zero
	csrw	CSR_HTINST, zero
	csrr	t0, CSR_HSTATUS
	li	t1, HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_GVA
	or	t0, t0, t1
	xori	t0, t0, HSTATUS_GVA
	csrw	CSR_HSTATUS, t0
	csrr	t0, CSR_MSTATUS
	andi	t1, t0, MSTATUS_SIE
	slli	t1, t1, MSTATUS_SPIE_SHIFT - 1
	li	t2, MSTATUS_SPIE | MSTATUS_MPP | MSTATUS_SIE | MSTATUS_MPV
	or	t0, t0, t2
	xor	t0, t0, t2
	or	t0, t0, t1
	li	t1, MSTATUS_SPP | (PRV_S << MSTATUS_MPP_SHIFT)
	or	t0, t0, t1
	csrw	CSR_MSTATUS, t0
	csrr	t0, CSR_STVEC
	andi	t0, t0, ~3
	csrw	CSR_MEPC, t0
	REG_L	t1, F(t1)(tp)
	REG_L	t2, F(t2)(tp)
	REG_L	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	csrrw	tp, CSR_MSCRATCH, tp
	mret

/*
 * MFAST_VCPU's slow path, link in t1: t2 (HS's guest pointer) must lie,
 * with the whole struct shv_guest, inside HS's shared window (layout.h)
 * and be aligned;
 * then it becomes this hart's guest_ok. t0 is kept.
 */
	.globl mfast_guest_check
mfast_guest_check:
	REG_S	t3, F(t3)(tp)
	REG_S	t4, F(t4)(tp)
	li	t3, SHV_SHARED_BASE
	sub	t3, t2, t3
	li	t4, SHV_SHARED_SIZE - SHV_GUEST_SIZE
	bgtu	t3, t4, 1f
	andi	t3, t2, 7
	bnez	t3, 1f
	csrr	t3, CSR_MHARTID
	slli	t3, t3, MHART_SHIFT_N
	lla	t4, mharts
	add	t3, t3, t4
	REG_S	t2, MHART_GUEST_OK(t3)
	REG_L	t3, F(t3)(tp)
	REG_L	t4, F(t4)(tp)
	jr	t1
1:	REG_L	t3, F(t3)(tp)
	REG_L	t4, F(t4)(tp)
	j	mfast_forward

.Lnot_vs_ecall:
	/* the machine software interrupt (mcause = 1 << 63 | 3)? */
	csrr	t0, CSR_MCAUSE
	bgez	t0, .Lopensbi
	slli	t0, t0, 1
	addi	t0, t0, -(IRQ_M_SOFT << 1)
	bnez	t0, .Lopensbi

	/*
	 * The exception stack below the scratch, or the current stack if
	 * M itself was interrupted (OpenSBI never runs with mstatus.MIE set,
	 * but the messages must not be lost if it ever did).
	 */
	csrr	t0, CSR_MSTATUS
	slli	t0, t0, __riscv_xlen - MSTATUS_MPP_SHIFT - 2
	srli	t0, t0, __riscv_xlen - 2
	addi	t0, t0, -PRV_M
	beqz	t0, 1f
	addi	t0, tp, -SBI_TRAP_CONTEXT_SIZE
	j	2f
1:	addi	t0, sp, -SBI_TRAP_CONTEXT_SIZE
2:
	REG_S	sp, SBI_TRAP_REGS_OFFSET(sp)(t0)
	mv	sp, t0
	REG_L	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	REG_S	t0, SBI_TRAP_REGS_OFFSET(t0)(sp)
	csrrw	t0, CSR_MSCRATCH, tp
	REG_S	t0, SBI_TRAP_REGS_OFFSET(tp)(sp)
	REG_S	ra, SBI_TRAP_REGS_OFFSET(ra)(sp)
	REG_S	t1, SBI_TRAP_REGS_OFFSET(t1)(sp)
	REG_S	t2, SBI_TRAP_REGS_OFFSET(t2)(sp)
	REG_S	a0, SBI_TRAP_REGS_OFFSET(a0)(sp)
	REG_S	a1, SBI_TRAP_REGS_OFFSET(a1)(sp)
	REG_S	a2, SBI_TRAP_REGS_OFFSET(a2)(sp)
	REG_S	a3, SBI_TRAP_REGS_OFFSET(a3)(sp)
	REG_S	a4, SBI_TRAP_REGS_OFFSET(a4)(sp)
	REG_S	a5, SBI_TRAP_REGS_OFFSET(a5)(sp)
	REG_S	a6, SBI_TRAP_REGS_OFFSET(a6)(sp)
	REG_S	a7, SBI_TRAP_REGS_OFFSET(a7)(sp)
	REG_S	t3, SBI_TRAP_REGS_OFFSET(t3)(sp)
	REG_S	t4, SBI_TRAP_REGS_OFFSET(t4)(sp)
	REG_S	t5, SBI_TRAP_REGS_OFFSET(t5)(sp)
	REG_S	t6, SBI_TRAP_REGS_OFFSET(t6)(sp)
	call	mmsg_irq
	REG_L	ra, SBI_TRAP_REGS_OFFSET(ra)(sp)
	REG_L	t0, SBI_TRAP_REGS_OFFSET(t0)(sp)
	REG_L	t1, SBI_TRAP_REGS_OFFSET(t1)(sp)
	REG_L	t2, SBI_TRAP_REGS_OFFSET(t2)(sp)
	REG_L	a0, SBI_TRAP_REGS_OFFSET(a0)(sp)
	REG_L	a1, SBI_TRAP_REGS_OFFSET(a1)(sp)
	REG_L	a2, SBI_TRAP_REGS_OFFSET(a2)(sp)
	REG_L	a3, SBI_TRAP_REGS_OFFSET(a3)(sp)
	REG_L	a4, SBI_TRAP_REGS_OFFSET(a4)(sp)
	REG_L	a5, SBI_TRAP_REGS_OFFSET(a5)(sp)
	REG_L	a6, SBI_TRAP_REGS_OFFSET(a6)(sp)
	REG_L	a7, SBI_TRAP_REGS_OFFSET(a7)(sp)
	REG_L	t3, SBI_TRAP_REGS_OFFSET(t3)(sp)
	REG_L	t4, SBI_TRAP_REGS_OFFSET(t4)(sp)
	REG_L	t5, SBI_TRAP_REGS_OFFSET(t5)(sp)
	REG_L	t6, SBI_TRAP_REGS_OFFSET(t6)(sp)
	REG_L	tp, SBI_TRAP_REGS_OFFSET(tp)(sp)
	REG_L	sp, SBI_TRAP_REGS_OFFSET(sp)(sp)
	mret

.Lopensbi:
	REG_L	t0, SBI_SCRATCH_TMP0_OFFSET(tp)
	csrrw	tp, CSR_MSCRATCH, tp
	j	_trap_handler_hyp

/*
 * Guest SBI calls served in assembly, with the registers described at
 * the top: BASE (SBI v2.0 §4) and TIME (§6) with Sstc. Each
 * ends at mfast_return (served: a0 = error, a1 = value) or mfast_forward
 * (HS serves it).
 */

/*
 * TIME. With Sstc in both menvcfg and this vCPU's henvcfg (STCE is bit
 * 63 of each), writing vstimecmp sets the deadline and clears or raises
 * VSTIP in hardware (Sstc spec; docs/sbi.md). Without it, HS multiplexes
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
