/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_VSBI_H
#define HYP_VSBI_H

#include "core/exit.h"
#include "core/guest.h"

/* How a served call returns to the guest */
enum vsbi_flow {
	VSBI_RET,    /* a0 = error, a1 = value, pc += 4 */
	VSBI_RET_A0, /* legacy v0.1: a0 = value only */
	VSBI_RESUME, /* the handler has set the guest's registers */
	VSBI_YIELD,  /* the vCPU does not continue now */
};

struct vsbi_ret {
	long error;
	unsigned long value;
};

/* One guest SBI extension served in HS (OpenSBI style) */
struct vsbi_ext {
	unsigned long eid_min, eid_max;
	enum shv_ext slot;
	enum vsbi_flow (*handle)(struct vcpu *v, unsigned long eid,
				 unsigned long fid, struct vsbi_ret *ret);
};

extern const struct vsbi_ext vsbi_base, vsbi_time, vsbi_ipi, vsbi_rfence,
	vsbi_hsm, vsbi_srst, vsbi_dbcn, vsbi_legacy;

void vsbi_init(void);
/*
 * One byte to the guest's console for a call that blocks (DBCN
 * write_byte, legacy putchar): false if the console had no room, and
 * then the vCPU waits and the call runs again (vcpu_stall).
 */
static inline bool vsbi_console_putc(struct vcpu *v, char c)
{
	if (guest_console->write(v->guest, &c, 1))
		return true;
	vcpu_stall(v);
	return false;
}

/* Guest argument registers */
static inline unsigned long vsbi_arg(struct vcpu *v, int n)
{
	return v->regs.x[10 + n];
}

#endif
