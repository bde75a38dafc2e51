/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_HOSTIRQ_H
#define HYP_HOSTIRQ_H

#include "base/hyp.h"

#define HOSTIRQ_MAX 128

typedef void (*hostirq_fn)(u32 src, void *arg);

/* Find the host interrupt controller (irqchip.h) in the host DT */
int hostirq_init(const void *fdt);
bool hostirq_present(void);
/* Highest source ID and the controller's window, for a guest mirror */
u32 hostirq_ndev(void);
void hostirq_window(hpa_t *base, unsigned long *size); /* 0, 0: none */
/*
 * Deliver host source src to hart hartid's HS: fn runs there when it is
 * claimed. fn completes it (hostirq_complete) when the device has been
 * served; a forwarded source stays claimed until the guest completes it.
 */
int hostirq_route(u32 src, unsigned long hartid, hostirq_fn fn, void *arg);
/* Per hart at boot: threshold 0, sie.SEIE if anything is routed here */
void hostirq_hart_init(unsigned long hartid);
/* Claim and dispatch everything pending for this hart */
void hostirq_handle(unsigned long hartid);
void hostirq_complete(u32 src);
/*
 * Disable a routed source while its guest is gone (hostirq_unmask when it
 * starts again): a device that keeps its line up can no longer interrupt.
 * A claimed source is completed here, in the order its controller needs
 * (irqchip.h, retire); a completion that comes after is ignored.
 */
void hostirq_mask(u32 src);
void hostirq_unmask(u32 src);

#endif
