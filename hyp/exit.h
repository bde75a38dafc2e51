/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_EXIT_H
#define HYP_EXIT_H

#include "vcpu.h"

/* Trap CSRs captured at a guest exit, before anything can clobber them */
struct vcpu_exit {
	unsigned long cause, stval, htval, htinst;
};

enum vcpu_action exit_handle(struct vcpu *v, struct vcpu_exit *e);

/* Fetch a guest instruction at pc with HLVX.HU; false if it faults. */
bool exit_fetch_insn(unsigned long pc, unsigned long *insn);

#endif
