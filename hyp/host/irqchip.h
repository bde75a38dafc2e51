/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host interrupt-controller interface: what a driver for the host's
 * S-level interrupt controller gives hostirq.c, which owns routing,
 * masking and dispatch (hostirq.h). The PLIC (plic.c) is the first
 * driver, AIA's APLIC with the IMSIC (aia.c) the second. Sources are numbered
 * 1..ndev; a hart that has no context on the controller cannot take
 * its interrupts.
 */
#ifndef HYP_HOST_IRQCHIP_H
#define HYP_HOST_IRQCHIP_H

#include "base/hyp.h"

struct irqchip {
	const char *name;
	/*
	 * Find and set up the controller in the host device tree: 0 when it
	 * is there, SBI_ERR_NOT_SUPPORTED when it is not, another negative
	 * SBI error when it is there but cannot be used.
	 */
	int (*probe)(const void *fdt);
	u32 (*ndev)(void);
	bool (*has_hart)(unsigned long hartid);
	void (*set_priority)(u32 src, u32 prio);
	/* enable or disable src, delivered to hart's HS */
	void (*enable)(u32 src, unsigned long hartid, bool on);
	/* once per hart at boot: accept every priority */
	void (*hart_init)(unsigned long hartid);
	/* the next pending source for hart (0: none), and its completion */
	u32 (*claim)(unsigned long hartid);
	void (*complete)(u32 src, unsigned long hartid);
	/*
	 * A claimed source that its owner will not complete: complete and
	 * disable it, in the order this controller needs, so that it does
	 * not interrupt again until enabled.
	 */
	void (*retire)(u32 src, unsigned long hartid);
	/* its register window, for a guest that mirrors it (0: none) */
	void (*window)(hpa_t *base, unsigned long *size);
};

extern const struct irqchip plic_irqchip;
extern const struct irqchip aia_irqchip;

#endif
