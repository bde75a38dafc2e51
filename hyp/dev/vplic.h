/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Virtual PLIC (SiFive PLIC / riscv,plic0 register model), one per guest,
 * one S-mode context per vCPU (context i = vCPU i). Pure logic with a lock
 * of its own, so it is unit-tested on the host.
 *
 * Sources have a level: vplic_set_level() models the interrupt line of an
 * emulated device or of a forwarded host interrupt. The gateway forwards a
 * level-high source as pending once; claim clears pending and marks the
 * source in service; while in service no new request is forwarded; on
 * complete, the source leaves service and is pending again if its level is
 * still high. Ties in priority go to the lowest source ID; priority 0
 * never interrupts; a context is interrupted when some pending, enabled
 * source has priority > its threshold.
 */
#ifndef HYP_VPLIC_H
#define HYP_VPLIC_H

#include "base/config.h"
#include "base/lock.h"
#include "base/types.h"
#include "dev/virqchip.h"
#include "../../lib/plic.h"

#define VPLIC_MAX_SRC 128 /* source IDs 1..ndev, ndev < VPLIC_MAX_SRC */
#define VPLIC_MAX_CTX SHV_MAX_VCPUS /* a context per vCPU */
#define VPLIC_WORDS (VPLIC_MAX_SRC / 32)
#define VPLIC_PRIO_MASK 7U /* priorities 0..7, as QEMU virt's PLIC */

/* Register map: lib/plic.h, shared with the host driver */

/*
 * The guest interrupt-controller interface (virqchip.h) is implemented by
 * vplic_chip_ops: chip.hooks are the owner's callbacks, called with the
 * vPLIC lock released.
 */
struct vplic {
	struct virqchip chip;
	struct spinlock lock;
	u32 ndev; /* highest valid source ID */
	u32 nctx;
	u32 prio[VPLIC_MAX_SRC];
	u32 level[VPLIC_WORDS]; /* input lines */
	u32 pending[VPLIC_WORDS];
	u32 active[VPLIC_WORDS]; /* claimed, not yet completed */
	u32 queued[VPLIC_WORDS]; /* an edge came while active */
	u32 enable[VPLIC_MAX_CTX][VPLIC_WORDS];
	u32 threshold[VPLIC_MAX_CTX];
	bool eip[VPLIC_MAX_CTX]; /* line per context: written under the lock */
	unsigned long unimpl;	 /* accesses to registers not modelled */
};

extern const struct virqchip_ops vplic_chip_ops;

static inline struct vplic *vplic_of(struct virqchip *c)
{
	return (struct vplic *)((char *)c -
				__builtin_offsetof(struct vplic, chip));
}

/*
 * ndev: highest source ID (< VPLIC_MAX_SRC), nctx <= VPLIC_MAX_CTX; hooks
 * (may be NULL) and priv go into p->chip.
 */
int vplic_init(struct vplic *p, u32 ndev, u32 nctx,
	       const struct virqchip_hooks *hooks, void *priv);
/*
 * Back to reset state (all zero), keeping ndev, nctx, ops, priv. Every
 * request in flight (pending or in service) gets the complete callback,
 * once, as if the guest had completed it.
 */
void vplic_reset(struct vplic *p);

/*
 * MMIO access at offset off of len bytes (4; 8 is split into two 32-bit
 * registers, as the PLIC is a 32-bit device). Misaligned or other widths
 * return SBI_ERR_INVALID_PARAM (the caller stops the guest); registers
 * outside the model read 0, ignore writes and count in unimpl.
 */
int vplic_read(struct vplic *p, unsigned long off, unsigned int len, u64 *val);
int vplic_write(struct vplic *p, unsigned long off, unsigned int len, u64 val);

/* Drive source src's line (src 1..ndev; others ignored). */
void vplic_set_level(struct vplic *p, u32 src, bool high);

/* Whether context ctx's external interrupt line is asserted now. */
/* An edge-triggered request (doorbells, forwarded host interrupts) */
void vplic_pulse(struct vplic *p, u32 src);
bool vplic_eip(struct vplic *p, u32 ctx);

/* The line of ctx as last computed, without the lock (an atomic read) */
static inline bool vplic_line(struct vplic *p, u32 ctx)
{
	return ctx < VPLIC_MAX_CTX &&
	       __atomic_load_n(&p->eip[ctx], __ATOMIC_ACQUIRE);
}

#endif
