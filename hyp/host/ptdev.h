/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A host device passed through to an identity-mapped guest (the default
 * guest's virtio-mmio slots and RTC, or a configured guest's
 * "sbivisor,passthrough" list): one MMIO window mapped at its host
 * address, at most one host PLIC source forwarded into the guest's vPLIC
 * under the same number. Plain data, shared by the parser and HS.
 */
#ifndef HYP_PTDEV_H
#define HYP_PTDEV_H

#include "base/types.h"

struct ptdev {
	int node; /* offset in the host device tree */
	hpa_t base;
	unsigned long size;
	u32 irq; /* host PLIC source, 0: none */
};

#endif
