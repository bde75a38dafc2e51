/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest interrupt-controller interface: all that devices, the board
 * and the guest device-tree generator see of a guest's interrupt
 * controller, whatever its kind (the vPLIC first; an AIA vAPLIC with
 * IMSIC files next, docs/architecture.md "Interrupts").
 *
 * Downwards (callers to the controller): one call drives a source's line
 * or sends it an edge, one resets it, and its register window is an
 * emulated device of the MMIO bus. Upwards (controller to its owner),
 * through hooks the owner registered at init and always called with the
 * controller's lock released: a vCPU's external-interrupt line may have
 * changed (the vCPU reads the line word it was attached to, never the
 * controller), and a source's request was retired (the guest completed
 * it, or a reset dropped it), so a forwarded host interrupt can be
 * completed on the host.
 */
#ifndef HYP_DEV_VIRQCHIP_H
#define HYP_DEV_VIRQCHIP_H

#include "base/types.h"
#include "core/vdev.h"

enum virqchip_kind {
	VIRQCHIP_PLIC, /* riscv,plic0 registers, one S context per vCPU */
};

struct virqchip;

struct virqchip_hooks {
	/* vCPU ctx's external-interrupt line may have changed */
	void (*notify)(struct virqchip *c, u32 ctx);
	/* src's request was retired: completed by the guest, or a reset */
	void (*complete)(struct virqchip *c, u32 src);
};

struct virqchip_ops {
	enum virqchip_kind kind;
	const struct vdev_ops *mmio; /* its registers; the vdev's priv: c */
	void (*set_level)(struct virqchip *c, u32 src, bool high);
	void (*pulse)(struct virqchip *c, u32 src);
	void (*reset)(struct virqchip *c);
	/* the word a vCPU's line is read from (vcpu_attach_line) */
	const bool *(*line)(struct virqchip *c, u32 ctx);
	/* accesses to registers it does not model, for the statistics */
	unsigned long (*unimpl)(struct virqchip *c);
};

struct virqchip {
	const struct virqchip_ops *ops;
	const struct virqchip_hooks *hooks; /* may be NULL */
	void *priv;			    /* the owner's */
	u32 nsrc;			    /* valid source IDs: 1..nsrc */
	u32 nctx;			    /* contexts: one per vCPU */
};

/* Level-triggered source src (others than 1..nsrc are ignored) */
static inline void virqchip_set_level(struct virqchip *c, u32 src, bool high)
{
	c->ops->set_level(c, src, high);
}

/* An edge into src: doorbells, forwarded host interrupts */
static inline void virqchip_pulse(struct virqchip *c, u32 src)
{
	c->ops->pulse(c, src);
}

/* Reset state; every request in flight gets the complete hook, once */
static inline void virqchip_reset(struct virqchip *c)
{
	c->ops->reset(c);
}

static inline bool virqchip_src_ok(const struct virqchip *c, u32 src)
{
	return src && src <= c->nsrc;
}

#endif
