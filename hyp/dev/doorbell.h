/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A doorbell register (docs/config.md, shared memory): a 32-bit write
 * rings it, a 32-bit read returns how often it was rung. Who hears the
 * ring is the owner's callback (the peer guest's interrupt).
 */
#ifndef HYP_DEV_DOORBELL_H
#define HYP_DEV_DOORBELL_H

#include "core/vdev.h"

#define DOORBELL_SIZE 0x1000UL /* one page */

struct doorbell {
	unsigned long rung;
	void (*ring)(struct doorbell *d);
	void *priv;
};

extern const struct vdev_ops doorbell_ops;

#endif
