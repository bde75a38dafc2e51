// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest exits, dispatched through tables indexed by cause. A handler
 * resumes the guest, injects an exception into it, or stops it: nothing a
 * guest does halts the hypervisor.
 */
#include "core/exit.h"
#include "core/guest.h"
#include "core/hart.h"
#include "core/mmio.h"

#define INSN_WFI 0x10500073UL

static enum vcpu_action exit_stop_guest(struct vcpu *v, struct vcpu_exit *e)
{
	(void)e;
	guest_report_fault(v, "guest stopped");
	guest_stop(v->guest, "fault");
	return VCPU_YIELD;
}

static enum vcpu_action exit_virtual_insn(struct vcpu *v, struct vcpu_exit *e)
{
	unsigned long insn = e->stval;

	/* if the fetch faults, the guest re-executes and faults itself */
	if (!insn && !exit_fetch_insn(v->regs.pc, &insn))
		return VCPU_RESUME;
	/*
	 * WFI in VU-mode: natively U-mode WFI is illegal at once (priv.
	 * spec §3.3.3, S-mode present); the guest OS gets that trap.
	 */
	if (insn == INSN_WFI && !v->spp) {
		vcpu_inject_exception(v, CAUSE_ILLEGAL_INSTRUCTION, insn);
		return VCPU_RESUME;
	}
	if (insn == INSN_WFI) {
		/* WFI yields the hart until an enabled interrupt is pending */
		vcpu_advance(v);
		if (vcpu_has_interrupt(v))
			return VCPU_RESUME;
		vcpu_block(v, VCPU_WAIT_WFI);
		return VCPU_YIELD;
	}
	/* not emulated: illegal to the guest (priv. spec §9.6.1) */
	vcpu_inject_exception(v, CAUSE_ILLEGAL_INSTRUCTION, insn);
	return VCPU_RESUME;
}

/* The core's own; the floors above add theirs (the SBI: ecalls) */
static exit_fn exit_exc_table[24] = {
	[CAUSE_VIRTUAL_INST_FAULT] = exit_virtual_insn,
	[CAUSE_LOAD_GUEST_PAGE_FAULT] = mmio_exit,
	[CAUSE_STORE_GUEST_PAGE_FAULT] = mmio_exit,
};

/* Boot time, before any guest runs */
void exit_register(unsigned long cause, exit_fn fn)
{
	if (cause >= ARRAY_SIZE(exit_exc_table) || exit_exc_table[cause])
		hyp_halt("exit handler: bad or taken cause");
	exit_exc_table[cause] = fn;
}

/*
 * Any interrupt goes back to the scheduler loop (hart_schedule), which
 * acknowledges kicks, serves host interrupts, expires timers and then
 * decides who runs: nothing is done twice here.
 */
static enum vcpu_action exit_irq(struct vcpu *v, unsigned long irq)
{
	(void)v;
	(void)irq;
	return VCPU_YIELD;
}

enum vcpu_action exit_handle(struct vcpu *v, struct vcpu_exit *e)
{
	unsigned long code = e->cause & ~(1UL << (__riscv_xlen - 1));
	exit_fn fn;

	if (e->cause >> (__riscv_xlen - 1)) {
		if (code < ARRAY_SIZE(v->irqs))
			v->irqs[code]++;
		return exit_irq(v, code);
	}
	if (code < ARRAY_SIZE(v->exits))
		v->exits[code]++;
	fn = code < ARRAY_SIZE(exit_exc_table) ? exit_exc_table[code] : NULL;
	return fn ? fn(v, e) : exit_stop_guest(v, e);
}
