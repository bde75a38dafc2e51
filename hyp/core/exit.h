/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_EXIT_H
#define HYP_EXIT_H

#include "core/hart.h"
#include "core/vcpu.h"

/* Trap CSRs captured at a guest exit, before anything can clobber them */
struct vcpu_exit {
	unsigned long cause, stval, htval, htinst;
};

typedef enum vcpu_action (*exit_fn)(struct vcpu *v, struct vcpu_exit *e);

enum vcpu_action exit_handle(struct vcpu *v, struct vcpu_exit *e);
/* A handler for an exception cause the core leaves to a floor above */
void exit_register(unsigned long cause, exit_fn fn);

/* One HLVX, under guard: trap_from_hs skips it if it faults */
#define EXIT_HLVX(insn, val, addr)                                             \
	__asm__ __volatile__(".option push\n.option arch,+h\n" insn " %0, "    \
			     "(%1)\n."                                         \
			     "option "                                         \
			     "pop"                                             \
			     : "=&r"(val)                                      \
			     : "r"(addr)                                       \
			     : "memory")

/* Fetch the guest instruction at pc with HLVX; false if it faults. */
static inline bool exit_fetch_insn(unsigned long pc, unsigned long *insn)
{
	struct hart *h = hart_self();
	unsigned long lo, hi = 0;

	/* HLVX may fault: trap_from_hs skips it and records the cause */
	h->hlv_cause = 0;
	h->hlv_guard = 1;
	if (!(pc & 3)) {
		/*
		 * An aligned word never crosses a page, and a compressed
		 * instruction's page is all the next half-word needs (same
		 * execute permission): one access for either length.
		 */
		EXIT_HLVX("hlvx.wu", lo, pc);
		h->hlv_guard = 0;
		if (h->hlv_cause)
			return false;
		*insn = (lo & 3) == 3 ? lo : lo & 0xffff;
		return true;
	}
	EXIT_HLVX("hlvx.hu", lo, pc);
	if ((lo & 3) == 3 && !h->hlv_cause) {
		h->hlv_guard = 1;
		EXIT_HLVX("hlvx.hu", hi, pc + 2);
	}
	h->hlv_guard = 0;
	if (h->hlv_cause)
		return false;
	*insn = lo | (hi << 16);
	return true;
}

#endif
